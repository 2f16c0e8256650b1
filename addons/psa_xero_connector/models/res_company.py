"""The company's organisation (the core's), labelled as Xero users know it."""

from odoo import fields, models


class ResCompany(models.Model):
    # staged: the core's class moves to psa_ledger, then they are two addons' classes
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    ledger_tenant_ids = fields.One2many(string="Xero organisations")
    ledger_tenant_id = fields.Many2one(string="Xero organisation")
