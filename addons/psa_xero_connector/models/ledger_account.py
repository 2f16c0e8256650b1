"""Xero's side of the account catalogue (ledger.account): the labels Xero users know."""

from odoo import fields, models


class LedgerAccount(models.Model):
    _inherit = "ledger.account"
    _description = "Xero account"

    account_id = fields.Char(string="Xero AccountID")
    account_class = fields.Char(help="REVENUE, EXPENSE, ASSET, LIABILITY or EQUITY: which tax rates Xero allows "
                                     "with the account")
    system_account = fields.Char(help="Xero keeps a system account (Accounts Receivable, VAT …) for its own "
                                      "postings: a document line cannot use it")
    journal_id = fields.Many2one(help="Bank accounts: payments recorded in Xero against this account land in this "
                                      "journal (empty: the organisation's journal for Xero payments).")
