"""Outbound sync through the outbox, against the harness over HTTP: switches, contacts,
invoices after their contact, Xero's per-element errors, lost responses and 429s without
duplicates, two tenants apart."""

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from .. import const
from .common import ORG_A, ORG_B, SyncCase, XeroHarnessCase


@tagged("post_install", "-at_install")
class TestOutboundSync(XeroHarnessCase):

    def setUp(self):
        super().setUp()
        tenants = self.connect()
        self.tenant = tenants.filtered(lambda t: t.remote_id == ORG_A)
        self.other = tenants - self.tenant
        self.company = self.env.company
        self.company_b = self.env["res.company"].create({"name": "Contoso (Odoo)"})
        self.tenant.write({"company_id": self.company.id, "sync_customers": True, "sync_suppliers": True,
                           "sync_invoices": True, "sync_bills": True, "sync_credit_notes": True})
        self.other.write({"company_id": self.company_b.id, "sync_customers": True})
        self.env["xero.importer"]._import(self.tenant, ["products"])
        misc = self.env["ledger.item"].search([("tenant_id", "=", self.tenant.id), ("code", "=", "MISC")])
        self.tenant.write({"catchall_invoice_item_id": misc.id, "catchall_purchase_item_id": misc.id,
                           "catchall_credit_note_item_id": misc.id})
        self.Outbox = self.env["ledger.outbox"]

    def customer(self, name, email="ap@%s.example", company=None, **extra):
        partner = self.env["res.partner"].create(dict({
            "name": name, "is_company": True, "customer_rank": 1, "company_id": (company or self.company).id,
            "child_ids": [Command.create({"name": "Pat Payer", "type": "invoice",
                                          "email": email % name.split()[0].lower() if "%s" in email else email})]},
            **extra))
        return partner

    def rows(self, record):
        return self.Outbox.search([("res_model", "=", record._name), ("res_id", "=", record.id)])

    def xero(self, kind, tenant=ORG_A):
        return self.admin_api.records(kind, tenant)

    def process(self):
        self.Outbox._cron_process(commit=False)

    def test_customer_reaches_xero_and_edits_update_it(self):
        partner = self.customer("Globex Ltd")
        self.assertEqual(self.rows(partner).state, "queued", "queued in the same transaction")
        self.assertFalse([c for c in self.xero("contact") if c["Name"] == "Globex Ltd"], "nothing sent yet")
        self.process()
        self.assertEqual(self.rows(partner).state, "done")
        contact = next(c for c in self.xero("contact") if c["Name"] == "Globex Ltd")
        self.assertEqual((contact["FirstName"], contact["LastName"], contact["EmailAddress"]),
                         ("Pat", "Payer", "ap@globex.example"))
        link = self.env["ledger.link"].search([("res_model", "=", "res.partner"), ("res_id", "=", partner.id)])
        self.assertEqual(link.remote_id, contact["ContactID"])
        partner.write({"ref": "GLOBEX-1"})
        partner.write({"vat": "GB999"})  # coalesced with the edit before
        self.assertEqual(len(self.rows(partner).filtered(lambda r: r.state == "queued")), 1)
        self.process()
        contacts = [c for c in self.xero("contact") if c["Name"] == "Globex Ltd"]
        self.assertEqual(len(contacts), 1)
        self.assertEqual((contacts[0]["AccountNumber"], contacts[0]["TaxNumber"]), ("GLOBEX-1", "GB999"))

    def test_lines_without_an_account_are_held_with_our_sentence(self):
        """Xero alone would answer "Account code or ID must be specified" (see test_presend.py)."""
        self.tenant.catchall_invoice_item_id = False
        partner = self.customer("Cyberdyne Systems")
        move = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": partner.id, "invoice_date": "2026-11-03",
            "invoice_date_due": "2026-12-03",
            "invoice_line_ids": [Command.create({"name": "T-800 service", "quantity": 1, "price_unit": 99,
                                                 "tax_ids": [Command.clear()]})]})
        move.action_post()
        self.process()
        row = self.rows(move)
        account = move.invoice_line_ids.account_id
        self.assertEqual(row.state, "error")
        for part in (move.name, "line 1 “T-800 service”", account.display_name, "Xero → Account mapping"):
            self.assertIn(part, row.last_error)
        self.assertIn(account.display_name, move.message_ids[:1].body)
        self.assertFalse([i for i in self.xero("invoice") if i.get("InvoiceNumber") == move.name])

    def test_switch_off_sends_nothing(self):
        self.tenant.sync_customers = False
        partner = self.customer("Initech")
        self.assertFalse(self.rows(partner))

    def test_missing_email_is_refused_before_sending(self):
        partner = self.env["res.partner"].create({"name": "No Mail Ltd", "is_company": True, "customer_rank": 1,
                                                  "company_id": self.company.id})
        self.process()
        row = self.rows(partner)
        self.assertEqual((row.state, row.last_error), ("error", "Contact missing email address"))
        self.assertIn("Contact missing email address", partner.message_ids[:1].body)
        partner.invalidate_recordset(["ledger_sync_state", "ledger_sync_message"])
        self.assertEqual(partner.ledger_sync_state, "error")
        self.assertIn("Contact missing email address", partner.ledger_sync_message)
        self.assertIn(partner, self.env["res.partner"].search([("ledger_sync_state", "=", "error")]))
        # bus notifications are written when the transaction (or a savepoint) flushes: look at
        # what is queued and what was written
        queued = self.env.cr.precommit.data.get("bus.bus.values", [])
        written = self.env["bus.bus"].sudo().search_read([], ["message"])
        toast = [v for v in queued + written
                 if "simple_notification" in v["message"] and "Contact missing email address" in v["message"]]
        self.assertTrue(toast, "the person who saved is told at once")
        partner.action_xero_retry()
        self.assertEqual(self.rows(partner).state, "queued")
        self.process()
        self.assertEqual(self.rows(partner).state, "error", "still missing: still visible, never dropped")
        partner.write({"child_ids": [Command.create({"name": "Ann Other", "type": "invoice",
                                                      "email": "ann@nomail.example"})]})
        partner.write({"email": "office@nomail.example"})  # the fix retries automatically
        self.process()
        self.assertEqual(self.rows(partner).state, "done")

    def test_batch_with_one_invalid_element(self):
        good = self.customer("Hooli")
        bad = self.customer("Acme Dental Group")  # already an active contact in Xero
        good2 = self.customer("Umbrella Corp")
        self.process()
        self.assertEqual((self.rows(good).state, self.rows(good2).state), ("done", "done"))
        row = self.rows(bad)
        self.assertEqual(row.state, "error")
        self.assertEqual(row.remote_messages, "The contact name Acme Dental Group is already assigned to another "
                                            "contact. The contact name must be unique across all active contacts.")
        log = self.env["ledger.request.log"].search([("operation", "=", "sync Contacts")], limit=1)
        self.assertIn("already assigned", log.response_body)

    def test_invoice_goes_after_its_contact_with_odoos_total(self):
        partner = self.customer("Soylent Corp", customer_rank=0)
        move = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": partner.id, "invoice_date": "2026-11-03",
            "invoice_date_due": "2026-12-03",
            "invoice_line_ids": [Command.create({"name": "Managed seats", "quantity": 12, "price_unit": 45,
                                                 "tax_ids": [Command.clear()]})]})
        move.action_post()
        self.assertTrue(self.rows(move))
        self.process()
        self.process()
        self.assertEqual(self.rows(move).state, "done", self.rows(move).last_error)
        invoice = next(i for i in self.xero("invoice") if i.get("InvoiceNumber") == move.name)
        self.assertEqual((invoice["Total"], invoice["Status"], invoice["Type"]), (540.0, "AUTHORISED", "ACCREC"))
        contact = next(c for c in self.xero("contact") if c["ContactID"] == invoice["_contact"])
        self.assertEqual(contact["Name"], "Soylent Corp")
        # cancelling the posted invoice voids it in Xero
        move.button_draft()
        move.button_cancel()
        self.process()
        voided = next(i for i in self.xero("invoice") if i["InvoiceID"] == invoice["InvoiceID"])
        self.assertEqual(voided["Status"], "VOIDED")

    def test_documents_posted_together_are_queued_together(self):
        """One action_post on several documents (queued per organisation and kind at once): a row each, of
        its own kind, all sent; a bill of a company whose bills are not synced gets none."""
        self.tenant.sync_bills = False
        partner = self.customer("Wayne Enterprises")
        moves = self.env["account.move"].create([{
            "move_type": move_type, "partner_id": partner.id, "invoice_date": "2026-11-08",
            "invoice_date_due": "2026-12-08", "ref": "B-1" if move_type == "in_invoice" else False,
            "invoice_line_ids": [Command.create({"name": "Seats", "quantity": 1, "price_unit": 10 + i,
                                                 "tax_ids": [Command.clear()]})]}
            for i, move_type in enumerate(("out_invoice", "out_refund", "in_invoice", "out_invoice"))])
        moves.action_post()
        self.assertEqual([(self.rows(m).entity or None) for m in moves], ["invoice", "credit_note", None, "invoice"])
        self.process()
        self.process()
        self.assertEqual([self.rows(m).state for m in moves if m.move_type != "in_invoice"], ["done"] * 3)
        numbers = {d.get("InvoiceNumber") or d.get("CreditNoteNumber") for d in self.xero("invoice") + self.xero(
            "creditnote")}
        self.assertLessEqual({moves[0].name, moves[1].name, moves[3].name}, numbers)

    def test_lost_response_is_resent_with_the_same_key_without_duplicate(self):
        partner = self.customer("Stark Industries")
        self.admin_api.fault("lose_response", mode="reset", method="PUT", path="/Contacts")
        self.process()
        row = self.rows(partner)
        self.assertEqual((row.state, row.attempts), ("retry", 1))
        self.assertTrue(row.batch_key)
        self.assertEqual(len([c for c in self.xero("contact") if c["Name"] == "Stark Industries"]), 1,
                         "Xero applied it")
        row.next_try = fields.Datetime.now() - timedelta(seconds=1)
        self.process()
        self.assertEqual(self.rows(partner).state, "done")
        self.assertEqual(len([c for c in self.xero("contact") if c["Name"] == "Stark Industries"]), 1,
                         "the resend created no duplicate")
        logs = self.env["ledger.request.log"].search([("operation", "=", "sync Contacts")], order="id")
        self.assertEqual(len(set(logs.mapped("idempotency_key"))), 1)

    def test_rate_limit_waits_and_loses_nothing(self):
        partner = self.customer("Wayne Enterprises")
        self.admin_api.fault("rate_limit", retry_after=30, path="/Contacts")
        self.process()
        row = self.rows(partner)
        self.assertEqual(row.state, "retry")
        self.assertGreater(row.next_try, fields.Datetime.now() + timedelta(seconds=20))
        self.assertGreater(self.tenant.rest_until, fields.Datetime.now() + timedelta(seconds=20),
                           "the organisation rests: no worker sends it anything meanwhile")
        self.assertEqual(self.Outbox._cron_process(commit=False), 0)
        row.next_try = fields.Datetime.now() - timedelta(seconds=1)
        self.tenant.sudo().rest_until = fields.Datetime.now() - timedelta(seconds=1)
        self.process()
        self.assertEqual(self.rows(partner).state, "done")

    def test_two_tenants_stay_apart(self):
        a = self.customer("Alpha Co")
        b = self.customer("Beta Co", company=self.company_b)
        self.process()
        self.assertEqual(self.rows(a).tenant_id, self.tenant)
        self.assertEqual(self.rows(b).tenant_id, self.other)
        self.assertIn("Alpha Co", [c["Name"] for c in self.xero("contact", ORG_A)])
        self.assertNotIn("Alpha Co", [c["Name"] for c in self.xero("contact", ORG_B)])
        self.assertIn("Beta Co", [c["Name"] for c in self.xero("contact", ORG_B)])

    def test_bill_is_sent_once(self):
        supplier = self.env["res.partner"].create({"name": "Ingram Micro UK", "is_company": True, "supplier_rank": 1,
                                                   "company_id": self.company.id})
        bill = self.env["account.move"].create({
            "move_type": "in_invoice", "partner_id": supplier.id, "invoice_date": "2026-11-04", "ref": "IM-5521",
            "invoice_date_due": "2026-12-04",
            "invoice_line_ids": [Command.create({"name": "Switch", "quantity": 1, "price_unit": 240,
                                                 "tax_ids": [Command.clear()]})]})
        bill.action_post()
        self.admin_api.fault("status", status=503, method="PUT", path="/Invoices")
        for _ in range(3):
            self.process()
            self.Outbox.search([("state", "=", "retry")]).next_try = fields.Datetime.now() - timedelta(seconds=1)
        self.assertEqual(self.rows(bill).state, "done", self.rows(bill).last_error)
        bills = [i for i in self.xero("invoice") if i["Type"] == "ACCPAY"]
        self.assertEqual(len(bills), 1)
        self.assertEqual((bills[0]["InvoiceNumber"], bills[0]["Reference"], bills[0]["Total"]),
                         ("IM-5521", bill.name, 240.0))


