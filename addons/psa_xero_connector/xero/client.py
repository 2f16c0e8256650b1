"""The only code that talks HTTP to Xero (or to the harness: every URL is configurable).

It rides on the official ``xero-python`` SDK's transport (``ApiClient.call_api``: request
building, JSON serialisation, urllib3 pooling) but keeps payloads as plain dicts built by
the pure mapping functions: the SDK's model classes refuse dicts and drop fields they do not
know. On top of the SDK it adds what the SDK lacks (see shared/xero-facts.md):

- a timeout on every call;
- no hidden retries: urllib3's default would sleep ``Retry-After`` inside a 429'd GET/PUT;
  the caller (the outbox) owns retries and back-off;
- a few typed errors (``errors.py``) carrying Xero's own messages;
- one log entry per request and response (``log`` callback): credentials redacted where they
  are (headers, the OAuth2 forms and token answers); Accounting bodies logged as sent.

No Odoo import here: the client is usable (and tested) on its own.
"""

import base64
import hashlib
import json
import logging
import secrets
import time
from urllib.parse import urlencode

import urllib3
from xero_python.api_client import ApiClient, Configuration
from xero_python.exceptions import ApiException

from odoo.addons.psa_ledger.utils import redact_headers, redact_oauth

from .. import const
from .errors import XeroAuthError, XeroError, XeroNotFound, XeroRateLimited, XeroTransientError, XeroValidationError

_logger = logging.getLogger(__name__)


def pkce_pair():
    """-> (code_verifier, S256 code_challenge)."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def validation_messages(body):
    """Every ``ValidationErrors[].Message`` in a Xero error or batch answer, in order, unique."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            for err in node.get("ValidationErrors") or ():
                msg = isinstance(err, dict) and err.get("Message")
                if msg and msg not in found:
                    found.append(msg)
            for value in node.values():
                if isinstance(value, (dict, list)):
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(body)
    return found


LIMIT_HEADERS = {"minute": "x-minlimit-remaining", "day": "x-daylimit-remaining",
                 "app_minute": "x-appminlimit-remaining"}


def limits_remaining(headers):
    """Xero's count of the calls left, read from a response's headers: -> {"minute": n,
    "day": n, "app_minute": n} (this organisation's minute and day, the whole app's minute);
    a header that is missing or not a number is left out."""
    lower = {k.lower(): v for k, v in (headers or {}).items()}
    found = {}
    for name, header in LIMIT_HEADERS.items():
        try:
            found[name] = int(lower[header])
        except (KeyError, TypeError, ValueError):
            continue
    return found


