from odoo import fields, models


class LedgerConnection(models.Model):
    _inherit = "ledger.connection"

    code = fields.Selection(selection_add=[("fake", "Fake ledger")], ondelete={"fake": "cascade"})
