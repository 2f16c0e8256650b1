"""Payments back from Xero, end to end over real HTTP: Odoo sends a document, someone records a
payment (or deletes it, or voids the document) in the harness, the harness's signed webhook
reaches Odoo's endpoint, the worker fetches the document and Odoo follows.

Webhook deliveries come from the harness's own thread into Odoo's HTTP server, which in tests
shares this test's database cursor: Odoo-side work runs under the registry's test lock and
each Xero-side action is followed by ``deliver()`` (waiting for the harness), so a delivery
never runs while the test itself uses the cursor.
"""

import time
from contextlib import contextmanager

import requests

from odoo import Command
from odoo.tests import tagged

from odoo.addons.psa_ledger.models import ledger_inbound

from harness.testing import connect

from .. import const
from ..xero import webhook
from .common import CLIENT_ID, ORG_A, ORG_B, WEBHOOK_KEY, SyncCase


class PaymentCase(SyncCase):
    SWITCHES = ("sync_customers", "sync_suppliers", "sync_invoices", "sync_bills", "sync_credit_notes")

    def setUp(self):
        super().setUp()
        self.Event = self.env["ledger.event"]
        self.Payment = self.env["account.payment"]
        self.admin_api.update_client(CLIENT_ID, webhook_url=self.base_url() + const.WEBHOOK_ROUTE)
        # A Xero user's own app: the connector's token reads payments only (accounting.payments.read)
        self.harness.app.identity.register_client("xero-user-app", "xero-user-secret", ["http://xero.user/cb"])
        self.token = connect(self.harness.url, "xero-user-app", "xero-user-secret", "http://xero.user/cb",
                             ["accounting.invoices", "accounting.payments"], tenants=[ORG_A])["access_token"]

    @contextmanager
    def odoo_side(self):
        """No webhook delivery uses the shared test cursor meanwhile."""
        with self.registry.test_lock:
            yield
            self.env.invalidate_all()  # flushes: still under the lock

    def deliver(self):
        """Wait until the harness has delivered what it has to deliver."""
        self.assertTrue(self.admin_api.flush_webhooks(timeout=20)["done"])
        self.env.invalidate_all()

    def process(self):
        with self.odoo_side():
            self.Outbox._cron_process(commit=False)
        self.deliver()

    def handle(self):
        """The worker the stored events triggered."""
        with self.odoo_side():
            self.Event._cron_process(commit=False)

    def remote_id(self, move):
        return self.env["ledger.link"].search([("res_model", "=", "account.move"), ("res_id", "=", move.id),
                                             ("tenant_id", "=", self.tenant.id)]).remote_id

    def pay_in_xero(self, move, amount, tenant=ORG_A, **extra):
        """Record a payment in the harness, as a Xero user would. -> PaymentID."""
        payment = self.admin_api.pay(tenant, self.remote_id(move) if tenant == ORG_A else extra.pop("invoice_id"),
                                     amount, **extra)
        self.deliver()
        return payment["PaymentID"]

    def xero_api(self, method, path, body):
        """A call to the harness's Accounting API as another Xero app or user would make it."""
        resp = requests.request(method, "%s/api.xro/2.0/%s" % (self.harness.url, path), json=body, timeout=30,
                                headers={"Authorization": "Bearer " + self.token, "xero-tenant-id": ORG_A,
                                         "Accept": "application/json"})
        self.assertLess(resp.status_code, 300, resp.text)
        self.deliver()
        return resp.json()

    def payments_of(self, move):
        links = self.env["ledger.link"].search([("res_model", "=", "account.payment"),
                                              ("remote_parent_id", "=", self.remote_id(move))])
        return self.Payment.browse(links.mapped("res_id"))

    def bill(self, price=240, ref="IM-5521"):
        supplier = self.env["res.partner"].create({"name": "Ingram Micro UK", "is_company": True, "supplier_rank": 1,
                                                   "company_id": self.company.id})
        bill = self.env["account.move"].create({
            "move_type": "in_invoice", "partner_id": supplier.id, "invoice_date": "2026-11-04", "ref": ref,
            "invoice_date_due": "2026-12-04",
            "invoice_line_ids": [Command.create({"name": "Switch", "quantity": 1, "price_unit": price,
                                                 "tax_ids": [Command.clear()]})]})
        bill.action_post()
        return bill

    @staticmethod
    def said(record, text):
        """The chatter message of ``record`` that contains ``text``."""
        return record.message_ids.filtered(lambda m: text in (m.body or ""))[:1]

    def fetch_calls(self, collection):
        return self.env["ledger.request.log"].search_count([("operation", "=", "fetch %s" % collection)])


