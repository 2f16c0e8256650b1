"""Xero's side of the organisation dashboard (the core's ``ledger.tenant.dashboard``): its
labels, and the calls left as Xero's X-*Limit-Remaining headers say."""

from odoo import fields, models

from ..xero.client import limits_remaining


class LedgerTenantDashboard(models.AbstractModel):
    _inherit = "ledger.tenant.dashboard"
    _description = "Xero organisation dashboard figures"
    _ledger_views_module = "psa_xero_connector"

    drift_snapshot = fields.Json(string="Xero's documents at the last comparison")
    drift_calls = fields.Integer(string="Xero calls of the last drift report")
    drift_documents = fields.Integer(string="Xero records compared")
    dash_day_remaining = fields.Integer(string="Xero calls left today")
    dash_minute_remaining = fields.Integer(string="Xero calls left this minute")
    dash_drift_open = fields.Integer(string="Differences with Xero")

    def _ledger_limits_remaining(self, headers):
        if self.code != "xero":
            return super()._ledger_limits_remaining(headers)
        return limits_remaining(headers)
