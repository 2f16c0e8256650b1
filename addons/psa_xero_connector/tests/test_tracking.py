"""Tracking categories (issue #12), against the harness over HTTP: the import matches Odoo's
analytic plans and accounts by name, the mapping screens, and document lines carrying Tracking
from their analytic distribution — one option, a line split 60/40 over two accounts of one
plan, two plans, an option missing in Xero under each organisation setting, bills and
purchase orders."""

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ORG_A, SyncCase


@tagged("post_install", "-at_install")
class TestTracking(SyncCase):
    SWITCHES = ("sync_customers", "sync_suppliers", "sync_invoices", "sync_bills", "sync_purchase_orders")

    def setUp(self):
        super().setUp()
        books = self.harness.app.books
        for name, options in (("Region", ["North", "South", "East"]), ("Department", ["Support", "Projects"])):
            [(ok, out)] = books.tracking.write(ORG_A, [{"Name": name, "Options": [{"Name": o} for o in options]}],
                                               "PUT")
            self.assertTrue(ok, out)
        Plan, Account = self.env["account.analytic.plan"], self.env["account.analytic.account"]
        self.region, self.dept = Plan.create({"name": "Region"}), Plan.create({"name": "department"})
        self.north, self.south, self.west = (Account.create({"name": n, "plan_id": self.region.id})
                                             for n in ("North", "South", "West"))
        self.support = Account.create({"name": "Support", "plan_id": self.dept.id})
        self.Link = self.env["ledger.link"]

    def import_tracking(self):
        return self.env["xero.importer"]._import(self.tenant, ["tracking"])

    def xero_option(self, category, option):
        cat = next(c for c in self.admin_api.records("trackingcategory", ORG_A) if c["Name"] == category)
        return next(o for o in cat["Options"] if o["Name"] == option)["TrackingOptionID"]

    def xero_lines(self, kind="invoice"):
        docs = self.admin_api.records(kind, ORG_A)
        self.assertEqual(len(docs), 1)
        return docs[0]["LineItems"]

    def tracked_invoice(self, distribution, price=333.33, move_type="out_invoice", partner=None):
        move = self.env["account.move"].create({
            "move_type": move_type, "partner_id": (partner or self.partner).id, "invoice_date": "2026-11-08",
            "invoice_date_due": "2026-12-08", "ref": "T-1" if move_type == "in_invoice" else False,
            "invoice_line_ids": [Command.create({"name": "Managed services", "quantity": 1, "price_unit": price,
                                                 "tax_ids": [Command.clear()],
                                                 "analytic_distribution": distribution})]})
        move.action_post()
        self.process()
        return move

    # --- import and mapping -------------------------------------------------------------------------
    def test_import_matches_plans_and_accounts_by_name(self):
        summary = self.import_tracking()
        categories = self.env["ledger.tracking.category"].search([("tenant_id", "=", self.tenant.id)])
        self.assertEqual(sorted(categories.mapped("name")), ["Department", "Region"])
        self.assertEqual(len(categories.option_ids), 5)
        # plans by name (case-insensitive), then accounts of the plan by name; West is not in Xero
        self.assertEqual(self.region.ledger_entry_id.name, "Region")
        self.assertEqual(self.dept.ledger_entry_id.name, "Department")
        self.assertEqual(self.north.ledger_entry_id.tracking_option_id, self.xero_option("Region", "North"))
        self.assertEqual(self.support.ledger_entry_id.display_name, "Department: Support")
        self.assertFalse(self.west.ledger_entry_id)
        self.assertEqual(self.west.ledger_mapping_state, "unmapped")
        self.assertEqual((summary.get("tracking", "imported"), summary.get("tracking", "linked")), (7, 5))
        again = self.import_tracking()
        self.assertEqual((again.get("tracking", "imported"), again.get("tracking", "updated"),
                          again.get("tracking", "linked")), (0, 0, 0))
        self.assertEqual(again.get("tracking", "already"), 3)
        # archived in Xero: inactive in the catalogue; a category without an Odoo plan is listed
        books = self.harness.app.books
        cat = books.tracking.by_name(ORG_A, "Region")
        east = books.tracking.option(cat, name="East")
        books.tracking.update_option(ORG_A, cat["TrackingCategoryID"], east["TrackingOptionID"],
                                     [{"Status": "ARCHIVED"}])
        books.tracking.write(ORG_A, [{"Name": "Region"}], "POST", cat["TrackingCategoryID"])
        self.region.name = "Regions"
        self.Link.search([("res_model", "=", "account.analytic.plan"), ("res_id", "=", self.region.id)]).unlink()
        third = self.import_tracking()
        option = self.env["ledger.tracking.option"].with_context(active_test=False).search(
            [("tracking_option_id", "=", east["TrackingOptionID"])])
        self.assertFalse(option.active)
        self.assertEqual([(ln["entity"], ln["action"], ln["name"]) for ln in third.lines],
                         [("tracking", "unmapped", "Region")])

    def test_mapping_screens(self):
        self.import_tracking()
        west = self.env["ledger.tracking.option"].create({
            "tenant_id": self.tenant.id, "name": "Western", "category_id": self.region.ledger_entry_id.id,
            "tracking_option_id": "b3f4c7a0-0000-4000-8000-000000000001"})
        self.west.ledger_entry_id = west
        link = self.Link.search([("res_model", "=", "account.analytic.account"), ("res_id", "=", self.west.id)])
        self.assertEqual((link.remote_id, link.remote_code), (west.tracking_option_id,
                                                          self.region.ledger_entry_id.tracking_category_id))
        # an option of another category is refused, naming the plan
        with self.assertRaisesRegex(ValidationError, "Region"):
            self.west.ledger_entry_id = self.support.ledger_entry_id
        self.west.ledger_entry_id = False
        self.assertFalse(self.Link.search([("res_model", "=", "account.analytic.account"),
                                           ("res_id", "=", self.west.id)]))
        # the screens exist for managers
        for xmlid in ("action_xero_tracking_mapping", "action_ledger_tracking_category_mapping"):
            action = self.env["ir.actions.act_window"]._for_xml_id("psa_xero_connector." + xmlid)
            self.assertIn(action["res_model"], ("account.analytic.account", "account.analytic.plan"))

    # --- documents ------------------------------------------------------------------------------------
    def test_invoice_with_one_analytic_account(self):
        self.import_tracking()
        move = self.tracked_invoice({str(self.north.id): 100})
        self.assertEqual(self.row(move).state, "done", self.row(move).last_error)
        [line] = self.xero_lines()
        self.assertEqual(line["Tracking"], [{
            "TrackingCategoryID": self.region.ledger_entry_id.tracking_category_id, "Name": "Region",
            "Option": "North", "TrackingOptionID": self.xero_option("Region", "North")}])
        self.assertFalse(move.ledger_tracking_note)

    def test_line_split_60_40_over_two_accounts_of_one_plan(self):
        self.import_tracking()
        move = self.tracked_invoice({str(self.north.id): 60, str(self.south.id): 40})
        self.assertEqual(self.row(move).state, "done", self.row(move).last_error)
        lines = self.xero_lines()
        self.assertEqual([(ln["LineAmount"], [t["Option"] for t in ln["Tracking"]]) for ln in lines],
                         [(200.0, ["North"]), (133.33, ["South"])])
        invoice = self.admin_api.records("invoice", ORG_A)[0]
        self.assertEqual(invoice["Total"], move.amount_total)
        self.assertEqual(move.ledger_tracking_note, "Managed services: 60 % Region: North; 40 % Region: South")
        notes = move.message_ids.filtered(lambda m: "as several lines" in (m.body or ""))
        self.assertEqual(len(notes), 1)
        self.assertIn("60 % Region: North", notes.body)
        # sent again unchanged (an update): no second note
        self.Outbox._enqueue(move, self.tenant, "invoice")
        self.process()
        self.assertEqual(len(move.message_ids.filtered(lambda m: "as several lines" in (m.body or ""))), 1)

    def test_two_plans_two_categories(self):
        self.import_tracking()
        move = self.tracked_invoice({"%s,%s" % (self.north.id, self.support.id): 100})
        self.assertEqual(self.row(move).state, "done", self.row(move).last_error)
        [line] = self.xero_lines()
        self.assertEqual(sorted((t["Name"], t["Option"]) for t in line["Tracking"]),
                         [("Department", "Support"), ("Region", "North")])

    def test_option_missing_in_xero_is_reported(self):
        self.import_tracking()
        move = self.tracked_invoice({str(self.west.id): 100})
        row = self.row(move)
        self.assertEqual(row.state, "error")
        self.assertIn("West", row.last_error)
        self.assertIn("Tracking mapping", row.last_error)
        self.assertIn(move.name, row.last_error)
        self.assertEqual(self.admin_api.records("invoice", ORG_A), [])
        self.assertTrue(move.message_ids.filtered(lambda m: "West" in (m.body or "")))

    def test_option_missing_in_xero_is_created(self):
        self.import_tracking()
        self.tenant.tracking_missing_options = "create"
        move = self.tracked_invoice({str(self.west.id): 100}, price=90)
        self.assertEqual(self.row(move).state, "done", self.row(move).last_error)
        west = self.xero_option("Region", "West")
        [line] = self.xero_lines()
        self.assertEqual([t["TrackingOptionID"] for t in line["Tracking"]], [west])
        self.assertEqual(self.west.ledger_entry_id.tracking_option_id, west)
        # the next document uses it, nothing is created twice
        self.tenant.tracking_missing_options = "report"
        second = self.tracked_invoice({str(self.west.id): 100}, price=10)
        self.assertEqual(self.row(second).state, "done", self.row(second).last_error)
        region = next(c for c in self.admin_api.records("trackingcategory", ORG_A) if c["Name"] == "Region")
        self.assertEqual([o["Name"] for o in region["Options"]].count("West"), 1)

    def test_unmapped_plan_is_not_tracked_and_archived_option_refused(self):
        self.import_tracking()
        other = self.env["account.analytic.plan"].create({"name": "Internal"})
        cost = self.env["account.analytic.account"].create({"name": "Overhead", "plan_id": other.id})
        move = self.tracked_invoice({"%s,%s" % (self.north.id, cost.id): 100})
        self.assertEqual(self.row(move).state, "done", self.row(move).last_error)
        self.assertEqual([t["Option"] for t in self.xero_lines()[0]["Tracking"]], ["North"])
        self.north.ledger_entry_id.active = False
        second = self.tracked_invoice({str(self.north.id): 100}, price=5)
        self.assertEqual(self.row(second).state, "error")
        self.assertIn("archived", self.row(second).last_error)

    def test_documents_follow_mapping_changes(self):
        """The organisation's tracking is cached per process: each change of a mapping or of
        the catalogue must reach the next document."""
        self.import_tracking()
        books = self.harness.app.books

        def options_sent(move):
            self.assertEqual(self.row(move).state, "done", self.row(move).last_error)
            sent = next(i for i in self.admin_api.records("invoice", ORG_A) if i["InvoiceNumber"] == move.name)
            return [(t["Name"], t["Option"]) for t in sent["LineItems"][0].get("Tracking") or []]

        self.assertEqual(options_sent(self.tracked_invoice({str(self.north.id): 100}, price=1)),
                         [("Region", "North")])
        # remapped on the Tracking mapping screen (the account's link is written)
        self.north.ledger_entry_id = self.south.ledger_entry_id
        self.assertEqual(options_sent(self.tracked_invoice({str(self.north.id): 100}, price=2)),
                         [("Region", "South")])
        # renamed in Xero, imported again (the catalogue's option is written)
        cat = books.tracking.by_name(ORG_A, "Region")
        south = books.tracking.option(cat, name="South")
        books.tracking.update_option(ORG_A, cat["TrackingCategoryID"], south["TrackingOptionID"],
                                     [{"Name": "Southern"}])
        self.import_tracking()
        self.assertEqual(options_sent(self.tracked_invoice({str(self.north.id): 100}, price=3)),
                         [("Region", "Southern")])
        # the plan unmapped (its link deleted): no tracking any more
        self.region.ledger_entry_id = False
        self.assertEqual(options_sent(self.tracked_invoice({str(self.north.id): 100}, price=4)), [])

    def test_kept_catalogue_never_holds_what_was_rolled_back(self):
        """The catalogue a process keeps is only reused for the row versions it was read from: one
        read inside a savepoint later rolled back (a batch built again row by row) is not served after."""
        self.import_tracking()
        Option = self.env["ledger.tracking.option"]
        before = Option._xero_tracking_catalog(self.tenant)
        self.assertNotIn(self.west.id, before["accounts"])
        with self.assertRaises(ValueError), self.env.cr.savepoint():
            self.west.ledger_entry_id = Option.create({
                "tenant_id": self.tenant.id, "name": "Western", "category_id": self.region.ledger_entry_id.id,
                "tracking_option_id": "b3f4c7a0-0000-4000-8000-000000000002"})
            self.assertIn(self.west.id, Option._xero_tracking_catalog(self.tenant)["accounts"])
            raise ValueError("rolled back")
        self.env.invalidate_all()
        self.assertEqual(Option._xero_tracking_catalog(self.tenant), before)
        # and the document carries no option for it
        move = self.tracked_invoice({str(self.west.id): 100})
        self.assertEqual(self.row(move).state, "error")
        self.assertIn("West", self.row(move).last_error)

    def test_bills_and_purchase_orders_carry_tracking(self):
        self.import_tracking()
        supplier = self.env["res.partner"].create({"name": "Westcoast Ltd", "is_company": True,
                                                   "company_id": self.company.id})
        bill = self.tracked_invoice({str(self.north.id): 60, str(self.south.id): 40}, price=100,
                                    move_type="in_invoice", partner=supplier)
        self.assertEqual(self.row(bill).state, "done", self.row(bill).last_error)
        bill_lines = [i for i in self.admin_api.records("invoice", ORG_A) if i["Type"] == "ACCPAY"][0]["LineItems"]
        self.assertEqual([(ln["LineAmount"], ln["Tracking"][0]["Option"]) for ln in bill_lines],
                         [(60.0, "North"), (40.0, "South")])
        order = self.env["purchase.order"].create({
            "partner_id": supplier.id,
            "order_line": [Command.create({"name": "Docking stations", "product_qty": 4, "price_unit": 150,
                                           "product_id": self.env["product.product"].create(
                                               {"name": "Dock", "type": "consu"}).id,
                                           "taxes_id": [Command.clear()],
                                           "analytic_distribution": {str(self.support.id): 100}})]})
        order.button_confirm()
        self.process()
        self.assertEqual(self.rows(order).state, "done", self.rows(order).last_error)
        [line] = self.xero_lines("purchaseorder")
        self.assertEqual([(t["Name"], t["Option"]) for t in line["Tracking"]], [("Department", "Support")])
