from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    xero_link_ids = fields.One2many("xero.link", "res_id", string="Xero contacts",
                                    domain=[("res_model", "=", "res.partner")],
                                    groups="psa_xero_connector.group_xero_user")
