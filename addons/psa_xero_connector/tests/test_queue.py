"""The outbox as one crash-safe queue (issue #11, findings 3, 4, 5 and 7): a document is sent
as it is when it is sent, batches are fixed before they leave and resent identically, a resend
answered "already exists" is linked, one poison row fails alone, waiting rows are not claimed
again, and shared partners only go where they are needed."""

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ORG_A, ORG_B, SyncCase


def company_customer(env, name, company, email=None):
    """A customer company with a person to bill (``email=False``: without an e-mail)."""
    return env["res.partner"].create({
        "name": name, "is_company": True, "customer_rank": 1, "company_id": company.id if company else False,
        "child_ids": [Command.create({"name": "Pat Payer", "type": "invoice", "email": (
            email if email is not None else "ap@%s.example" % name.split()[0].lower()) or False})]})


@tagged("post_install", "-at_install")
class TestDocumentTruth(SyncCase):
    """Finding 3: a cancelled document must not go live in Xero."""

    SWITCHES = ("sync_customers", "sync_invoices")

    def xero_invoices(self, move):
        return [i for i in self.admin_api.records("invoice", ORG_A) if i.get("InvoiceNumber") == move.name]

    def test_cancelled_while_waiting_is_not_created(self):
        self.process()  # the customer's contact
        move = self.invoice(320)
        self.admin_api.fault("rate_limit", retry_after=30, method="PUT", path="/Invoices")
        self.process()
        self.assertEqual(self.row(move).state, "retry", "the rate limit keeps it waiting")
        move.button_draft()
        move.button_cancel()
        self.due_now()
        self.process()
        self.assertFalse(self.xero_invoices(move), "a cancelled invoice is not created in Xero")
        row = self.row(move)
        self.assertEqual(row.state, "cancelled")
        self.assertIn("Cancelled in Odoo before it reached Xero", row.last_error)
        self.assertFalse(self.Outbox.search([("res_id", "=", move.id), ("operation", "=", "void")]),
                         "nothing to void: it never left")
        move.invalidate_recordset(["ledger_sync_state", "ledger_sync_message"])
        self.assertEqual(move.ledger_sync_state, "none")
        self.assertIn("Cancelled in Odoo", move.ledger_sync_message)

    def test_back_in_draft_is_sent_when_posted_again(self):
        move = self.invoice(100)
        move.button_draft()
        move.invoice_line_ids.price_unit = 130
        self.process()
        self.assertFalse(self.xero_invoices(move))
        self.assertIn("Back in draft", self.row(move).last_error)
        move.action_post()
        self.process()
        self.assertEqual(self.row(move).state, "done", self.row(move).last_error)
        invoices = self.xero_invoices(move)
        self.assertEqual((len(invoices), invoices[0]["Total"], invoices[0]["Status"]), (1, 130.0, "AUTHORISED"))

    def test_posted_again_before_the_void_left_is_not_voided(self):
        move = self.invoice(150)
        self.process()
        move.button_draft()
        move.button_cancel()
        void = self.Outbox.search([("res_id", "=", move.id), ("res_model", "=", "account.move"),
                                   ("operation", "=", "void")])
        move.button_draft()
        move.action_post()
        self.process()
        self.assertEqual(void.state, "cancelled")
        self.assertIn("Confirmed again", void.last_error)
        self.assertEqual([i["Status"] for i in self.xero_invoices(move)], ["AUTHORISED"])

    def test_cancelled_while_in_flight_is_voided_once_known(self):
        self.process()
        move = self.invoice(410)
        # Xero applies the PUT but the answer is lost: Odoo does not know whether it is there
        self.admin_api.fault("lose_response", mode="reset", method="PUT", path="/Invoices")
        self.process()
        self.assertEqual(self.row(move).state, "retry")
        self.assertEqual(len(self.xero_invoices(move)), 1, "Xero has it")
        move.button_draft()
        move.button_cancel()
        void = self.Outbox.search([("res_id", "=", move.id), ("res_model", "=", "account.move"),
                                   ("operation", "=", "void")])
        self.assertTrue(void, "it may be in Xero: a void is queued")
        self.due_now()
        self.process()
        self.assertEqual(void.state, "done", void.last_error)
        invoices = self.xero_invoices(move)
        self.assertEqual([i["Status"] for i in invoices], ["VOIDED"], "resent (replayed), linked, then voided")


