"""Xero's side of the account mapping (account.account): the labels Xero users know."""

from odoo import fields, models

MAPPING_STATES = [("mapped", "Mapped"), ("unmapped", "Not mapped"), ("no_tenant", "No Xero organisation")]


class AccountAccount(models.Model):
    _inherit = "account.account"

    ledger_entry_id = fields.Many2one(string="Xero account")
    ledger_mapping_state = fields.Selection(MAPPING_STATES, string="Xero mapping")
