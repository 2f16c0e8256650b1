"""A month of labour invoiced in Odoo reaches the harness (the simulated Xero) over real HTTP: one
line per charge type with its Xero item and account, hours to the hundredth, Xero's total equal to
Odoo's to the cent."""

from odoo import Command
from odoo.tests import tagged

from odoo.addons.psa_xero_connector.tests.common import ORG_A, XeroHarnessCase


@tagged("post_install", "-at_install")
class TestLabourToXero(XeroHarnessCase):

    def setUp(self):
        super().setUp()
        self.tenant = self.connect().filtered(lambda t: t.remote_id == ORG_A)
        self.company = self.env.company
        self.tenant.company_id = self.company
        self.env["xero.importer"]._import(self.tenant, ["products", "accounts", "tax_rates"])
        Link = self.env["ledger.link"]
        group = self.env["account.tax.group"].search([("company_id", "=", self.company.id)], limit=1)
        self.vat20 = self.env["account.tax"].create({"name": "VAT 20% (labour test)", "amount": 20,
                                                     "type_tax_use": "sale", "company_id": self.company.id,
                                                     "tax_group_id": group.id})
        Link.create({"tenant_id": self.tenant.id, "res_model": "account.tax", "res_id": self.vat20.id,
                     "remote_id": "OUTPUT2", "remote_code": "OUTPUT2"})
        # the charge types' income account is Xero's 220 (Professional Services Income)
        self.income = self.env["account.account"].create({"name": "Professional Services Income",
                                                          "code": "400299", "account_type": "income"})
        services = self.env["ledger.account"].search([("tenant_id", "=", self.tenant.id), ("code", "=", "220")])
        Link.create({"tenant_id": self.tenant.id, "res_model": "account.account", "res_id": self.income.id,
                     "remote_id": services.account_id, "remote_code": "220"})
        charge = {"type": "service", "service_type": "timesheet", "invoice_policy": "delivery",
                  "property_account_income_id": self.income.id, "taxes_id": [Command.set(self.vat20.ids)]}
        Template = self.env["product.template"]
        self.remote = Template.search([("default_code", "=", "REMOTE-SUPPORT")])
        self.onsite = Template.search([("default_code", "=", "ONSITE-VISIT")])
        self.remote.write(dict(charge, labour_minimum=30, labour_increment=15))
        self.onsite.write(dict(charge, labour_minimum=60, labour_increment=30, labour_scope="day"))
        # priced in the organisation's currency (the company's default price list was made in USD)
        pricelist = self.env["product.pricelist"].create({"name": "GBP", "currency_id": self.company.currency_id.id})
        self.partner = self.env["res.partner"].create({"name": "Labour Customer Ltd", "is_company": True,
                                                       "email": "ap@labour.example",
                                                       "property_product_pricelist": pricelist.id})
        data, _ = self.tenant._call("PUT", "Contacts", body={"Contacts": [{"Name": "Labour Customer Ltd"}]})
        Link.create({"tenant_id": self.tenant.id, "res_model": "res.partner", "res_id": self.partner.id,
                     "remote_id": data["Contacts"][0]["ContactID"]})
        project = self.env["project.project"].create({
            "name": "Labour support", "partner_id": self.partner.id, "allow_billable": True,
            "charge_type_id": self.remote.product_variant_id.id})
        self.task = self.env["project.task"].create({"name": "Mail outage", "project_id": project.id,
                                                     "partner_id": self.partner.id})
        self.tech = self.env["hr.employee"].create({"name": "Ada Lovelace"})

    def log(self, hours, date, charge=None, name="Work"):
        vals = {"name": name, "unit_amount": hours, "date": date, "employee_id": self.tech.id,
                "project_id": self.task.project_id.id, "task_id": self.task.id}
        if charge:
            vals["charge_type_id"] = charge.product_variant_id.id
        return self.env["account.analytic.line"].create(vals)

    def test_labour_lines_in_xero(self):
        self.log(0.1, "2026-11-03", name="Password reset")  # 0.5
        self.log(1.1, "2026-11-04", name="Mailbox migration")  # 1.25
        self.log(0.333, "2026-11-05", name="Odd minutes")  # 20 min -> 0.5
        self.log(0.75, "2026-11-06", self.onsite, name="Switch swap")  # 1.0
        self.log(1.2, "2026-11-07", self.onsite, name="Cabling")  # 1.5
        wizard = self.env["labour.invoice.wizard"].create({"date_from": "2026-11-01", "date_to": "2026-11-30",
                                                           "grouping": "charge_type"})
        move = self.env["account.move"].search(wizard.action_create_invoices()["domain"])
        move.invoice_date = "2026-11-30"
        move.action_post()
        collection, payload = move._xero_payload(self.tenant)
        data, _ = self.tenant._call("PUT", collection, body={collection: [payload]},
                                    params={"summarizeErrors": "false", "unitdp": "4"})
        result = data[collection][0]
        self.assertEqual(result["StatusAttributeString"], "OK", result.get("ValidationErrors"))
        items = {item["ItemCode"]: item for item in result["LineItems"]}
        self.assertEqual(set(items), {"REMOTE-SUPPORT", "ONSITE-VISIT"})
        self.assertEqual({item["AccountCode"] for item in items.values()}, {"220"})
        self.assertEqual((items["REMOTE-SUPPORT"]["Quantity"], items["ONSITE-VISIT"]["Quantity"]), (2.25, 2.5))
        self.assertIn("Mailbox migration", items["REMOTE-SUPPORT"]["Description"])
        self.assertIn("AL 1.25 h", items["REMOTE-SUPPORT"]["Description"])
        self.assertEqual((result["SubTotal"], result["TotalTax"], result["Total"]),
                         (move.amount_untaxed, move.amount_tax, move.amount_total))
