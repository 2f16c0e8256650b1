"""OAuth2 / Identity: clients, organisations, consent, codes, tokens and connections.

Modelled on login.xero.com + identity.xero.com + api.xero.com/connections:
- code flow with ``state`` and optional PKCE (S256 / plain); codes live 5 minutes, once;
- access tokens live 1800 s (simulated time); refresh tokens rotate on every use and the old
  one stays valid for a 30-minute grace, then ``invalid_grant``; unused ones die after 60 days;
- ``client_credentials`` for custom connections: the client is bound to one organisation;
- revocation kills the grant (its refresh and access tokens) and removes its connections;
- OpenID Connect ("Sign in with Xero", developer.xero.com/documentation/oauth2/sign-in): with
  ``openid`` the token answer carries an ``id_token`` signed RS256 with a key published at the
  JWKS URL of the discovery document, echoing the authorize request's ``nonce``; userinfo
  answers for an access token holding ``openid``. Who signs in is one of the harness's Xero
  users (seeded, or added through the admin API), picked on the consent page.

Access tokens are JWT-shaped (HS256, the harness's own key) and carry ``exp``,
``client_id``, ``scope`` and ``authentication_event_id`` like Xero's (which are RS256).
"""

import base64
import hashlib
import hmac
import json
import secrets
import threading
from collections import Counter, deque

from .xerojson import iso_utc, new_id

ACCESS_TOKEN_LIFETIME = 1800
REFRESH_GRACE = 1800
REFRESH_IDLE_LIFETIME = 60 * 24 * 3600
CODE_LIFETIME = 300
# Xero's ID tokens live 5 minutes (exp - nbf of the tokens its identity server issues).
ID_TOKEN_LIFETIME = 300
OPENID_SCOPES = ("openid", "profile", "email")
# Scopes that connect no organisation: a sign-in alone shows no organisation to pick.
USER_SCOPES = frozenset(OPENID_SCOPES + ("offline_access",))
# What a test can make the next ID token get wrong (admin API ``identity/id-token-faults``):
# each is what a forged or replayed token would look like to the app.
ID_TOKEN_FAULTS = ("signature", "audience", "issuer", "nonce", "no_nonce", "expired", "alg_hs256", "alg_none")

CLASSIC_SCOPES = (
    "openid", "profile", "email", "offline_access",
    "accounting.transactions", "accounting.transactions.read",
    "accounting.contacts", "accounting.contacts.read",
    "accounting.settings", "accounting.settings.read",
)
# Granular scopes required of apps created after 2 March 2026.
GRANULAR_SCOPES = (
    "accounting.invoices", "accounting.invoices.read",
    "accounting.payments", "accounting.payments.read",
    "accounting.banktransactions", "accounting.banktransactions.read",
    "accounting.manualjournals", "accounting.manualjournals.read",
)
KNOWN_SCOPES = frozenset(CLASSIC_SCOPES + GRANULAR_SCOPES + ("marketplace.billing",))

# Which scopes open which Accounting collection (any one of them; GET also takes ".read").
ENDPOINT_SCOPES = {
    "contacts": ("accounting.contacts",),
    "invoices": ("accounting.transactions", "accounting.invoices"),
    "creditnotes": ("accounting.transactions", "accounting.invoices"),
    "purchaseorders": ("accounting.transactions", "accounting.invoices"),
    "items": ("accounting.settings", "accounting.invoices"),
    "payments": ("accounting.transactions", "accounting.payments"),
    "accounts": ("accounting.settings",),
    "taxrates": ("accounting.settings",),
    "trackingcategories": ("accounting.settings",),
    "currencies": ("accounting.settings",),  # the spec's security for GET / PUT /Currencies
    "organisation": ("accounting.settings",),
}


class OAuthError(Exception):
    """An OAuth error answered as ``{"error": code}`` with ``status``."""

    def __init__(self, code, status=400, description=None):
        super().__init__(code)
        self.code, self.status, self.description = code, status, description

    def body(self):
        body = {"error": self.code}
        if self.description:
            body["error_description"] = self.description
        return body


class AuthFailure(Exception):
    """A rejected bearer token or tenant: 401/403 with Xero's problem body."""

    def __init__(self, status, title, detail):
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail


