"""The company's organisation (the core's), labelled as Xero users know it."""

from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    ledger_tenant_ids = fields.One2many(string="Xero organisations")
    ledger_tenant_id = fields.Many2one(string="Xero organisation")
