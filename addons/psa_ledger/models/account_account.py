"""An account is mapped to an account code of its company's organisation (the Account mapping
screen); accounts may be shared by companies, so the code is per organisation. A line without
a product for a partner imported from the ledger takes the contact's default account there."""

from odoo import api, fields, models

from .ledger_mapped_mixin import MAPPING_STATES


class AccountAccount(models.Model):
    _name = "account.account"
    _inherit = ["account.account", "ledger.mapped.mixin"]
    _ledger_catalog = "ledger.account"
    _ledger_key = "account_id"
    _ledger_code_field = "code"

    ledger_entry_id = fields.Many2one("ledger.account", string="Account in the ledger",
                                      compute="_compute_ledger_entry", inverse="_inverse_ledger_entry",
                                      domain="[('tenant_id.company_id', 'in', company_ids)]")
    ledger_mapping_state = fields.Selection(MAPPING_STATES, string="Ledger mapping", compute="_compute_ledger_entry")

    @api.model
    def _get_most_frequent_account_for_partner(self, company_id, partner_id, move_type=None, journal_id=None):
        """A line without a product: Odoo proposes the account the partner used most; a partner
        imported from the ledger has no history yet, so its contact's default sales / purchases
        account (kept on its link) is proposed through the account mapping."""
        found = super()._get_most_frequent_account_for_partner(company_id, partner_id, move_type=move_type,
                                                               journal_id=journal_id)
        if found or not move_type or move_type == "entry":
            return found
        return self._ledger_default_account(company_id, partner_id, move_type)

    @api.model
    def _ledger_default_account(self, company_id, partner_id, move_type):
        """The Odoo account mapped to the partner's default account code in the ledger (False if
        none or several)."""
        company = self.env["res.company"].browse(company_id)
        tenant = company.ledger_tenant_id
        if not tenant:
            return False
        Link = self.env["ledger.link"].sudo()  # an account id is all that leaves this method
        partner = self.env["res.partner"].browse(partner_id).commercial_partner_id
        link = Link.search([("tenant_id", "=", tenant.id), ("res_model", "=", "res.partner"),
                            ("res_id", "=", partner.id)], limit=1)
        sale = move_type in ("out_invoice", "out_refund", "out_receipt")
        code = link.remote_sales_account_code if sale else link.remote_purchase_account_code
        if not code:
            return False
        mapped = Link.search([("tenant_id", "=", tenant.id), ("res_model", "=", "account.account"),
                              ("remote_code", "=", code)], limit=2)
        account = self.sudo().browse(mapped.res_id if len(mapped) == 1 else []).exists()
        if not account or account.deprecated or company not in account.company_ids:
            return False
        return account.id
