from odoo import api, models
from odoo.osv import expression


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.depends("analytic_line_ids.billable_hours")
    def _compute_qty_delivered(self):
        return super()._compute_qty_delivered()

    def _get_delivered_quantity_by_analytic(self, additional_domain):
        """Lines invoiced on timesheets deliver the entries' billable time (minimum charge and
        increment applied), not the time logged; other lines as Odoo does."""
        by_time = self.filtered(lambda sol: sol.qty_delivered_method == "timesheet")
        result = super(SaleOrderLine, self - by_time)._get_delivered_quantity_by_analytic(additional_domain)
        if not by_time:
            return result
        data = self.env["account.analytic.line"]._read_group(
            expression.AND([[("so_line", "in", by_time.ids)], additional_domain]),
            ["product_uom_id", "so_line"],
            ["billable_hours:sum"],
        )
        for uom, so_line, hours in data:
            if not uom:
                continue
            if so_line.product_uom.category_id == uom.category_id:
                hours = uom._compute_quantity(hours, so_line.product_uom, rounding_method="HALF-UP")
            result[so_line.id] += hours
        return result