def _b64url(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def pkce_challenge(verifier, method="S256"):
    if method == "plain":
        return verifier
    return _b64url(hashlib.sha256(verifier.encode()).digest())


class Identity:
    def __init__(self, store, clock):
        self.store = store
        self.clock = clock
        self._jwt_key = secrets.token_bytes(32)
        self.grant_counts = Counter()  # token endpoint calls per grant_type (for tests)
        self._count_lock = threading.Lock()
        self._signing_key = None  # RSA key of the ID tokens, made on first use (kept across resets)
        self._key_lock = threading.Lock()
        self.id_token_faults = deque()  # what the next ID tokens get wrong (tests)
        self.issuer = lambda: "https://identity.xero.com"  # the app sets its public URL

    # --- organisations and clients --------------------------------------------------------
    def organisations(self):
        return self.store.all("org")

    def organisation(self, tenant_id):
        return self.store.get("org", tenant_id)

    def client(self, client_id):
        return self.store.get("client", client_id or "")

    def clients(self):
        return self.store.all("client")

    def register_client(self, client_id=None, client_secret=None, redirect_uris=(), scopes=(),
                        name="Harness app", webhook_url=None, webhook_key=None, tenant_ids=None,
                        custom_tenant=None):
        """Create or replace an OAuth app. ``tenant_ids`` None = may connect to every org."""
        client_id = client_id or secrets.token_hex(16).upper()
        data = {
            "client_id": client_id,
            "client_secret": client_secret or secrets.token_urlsafe(36),
            "name": name,
            "redirect_uris": list(redirect_uris or ()),
            "scopes": list(scopes or ()),
            "tenant_ids": None if tenant_ids is None else list(tenant_ids),
            "custom_tenant": custom_tenant,
            "webhook_url": webhook_url,
            "webhook_key": webhook_key or _b64url(secrets.token_bytes(48)),
            "webhook_status": "OK" if webhook_url else "NONE",
        }
        return self.store.put("client", client_id, data)

    def update_client(self, client_id, **changes):
        data = dict(self.client(client_id) or {})
        if not data:
            raise KeyError(client_id)
        data.update({k: v for k, v in changes.items() if v is not None})
        if data.get("webhook_url") and data.get("webhook_status") in (None, "NONE"):
            data["webhook_status"] = "OK"
        return self.store.put("client", client_id, data)

    def allowed_tenants(self, client):
        orgs = [o["OrganisationID"] for o in self.organisations()]
        if client.get("tenant_ids") is None:
            return orgs
        return [t for t in orgs if t in client["tenant_ids"]]

    # --- client authentication ------------------------------------------------------------
    def authenticate_client(self, form, authorization_header):
        """Form fields (what xero-python sends) or HTTP Basic; -> client dict."""
        client_id, secret = form.get("client_id"), form.get("client_secret")
        if authorization_header and authorization_header.lower().startswith("basic "):
            try:
                raw = base64.b64decode(authorization_header[6:].strip()).decode()
                client_id, _, secret = raw.partition(":")
            except (ValueError, UnicodeDecodeError):
                raise OAuthError("invalid_client", 401) from None
        client = self.client(client_id)
        if not client or not secret or not hmac.compare_digest(client["client_secret"], secret):
            raise OAuthError("invalid_client", 401)
        return client

    # --- authorize / consent --------------------------------------------------------------
    def check_authorize(self, args):
        """Validate an authorize request; -> (client, scopes). Raises OAuthError."""
        client = self.client(args.get("client_id"))
        if not client:
            raise OAuthError("unauthorized_client", description="Unknown client or client not enabled")
        if args.get("redirect_uri") not in client["redirect_uris"]:
            raise OAuthError("invalid_request", description="Invalid redirect_uri")
        if args.get("response_type") != "code":
            raise OAuthError("unsupported_response_type")
        scopes = self._check_scopes(client, args.get("scope", ""))
        method = args.get("code_challenge_method") or ("S256" if args.get("code_challenge") else None)
        if method not in (None, "S256", "plain"):
            raise OAuthError("invalid_request", description="Unsupported code_challenge_method")
        return client, scopes

    def _check_scopes(self, client, scope_text):
        scopes = [s for s in (scope_text or "").split() if s]
        if not scopes:
            raise OAuthError("invalid_scope", description="No scope requested")
        unknown = [s for s in scopes if s not in KNOWN_SCOPES]
        allowed = client.get("scopes") or []
        if unknown or (allowed and any(s not in allowed for s in scopes)):
            raise OAuthError("invalid_scope", description="Invalid scope: %s" % " ".join(unknown or scopes))
        return scopes

    def grant_consent(self, client, args, scopes, tenant_ids, user_id=None):
        """The user (``user_id``, a Xero user's id; None: the first one) pressed Allow with these
        organisations ticked: connect them, issue a code. A sign-in alone connects none."""
        allowed = set(self.allowed_tenants(client))
        tenant_ids = [t for t in tenant_ids if t in allowed]
        if not tenant_ids and not self.user_scopes_only(scopes):
            raise OAuthError("access_denied", description="No organisation selected")
        if self.user_scopes_only(scopes):
            tenant_ids = []
        user = self.user(user_id) if user_id else self.default_user()
        if user is None:
            raise OAuthError("access_denied", description="No such Xero user")
        now = self.clock.now()
        auth_event = new_id()
        with self.store.transaction():
            for tenant_id in tenant_ids:
                self._connect(client["client_id"], tenant_id, auth_event, now)
            code = secrets.token_urlsafe(32)
            self.store.put("code", code, {
                "client_id": client["client_id"],
                "redirect_uri": args.get("redirect_uri"),
                "scopes": scopes,
                "auth_event": auth_event,
                "challenge": args.get("code_challenge"),
                "challenge_method": args.get("code_challenge_method") or "S256",
                "exp": now + CODE_LIFETIME,
                "used": False,
                "user": user["xero_userid"],
                "nonce": args.get("nonce"),
                "auth_time": int(now),
            })
        return code

    @staticmethod
    def user_scopes_only(scopes):
        return all(s in USER_SCOPES for s in scopes)

    # --- Xero users (who signs in) -----------------------------------------------------------------
    def users(self):
        return self.store.all("user")

    def user(self, user_id):
        return self.store.get("user", (user_id or "").lower())

    def add_user(self, email, given_name="", family_name="", xero_userid=None):
        """A Xero user (login.xero.com account): the identity an ID token describes."""
        if not email or "@" not in email:
            raise ValueError("a Xero user needs an email address")
        user_id = (xero_userid or new_id()).lower()
        return self.store.put("user", user_id, {
            "xero_userid": user_id, "email": email, "given_name": given_name, "family_name": family_name,
        })

    def default_user(self):
        """The first user; a harness without any gets the historical demo user."""
        users = self.users()
        return users[0] if users else self.add_user("demo@example.com", "Demo", "User")

    def _connect(self, client_id, tenant_id, auth_event, now):
        existing = [c for c in self.store.all("connection")
                    if c["client_id"] == client_id and c["tenantId"] == tenant_id]
        org = self.organisation(tenant_id)
        if existing:
            conn = dict(existing[0], authEventId=auth_event, updatedDateUtc=iso_utc(now),
                        tenantName=org["Name"])
        else:
            conn = {
                "id": new_id(), "authEventId": auth_event, "tenantId": tenant_id,
                "tenantType": "ORGANISATION", "tenantName": org["Name"],
                "createdDateUtc": iso_utc(now), "updatedDateUtc": iso_utc(now), "client_id": client_id,
            }
        self.store.put("connection", conn["id"], conn)

    # --- token endpoint ---------------------------------------------------------------------
    def token(self, form, authorization_header):
        grant_type = form.get("grant_type")
        with self._count_lock:
            self.grant_counts[grant_type or ""] += 1
        client = self.authenticate_client(form, authorization_header)
        if grant_type == "authorization_code":
            return self._exchange_code(client, form)
        if grant_type == "refresh_token":
            return self._refresh(client, form)
        if grant_type == "client_credentials":
            return self._client_credentials(client, form)
        raise OAuthError("unsupported_grant_type")

    def _exchange_code(self, client, form):
        now = self.clock.now()
        code = self.store.get("code", form.get("code") or "")
        if not code or code["client_id"] != client["client_id"]:
            raise OAuthError("invalid_grant")
        if code["used"]:
            # A replayed code is refused and, as OAuth 2.0 §4.1.2 advises, kills what it issued.
            self._revoke_grant(code["auth_event"], remove_connections=False)
            raise OAuthError("invalid_grant")
        if code["exp"] < now:
            raise OAuthError("invalid_grant", description="Authorization code expired")
        if form.get("redirect_uri") != code["redirect_uri"]:
            raise OAuthError("invalid_grant", description="redirect_uri does not match")
        if code.get("challenge"):
            verifier = form.get("code_verifier") or ""
            if not hmac.compare_digest(pkce_challenge(verifier, code["challenge_method"]), code["challenge"]):
                raise OAuthError("invalid_grant", description="Invalid code_verifier")
        with self.store.transaction():
            self.store.put("code", form["code"], dict(code, used=True))
            self.store.put("grant", code["auth_event"], {
                "id": code["auth_event"], "client_id": client["client_id"],
                "scopes": code["scopes"], "revoked": False, "user": code.get("user"),
                "auth_time": code.get("auth_time"),
            })
            return self._issue(client, code["auth_event"], code["scopes"], now, nonce=code.get("nonce"))

    def _refresh(self, client, form):
        now = self.clock.now()
        token = self.store.get("refresh", form.get("refresh_token") or "")
        if not token or token["client_id"] != client["client_id"] or token["revoked"]:
            raise OAuthError("invalid_grant")
        grant = self.store.get("grant", token["grant"])
        if not grant or grant["revoked"]:
            raise OAuthError("invalid_grant")
        if token["rotated_at"] is not None and now > token["rotated_at"] + REFRESH_GRACE:
            raise OAuthError("invalid_grant")
        if now > token["last_used"] + REFRESH_IDLE_LIFETIME:
            raise OAuthError("invalid_grant")
        with self.store.transaction():
            if token["rotated_at"] is None:
                token = dict(token, rotated_at=now)
            self.store.put("refresh", form["refresh_token"], dict(token, last_used=now))
            return self._issue(client, grant["id"], grant["scopes"], now)

    def _client_credentials(self, client, form):
        tenant = client.get("custom_tenant") or next(iter(self.allowed_tenants(client)), None)
        if not tenant:
            raise OAuthError("unauthorized_client", description="No organisation bound to this client")
        scopes = [s for s in (form.get("scope") or "").split() if s] or list(
            client.get("scopes") or [s for s in CLASSIC_SCOPES if s.startswith("accounting.")])
        now = self.clock.now()
        with self.store.transaction():
            auth_event = new_id()
            self._connect(client["client_id"], tenant, auth_event, now)
            self.store.put("grant", auth_event, {"id": auth_event, "client_id": client["client_id"],
                                                 "scopes": scopes, "revoked": False, "custom": tenant})
            body = self._issue(client, auth_event, scopes, now, with_refresh=False)
        return body

    def _issue(self, client, grant_id, scopes, now, with_refresh=True, nonce=None):
        exp = now + ACCESS_TOKEN_LIFETIME
        access = self._jwt({
            "nbf": int(now), "exp": int(exp), "iss": "https://identity.xero.com",
            "client_id": client["client_id"], "authentication_event_id": grant_id,
            "scope": scopes, "jti": new_id(),
        })
        self.store.put("access", access[-43:], {
            "client_id": client["client_id"], "grant": grant_id, "exp": exp, "scopes": scopes,
        })
        body = {"access_token": access, "expires_in": ACCESS_TOKEN_LIFETIME,
                "token_type": "Bearer", "scope": " ".join(scopes)}
        if with_refresh and "offline_access" in scopes:
            refresh = secrets.token_hex(32)
            self.store.put("refresh", refresh, {
                "client_id": client["client_id"], "grant": grant_id, "created": now,
                "last_used": now, "rotated_at": None, "revoked": False,
            })
            body["refresh_token"] = refresh
        if "openid" in scopes:
            grant = self.store.get("grant", grant_id) or {}
            body["id_token"] = self.id_token(client["client_id"], grant, scopes, now, access, nonce)
        return body

    # --- OpenID Connect ---------------------------------------------------------------------------
    def _key(self):
        with self._key_lock:
            if self._signing_key is None:
                from cryptography.hazmat.primitives.asymmetric import rsa

                self._signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
                self._kid = secrets.token_hex(16).upper()
            return self._signing_key, self._kid

    def jwks(self):
        """The public half of the ID token key, as JWKS (RFC 7517) like Xero's jwks_uri."""
        key, kid = self._key()
        numbers = key.public_key().public_numbers()

        def b64int(value):
            return _b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))
        return {"keys": [{"kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid,
                          "e": b64int(numbers.e), "n": b64int(numbers.n)}]}

    def discovery(self, base):
        """The OpenID Provider metadata (identity.xero.com/.well-known/openid-configuration, with
        the harness's own URLs; the issuer is the harness's public URL, as the discovery URL's prefix
        must be by OpenID Connect Discovery 1.0 §4.3)."""
        issuer = self.issuer()
        return {
            "issuer": issuer,
            "jwks_uri": issuer + "/.well-known/openid-configuration/jwks",
            "authorization_endpoint": base + "/identity/connect/authorize",
            "token_endpoint": base + "/identity/connect/token",
            "userinfo_endpoint": base + "/identity/connect/userinfo",
            "revocation_endpoint": base + "/identity/connect/revocation",
            "scopes_supported": sorted(KNOWN_SCOPES),
            "claims_supported": ["sub", "xero_userid", "global_session_id", "email", "given_name",
                                 "family_name", "preferred_username", "nonce", "auth_time"],
            "grant_types_supported": ["authorization_code", "client_credentials", "refresh_token"],
            "response_types_supported": ["code"],
            "response_modes_supported": ["form_post", "query", "fragment"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["plain", "S256"],
        }

    def user_claims(self, user, scopes):
        """The claims each OpenID scope releases (developer.xero.com/documentation/oauth2/scopes:
        profile = first name, last name and Xero user id; email = email address)."""
        claims = {"sub": user["xero_userid"].replace("-", "")}
        if "profile" in scopes:
            claims.update(xero_userid=user["xero_userid"], given_name=user.get("given_name", ""),
                          family_name=user.get("family_name", ""), preferred_username=user["email"])
        if "email" in scopes:
            claims["email"] = user["email"]
        return claims

    def id_token(self, client_id, grant, scopes, now, access_token, nonce=None):
        user = self.user(grant.get("user")) or self.default_user()
        claims = {"nbf": int(now), "exp": int(now) + ID_TOKEN_LIFETIME, "iss": self.issuer(), "aud": client_id,
                  "iat": int(now), "auth_time": grant.get("auth_time") or int(now),
                  "at_hash": _b64url(hashlib.sha256(access_token.encode()).digest()[:16]),
                  "sid": grant.get("id", ""), "global_session_id": grant.get("id", "")}
        claims.update(self.user_claims(user, scopes))
        if nonce:
            claims["nonce"] = nonce
        fault = self.id_token_faults.popleft() if self.id_token_faults else None
        alg = "RS256"
        if fault == "audience":
            claims["aud"] = "another-app"
        elif fault == "issuer":
            claims["iss"] = "https://identity.example.com"
        elif fault == "nonce":
            claims["nonce"] = "not-the-nonce-sent"
        elif fault == "no_nonce":
            claims.pop("nonce", None)
        elif fault == "expired":
            claims.update(nbf=int(now) - 900, iat=int(now) - 900, exp=int(now) - 600)
        elif fault in ("alg_hs256", "alg_none"):
            alg = "HS256" if fault == "alg_hs256" else "none"
        return self._sign_rs256(claims, forged=fault == "signature", alg=alg)

    def _sign_rs256(self, claims, forged=False, alg="RS256"):
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding, rsa

        key, kid = self._key()
        header = _b64url(json.dumps({"alg": alg, "kid": kid, "typ": "JWT"}).encode())
        payload = _b64url(json.dumps(claims, separators=(",", ":")).encode())
        signing_input = ("%s.%s" % (header, payload)).encode()
        if alg == "none":
            return "%s.%s." % (header, payload)
        if alg == "HS256":  # the classic confusion: an HMAC keyed with the published public key
            public = json.dumps(self.jwks()["keys"][0], sort_keys=True).encode()
            return "%s.%s.%s" % (header, payload, _b64url(hmac.new(public, signing_input, hashlib.sha256).digest()))
        if forged:  # same kid, another key: what a forger without Xero's key can make
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        sig = key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
        return "%s.%s.%s" % (header, payload, _b64url(sig))

    def userinfo(self, token):
        """GET connect/userinfo: the signed-in user's claims; needs ``openid`` (else 403, as OpenID
        Connect Core §5.3.3 / RFC 6750 insufficient_scope)."""
        if "openid" not in token["scopes"]:
            raise AuthFailure(403, "Forbidden", "insufficient_scope")
        grant = self.store.get("grant", token["grant"]) or {}
        user = self.user(grant.get("user"))
        if user is None:
            raise AuthFailure(403, "Forbidden", "insufficient_scope")
        return self.user_claims(user, token["scopes"])

    def add_id_token_fault(self, kind, count=1):
        if kind not in ID_TOKEN_FAULTS:
            raise ValueError("unknown ID token fault %r (known: %s)" % (kind, ", ".join(ID_TOKEN_FAULTS)))
        for _ in range(int(count)):
            self.id_token_faults.append(kind)
        return list(self.id_token_faults)

    def _jwt(self, claims):
        header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        payload = _b64url(json.dumps(claims, separators=(",", ":")).encode())
        sig = hmac.new(self._jwt_key, ("%s.%s" % (header, payload)).encode(), hashlib.sha256).digest()
        return "%s.%s.%s" % (header, payload, _b64url(sig))

    # --- revocation -----------------------------------------------------------------------
    def revoke(self, form, authorization_header):
        client = self.authenticate_client(form, authorization_header)
        token = self.store.get("refresh", form.get("token") or "")
        if token and token["client_id"] == client["client_id"]:
            self._revoke_grant(token["grant"], remove_connections=True)
        # RFC 7009: an unknown token is not an error.

    def _revoke_grant(self, grant_id, remove_connections):
        with self.store.transaction():
            grant = self.store.get("grant", grant_id)
            if grant:
                self.store.put("grant", grant_id, dict(grant, revoked=True))
            for row in self.store.rows("refresh"):
                if row.data["grant"] == grant_id and not row.data["revoked"]:
                    self.store.put("refresh", row.key, dict(row.data, revoked=True))
            for row in self.store.rows("access"):
                if row.data["grant"] == grant_id:
                    self.store.delete("access", row.key)
            if remove_connections:
                for conn in self.store.all("connection"):
                    if conn["authEventId"] == grant_id:
                        self.store.delete("connection", conn["id"])

    # --- bearer tokens and connections ------------------------------------------------------
    def bearer(self, authorization_header):
        """-> the access-token record. Raises AuthFailure (401) as Xero's gateway does."""
        header = authorization_header or ""
        if not header.lower().startswith("bearer "):
            raise AuthFailure(401, "Unauthorized", "AuthenticationUnsuccessful")
        raw = header[7:].strip()
        token = self.store.get("access", raw[-43:]) if len(raw) > 43 else None
        if token is None:
            raise AuthFailure(401, "Unauthorized", "AuthenticationUnsuccessful")
        if token["exp"] <= self.clock.now():
            when = iso_utc(token["exp"]).replace("T", " ")[:19]
            raise AuthFailure(401, "Unauthorized", "TokenExpired: token expired at %s" % when)
        return token

    def check_scope(self, token, endpoint, method):
        needed = ENDPOINT_SCOPES.get(endpoint)
        if not needed:
            return
        have = set(token["scopes"])
        ok = any(s in have for s in needed) or (
            method == "GET" and any(s + ".read" in have for s in needed))
        if not ok:
            # Xero answers a call outside the granted scopes with 401 "AuthorizationUnsuccessful" (403 is
            # for a tenant not connected): XeroAPI/Xero-NetStandard#178 (Accounts without
            # accounting.settings), XeroAPI/xero-ruby-oauth2-app#82 (finance without its scope).
            raise AuthFailure(401, "Unauthorized", "AuthorizationUnsuccessful")

    def connections(self, client_id, auth_event=None):
        conns = [c for c in self.store.all("connection") if c["client_id"] == client_id]
        if auth_event:
            conns = [c for c in conns if c["authEventId"] == auth_event]
        return conns

    def check_tenant(self, token, tenant_id):
        """The tenant must be connected to the token's app (custom connections imply theirs)."""
        grant = self.store.get("grant", token["grant"]) or {}
        if not tenant_id and grant.get("custom"):
            return grant["custom"]
        if not tenant_id:
            raise AuthFailure(403, "Forbidden", "AuthenticationUnsuccessful: xero-tenant-id header is missing")
        tenant_id = tenant_id.strip().lower()
        if not any(c["tenantId"] == tenant_id for c in self.connections(token["client_id"])):
            raise AuthFailure(403, "Forbidden", "AuthenticationUnsuccessful")
        return tenant_id

    def delete_connection(self, client_id, connection_id):
        conn = self.store.get("connection", (connection_id or "").lower())
        if not conn or conn["client_id"] != client_id:
            return False
        self.store.delete("connection", conn["id"])
        return True

    def expire_tokens(self, client_id=None):
        """Admin: every (or one app's) access token expires now."""
        now = self.clock.now()
        n = 0
        with self.store.transaction():
            for row in self.store.rows("access"):
                if client_id in (None, row.data["client_id"]) and row.data["exp"] > now:
                    self.store.put("access", row.key, dict(row.data, exp=now))
                    n += 1
        return n

    @staticmethod
    def public_connection(conn):
        return {k: v for k, v in conn.items() if k != "client_id"}
