"""A root analytic plan is mapped to a tracking category of the current company's organisation
(the Tracking categories screen). Plans are shared by all companies, so the mapping is per
organisation, like a shared account's code."""

from odoo import fields, models

from .ledger_mapped_mixin import MAPPING_STATES


class AccountAnalyticPlan(models.Model):
    _name = "account.analytic.plan"
    _inherit = ["account.analytic.plan", "ledger.mapped.mixin"]
    _ledger_catalog = "ledger.tracking.category"
    _ledger_key = "tracking_category_id"
    _ledger_code_field = "tracking_category_id"

    ledger_entry_id = fields.Many2one("ledger.tracking.category", string="Tracking category in the ledger",
                                      compute="_compute_ledger_entry", inverse="_inverse_ledger_entry",
                                      domain="[('tenant_id.company_id', '=', current_company_id)]")
    ledger_mapping_state = fields.Selection(MAPPING_STATES, string="Ledger mapping", compute="_compute_ledger_entry")

    def _ledger_tenant(self, record):
        return self.env.company.ledger_tenant_id
