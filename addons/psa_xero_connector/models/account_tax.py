"""A tax is mapped to a Xero tax type of its company's organisation (the Tax mapping screen)."""

from odoo import fields, models

from .ledger_mapped_mixin import MAPPING_STATES


class AccountTax(models.Model):
    _name = "account.tax"
    _inherit = ["account.tax", "ledger.mapped.mixin"]
    _xero_catalog = "ledger.tax.rate"
    _xero_key = "tax_type"
    _xero_code_field = "tax_type"

    ledger_entry_id = fields.Many2one("ledger.tax.rate", string="Xero tax type", compute="_compute_xero_entry",
                                    inverse="_inverse_xero_entry",
                                    domain="[('tenant_id.company_id', '=', company_id)]")
    ledger_mapping_state = fields.Selection(MAPPING_STATES, string="Xero mapping", compute="_compute_xero_entry")
