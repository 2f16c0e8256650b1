"""Settings: the organisations of every ledger and how long the request log is kept (each
ledger's app, URLs and keys are its addon's)."""

from odoo import api, fields, models

from ..access import USER
from ..const import LOG_RETENTION_DAYS


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    ledger_log_retention_days = fields.Integer("Keep the request log (days)",
                                               config_parameter="psa_ledger.log_retention_days",
                                               default=LOG_RETENTION_DAYS)
    # One page lists every organisation with its status and its buttons. Computed at each read
    # (not stored, no depends): what the ledger and the other tabs changed shows the next time
    # the page is read, never a count from an earlier load.
    ledger_tenant_ids = fields.Many2many("ledger.tenant", string="Organisations",
                                         compute="_compute_ledger_tenants")
    ledger_tenant_count = fields.Integer(compute="_compute_ledger_tenants")

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        # create() fills every x2many of a new row with "empty" in the cache, computed ones too:
        # forget it, so the saved page (read again after each button) lists the organisations
        records.invalidate_recordset(["ledger_tenant_ids"])
        return records

    # company_id: the page's first onchange fills every field without a default with False and
    # recomputes only what depends on a field that has one (the settings' company)
    @api.depends("company_id")
    def _compute_ledger_tenants(self):
        """Every organisation the user may see through the record rules, in any company they
        work in (not only the companies active in the switcher) — never listed under sudo."""
        tenants = self.env["ledger.tenant"]
        if self.env.su or self.env.user.has_group(USER):  # an administrator outside the ledger groups opens Settings
            tenants = tenants._with_user_companies().search([("active", "=", True)])  # archived: not managed here
        for settings in self:
            settings.ledger_tenant_ids = tenants
            settings.ledger_tenant_count = len(tenants.filtered(lambda t: t.state == "connected"))
