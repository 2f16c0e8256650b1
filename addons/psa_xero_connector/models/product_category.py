"""Xero's side of product categories: the label Xero users know."""

from odoo import fields, models


class ProductCategory(models.Model):
    _inherit = "product.category"

    ledger_link_ids = fields.One2many(string="Xero items (default for the category)")
