from odoo import fields, models


class LedgerEvent(models.Model):
    _inherit = "ledger.event"

    category = fields.Selection(selection_add=[("fake_invoice", "Invoice")], ondelete={"fake_invoice": "cascade"})

    def _ledger_document_kinds(self, tenant):
        if tenant.code != "fake":
            return super()._ledger_document_kinds(tenant)
        return {"fake_invoice": "invoice"}
