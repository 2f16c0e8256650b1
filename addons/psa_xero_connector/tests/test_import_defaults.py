"""Imports carry Xero's defaults (issue #12), against the harness over HTTP: an item's tax types
and account codes become the product's taxes and accounts through the mappings — and its first
invoice carries them, in Odoo and in Xero —; a tracked item keeps its inventory accounts; a
contact's payment terms, currency and defaults (its default account proposed for a line without
a product); reverse-charge taxes are not matched to the standard rate."""

import json

from odoo import Command
from odoo.tests import tagged

from .common import ORG_A, XeroHarnessCase

ALL = ("tax_rates", "accounts", "products", "customers", "suppliers")


@tagged("post_install", "-at_install")
class TestImportDefaults(XeroHarnessCase):

    def setUp(self):
        super().setUp()
        self.tenant = self.connect().filtered(lambda t: t.remote_id == ORG_A)
        self.company = self.env.company
        self.tenant.write({"company_id": self.company.id, "sync_invoices": True, "sync_bills": True})
        company = self.company
        group = self.env["account.tax.group"].create({"name": "VAT (Xero test)", "company_id": company.id})
        Tax = self.env["account.tax"].with_company(company)

        def tax(name, amount, use, **extra):
            return Tax.create(dict({"name": name, "amount": amount, "type_tax_use": use, "company_id": company.id,
                                    "tax_group_id": group.id}, **extra))
        self.sale20 = tax("20% (Xero test)", 20, "sale")
        self.sale5 = tax("5% (Xero test)", 5, "sale")
        self.purchase20 = tax("20% G (Xero test)", 20, "purchase")
        # l10n_uk's reverse-charge and postponed-import taxes, as it names them
        self.rc_domestic = tax("20% RC (Xero test)", 20, "purchase", description="Reverse Charge (Domestic)")
        self.rc_international = tax("20% RC EX (Xero test)", 20, "purchase",
                                    description="Reverse Charge (International)")
        self.pva = tax("20% PVA (Xero test)", 20, "purchase", description="20% Postponed Import VAT")
        # the company's default sales tax maps to RROUTPUT: before issue #12, a product created
        # from an OUTPUT2 item got it, and so did its first invoice
        company.write({"account_sale_tax_id": self.sale5.id, "account_purchase_tax_id": self.purchase20.id})
        Account = self.env["account.account"].with_company(company)

        def account(code, name, kind):
            return Account.create({"code": code, "name": name, "account_type": kind,
                                   "company_ids": [Command.set(company.ids)]})
        self.acc200 = account("200", "Sales (Xero test)", "income")
        self.acc220 = account("220", "Professional Services Income (Xero test)", "income")
        self.acc310 = account("310", "Cost of Goods Sold (Xero test)", "expense_direct_cost")
        self.acc630 = account("630", "Inventory (Xero test)", "asset_current")
        # Xero's reverse-charge rate (a UK organisation may add it): the international reverse
        # charge goes there, never to INPUT2
        self.harness.app.books.taxrates.write(ORG_A, [{
            "Name": "Reverse Charge Expenses (20%)", "ReportTaxType": "REVERSECHARGES",
            "TaxComponents": [{"Name": "VAT", "Rate": 20}]}], "PUT")

    def run_import(self, what=ALL):
        return self.env["xero.importer"]._import(self.tenant, what)

    def mapped(self, tax):
        return tax.with_company(self.company).ledger_entry_id.tax_type

    def product(self, code):
        return self.env["product.template"].with_company(self.company).search(
            [("default_code", "=", code), ("company_id", "=", self.company.id)])

    def partner(self, name):
        return self.env["res.partner"].with_company(self.company).search(
            [("name", "=", name), ("company_id", "=", self.company.id)])

    def lines(self, summary):
        return ["%s %s %s: %s" % (ln["entity"], ln["action"], ln["name"] or "", ln["reason"]) for ln in summary.lines]

    def contact_link(self, name):
        return self.env["ledger.link"].search([("tenant_id", "=", self.tenant.id), ("res_model", "=", "res.partner"),
                                             ("remote_name", "=", name)])

    def due_date(self, partner):
        """The due date Odoo gives a customer invoice of 9 November 2026 for ``partner``."""
        move = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": partner.id, "invoice_date": "2026-11-09",
            "invoice_line_ids": [Command.create({"name": "Support", "quantity": 1, "price_unit": 100})]})
        return str(move.invoice_date_due)

    def process(self):
        self.env["ledger.outbox"]._cron_process(commit=False)

    def test_reverse_charge_and_postponed_vat_are_not_the_standard_rate(self):
        summary = self.run_import(("tax_rates",))
        self.assertEqual(self.mapped(self.purchase20), "INPUT2")
        self.assertEqual(self.mapped(self.sale20), "OUTPUT2")
        rc_type = self.env["ledger.tax.rate"].search([("tenant_id", "=", self.tenant.id),
                                                    ("name", "=", "Reverse Charge Expenses (20%)")]).tax_type
        self.assertEqual(self.mapped(self.rc_international), rc_type)
        # no Xero rate of their kind: left for the user, each with its reason
        self.assertFalse(self.mapped(self.rc_domestic))
        self.assertFalse(self.mapped(self.pva))
        report = "\n".join(self.lines(summary))
        self.assertIn("taxes unmapped 20% RC (Xero test): no active single-component Xero domestic reverse-charge "
                      "purchase tax rate at 20.0%", report)
        self.assertIn("taxes unmapped 20% PVA (Xero test): no active single-component Xero postponed import VAT "
                      "purchase tax rate at 20.0%", report)

    def test_imported_item_carries_its_taxes_and_accounts_to_the_first_invoice(self):
        summary = self.run_import()
        remote = self.product("REMOTE-SUPPORT")
        self.assertEqual(remote.taxes_id, self.sale20, "OUTPUT2 → the tax mapped to it, not the company default")
        self.assertEqual(remote.property_account_income_id, self.acc220)
        m365 = self.product("M365-BP")
        self.assertEqual((m365.taxes_id, m365.supplier_taxes_id), (self.sale20, self.purchase20))
        self.assertEqual((m365.property_account_income_id, m365.property_account_expense_id),
                         (self.acc200, self.acc310))
        # a tracked item: its purchases go to the inventory asset account (as Xero books them);
        # the cost-of-sales account, which Odoo without stock accounting has no place for, stays
        # on the imported item
        laptop = self.product("LAPTOP-14")
        self.assertEqual((laptop.type, laptop.property_account_expense_id, laptop.property_account_income_id),
                         ("consu", self.acc630, self.acc200))
        item = self.env["ledger.item"].search([("tenant_id", "=", self.tenant.id), ("code", "=", "LAPTOP-14")])
        self.assertEqual((item.tracked, item.inventory_asset_account_code, item.cogs_account_code),
                         (True, "630", "310"))
        # Xero's 210 Managed Services Income has no Odoo account here: said, left to the category
        seat = self.product("MANAGED-SEAT")
        self.assertEqual(seat.taxes_id, self.sale20)
        self.assertFalse(seat.property_account_income_id)
        self.assertIn("products note Managed Seat (monthly): Xero's sales account 210 is mapped to no Odoo account: "
                      "the product uses its category's account; map it in Xero → Account mapping and set the "
                      "product's account", self.lines(summary))

        acme = self.partner("Acme Dental Group")
        move = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": acme.id, "invoice_date": "2026-11-09",
            "invoice_line_ids": [Command.create({"product_id": remote.product_variant_id.id, "quantity": 2})]})
        line = move.invoice_line_ids
        self.assertEqual((line.tax_ids, line.account_id, line.price_unit), (self.sale20, self.acc220, 85.0))
        move.action_post()
        self.process()
        row = self.env["ledger.outbox"].search([("res_model", "=", "account.move"), ("res_id", "=", move.id)])
        self.assertEqual(row.state, "done", row.last_error)
        invoice = next(i for i in self.admin_api.records("invoice", ORG_A) if i.get("InvoiceNumber") == move.name)
        self.assertEqual([(ln["ItemCode"], ln["AccountCode"], ln["TaxType"]) for ln in invoice["LineItems"]],
                         [("REMOTE-SUPPORT", "220", "OUTPUT2")])
        self.assertEqual(invoice["Total"], move.amount_total)
        log = self.env["ledger.request.log"].search([("method", "in", ("PUT", "POST")), ("url", "like", "/Invoices")],
                                                  order="id desc", limit=1)
        sent = json.loads(log.request_body)["Invoices"][0]["LineItems"]
        self.assertEqual([(ln["AccountCode"], ln["TaxType"]) for ln in sent], [("220", "OUTPUT2")])

    def test_unmapped_tax_type_keeps_the_default_and_says_so(self):
        """Items imported before the tax rates: nothing is mapped yet, the report says what to do."""
        summary = self.run_import(("products",))
        remote = self.product("REMOTE-SUPPORT")
        self.assertEqual(remote.taxes_id, self.sale5)
        self.assertIn("products note Remote Support (1hr): Xero's sales tax OUTPUT2 is mapped to no Odoo tax: the "
                      "product has the company's default tax; map it in Xero → Tax mapping and set the product's "
                      "tax", self.lines(summary))
        # a second Odoo tax mapped to OUTPUT2: which one is not guessed
        self.run_import(("tax_rates",))
        other = self.sale20.copy({"name": "20% other (Xero test)"})
        other.with_company(self.company).ledger_entry_id = self.sale20.with_company(self.company).ledger_entry_id
        self.env["product.template"].search([("default_code", "=", "ONSITE-VISIT")]).default_code = "OLD-ONSITE"
        self.env["ledger.link"].search([("tenant_id", "=", self.tenant.id), ("remote_code", "=",
                "ONSITE-VISIT")]).unlink()
        again = self.run_import(("products",))
        self.assertEqual(self.product("ONSITE-VISIT").taxes_id, self.sale5)
        self.assertIn("products note Onsite Visit: Xero's sales tax OUTPUT2 is mapped to several Odoo taxes: the "
                      "product has the company's default tax; choose one on the product", self.lines(again))

    def test_contact_payment_terms_currency_and_defaults(self):
        eur = self.env.ref("base.EUR")
        eur.active = True
        self.harness.app.books.contacts.write(ORG_A, [
            {"Name": "Pax8 Europe", "DefaultCurrency": "EUR", "PurchasesDefaultAccountCode": "310",
             "AccountsPayableTaxType": "INPUT2", "PaymentTerms": {"Bills": {"Day": 7, "Type": "DAYSAFTERBILLMONTH"}}},
            {"Name": "Month-day Client", "PaymentTerms": {"Sales": {"Day": 25, "Type": "OFCURRENTMONTH"}}},
        ], "PUT")
        pax8 = next(c for c in self.admin_api.records("contact", ORG_A) if c["Name"] == "Pax8 Europe")
        self.harness.app.store.put("contact", pax8["ContactID"], dict(pax8, IsSupplier=True), ORG_A)
        terms_before = self.env["account.payment.term"].search_count([])
        summary = self.run_import(("accounts", "customers", "suppliers"))
        # 30 days after the bill date: Odoo's own "30 Days", not a copy
        dell = self.partner("Dell Technologies UK")
        self.assertEqual(dell.property_supplier_payment_term_id, self.env.ref("account.account_payment_term_30days"))
        # day 20 of the following month: a new term with that rule; its first invoice falls due then
        brightside = self.partner("Brightside Legal LLP")
        term = brightside.property_payment_term_id
        self.assertEqual((term.name, term.line_ids.delay_type, term.line_ids.days_next_month, term.company_id),
                         ("Day 20 of the following month", "days_end_of_month_on_the", "20", self.company))
        self.assertEqual(self.due_date(brightside), "2026-12-20")
        harbour = self.partner("Harbour Logistics Ltd")
        self.assertEqual((harbour.property_payment_term_id.line_ids.delay_type,
                          harbour.property_payment_term_id.line_ids.nb_days), ("days_after_end_of_month", 30))
        self.assertEqual(self.due_date(harbour), "2026-12-30")
        self.assertEqual(self.due_date(self.partner("Acme Dental Group")), "2026-11-23")  # 14 days
        pax8_partner = self.partner("Pax8 Europe")
        self.assertEqual(pax8_partner.property_purchase_currency_id, eur)
        self.assertEqual(pax8_partner.property_supplier_payment_term_id.line_ids.nb_days, 7)
        # created once each (14 days, day 20 of the following month, 30 days after end of month,
        # 7 days after end of month), reused by the contacts that share a rule
        self.assertEqual(self.env["account.payment.term"].search_count([]) - terms_before, 4)
        link = self.env["ledger.link"].search([("tenant_id", "=", self.tenant.id), ("res_model", "=", "res.partner"),
                                             ("res_id", "=", pax8_partner.id)])
        self.assertEqual((link.remote_currency, link.remote_purchase_account_code, link.remote_purchase_tax_type),
                         ("EUR", "310", "INPUT2"))
        microsoft = self.contact_link("Microsoft Ireland Operations")
        self.assertEqual((microsoft.remote_purchase_account_code, microsoft.remote_currency), ("463", "GBP"))
        acme = self.contact_link("Acme Dental Group")
        self.assertEqual((acme.remote_sales_account_code, acme.remote_sales_tax_type), ("210", "OUTPUT2"))
        # a line without a product: a partner new to Odoo has no most-used account yet, so its
        # Xero default account is proposed through the account mapping (Xero's 310 → Odoo's 310)
        bill = self.env["account.move"].create({
            "move_type": "in_invoice", "partner_id": pax8_partner.id, "invoice_date": "2026-11-09",
            "invoice_line_ids": [Command.create({"name": "Cloud backup", "quantity": 1, "price_unit": 240})]})
        self.assertEqual(bill.invoice_line_ids.account_id, self.acc310)
        harbour_invoice = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": harbour.id, "invoice_date": "2026-11-09",
            "invoice_line_ids": [Command.create({"name": "Support", "quantity": 1, "price_unit": 100})]})
        self.assertEqual(harbour_invoice.invoice_line_ids.account_id, self.acc220)
        # Xero's 210 is mapped to no Odoo account here: Odoo's own choice (the journal's account)
        brightside_invoice = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": brightside.id, "invoice_date": "2026-11-09",
            "invoice_line_ids": [Command.create({"name": "Support", "quantity": 1, "price_unit": 100})]})
        self.assertEqual(brightside_invoice.invoice_line_ids.account_id,
                         brightside_invoice.journal_id.default_account_id)
        # a second import refreshes Xero's defaults on the link, and creates no payment term again
        self.harness.app.books.contacts.write(ORG_A, [{"PurchasesDefaultAccountCode": "429"}], "POST",
                                              link.remote_id)
        terms_after = self.env["account.payment.term"].search_count([])
        self.run_import(("customers", "suppliers"))
        self.assertEqual(link.remote_purchase_account_code, "429")
        self.assertEqual(self.env["account.payment.term"].search_count([]), terms_after)
        # a rule Odoo cannot express is said, and the partner keeps no term
        month_day = self.partner("Month-day Client")
        self.assertFalse(month_day.property_payment_term_id)
        self.assertIn("customers note Month-day Client: Xero's payment term OFCURRENTMONTH has no Odoo equivalent "
                      "(Odoo's terms count forward from the invoice date or a month end): set the partner's payment "
                      "terms by hand", self.lines(summary))
