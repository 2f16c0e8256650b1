"""Xero's side of the tracking mapping (account.analytic.account): the labels Xero users know."""

from odoo import fields, models

from .account_account import MAPPING_STATES


class AccountAnalyticAccount(models.Model):
    _inherit = "account.analytic.account"

    ledger_entry_id = fields.Many2one(string="Xero tracking option")
    ledger_mapping_state = fields.Selection(MAPPING_STATES, string="Xero mapping")

    def _ledger_tracking_screen(self):
        return self.env._("Xero → Tracking categories")
