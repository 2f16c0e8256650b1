"""Two event workers applying one organisation's events at once (issue #14): each on its own
database connection, committing as the cron does, events of the same invoices claimed by both
— every Xero payment is registered exactly once and every invoice's residual is right."""

import threading
import time
import uuid
from unittest.mock import patch

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.modules.registry import Registry
from odoo.tests import TransactionCase, tagged

from odoo.addons.psa_ledger.models import ledger_inbound

from harness.testing import Admin

from .. import const
from .common import CLIENT_ID, CLIENT_SECRET, ORG_A, start_connected_harness

INVOICES = 12
SPARE = 4  # invoices of the stale-view tests, one each
PAYMENTS = (40.0, 30.0)  # two partial payments of 100.00 each: 30.00 left open


@tagged("post_install", "-at_install")
class TestTwoEventWorkers(TransactionCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.token = start_connected_harness(cls)
        tenant_id, cls.move_ids, cls.spare_ids = cls.committed(cls.setup_books)
        cls.tenant_id = tenant_id

        def cleanup(env):
            # committed data: the other tests expect no event, log or organisation of this one
            env["ledger.event"].search([("tenant_id", "=", tenant_id)]).unlink()
            env["ledger.request.log"].search([("tenant_id", "=", tenant_id)]).unlink()
            tenant = env["ledger.tenant"].browse(tenant_id)
            connection = tenant.connection_id
            tenant.unlink()  # its links go with it; an archived one would still hold organisation A
            connection.unlink()
        cls.addClassCleanup(cls.committed, cleanup)
        cls.committed(cls.send)
        cls.xero_ids = cls.committed(lambda env: {link.res_id: link.remote_id for link in env["ledger.link"].search([
            ("res_model", "=", "account.move"), ("res_id", "in", cls.move_ids + cls.spare_ids)])})
        cls.admin = Admin(cls.harness.url)

    @classmethod
    def committed(cls, fn):
        with cls.registry.cursor() as cr:
            return fn(api.Environment(cr, SUPERUSER_ID, {}))

    @classmethod
    def setup_books(cls, env):
        """A company of its own (committed data stays out of the other tests' company), connected
        to organisation A, with INVOICES + SPARE posted invoices of 100.00."""
        url = cls.harness.url
        for key, value in {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                           "token_url": url + "/identity/connect/token", "connections_url": url + "/connections",
                           "api_url": url + "/api.xro/2.0"}.items():
            env["ir.config_parameter"].set_param(const.PARAM_PREFIX + key, value)
        gbp = env.ref("base.GBP")
        gbp.active = True
        # committed and kept (a company is not deleted with its books): a name of its own each run
        company = env["res.company"].create({"name": "Two Workers %s" % uuid.uuid4().hex[:8], "currency_id": gbp.id})
        env["account.chart.template"].try_loading("generic_coa", company=company, install_demo=False)
        company.currency_id = gbp  # the chart sets its own; the organisation's base currency is GBP
        env = env(context={"allowed_company_ids": company.ids})
        connection = env["ledger.connection"].create({
            "name": "two workers", "access_token": cls.token["access_token"],
            "refresh_token": cls.token["refresh_token"],
            "access_expires_at": fields.Datetime.add(fields.Datetime.now(), seconds=1700)})
        tenant = env["ledger.tenant"].create({
            "name": "Northwind", "remote_id": ORG_A, "connection_id": connection.id,
            "company_id": company.id, "sync_customers": True, "sync_invoices": True})
        env["xero.importer"]._import(tenant, ["products"])
        misc = env["ledger.item"].search([("tenant_id", "=", tenant.id), ("code", "=", "MISC")])
        tenant.catchall_invoice_item_id = misc
        partner = env["res.partner"].create({
            "name": "Tyrell Corp", "is_company": True, "company_id": company.id,
            "child_ids": [Command.create({"name": "Eldon Tyrell", "type": "invoice", "email": "et@tyrell.example"})]})
        moves = env["account.move"].create([{
            "move_type": "out_invoice", "partner_id": partner.id, "company_id": company.id,
            "invoice_date": "2026-11-10", "invoice_line_ids": [Command.create({
                "name": "Managed services", "quantity": 1, "price_unit": 100.0, "tax_ids": [Command.clear()]})]}
            for _ in range(INVOICES + SPARE)])
        moves.action_post()
        return tenant.id, moves.ids[:INVOICES], moves.ids[INVOICES:]

    @staticmethod
    def send(env):
        for _round in range(20):
            if not env["ledger.outbox"].search_count([("state", "in", ("queued", "waiting", "sending", "retry"))]):
                break
            env["ledger.outbox"]._cron_process(limit_batches=100)

    def store(self, move_ids, minutes):
        """Committed events of these invoices, one per invoice and minute (distinct events)."""
        def store(env):
            events = [{"tenant_id": ORG_A.lower(), "category": "INVOICE", "event_type": "UPDATE",
                       "resource_id": self.xero_ids[move_id], "event_date": "2026-11-27T10:%02d:00.000" % n}
                      for n in minutes for move_id in move_ids]
            Event = env["ledger.event"]
            return len(Event._store(events, Event._tenants_by_remote_id({ORG_A.lower()})))
        return self.committed(store)

    def payments_of(self, env, move_id):
        return env["ledger.link"].search([("res_model", "=", "account.payment"), ("tenant_id", "=", self.tenant_id),
                                        ("remote_parent_id", "=", self.xero_ids[move_id])])

    def test_two_workers_register_each_payment_once(self):
        if Registry._lock._is_owned():
            self.skipTest("needs worker threads, which Odoo's own test runner blocks on the registry lock")
        tenant_id, move_ids, xero_ids, admin = self.tenant_id, self.move_ids, self.xero_ids, self.admin
        payment_ids = [admin.pay(ORG_A, xero_ids[move_id], amount)["PaymentID"]
                       for amount in PAYMENTS for move_id in move_ids]
        # three events per invoice, interleaved: each worker's claim holds events of invoices the
        # other worker's claim holds too
        self.assertEqual(self.store(move_ids, range(3)), 3 * INVOICES)

        barrier = threading.Barrier(2)
        processed, errors = {0: 0, 1: 0}, []

        def worker(n):
            try:
                barrier.wait(timeout=30)
                deadline = time.monotonic() + 120  # a document changed under a unit waits 5-15 s
                while time.monotonic() < deadline:
                    with self.registry.cursor() as cr:
                        env = api.Environment(cr, SUPERUSER_ID, {})
                        done = env["ledger.event"]._cron_process(commit=True)
                        processed[n] += done
                        cr.execute("SELECT count(*) FROM ledger_event WHERE tenant_id = %s AND state = 'pending'",
                                   [tenant_id])
                        if not cr.fetchone()[0]:
                            return
                    if not done:
                        time.sleep(0.2)
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(repr(exc))

        # claims of 6 events: the 36 events go in several units, shared by the two workers
        with patch.object(ledger_inbound, "CLAIM_SIZE", 6), patch.object(ledger_inbound, "CLAIM_START", 6):
            threads = [threading.Thread(target=worker, args=(n,)) for n in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=300)
        self.assertFalse([thread for thread in threads if thread.is_alive()])
        self.assertEqual(errors, [])
        self.assertTrue(processed[0] and processed[1], "both workers applied events: %s" % processed)

        def check(env):
            events = env["ledger.event"].search([("tenant_id", "=", tenant_id),
                                               ("resource_id", "in", [xero_ids[m] for m in move_ids])])
            self.assertEqual(set(events.mapped("state")), {"done"}, events.filtered(
                lambda e: e.state != "done").mapped("message"))
            links = env["ledger.link"].search([("res_model", "=", "account.payment"), ("tenant_id", "=", tenant_id),
                                             ("remote_parent_id", "in", [xero_ids[m] for m in move_ids])])
            self.assertEqual(sorted(links.mapped("remote_id")), sorted(payment_ids), "each PaymentID linked once")
            payments = env["account.payment"].browse(links.mapped("res_id"))
            self.assertEqual(len(payments), len(payment_ids))
            self.assertFalse(payments.filtered(lambda p: p.state in ("draft", "canceled")))
            for move in env["account.move"].browse(move_ids):
                self.assertAlmostEqual(move.amount_residual, 100.0 - sum(PAYMENTS), msg=move.name)
                self.assertEqual(move.payment_state, "partial", move.name)
                self.assertEqual(len(move.matched_payment_ids), len(PAYMENTS), move.name)
        self.committed(check)

    # --- a worker whose view of the database is older than another worker's commit ------------------
    # Odoo's cursors are REPEATABLE READ: a transaction sees the database as it was at its first
    # statement. Worker B takes its view, worker A then applies a document and commits, and only
    # then does B claim events of that document: B must not apply them from its older view.

    def stale_worker(self):
        """A cursor whose view of the database is taken now (worker B), and its environment."""
        cr = self.registry.cursor()
        self.addCleanup(cr.close)
        cr.execute("SELECT 1")
        return cr, api.Environment(cr, SUPERUSER_ID, {})

    def paid_then_applied_elsewhere(self, move_id, minutes=()):
        """The invoice paid 25.00 in Xero (and events of it stored, one per minute given);
        worker B's view taken; then another path (the poll's, as a worker's) applies the
        document and commits. -> (the PaymentID, B's cursor, B's environment)"""
        payment_id = self.admin.pay(ORG_A, self.xero_ids[move_id], 25.0)["PaymentID"]
        self.assertEqual(self.store([move_id], minutes), len(minutes))
        cr_b, env_b = self.stale_worker()
        self.committed(lambda env: env["xero.inbound"]._sync_documents(
            env["ledger.tenant"].browse(self.tenant_id), "invoice", [self.xero_ids[move_id]]))
        return payment_id, cr_b, env_b

    def apply_fresh(self, env, move_id):
        """Worker B's unit: claim (proving its view current), then apply — the other worker
        applied the document already, so the one event claimed finds it in line."""
        events = env["ledger.event"]._claim_documents(env["ledger.tenant"].browse(self.tenant_id), 10, commit=True)
        self.assertEqual(events.mapped("resource_id"), [self.xero_ids[move_id]], "one event, claimed on a fresh view")
        events._process(events.tenant_id)
        self.assertEqual(events.state, "done", events.message)
        self.assertIn("already in line", events.message)

    def check_paid_once(self, move_id, payment_id, amount):
        def check(env):
            links = self.payments_of(env, move_id)
            self.assertEqual(links.mapped("remote_id"), [payment_id], "the Xero payment linked once")
            move = env["account.move"].browse(move_id)
            self.assertAlmostEqual(move.amount_residual, 100.0 - amount)
            self.assertEqual(len(move.matched_payment_ids), 1)
        self.committed(check)

    def test_claim_after_the_other_worker_committed_its_events(self):
        move_id = self.spare_ids[0]
        payment_id = self.admin.pay(ORG_A, self.xero_ids[move_id], 25.0)["PaymentID"]
        self.assertEqual(self.store([move_id], [10, 11]), 2)
        cr_b, env_b = self.stale_worker()

        def worker_a(env):  # claims the first event alone, applies it, commits
            events = env["ledger.event"]._claim_documents(env["ledger.tenant"].browse(self.tenant_id), 1, commit=True)
            self.assertEqual(len(events), 1)
            events._process(events.tenant_id)
        self.committed(worker_a)
        # B's claim meets the event A changed since B's view: refused by PostgreSQL, claimed again
        self.apply_fresh(env_b, move_id)
        cr_b.commit()
        self.check_paid_once(move_id, payment_id, 25.0)

    def test_claim_of_a_document_the_other_worker_applied(self):
        move_id = self.spare_ids[1]
        # A (here the poll's path) applies the document and commits; B's event row is untouched
        payment_id, cr_b, env_b = self.paid_then_applied_elsewhere(move_id, [20])
        # applied on a view that shows A's payment (not put off for a retry, nor failed)
        self.apply_fresh(env_b, move_id)
        cr_b.commit()
        self.check_paid_once(move_id, payment_id, 25.0)

    def test_document_changed_while_applied_is_tried_again(self):
        """The last line of defence: whatever changed the document under a unit (a user, a
        worker), the event waits for a later try instead of failing, and that try applies it."""
        move_id = self.spare_ids[2]
        payment_id, cr_b, env_b = self.paid_then_applied_elsewhere(move_id, [30])
        events = env_b["ledger.event"]._claim(env_b["ledger.tenant"].browse(self.tenant_id), 10)  # no freshness proof
        self.assertEqual(len(events), 1)
        events._process(events.tenant_id)
        self.assertEqual(events.state, "pending", events.message)
        self.assertEqual(events.attempts, 1)
        self.assertIn("changed in Odoo meanwhile", events.message)
        cr_b.commit()

        def again(env):
            event = env["ledger.event"].browse(events.id)
            event._process(event.tenant_id)
            self.assertEqual(event.state, "done", event.message)
        self.committed(again)
        self.check_paid_once(move_id, payment_id, 25.0)

    def test_poll_hands_a_document_changed_meanwhile_to_the_event_queue(self):
        move_id = self.spare_ids[3]
        remote_id = self.xero_ids[move_id]
        payment_id, cr_b, env_b = self.paid_then_applied_elsewhere(move_id)
        tenant_b = env_b["ledger.tenant"].browse(self.tenant_id)
        data, _headers = tenant_b._call("GET", "Invoices", params={"IDs": remote_id}, operation="test poll")
        applied = []
        self.assertTrue(env_b["xero.inbound"]._poll_unit(tenant_b, "invoice", data["Invoices"], False, applied))
        self.assertEqual(applied, [], "nothing applied from the old view")
        event = env_b["ledger.event"].search([("tenant_id", "=", self.tenant_id), ("resource_id", "=", remote_id)])
        self.assertEqual((event.state, event.category), ("pending", "INVOICE"), "handed to the event queue")
        cr_b.commit()

        self.committed(lambda env: self.apply_fresh(env, move_id))  # the event worker: nothing left to do
        self.check_paid_once(move_id, payment_id, 25.0)