@tagged("post_install", "-at_install")
class TestPaymentsFromXero(PaymentCase):

    def test_payment_in_xero_pays_the_invoice(self):
        move = self.invoice(250)
        self.process()
        self.handle()  # the invoice's own CREATE event: nothing to change
        self.assertEqual(move.payment_state, "not_paid")
        payment_id = self.pay_in_xero(move, 250, Reference="BACS 4471")
        event = self.Event.search([("resource_id", "=", self.remote_id(move)), ("state", "=", "pending")])
        self.assertEqual(len(event), 1, "stored at once, processed after the answer")
        self.handle()
        self.assertEqual(move.payment_state, "paid")
        payment = self.payments_of(move)
        self.assertEqual((len(payment), payment.amount, payment.state, payment.memo),
                         (1, 250.0, "paid", "BACS 4471"))
        self.assertEqual(payment.journal_id.type, "bank")
        link = self.env["ledger.link"].search([("res_model", "=", "account.payment"), ("res_id", "=", payment.id)])
        self.assertEqual((link.remote_id, link.remote_status), (payment_id, "AUTHORISED"))
        self.assertEqual((event.state, event.res_id), ("done", move.id))
        self.assertIn("payment of", event.message)
        self.assertTrue(self.said(move, "%s paid in Xero" % move.name))
        delivery = self.env["ledger.request.log"].search([("direction", "=", "inbound"), ("status_code", "=", 200)],
                                                       order="id desc", limit=1)
        self.assertEqual((delivery.tenant_id, event.log_id), (self.tenant, delivery))
        self.handle()
        self.assertEqual(len(self.payments_of(move)), 1)

    def test_partial_then_rest(self):
        move = self.invoice(250)
        self.process()
        self.pay_in_xero(move, 100)
        self.handle()
        self.assertEqual((move.payment_state, move.amount_residual), ("partial", 150.0))
        self.assertTrue(self.said(move, "partly paid in Xero"))
        self.pay_in_xero(move, 150)
        self.handle()
        self.assertEqual((move.payment_state, move.amount_residual), ("paid", 0.0))
        self.assertEqual(sorted(self.payments_of(move).mapped("amount")), [100.0, 150.0])

    def test_payment_deleted_in_xero_cancels_the_odoo_payment(self):
        move = self.invoice(250)
        self.process()
        payment_id = self.pay_in_xero(move, 250)
        self.handle()
        self.assertEqual(move.payment_state, "paid")
        self.xero_api("POST", "Payments/%s" % payment_id, {"Status": "DELETED"})
        self.handle()
        payment = self.payments_of(move)
        self.assertEqual((payment.state, move.payment_state, move.amount_residual), ("canceled", "not_paid", 250.0))
        link = self.env["ledger.link"].search([("res_model", "=", "account.payment"), ("res_id", "=", payment.id)])
        self.assertEqual(link.remote_status, "DELETED")
        # paid again in Xero: a new payment, the cancelled one stays cancelled
        self.pay_in_xero(move, 250)
        self.handle()
        self.assertEqual(move.payment_state, "paid")
        self.assertEqual(sorted(self.payments_of(move).mapped("state")), ["canceled", "paid"])

    def test_invoice_voided_in_xero_is_flagged_or_cancelled(self):
        first, second = self.invoice(250), self.invoice(90, name="Onsite visit")
        self.process()
        self.xero_api("POST", "Invoices/%s" % self.remote_id(first), {"Status": "VOIDED"})
        self.handle()
        self.assertEqual((first.state, first.ledger_voided), ("posted", True), "flagged only, by default")
        self.assertTrue(self.said(first, "Voided in Xero"))
        self.tenant.cancel_voided_invoices = True
        self.xero_api("POST", "Invoices/%s" % self.remote_id(second), {"Status": "VOIDED"})
        self.handle()
        self.assertEqual((second.state, second.ledger_voided), ("cancel", True))
        self.assertFalse(self.Outbox.search([("res_id", "=", second.id), ("operation", "=", "void")]),
                         "Xero voided it: nothing is sent back")

    def test_bill_paid_in_xero(self):
        bill = self.bill(240)
        self.process()
        self.pay_in_xero(bill, 240)
        self.handle()
        payment = self.payments_of(bill)
        self.assertEqual((bill.payment_state, payment.payment_type, payment.amount), ("paid", "outbound", 240.0))

    def test_credit_note_allocated_in_xero_is_reconciled_in_odoo(self):
        move = self.invoice(500)
        refund = self.env["account.move"].create({
            "move_type": "out_refund", "partner_id": self.partner.id, "invoice_date": "2026-11-09",
            "invoice_line_ids": [Command.create({"name": "Goodwill", "quantity": 1, "price_unit": 200,
                                                 "tax_ids": [Command.clear()]})]})
        refund.action_post()
        self.process()
        self.handle()
        self.assertEqual((move.amount_residual, refund.payment_state), (500.0, "not_paid"))
        # the accountant allocates the credit to the invoice in Xero
        before = self.fetch_calls("CreditNotes")
        self.xero_api("PUT", "CreditNotes/%s/Allocations" % self.remote_id(refund), {"Allocations": [
            {"Invoice": {"InvoiceID": self.remote_id(move)}, "Amount": 200, "Date": "2026-11-10"}]})
        self.handle()
        self.assertEqual((move.payment_state, move.amount_residual, refund.payment_state), ("partial", 300.0, "paid"))
        self.assertEqual(self.fetch_calls("CreditNotes") - before, 1, "one GET CreditNotes?where=… for its event")
        self.pay_in_xero(move, 300)
        self.handle()
        self.assertEqual(move.payment_state, "paid")

    def test_bank_accounts_map_to_journals(self):
        journal = self.env["account.journal"].create({"name": "Barclays (Xero)", "type": "bank", "code": "BARX",
                                                      "company_id": self.company.id})
        bank = self.env["ledger.account"].search([("tenant_id", "=", self.tenant.id), ("account_type", "=", "BANK")],
                                               limit=1)
        self.assertTrue(bank, "imported with the accounts")
        self.assertIn(bank, self.tenant.bank_account_ids)
        bank.journal_id = journal
        move = self.invoice(250)
        self.process()
        self.pay_in_xero(move, 250, AccountCode=bank.code)
        self.handle()
        self.assertEqual(self.payments_of(move).journal_id, journal)
        self.assertEqual(self.fetch_calls("Payments"), 1, "the bank account is read only when accounts are mapped")

    def test_notification_to_the_salesperson(self):
        self.tenant.notify_payments = True
        move = self.invoice(250)
        move.message_subscribe(partner_ids=move.partner_id.ids)  # the customer follows an invoice sent to them
        self.process()
        self.pay_in_xero(move, 250)
        self.handle()
        message = self.said(move, "%s paid in Xero" % move.name)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_note"), "an internal note, not a comment")
        self.assertIn(move.invoice_user_id.partner_id, message.partner_ids)
        self.assertNotIn(move.partner_id, message.notified_partner_ids, "the customer is not told")

    def test_many_payments_few_calls(self):
        moves = [self.invoice(101 + n) for n in range(6)]
        self.process()
        self.handle()
        before = self.fetch_calls("Invoices")
        # read before paying: each payment's webhook reaches the test server, which shares this
        # test's cursor, while the next one is recorded
        xero_ids = [self.remote_id(move) for move in moves]
        for remote_id in xero_ids:
            self.admin_api.pay(ORG_A, remote_id, 100)
        self.deliver()
        self.handle()
        self.assertEqual([m.payment_state for m in moves], ["partial"] * 6)
        self.assertEqual(self.fetch_calls("Invoices") - before, 1, "one GET Invoices?IDs= for all six")
        self.assertEqual(self.fetch_calls("Payments"), 0)


