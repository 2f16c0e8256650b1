"""Settings → Xero: the OAuth app, the URLs (Xero's by default; the harness for the demo) and
the webhook key (the organisations list and the log retention are the core's). Stored as system
parameters, which only system administrators can read."""

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
    # the core's, in the parameter it always had (an upgraded database keeps its retention)
    ledger_log_retention_days = fields.Integer(config_parameter=P + "log_retention_days")
    xero_redirect_uri = fields.Char("Redirect URI", compute="_compute_xero_urls")
    xero_webhook_url = fields.Char("Webhook URL", compute="_compute_xero_urls")
    ledger_tenant_ids = fields.Many2many(string="Xero organisations")
    xero_record_base_url = fields.Char(
        "Link back to Odoo", config_parameter=P + "record_base_url",
        help="Each invoice, bill, credit note and purchase order sent to Xero carries a link to its page in "
             "Odoo (Xero shows it as “Go to …”). The address Xero users reach this Odoo at; empty: the "
             "database's web.base.url.")

    @api.depends("company_id")
    def _compute_xero_urls(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "").rstrip("/")
        for settings in self:
            settings.xero_redirect_uri = base + const.CALLBACK_ROUTE
            settings.xero_webhook_url = base + const.WEBHOOK_ROUTE

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
