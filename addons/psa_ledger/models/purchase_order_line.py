"""A change of a confirmed purchase order's line goes to the ledger as an update of its order (whether
made through the order's form or on the line itself)."""

from odoo import api, models

# What a line sends to the ledger (in its order's payload)
LINE_SYNC_FIELDS = frozenset({"name", "product_id", "product_qty", "product_uom", "price_unit", "discount",
                              "taxes_id", "date_planned", "analytic_distribution", "display_type"})


class PurchaseOrderLine(models.Model):
    _inherit = "purchase.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.order_id._ledger_enqueue()  # only confirmed orders already in the ledger (see _ledger_enqueue)
        return lines

    def write(self, vals):
        result = super().write(vals)
        if LINE_SYNC_FIELDS & set(vals):
            self.order_id._ledger_enqueue()
        return result
