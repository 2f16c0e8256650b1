from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.res_company import GROUPING


class LabourInvoiceWizard(models.TransientModel):
    _name = "labour.invoice.wizard"
    _description = "Invoice Labour for a Period"

    @api.model
    def _default_date_from(self):
        return fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)

    @api.model
    def _default_date_to(self):
        return fields.Date.context_today(self).replace(day=1) - relativedelta(days=1)

    date_from = fields.Date(string="From", required=True, default=lambda self: self._default_date_from())
    date_to = fields.Date(string="To", required=True, default=lambda self: self._default_date_to())
    grouping = fields.Selection(
        GROUPING,
        string="Invoice Lines",
        required=True,
        default=lambda self: self.env.company.labour_invoice_grouping,
    )
    partner_ids = fields.Many2many("res.partner", string="Customers", help="Empty: every customer with time to bill.")

    def _orders_to_invoice(self):
        domain = [
            ("project_id", "!=", False),
            ("labour_billable", "=", True),
            ("so_line.qty_delivered_method", "=", "timesheet"),
            ("so_line.state", "=", "sale"),
            ("company_id", "=", self.env.company.id),
            ("date", ">=", self.date_from),
            ("date", "<=", self.date_to),
            "|", "|",
            ("timesheet_invoice_id", "=", False),
            ("timesheet_invoice_id.state", "=", "cancel"),
            ("timesheet_invoice_id.payment_state", "=", "reversed"),
        ]
        if self.partner_ids:
            customers = self.partner_ids.commercial_partner_id
            domain.append(("order_id.partner_id.commercial_partner_id", "in", customers.ids))
        groups = self.env["account.analytic.line"]._read_group(domain, ["order_id"])
        return self.env["sale.order"].union(*(order for (order,) in groups))

    def action_create_invoices(self):
        """Per customer one invoice of the period's billable time (Odoo's own invoicing of sales
        orders on timesheets, whose period filter, links and locks it keeps)."""
        self.ensure_one()
        if not self.env.user.has_group("sales_team.group_sale_salesman_all_leads"):
            raise UserError(self.env._("Invoicing labour needs the Sales right “All Documents” (Settings → Users)."))
        if self.date_from > self.date_to:
            raise UserError(self.env._("The period ends before it starts: %(start)s – %(end)s.",
                                       start=self.date_from, end=self.date_to))
        orders = self._orders_to_invoice()
        if not orders:
            raise UserError(self.env._("No billable time to invoice from %(start)s to %(end)s.",
                                       start=self.date_from, end=self.date_to))
        invoicer = self.env["sale.advance.payment.inv"].with_context(
            active_model="sale.order", active_ids=orders.ids, labour_invoice_grouping=self.grouping,
        ).create({
            "advance_payment_method": "delivered",
            "sale_order_ids": [(6, 0, orders.ids)],
            "consolidated_billing": True,
            "date_start_invoice_timesheet": self.date_from,
            "date_end_invoice_timesheet": self.date_to,
        })
        # the grouping travels in the context to account.move._link_timesheets_to_invoice
        orders = orders.with_context(labour_invoice_grouping=self.grouping)
        invoices = invoicer.with_context(labour_invoice_grouping=self.grouping)._create_invoices(orders)
        action = self.env["ir.actions.actions"]._for_xml_id("account.action_move_out_invoice_type")
        action["domain"] = [("id", "in", invoices.ids)]
        action["context"] = {"default_move_type": "out_invoice"}
        return action
