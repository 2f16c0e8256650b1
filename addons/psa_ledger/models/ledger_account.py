"""An account of an organisation's ledger, as last imported: the choices of the Account mapping
screen; a bank account may name the Odoo journal its payments from the ledger land in."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class LedgerAccount(models.Model):
    _name = "ledger.account"
    _inherit = "ledger.catalog.mixin"
    _description = "Account in the ledger"
    _order = "tenant_id, code"
    _check_company_auto = True

    account_id = fields.Char(string="Remote account ID", required=True, index=True)
    code = fields.Char(index=True)
    account_type = fields.Char(string="Type")
    account_class = fields.Char(string="Class", help="REVENUE, EXPENSE, ASSET, LIABILITY or EQUITY: which tax rates "
                                                     "the ledger allows with the account")
    system_account = fields.Char(help="The ledger keeps a system account (Accounts Receivable, VAT …) for its own "
                                      "postings: a document line cannot use it")
    tax_type = fields.Char()
    journal_id = fields.Many2one("account.journal", string="Odoo journal", check_company=True,
                                 domain="[('type', 'in', ('bank', 'cash')), ('company_id', '=', company_id)]",
                                 help="Bank accounts: payments recorded in the ledger against this account land in "
                                      "this journal (empty: the organisation's journal for its payments).")

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
