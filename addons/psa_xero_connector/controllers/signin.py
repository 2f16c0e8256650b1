"""Sign in with Xero: OpenID Connect's authorisation code flow, on auth_oauth's user model.

auth_oauth (the login page's provider buttons, ``res.users.oauth_provider_id/oauth_uid``, its
``oauth_token`` credential) asks providers for an access token in the URL fragment
(``response_type=token``) and validates it at a userinfo URL. Xero's identity server is an
OpenID Connect provider whose documented flow is the code flow with an ID token
(developer.xero.com/documentation/oauth2/sign-in), so the Xero provider's button starts this
flow instead:

1. ``/xero/signin/start`` keeps a fresh ``state``, ``nonce`` and PKCE verifier in this browser's
   session and sends it to the ``authorization_endpoint`` of Xero's discovery document with the
   ``openid profile email`` scopes only;
2. ``/xero/signin/callback`` accepts only the ``state`` it sent (once, within 15 minutes),
   exchanges the code (client secret + PKCE), and checks the ID token (``xero/openid.py``:
   RS256 signature against the JWKS, issuer, audience, nonce, expiry);
3. ``res.users._xero_signin`` finds the user (Xero subject, then email) or signs one up when
   the database allows it, and the session is opened with auth_oauth's credential.

Any refusal lands on the login page with a message saying what failed; nothing is written.
"""

import logging
import secrets
import time
from urllib.parse import quote, urlparse

from odoo import SUPERUSER_ID, http
from odoo.exceptions import AccessDenied, UserError
from odoo.http import request
from odoo.tools.translate import LazyTranslate

from odoo.addons.auth_oauth.controllers.main import OAuthLogin
from odoo.addons.web.controllers.utils import _get_login_redirect_url, ensure_db

from .. import const
from ..models.res_users import XeroSigninRefused
from ..xero import openid
from ..xero.client import pkce_pair
from ..xero.errors import XeroError

_lt = LazyTranslate(__name__)
_logger = logging.getLogger(__name__)

SESSION_KEY = "psa_xero_signin"
STATE_LIFETIME = 900  # seconds a sign-in at Xero may take
METADATA_LIFETIME = 3600  # seconds the discovery document and the JWKS are kept (per process)
_metadata_cache = {}  # url -> (fetched at, document)

# /web/login?xero_error=<code> -> the message the login page shows (a fixed list: nothing of the
# URL is echoed back).
ERRORS = {
    "disabled": _lt("Sign in with Xero is not enabled on this database."),
    "config": _lt("Sign in with Xero is not configured: an administrator enters the Xero app's client ID "
                  "and secret in Settings → Xero."),
    "state": _lt("Sign in with Xero failed: Xero's answer does not match a sign-in started from this browser "
                 "(invalid or expired state). Try again."),
    "cancelled": _lt("Sign in with Xero was cancelled on Xero's page."),
    "exchange": _lt("Xero refused the sign-in (the code could not be exchanged). Try again."),
    "unreachable": _lt("Xero's identity server could not be reached. Try again in a moment."),
    "signature": _lt("Sign in with Xero refused: the ID token's signature is not Xero's."),
    "issuer": _lt("Sign in with Xero refused: the ID token was not issued by Xero's identity server."),
    "audience": _lt("Sign in with Xero refused: the ID token was issued to another application."),
    "nonce": _lt("Sign in with Xero refused: the ID token does not answer this browser's sign-in (nonce)."),
    "expired": _lt("Sign in with Xero refused: the ID token has expired. Try again."),
    "malformed": _lt("Sign in with Xero refused: Xero's answer carries no valid ID token."),
    "signup": _lt("No user of this database matches your Xero account, and this database does not allow "
                  "sign-up. Ask an administrator to invite you with your Xero email address, then sign in "
                  "with Xero again."),
    "no_email": _lt("Your Xero account shared no email address: a user cannot be created from it."),
    "linked": _lt("The user with your Xero email address is already linked to another Xero account."),
    "ambiguous": _lt("Several users have your Xero email address: an administrator must keep one."),
    "denied": _lt("Sign in with Xero refused: this user cannot sign in."),
}


def xero_provider(env):
    """The "Sign in with Xero" auth.oauth.provider record (False when deleted)."""
    return env.ref("psa_xero_connector.provider_xero", raise_if_not_found=False)


class XeroSigninLogin(OAuthLogin):
    """The login and sign-up pages: the Xero button starts our code flow; our errors are shown."""

    def list_providers(self):
        providers = super().list_providers()
        xero = xero_provider(request.env(su=True))
        for provider in providers:
            if xero and provider["id"] == xero.id:
                query = "redirect=%s" % quote(request.params.get("redirect") or "", safe="")
                if request.params.get("token"):
                    query += "&token=%s" % quote(request.params["token"], safe="")
                provider["auth_link"] = "%s?%s" % (const.SIGNIN_START_ROUTE, query)
        return providers

    @http.route()
    def web_login(self, *args, **kw):
        response = super().web_login(*args, **kw)
        code = request.params.get("xero_error")
        if code in ERRORS and getattr(response, "is_qweb", False):
            response.qcontext["error"] = str(ERRORS[code])
        return response


