"""Intuit's OAuth 2.0, as intuit-oauth (intuitlib) and Intuit's docs describe it.

- authorize (``/connect/oauth2``): a consent page where the user picks ONE company; the
  callback gets ``code``, ``state`` and ``realmId`` (one authorisation = one company, unlike
  Xero's tenants);
- token (``/oauth2/v1/tokens/bearer``): client authentication by HTTP Basic (what intuitlib
  sends) or form fields; access tokens live 3,600 s; refresh tokens 100 days, rolling, with a
  5-year hard cap (``x_refresh_token_hard_expires_in``, tokens issued from October 2023);
- refresh: the refresh token's VALUE changes once it is older than ``rotate_after`` (Intuit:
  every 24–26 h; blogs.intuit.com 2024-06-03), else the same value comes back; the old value
  then answers ``invalid_grant``;
- revoke (``/v2/oauth2/tokens/revoke``, JSON ``{"token"}``): kills the grant;
- discovery (``/.well-known/openid_configuration``): the endpoints, so intuitlib's
  ``AuthClient(environment=<discovery URL>)`` reaches the simulator unchanged.
"""

import base64
import secrets
import threading
from collections import Counter

ACCESS_TOKEN_LIFETIME = 3600
REFRESH_LIFETIME = 100 * 24 * 3600
HARD_LIFETIME = 5 * 365 * 24 * 3600
ROTATE_AFTER = 24 * 3600
CODE_LIFETIME = 300
ACCOUNTING_SCOPE = "com.intuit.quickbooks.accounting"
KNOWN_SCOPES = frozenset((ACCOUNTING_SCOPE, "com.intuit.quickbooks.payment", "openid", "profile", "email",
                          "phone", "address"))


class OAuthError(Exception):
    def __init__(self, code, status=400, description=None):
        super().__init__(code)
        self.code, self.status, self.description = code, status, description

    def body(self):
        body = {"error": self.code}
        if self.description:
            body["error_description"] = self.description
        return body