@tagged("post_install", "-at_install")
class TestWebhookOrderAndLoss(PaymentCase):

    def test_same_webhook_twice_and_out_of_order(self):
        move = self.invoice(250)
        self.process()
        self.handle()
        self.pay_in_xero(move, 100)
        self.pay_in_xero(move, 150)
        # Xero retries a delivery: the same signed body again
        delivery = self.env["ledger.request.log"].search([("direction", "=", "inbound"), ("status_code", "=", 200)],
                                                       order="id desc", limit=1)
        raw = delivery.request_body.encode()
        resp = self.opener.post(self.base_url() + const.WEBHOOK_ROUTE, data=raw, timeout=30, headers={
            "x-xero-signature": webhook.signature(WEBHOOK_KEY, raw), "Content-Type": "application/json"})
        self.assertEqual(resp.status_code, 200)
        self.env.invalidate_all()
        events = self.Event.search([("resource_id", "=", self.remote_id(move)), ("state", "=", "pending")], order="id")
        self.assertTrue(events)
        with self.odoo_side():
            for event in events.sorted("id", reverse=True):  # the newest first
                event._process(self.tenant)
        self.assertEqual(sorted(self.payments_of(move).mapped("amount")), [100.0, 150.0])
        self.assertEqual(move.payment_state, "paid")
        self.handle()
        self.assertEqual(len(self.payments_of(move)), 2)

    def test_payment_deleted_before_odoo_processed_it(self):
        move = self.invoice(250)
        self.process()
        payment_id = self.pay_in_xero(move, 250)
        self.xero_api("POST", "Payments/%s" % payment_id, {"Status": "DELETED"})
        self.handle()
        self.assertFalse(self.payments_of(move), "Odoo follows the current state: nothing to record")
        self.assertEqual(move.payment_state, "not_paid")

    def test_lost_webhook_is_caught_by_the_poll(self):
        move = self.invoice(250)
        self.process()
        self.handle()
        self.admin_api.post("/webhooks/drop", {"count": 1})
        self.pay_in_xero(move, 250)
        self.assertFalse(self.Event.search([("state", "=", "pending")]), "the delivery was lost")
        with self.odoo_side():
            self.env["xero.inbound"]._cron_poll(commit=False)
        self.assertEqual(move.payment_state, "paid")
        self.assertTrue(self.tenant.poll_since)
        polls = self.env["ledger.request.log"].search([("operation", "=", "poll Invoices")])
        self.assertIn("If-Modified-Since", polls[0].request_headers)
        with self.odoo_side():
            self.env["xero.inbound"]._cron_poll(commit=False)
        self.assertEqual(len(self.payments_of(move)), 1, "polled twice: still one payment")

    def test_check_now_says_how_many_documents_it_changed(self):
        moves = [self.invoice(120 + n) for n in range(3)]
        self.process()
        self.handle()
        for move in moves[:2]:
            self.admin_api.post("/webhooks/drop", {"count": 1})
            self.pay_in_xero(move, move.amount_total)
        with self.odoo_side():
            toast = self.tenant.action_check_xero_now()
        self.assertEqual(toast["params"]["message"], "2 document(s) brought in line with %s." % self.tenant.name)
        self.assertEqual([m.payment_state for m in moves], ["paid", "paid", "not_paid"])
        with self.odoo_side():
            toast = self.tenant.action_check_xero_now()
        self.assertEqual(toast["params"]["message"], "0 document(s) brought in line with %s." % self.tenant.name)

    def test_a_missed_month_end_is_polled_in_units_and_a_poll_out_of_time_keeps_its_window(self):
        """A poll after the webhooks missed many payments applies them in units sized like the
        event worker's claims; a poll that runs out of time says so and keeps its window, so
        the next one (its job woken again) reads it again."""
        moves = [self.invoice(100 + n) for n in range(12)]
        self.process()
        self.handle()
        for move in moves:  # each delivery lost (one at a time: a drop left over would hit the next test)
            self.admin_api.post("/webhooks/drop", {"count": 1})
            self.pay_in_xero(move, move.amount_total)
        self.assertFalse(self.Event.search([("state", "=", "pending")]), "the deliveries were lost")
        Inbound = self.env["xero.inbound"]
        since = self.tenant.poll_since
        with self.odoo_side():
            self.assertFalse(Inbound._poll(self.tenant, deadline=time.monotonic()), "out of time")
        self.assertEqual(self.tenant.poll_since, since, "the window is read again next time")
        self.assertEqual(set(m.payment_state for m in moves), {"not_paid"})
        with self.odoo_side():  # units of 5 documents
            self.assertTrue(Inbound._poll(self.tenant, deadline=time.monotonic() + 600,
                                          pace=ledger_inbound.UNIT_SECONDS / 5))
        self.assertEqual([m.payment_state for m in moves], ["paid"] * 12)
        self.assertEqual([len(self.payments_of(m)) for m in moves], [1] * 12)
        self.assertTrue(self.tenant.poll_since)

    def test_event_for_a_document_odoo_never_sent(self):
        contact = next(c for c in self.admin_api.records("contact", ORG_A))
        created = self.xero_api("PUT", "Invoices", {"Invoices": [{
            "Type": "ACCREC", "Contact": {"ContactID": contact["ContactID"]}, "Status": "AUTHORISED",
            "DueDate": "2026-12-31",
            "LineItems": [{"Description": "Made in Xero", "Quantity": 1, "UnitAmount": 10, "AccountCode": "200"}]}]})
        self.handle()
        event = self.Event.search([("resource_id", "=", created["Invoices"][0]["InvoiceID"])])
        self.assertEqual(event.state, "ignored")
        self.assertIn("Odoo did not send this document", event.message)

    def test_more_than_odoo_expects_is_refused_visibly(self):
        move = self.invoice(250)
        self.process()
        self.handle()
        # someone registered part of it in Odoo too
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=move.ids).create(
            {"amount": 200})._create_payments()
        self.pay_in_xero(move, 250)
        self.handle()
        event = self.Event.search([("resource_id", "=", self.remote_id(move)), ("state", "=", "error")])
        self.assertIn("more than the", event.message)
        self.assertEqual(len(self.payments_of(move)), 0)
        self.assertEqual(move.amount_residual, 50.0, "nothing changed")


