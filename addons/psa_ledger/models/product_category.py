"""A product category's item links are the default for its products."""

from odoo import fields, models


class ProductCategory(models.Model):
    _inherit = "product.category"

    ledger_link_ids = fields.One2many("ledger.link", "res_id", string="Items (default for the category)",
                                      domain=[("res_model", "=", "product.category")],
                                      groups="psa_ledger.group_ledger_user")