@tagged("post_install", "-at_install")
class TestExactlyOnce(SyncCase):
    """Finding 4: the batch and its key are fixed before sending; a resend that Xero refuses
    as "already exists" is linked to what Xero has, not shown as an error."""

    SWITCHES = ("sync_customers", "sync_invoices", "sync_suppliers", "sync_bills")

    def test_batch_is_fixed_before_it_is_sent_and_resent_identically(self):
        self.process()
        bill = self.bill("IM-7001", 240)
        self.admin_api.fault("lose_response", mode="reset", method="PUT", path="/Invoices")
        self.process()
        row = self.row(bill)
        batch = row.batch_id
        self.assertEqual((row.state, batch.state, batch.sends), ("retry", "pending", 1))
        # One more bill posted meanwhile does not join (or change) the batch in flight.
        other = self.bill("IM-7002", 99)
        self.due_now()
        self.process()
        self.assertEqual((batch.state, batch.sends, self.row(bill).state), ("done", 2, "done"))
        self.assertNotEqual(self.row(other).batch_id, batch)
        logs = self.env["ledger.request.log"].search([("idempotency_key", "=", batch.idempotency_key)])
        self.assertEqual(len(logs), 2, "the same key twice")
        self.assertEqual(len(set(logs.mapped("request_body"))), 1, "the same body twice")
        bills = [i for i in self.admin_api.records("invoice", ORG_A) if i["Type"] == "ACCPAY"]
        self.assertEqual(sorted(b["InvoiceNumber"] for b in bills), ["IM-7001", "IM-7002"], "each bill once")

    def test_an_edit_while_the_creation_is_in_doubt_updates_it(self):
        self.process()
        bill = self.bill("IM-7100", 500)
        self.admin_api.fault("lose_response", mode="reset", method="PUT", path="/Invoices")
        self.process()
        first = self.row(bill)
        self.assertEqual(first.state, "retry")
        bill.button_draft()
        bill.invoice_line_ids.price_unit = 550
        bill.action_post()
        second = self.row(bill)
        self.assertNotEqual(second, first, "the row in flight is left as it is")
        self.process()  # the first batch is not due yet: the edit must not create the bill again
        self.assertEqual((second.state, second.depends_on_id), ("waiting", first))
        self.due_now()
        self.process()
        self.assertEqual((first.state, second.state), ("done", "done"), second.last_error)
        bills = [i for i in self.admin_api.records("invoice", ORG_A) if i["Type"] == "ACCPAY"]
        self.assertEqual([(b["InvoiceNumber"], b["Total"]) for b in bills], [("IM-7100", 550.0)],
                         "one bill, updated")

    def test_a_bill_batch_older_than_the_idempotency_window_is_looked_up_not_resent(self):
        self.process()
        bill = self.bill("IM-7300", 310)
        other = self.bill("IM-7301", 40)
        self.admin_api.fault("lose_response", mode="reset", method="PUT", path="/Invoices")
        self.process()
        batch = self.row(bill).batch_id
        self.assertEqual(batch, self.row(other).batch_id)
        # a day later (the organisation needed reconnecting, say): Xero has forgotten the key
        self.admin_api.post("/clock/advance", {"seconds": 25 * 3600})
        self.env.cr.execute("UPDATE ledger_outbox_batch SET create_date = create_date - interval '2 days' "
                            "WHERE id = %s",
                            [batch.id])
        batch.invalidate_recordset(["create_date"])
        self.due_now()
        self.process()
        self.assertEqual((self.row(bill).state, self.row(other).state), ("done", "done"))
        self.assertIn("idempotency window", self.row(bill).last_error)
        bills = [i for i in self.admin_api.records("invoice", ORG_A) if i["Type"] == "ACCPAY"]
        self.assertEqual(sorted(b["InvoiceNumber"] for b in bills), ["IM-7300", "IM-7301"], "no bill twice")

    def test_a_stale_batch_that_never_reached_xero_is_built_again(self):
        self.process()
        bill = self.bill("IM-7400", 75)
        self.admin_api.fault("status", status=503, method="PUT", path="/Invoices")  # refused, not applied
        self.process()
        batch = self.row(bill).batch_id
        self.env.cr.execute("UPDATE ledger_outbox_batch SET create_date = create_date - interval '2 days' "
                            "WHERE id = %s",
                            [batch.id])
        batch.invalidate_recordset(["create_date"])
        self.due_now()
        self.process()
        self.assertEqual(self.row(bill).state, "done", self.row(bill).last_error)
        self.assertNotEqual(self.row(bill).batch_id, batch, "sent in a new batch, with a new key")
        bills = [i for i in self.admin_api.records("invoice", ORG_A) if i["Type"] == "ACCPAY"]
        self.assertEqual([b["InvoiceNumber"] for b in bills], ["IM-7400"])

    def test_resend_answered_already_exists_is_linked(self):
        partner = self.customer_named("Cyberdyne Systems")
        self.admin_api.fault("lose_response", mode="reset", method="PUT", path="/Contacts")
        self.process()
        self.assertEqual(self.rows(partner).state, "retry")
        # Past Xero's idempotency window the key is forgotten: the resend is refused as a taken name
        self.admin_api.post("/clock/advance", {"seconds": 25 * 3600})
        self.due_now()
        self.process()
        row = self.rows(partner)
        self.assertEqual(row.state, "done", row.last_error)
        self.assertIn("Xero already had it", row.last_error)
        contacts = [c for c in self.admin_api.records("contact", ORG_A) if c["Name"] == "Cyberdyne Systems"]
        self.assertEqual(len(contacts), 1)
        link = self.env["ledger.link"].search([("res_model", "=", "res.partner"), ("res_id", "=", partner.id)])
        self.assertEqual(link.remote_id.lower(), contacts[0]["ContactID"].lower())
        self.assertTrue(self.env["ledger.request.log"].search([("operation", "=", "look up Contacts")]))

    def test_a_failed_look_up_keeps_the_batch_to_replay(self):
        partner = self.customer_named("Oscorp")
        self.admin_api.fault("lose_response", mode="reset", method="PUT", path="/Contacts")
        self.process()
        self.admin_api.post("/clock/advance", {"seconds": 25 * 3600})
        self.due_now()
        # the resend is refused as a taken name, and the look-up that would resolve it is rate-limited
        self.admin_api.fault("rate_limit", retry_after=5, method="GET", path="/Contacts")
        self.process()
        row = self.rows(partner)
        self.assertEqual((row.state, row.batch_id.state), ("retry", "pending"), row.last_error)
        self.due_now()
        self.process()  # resent with the same key: Xero replays, the look-up now answers
        self.assertEqual(row.state, "done", row.last_error)
        self.assertEqual(len([c for c in self.admin_api.records("contact", ORG_A) if c["Name"] == "Oscorp"]), 1)

    def test_resent_invoice_number_taken_is_linked(self):
        self.process()
        move = self.invoice(275)
        self.admin_api.fault("lose_response", mode="504", method="PUT", path="/Invoices")
        self.process()
        self.admin_api.post("/clock/advance", {"seconds": 25 * 3600})
        self.due_now()
        self.process()
        self.assertEqual(self.row(move).state, "done", self.row(move).last_error)
        invoices = [i for i in self.admin_api.records("invoice", ORG_A) if i.get("InvoiceNumber") == move.name]
        self.assertEqual(len(invoices), 1)

    def test_retry_after_giving_up_resends_the_same_batch(self):
        partner = self.customer_named("Wonka Industries")
        self.admin_api.fault("lose_response", mode="504", count=8, method="PUT", path="/Contacts")
        for _attempt in range(8):
            self.process()
            self.due_now()
        row = self.rows(partner)
        self.assertEqual(row.state, "error")
        self.assertIn("Gave up after 8 attempts", row.last_error)
        batch = row.batch_id
        self.assertEqual((batch.state, batch.sends), ("failed", 8), "kept: it may have reached Xero")
        row.action_retry()
        self.process()
        self.assertEqual((row.state, row.batch_id, batch.sends), ("done", batch, 9), row.last_error)
        self.assertEqual(len([c for c in self.admin_api.records("contact", ORG_A)
                              if c["Name"] == "Wonka Industries"]), 1, "Xero replayed its first answer")

    def test_first_send_taken_name_stays_an_error(self):
        """Not a resend: a name taken by someone else is Xero's refusal, shown as is."""
        self.customer_named("Initech")
        self.process()
        twin = self.customer_named("Initech", email="other@initech.example")
        self.process()
        self.assertEqual(self.rows(twin).state, "error")
        self.assertIn("already assigned to another contact", self.rows(twin).last_error)

    # helpers
    def customer_named(self, name, email=None):
        return company_customer(self.env, name, self.company, email)

    def bill(self, number, amount):
        supplier = self.env["res.partner"].search([("name", "=", "Ingram Micro UK")], limit=1) or \
            self.env["res.partner"].create({"name": "Ingram Micro UK", "is_company": True, "supplier_rank": 1,
                                            "company_id": self.company.id})
        bill = self.env["account.move"].create({
            "move_type": "in_invoice", "partner_id": supplier.id, "invoice_date": "2026-11-04", "ref": number,
            "invoice_date_due": "2026-12-04",
            "invoice_line_ids": [Command.create({"name": "Switch", "quantity": 1, "price_unit": amount,
                                                 "tax_ids": [Command.clear()]})]})
        bill.action_post()
        return bill