@tagged("post_install", "-at_install")
class TestOutboundSyncMore(SyncCase):
    SWITCHES = ('sync_suppliers', 'sync_products', 'sync_purchase_orders', 'sync_invoices', 'sync_customers')

    def test_products_become_items_and_edits_update_them(self):
        product = self.env["product.template"].create({
            "name": "Backup (per TB)", "default_code": "BACKUP-TB", "list_price": 12.5, "type": "service",
            "taxes_id": [Command.clear()], "supplier_taxes_id": [Command.clear()]})
        no_code = self.env["product.template"].create({"name": "Ad hoc"})
        self.assertFalse(self.rows(no_code), "no code: invoice lines use the catch-all item")
        self.process()
        self.assertEqual(self.rows(product).state, "done", self.rows(product).last_error)
        items = [i for i in self.admin_api.records("item", ORG_A) if i["Code"] == "BACKUP-TB"]
        self.assertEqual(len(items), 1)
        self.assertEqual(items[0]["SalesDetails"]["UnitPrice"], 12.5)
        product.list_price = 14
        self.process()
        items = [i for i in self.admin_api.records("item", ORG_A) if i["Code"] == "BACKUP-TB"]
        self.assertEqual((len(items), items[0]["SalesDetails"]["UnitPrice"]), (1, 14.0))

    def test_confirmed_purchase_order_reaches_xero_after_its_supplier(self):
        supplier = self.env["res.partner"].create({"name": "Westcoast Ltd", "is_company": True,
                                                   "company_id": self.company.id})
        order = self.env["purchase.order"].create({
            "partner_id": supplier.id, "partner_ref": "WC-QUOTE-9",
            "order_line": [Command.create({"name": "Docking stations", "product_qty": 4, "price_unit": 150,
                                           "product_id": self.env["product.product"].create(
                                               {"name": "Dock", "type": "consu"}).id,
                                           "taxes_id": [Command.clear()]})]})
        order.button_confirm()
        self.process()
        self.assertEqual(self.rows(order).state, "done", self.rows(order).last_error)
        orders = self.admin_api.records("purchaseorder", ORG_A)
        self.assertEqual(len(orders), 1)
        self.assertEqual((orders[0]["PurchaseOrderNumber"], orders[0]["Reference"], orders[0]["Total"],
                          orders[0]["Status"]), (order.name, "WC-QUOTE-9", 600.0, "AUTHORISED"))
        self.assertEqual([item["ItemCode"] for item in orders[0]["LineItems"]], ["MISC"])

    def test_a_worker_killed_mid_batch_never_duplicates(self):
        supplier = self.env["res.partner"].create({"name": "Exertis UK", "is_company": True, "supplier_rank": 1,
                                                   "company_id": self.company.id})
        self.process()
        # The worker sends, Xero applies, then the worker dies before committing anything.
        self.admin_api.fault("lose_response", mode="reset", method="PUT", path="/Invoices")
        bill = self.env["account.move"].with_context(default_move_type="in_invoice")
        self.tenant.sync_bills = True
        bill = bill.create({"move_type": "in_invoice", "partner_id": supplier.id, "invoice_date": "2026-11-05",
                            "invoice_date_due": "2026-12-05", "ref": "EX-1001",
                            "invoice_line_ids": [Command.create({"name": "Laptops", "quantity": 2, "price_unit": 700,
                                                                 "tax_ids": [Command.clear()]})]})
        bill.action_post()
        self.env.flush_all()
        with self.assertRaises(RuntimeError), self.env.cr.savepoint():
            self.process()
            raise RuntimeError("worker killed")  # everything it wrote is rolled back
        self.assertEqual(self.rows(bill).state, "queued")
        self.assertEqual(len([i for i in self.admin_api.records("invoice", ORG_A) if i["Type"] == "ACCPAY"]), 1)
        self.process()  # another worker builds the same batch: same Idempotency-Key, Xero replays
        self.assertEqual(self.rows(bill).state, "done")
        self.assertEqual(len([i for i in self.admin_api.records("invoice", ORG_A) if i["Type"] == "ACCPAY"]), 1)


