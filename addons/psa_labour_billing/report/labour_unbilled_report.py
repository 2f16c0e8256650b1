from odoo import fields, models, tools


class LabourUnbilledReport(models.Model):
    """Billable time logged and not invoiced: never invoiced, on a cancelled invoice, or on a
    credited (reversed) one — the month-end leak check."""

    _name = "labour.unbilled.report"
    _description = "Unbilled Time"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "name"

    name = fields.Char(string="Description", readonly=True)
    timesheet_id = fields.Many2one("account.analytic.line", string="Time Entry", readonly=True)
    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    charge_type_id = fields.Many2one("product.product", readonly=True)
    employee_id = fields.Many2one("hr.employee", string="Technician", readonly=True)
    project_id = fields.Many2one("project.project", readonly=True)
    task_id = fields.Many2one("project.task", readonly=True)
    order_id = fields.Many2one("sale.order", string="Sales Order", readonly=True)
    hours_logged = fields.Float(readonly=True, aggregator="sum")
    billable_hours = fields.Float(string="Billable Time", readonly=True, aggregator="sum")
    amount = fields.Monetary(string="Amount to Bill", readonly=True, aggregator="sum", currency_field="currency_id")
    currency_id = fields.Many2one("res.currency", readonly=True)

    def _query(self):
        return """
            SELECT l.id, l.id AS timesheet_id, l.name, l.date, l.company_id, l.employee_id, l.project_id,
                   l.task_id, sol.order_id,
                   COALESCE(l.charge_type_id, sol.product_id) AS charge_type_id,
                   partner.commercial_partner_id AS partner_id,
                   l.unit_amount AS hours_logged, l.billable_hours,
                   ROUND((l.billable_hours * COALESCE(sol.price_unit, 0))::numeric, 2) AS amount,
                   COALESCE(sol.currency_id, company.currency_id) AS currency_id
              FROM account_analytic_line l
              JOIN project_project project ON project.id = l.project_id
              JOIN res_company company ON company.id = l.company_id
         LEFT JOIN sale_order_line sol ON sol.id = l.so_line
         LEFT JOIN project_task task ON task.id = l.task_id
         LEFT JOIN account_move move ON move.id = l.timesheet_invoice_id
         LEFT JOIN res_partner partner
                ON partner.id = COALESCE(sol.order_partner_id, task.partner_id, project.partner_id)
             WHERE l.labour_billable
               AND project.allow_billable
               AND (l.charge_type_id IS NOT NULL OR sol.qty_delivered_method = 'timesheet')
               AND (l.timesheet_invoice_id IS NULL OR move.state = 'cancel' OR move.payment_state = 'reversed')
        """

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("CREATE OR REPLACE VIEW %s AS (%s)" % (self._table, self._query()))  # noqa: S608