class XeroClient:
    def __init__(self, settings, log=None, timeout=None):
        """``settings``: client_id, client_secret, authorize_url, token_url, revoke_url,
        connections_url, api_url. ``log(entry)`` receives one dict per exchange."""
        self.settings = settings
        self.log = log
        self.timeout = timeout or const.HTTP_TIMEOUT
        # Configuration's metaclass hands out copies of the first instance ever made, ignoring
        # arguments: build ours directly so that we neither take nor poison that default.
        self._sdk = ApiClient(type.__call__(Configuration), pool_threads=1)
        self._sdk.rest_client.pool_manager = urllib3.PoolManager(
            num_pools=4, maxsize=const.MAX_CONCURRENT_PER_TENANT, retries=False)

    # --- OAuth2 -------------------------------------------------------------------------------
    def authorize_url(self, redirect_uri, state, code_challenge, scopes=None, authorize_url=None, nonce=None):
        query = {
            "response_type": "code",
            "client_id": self.settings["client_id"],
            "redirect_uri": redirect_uri,
            "scope": scopes or self.settings.get("scopes") or const.DEFAULT_SCOPES,
            "state": state,
            "code_challenge": code_challenge,
            "code_challenge_method": "S256",
        }
        if nonce:
            query["nonce"] = nonce
        return "%s?%s" % (authorize_url or self.settings["authorize_url"], urlencode(query))

    def _token_call(self, form, operation, token_url=None):
        form = dict(form, client_id=self.settings["client_id"], client_secret=self.settings["client_secret"])
        data, _headers = self._send("POST", token_url or self.settings["token_url"], operation, form=form,
                                    headers={"Accept": "application/json"}, oauth=True)
        if not isinstance(data, dict) or not data.get("access_token"):
            raise XeroAuthError("The token endpoint answered without an access token.", body=data)
        return data

    def exchange_code(self, code, redirect_uri, code_verifier, token_url=None, operation="token"):
        return self._token_call({"grant_type": "authorization_code", "code": code,
                                 "redirect_uri": redirect_uri, "code_verifier": code_verifier}, operation, token_url)

    def openid_document(self, url, operation):
        """GET a JSON document of Xero's identity server (its discovery document, its JWKS)."""
        data, _headers = self._send("GET", url, operation)
        if not isinstance(data, dict):
            raise XeroError("%s answered no JSON object." % url, body=data)
        return data

    def refresh(self, refresh_token):
        return self._token_call({"grant_type": "refresh_token", "refresh_token": refresh_token}, "refresh")

    def revoke(self, refresh_token):
        self._send("POST", self.settings["revoke_url"], "revoke", form={
            "token": refresh_token, "client_id": self.settings["client_id"],
            "client_secret": self.settings["client_secret"]}, oauth=True)

    def connections(self, access_token, auth_event_id=None):
        params = {"authEventId": auth_event_id} if auth_event_id else None
        data, _ = self._send("GET", self.settings["connections_url"], "connections", params=params,
                             headers=self._bearer(access_token))
        return data or []

    def delete_connection(self, access_token, connection_id):
        try:
            self._send("DELETE", "%s/%s" % (self.settings["connections_url"], connection_id), "disconnect",
                       headers=self._bearer(access_token))
        except XeroNotFound:
            # already gone at Xero: the goal is reached
            _logger.info("Xero: connection %s was already removed at Xero", connection_id)

    # --- Accounting -------------------------------------------------------------------------
    def call(self, access_token, tenant_id, method, path, body=None, params=None, idempotency_key=None,
             operation=None, context=None, headers=None):
        """One Accounting API call. -> (data, headers). ``context`` is copied into the log entry;
        ``headers`` adds request headers (e.g. If-Modified-Since)."""
        headers = dict(headers or {}, **self._bearer(access_token), **{"xero-tenant-id": tenant_id})
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key[:128]
        url = "%s/%s" % (self.settings["api_url"].rstrip("/"), path.lstrip("/"))
        return self._send(method, url, operation or "%s %s" % (method, path.split("?")[0]), body=body,
                          params=params, headers=headers, context=dict(context or {}, tenant_id=tenant_id,
                                                                       idempotency_key=idempotency_key))

    # --- transport ----------------------------------------------------------------------------
    @staticmethod
    def _bearer(access_token):
        return {"Authorization": "Bearer %s" % access_token, "Accept": "application/json"}

    def _send(self, method, url, operation, body=None, form=None, params=None, headers=None, context=None,
              oauth=False):
        """``oauth``: an identity endpoint's call, whose form and answer carry secrets (redacted
        in the log entry, which then says ``redacted``)."""
        headers = dict(headers or {})
        redact = redact_oauth if oauth else (lambda value: value)
        headers.setdefault("Accept", "application/json")
        if body is not None:
            headers["Content-Type"] = "application/json"
        elif form is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        entry = dict(context or {}, operation=operation, method=method,
                     url=url + ("?" + urlencode(params) if params else ""),
                     request_headers=redact_headers(headers),
                     request_body=redact(body if body is not None else form), redacted=oauth)
        started = time.monotonic()
        status, raw, resp_headers, error = None, b"", {}, None
        try:
            try:
                # raw (not preloaded, data only): the undecoded urllib3 response
                http = self._sdk.call_api(
                    url, method, query_params=list((params or {}).items()) or None, header_params=headers,
                    body=body, post_params=list(form.items()) if form else None, auth_settings=None,
                    _preload_content=False, _return_http_data_only=True, _request_timeout=self.timeout)
            except ApiException as exc:
                http = exc.http_resp
                if http is None:
                    raise XeroTransientError(str(exc)) from exc
            status = http.status
            raw = http.data or b""
            resp_headers = dict(getattr(http, "urllib3_response", http).headers)  # SDK wrapper on errors
            data = self._decode(raw)
            if status >= 400:
                raise self._error(status, data, raw, resp_headers)
            return data, resp_headers
        except urllib3.exceptions.HTTPError as exc:
            error = XeroTransientError("No answer from Xero: %s" % (exc.__class__.__name__,))
            raise error from exc
        except XeroError as exc:
            error = exc
            raise
        finally:
            if self.log:
                entry.update(status=status, duration_ms=int((time.monotonic() - started) * 1000),
                             response_headers=redact_headers(resp_headers),
                             response_body=redact(self._decode(raw) if raw else None),
                             error=str(error) if error else None,
                             messages=getattr(error, "messages", None) or [])
                self.log(entry)

    @staticmethod
    def _decode(raw):
        if not raw:
            return None
        try:
            return json.loads(raw.decode("utf-8") if isinstance(raw, bytes) else raw)
        except (ValueError, UnicodeDecodeError):
            return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw

    @staticmethod
    def _error(status, data, raw, headers):
        lower = {k.lower(): v for k, v in headers.items()}
        body = data if isinstance(data, dict) else {}
        if status == 429:
            try:
                retry_after = max(1, int(float(lower.get("retry-after", 60))))
            except ValueError:
                retry_after = 60
            problem = (lower.get("x-rate-limit-problem") or "").lower() or None
            return XeroRateLimited("Xero rate limit reached (%s); retry after %d s" % (problem or "unknown",
                                                                                    retry_after),
                                   retry_after=retry_after, problem=problem, body=data)
        if status in (401, 403) or body.get("error") in ("invalid_grant", "invalid_client", "unauthorized_client"):
            detail = body.get("Detail") or body.get("error_description") or body.get("error") or body.get("Title")
            return XeroAuthError("Xero refused the credentials: %s" % (detail or status), status=status, body=data,
                                 code=body.get("error") or detail)
        if status == 404:
            return XeroNotFound("Not found at Xero", status=status, body=data)
        if status == 400:
            messages = validation_messages(body) or [body.get("Message") or body.get("Detail")
                                                     or (raw[:300].decode("utf-8", "replace") if raw else "")]
            return XeroValidationError("; ".join(m for m in messages if m), messages=messages, body=data)
        if status >= 500 or status in (408, 409, 425):
            return XeroTransientError("Xero answered %s" % status, status=status, body=data)
        return XeroError("Xero answered %s: %s" % (status, (body.get("Message") or "")), status=status, body=data)