@tagged("post_install", "-at_install")
class TestCreditNotesAndPacing(SyncCase):
    SWITCHES = ('sync_customers', 'sync_invoices', 'sync_credit_notes')

    def test_credit_note_is_allocated_to_the_invoice_it_reverses(self):
        move = self.invoice(500)
        self.Outbox._cron_process(commit=False)
        reversal = self.env["account.move.reversal"].with_context(
            active_model="account.move", active_ids=move.ids).create({"journal_id": move.journal_id.id,
                                                                     "reason": "goodwill"})
        refund = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        refund.invoice_line_ids.price_unit = 200
        refund.action_post()
        self.Outbox._cron_process(commit=False)
        row = self.Outbox.search([("res_model", "=", "account.move"), ("res_id", "=", refund.id)])
        self.assertEqual(row.state, "done", row.last_error)
        notes = self.admin_api.records("creditnote", ORG_A)
        self.assertEqual((len(notes), notes[0]["Type"], notes[0]["Total"]), (1, "ACCRECCREDIT", 200.0))
        invoice = next(i for i in self.admin_api.records("invoice", ORG_A) if i.get("InvoiceNumber") == move.name)
        self.assertEqual((invoice["AmountCredited"], invoice["AmountDue"]), (200.0, 300.0))

    def test_worker_paces_on_xeros_minute_budget(self):
        moves = [self.invoice(100 + i) for i in range(3)]
        self.admin_api.limits(minute=1, reset=True)
        triggers_before = self.env["ir.cron.trigger"].search_count([])
        self.Outbox._cron_process(commit=False)
        # the contact went (1 call, none left this minute): the worker stops instead of earning a 429
        rows = self.Outbox.search([("res_model", "=", "account.move"), ("res_id", "in", [m.id for m in moves])])
        self.assertEqual(set(rows.mapped("state")), {"queued"})
        self.assertFalse(self.env["ledger.request.log"].search([("status_code", "=", 429)]))
        cron = self.env.ref("psa_ledger.ir_cron_ledger_outbox")
        self.assertGreater(self.env["ir.cron.trigger"].search_count([]), triggers_before)
        self.assertTrue(self.env["ir.cron.trigger"].search([
            ("cron_id", "=", cron.id), ("call_at", ">", fields.Datetime.now() + timedelta(seconds=50))]),
            "the worker comes back next minute")
        # the next minute, the three invoices go in one request of the batch
        self.assertGreater(self.tenant.rest_until, fields.Datetime.now() + timedelta(seconds=50))
        self.tenant.sudo().rest_until = fields.Datetime.now() - timedelta(seconds=1)
        self.admin_api.limits(reset=True)
        self.Outbox._cron_process(commit=False)
        self.assertEqual(set(rows.mapped("state")), {"done"})
        puts = [r for r in self.harness.app.recent if r["method"] == "PUT" and "/Invoices" in r["path"]]
        self.assertEqual(len(puts), 1)


