"""Xero's side of the tax mapping (account.tax): the labels Xero users know."""

from odoo import fields, models

from .account_account import MAPPING_STATES


class AccountTax(models.Model):
    _inherit = "account.tax"

    ledger_entry_id = fields.Many2one(string="Xero tax type")
    ledger_mapping_state = fields.Selection(MAPPING_STATES, string="Xero mapping")
