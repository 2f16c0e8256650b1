"""OAuth2 connect flow: Settings → Connect → Xero's consent page → back here.

``state`` is bound to the Odoo session (CSRF) and used once; PKCE (S256) binds the code to
this session's verifier. A denied consent, a wrong state or a refused exchange shows a clear
page and stores no token and no tenant (the request log keeps the exchange).
"""

import logging
import secrets
import time

from werkzeug.exceptions import Forbidden

from odoo import http
from odoo.http import request

from odoo.addons.psa_ledger.utils import jwt_claims

from .. import const
from ..xero.client import pkce_pair
from ..xero.errors import XeroError

_logger = logging.getLogger(__name__)
SESSION_KEY = "psa_xero_oauth"
STATE_LIFETIME = 900  # seconds a consent may take


class XeroOAuthController(http.Controller):

    @staticmethod
    def _check_manager():
        if not request.env.user.has_group("psa_ledger.group_ledger_manager"):
            raise Forbidden(request.env._("Only Xero managers can connect Xero organisations."))

    @staticmethod
    def _redirect_uri():
        base = request.env["ir.config_parameter"].sudo().get_param("web.base.url", "").rstrip("/")
        return base + const.CALLBACK_ROUTE

    @http.route(const.START_ROUTE, type="http", auth="user", methods=["GET"])
    def xero_oauth_start(self, **kwargs):
        self._check_manager()
        Tenant = request.env["ledger.tenant"].sudo()
        try:
            client = Tenant._xero_client()
        except Exception as exc:  # noqa: BLE001 - shown to the admin as is
            return self._result(request.env._("Xero is not configured"), str(exc))
        verifier, challenge = pkce_pair()
        state = secrets.token_urlsafe(32)
        request.session[SESSION_KEY] = {"state": state, "verifier": verifier, "at": time.time(),
                                        "company_id": request.env.company.id}
        return request.redirect(client.authorize_url(self._redirect_uri(), state, challenge), local=False)

    @http.route(const.CALLBACK_ROUTE, type="http", auth="user", methods=["GET"])
    def xero_oauth_callback(self, code=None, state=None, error=None, **kwargs):
        self._check_manager()
        pending = request.session.pop(SESSION_KEY, None)
        if not pending or not state or not secrets.compare_digest(str(pending.get("state")), str(state)) \
                or time.time() - pending.get("at", 0) > STATE_LIFETIME:
            return self._result(request.env._("Connection refused"), request.env._(
                "The answer from Xero does not match a connection started from this session "
                "(invalid or expired state). Nothing was saved: start again from Settings → Xero."))
        if error:
            reason = request.env._("You declined access on Xero's page.") if error == "access_denied" else error
            return self._result(request.env._("Xero connection cancelled"),
                                request.env._("%s Nothing was saved.", reason))
        if not code:
            return self._result(request.env._("Connection refused"),
                                request.env._("Xero sent no authorisation code."))
        Tenant = request.env["ledger.tenant"].sudo()
        company = request.env["res.company"].browse(pending.get("company_id")).exists()
        if company not in request.env.user.company_ids:
            company = request.env.company
        try:
            # the token and /connections exchanges are logged as this manager's company's
            client = Tenant._xero_client(context={"company_id": company.id})
            token = client.exchange_code(code, self._redirect_uri(), pending["verifier"])
            auth_event = jwt_claims(token["access_token"]).get("authentication_event_id")
            xero_connections = client.connections(token["access_token"], auth_event)
        except XeroError as exc:
            _logger.warning("Xero OAuth callback failed: %s", exc)
            return self._result(request.env._("Xero refused the connection"), request.env._(
                "%s Nothing was saved. Check the client ID and secret in Settings → Xero.", exc))
        settings = Tenant._xero_settings()
        Connection = request.env["ledger.connection"].sudo()
        connection = Connection.create(dict(
            Connection._token_values(token), client_id=settings["client_id"], user_id=request.env.user.id,
            name=request.env._("Xero authorisation by %(user)s", user=request.env.user.name)))
        refused = {}
        tenants = Tenant._register_connections(connection, xero_connections, company=company, refused=refused)
        for tenant in tenants:
            try:
                tenant._xero_read_lock_dates()
            except XeroError as exc:  # the connection stands; the next import or poll reads them
                _logger.warning("Xero: lock dates of %s not read: %s", tenant.name, exc)
        if refused:
            left = "; ".join(request.env._("%(org)s: %(why)s", org=tenant.name, why=why)
                             for tenant, why in refused.items())
            if tenants:
                message = request.env._("Connected: %(orgs)s. Left as they were: %(left)s.",
                                        orgs=", ".join(tenants.mapped("name")), left=left)
            else:
                message = request.env._("No organisation was connected. Left as they were: %s.", left)
            return self._result(request.env._("Xero connection"), message)
        if not tenants:
            return self._result(request.env._("No organisation"), request.env._("Xero connected no organisation."))
        return request.redirect("/odoo/action-psa_xero_connector.action_ledger_tenant")

    @staticmethod
    def _result(title, message):
        return request.render("psa_xero_connector.oauth_result", {"title": title, "message": message})
