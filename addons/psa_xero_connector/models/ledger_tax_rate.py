"""Xero's side of the tax rate catalogue (ledger.tax.rate): the labels Xero users know."""

from odoo import models


class LedgerTaxRate(models.Model):
    _inherit = "ledger.tax.rate"
    _description = "Xero tax rate"
