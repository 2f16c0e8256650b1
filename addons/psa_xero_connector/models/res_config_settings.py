"""Settings → Xero: the OAuth app, the URLs (Xero's by default; the harness for the demo),
the webhook key and the log retention. Stored as system parameters, which only system
administrators can read."""

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.psa_ledger.access import MANAGER, USER, check_caller

from .. import const

P = const.PARAM_PREFIX


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    xero_client_id = fields.Char("Xero client ID", config_parameter=P + "client_id")
    xero_client_secret = fields.Char("Xero client secret", config_parameter=P + "client_secret")
    xero_scopes = fields.Char("Scopes", config_parameter=P + "scopes", default=const.DEFAULT_SCOPES)
    xero_authorize_url = fields.Char("Authorize URL", config_parameter=P + "authorize_url",
                                     default=const.DEFAULT_AUTHORIZE_URL)
    xero_token_url = fields.Char("Token URL", config_parameter=P + "token_url", default=const.DEFAULT_TOKEN_URL)
    xero_revoke_url = fields.Char("Revocation URL", config_parameter=P + "revoke_url",
                                  default=const.DEFAULT_REVOKE_URL)
    xero_connections_url = fields.Char("Connections URL", config_parameter=P + "connections_url",
                                       default=const.DEFAULT_CONNECTIONS_URL)
    xero_api_url = fields.Char("Accounting API URL", config_parameter=P + "api_url", default=const.DEFAULT_API_URL)
    xero_webhook_key = fields.Char("Webhook key", config_parameter=P + "webhook_key")
    ledger_log_retention_days = fields.Integer("Keep the request log (days)", config_parameter=P + "log_retention_days",
                                             default=const.LOG_RETENTION_DAYS)
    xero_redirect_uri = fields.Char("Redirect URI", compute="_compute_xero_urls")
    xero_webhook_url = fields.Char("Webhook URL", compute="_compute_xero_urls")
    # Xero's certification checkpoint 3: one page lists every organisation with its status and
    # its buttons. Computed at each read (not stored, no depends): what Xero and the other tabs
    # changed shows the next time the page is read, never a count from an earlier load.
    ledger_tenant_ids = fields.Many2many("ledger.tenant", string="Xero organisations",
                                       compute="_compute_xero_tenant_count")
    ledger_tenant_count = fields.Integer(compute="_compute_xero_tenant_count")
    xero_record_base_url = fields.Char(
        "Link back to Odoo", config_parameter=P + "record_base_url",
        help="Each invoice, bill, credit note and purchase order sent to Xero carries a link to its page in "
             "Odoo (Xero shows it as “Go to …”). The address Xero users reach this Odoo at; empty: the "
             "database's web.base.url.")

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        # create() fills every x2many of a new row with "empty" in the cache, computed ones too:
        # forget it, so the saved page (read again after each button) lists the organisations
        records.invalidate_recordset(["ledger_tenant_ids"])
        return records

    @api.depends("company_id")
    def _compute_xero_urls(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "").rstrip("/")
        for settings in self:
            settings.xero_redirect_uri = base + const.CALLBACK_ROUTE
            settings.xero_webhook_url = base + const.WEBHOOK_ROUTE

    # company_id: the page's first onchange fills every field without a default with False and
    # recomputes only what depends on a field that has one (the settings' company)
    @api.depends("company_id")
    def _compute_xero_tenant_count(self):
        """Every organisation the user may see through the record rules, in any company they
        work in (not only the companies active in the switcher) — never listed under sudo."""
        tenants = self.env["ledger.tenant"]
        if self.env.su or self.env.user.has_group(USER):  # an administrator outside the Xero groups opens Settings
            tenants = tenants._with_user_companies().search([("active", "=", True)])  # archived: not managed here
        for settings in self:
            settings.ledger_tenant_ids = tenants
            settings.ledger_tenant_count = len(tenants.filtered(lambda t: t.state == "connected"))

    def action_xero_connect(self):
        # saving the app's settings needs the settings rights (ACL), connecting the Xero manager group
        check_caller(self, MANAGER, "write")
        self.set_values()  # the button may be pressed before Save: keep what was typed
        if not self.xero_client_id or not self.xero_client_secret:
            raise UserError(self.env._("Enter the client ID and secret of your Xero app first."))
        return {"type": "ir.actions.act_url", "url": const.START_ROUTE, "target": "self"}

    def action_xero_tenants(self):
        check_caller(self.env["ledger.tenant"], USER, "read")
        return self.env["ir.actions.act_window"]._for_xml_id("psa_xero_connector.action_ledger_tenant")
