"""Real Odoo invoices → payload → the harness: Xero's total equals Odoo's to the cent (tax
excluded and included prices, discounts, several taxes, rounding per line), lines carry the
product's Xero item or the tenant's catch-all, and the mapped tax types and account codes."""

from odoo import Command
from odoo.tests import tagged

from .common import ORG_A, XeroHarnessCase


@tagged("post_install", "-at_install")
class TestDocumentTotals(XeroHarnessCase):

    def setUp(self):
        super().setUp()
        self.tenant = self.connect().filtered(lambda t: t.remote_id == ORG_A)
        self.company = self.env.company
        self.tenant.company_id = self.company
        self.env["xero.importer"]._import(self.tenant, ["products", "accounts", "tax_rates"])
        group = self.env["account.tax.group"].search([("company_id", "=", self.company.id)], limit=1)
        Tax = self.env["account.tax"]
        common = {"type_tax_use": "sale", "company_id": self.company.id, "tax_group_id": group.id}
        self.vat20 = Tax.create(dict(common, name="VAT 20% (Xero test)", amount=20))
        self.vat20_incl = Tax.create(dict(common, name="VAT 20% incl. (Xero test)", amount=20,
                                          price_include_override="tax_included"))
        self.vat5 = Tax.create(dict(common, name="VAT 5% (Xero test)", amount=5))
        Link = self.env["ledger.link"]
        for tax, tax_type in ((self.vat20, "OUTPUT2"), (self.vat20_incl, "OUTPUT2"), (self.vat5, "RROUTPUT")):
            Link.create({"tenant_id": self.tenant.id, "res_model": "account.tax", "res_id": tax.id,
                         "remote_id": tax_type, "remote_code": tax_type})
        journal = self.env["account.journal"].search([("type", "=", "sale"), ("company_id", "=", self.company.id)],
                                                     limit=1)
        self.income = journal.default_account_id
        sales = self.env["ledger.account"].search([("tenant_id", "=", self.tenant.id), ("code", "=", "200")])
        Link.search([("tenant_id", "=", self.tenant.id), ("res_model", "=", "account.account"),
                     ("res_id", "=", self.income.id)]).unlink()
        Link.create({"tenant_id": self.tenant.id, "res_model": "account.account", "res_id": self.income.id,
                     "remote_id": sales.account_id, "remote_code": "200"})
        self.partner = self.env["res.partner"].create({"name": "Totals Customer Ltd", "email": "ap@totals.example"})
        data, _ = self.tenant._call("PUT", "Contacts", body={"Contacts": [{"Name": "Totals Customer Ltd"}]})
        Link.create({"tenant_id": self.tenant.id, "res_model": "res.partner", "res_id": self.partner.id,
                     "remote_id": data["Contacts"][0]["ContactID"]})
        misc = self.env["ledger.item"].search([("tenant_id", "=", self.tenant.id), ("code", "=", "MISC")])
        self.tenant.catchall_invoice_item_id = misc
        self.remote = self.env["product.template"].search([("default_code", "=", "REMOTE-SUPPORT")]).product_variant_id

    def invoice(self, lines):
        move = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": self.partner.id, "invoice_date": "2026-11-02",
            "invoice_date_due": "2026-12-02",
            "invoice_line_ids": [Command.create(dict({"account_id": self.income.id}, **line)) for line in lines]})
        move.action_post()
        return move

    def send(self, move):
        collection, payload = move._xero_payload(self.tenant)
        data, _ = self.tenant._call("PUT", collection, body={collection: [payload]},
                                    params={"summarizeErrors": "false", "unitdp": "4"})
        result = data[collection][0]
        self.assertEqual(result["StatusAttributeString"], "OK", result.get("ValidationErrors"))
        return payload, result

    def assert_same_totals(self, move):
        payload, result = self.send(move)
        self.assertEqual((result["SubTotal"], result["TotalTax"], result["Total"]),
                         (move.amount_untaxed, move.amount_tax, move.amount_total))
        self.assertEqual(result["AmountDue"], move.amount_residual)
        return payload, result

    def test_tax_excluded_with_discount(self):
        move = self.invoice([{"name": "Licences", "quantity": 3, "price_unit": 9.99, "discount": 12.5,
                              "tax_ids": [Command.set(self.vat20.ids)]}])
        payload, _ = self.assert_same_totals(move)
        self.assertEqual(payload["LineAmountTypes"], "Exclusive")
        self.assertEqual(payload["LineItems"][0]["DiscountRate"], 12.5)

    def test_tax_included_prices(self):
        move = self.invoice([
            {"name": "Onsite", "quantity": 1, "price_unit": 120, "tax_ids": [Command.set(self.vat20_incl.ids)]},
            {"name": "Parts", "quantity": 3, "price_unit": 9.99, "tax_ids": [Command.set(self.vat20_incl.ids)]}])
        payload, _ = self.assert_same_totals(move)
        self.assertEqual(payload["LineAmountTypes"], "Inclusive")

    def test_several_taxes_and_rounding_per_line(self):
        move = self.invoice([
            {"name": "Tiny", "quantity": 3, "price_unit": 0.13, "tax_ids": [Command.set(self.vat20.ids)]},
            {"name": "Reduced", "quantity": 7, "price_unit": 1.43, "discount": 3.3,
             "tax_ids": [Command.set(self.vat5.ids)]},
            {"name": "No tax", "quantity": 1, "price_unit": 40, "tax_ids": [Command.clear()]},
            {"name": "Odd", "quantity": 0.333, "price_unit": 77.77, "discount": 7.5,
             "tax_ids": [Command.set(self.vat20.ids)]}])
        payload, result = self.assert_same_totals(move)
        self.assertEqual([item["TaxType"] for item in payload["LineItems"]], ["OUTPUT2", "RROUTPUT", "NONE", "OUTPUT2"])

    def test_lines_use_the_products_item_else_the_catchall(self):
        move = self.invoice([
            {"product_id": self.remote.id, "name": "Remote support", "quantity": 2, "price_unit": 85,
             "tax_ids": [Command.set(self.vat20.ids)]},
            {"name": "Cable", "quantity": 1, "price_unit": 12, "tax_ids": [Command.set(self.vat20.ids)]}])
        payload, result = self.assert_same_totals(move)
        self.assertEqual([item.get("ItemCode") for item in payload["LineItems"]], ["REMOTE-SUPPORT", "MISC"])
        self.assertEqual({item["AccountCode"] for item in result["LineItems"]}, {"200"})
        self.assertEqual(result["InvoiceNumber"], move.name)
