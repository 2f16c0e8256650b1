"""Xero's side of the item catalogue (ledger.item): the labels Xero users know."""

from odoo import fields, models


class LedgerItem(models.Model):
    _inherit = "ledger.item"
    _description = "Xero item"

    item_id = fields.Char(string="Xero ItemID")
