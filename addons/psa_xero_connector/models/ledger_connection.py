"""Xero's side of an authorisation (the core's ``ledger.connection`` holds the token care):
Xero's token and revocation endpoints, its /connections list, and the authentication event a
token carries (Xero's /connections is filtered by it)."""

from odoo import api, fields, models

from odoo.addons.psa_ledger.utils import jwt_claims

from ..xero.errors import XeroAuthError


class LedgerConnection(models.Model):
    _inherit = "ledger.connection"
    _description = "Xero authorisation (OAuth2 token set)"

    code = fields.Selection(selection_add=[("xero", "Xero")], ondelete={"xero": "cascade"}, default="xero")
    name = fields.Char(default=lambda self: self.env._("Xero authorisation"))
    auth_event_id = fields.Char(string="Authentication event", readonly=True, index=True)

    @api.model
    def _token_values(self, token):
        vals = super()._token_values(token)
        # Xero's access tokens are JWTs naming the consent that made them (none: not Xero's)
        claims = jwt_claims(token["access_token"])
        if claims.get("authentication_event_id"):
            vals["auth_event_id"] = claims["authentication_event_id"]
        return vals

    def _xero_client(self, log_company=None):
        return self.env["ledger.tenant"]._xero_client(
            connection=self, context={"company_id": log_company.id} if log_company else None)

    def _ledger_auth_error(self, message, code=None):
        if self[:1].code != "xero":
            return super()._ledger_auth_error(message, code=code)
        return XeroAuthError(message, code=code)

    def _ledger_refresh(self, log_company):
        if self.code != "xero":
            return super()._ledger_refresh(log_company)
        return self._xero_client(log_company).refresh(self.refresh_token)

    def _ledger_revoke(self):
        if self.code != "xero":
            return super()._ledger_revoke()
        return self._xero_client(self._log_company()).revoke(self.refresh_token)

    def _ledger_list_organisations(self, token):
        # Xero's certification checkpoint 3: a disconnect made on Xero's side is noticed
        if self.code != "xero":
            return super()._ledger_list_organisations(token)
        listed = self._xero_client().connections(token, self.auth_event_id)
        return {c.get("tenantId"): c.get("tenantName") for c in listed}
