"""Import from Xero: the lines to review, with the words Xero users know."""

from odoo import fields, models

ENTITY_LABELS = {"tax_rates": "Xero tax rates", "taxes": "Odoo taxes", "accounts": "Accounts",
                 "tracking": "Tracking categories and options",
                 "products": "Products (items)", "customers": "Customers", "suppliers": "Suppliers"}
ACTIONS = [("created", "Created"), ("linked", "Linked to existing"), ("already", "Already linked"),
           ("imported", "New in catalogue"), ("updated", "Updated in catalogue"), ("skipped", "Skipped"),
           ("ambiguous", "Ambiguous"), ("unmapped", "Not mapped"), ("filled", "Blanks filled from Xero"),
           ("differs", "Differs from Xero"), ("note", "Note")]


class LedgerImportLine(models.TransientModel):
    _inherit = "ledger.import.line"
    _description = "Import from Xero: a line to review"

    entity = fields.Selection(list(ENTITY_LABELS.items()))
    action = fields.Selection(ACTIONS)
    remote_ref = fields.Char(string="Xero reference")
