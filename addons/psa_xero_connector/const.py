"""Xero constants: URLs, scopes, limits. What every ledger shares is the core's (re-exported).
"""

from odoo.addons.psa_ledger.const import (  # noqa: F401
    LOG_RETENTION_DAYS,
    MAX_LOGGED_BODY,
    MAX_LOGGED_REFUSED,
    MAX_REFUSED_SOURCES_PER_MINUTE,
    OAUTH_SECRET_FIELDS,
    PENDING,
    SECRET_HEADERS,
)

# Xero's real endpoints; Settings → Xero may point them at the harness (tests, demo).
DEFAULT_AUTHORIZE_URL = "https://login.xero.com/identity/connect/authorize"
DEFAULT_TOKEN_URL = "https://identity.xero.com/connect/token"
DEFAULT_REVOKE_URL = "https://identity.xero.com/connect/revocation"
DEFAULT_CONNECTIONS_URL = "https://api.xero.com/connections"
DEFAULT_API_URL = "https://api.xero.com/api.xro/2.0"
# Sign in with Xero reads Xero's OpenID Connect discovery document (issuer, endpoints, JWKS).
DEFAULT_OPENID_CONFIGURATION_URL = "https://identity.xero.com/.well-known/openid-configuration"

# The connection asks only what the connector uses (Xero's certification: minimal scopes):
# offline_access (refresh tokens); contacts written; invoices, bills, credit notes (allocations),
# purchase orders, items and their History written; payments only read; settings written (tracking
# options and currencies are added to Xero: PUT TrackingCategories/{id}/Options, PUT Currencies).
# The OpenID scopes belong to Sign in with Xero alone (SIGNIN_SCOPES).
# Apps created after 2 March 2026 must use the granular scopes; older apps may keep the classic ones
# (where accounting.transactions covers invoices and payments alike, and accounting.settings items).
GRANULAR_SCOPES = "offline_access accounting.invoices accounting.payments.read accounting.contacts accounting.settings"
CLASSIC_SCOPES = "offline_access accounting.transactions accounting.contacts accounting.settings"
DEFAULT_SCOPES = GRANULAR_SCOPES
# What earlier versions asked (an upgrade replaces a stored default by today's, see migrations/).
OLD_DEFAULT_SCOPES = {
    "openid profile email offline_access accounting.invoices accounting.payments accounting.contacts "
    "accounting.settings": GRANULAR_SCOPES,
    "openid profile email offline_access accounting.transactions accounting.contacts accounting.settings":
        CLASSIC_SCOPES,
}
SIGNIN_SCOPES = "openid profile email"

CALLBACK_ROUTE = "/xero/oauth/callback"
START_ROUTE = "/xero/oauth/start"
SIGNIN_START_ROUTE = "/xero/signin/start"
SIGNIN_CALLBACK_ROUTE = "/xero/signin/callback"
WEBHOOK_ROUTE = "/xero/webhook"

# A token is refreshed when it has less than this many seconds left.
TOKEN_REFRESH_MARGIN = 120
# Seconds for connect + read of every call to Xero (Xero answers most calls in < 2 s).
HTTP_TIMEOUT = (5, 30)
# How long Xero replays an Idempotency-Key's answer is undocumented (the harness: 24 h). A batch
# older than this is not resent blindly: its records are looked up in Xero first.
IDEMPOTENCY_WINDOW_HOURS = 23
# Xero allows 5 concurrent calls per tenant; the connector never uses more.
MAX_CONCURRENT_PER_TENANT = 5
# With no call left in a minute (X-MinLimit-Remaining / X-AppMinLimit-Remaining 0), Xero does
# not say when one frees up: rest this long (its windows are a minute).
LIMIT_WINDOW_SECONDS = 60
# Until when Xero's app-wide minute (10,000 calls over every organisation) is spent: an
# ir.config_parameter row every worker of every host reads (see ledger.tenant._rest_app).
APP_REST_PARAM = "psa_xero_connector.app_rest_until"


# ir.config_parameter keys (system administrators only).
PARAM_PREFIX = "psa_xero_connector."
PARAMS = {
    "client_id": "",
    "client_secret": "",
    "scopes": DEFAULT_SCOPES,
    "authorize_url": DEFAULT_AUTHORIZE_URL,
    "token_url": DEFAULT_TOKEN_URL,
    "revoke_url": DEFAULT_REVOKE_URL,
    "connections_url": DEFAULT_CONNECTIONS_URL,
    "api_url": DEFAULT_API_URL,
    "openid_configuration_url": DEFAULT_OPENID_CONFIGURATION_URL,
    "webhook_key": "",
    "log_retention_days": str(LOG_RETENTION_DAYS),
}
