"""Xero's side of product categories: the label Xero users know."""

from odoo import fields, models


# the core's part is psa_ledger's
class ProductCategory(models.Model):
    _inherit = "product.category"  # pylint: disable=consider-merging-classes-inherited

    ledger_link_ids = fields.One2many(string="Xero items (default for the category)")
