"""Products and categories map to Xero items per organisation; a service product used for
labour (remote support, onsite visit, project work) may also carry the sales account code
its invoice lines use in Xero. A category's link is the default for its products."""

from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    xero_link_ids = fields.One2many("xero.link", "res_id", string="Xero items",
                                    domain=[("res_model", "=", "product.template")],
                                    groups="psa_xero_connector.group_xero_user")


class ProductCategory(models.Model):
    _inherit = "product.category"

    xero_link_ids = fields.One2many("xero.link", "res_id", string="Xero items (default for the category)",
                                    domain=[("res_model", "=", "product.category")],
                                    groups="psa_xero_connector.group_xero_user")
