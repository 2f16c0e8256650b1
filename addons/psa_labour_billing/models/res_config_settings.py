from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    labour_invoice_grouping = fields.Selection(related="company_id.labour_invoice_grouping", readonly=False)
