from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    labour_order = fields.Boolean(
        copy=False,
        help="The order time is added to when the customer has no sales line of the charge type yet.",
    )
