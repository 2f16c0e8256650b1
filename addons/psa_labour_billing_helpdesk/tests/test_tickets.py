"""Time on OCA helpdesk tickets is billed like time on tasks: the ticket's charge type by default,
its customer's sales line, its number and title on the invoice line, rounded per ticket and day."""

from odoo.tests import tagged

from odoo.addons.psa_labour_billing.tests.common import LabourCase


@tagged("post_install", "-at_install")
class TestTicketLabour(LabourCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["helpdesk.ticket.team"].create({
            "name": "Service desk", "allow_timesheet": True, "default_project_id": cls.project.id,
            "charge_type_id": cls.onsite.id})
        cls.ticket = cls.env["helpdesk.ticket"].create({
            "name": "Server will not boot", "description": "<p>Down since 8am</p>", "team_id": cls.team.id,
            "partner_id": cls.customer.id, "project_id": cls.project.id})

    def log_ticket(self, hours, ticket=None, **vals):
        ticket = ticket or self.ticket
        return self.env["account.analytic.line"].create(dict({
            "name": "Worked", "unit_amount": hours, "date": "2026-11-03", "employee_id": self.jane.id,
            "project_id": ticket.project_id.id, "ticket_id": ticket.id}, **vals))

    def test_ticket_charge_type_routing_and_invoice_line(self):
        self.assertEqual(self.ticket.charge_type_id, self.onsite, "the team's default")
        first = self.log_ticket(0.25, name="Diagnosed PSU")
        second = self.log_ticket(0.5, employee_id=self.bob.id, name="Replaced PSU")
        self.assertEqual(first.charge_type_id, self.onsite)
        self.assertEqual(first.so_line.product_id, self.onsite)
        self.assertEqual(first.so_line.order_id.partner_id, self.customer)
        # onsite rounds per ticket and day: 45 minutes together, one 60-minute minimum
        self.assertAlmostEqual(first.billable_hours + second.billable_hours, 1.0)
        remote = self.log_ticket(0.1, charge_type_id=self.remote.id, name="Follow-up call")
        self.assertEqual(remote.so_line.product_id, self.remote)
        self.log(1.1, name="Task work")  # a task's time on the same invoice
        invoice = self.invoice()
        onsite_line = invoice.invoice_line_ids.filtered(lambda line: line.product_id == self.onsite)
        remote_line = invoice.invoice_line_ids.filtered(lambda line: line.product_id == self.remote)
        ref = "%s Server will not boot" % self.ticket.number
        self.assertTrue(self.ticket.number and self.ticket.number != "/")
        self.assertIn("%s JD" % ref, onsite_line.name)
        self.assertIn("%s BS" % ref, onsite_line.name)
        self.assertEqual(onsite_line.quantity, 1.0)
        self.assertIn("%s JD 0.50 h Follow-up call" % ref, remote_line.name)
        self.assertIn("#%d Printer offline JD 1.25 h Task work" % self.task.id, remote_line.name)
        self.assertEqual(remote_line.quantity, 1.75)

    def test_ticket_customer_wins_over_the_project(self):
        ticket = self.env["helpdesk.ticket"].create({
            "name": "Printer jam", "description": "<p>Jam</p>", "team_id": self.team.id,
            "partner_id": self.other.id, "project_id": self.project.id})
        entry = self.log_ticket(1.0, ticket=ticket)
        self.assertEqual(entry.so_line.order_id.partner_id, self.other)