class Identity:
    def __init__(self, store, clock):
        self.store, self.clock = store, clock
        self.rotate_after = ROTATE_AFTER
        self.grant_counts = Counter()
        self._lock = threading.Lock()

    # --- companies and apps ----------------------------------------------------------------
    def companies(self):
        return self.store.all("company")

    def company(self, realm):
        return self.store.get("company", realm or "")

    def client(self, client_id):
        return self.store.get("client", client_id or "")

    def clients(self):
        return self.store.all("client")

    def register_client(self, client_id=None, client_secret=None, redirect_uris=(), name="Harness QBO app",
                        webhook_url=None, verifier_token=None, webhook_format="legacy", realms=None):
        """An app of Intuit's developer portal: keys, redirect URIs, its webhook endpoint and
        verifier token; ``webhook_format`` "legacy" (eventNotifications) or "cloudevents"."""
        if webhook_format not in ("legacy", "cloudevents"):
            raise ValueError("webhook_format must be legacy or cloudevents")
        client_id = client_id or "AB" + secrets.token_hex(20)
        data = {"client_id": client_id, "client_secret": client_secret or secrets.token_urlsafe(30),
                "redirect_uris": list(redirect_uris), "name": name, "webhook_url": webhook_url,
                # the shared webhook machinery signs with "webhook_key"
                "webhook_key": verifier_token or secrets.token_hex(16), "webhook_format": webhook_format,
                "webhook_status": "OK", "realms": realms}
        return self.store.put("client", client_id, data)

    def update_client(self, client_id, **changes):
        client = self.client(client_id)
        if client is None:
            raise KeyError(client_id)
        if "verifier_token" in changes:
            changes["webhook_key"] = changes.pop("verifier_token")
        return self.store.put("client", client_id, dict(client, **changes))

    def realms_for(self, client):
        allowed = client.get("realms")
        return [c for c in self.companies() if allowed is None or c["realmId"] in allowed]

    # --- authorize -----------------------------------------------------------------------
    def check_authorize(self, args):
        client = self.client(args.get("client_id"))
        if client is None:
            raise OAuthError("invalid_client", 400, "Unknown client_id")
        if args.get("redirect_uri") not in client["redirect_uris"]:
            raise OAuthError("invalid_request", 400, "The redirect_uri is not registered for this app")
        if args.get("response_type") != "code":
            raise OAuthError("unsupported_response_type", 400, "response_type must be code")
        scopes = (args.get("scope") or "").split()
        if not scopes or any(s not in KNOWN_SCOPES for s in scopes):
            raise OAuthError("invalid_scope", 400, "Unknown or missing scope")
        return client, scopes

    def grant_consent(self, client, args, scopes, realm):
        if realm not in {c["realmId"] for c in self.realms_for(client)}:
            raise OAuthError("access_denied", 400, "Choose one company")
        code = "AB" + secrets.token_urlsafe(30)
        self.store.put("code", code, {"client_id": client["client_id"], "realm": realm, "scopes": scopes,
                                      "redirect_uri": args.get("redirect_uri"), "at": self.clock.now()})
        return code

    # --- token endpoint --------------------------------------------------------------------
    def _client_auth(self, form, authorization):
        client_id, secret = form.get("client_id"), form.get("client_secret")
        if authorization and authorization.lower().startswith("basic "):
            try:
                client_id, secret = base64.b64decode(authorization[6:]).decode().split(":", 1)
            except (ValueError, UnicodeDecodeError):
                raise OAuthError("invalid_client", 401) from None
        client = self.client(client_id)
        if client is None or not secrets.compare_digest(client["client_secret"], secret or ""):
            raise OAuthError("invalid_client", 401)
        return client

    def token(self, form, authorization):
        client = self._client_auth(form, authorization)
        grant_type = form.get("grant_type")
        with self._lock:
            self.grant_counts[grant_type] += 1
        with self.store.transaction():
            if grant_type == "authorization_code":
                return self._exchange_code(client, form)
            if grant_type == "refresh_token":
                return self._refresh(client, form.get("refresh_token"))
        raise OAuthError("unsupported_grant_type")

    def _exchange_code(self, client, form):
        code = self.store.get("code", form.get("code") or "")
        if code is None or code["client_id"] != client["client_id"] \
                or self.clock.now() - code["at"] > CODE_LIFETIME or code.get("used"):
            raise OAuthError("invalid_grant")
        if form.get("redirect_uri") != code["redirect_uri"]:
            raise OAuthError("invalid_grant", 400, "redirect_uri mismatch")
        self.store.put("code", form["code"], dict(code, used=True))
        now = self.clock.now()
        grant = {"id": secrets.token_hex(8), "client_id": client["client_id"], "realm": code["realm"],
                 "scopes": code["scopes"], "created": now, "revoked": False}
        self.store.put("grant", grant["id"], grant)
        return self._issue(grant, self._new_refresh(grant, now))

    def _new_refresh(self, grant, now):
        value = "AB11" + secrets.token_urlsafe(36)
        self.store.put("refresh", value, {"grant": grant["id"], "issued": now, "expires": now + REFRESH_LIFETIME,
                                          "replaced": False})
        return value

    def _refresh(self, client, value):
        row = self.store.get("refresh", value or "")
        now = self.clock.now()
        grant = self.store.get("grant", row["grant"]) if row else None
        if row is None or row["replaced"] or now >= row["expires"] or grant is None or grant["revoked"] \
                or grant["client_id"] != client["client_id"] or now >= grant["created"] + HARD_LIFETIME:
            raise OAuthError("invalid_grant", 400, "Incorrect or invalid refresh token")
        if now - row["issued"] >= self.rotate_after:
            self.store.put("refresh", value, dict(row, replaced=True))
            value = self._new_refresh(grant, now)
        else:  # same value, its 100 days start again (rolling)
            self.store.put("refresh", value, dict(row, expires=now + REFRESH_LIFETIME))
        return self._issue(grant, value)

    def _issue(self, grant, refresh):
        now = self.clock.now()
        access = "eyJ" + secrets.token_urlsafe(48)
        self.store.put("access", access, {"grant": grant["id"], "realm": grant["realm"],
                                          "client_id": grant["client_id"], "expires": now + ACCESS_TOKEN_LIFETIME})
        row = self.store.get("refresh", refresh)
        return {"token_type": "bearer", "access_token": access, "expires_in": ACCESS_TOKEN_LIFETIME,
                "refresh_token": refresh, "x_refresh_token_expires_in": round(row["expires"] - now),
                "x_refresh_token_hard_expires_in": round(grant["created"] + HARD_LIFETIME - now)}

    def revoke(self, token_value, authorization):
        self._client_auth({}, authorization)
        row = self.store.get("refresh", token_value or "") or self.store.get("access", token_value or "")
        if row is None:
            raise OAuthError("invalid_request", 400, "Token not found")
        grant = self.store.get("grant", row["grant"])
        with self.store.transaction():
            self.store.put("grant", grant["id"], dict(grant, revoked=True))
            for access in self.store.rows("access"):
                if access.data["grant"] == grant["id"]:
                    self.store.delete("access", access.key)

    # --- bearer tokens ---------------------------------------------------------------------
    def authenticate(self, header):
        """-> access row, or None when the token is missing, unknown, expired or revoked."""
        if not header or not header.lower().startswith("bearer "):
            return None
        row = self.store.get("access", header[7:].strip())
        if row is None or self.clock.now() >= row["expires"]:
            return None
        grant = self.store.get("grant", row["grant"])
        return row if grant and not grant["revoked"] else None

    def expire_tokens(self, client_id=None):
        """Every access token (of one app) expires now -> how many (fault injection)."""
        n = 0
        now = self.clock.now()
        with self.store.transaction():
            for row in self.store.rows("access"):
                if client_id in (None, row.data["client_id"]) and row.data["expires"] > now:
                    self.store.put("access", row.key, dict(row.data, expires=now))
                    n += 1
        return n

    def discovery(self, base):
        """Intuit's OpenID discovery document, pointing at this simulator."""
        return {
            "issuer": "https://oauth.platform.intuit.com/op/v1",
            "authorization_endpoint": base + "/connect/oauth2",
            "token_endpoint": base + "/oauth2/v1/tokens/bearer",
            "userinfo_endpoint": base + "/v1/openid_connect/userinfo",
            "revocation_endpoint": base + "/v2/oauth2/tokens/revoke",
            "jwks_uri": base + "/oauth2/v1/keys",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile", "address", "phone"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "claims_supported": ["aud", "exp", "iat", "iss", "realmid", "sub"],
        }
