"""Who may call what, over JSON-RPC as a browser would: every public method of the addon as
a portal user, an internal user without Xero groups, a Xero user and a Xero manager of
company A, on records of company A and of company B. Refused = AccessError and no effect;
allowed = the effect happened.

    method                                   | target | portal | internal | Xero user | Xero manager
    -----------------------------------------+--------+--------+----------+-----------+-------------
    ledger.connection.action_revoke            | A      | no     | no       | no        | yes
                                             | B      | no     | no       | no        | no
                                             | A + B  | no     | no       | no        | no  (cuts B off too)
    ledger.tenant.action_disconnect            | A / B  | no     | no       | no        | A only
    ledger.tenant.action_test_connection       | A / B  | no     | no       | no        | A only
    ledger.tenant.action_open_import           | A / B  | no     | no       | no        | A only
    ledger.tenant.action_check_xero_now        | A / B  | no     | no       | no        | A only
    ledger.tenant.action_reconnect             | A / B  | no     | no       | no        | A only
    ledger.tenant.action_view_request_log      | A / B  | no     | no       | A only    | A only
    ledger.tenant.action_view_events           | A / B  | no     | no       | A only    | A only
    ledger.tenant.write (a setting)            | A / B  | no     | no       | no        | A only
    ledger.tenant.write (state, Xero's field)  | A / B  | no     | no       | no        | no
    ledger.tenant.write (company_id = B)       | A      | no     | no       | no        | no
    ledger.request.log.action_retry            | A / B  | no     | no       | no        | A only
    ledger.request.log.write / unlink / create | A / B  | no     | no       | no        | no
    ledger.request.log read / action_retry     | B's org, row logged before it was B's | no | no | no | no
    ledger.request.log.action_open_record      | A / B  | no     | no       | A only    | A only
    ledger.import.wizard create + action_import| A / B  | no     | no       | no        | A only
    ledger.import.wizard write (tenant → B)    | A      | no     | no       | no        | no
    ledger.outbox.action_retry                 | A / B  | no     | no       | no        | A only
    ledger.event.action_retry                  | A / B  | no     | no       | no        | A only
    res.partner.action_xero_retry            | A / B  | no     | no       | no        | A only (A's rows)
    account.move.action_xero_retry           | A / B  | no     | no       | no        | A only
    ledger.link / ledger.item write/create → B   | A      | no     | no       | no        | no
    res.config.settings.action_xero_tenants  | -      | no     | no       | yes       | yes
    ledger.tenant.action_view_drift / _dash_*  | A / B  | no     | no       | A only    | A only
    ledger.tenant.action_run_drift             | A / B  | no     | no       | no        | A only
    ledger.drift.line.action_ignore / _repush / _link / _pull | A / B | no | no | no  | A only
    read ledger.drift.line, dashboard figures  | A / B  | no     | no       | A only    | A only
    read ledger_sync_message, shared partner   | A + B  | refused| nothing  | A's only  | A's only
    read ledger_sync_message, partner of B     | B      | refused| refused  | refused   | refused

An organisation with no company yet (C, connected by A's manager) against the same roles plus a
Xero manager of company B and a second Xero manager of A (admin: a system administrator):

    method                                   | portal | internal | Xero user | A's manager | other managers | admin
    -----------------------------------------+--------+----------+-----------+-------------+----------------+------
    ledger.tenant read / search                | no     | no       | no        | yes         | no             | yes
    ledger.tenant.write (company_id = own)     | no     | no       | no        | yes         | no             | -
    ledger.tenant.action_test_connection       | no     | no       | no        | yes         | no             | -
    ledger.link / ledger.item / log / event read | no     | no       | no        | yes         | no             | yes
    request log of its consent (token, /connections) | its company's (A) Xero managers
    consent at Xero by B's manager / A's 2nd manager | leaves A's and C's as they were
"""

import json

from odoo import Command, http
from odoo.tests import tagged
from odoo.tests.common import JsonRpcException

from harness import seed
from harness.testing import approve_consent

from .common import ORG_A, ORG_B, XeroHarnessCase

ORG_C = "3e8a1f6d-2b7c-4d5e-9f0a-6b1c2d3e4f50"

ROLES = ("portal", "internal", "user", "manager")
ACCESS_ERROR = "odoo.exceptions.AccessError"
NOBODY = {}
MANAGER = {"manager"}
XERO = {"user", "manager"}


