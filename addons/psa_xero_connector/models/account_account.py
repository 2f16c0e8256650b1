"""An account is mapped to a Xero account code of its company's organisation (the Account
mapping screen); accounts may be shared by companies, so the code is per organisation."""

from odoo import fields, models

from .xero_mapped_mixin import MAPPING_STATES


class AccountAccount(models.Model):
    _name = "account.account"
    _inherit = ["account.account", "xero.mapped.mixin"]
    _xero_catalog = "xero.account"
    _xero_key = "account_id"
    _xero_code_field = "code"

    xero_entry_id = fields.Many2one("xero.account", string="Xero account", compute="_compute_xero_entry",
                                    inverse="_inverse_xero_entry",
                                    domain="[('tenant_id.company_id', 'in', company_ids)]")
    xero_mapping_state = fields.Selection(MAPPING_STATES, string="Xero mapping", compute="_compute_xero_entry")