@tagged("post_install", "-at_install")
class TestSyncEdgeCases(SyncCase):
    SWITCHES = ('sync_customers', 'sync_invoices')

    def test_every_switch_off_queues_nothing(self):
        self.tenant.write({f: False for f in ("sync_customers", "sync_suppliers", "sync_products", "sync_invoices",
                                              "sync_bills", "sync_credit_notes", "sync_purchase_orders")})
        before = self.Outbox.search_count([])
        self.env["res.partner"].create({"name": "Off Ltd", "customer_rank": 1, "supplier_rank": 1,
                                        "company_id": self.env.company.id})
        self.env["product.template"].create({"name": "Off product", "default_code": "OFF-1"})
        self.invoice()
        self.assertEqual(self.Outbox.search_count([]), before)

    def test_timeout_then_token_expiry_mid_batch(self):
        move = self.invoice()
        self.process()  # contact + invoice
        self.assertEqual(self.row(move).state, "done")
        second = self.invoice(300)
        self.admin_api.fault("timeout", delay=4, count=1, method="PUT", path="/Invoices")
        # a short read timeout for this test: the harness holds the request longer than that
        self.patch(const, "HTTP_TIMEOUT", (2, 1.5))
        self.process()
        self.assertEqual(self.row(second).state, "retry")
        self.assertIn("No answer from Xero", self.row(second).last_error)
        self.admin_api.post("/tokens/expire")  # Xero expires the token before the resend
        self.due_now()
        self.process()
        self.assertEqual(self.row(second).state, "done", self.row(second).last_error)
        invoices = [i for i in self.admin_api.records("invoice", ORG_A) if i.get("InvoiceNumber") == second.name]
        self.assertEqual(len(invoices), 1)

    def test_edit_after_payment_shows_xeros_message(self):
        move = self.invoice()
        self.process()
        xero_invoice = next(i for i in self.admin_api.records("invoice", ORG_A) if i.get("InvoiceNumber") == move.name)
        self.admin_api.pay(ORG_A, xero_invoice["InvoiceID"], 100)
        move.button_draft()
        move.invoice_line_ids.price_unit = 275
        move.action_post()
        self.process()
        row = self.row(move)
        self.assertEqual(row.state, "error")
        self.assertEqual(row.remote_messages,
                         "This document cannot be edited as it has a payment or credit note allocated to it.")
        self.assertEqual(next(i for i in self.admin_api.records("invoice", ORG_A)
                              if i["InvoiceID"] == xero_invoice["InvoiceID"])["Total"], 250.0, "nothing changed")

    def test_draft_documents_are_deleted_not_voided(self):
        self.tenant.document_status = "DRAFT"
        move = self.invoice()
        self.process()
        xero_invoice = next(i for i in self.admin_api.records("invoice", ORG_A) if i.get("InvoiceNumber") == move.name)
        self.assertEqual(xero_invoice["Status"], "DRAFT")
        move.button_draft()
        move.button_cancel()
        self.process()
        gone = next(i for i in self.admin_api.records("invoice", ORG_A) if i["InvoiceID"] == xero_invoice["InvoiceID"])
        self.assertEqual(gone["Status"], "DELETED")


