"""The import fills blanks (issue #23): an existing Odoo partner matched to a Xero contact takes
what Xero knows and Odoo leaves empty — so the drift report, run right after, finds nothing to
say about it — and a value both have and disagree on is listed for a person, never overwritten."""

from odoo.tests import tagged

from .common import ORG_A, XeroHarnessCase


@tagged("post_install", "-at_install")
class TestImportFillsBlanks(XeroHarnessCase):

    def setUp(self):
        super().setUp()
        tenants = self.connect()
        self.tenant = tenants.filtered(lambda t: t.remote_id == ORG_A)
        self.company = self.env["res.company"].create({"name": "Northwind (Odoo)",
                                                       "country_id": self.env.ref("base.uk").id})
        self.env.user.company_ids |= self.company
        self.use_base_currency(self.company)
        self.tenant.company_id = self.company
        self.Partner = self.env["res.partner"].with_company(self.company)
        contacts = {c["Name"]: c for c in self.admin_api.records("contact", ORG_A)}
        # Acme's address in Xero; Odoo knows its city only
        self.harness.app.books.contacts.write(ORG_A.lower(), [{
            "ContactID": contacts["Acme Dental Group"]["ContactID"], "Phones": [
                {"PhoneType": "DEFAULT", "PhoneNumber": "0113 496 0000"}],
            "Addresses": [{"AddressType": "STREET", "AddressLine1": "1 Park Row", "City": "Leeds",
                           "PostalCode": "LS1 5AB", "Country": "GB"}]}], "POST")

    def wizard_lines(self, products=False):
        wizard = self.env["ledger.import.wizard"].create({"tenant_id": self.tenant.id, "import_tax_rates": False,
                                                        "import_accounts": False, "import_tracking": False,
                                                        "import_products": products})
        wizard.action_import()
        self.assertFalse(wizard.error)
        return wizard, {(line.action, line.name): line for line in wizard.line_ids}

    def drift_lines(self):
        self.env["ledger.drift"]._run(self.tenant)
        return self.env["ledger.drift.line"].search([("tenant_id", "=", self.tenant.id), ("state", "=", "open")])

    def test_blank_fields_take_xeros_values_and_the_drift_report_is_clean(self):
        acme = self.Partner.create({"name": "Acme Dental Group", "is_company": True, "company_id": self.company.id,
                                    "city": "Leeds"})
        wizard, lines = self.wizard_lines()
        link = self.env["ledger.link"].search([("res_model", "=", "res.partner"), ("res_id", "=", acme.id)])
        self.assertEqual(link.remote_name, "Acme Dental Group", "matched, not created")
        self.assertEqual((acme.vat, acme.email, acme.phone, acme.street, acme.zip, acme.city, acme.country_id.code),
                         ("GB123456782", "accounts@acmedental.example", "0113 496 0000", "1 Park Row", "LS1 5AB",
                          "Leeds", "GB"))
        term = acme.with_company(self.company).property_payment_term_id
        self.assertEqual((term.line_ids.delay_type, term.line_ids.nb_days), ("days_after", 14))
        filled = lines[("filled", "Acme Dental Group")]
        self.assertIn("Tax ID", filled.reason)
        self.assertEqual((filled.res_model, filled.res_id), ("res.partner", acme.id))
        self.assertIn("Blanks filled from Xero", wizard.summary_html)
        self.assertFalse(self.env["ledger.outbox"].search([("res_model", "=", "res.partner"), ("res_id", "=",
                acme.id)]),
                         "what came from Xero is not sent back")
        # the drift report run right after has nothing to say about it
        self.assertFalse(self.drift_lines().filtered(lambda ln: ln.res_id == acme.id and ln.res_model == "res.partner"))
        # a second import finds nothing left to fill
        _wizard, again = self.wizard_lines()
        self.assertNotIn(("filled", "Acme Dental Group"), again)

    def test_differing_values_are_listed_not_overwritten(self):
        # matched by name; its e-mail and its address differ from Xero's, its blank VAT number does not
        bright = self.Partner.create({"name": "Brightside Legal LLP", "is_company": True,
                                      "company_id": self.company.id, "email": "accounts@brightside.example"})
        acme = self.Partner.create({"name": "Acme Dental Group", "is_company": True, "company_id": self.company.id,
                                    "vat": "GB987654321", "street": "2 Other Street", "city": "York"})
        _wizard, lines = self.wizard_lines()
        self.assertEqual(bright.email, "accounts@brightside.example")
        self.assertEqual((acme.vat, acme.street, acme.city, acme.zip), ("GB987654321", "2 Other Street", "York", False))
        self.assertEqual(acme.email, "accounts@acmedental.example", "a blank is still filled")
        differs = lines[("differs", "Brightside Legal LLP")].reason
        self.assertIn("accounts@brightside.example (Xero: billing@brightside.example)", differs)
        differs = lines[("differs", "Acme Dental Group")].reason
        for text in ("GB987654321 (Xero: GB123456782)", "2 Other Street (Xero: 1 Park Row)", "York (Xero: Leeds)"):
            self.assertIn(text, differs)
        self.assertEqual(lines[("differs", "Acme Dental Group")].res_id, acme.id)

    def test_products_take_xeros_descriptions_where_empty(self):
        Product = self.env["product.template"].with_company(self.company)
        remote = Product.create({"name": "Remote support hour", "default_code": "remote-support",
                                 "company_id": self.company.id})
        onsite = Product.create({"name": "Onsite", "default_code": "ONSITE-VISIT", "company_id": self.company.id,
                                 "description_sale": "Engineer on site"})
        _wizard, lines = self.wizard_lines(products=True)
        self.assertEqual(remote.description_sale, "Remote support, per hour")
        self.assertEqual(onsite.description_sale, "Engineer on site")
        self.assertIn("Engineer on site (Xero: Onsite engineer visit, per hour)",
                      lines[("differs", "Onsite Visit")].reason)
        self.assertEqual(lines[("filled", "Remote Support (1hr)")].res_id, remote.id)