@tagged("post_install", "-at_install")
class TestAccessMatrix(XeroHarnessCase):

    def setUp(self):
        super().setUp()
        self.company_a = self.env.ref("base.main_company")
        self.company_b = self.env["res.company"].create({"name": "Company B"})
        # one authorisation per organisation: revoking A's must not touch B
        self.tenant_a = self.connect([ORG_A]).filtered(lambda t: t.remote_id == ORG_A)
        self.tenant_b = self.connect([ORG_B]).filtered(lambda t: t.remote_id == ORG_B)
        self.tenant_a.company_id = self.company_a
        self.tenant_b.company_id = self.company_b
        self.assertNotEqual(self.tenant_a.connection_id, self.tenant_b.connection_id)
        self.tenant_a._call("GET", "Organisation", operation="organisation")
        self.tenant_b._call("GET", "Organisation", operation="organisation")
        Log = self.env["ledger.request.log"]
        self.log_a = Log.search([("tenant_id", "=", self.tenant_a.id), ("operation", "=", "organisation")], limit=1)
        self.log_b = Log.search([("tenant_id", "=", self.tenant_b.id), ("operation", "=", "organisation")], limit=1)
        groups = {
            "portal": ["base.group_portal"],
            "internal": ["base.group_user", "account.group_account_invoice"],
            "user": ["base.group_user", "account.group_account_invoice", "psa_ledger.group_ledger_user"],
            "manager": ["base.group_user", "account.group_account_invoice",
                        "psa_ledger.group_ledger_manager"],
        }
        self.users = {role: self.env["res.users"].create({
            "name": "%s of A" % role, "login": "access_%s" % role, "password": "access_%s" % role,
            "company_id": self.company_a.id, "company_ids": [Command.set(self.company_a.ids)],
            "groups_id": [Command.set([self.env.ref(xmlid).id for xmlid in xmlids])]})
            for role, xmlids in groups.items()}
        self.logged_in = None

    # --- calling as each role -----------------------------------------------------------------------
    def rpc(self, role, model, method, args, kwargs=None):
        if self.logged_in != role:
            self.authenticate("access_%s" % role, "access_%s" % role)
            self.logged_in = role
        kwargs = dict(kwargs or {}, context={"allowed_company_ids": self.users[role].company_id.ids})
        return self.make_jsonrpc_request("/web/dataset/call_kw/%s/%s" % (model, method), {
            "model": model, "method": method, "args": args, "kwargs": kwargs})

    def check(self, label, call, allowed, state=None, effect=None, roles=ROLES):
        """Call ``call(role)`` as each role. Refused: AccessError and ``state()`` unchanged.
        Allowed: ``effect(result)`` holds (asserts inside). Refused roles run first, so that
        one allowed call does not change what the next role finds."""
        for role in sorted(roles, key=lambda r: r in allowed):
            with self.subTest(label, role=role):
                before = state() if state else None
                if role in allowed:
                    result = call(role)
                    self.env.invalidate_all()
                    if effect:
                        effect(result)
                else:
                    with self.assertRaises(JsonRpcException, msg="%s as %s" % (label, role)) as caught:
                        call(role)
                    self.assertEqual(caught.exception.args[0], ACCESS_ERROR, "%s as %s" % (label, role))
                    self.env.invalidate_all()
                    if state:
                        self.assertEqual(state(), before, "%s as %s changed something" % (label, role))

    def tenant_call(self, method, tenant, allowed, effect=None, state=None):
        state = state or (lambda: tenant.read(["state", "last_error", "base_currency"])
                          + [self.env["ledger.request.log"].search_count([])])
        self.check("ledger.tenant.%s on %s" % (method, tenant.name),
                   lambda role: self.rpc(role, "ledger.tenant", method, [tenant.ids]), allowed, state, effect)

    # --- authorisations and organisations ------------------------------------------------------------
    def test_revoke(self):
        conn_a, conn_b = self.tenant_a.connection_id, self.tenant_b.connection_id

        def state(conn):
            return lambda: (conn.state, conn.tenant_ids.mapped("state"))

        def revoked(conn):
            def effect(_result):
                self.assertEqual(conn.state, "revoked")
                self.assertEqual(set(conn.tenant_ids.mapped("state")), {"disconnected"})
            return effect
        self.check("revoke B's", lambda role: self.rpc(role, "ledger.connection", "action_revoke", [conn_b.ids]),
                   NOBODY, state(conn_b))
        self.check("revoke A's", lambda role: self.rpc(role, "ledger.connection", "action_revoke", [conn_a.ids]),
                   MANAGER, state(conn_a), revoked(conn_a))
        self.assertEqual(self.tenant_b.state, "connected")

    def test_revoke_shared_authorisation(self):
        """One authorisation for both organisations (one consent ticking both): revoking it
        would cut B off, so A's manager may not."""
        # an administrator of both companies: their consent may take both organisations
        self.env.ref("base.user_admin").company_ids = [Command.link(self.company_b.id)]
        tenants = self.connect()
        conn = tenants.connection_id
        self.assertEqual(len(conn), 1)
        self.assertEqual(tenants.company_id, self.company_a | self.company_b)
        self.check("revoke shared", lambda role: self.rpc(role, "ledger.connection", "action_revoke", [conn.ids]),
                   NOBODY, lambda: (conn.state, tenants.mapped("state")))

    def test_disconnect(self):
        self.tenant_call("action_disconnect", self.tenant_b, NOBODY)

        def effect(_result):
            self.assertEqual(self.tenant_a.state, "disconnected")
        self.tenant_call("action_disconnect", self.tenant_a, MANAGER, effect)
        self.assertEqual(self.tenant_b.state, "connected")

    def test_test_connection(self):
        self.tenant_call("action_test_connection", self.tenant_b, NOBODY)
        logs = self.env["ledger.request.log"].search_count([("tenant_id", "=", self.tenant_a.id)])

        def effect(result):
            self.assertEqual(result["params"]["type"], "success")
            self.assertEqual(self.env["ledger.request.log"].search_count([("tenant_id", "=", self.tenant_a.id)]),
                             logs + 2)  # GET Organisation, GET Currencies
        self.tenant_call("action_test_connection", self.tenant_a, MANAGER, effect)

    def test_actions_returning_views(self):
        def returns(model, **values):
            def effect(result):
                self.assertEqual(result["res_model"], model)
                for key, value in values.items():
                    self.assertEqual(result[key], value)
            return effect
        for tenant in (self.tenant_b, self.tenant_a):
            mine = tenant == self.tenant_a
            self.tenant_call("action_open_import", tenant, MANAGER if mine else NOBODY, returns(
                "ledger.import.wizard", context={"default_tenant_id": tenant.id}))
            self.tenant_call("action_view_request_log", tenant, XERO if mine else NOBODY, returns(
                "ledger.request.log", domain=[["tenant_id", "=", tenant.id]]))
            self.tenant_call("action_view_events", tenant, XERO if mine else NOBODY, returns(
                "ledger.event", domain=[["tenant_id", "=", tenant.id]]))
            self.tenant_call("action_reconnect", tenant, MANAGER if mine else NOBODY,
                             lambda result: self.assertEqual(result["type"], "ir.actions.act_url"))
        self.check("settings → tenants",
                   lambda role: self.rpc(role, "res.config.settings", "action_xero_tenants", [[]]), XERO,
                   effect=returns("ledger.tenant"))

    def test_dashboard_and_drift_report(self):
        def returns(model, domain):
            def effect(result):
                self.assertEqual((result["res_model"], result["domain"]), (model, domain))
            return effect
        for tenant in (self.tenant_b, self.tenant_a):
            mine = tenant == self.tenant_a
            self.tenant_call("action_view_drift", tenant, XERO if mine else NOBODY, returns(
                "ledger.drift.line", [["tenant_id", "=", tenant.id]]))
            self.tenant_call("action_dash_errors", tenant, XERO if mine else NOBODY, returns(
                "ledger.outbox", [["tenant_id", "=", tenant.id], ["state", "in", ["error"]]]))
            self.check("dashboard figures of %s" % tenant.name, lambda role, tenant=tenant: self.rpc(
                role, "ledger.tenant", "read", [tenant.ids, ["dash_queued", "dash_drift_open"]]),
                XERO if mine else NOBODY)
        Line = self.env["ledger.drift.line"]
        lines = {tenant: Line.create({"tenant_id": tenant.id, "kind": "missing_odoo", "number": "X-%s" % tenant.id,
                                      "remote_id": "x-%s" % tenant.id, "entity": "invoice"})
                 for tenant in (self.tenant_a, self.tenant_b)}
        for tenant, line in sorted(lines.items(), key=lambda kv: kv[0] == self.tenant_a):
            mine = tenant == self.tenant_a
            self.check("read drift line of %s" % tenant.name, lambda role, line=line: self.rpc(
                role, "ledger.drift.line", "read", [line.ids, ["kind"]]), XERO if mine else NOBODY)
            self.check("ignore drift line of %s" % tenant.name, lambda role, line=line: self.rpc(
                role, "ledger.drift.line", "action_ignore", [line.ids]), MANAGER if mine else NOBODY,
                state=lambda line=line: line.read(["state"]),
                effect=lambda _r, line=line: self.assertEqual(line.state, "ignored"))
            for method in ("action_repush", "action_link", "action_pull"):
                if not mine:  # on A's line a manager gets the action's own refusal (nothing to do), not this
                    self.check("%s on %s" % (method, tenant.name), lambda role, line=line, method=method: self.rpc(
                        role, "ledger.drift.line", method, [line.ids]), NOBODY,
                        state=lambda line=line: line.read(["state"]))
        # B's organisation is never compared by A's manager; A's is
        self.tenant_call("action_run_drift", self.tenant_b, NOBODY)
        self.tenant_call("action_run_drift", self.tenant_a, MANAGER, state=lambda: [
            self.tenant_a.drift_checked_at, self.env["ledger.request.log"].search_count([])],
            effect=lambda result: self.assertEqual(result["res_model"], "ledger.drift.line"))

    def test_check_xero_now(self):
        self.tenant_call("action_check_xero_now", self.tenant_b, NOBODY,
                         state=lambda: self.tenant_b.read(["poll_since"]))

        def effect(result):
            self.assertEqual(result["params"]["type"], "success", result)
            self.assertTrue(self.tenant_a.poll_since)
        self.tenant_call("action_check_xero_now", self.tenant_a, MANAGER, effect,
                         state=lambda: self.tenant_a.read(["poll_since"]))

    def test_tenant_write(self):
        def write(tenant, vals):
            return lambda role: self.rpc(role, "ledger.tenant", "write", [tenant.ids, vals])
        for tenant in (self.tenant_b, self.tenant_a):
            fields = ["notify_success", "state", "last_error", "company_id", "connection_id"]
            state = lambda t=tenant, fields=fields: t.read(fields)  # noqa: E731
            self.check("set a switch of %s" % tenant.name, write(tenant, {"notify_success": True}),
                       MANAGER if tenant == self.tenant_a else NOBODY, state,
                       lambda _r, t=tenant: self.assertTrue(t.notify_success))
            self.check("set Xero's state of %s" % tenant.name, write(tenant, {"state": "connected", "last_error": "x"}),
                       NOBODY, state)
        self.check("give A's organisation to B", write(self.tenant_a, {"company_id": self.company_b.id}), NOBODY,
                   lambda: self.tenant_a.company_id)

    def test_link_and_catalog_stay_with_their_organisation(self):
        """Rules check a row before it is written, not the organisation it is moved to."""
        partner = self.env["res.partner"].create({"name": "Linked", "company_id": False})
        link = self.env["ledger.link"].create({"tenant_id": self.tenant_a.id, "res_model": "res.partner",
                                             "res_id": partner.id, "remote_id": "c-1"})
        item = self.env["ledger.item"].create({"tenant_id": self.tenant_a.id, "item_id": "i-1", "code": "X",
                                             "name": "X"})
        category = self.env["ledger.tracking.category"].create({"tenant_id": self.tenant_a.id, "name": "Region",
                                                              "tracking_category_id": "t-1"})
        new_rows = {"ledger.link": {"res_model": "res.partner", "res_id": partner.id, "remote_id": "c-2"},
                    "ledger.item": {"item_id": "i-2", "code": "Y", "name": "Y"},
                    "ledger.tracking.category": {"tracking_category_id": "t-2", "name": "Area"}}
        for record in (link, item, category):
            def in_b(r=record):
                return r.tenant_id, self.env[r._name].search_count([("tenant_id", "=", self.tenant_b.id)])
            self.check("move a %s to B's organisation" % record._name,
                       lambda role, r=record: self.rpc(role, r._name, "write",
                                                       [r.ids, {"tenant_id": self.tenant_b.id}]),
                       NOBODY, in_b)
            self.check("create a %s in B's organisation" % record._name,
                       lambda role, r=record: self.rpc(role, r._name, "create",
                                                       [dict(new_rows[r._name], tenant_id=self.tenant_b.id)]),
                       NOBODY, in_b)

    # --- the request log ------------------------------------------------------------------------------
    def test_request_log(self):
        Log = self.env["ledger.request.log"]
        for log in (self.log_b, self.log_a):
            mine = log == self.log_a
            state = lambda row=log: (row.read(["error_message", "url", "method"]), Log.search_count([]))  # noqa: E731

            def retried(_result, row=log):
                retry = Log.search([("retry_of_id", "=", row.id)])
                self.assertEqual(len(retry), 1)
                self.assertEqual((retry.method, retry.url, retry.tenant_id), (row.method, row.url, row.tenant_id))
            self.check("retry log of %s" % log.tenant_id.name,
                       lambda role, row=log: self.rpc(role, "ledger.request.log", "action_retry", [row.ids]),
                       MANAGER if mine else NOBODY, state, retried)
            self.check("write log of %s" % log.tenant_id.name,
                       lambda role, row=log: self.rpc(role, "ledger.request.log", "write",
                                                    [row.ids, {"method": "DELETE", "url": "https://evil.example/"}]),
                       NOBODY, state)
            self.check("unlink log of %s" % log.tenant_id.name,
                       lambda role, row=log: self.rpc(role, "ledger.request.log", "unlink", [row.ids]), NOBODY, state)
            self.check("create a log row", lambda role, row=log: self.rpc(role, "ledger.request.log", "create", [{
                "tenant_id": row.tenant_id.id, "operation": "x", "method": "DELETE", "url": row.url,
                "state": "failure"}]),
                NOBODY, state)

    def test_request_log_of_an_organisation_moved_to_b(self):
        """A row logged while the organisation had no company reads as company-less (managers
        see those); once the organisation is B's, A's manager may not resend it there."""
        self.tenant_b.company_id = False
        self.tenant_b._call("GET", "Organisation", operation="organisation")
        log = self.env["ledger.request.log"].search([("tenant_id", "=", self.tenant_b.id)], limit=1)
        self.assertFalse(log.company_id)
        self.tenant_b.company_id = self.company_b
        self.check("retry a company-less row of B's organisation",
                   lambda role: self.rpc(role, "ledger.request.log", "action_retry", [log.ids]),
                   NOBODY, lambda: self.env["ledger.request.log"].search_count([]))
        self.check("read a company-less row of B's organisation",
                   lambda role: self.rpc(role, "ledger.request.log", "read",
                                               [log.ids, ["response_body", "response_body_view"]]), NOBODY)

    def test_open_record_from_log(self):
        partner = self.env["res.partner"].create({"name": "Logged", "company_id": self.company_a.id})
        for log in (self.log_b, self.log_a):
            log.sudo().write({"res_model": "res.partner", "res_id": partner.id})
            self.check("open record of log of %s" % log.tenant_id.name,
                       lambda role, row=log: self.rpc(role, "ledger.request.log", "action_open_record", [row.ids]),
                       XERO if log == self.log_a else NOBODY,
                       effect=lambda result: self.assertEqual(result["res_id"], partner.id))

    # --- the import wizard ----------------------------------------------------------------------------
    def test_import_wizard(self):
        Wizard = self.env["ledger.import.wizard"]
        options = {"import_tax_rates": False, "import_accounts": True, "import_products": False,
                   "import_customers": False, "import_suppliers": False}

        def run(tenant):
            def call(role):
                wizard_id = self.rpc(role, "ledger.import.wizard", "create", [dict(options, tenant_id=tenant.id)])
                return self.rpc(role, "ledger.import.wizard", "action_import", [[wizard_id]])
            return call

        def imported(result):
            wizard = Wizard.browse(result["res_id"])
            self.assertEqual((wizard.state, wizard.error), ("done", False))
            self.assertTrue(self.env["ledger.account"].search_count([("tenant_id", "=", self.tenant_a.id)]))

        def state():
            return Wizard.search_count([]), self.env["ledger.account"].search_count([])
        self.check("import into B's organisation", run(self.tenant_b), NOBODY, state)
        self.check("import into A's organisation", run(self.tenant_a), MANAGER, state, imported)
        # a wizard made on A's organisation cannot be pointed at B's afterwards
        wizard = Wizard.with_user(self.users["manager"]).create(dict(options, tenant_id=self.tenant_a.id))
        self.check("point a wizard at B's organisation",
                   lambda role: self.rpc(role, "ledger.import.wizard", "write",
                                         [wizard.ids, {"tenant_id": self.tenant_b.id}]),
                   NOBODY, lambda: wizard.tenant_id)

    # --- the sync queues -----------------------------------------------------------------------------
    def outbox_row(self, record, tenant, message):
        return self.env["ledger.outbox"].create({"tenant_id": tenant.id, "res_model": record._name, "res_id": record.id,
                                               "entity": "contact" if record._name == "res.partner" else "invoice",
                                               "state": "error", "last_error": message})

    def test_outbox_retry(self):
        partner = self.env["res.partner"].create({"name": "Queued"})
        for tenant in (self.tenant_b, self.tenant_a):
            row = self.outbox_row(partner, tenant, "failed")
            self.check("outbox retry of %s" % tenant.name,
                       lambda role, r=row: self.rpc(role, "ledger.outbox", "action_retry", [r.ids]),
                       MANAGER if tenant == self.tenant_a else NOBODY, lambda r=row: r.state,
                       lambda _result, r=row: self.assertEqual(r.state, "queued"))

    def test_event_retry(self):
        for tenant in (self.tenant_b, self.tenant_a):
            event = self.env["ledger.event"].create({
                "tenant_id": tenant.id, "remote_tenant_id": tenant.remote_id, "category": "INVOICE",
                "event_type": "UPDATE", "resource_id": "inv-%s" % tenant.id, "event_date": "2026-11-08T10:00:00.000",
                "state": "error", "attempts": 10})
            self.check("event retry of %s" % tenant.name,
                       lambda role, e=event: self.rpc(role, "ledger.event", "action_retry", [e.ids]),
                       MANAGER if tenant == self.tenant_a else NOBODY, lambda e=event: (e.state, e.attempts),
                       lambda _result, e=event: self.assertEqual((e.state, e.attempts), ("pending", 0)))

    def test_partner_retry_and_message(self):
        shared = self.env["res.partner"].create({"name": "Shared customer", "company_id": False})
        row_a = self.outbox_row(shared, self.tenant_a, "A's organisation said no")
        row_b = self.outbox_row(shared, self.tenant_b, "B's organisation said no")
        partner_b = self.env["res.partner"].create({"name": "B's customer", "company_id": self.company_b.id})
        row_b_own = self.outbox_row(partner_b, self.tenant_b, "B's organisation said no")
        rows = row_a | row_b | row_b_own

        def read(partner):
            def call(role):
                return self.rpc(role, "res.partner", "read", [partner.ids, ["ledger_sync_state",
                        "ledger_sync_message"]])
            return call

        def sees_a_only(result):
            self.assertEqual(result[0]["ledger_sync_state"], "error")
            self.assertIn("A's organisation said no", result[0]["ledger_sync_message"])
            self.assertNotIn(self.tenant_b.name, result[0]["ledger_sync_message"])
            self.assertNotIn("B's organisation", result[0]["ledger_sync_message"])
        # the portal user may not read the partner at all; the internal user reads no Xero status
        self.check("read Xero status of a shared partner", read(shared), XERO, effect=sees_a_only,
                   roles=("portal", "user", "manager"))
        with self.subTest("internal user sees no Xero status"):
            self.authenticate("access_internal", "access_internal")
            self.logged_in = "internal"
            result = read(shared)("internal")
            self.assertEqual((result[0]["ledger_sync_state"], result[0]["ledger_sync_message"]), ("none", False))
        self.check("read Xero status of B's partner", read(partner_b), NOBODY)
        self.check("retry B's partner",
                   lambda role: self.rpc(role, "res.partner", "action_xero_retry", [partner_b.ids]),
                   NOBODY, lambda: rows.mapped("state"))

        def only_a_retried(_result):
            self.assertEqual(rows.mapped("state"), ["queued", "error", "error"])
        self.check("retry the shared partner", lambda role: self.rpc(role, "res.partner", "action_xero_retry",
                                                                     [shared.ids]),
                   MANAGER, lambda: rows.mapped("state"), only_a_retried)

    def test_invoice_retry(self):
        self.env["account.chart.template"].try_loading("generic_coa", company=self.company_b, install_demo=False)
        moves = {}
        for company in (self.company_b, self.company_a):
            partner = self.env["res.partner"].create({"name": "Customer of %s" % company.name,
                                                      "company_id": company.id})
            moves[company] = self.env["account.move"].with_company(company).create({
                "move_type": "out_invoice", "partner_id": partner.id, "company_id": company.id,
                "invoice_line_ids": [Command.create({"name": "Support", "quantity": 1, "price_unit": 100})]})
        rows = {company: self.outbox_row(move, tenant, "no") for (company, move), tenant in
                zip(moves.items(), (self.tenant_b, self.tenant_a), strict=True)}
        for company, move in moves.items():
            row = rows[company]
            self.check("retry invoice of %s" % company.name,
                       lambda role, m=move: self.rpc(role, "account.move", "action_xero_retry", [m.ids]),
                       MANAGER if company == self.company_a else NOBODY, lambda r=row: r.state,
                       lambda _result, r=row: self.assertEqual(r.state, "queued"))

    # --- an organisation with no company: its connecting manager's ----------------------------------
    def other_managers(self):
        """A Xero manager of company B and a second one of A."""
        manager_group = self.env.ref("psa_ledger.group_ledger_manager")
        for role, company in (("manager_b", self.company_b), ("manager_a2", self.company_a)):
            self.users[role] = self.env["res.users"].create({
                "name": role, "login": "access_%s" % role, "password": "access_%s" % role,
                "company_id": company.id, "company_ids": [Command.set(company.ids)],
                "groups_id": [Command.set([self.env.ref("base.group_user").id, manager_group.id])]})
        return ("manager_b", "manager_a2")

    def connect_as(self, role, orgs):
        """The connect flow walked by ``role``. -> the callback's answer."""
        self.logged_in = None
        resp = self.finish_connect(approve_consent(self.start_connect("access_%s" % role), orgs))
        self.logged_in = role
        return resp

    def test_unassigned_organisation_is_its_connecting_managers(self):
        others = self.other_managers()
        seed.organisation(self.harness.app, "Fabrikam Support", ORG_C)
        # A's manager connects C; A has an organisation already, so C stays without a company
        resp = self.connect_as("manager", [ORG_C])
        self.assertIn(resp.status_code, (302, 303), resp.text[:500])
        Tenant, Log = self.env["ledger.tenant"], self.env["ledger.request.log"]
        tenant_c = Tenant.search([("remote_id", "=", ORG_C)])
        self.assertFalse(tenant_c.company_id)
        self.assertEqual(tenant_c.connection_id.user_id, self.users["manager"])
        link = self.env["ledger.link"].create({"tenant_id": tenant_c.id, "res_model": "res.partner",
                                             "res_id": self.users["manager"].partner_id.id, "remote_id": "c-9"})
        item = self.env["ledger.item"].create({"tenant_id": tenant_c.id, "item_id": "i-9", "code": "C", "name": "C"})
        event = self.env["ledger.event"].create({
            "tenant_id": tenant_c.id, "remote_tenant_id": ORG_C, "category": "INVOICE", "event_type": "UPDATE",
            "resource_id": "inv-c", "event_date": "2026-11-08T10:00:00.000", "state": "error"})
        log = Log.search([("tenant_id", "=", tenant_c.id)], limit=1)
        self.assertTrue(log, "the callback read C's lock dates")
        roles = ROLES + others
        owner = {"manager"}
        self.check("read C", lambda role: self.rpc(role, "ledger.tenant", "read", [tenant_c.ids, ["name"]]),
                   owner, roles=roles)
        for record, fields in ((link, ["remote_id"]), (item, ["code"]), (log, ["response_body"]),
                               (event, ["state"])):
            self.check("read C's %s" % record._name, lambda role, r=record, f=fields: self.rpc(
                role, r._name, "read", [r.ids, f]), owner, roles=roles)
        for role in ("user", "manager") + others:
            with self.subTest("search", role=role):
                found = self.rpc(role, "ledger.tenant", "search_read", [[], ["remote_id"]])
                self.assertEqual(ORG_C in [t["remote_id"] for t in found], role == "manager")
                found = self.rpc(role, "ledger.request.log", "search_read", [[("tenant_id", "!=", False)], ["id"]])
                self.assertEqual(log.id in [row["id"] for row in found], role == "manager")
        # another company's manager cannot take it for their company, nor work through it
        self.check("give C to B", lambda role: self.rpc(role, "ledger.tenant", "write", [
            tenant_c.ids, {"company_id": self.users[role].company_id.id}]), NOBODY,
            lambda: (tenant_c.company_id, tenant_c.notify_success), roles=("manager_b",))
        self.check("test C's connection", lambda role: self.rpc(role, "ledger.tenant", "action_test_connection",
                                                               [tenant_c.ids]),
                   owner, lambda: Log.search_count([("tenant_id", "=", tenant_c.id)]), roles=("manager",) + others,
                   effect=lambda result: self.assertEqual(result["params"]["type"], "success", result))
        # system administrators see it too
        admin = self.env.ref("base.user_admin")
        self.assertIn(tenant_c, Tenant.with_user(admin).search([]))
        self.assertIn(log, Log.with_user(admin).search([("tenant_id", "=", tenant_c.id)]))
        # the consent's token and /connections rows are its manager's company's
        rows = Log.search([("operation", "in", ("token", "connections")),
                           ("create_uid", "=", self.users["manager"].id)])
        self.assertEqual(set(rows.mapped("operation")), {"token", "connections"})
        self.assertEqual(rows.company_id, self.company_a)
        for role in others:
            visible = Log.with_user(self.users[role]).with_company(self.users[role].company_id).search([
                ("id", "in", rows.ids)])
            self.assertEqual(bool(visible), role == "manager_a2", role)
        # its own manager works with it
        tenant_c.with_user(self.users["manager"]).write({"notify_success": True})
        self.assertTrue(tenant_c.notify_success)

    def test_consent_never_takes_another_companys_organisation(self):
        self.other_managers()
        conn_a = self.tenant_a.connection_id
        self.tenant_a.action_disconnect()  # A's company disconnected it
        Log = self.env["ledger.request.log"]
        before = Log.search([]).ids
        # B's manager can reach A's organisation at Xero: their consent leaves it as A left it
        resp = self.connect_as("manager_b", [ORG_A])
        self.assertEqual(resp.status_code, 200)
        self.assertIn("another company", resp.text)
        self.assertEqual((self.tenant_a.connection_id, self.tenant_a.state, self.tenant_a.company_id),
                         (conn_a, "disconnected", self.company_a))
        seen = [t["id"] for t in self.rpc("manager_b", "ledger.tenant", "search_read", [[], ["id"]])]
        self.assertNotIn(self.tenant_a.id, seen)
        rows = Log.search([("id", "not in", before), ("operation", "in", ("token", "connections"))])
        self.assertEqual(set(rows.mapped("operation")), {"token", "connections"})
        self.assertEqual(rows.company_id, self.company_b, "B's manager's calls are B's")
        self.check("read the consent's log rows", lambda role: self.rpc(role, "ledger.request.log", "read", [
            rows.ids, ["operation"]]), {"manager_b"}, roles=("manager", "manager_b", "manager_a2"))
        # an organisation A's company archived is not woken by A's own consent
        self.tenant_b.write({"company_id": False})
        self.tenant_a.with_user(self.users["manager"]).write({"active": False})
        resp = self.connect_as("manager", [ORG_A])
        self.assertIn("archived", resp.text)
        self.assertEqual((self.tenant_a.active, self.tenant_a.state, self.tenant_a.connection_id),
                         (False, "disconnected", conn_a))
        # an unassigned organisation stays with the manager who connected it (here admin)
        conn_b = self.tenant_b.connection_id
        resp = self.connect_as("manager_a2", [ORG_B])
        self.assertIn("another manager", resp.text)
        self.assertEqual((self.tenant_b.connection_id, self.tenant_b.company_id), (conn_b, self.env["res.company"]))

    # --- who is told about a failure -----------------------------------------------------------------
    def popups(self):
        """-> {partner id: [messages]} of the Xero popups sent so far."""
        self.env.cr.precommit.run()  # bus messages are written when the transaction commits
        found = {}
        for bus in self.env["bus.bus"].sudo().search([], order="id"):
            message = json.loads(bus.message)
            if message["type"] == "simple_notification" and message["payload"].get("title") == "Xero":
                found.setdefault(json.loads(bus.channel)[-1], []).append(message["payload"]["message"])
        return found

    def test_failure_on_a_shared_partner_is_told_to_its_organisations_company_only(self):
        self.users["user_b"] = self.env["res.users"].create({
            "name": "user of B", "login": "access_user_b", "password": "access_user_b",
            "company_id": self.company_b.id, "company_ids": [Command.set(self.company_b.ids)],
            "groups_id": [Command.set([self.env.ref(x).id for x in (
                "base.group_user", "base.group_partner_manager", "account.group_account_invoice",
                "psa_ledger.group_ledger_user")])]})
        self.users["manager"].groups_id = [Command.link(self.env.ref("base.group_partner_manager").id)]
        self.tenant_a.sync_customers = True  # the one organisation syncing customers: shared ones go there
        # no e-mail: A's organisation cannot take it (a pre-send refusal, as Xero would refuse it)
        shared = self.env["res.partner"].create({"name": "Shared Ltd", "is_company": True, "company_id": False,
                                                 "customer_rank": 1})
        Outbox = self.env["ledger.outbox"]
        Outbox._cron_process(commit=False)
        self.env["bus.bus"].sudo().search([]).unlink()
        # B's user edits the shared customer: A's organisation refuses it again
        self.rpc("user_b", "res.partner", "write", [shared.ids, {"phone": "+44 20 7946 0000"}])
        Outbox._cron_process(commit=False)
        row = Outbox.search([("res_model", "=", "res.partner"), ("res_id", "=", shared.id)])
        self.assertEqual((row.tenant_id, row.state, row.last_error),
                         (self.tenant_a, "error", "Contact missing email address"))
        self.assertEqual(shared.write_uid, self.users["user_b"])
        messages = self.rpc("user_b", "mail.message", "search_read", [
            [("model", "=", "res.partner"), ("res_id", "=", shared.id)], ["body"]])
        self.assertFalse([m for m in messages if self.tenant_a.name in m["body"] or "Xero" in m["body"]], messages)
        self.assertFalse(self.popups(), "no popup to B's user about A's organisation")
        self.check("B's user reads the row", lambda role: self.rpc(role, "ledger.outbox", "read", [
            row.ids, ["last_error"]]), NOBODY, roles=("user_b",))
        # A's manager saves it: told at once, and reads the row
        self.rpc("manager", "res.partner", "write", [shared.ids, {"phone": "+44 20 7946 0001"}])
        Outbox._cron_process(commit=False)
        self.assertEqual(list(self.popups()), [self.users["manager"].partner_id.id])
        self.check("A's manager reads the row", lambda role: self.rpc(role, "ledger.outbox", "read", [
            row.ids, ["last_error"]]), MANAGER, roles=("manager",),
            effect=lambda result: self.assertEqual(result[0]["last_error"], "Contact missing email address"))
        self.assertFalse(shared.message_ids.filtered(lambda m: "Xero" in str(m.body)), "no note any company reads")

    def test_portal_user_editing_their_address_gets_no_popup(self):
        portal = self.users["portal"]
        # one name only: A's organisation refuses the contact (no first and last name to bill)
        portal.partner_id.write({"name": "Cher", "email": "cher@example.com", "company_id": False,
                                 "customer_rank": 1})
        self.tenant_a.sync_customers = True
        Outbox = self.env["ledger.outbox"]
        Outbox._cron_process(commit=False)
        self.env["bus.bus"].sudo().search([]).unlink()
        self.authenticate("access_portal", "access_portal")
        self.logged_in = "portal"
        resp = self.url_open("/my/account", data={
            "name": "Cher", "email": "cher@example.com", "phone": "+44 20 7946 0002", "street": "1 New Street",
            "city": "London", "zipcode": "N1 1AA", "country_id": self.env.ref("base.uk").id,
            "csrf_token": http.Request.csrf_token(self)}, allow_redirects=False)
        self.assertIn(resp.status_code, (302, 303), resp.text[:500])
        self.assertEqual((portal.partner_id.street, portal.partner_id.write_uid), ("1 New Street", portal))
        Outbox._cron_process(commit=False)
        row = Outbox.search([("res_model", "=", "res.partner"), ("res_id", "=", portal.partner_id.id)])
        self.assertEqual(row.state, "error")
        self.assertIn("first or last name", row.last_error)
        self.assertFalse(self.popups(), "nothing pops up to the portal user")

    # --- fields only Xero sets ------------------------------------------------------------------------
    def test_fields_only_xero_sets_are_refused_over_rpc(self):
        self.users["accountant"] = self.env["res.users"].create({
            "name": "accountant of A", "login": "access_accountant", "password": "access_accountant",
            "company_id": self.company_a.id, "company_ids": [Command.set(self.company_a.ids)],
            "groups_id": [Command.set([self.env.ref(x).id for x in (
                "base.group_user", "account.group_account_manager", "psa_ledger.group_ledger_manager")])]})
        partner = self.env["res.partner"].create({"name": "Pays Online", "company_id": self.company_a.id})
        move = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": partner.id, "company_id": self.company_a.id,
            "invoice_line_ids": [Command.create({"name": "Support", "quantity": 1, "price_unit": 100})]})
        link = self.env["ledger.link"].create({"tenant_id": self.tenant_a.id, "res_model": "account.move",
                                             "res_id": move.id, "remote_id": "inv-1", "remote_status": "DRAFT"})
        roles = ROLES + ("accountant",)
        forged = "https://evil.example/pay"

        def state():
            return move.read(["xero_online_invoice_url", "ledger_voided", "ref"]), link.read(["remote_status"])
        self.check("write a forged online invoice link", lambda role: self.rpc(
            role, "account.move", "write", [move.ids, {"xero_online_invoice_url": forged}]), NOBODY, state,
            roles=roles)
        self.check("flag voided in Xero", lambda role: self.rpc(
            role, "account.move", "write", [move.ids, {"ledger_voided": True, "ref": "x"}]), NOBODY, state, roles=roles)
        self.check("create an invoice with an online link", lambda role: self.rpc(role, "account.move", "create", [{
            "move_type": "out_invoice", "partner_id": partner.id, "xero_online_invoice_url": forged}]), NOBODY,
            lambda: self.env["account.move"].search_count([("xero_online_invoice_url", "!=", False)]), roles=roles)
        self.check("set Xero's status on a link", lambda role: self.rpc(
            role, "ledger.link", "write", [link.ids, {"remote_status": "AUTHORISED"}]), NOBODY, state, roles=roles)
        with self.subTest("the refusal says why"):
            self.authenticate("access_accountant", "access_accountant")
            self.logged_in = "accountant"
            answer = self.url_open("/web/dataset/call_kw/account.move/write", data=json.dumps({
                "jsonrpc": "2.0", "method": "call", "params": {
                    "model": "account.move", "method": "write", "args": [move.ids, {"xero_online_invoice_url": forged}],
                    "kwargs": {}}}), headers={"Content-Type": "application/json"}).json()
            self.assertEqual(answer["error"]["data"]["message"],
                             "These fields are set by the ledger, not by hand: "
                             "xero_online_invoice_url (Journal Entry).")
        # the same users still edit the rest; the connector's code (sudo) sets Xero's fields
        self.rpc("accountant", "account.move", "write", [move.ids, {"ref": "PO-7"}])
        self.assertEqual(move.ref, "PO-7")
        move.sudo().write({"xero_online_invoice_url": "https://in.xero.com/abc"})
        self.assertEqual(move.xero_online_invoice_url, "https://in.xero.com/abc")
