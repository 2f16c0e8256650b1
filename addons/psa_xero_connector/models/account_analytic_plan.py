"""A root analytic plan is mapped to a Xero tracking category of the current company's
organisation (the Tracking categories screen). Plans are shared by all companies, so the
mapping is per organisation, like a shared account's code."""

from odoo import fields, models

from .ledger_mapped_mixin import MAPPING_STATES


class AccountAnalyticPlan(models.Model):
    _name = "account.analytic.plan"
    _inherit = ["account.analytic.plan", "ledger.mapped.mixin"]
    _xero_catalog = "ledger.tracking.category"
    _xero_key = "tracking_category_id"
    _xero_code_field = "tracking_category_id"

    ledger_entry_id = fields.Many2one("ledger.tracking.category", string="Xero tracking category",
                                    compute="_compute_xero_entry", inverse="_inverse_xero_entry",
                                    domain="[('tenant_id.company_id', '=', current_company_id)]")
    ledger_mapping_state = fields.Selection(MAPPING_STATES, string="Xero mapping", compute="_compute_xero_entry")

    def _xero_tenant(self, record):
        return self.env.company.ledger_tenant_id
