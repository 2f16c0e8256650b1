"""Fixtures: a harness on a free port (in-memory SQLite), seeded, with a connected OAuth app,
and the official xero-python SDK pointed at it by base URL."""

import pytest
import requests
from xero_python.accounting import AccountingApi
from xero_python.api_client import ApiClient, Configuration
from xero_python.api_client.oauth2 import OAuth2Token, TokenApi
from xero_python.identity import IdentityApi

from harness import seed
from harness.server import HarnessServer
from harness.testing import Admin, connect

CLIENT_ID, CLIENT_SECRET = "test-client", "test-secret"
REDIRECT = "http://localhost:9999/callback"
SCOPES = ["openid", "profile", "email", "offline_access", "accounting.transactions",
          "accounting.contacts", "accounting.settings"]
ORG_A, ORG_B = (t for _, t in seed.DEMO_ORGS)


@pytest.fixture
def harness():
    server = HarnessServer(limits=True).start()
    seed.load(server.app, "demo")
    server.app.identity.register_client(CLIENT_ID, CLIENT_SECRET, [REDIRECT], name="Test app")
    yield server
    server.stop()


@pytest.fixture
def admin(harness):
    return Admin(harness.url)


@pytest.fixture
def token(harness):
    return connect(harness.url, CLIENT_ID, CLIENT_SECRET, REDIRECT, SCOPES)


class Api:
    """Plain HTTP access with a bearer token and a tenant, for what the SDK hides."""

    def __init__(self, base, token, tenant=ORG_A):
        self.base, self.token, self.tenant = base, token, tenant
        self.http = requests.Session()

    def request(self, method, path, tenant=None, headers=None, **kwargs):
        h = {"Authorization": "Bearer " + self.token["access_token"], "Accept": "application/json",
             "xero-tenant-id": tenant or self.tenant}
        h.update(headers or {})
        url = path if path.startswith("http") else self.base + "/api.xro/2.0" + path
        kwargs.setdefault("timeout", 30)
        return self.http.request(method, url, headers=h, **kwargs)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def put(self, path, body, **kw):
        return self.request("PUT", path, json=body, **kw)

    def post(self, path, body, **kw):
        return self.request("POST", path, json=body, **kw)


@pytest.fixture
def api(harness, token):
    return Api(harness.url, token)


@pytest.fixture
def sdk(harness, token, monkeypatch):
    """-> (AccountingApi, IdentityApi, api_client) of the official SDK against the harness."""
    for attr in ("refresh_token_url", "client_credentials_token_url"):
        monkeypatch.setattr(TokenApi, attr, harness.url + "/identity/connect/token")
    monkeypatch.setattr(TokenApi, "revoke_token_url", harness.url + "/identity/connect/revocation")
    holder = {}
    # type.__call__: the SDK's Configuration() returns a copy of the first one ever made.
    config = type.__call__(Configuration, oauth2_token=OAuth2Token(client_id=CLIENT_ID, client_secret=CLIENT_SECRET))
    api_client = ApiClient(config, pool_threads=1)

    @api_client.oauth2_token_getter
    def _get():
        return holder["token"]

    @api_client.oauth2_token_saver
    def _save(tok):
        holder["token"] = tok

    api_client.set_oauth2_token(token)
    return (AccountingApi(api_client, base_url=harness.url + "/api.xro/2.0"),
            IdentityApi(api_client, base_url=harness.url), api_client)