@tagged("post_install", "-at_install")
class TestPoisonAndWaiting(SyncCase):
    """Finding 5: one unexpected exception fails one row, never the run; rows waiting on a
    dependency are not claimed again until there is a reason."""

    SWITCHES = ("sync_customers", "sync_invoices")

    @mute_logger("odoo.addons.psa_xero_connector.models.ledger_queue")
    def test_one_poison_row_fails_alone(self):
        poison = self.Outbox.sudo().create({"tenant_id": self.tenant.id, "res_model": "x.not.installed",
                                            "res_id": 1, "entity": "contact"})
        good = company_customer(self.env, "Soylent Corp", self.company)
        self.process()  # does not raise
        self.assertEqual(self.rows(good).state, "done", self.rows(good).last_error)
        self.assertEqual((poison.state, poison.attempts), ("retry", 1))
        self.assertIn("x.not.installed", poison.last_error)
        for _attempt in range(10):
            self.due_now()
            self.process()
        self.assertEqual(poison.state, "error")
        self.assertIn("Gave up after 8 attempts", poison.last_error)

    def test_invoice_waiting_for_its_contact_is_not_claimed_again(self):
        move = self.invoice(180)
        self.admin_api.fault("status", status=503, method="PUT", path="/Contacts")
        self.process()
        contact_row = self.rows(self.partner)
        self.assertEqual(contact_row.state, "retry")
        self.assertEqual((self.row(move).state, self.row(move).depends_on_id), ("waiting", contact_row))
        requests_before = len(self.harness.app.recent)
        triggers_before = self.env["ir.cron.trigger"].search_count([("call_at", "<=", fields.Datetime.now())])
        self.assertEqual(self.Outbox._cron_process(commit=False), 0, "nothing is due: nothing claimed")
        self.assertEqual(len(self.harness.app.recent), requests_before)
        self.assertEqual(self.env["ir.cron.trigger"].search_count([("call_at", "<=", fields.Datetime.now())]),
                         triggers_before, "no immediate re-run")
        contact_row.next_try = fields.Datetime.now() - timedelta(seconds=1)
        self.process()
        self.assertEqual((contact_row.state, self.row(move).state), ("done", "done"),
                         "the invoice goes in the same run as its contact")

    def test_invoice_of_a_refused_contact_says_why_and_goes_once_it_is_fixed(self):
        nomail = company_customer(self.env, "Umbrella plc", self.company, email=False)
        move = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": nomail.id, "invoice_date": "2026-11-08",
            "invoice_line_ids": [Command.create({"name": "Support", "quantity": 1, "price_unit": 60,
                                                 "tax_ids": [Command.clear()]})]})
        move.action_post()
        self.process()
        self.assertEqual(self.row(move).state, "error")
        self.assertIn("Contact missing email address", self.row(move).last_error)
        nomail.child_ids.email = "ap@umbrella.example"
        self.process()
        self.assertEqual((self.rows(nomail).state, self.row(move).state), ("done", "done"),
                         "fixing the contact releases the invoice")

    def test_a_row_parked_after_its_contact_was_answered_is_released(self):
        """Two workers: one answers the contact while the other parks the invoice on it; neither
        sees the other's change. The next run puts it right."""
        move = self.invoice(90)
        self.process()
        contact_row = self.rows(self.partner)
        self.assertEqual((contact_row.state, self.row(move).state), ("done", "done"))
        late = self.Outbox.sudo().create({"tenant_id": self.tenant.id, "res_model": "account.move",
                                          "res_id": move.id, "entity": "invoice"})
        late.write({"state": "waiting", "depends_on_id": contact_row.id})
        self.process()
        self.assertEqual(late.state, "done", late.last_error)

    def test_two_rows_of_one_record_in_one_claim_send_one_element(self):
        partner = company_customer(self.env, "Tricell", self.company)
        twin = self.Outbox.sudo().create({"tenant_id": self.tenant.id, "res_model": "res.partner",
                                          "res_id": partner.id, "entity": "contact"})
        first = self.rows(partner) - twin
        self.process()
        self.assertEqual((first.state, twin.state), ("cancelled", "done"))
        self.assertIn("Replaced by a newer row", first.last_error)
        puts = [r for r in self.harness.app.recent if r["method"] == "PUT" and "/Contacts" in r["path"]]
        self.assertEqual(len(puts), 1)
        self.assertEqual(len([c for c in self.admin_api.records("contact", ORG_A) if c["Name"] == "Tricell"]), 1)

    def test_organisation_needing_reconnect_is_not_served(self):
        partner = company_customer(self.env, "Massive Dynamic", self.company)
        self.tenant.sudo().state = "needs_reconnect"
        requests_before = len(self.harness.app.recent)
        self.assertEqual(self.Outbox._cron_process(commit=False), 0)
        self.assertEqual((self.rows(partner).state, len(self.harness.app.recent)), ("queued", requests_before))
        self.tenant.sudo().state = "connected"
        self.env["ledger.outbox"]._wake_tenants(self.tenant)
        self.process()
        self.assertEqual(self.rows(partner).state, "done")


