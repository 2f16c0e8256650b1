"""Two charge types, a billable project of a customer with a task, two technicians."""

from odoo import Command
from odoo.tests import TransactionCase

PERIOD = ("2026-11-01", "2026-11-30")


class LabourCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True))
        Product = cls.env["product.product"]
        common = {"type": "service", "service_type": "timesheet", "invoice_policy": "delivery",
                  "uom_id": cls.env.ref("uom.product_uom_hour").id, "uom_po_id": cls.env.ref("uom.product_uom_hour").id,
                  "taxes_id": [Command.clear()]}
        cls.remote = Product.create(dict(common, name="Remote Support", default_code="LB-REMOTE", list_price=90,
                                         labour_minimum=30, labour_increment=15, labour_scope="entry"))
        cls.onsite = Product.create(dict(common, name="Onsite Visit", default_code="LB-ONSITE", list_price=120,
                                         labour_minimum=60, labour_increment=30, labour_scope="day"))
        cls.customer = cls.env["res.partner"].create({"name": "Acme Dental Ltd", "is_company": True})
        cls.other = cls.env["res.partner"].create({"name": "Initech plc", "is_company": True})
        cls.project = cls.env["project.project"].create({
            "name": "Acme support", "partner_id": cls.customer.id, "allow_billable": True,
            "allow_timesheets": True, "charge_type_id": cls.remote.id})
        cls.task = cls.env["project.task"].create({"name": "Printer offline", "project_id": cls.project.id,
                                                   "partner_id": cls.customer.id})
        cls.jane = cls.env["hr.employee"].create({"name": "Jane Doe"})
        cls.bob = cls.env["hr.employee"].create({"name": "Bob Smith"})

    def log(self, hours, employee=None, date="2026-11-03", task=None, name="Worked", **vals):
        task = self.task if task is None else task
        return self.env["account.analytic.line"].create(dict({
            "name": name, "unit_amount": hours, "date": date, "employee_id": (employee or self.jane).id,
            "project_id": (task.project_id or self.project).id, "task_id": task.id}, **vals))

    def invoice(self, grouping="charge_type", period=PERIOD, partners=None):
        wizard = self.env["labour.invoice.wizard"].create({
            "date_from": period[0], "date_to": period[1], "grouping": grouping,
            "partner_ids": [Command.set((partners or self.env["res.partner"]).ids)]})
        action = wizard.action_create_invoices()
        return self.env["account.move"].search(action["domain"])
