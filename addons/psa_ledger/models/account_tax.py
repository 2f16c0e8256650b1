"""A tax is mapped to a tax type of its company's organisation (the Tax mapping screen)."""

from odoo import fields, models

from .ledger_mapped_mixin import MAPPING_STATES


class AccountTax(models.Model):
    _name = "account.tax"
    _inherit = ["account.tax", "ledger.mapped.mixin"]
    _ledger_catalog = "ledger.tax.rate"
    _ledger_key = "tax_type"
    _ledger_code_field = "tax_type"

    ledger_entry_id = fields.Many2one("ledger.tax.rate", string="Tax type in the ledger",
                                      compute="_compute_ledger_entry", inverse="_inverse_ledger_entry",
                                      domain="[('tenant_id.company_id', '=', company_id)]")
    ledger_mapping_state = fields.Selection(MAPPING_STATES, string="Ledger mapping", compute="_compute_ledger_entry")