@tagged("post_install", "-at_install")
class TestSharedPartners(SyncCase):
    """Finding 7: a shared partner (no company) is not pushed to every organisation."""

    SWITCHES = ("sync_customers", "sync_invoices")

    def setUp(self):
        super().setUp()
        self.other = self.env["ledger.tenant"].search([("remote_id", "=", ORG_B)])
        self.company_b = self.env["res.company"].create({"name": "Contoso (Odoo)"})
        self.other.write({"company_id": self.company_b.id, "sync_customers": True})

    def shared_customer(self, name):
        return company_customer(self.env, name, None)

    def test_shared_customer_goes_where_a_document_needs_it(self):
        shared = self.shared_customer("Hooli Group")
        self.assertFalse(self.rows(shared), "two organisations sync customers: none on save")
        move = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": shared.id, "invoice_date": "2026-11-08",
            "invoice_line_ids": [Command.create({"name": "Support", "quantity": 1, "price_unit": 60,
                                                 "tax_ids": [Command.clear()]})]})
        move.action_post()
        self.process()
        self.assertEqual(self.row(move).state, "done", self.row(move).last_error)
        self.assertIn("Hooli Group", [c["Name"] for c in self.admin_api.records("contact", ORG_A)])
        self.assertNotIn("Hooli Group", [c["Name"] for c in self.admin_api.records("contact", ORG_B)])
        # once in an organisation, its edits follow it there (and only there)
        shared.phone = "+44 20 7946 0000"
        self.assertEqual(self.rows(shared).tenant_id, self.tenant)

    def test_shared_customer_goes_on_save_when_one_organisation_syncs_customers(self):
        self.other.sync_customers = False
        shared = self.shared_customer("Pied Piper")
        self.assertEqual(self.rows(shared).tenant_id, self.tenant)
