"""Time on tasks becomes invoice lines by charge type: rounding, routing, grouping, locking,
credit notes, the unbilled report."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import LabourCase


@tagged("post_install", "-at_install")
class TestLabourBilling(LabourCase):

    def test_minimum_and_increment_per_entry(self):
        short = self.log(0.1)  # 6 minutes, 30-minute minimum
        long = self.log(1.1)  # 66 minutes in 15-minute increments
        self.assertEqual((short.billable_hours, long.billable_hours), (0.5, 1.25))
        self.assertEqual((short.unit_amount, long.unit_amount), (0.1, 1.1), "the logged time (cost) is unchanged")
        self.assertEqual(short.so_line.qty_delivered, 1.75)

    def test_per_task_and_day_rounds_the_day_together(self):
        first = self.log(0.25, charge_type_id=self.onsite.id)
        second = self.log(0.5, employee=self.bob, charge_type_id=self.onsite.id)
        other_day = self.log(0.25, date="2026-11-04", charge_type_id=self.onsite.id)
        # 45 minutes the same day: one 60-minute minimum for the two, not two
        self.assertAlmostEqual(first.billable_hours + second.billable_hours, 1.0)
        self.assertEqual(other_day.billable_hours, 1.0)
        second.unit_amount = 1.25  # 90 minutes: 30-minute steps
        self.assertAlmostEqual(first.billable_hours + second.billable_hours, 1.5)
        second.unlink()
        self.assertEqual(first.billable_hours, 1.0)
        # per entry, the same two would have been a minimum each
        self.onsite.labour_scope = "entry"
        a, b = self.log(0.25, charge_type_id=self.onsite.id), self.log(0.5, charge_type_id=self.onsite.id)
        self.assertEqual(a.billable_hours + b.billable_hours, 2.0)

    def test_charge_type_defaults_from_task_and_changes_per_entry(self):
        self.task.charge_type_id = self.onsite
        entry = self.log(1.0)
        self.assertEqual(entry.charge_type_id, self.onsite)
        self.assertEqual(entry.so_line.product_id, self.onsite)
        self.assertEqual(entry.so_line.order_id.partner_id, self.customer)
        self.assertEqual(entry.so_line.price_unit, 120.0, "the customer's price list price")
        onsite_line = entry.so_line
        entry.charge_type_id = self.remote
        self.assertEqual(entry.so_line.product_id, self.remote)
        self.assertEqual(entry.so_line.order_id, onsite_line.order_id, "the customer's labour order gains a line")
        self.assertEqual(onsite_line.qty_delivered, 0.0)
        self.assertEqual(entry.so_line.qty_delivered, 1.0)
        # a new task of the project takes the project's default
        task2 = self.env["project.task"].create({"name": "VPN", "project_id": self.project.id,
                                                 "partner_id": self.customer.id})
        self.assertEqual(self.log(0.5, task=task2).charge_type_id, self.remote)

    def test_routed_to_the_customers_existing_line(self):
        order = self.env["sale.order"].create({"partner_id": self.customer.id, "order_line": [
            (0, 0, {"product_id": self.remote.id, "product_uom_qty": 0, "price_unit": 75})]})
        order.action_confirm()
        entry = self.log(1.0)
        self.assertEqual(entry.so_line, order.order_line)
        self.assertEqual(self.env["sale.order"].search_count([("partner_id", "=", self.customer.id)]), 1)

    def test_entries_logged_together_share_one_new_line(self):
        """Entries created in one call are routed as a batch: the first makes the customer's labour
        line, the others land on it (not a line each); day groups are rounded per task and day."""
        task2 = self.env["project.task"].create({"name": "VPN", "project_id": self.project.id,
                                                 "partner_id": self.customer.id})
        vals = [{"name": "Work", "unit_amount": hours, "date": date, "employee_id": self.jane.id,
                 "project_id": self.project.id, "task_id": task.id, "charge_type_id": charge.id}
                for hours, date, task, charge in ((0.1, "2026-11-03", self.task, self.remote),
                                                  (1.1, "2026-11-03", task2, self.remote),
                                                  (0.25, "2026-11-03", self.task, self.onsite),
                                                  (0.5, "2026-11-03", self.task, self.onsite),
                                                  (0.25, "2026-11-03", task2, self.onsite),
                                                  (0.25, "2026-11-04", self.task, self.onsite))]
        entries = self.env["account.analytic.line"].create(vals)
        self.assertEqual(len(entries.so_line), 2, "one line per charge type, not one per entry")
        self.assertEqual(entries.so_line.order_id.partner_id, self.customer)
        self.assertEqual(len(entries.so_line.order_id), 1)
        # onsite, per task and day: 45 minutes on the task on the 3rd -> 1 h; 15 minutes on task2 -> 1 h
        self.assertEqual(entries.mapped("billable_hours"), [0.5, 1.25, 0.33, 0.67, 1.0, 1.0])

    def test_non_billable_excluded(self):
        billed = self.log(1.0)
        free = self.log(2.0, labour_billable=False)
        self.assertFalse(free.so_line)
        self.assertEqual(free.billable_hours, 0.0)
        invoice = self.invoice()
        self.assertEqual(invoice.invoice_line_ids.quantity, 1.0)
        self.assertEqual(billed.timesheet_invoice_id, invoice)
        self.assertFalse(free.timesheet_invoice_id)

    def test_one_line_per_charge_type_listing_the_work(self):
        self.log(0.1, name="Reset password")
        self.log(1.1, employee=self.bob, date="2026-11-05", name="Mail flow")
        self.log(0.75, charge_type_id=self.onsite.id, date="2026-11-06", name="Replaced switch")
        self.log(1.0, date="2026-12-01", name="Next month")  # outside the period
        invoice = self.invoice()
        self.assertEqual(len(invoice), 1)
        lines = invoice.invoice_line_ids.sorted(lambda line: line.product_id.name)
        self.assertEqual(lines.product_id, self.onsite | self.remote)
        onsite, remote = lines
        self.assertEqual((remote.quantity, onsite.quantity), (1.75, 1.0))
        self.assertEqual(remote.name.split("\n"), [
            "Remote Support",
            "2026-11-03 #%d Printer offline JD 0.50 h Reset password" % self.task.id,
            "2026-11-05 #%d Printer offline BS 1.25 h Mail flow" % self.task.id,
        ])
        self.assertIn("1.00 h Replaced switch", onsite.name)
        self.assertEqual(invoice.amount_untaxed, 1.75 * 90 + 1.0 * 120)

    def test_one_line_per_entry(self):
        self.log(0.1, name="Reset password")
        self.log(1.1, employee=self.bob, date="2026-11-05", name="Mail flow")
        invoice = self.invoice(grouping="entry")
        lines = invoice.invoice_line_ids.sorted("quantity")
        self.assertEqual(lines.mapped("quantity"), [0.5, 1.25])
        self.assertIn("Reset password", lines[0].name)
        self.assertIn("BS 1.25 h Mail flow", lines[1].name)
        self.assertEqual(lines[0].sale_line_ids, lines[1].sale_line_ids)
        self.assertEqual(lines.sale_line_ids.qty_invoiced, 1.75)

    def test_description_cut_within_the_limit(self):
        self.env["ir.config_parameter"].sudo().set_param("psa_labour_billing.description_max", "400")
        for day in range(1, 21):
            self.log(0.5, date="2026-11-%02d" % day, name="Routine check %d" % day)
        line = self.invoice().invoice_line_ids
        self.assertLessEqual(len(line.name), 400)
        kept = line.name.count("Routine check")
        self.assertTrue(line.name.endswith("… and %d more entries" % (20 - kept)), line.name)
        self.assertEqual(line.quantity, 10.0, "what the text leaves out is still billed")

    def test_posted_locks_credit_frees_reinvoiced_once(self):
        entry = self.log(1.1)
        invoice = self.invoice()
        invoice.action_post()
        with self.assertRaises(UserError):
            entry.charge_type_id = self.onsite
        with self.assertRaises(UserError):
            entry.unit_amount = 3
        with self.assertRaises(UserError):
            self.invoice()  # nothing left to bill
        reversal = self.env["account.move.reversal"].with_context(
            active_model="account.move", active_ids=invoice.ids).create({
                "journal_id": invoice.journal_id.id, "reason": "wrong customer"})
        credit = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        credit.action_post()
        self.assertEqual(invoice.payment_state, "reversed")
        again = self.invoice()
        self.assertEqual(again.invoice_line_ids.quantity, 1.25)
        self.assertEqual(entry.timesheet_invoice_id, again)
        again.action_post()
        with self.assertRaises(UserError):
            self.invoice()  # once: not a third time

    def test_cancelled_invoice_frees_time(self):
        entry = self.log(0.5)
        invoice = self.invoice()
        invoice.button_cancel()
        again = self.invoice()
        self.assertEqual(entry.timesheet_invoice_id, again)
        self.assertEqual(again.invoice_line_ids.quantity, 0.5)

    def test_unbilled_report(self):
        self.log(0.1)  # 0.5 remote
        self.log(1.1, employee=self.bob)  # 1.25 remote
        self.log(0.75, charge_type_id=self.onsite.id, employee=self.bob)  # 1.0 onsite
        self.log(3.0, labour_billable=False)  # not billable: not a leak
        Report = self.env["labour.unbilled.report"]
        self.env.flush_all()
        rows = Report._read_group([("partner_id", "=", self.customer.id)], ["charge_type_id", "employee_id"],
                                  ["billable_hours:sum", "hours_logged:sum", "amount:sum"])
        figures = {(c.name, e.name): (b, h, a) for c, e, b, h, a in rows}
        self.assertEqual(figures, {
            ("Remote Support", "Jane Doe"): (0.5, 0.1, 45.0),
            ("Remote Support", "Bob Smith"): (1.25, 1.1, 112.5),
            ("Onsite Visit", "Bob Smith"): (1.0, 0.75, 120.0),
        })
        self.invoice()
        self.env.flush_all()
        self.assertFalse(Report.search([("partner_id", "=", self.customer.id)]), "invoiced: no longer unbilled")

    def test_customers_get_one_invoice_each(self):
        project2 = self.env["project.project"].create({
            "name": "Initech support", "partner_id": self.other.id, "allow_billable": True,
            "charge_type_id": self.onsite.id})
        task2 = self.env["project.task"].create({"name": "Server room", "project_id": project2.id,
                                                 "partner_id": self.other.id})
        self.log(1.0)
        self.log(2.0, task=task2)
        invoices = self.invoice()
        self.assertEqual(invoices.partner_id, self.customer | self.other)
        self.assertEqual(len(invoices), 2)