class XeroSigninController(http.Controller):

    @staticmethod
    def _fail(code):
        _logger.info("Sign in with Xero refused: %s", code)
        resp = request.redirect("/web/login?xero_error=%s" % code, 303)
        resp.autocorrect_location_header = False
        return resp

    @staticmethod
    def _redirect_uri():
        base = request.env["ir.config_parameter"].sudo().get_param("web.base.url", "").rstrip("/")
        return base + const.SIGNIN_CALLBACK_ROUTE

    @staticmethod
    def _document(client, url, operation, refresh=False):
        cached = _metadata_cache.get(url)
        if cached and not refresh and time.time() - cached[0] < METADATA_LIFETIME:
            return cached[1]
        document = client.openid_document(url, operation)
        _metadata_cache[url] = (time.time(), document)
        return document

    def _setup(self):
        """-> (client, discovery document) or raises UserError/XeroError."""
        env = request.env(user=SUPERUSER_ID)
        provider = xero_provider(env)
        if not provider or not provider.enabled:
            raise AccessDenied()
        client = env["ledger.tenant"]._xero_client()
        url = env["ledger.tenant"]._xero_settings()["openid_configuration_url"]
        metadata = self._document(client, url, "openid configuration")
        if not metadata.get("issuer") or url.rstrip("/") != metadata["issuer"].rstrip("/") + \
                "/.well-known/openid-configuration":
            # OpenID Connect Discovery 1.0 §4.3: the issuer must be the discovery URL's prefix
            raise XeroError("The discovery document at %s names another issuer (%s)." % (url, metadata.get("issuer")))
        return client, metadata, provider

    @http.route(const.SIGNIN_START_ROUTE, type="http", auth="none", methods=["GET"])
    def xero_signin_start(self, redirect=None, token=None, **kwargs):
        ensure_db()
        try:
            client, metadata, _provider = self._setup()
        except AccessDenied:
            return self._fail("disabled")
        except UserError:
            return self._fail("config")
        except XeroError as exc:
            _logger.warning("Sign in with Xero: discovery failed: %s", exc)
            return self._fail("unreachable")
        verifier, challenge = pkce_pair()
        state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        request.session[SESSION_KEY] = {"state": state, "nonce": nonce, "verifier": verifier, "at": time.time(),
                                        "redirect": redirect or "", "token": token or ""}
        return request.redirect(client.authorize_url(
            self._redirect_uri(), state, challenge, scopes=const.SIGNIN_SCOPES,
            authorize_url=metadata["authorization_endpoint"], nonce=nonce), local=False)

    @http.route(const.SIGNIN_CALLBACK_ROUTE, type="http", auth="none", methods=["GET"], readonly=False)
    def xero_signin_callback(self, code=None, state=None, error=None, **kwargs):
        ensure_db()
        pending = request.session.pop(SESSION_KEY, None)
        if not pending or not state or not secrets.compare_digest(str(pending.get("state")), str(state)) \
                or time.time() - pending.get("at", 0) > STATE_LIFETIME:
            return self._fail("state")
        if error or not code:
            return self._fail("cancelled")
        try:
            client, metadata, provider = self._setup()
        except AccessDenied:
            return self._fail("disabled")
        except UserError:
            return self._fail("config")
        except XeroError:
            return self._fail("unreachable")
        try:
            answer = client.exchange_code(code, self._redirect_uri(), pending["verifier"],
                                          token_url=metadata["token_endpoint"], operation="sign in")
        except XeroError as exc:
            _logger.warning("Sign in with Xero: code exchange refused: %s", exc)
            return self._fail("exchange")
        try:
            claims = self._verify(client, metadata, answer.get("id_token"), pending["nonce"])
        except openid.IdTokenError as exc:
            _logger.warning("Sign in with Xero: ID token refused (%s): %s", exc.code, exc)
            return self._fail(exc.code)
        except XeroError:
            return self._fail("unreachable")
        Users = request.env["res.users"].with_user(SUPERUSER_ID)
        try:
            login = Users._xero_signin(provider.id, claims, answer["access_token"], pending.get("token") or None)
        except XeroSigninRefused as exc:
            return self._fail(exc.code)
        # the user may be new: commit so that authenticate()'s own cursor sees it (as auth_oauth does)
        request.env.cr.commit()
        credential = {"login": login, "token": answer["access_token"], "type": "oauth_token"}
        try:
            auth_info = request.session.authenticate(request.db, credential)
        except AccessDenied:
            return self._fail("denied")
        target = pending.get("redirect") or ""
        if urlparse(target).netloc or not target.startswith("/") or target.startswith(("//", "/\\")):
            target = ""  # only a path of this server: never an open redirect
        resp = request.redirect(_get_login_redirect_url(auth_info["uid"], target or None), 303)
        resp.autocorrect_location_header = False
        return resp

    def _verify(self, client, metadata, id_token, nonce):
        if not id_token:
            raise openid.IdTokenError("malformed", "The token answer carries no ID token.")
        jwks = self._document(client, metadata["jwks_uri"], "openid keys")
        if openid.find_key(jwks, openid.key_id(id_token)) is None:
            # Xero rotated its keys since we last read them: read them again, once
            jwks = self._document(client, metadata["jwks_uri"], "openid keys", refresh=True)
        return openid.verify(id_token, jwks, metadata["issuer"], client.settings["client_id"], nonce, time.time())