@tagged("post_install", "-at_install")
class TestTwoOrganisations(PaymentCase):

    def test_payments_are_routed_to_their_organisation(self):
        company_b = self.env["res.company"].create({"name": "Contoso (Odoo)",
                                                    "currency_id": self.company.currency_id.id})
        self.env["account.chart.template"].try_loading("generic_coa", company=company_b, install_demo=False)
        self.use_base_currency(company_b)  # the generic chart makes it USD; its organisation's base is GBP
        self.env.user.company_ids |= company_b
        other = self.env["ledger.tenant"].search([("remote_id", "=", ORG_B)])
        other.write({"company_id": company_b.id, "sync_customers": True, "sync_invoices": True})
        self.env["xero.importer"]._import(other, ["products"])
        misc = self.env["ledger.item"].search([("tenant_id", "=", other.id), ("code", "=", "MISC")])
        other.catchall_invoice_item_id = misc
        partner_b = self.env["res.partner"].create({
            "name": "Initech", "is_company": True, "company_id": company_b.id,
            "child_ids": [Command.create({"name": "Bill Lumbergh", "type": "invoice", "email": "bl@initech.example"})]})
        move_a = self.invoice(250)
        move_b = self.env["account.move"].with_company(company_b).create({
            "move_type": "out_invoice", "partner_id": partner_b.id, "invoice_date": "2026-11-08",
            "company_id": company_b.id,
            "invoice_line_ids": [Command.create({"name": "Service", "quantity": 1, "price_unit": 400,
                                                 "tax_ids": [Command.clear()]})]})
        move_b.action_post()
        self.process()
        self.process()
        link_b = self.env["ledger.link"].search([("res_model", "=", "account.move"), ("res_id", "=", move_b.id)])
        self.assertEqual(link_b.tenant_id, other)
        self.pay_in_xero(move_a, 250)
        self.pay_in_xero(move_b, 400, tenant=ORG_B, invoice_id=link_b.remote_id)
        self.handle()
        self.assertEqual((move_a.payment_state, move_b.payment_state), ("paid", "paid"))
        self.assertEqual(self.payments_of(move_a).company_id, self.company)
        pay_b = self.Payment.browse(self.env["ledger.link"].search([("remote_parent_id", "=",
                link_b.remote_id)]).res_id)
        self.assertEqual((pay_b.company_id, pay_b.journal_id.company_id), (company_b, company_b))
        events = self.Event.search([("state", "=", "done"), ("category", "=", "INVOICE")])
        self.assertEqual(events.tenant_id, self.tenant | other)
        self.assertEqual(events.filtered(lambda e: e.tenant_id == other).company_id, company_b)
