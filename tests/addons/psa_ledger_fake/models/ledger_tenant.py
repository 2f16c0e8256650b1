from odoo import fields, models


class LedgerTenant(models.Model):
    _inherit = "ledger.tenant"

    code = fields.Selection(selection_add=[("fake", "Fake ledger")], ondelete={"fake": "cascade"})
