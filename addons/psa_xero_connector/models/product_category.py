"""A product category's Xero item links are the default for its products."""

from odoo import fields, models


class ProductCategory(models.Model):
    _inherit = "product.category"

    xero_link_ids = fields.One2many("xero.link", "res_id", string="Xero items (default for the category)",
                                    domain=[("res_model", "=", "product.category")],
                                    groups="psa_xero_connector.group_xero_user")
