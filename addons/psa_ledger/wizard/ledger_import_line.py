"""One line of the import's summary to review: what was created, linked, skipped or ambiguous, and why."""

from odoo import fields, models

ENTITY_LABELS = {"tax_rates": "Tax rates in the ledger", "taxes": "Odoo taxes", "accounts": "Accounts",
                 "tracking": "Tracking categories and options",
                 "products": "Products (items)", "customers": "Customers", "suppliers": "Suppliers"}
ACTIONS = [("created", "Created"), ("linked", "Linked to existing"), ("already", "Already linked"),
           ("imported", "New in catalogue"), ("updated", "Updated in catalogue"), ("skipped", "Skipped"),
           ("ambiguous", "Ambiguous"), ("unmapped", "Not mapped"), ("filled", "Blanks filled from the ledger"),
           ("differs", "Differs from the ledger"), ("note", "Note")]


class LedgerImportLine(models.TransientModel):
    _name = "ledger.import.line"
    _description = "Import from the ledger: a line to review"
    _order = "id"

    wizard_id = fields.Many2one("ledger.import.wizard", required=True, ondelete="cascade")
    entity = fields.Selection(list(ENTITY_LABELS.items()), required=True)
    action = fields.Selection(ACTIONS, required=True)
    remote_ref = fields.Char(string="Reference in the ledger")
    name = fields.Char()
    reason = fields.Char(required=True)
    count = fields.Integer(default=1)
    res_model = fields.Char()
    res_id = fields.Many2oneReference(model_field="res_model")