@tagged("post_install", "-at_install")
class TestSyncOrderingAndSlots(SyncCase):
    SWITCHES = ('sync_customers', 'sync_invoices', 'sync_credit_notes')

    def test_reposting_updates_the_same_document(self):
        move = self.invoice(100)
        self.Outbox._cron_process(commit=False)
        move.button_draft()
        move.invoice_line_ids.price_unit = 120
        move.action_post()
        self.Outbox._cron_process(commit=False)
        self.assertEqual(self.row(move).state, "done", self.row(move).last_error)
        invoices = [i for i in self.admin_api.records("invoice", ORG_A) if i.get("InvoiceNumber") == move.name]
        self.assertEqual((len(invoices), invoices[0]["Total"]), (1, 120.0))

    def test_credit_note_waits_for_the_invoice_it_reverses(self):
        move = self.invoice(400)
        self.row(move).next_try = fields.Datetime.now() + timedelta(hours=1)  # the invoice is not due yet
        reversal = self.env["account.move.reversal"].with_context(
            active_model="account.move", active_ids=move.ids).create({"journal_id": move.journal_id.id})
        refund = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        refund.invoice_line_ids.price_unit = 150
        refund.action_post()
        self.Outbox._cron_process(commit=False)
        self.assertEqual(self.row(refund).state, "waiting", "it waits for the invoice")
        self.assertFalse(self.admin_api.records("creditnote", ORG_A))
        self.row(move).next_try = fields.Datetime.now() - timedelta(seconds=1)
        self.Outbox._cron_process(commit=False)
        self.assertEqual(self.row(refund).state, "done", self.row(refund).last_error)
        invoice = next(i for i in self.admin_api.records("invoice", ORG_A) if i.get("InvoiceNumber") == move.name)
        self.assertEqual((invoice["AmountCredited"], invoice["AmountDue"]), (150.0, 250.0))

    def test_a_batchs_answer_is_applied_at_once(self):
        """Xero's answer to a batch is applied with a bounded number of SQL statements, not a
        dozen per document (issue #14: 20 organisations x 1,000 documents)."""
        self.invoice(99)
        self.process()  # the contact is in Xero
        moves = self.env["account.move"]
        for n in range(40):
            moves |= self.invoice(100 + n, name="Seat %d" % n)
        cr = self.env.cr
        before = cr.sql_log_count
        self.process()
        spent = cr.sql_log_count - before
        rows = self.Outbox.search([("res_model", "=", "account.move"), ("res_id", "in", moves.ids)])
        self.assertEqual((len(rows), set(rows.mapped("state"))), (40, {"done"}))
        links = self.env["ledger.link"].search([("tenant_id", "=", self.tenant.id), ("res_model", "=", "account.move"),
                                              ("res_id", "in", moves.ids)])
        in_xero = {i["InvoiceNumber"]: i["InvoiceID"] for i in self.admin_api.records("invoice", ORG_A)}
        self.assertEqual({(link.res_id, link.remote_id) for link in links},
                         {(move.id, in_xero[move.name]) for move in moves})
        # built, fixed, sent and applied: ~1.5 statements a document here (10 before the answer
        # was applied as a whole)
        self.assertLess(spent, 40 * 3, "%d SQL statements for 40 invoices" % spent)

    def test_a_document_cancelled_on_its_way_is_voided_while_its_batch_is_applied(self):
        kept, cancelled = self.invoice(300), self.invoice(400)
        self.admin_api.fault("lose_response", mode="reset", method="PUT", path="/Invoices")
        self.process()  # the contact, then both invoices in one batch: Xero applies it, the answer is lost
        self.assertEqual(self.row(kept).state, "retry", "the answer was lost: the batch is resent")
        cancelled.button_draft()
        cancelled.button_cancel()
        self.due_now()
        self.process()
        self.process()
        self.assertEqual(self.rows(kept).mapped("state"), ["done"])
        self.assertEqual(set(self.rows(cancelled).mapped("state")), {"done"}, "created, then voided")
        in_xero = {i["InvoiceNumber"]: i for i in self.admin_api.records("invoice", ORG_A)}
        self.assertEqual((in_xero[kept.name]["Status"], in_xero[cancelled.name]["Status"]), ("AUTHORISED", "VOIDED"))

    def test_at_most_five_workers_per_organisation(self):
        move = self.invoice(99)
        from odoo.sql_db import db_connect

        from ..models.ledger_outbox import SLOT_LOCK
        other = db_connect(self.env.cr.dbname).cursor()  # five other workers hold the slots
        try:
            for slot in range(5):
                other.execute("SELECT pg_advisory_lock(%s, %s)", [SLOT_LOCK, self.tenant.id * 8 + slot])
            self.assertEqual(self.Outbox._cron_process(commit=False), 0)
            self.assertEqual(self.row(move).state, "queued")
        finally:
            other.execute("SELECT pg_advisory_unlock_all()")
            other.close()
        self.Outbox._cron_process(commit=False)
        self.assertEqual(self.row(move).state, "done")
