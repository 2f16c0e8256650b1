"""Test bed: real Odoo + real PostgreSQL + the Xero harness over real HTTP.

The harness (``harness/`` at the repository root, on PYTHONPATH when ``./run test`` runs the
tests) is started in this process on a free port, seeded with two organisations, and the
addon's settings point at it.
"""

from datetime import timedelta
from urllib.parse import urlparse

from odoo import Command, fields
from odoo.tests import HttpCase

from harness import seed
from harness.server import HarnessServer
from harness.testing import Admin, approve_consent, connect, query_of

from .. import const

CLIENT_ID = "odoo-test-client"
CLIENT_SECRET = "odoo-test-secret"
WEBHOOK_KEY = "odoo-test-webhook-key"
ORG_A = seed.DEMO_ORGS[0][1]
ORG_B = seed.DEMO_ORGS[1][1]


def start_connected_harness(case_class):
    """For a test class whose workers commit (``TransactionCase``, no browser): a harness started
    for the class, seeded with the demo organisations, this addon's test app registered and an
    authorisation already granted. -> the token answer (access and refresh tokens)."""
    case_class.harness = HarnessServer().start()
    case_class.addClassCleanup(case_class.harness.stop)
    seed.load(case_class.harness.app, "demo")
    redirect = "http://odoo.test" + const.CALLBACK_ROUTE
    case_class.harness.app.identity.register_client(CLIENT_ID, CLIENT_SECRET, [redirect])
    return connect(case_class.harness.url, CLIENT_ID, CLIENT_SECRET, redirect, const.DEFAULT_SCOPES.split())


class XeroHarnessCase(HttpCase):
    """Each test class gets a fresh harness; each test a fresh transaction (rolled back)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.harness = HarnessServer(limits=True).start()
        cls.addClassCleanup(cls.harness.stop)
        cls.admin_api = Admin(cls.harness.url)
        cls.configure(cls.env, cls.harness.url)
        cls.use_base_currency(cls.env.company)

    @staticmethod
    def use_base_currency(company, code="GBP"):
        """The company keeps its books in its organisation's base currency (the demo
        organisations': GBP), as Xero's base-currency figures must be Odoo's."""
        currency = company.env.ref("base.%s" % code)
        currency.active = True
        company.currency_id = currency

    @classmethod
    def reset_harness(cls):
        """Every test starts from the seeded organisations and one registered app."""
        app = cls.harness.app
        app.store.clear()
        app.faults.clear()
        app.limits.reset()
        app.limits.configure(enabled=True, concurrent=5, minute=60, day=5000, app_minute=10000)
        app.recent.clear()
        seed.load(app, "demo")
        app.identity.register_client(CLIENT_ID, CLIENT_SECRET, [cls.base_url() + const.CALLBACK_ROUTE,
                                                                cls.base_url() + const.SIGNIN_CALLBACK_ROUTE],
                                     name="PSA Xero Connector (tests)", webhook_key=WEBHOOK_KEY)

    @staticmethod
    def configure(env, harness_url, client_id=CLIENT_ID, client_secret=CLIENT_SECRET):
        icp = env["ir.config_parameter"].sudo()
        values = {
            "client_id": client_id, "client_secret": client_secret,
            "authorize_url": harness_url + "/identity/connect/authorize",
            "token_url": harness_url + "/identity/connect/token",
            "revoke_url": harness_url + "/identity/connect/revocation",
            "connections_url": harness_url + "/connections",
            "api_url": harness_url + "/api.xro/2.0",
            "openid_configuration_url": harness_url + "/.well-known/openid-configuration",
            "webhook_key": WEBHOOK_KEY,
        }
        for key, value in values.items():
            icp.set_param(const.PARAM_PREFIX + key, value)

    def setUp(self):
        super().setUp()
        self.reset_harness()

    def assertRaisesCommitted(self, exc_type, fn, *args, **kwargs):
        """Like assertRaises, without Odoo's savepoint around it: what the code under test
        wrote before raising (as a worker that catches the error and commits would keep)
        stays visible. -> the exception."""
        try:
            fn(*args, **kwargs)
        except exc_type as exc:
            return exc
        self.fail("%s not raised" % exc_type.__name__)

    # --- the connect flow, as a browser would walk it ---------------------------------------------
    def start_connect(self, login="admin"):
        """Log in, open /xero/oauth/start; -> the harness authorize URL it redirects to."""
        self.authenticate(login, login)
        resp = self.url_open(const.START_ROUTE, allow_redirects=False)
        self.assertIn(resp.status_code, (302, 303), resp.text[:500])
        location = resp.headers["Location"]
        self.assertTrue(location.startswith(self.harness.url + "/identity/connect/authorize"), location)
        return location

    def finish_connect(self, callback_url):
        path = urlparse(callback_url)
        return self.url_open("%s?%s" % (path.path, path.query), allow_redirects=False)

    def connect(self, tenants=None, login="admin"):
        """The whole flow; -> the tenants created."""
        back = approve_consent(self.start_connect(login), tenants)
        resp = self.finish_connect(back)
        self.assertIn(resp.status_code, (302, 303), resp.text[:1000])
        self.assertIn("ledger.tenant", self.env["ir.actions.act_window"]._for_xml_id(
            "psa_xero_connector.action_ledger_tenant")["res_model"])
        return self.env["ledger.tenant"].search([])

    def token_calls(self, grant_type):
        """How many token requests of this grant type the harness has received."""
        return self.harness.app.identity.grant_counts[grant_type]


