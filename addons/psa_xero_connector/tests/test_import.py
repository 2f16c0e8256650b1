"""Import from Xero against the harness over HTTP: matching before creating, exact counts,
idempotency, two tenants apart, ambiguity listed, bad records reported, mapping screens."""

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from harness.seed import CHART
from harness.xerojson import new_id

from .common import ORG_A, XeroHarnessCase

ALL = ("tax_rates", "accounts", "products", "customers", "suppliers")


@tagged("post_install", "-at_install")
class TestImport(XeroHarnessCase):

    def setUp(self):
        super().setUp()
        tenants = self.connect()
        self.tenant_a = tenants.filtered(lambda t: t.remote_id == ORG_A)
        self.tenant_b = tenants - self.tenant_a
        uk = self.env.ref("base.uk").id
        self.company_a = self.env["res.company"].create({"name": "Northwind (Odoo)", "country_id": uk})
        self.company_b = self.env["res.company"].create({"name": "Contoso (Odoo)", "country_id": uk})
        self.tenant_a.company_id = self.company_a
        self.tenant_b.company_id = self.company_b
        self.env.user.company_ids |= self.company_a | self.company_b
        for company in (self.company_a, self.company_b):
            group = self.env["account.tax.group"].create({"name": "VAT", "company_id": company.id})
            Tax = self.env["account.tax"].with_company(company)
            Tax.create([
                {"name": "20% S", "amount": 20, "type_tax_use": "sale", "company_id": company.id,
                 "tax_group_id": group.id},
                {"name": "20% P", "amount": 20, "type_tax_use": "purchase", "company_id": company.id,
                 "tax_group_id": group.id},
                {"name": "0% S", "amount": 0, "type_tax_use": "sale", "company_id": company.id,
                 "tax_group_id": group.id},
            ])
            self.env["account.account"].create([
                {"code": "200", "name": "Sales", "account_type": "income", "company_ids": [(6, 0, company.ids)]},
                {"code": "400", "name": "Advertising", "account_type": "expense", "company_ids": [(6, 0, company.ids)]},
            ])
        self.Importer = self.env["xero.importer"]

    def run_import(self, tenant, what=ALL):
        return self.Importer._import(tenant, what)

    def links(self, tenant, model):
        return self.env["ledger.link"].search([("tenant_id", "=", tenant.id), ("res_model", "=", model)])

    def test_import_into_an_empty_company_then_again(self):
        summary = self.run_import(self.tenant_a)
        self.assertEqual(summary.get("tax_rates", "imported"), 9)
        self.assertEqual(summary.get("taxes", "linked"), 2)          # 20% sales and 20% purchases
        self.assertEqual(summary.get("taxes", "ambiguous"), 1)       # 0%: zero-rated or exempt?
        self.assertEqual(summary.get("accounts", "imported"), len(CHART))  # the seed: Xero's UK chart
        self.assertEqual(summary.get("accounts", "linked"), 2)
        self.assertEqual(summary.get("products", "created"), 7)
        self.assertEqual(summary.get("products", "linked"), 0)
        self.assertEqual(summary.get("customers", "created"), 3)
        self.assertEqual(summary.get("suppliers", "created"), 2)
        partners = self.env["res.partner"].browse(self.links(self.tenant_a, "res.partner").mapped("res_id"))
        self.assertEqual(set(partners.mapped("company_id")), {self.company_a})
        dell = partners.filtered(lambda p: p.name == "Dell Technologies UK")
        self.assertEqual((dell.supplier_rank, dell.customer_rank, dell.ref), (1, 0, "SUP-DELL"))
        acme = partners.filtered(lambda p: p.name == "Acme Dental Group")
        self.assertEqual((acme.customer_rank, acme.email, acme.vat), (1, "accounts@acmedental.example", "GB123456782"))
        remote = self.env["product.template"].search([("default_code", "=", "REMOTE-SUPPORT")])
        self.assertEqual((remote.list_price, remote.type, remote.company_id), (85.0, "service", self.company_a))
        tax = self.env["account.tax"].search([("name", "=", "20% S"), ("company_id", "=", self.company_a.id)])
        self.assertEqual(tax.with_company(self.company_a).ledger_entry_id.tax_type, "OUTPUT2")
        # a second run creates and links nothing
        counts = dict(summary.counts)
        again = self.run_import(self.tenant_a)
        for entity in ("products", "customers", "suppliers", "accounts"):
            self.assertEqual(again.get(entity, "created"), 0, entity)
            self.assertEqual(again.get(entity, "linked"), 0, entity)
        self.assertEqual(again.get("taxes", "linked"), 0)
        self.assertEqual(again.get("customers", "already"), counts[("customers", "created")])
        self.assertEqual(again.get("products", "already"), 7)
        self.assertEqual(again.get("tax_rates", "imported"), 0)
        self.assertEqual(len(self.links(self.tenant_a, "res.partner")), 5)

    def test_existing_records_are_linked_not_duplicated(self):
        Partner = self.env["res.partner"]
        by_ref = Partner.create({"name": "ACME DENTAL (old name)", "ref": "ACME01", "company_id": self.company_a.id})
        by_email = Partner.create({"name": "Brightside", "email": "Billing@Brightside.example"})
        by_name = Partner.create({"name": "Harbour Logistics Limited", "company_id": self.company_a.id})
        product = self.env["product.template"].create({"name": "Remote support hour", "default_code": "remote-support"})
        summary = self.run_import(self.tenant_a, ("products", "customers", "suppliers"))
        self.assertEqual(summary.get("customers", "linked"), 3)
        self.assertEqual(summary.get("customers", "created"), 0)
        self.assertEqual(summary.get("suppliers", "created"), 2)
        self.assertEqual(summary.get("products", "linked"), 1)
        self.assertEqual(summary.get("products", "created"), 6)
        link_of = {link.res_id: link for link in self.links(self.tenant_a, "res.partner")}
        for partner in (by_ref, by_email, by_name):
            self.assertIn(partner.id, link_of)
            self.assertEqual(partner.customer_rank, 1)
        self.assertEqual(link_of[by_ref.id].remote_name, "Acme Dental Group")
        self.assertEqual(by_ref.name, "ACME DENTAL (old name)", "Odoo stays the source of truth")
        self.assertEqual(self.links(self.tenant_a, "product.template").filtered(
            lambda link: link.res_id == product.id).remote_code, "REMOTE-SUPPORT")
        self.assertEqual(self.env["product.template"].search_count([("default_code", "=ilike", "remote-support")]), 1)

    def test_two_tenants_stay_apart_and_a_shared_partner_gets_two_links(self):
        shared = self.env["res.partner"].create({"name": "Acme Dental Group", "email": "accounts@acmedental.example"})
        self.run_import(self.tenant_a)
        self.run_import(self.tenant_b)
        links = self.env["ledger.link"].search([("res_model", "=", "res.partner"), ("res_id", "=", shared.id)])
        self.assertEqual(links.tenant_id, self.tenant_a | self.tenant_b)
        self.assertNotEqual(links[0].remote_id, links[1].remote_id)
        a_partners = self.env["res.partner"].browse(self.links(self.tenant_a, "res.partner").mapped("res_id")) - shared
        b_partners = self.env["res.partner"].browse(self.links(self.tenant_b, "res.partner").mapped("res_id")) - shared
        self.assertEqual(set(a_partners.mapped("company_id")), {self.company_a})
        self.assertEqual(set(b_partners.mapped("company_id")), {self.company_b})
        self.assertFalse(a_partners & b_partners)
        self.assertEqual(len(self.env["ledger.item"].search([("tenant_id", "=", self.tenant_b.id)])), 7)

    def test_ambiguity_is_listed_not_guessed_and_bad_records_are_reported(self):
        app = self.harness.app
        books = app.books
        Partner = self.env["res.partner"]
        twins = Partner.create([{"name": "Harbour One", "email": "ap@harbourlogistics.example"},
                                {"name": "Harbour Two", "email": "AP@harbourlogistics.example"}])
        nameless = new_id()
        app.store.put("contact", nameless, {"ContactID": nameless, "Name": "", "ContactStatus": "ACTIVE",
                                            "_updated": app.clock.now()}, ORG_A)
        books.contacts.write(ORG_A, [
            {"Name": "Old Client", "ContactStatus": "ARCHIVED"},
            {"Name": "Twin A", "EmailAddress": "same@twins.example"},
            {"Name": "Twin B", "EmailAddress": "same@twins.example"},
            {"Name": "Café Müller & Søn"},
            {"Name": "L" * 255},
        ], "PUT")
        books.items.write(ORG_A, [{"Code": "NOSALE", "Name": "Purchased only",
                                   "PurchaseDetails": {"UnitPrice": 3, "AccountCode": "300"}}], "PUT")
        books.taxrates.write(ORG_A, [{"Name": "Compound", "TaxComponents": [
            {"Name": "A", "Rate": 5}, {"Name": "B", "Rate": 2}]}], "PUT")
        acc = books.accounts.by_code(ORG_A, "400")
        books.accounts.write(ORG_A, [{"Status": "ARCHIVED"}], "POST", acc["AccountID"])

        wizard = self.env["ledger.import.wizard"].create({"tenant_id": self.tenant_a.id})
        wizard.action_import()
        lines = {(row.entity, row.action, row.name or "", row.reason) for row in wizard.line_ids}
        reasons = "\n".join(sorted("%s %s %s: %s" % line for line in lines))
        self.assertIn("customers ambiguous Harbour Logistics Ltd: 2 Odoo partners have the same e-mail: "
                      "Harbour One, Harbour Two", reasons)
        self.assertFalse(self.env["ledger.link"].search([("res_model", "=", "res.partner"), ("res_id", "in",
                twins.ids)]))
        self.assertIn("customers skipped : contact without a name", reasons)
        self.assertIn("customers skipped Old Client: archived in Xero", reasons)
        self.assertIn("customers note Twin B: shares the e-mail same@twins.example with the Xero contact Twin A",
                      reasons)
        self.assertIn("products note Purchased only: no sales price in Xero", reasons)
        self.assertIn("accounts skipped Advertising: archived in Xero: not linked", reasons)
        self.assertIn("tax_rates note Compound: 2 components", reasons)
        self.assertIn("taxes ambiguous 0% S", reasons)
        created = self.env["res.partner"].search([("company_id", "=", self.company_a.id)])
        self.assertIn("Café Müller & Søn", created.mapped("name"))
        self.assertIn("L" * 255, created.mapped("name"))
        self.assertIn("Customers", wizard.summary_html)
        self.assertEqual(wizard.state, "done")

    def test_xero_failure_keeps_what_was_imported(self):
        self.admin_api.fault("status", status=503, count=1, path="/Contacts")
        wizard = self.env["ledger.import.wizard"].create({"tenant_id": self.tenant_a.id})
        wizard.action_import()
        self.assertIn("Xero stopped the import", wizard.error)
        self.assertEqual(len(self.env["ledger.item"].search([("tenant_id", "=", self.tenant_a.id)])), 7)
        log = self.env["ledger.request.log"].search([("status_code", "=", 503)], limit=1)
        self.assertEqual(log.state, "failure")

    def test_catchall_items_must_exist_in_the_tenant(self):
        self.run_import(self.tenant_a, ("products",))
        self.run_import(self.tenant_b, ("products",))
        item_a = self.env["ledger.item"].search([("tenant_id", "=", self.tenant_a.id), ("code", "=", "MISC")])
        item_b = self.env["ledger.item"].search([("tenant_id", "=", self.tenant_b.id), ("code", "=", "MISC")])
        self.tenant_a.write({"catchall_invoice_item_id": item_a.id, "catchall_purchase_item_id": item_a.id,
                             "catchall_credit_note_item_id": item_a.id})
        with self.assertRaises(ValidationError):
            self.tenant_a.catchall_invoice_item_id = item_b
        # deleted in Xero, gone at the next import: no longer a valid catch-all
        self.harness.app.books.items.delete(ORG_A, item_a.item_id)
        self.tenant_a.catchall_invoice_item_id = False
        self.tenant_a.catchall_purchase_item_id = False
        self.tenant_a.catchall_credit_note_item_id = False
        self.run_import(self.tenant_a, ("products",))
        self.assertFalse(item_a.active)
        with self.assertRaises(ValidationError):
            self.tenant_a.catchall_invoice_item_id = item_a

    def test_labour_products_and_categories_map_to_items_and_account_codes(self):
        self.run_import(self.tenant_a, ("products",))
        onsite = self.env["ledger.item"].search([("tenant_id", "=", self.tenant_a.id), ("code", "=", "ONSITE-VISIT")])
        labour = self.env["product.template"].create({"name": "Onsite engineer", "type": "service"})
        labour.write({"ledger_link_ids": [(0, 0, {"tenant_id": self.tenant_a.id, "res_model": "product.template",
                                                 "ledger_item_id": onsite.id, "account_code": "220"})]})
        link = labour.ledger_link_ids
        self.assertEqual((link.remote_id, link.remote_code, link.account_code), (onsite.item_id, "ONSITE-VISIT", "220"))
        category = self.env["product.category"].create({"name": "Labour"})
        category.write({"ledger_link_ids": [(0, 0, {"tenant_id": self.tenant_a.id, "res_model": "product.category",
                                                   "ledger_item_id": onsite.id, "account_code": "220"})]})
        self.assertEqual(category.ledger_link_ids.remote_code, "ONSITE-VISIT")

    def test_mapping_screens_for_managers_only(self):
        self.run_import(self.tenant_a, ("tax_rates",))
        base_user = self.env.ref("base.group_user")
        manager = self.env["res.users"].create({
            "name": "Xero manager", "login": "xm", "company_id": self.company_a.id,
            "company_ids": [(6, 0, self.company_a.ids)],
            "groups_id": [(6, 0, [base_user.id, self.env.ref("account.group_account_manager").id,
                                  self.env.ref("psa_ledger.group_ledger_manager").id])]})
        plain = self.env["res.users"].create({
            "name": "Plain", "login": "plainuser", "company_id": self.company_a.id,
            "company_ids": [(6, 0, self.company_a.ids)],
            "groups_id": [(6, 0, [base_user.id, self.env.ref("account.group_account_manager").id])]})
        zero = self.env["account.tax"].search([("name", "=", "0% S"), ("company_id", "=", self.company_a.id)])
        exempt = self.env["ledger.tax.rate"].search([("tenant_id", "=", self.tenant_a.id),
                                                   ("tax_type", "=", "EXEMPTOUTPUT")])
        zero.with_user(manager).with_company(self.company_a).ledger_entry_id = exempt
        self.assertEqual(zero.with_company(self.company_a).ledger_mapping_state,
                "mapped")
        zero_link = self.links(self.tenant_a, "account.tax").filtered(lambda link: link.res_id == zero.id)
        self.assertEqual(zero_link.remote_id,
                         "EXEMPTOUTPUT")
        with self.assertRaises(AccessError):
            self.env["ledger.link"].with_user(plain).search([])
        action = self.env.ref("psa_xero_connector.action_xero_tax_mapping")
        self.assertIn(self.env.ref("psa_ledger.group_ledger_manager"), action.groups_id)
        menus = self.env["ir.ui.menu"].with_user(plain)._visible_menu_ids()
        self.assertNotIn(self.env.ref("psa_xero_connector.menu_xero_tax_mapping").id, menus)
        self.assertIn(self.env.ref("psa_xero_connector.menu_xero_tax_mapping").id,
                      self.env["ir.ui.menu"].with_user(manager)._visible_menu_ids())
        form = self.env["res.partner"].with_user(plain).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertNotIn("ledger_link_ids", form)


@tagged("post_install", "-at_install")
class TestImportProgress(XeroHarnessCase):

    def test_long_imports_report_progress_page_by_page(self):
        tenant = self.connect().filtered(lambda t: t.remote_id == ORG_A)
        tenant.company_id = self.env["res.company"].create({"name": "Big MSP"})
        self.harness.app.books.contacts.write(ORG_A, [{"Name": "Customer %04d" % i} for i in range(2100)], "PUT")
        before = self.env["bus.bus"].search([], order="id desc", limit=1).id or 0
        summary = self.env["xero.importer"]._import(tenant, ["customers", "suppliers"])
        self.assertEqual(summary.get("customers", "created") + summary.get("suppliers", "created"), 2105)
        calls = [r for r in self.harness.app.recent if r["path"].startswith("/api.xro/2.0/Contacts")]
        self.assertEqual(len(calls), 3, "1,000 contacts per call")
        notes = self.env["bus.bus"].search([("id", ">", before)]).mapped("message")
        progress = [n for n in notes if "Contacts page" in n]
        self.assertEqual(len(progress), 3)
        self.assertIn("page 3 of 3 (2105 of 2105)", progress[-1])
