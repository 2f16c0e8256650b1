"""Xero's side of the tracking categories mapping (account.analytic.plan): the labels Xero users know."""

from odoo import fields, models

from .account_account import MAPPING_STATES


class AccountAnalyticPlan(models.Model):
    _inherit = "account.analytic.plan"

    ledger_entry_id = fields.Many2one(string="Xero tracking category")
    ledger_mapping_state = fields.Selection(MAPPING_STATES, string="Xero mapping")
