"""An account of a Xero organisation, as last imported: the choices of the Account mapping
screen; a bank account may name the Odoo journal its Xero payments land in."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class XeroAccount(models.Model):
    _name = "ledger.account"
    _inherit = "ledger.catalog.mixin"
    _description = "Xero account"
    _order = "tenant_id, code"
    _check_company_auto = True

    account_id = fields.Char(string="Xero AccountID", required=True, index=True)
    code = fields.Char(index=True)
    account_type = fields.Char(string="Type")
    account_class = fields.Char(string="Class", help="REVENUE, EXPENSE, ASSET, LIABILITY or EQUITY: which tax rates "
                                                     "Xero allows with the account")
    system_account = fields.Char(help="Xero keeps a system account (Accounts Receivable, VAT …) for its own postings: "
                                      "a document line cannot use it")
    tax_type = fields.Char()
    journal_id = fields.Many2one("account.journal", string="Odoo journal", check_company=True,
                                 domain="[('type', 'in', ('bank', 'cash')), ('company_id', '=', company_id)]",
                                 help="Bank accounts: payments recorded in Xero against this account land in this "
                                      "journal (empty: the organisation's journal for Xero payments).")

    _sql_constraints = [("account_id_unique", "unique(tenant_id, account_id)", "Accounts are unique per organisation.")]

    @api.constrains("journal_id", "tenant_id")
    def _check_journal_company(self):
        for account in self.filtered("journal_id"):
            if account.journal_id.company_id != account.tenant_id.company_id:
                company = account.tenant_id.company_id.name or self.env._("the organisation's company")
                raise ValidationError(self.env._("The journal %(journal)s is not a journal of %(company)s.",
                                                 journal=account.journal_id.display_name, company=company))

    @api.depends("name", "code")
    def _compute_display_name(self):
        for account in self:
            account.display_name = "%s %s" % (account.code or "", account.name)