class SyncCase(XeroHarnessCase):
    """Organisation A connected to the current company, its items imported, MISC as every
    catch-all, the switches of SWITCHES on, and a customer with a person to bill."""

    SWITCHES = ()

    def setUp(self):
        super().setUp()
        self.tenant = self.connect().filtered(lambda t: t.remote_id == ORG_A)
        self.company = self.env.company
        self.tenant.write(dict({switch: True for switch in self.SWITCHES}, company_id=self.company.id))
        self.env["xero.importer"]._import(self.tenant, ["products", "accounts"])
        misc = self.env["ledger.item"].search([("tenant_id", "=", self.tenant.id), ("code", "=", "MISC")])
        self.tenant.write({"catchall_invoice_item_id": misc.id, "catchall_purchase_item_id": misc.id,
                           "catchall_credit_note_item_id": misc.id})
        self.partner = self.env["res.partner"].create({
            "name": "Tyrell Corp", "is_company": True, "company_id": self.company.id,
            "child_ids": [Command.create({"name": "Eldon Tyrell", "type": "invoice", "email": "et@tyrell.example"})]})
        self.Outbox = self.env["ledger.outbox"]

    def process(self):
        self.Outbox._cron_process(commit=False)

    def rows(self, record):
        return self.Outbox.search([("res_model", "=", record._name), ("res_id", "=", record.id)])

    def row(self, record):
        return self.rows(record).sorted("id")[-1:]

    def due_now(self):
        """Time passes: what waits to retry is due, and organisations resting on Xero's limits are served."""
        self.Outbox.search([("state", "=", "retry")]).write({"next_try": fields.Datetime.now() - timedelta(seconds=1)})
        self.env["ledger.tenant"].sudo().search([]).write({"rest_until": False})

    def invoice(self, price=250, name="Service"):
        move = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": self.partner.id, "invoice_date": "2026-11-08",
            "invoice_date_due": "2026-12-08",
            "invoice_line_ids": [Command.create({"name": name, "quantity": 1, "price_unit": price,
                                                 "tax_ids": [Command.clear()]})]})
        move.action_post()
        return move


__all__ = ["XeroHarnessCase", "SyncCase", "ORG_A", "ORG_B", "CLIENT_ID", "CLIENT_SECRET", "query_of"]
