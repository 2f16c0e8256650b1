"""Foreign currencies (issue #12), end to end: a GBP company and its GBP organisation, EUR and
USD documents sent with Odoo's rate, Xero's totals and base figures equal to Odoo's, a EUR
payment recorded in Xero at another rate → Paid in Odoo with Odoo's own exchange difference,
and a currency the organisation has not added, under each setting."""

from decimal import Decimal

from odoo import Command
from odoo.tests import tagged

from harness.accounting import currencies

from ..xero import to_xero
from .common import ORG_A
from .test_payments import PaymentCase


@tagged("post_install", "-at_install")
class TestCurrencies(PaymentCase):
    SWITCHES = PaymentCase.SWITCHES + ("sync_purchase_orders",)

    def setUp(self):
        super().setUp()
        self.eur, self.usd = self.env.ref("base.EUR"), self.env.ref("base.USD")
        (self.eur | self.usd).active = True
        # Odoo's rates, set explicitly: units per 1 GBP (the company's currency)
        for currency, rate in ((self.eur, 1.15), (self.usd, 1.27)):
            currency.rate_ids.filtered(lambda r: r.company_id in (self.company, self.company.root_id)).unlink()
            self.env["res.currency.rate"].create({"currency_id": currency.id, "company_id": self.company.id,
                                                  "name": "2026-11-01", "rate": rate})
        self.assertEqual(self.company.currency_id.name, "GBP")

    def add_in_xero(self, *codes):
        for code in codes:
            self.tenant._call("PUT", "Currencies", body={"Code": code})

    def xero_doc(self, record, collection="Invoices"):
        link = self.env["ledger.link"].search([("res_model", "=", record._name), ("res_id", "=", record.id),
                                             ("tenant_id", "=", self.tenant.id)])
        self.assertTrue(link, "%s is not in Xero: %s" % (record.display_name, self.row(record).last_error))
        data, _ = self.tenant._call("GET", "%s/%s" % (collection, link.remote_id))
        return data[collection][0]

    def foreign_invoice(self, currency, move_type="out_invoice", partner=None, lines=((2, 85), (1, 120.5))):
        move = self.env["account.move"].create({
            "move_type": move_type, "partner_id": (partner or self.partner).id, "invoice_date": "2026-11-08",
            "invoice_date_due": "2026-12-08", "currency_id": currency.id, "ref": "REF-%s" % move_type,
            "invoice_line_ids": [Command.create({"name": "Line %d" % n, "quantity": qty, "price_unit": price,
                                                 "tax_ids": [Command.clear()]})
                                 for n, (qty, price) in enumerate(lines)]})
        move.action_post()
        return move

    def supplier(self):
        return self.env["res.partner"].create({"name": "Dell Technologies US", "is_company": True,
                                               "supplier_rank": 1, "company_id": self.company.id})

    def assert_same_figures(self, move, rate, collection="Invoices"):
        """Xero's total in the document's currency is Odoo's, and at Xero's rate — its lines
        and taxes converted as a journal carries them — Odoo's company-currency amount, to the
        cent. -> Xero's document."""
        xero = self.xero_doc(move, collection)
        self.assertEqual((xero["CurrencyCode"], xero["CurrencyRate"]), (move.currency_id.name, rate))
        self.assertEqual(Decimal(str(xero["Total"])), Decimal(str(move.amount_total)))
        entity = self.harness.app.books.by_path[collection.lower()]
        self.assertEqual(currencies.base_total(entity.get(ORG_A, xero[entity.id_field]), "GBP"),
                         Decimal(str(abs(move.amount_total_signed))).quantize(Decimal("0.01")))
        return xero

    # --- sending ---------------------------------------------------------------------------------------
    def test_eur_invoice_sent_at_odoos_rate_and_paid_in_eur_in_xero(self):
        self.add_in_xero("EUR")
        move = self.foreign_invoice(self.eur)
        self.assertEqual(move.invoice_currency_rate, 1.15)
        self.process()
        xero = self.assert_same_figures(move, 1.15)
        self.assertEqual((xero["Total"], xero["AmountDue"]), (290.5, 290.5))  # EUR, as Odoo's
        self.assertEqual(abs(move.amount_total_signed), 252.61)                 # GBP: 290.50 / 1.15
        self.handle()
        # the customer pays in EUR; Xero books it at its own rate of the day (1.10)
        payment_id = self.pay_in_xero(move, 290.5, CurrencyRate=1.1, Date="2026-11-20")
        self.handle()
        self.assertEqual(move.payment_state, "paid")
        payment = self.payments_of(move)
        link = self.env["ledger.link"].search([("res_model", "=", "account.payment"), ("res_id", "=", payment.id)])
        self.assertEqual(link.remote_id, payment_id)
        xero_payment = self.tenant._call("GET", "Payments/%s" % payment_id)[0]["Payments"][0]
        self.assertEqual((payment.currency_id, payment.amount), (self.eur, xero_payment["Amount"]))
        # Xero's amount in GBP (BankAmount, 290.50 / 1.10), not Odoo's rate of the day
        self.assertEqual((xero_payment["BankAmount"], payment.amount_company_currency_signed), (264.09, 264.09))
        # Odoo reconciled it in EUR and booked the difference (264.09 − 252.61) as its own exchange entry
        receivable = move.line_ids.filtered(lambda line: line.display_type == "payment_term")
        self.assertTrue(receivable.reconciled and receivable.full_reconcile_id)
        exchange = receivable.matched_credit_ids.exchange_move_id | receivable.full_reconcile_id.exchange_move_id
        self.assertEqual(len(exchange), 1, "Odoo's exchange difference entry")
        self.assertEqual(exchange.journal_id, self.company.currency_exchange_journal_id)
        self.assertAlmostEqual(sum(exchange.line_ids.filtered(lambda line: line.account_id ==
                                                              receivable.account_id).mapped("balance")),
                               264.09 - 252.61, places=2)

    def test_usd_bill_credit_note_and_eur_purchase_order(self):
        self.add_in_xero("USD", "EUR")
        supplier = self.supplier()
        bill = self.foreign_invoice(self.usd, "in_invoice", supplier, lines=((3, 99.99), (1, 0.35)))
        refund = self.foreign_invoice(self.usd, "out_refund", lines=((1, 45.55),))
        order = self.env["purchase.order"].create({
            "partner_id": supplier.id, "currency_id": self.eur.id, "date_order": "2026-11-08 10:00:00",
            "order_line": [Command.create({"name": "Cables", "product_qty": 7, "price_unit": 3.33,
                                           "taxes_id": [Command.clear()],
                                           "product_id": self.env["product.product"].create(
                                               {"name": "Cable", "purchase_ok": True}).id})]})
        order.button_confirm()
        self.process()
        self.assert_same_figures(bill, 1.27)   # 236.20 + 0.28 GBP: per line, as Odoo (300.32 / 1.27 = 236.47)
        self.assert_same_figures(refund, 1.27, "CreditNotes")
        xero_order = self.xero_doc(order, "PurchaseOrders")
        self.assertEqual((xero_order["CurrencyCode"], xero_order["CurrencyRate"], xero_order["Total"]),
                         ("EUR", 1.15, order.amount_total))
        # the bill paid in USD at Xero's day rate: registered in USD at Xero's GBP amount
        self.handle()
        self.pay_in_xero(bill, bill.amount_total)
        self.handle()
        payment = self.payments_of(bill)
        xero_payment = self.xero_doc(bill)["Payments"][0]
        self.assertEqual((bill.payment_state, payment.currency_id, payment.amount), ("paid", self.usd, 300.32))
        self.assertAlmostEqual(abs(payment.amount_company_currency_signed),
                               float(to_xero.to_base(300.32, xero_payment["CurrencyRate"])), places=2)

    def test_gbp_documents_go_without_a_rate(self):
        move = self.invoice(250)
        self.process()
        xero = self.xero_doc(move)
        self.assertEqual((xero["CurrencyCode"], xero["CurrencyRate"], xero["Total"]), ("GBP", 1, 250))
        sent = self.env["ledger.request.log"].search([("method", "=", "PUT"), ("url", "like", "/Invoices")],
                                                   order="id desc", limit=1)
        self.assertNotIn("CurrencyRate", sent.request_body)

    # --- a currency the organisation has not added ---------------------------------------------------------
    def test_currency_missing_in_xero_is_reported_before_sending(self):
        self.assertEqual(self.tenant.missing_currency_policy, "report")
        self.assertEqual((self.tenant.base_currency, self.tenant.remote_currencies), ("GBP", "GBP"))  # by the import
        move = self.foreign_invoice(self.eur)
        self.process()
        row = self.row(move)
        self.assertEqual(row.state, "error")
        self.assertIn("%s is in EUR, which %s has not added in Xero" % (move.display_name, self.tenant.name),
                      row.last_error)
        self.assertIn("Settings → Currencies", row.last_error)
        self.assertIn("Currencies missing in Xero", row.last_error)
        self.assertFalse(self.harness.app.books.invoices.records(ORG_A), "nothing reached Xero")
        self.assertEqual(self.env["ledger.request.log"].search_count([("operation", "=", "read currencies")]), 2,
                         "read by the import, and once more before saying so (someone may have added it)")
        # added in Xero meanwhile: Retry sends it
        self.add_in_xero("EUR")
        row.action_retry()
        self.process()
        self.assertEqual(self.row(move).state, "done")
        self.assert_same_figures(move, 1.15)
        self.assertEqual(self.tenant.remote_currencies, "EUR,GBP")

    def test_currency_missing_in_xero_is_added_when_the_organisation_says_so(self):
        self.tenant.missing_currency_policy = "enable"
        first, second = self.foreign_invoice(self.eur), self.foreign_invoice(self.eur)
        self.process()
        self.assertEqual((self.row(first).state, self.row(second).state), ("done", "done"))
        self.assertEqual([c["Code"] for c in self.harness.app.books.currencies.records(ORG_A)], ["GBP", "EUR"])
        self.assertEqual(self.env["ledger.request.log"].search_count([("operation", "=", "add currency")]), 1)
        self.assertEqual(self.tenant.remote_currencies, "EUR,GBP")
        self.assert_same_figures(first, 1.15)

    def test_no_odoo_rate_or_another_base_currency_is_refused_before_sending(self):
        self.tenant.missing_currency_policy = "enable"
        chf = self.env.ref("base.CHF")
        chf.active = True
        chf.rate_ids.unlink()
        move = self.foreign_invoice(chf)
        self.process()
        self.assertIn("Odoo has no CHF rate, so it would be sent at 1.0", self.row(move).last_error)
        self.tenant.sudo().base_currency = "NZD"
        other = self.foreign_invoice(self.eur)
        self.process()
        self.assertIn("keeps its books in GBP but %s's base currency in Xero is NZD" % self.tenant.name,
                      self.row(other).last_error)
        self.assertFalse(self.harness.app.books.invoices.records(ORG_A))
