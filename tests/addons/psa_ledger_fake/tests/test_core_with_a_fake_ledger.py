"""The core runs the outbox, event intake and the drift report with nothing but a minimal fake
ledger (this test addon: its books are a table of this database). No Xero module is installed:
what passes here is the core's own doing."""

import json
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

ORG = "fake-org-1"


@tagged("post_install", "-at_install")
class TestCoreWithAFakeLedger(TransactionCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Outbox = cls.env["ledger.outbox"]
        cls.Event = cls.env["ledger.event"]
        cls.Books = cls.env["psa.ledger.fake.record"]
        connection = cls.env["ledger.connection"].create({"code": "fake", "user_id": cls.env.uid})
        cls.tenant = cls.env["ledger.tenant"].create({
            "name": "Fake books", "remote_id": ORG, "connection_id": connection.id,
            "company_id": cls.env.company.id, "sync_customers": True, "sync_invoices": True})

    def send(self, **context):
        self.Outbox.with_context(**context)._cron_process(commit=False)
        self.env.invalidate_all()

    def rows(self, record):
        return self.Outbox.search([("res_model", "=", record._name), ("res_id", "=", record.id)], order="id")

    def link(self, record):
        return self.env["ledger.link"].search([("tenant_id", "=", self.tenant.id), ("res_model", "=", record._name),
                                               ("res_id", "=", record.id)])

    def customer(self, name, email="ap@example.com"):
        return self.env["res.partner"].create({"name": name, "email": email, "customer_rank": 1,
                                               "company_id": self.env.company.id})

    # --- the outbox ------------------------------------------------------------------------------
    def test_a_saved_customer_reaches_the_ledger_once_and_its_edits_update_it(self):
        partner = self.customer("Acme Ltd")
        self.assertEqual(self.rows(partner).mapped("state"), ["queued"])
        self.assertEqual(self.tenant.code, "fake")
        self.send()
        self.assertEqual(self.rows(partner).mapped("state"), ["done"])
        [book] = self.Books.search([("tenant_key", "=", ORG)])
        self.assertEqual((book.name, book.email, self.link(partner).remote_id), ("Acme Ltd", "ap@example.com",
                                                                                   book.remote_id))
        self.assertEqual(partner.ledger_sync_state, "done")
        partner.name = "Acme Limited"
        self.send()
        self.assertEqual(self.Books.search([("tenant_key", "=", ORG)]).mapped("name"), ["Acme Limited"])
        self.assertEqual(self.rows(partner).mapped("state"), ["done", "done"])

    def test_a_lost_answer_is_resent_as_fixed_and_creates_nothing_twice(self):
        partner = self.customer("Lost Answer Ltd")
        with mute_logger("odoo.addons.psa_ledger.models.ledger_outbox", "odoo.addons.psa_ledger.models.ledger_queue"):
            self.send(fake_lose_answer=True)
        row = self.rows(partner)
        self.assertNotEqual(row.state, "done")  # the ledger has it, Odoo does not know yet
        self.assertTrue(row.batch_id)
        key, body = row.batch_id.idempotency_key, row.batch_id.body
        self.assertEqual(len(self.Books.search([("tenant_key", "=", ORG)])), 1)
        # time passes: the batch in doubt is due again
        past = fields.Datetime.now() - timedelta(hours=1)
        row.write({"next_try": past})
        if "next_try" in row.batch_id._fields:
            row.batch_id.write({"next_try": past})
        self.send()
        self.assertEqual(row.state, "done")
        self.assertEqual((row.batch_id.idempotency_key, row.batch_id.body), (key, body))
        [book] = self.Books.search([("tenant_key", "=", ORG)])
        self.assertEqual(self.link(partner).remote_id, book.remote_id)

    def test_a_refused_record_stays_queued_visible_with_the_ledgers_words(self):
        partner = self.customer("REFUSE me")
        self.send()
        row = self.rows(partner)
        self.assertEqual(row.state, "error")
        self.assertIn("The fake ledger refuses REFUSE me", row.last_error or row.remote_messages or "")
        self.assertEqual(partner.ledger_sync_state, "error")
        self.assertFalse(self.Books.search([("tenant_key", "=", ORG)]))
        self.assertFalse(self.link(partner))

    # --- event intake: the ledger says a document changed; the core applies its state -------------
    def test_an_event_registers_the_ledgers_payment_once(self):
        invoice = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": self.customer("Payer Ltd").id,
            "invoice_line_ids": [Command.create({"name": "Support", "quantity": 1, "price_unit": 100.0,
                                                 "tax_ids": [Command.clear()]})]})
        invoice.action_post()
        book = self.Books.create({"tenant_key": ORG, "collection": "invoices", "remote_id": "inv-fake-1",
                                  "name": invoice.name, "total": invoice.amount_total,
                                  "payments": {"pay-1": invoice.amount_total}})
        self.env["ledger.link"].create({"tenant_id": self.tenant.id, "res_model": "account.move",
                                        "res_id": invoice.id, "remote_id": book.remote_id, "remote_name": invoice.name})
        self.tenant.payment_journal_id = self.env["account.journal"].search([
            ("company_id", "=", self.env.company.id), ("type", "=", "bank")], limit=1)
        event = {"tenant_id": ORG, "category": "fake_invoice", "event_type": "UPDATE",
                 "resource_id": book.remote_id, "event_date": "2026-12-07T10:00:00.000"}
        tenants = self.Event._tenants_by_remote_id({ORG})
        self.assertEqual(len(self.Event._store([event], tenants)), 1)
        self.assertEqual(self.Event._store([event], tenants), [])  # the same delivery again: stored once
        self.Event._cron_process(commit=False)
        self.env.invalidate_all()
        stored = self.Event.search([("resource_id", "=", book.remote_id)])
        self.assertEqual(stored.state, "done", stored.message)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        payments = invoice._get_reconciled_payments()
        self.assertEqual(len(payments), 1)
        # the same state again (a replayed or reordered event) changes nothing
        self.Event._store([dict(event, event_date="2026-12-07T10:05:00.000")], tenants)
        self.Event._cron_process(commit=False)
        self.env.invalidate_all()
        self.assertEqual(invoice._get_reconciled_payments(), payments)

    # --- the drift report ------------------------------------------------------------------------
    def test_the_drift_report_finds_what_the_ledger_changed_and_forgets_it_once_fixed(self):
        partner = self.customer("Drifting Ltd")
        self.send()
        book = self.Books.search([("tenant_key", "=", ORG)])
        book.email = "changed@ledger.example"
        result = self.env["ledger.drift"]._run(self.tenant)
        self.assertEqual(result["differences"], 1)
        [line] = self.env["ledger.drift.line"].search([("tenant_id", "=", self.tenant.id), ("state", "=", "open")])
        self.assertEqual((line.kind, line.res_id, line.remote_id), ("contact", partner.id, book.remote_id))
        self.assertIn("changed@ledger.example", line.remote_value)
        self.assertEqual(json.loads(json.dumps(self.tenant.drift_snapshot))[book.remote_id]["email"],
                         "changed@ledger.example")
        # Re-push sends Odoo's version again; the next run finds nothing and closes the line
        line.action_repush()
        self.assertEqual(line.state, "queued")
        self.send()
        self.assertEqual(book.email, "ap@example.com")
        self.env["ledger.drift"]._run(self.tenant)
        self.assertEqual(line.state, "fixed")
