"""Fixtures: the QBO simulator on a free port (in-memory SQLite), seeded with a US and a UK
company and a test app; intuit-oauth's AuthClient through the code flow (it reads the
simulator's discovery document); python-quickbooks pointed at the simulator by base URL."""

import pytest
import requests
from intuitlib.client import AuthClient
from intuitlib.enums import Scopes
from quickbooks import QuickBooks

from harness.qbo import seed
from harness.qbo.app import create_app
from harness.qbo.testing import approve_consent, query_of
from harness.server import HarnessServer
from harness.testing import Admin

CLIENT_ID, CLIENT_SECRET = "test-qbo-client", "test-qbo-secret"
REDIRECT = "http://localhost:9999/qbo/callback"
VERIFIER = "test-verifier-token"
US, UK = seed.US_REALM, seed.UK_REALM


@pytest.fixture(autouse=True)
def _plain_http(monkeypatch):
    # requests-oauthlib (under python-quickbooks) refuses http:// unless told: the simulator is local
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")


@pytest.fixture
def qbo():
    server = HarnessServer(app=create_app(limits=True)).start()
    seed.load(server.app, "demo")
    server.app.identity.register_client(CLIENT_ID, CLIENT_SECRET, [REDIRECT], name="Test QBO app",
                                        verifier_token=VERIFIER)
    yield server
    server.stop()


@pytest.fixture
def admin(qbo):
    return Admin(qbo.url)


def auth_client(base, realm=US):
    """intuit-oauth through the whole code flow, choosing ``realm`` on the consent page."""
    client = AuthClient(CLIENT_ID, CLIENT_SECRET, REDIRECT, base + "/.well-known/openid_configuration")
    back = query_of(approve_consent(client.get_authorization_url([Scopes.ACCOUNTING]), realm))
    assert back["state"] == client.state_token
    client.get_bearer_token(back["code"], realm_id=back["realmId"])
    return client


def quickbooks(base, client):
    qb = QuickBooks(auth_client=client, refresh_token=client.refresh_token, company_id=client.realm_id,
                    minorversion=75)
    qb.api_url_v3 = base + "/v3"  # the library's base URL (production: quickbooks.api.intuit.com/v3)
    return qb


@pytest.fixture
def auth(qbo):
    return auth_client(qbo.url, US)


@pytest.fixture
def qb(qbo, auth):
    return quickbooks(qbo.url, auth)


@pytest.fixture
def qb_uk(qbo):
    return quickbooks(qbo.url, auth_client(qbo.url, UK))


class Api:
    """Plain HTTP with a bearer token, for what python-quickbooks hides (status, headers, XML)."""

    def __init__(self, base, token, realm):
        self.base, self.token, self.realm = base, token, realm
        self.http = requests.Session()

    def request(self, method, path, realm=None, **kwargs):
        headers = {"Authorization": "Bearer " + self.token, "Accept": "application/json"}
        headers.update(kwargs.pop("headers", {}))
        url = "%s/v3/company/%s/%s" % (self.base, realm or self.realm, path.lstrip("/"))
        return self.http.request(method, url, headers=headers, timeout=30, **kwargs)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body, **kw):
        return self.request("POST", path, json=body, **kw)


@pytest.fixture
def api(qbo, auth):
    return Api(qbo.url, auth.access_token, US)


def realm_ids(app, realm, entity, name_field="Name"):
    return {o[name_field]: o["Id"] for o in app.store.all(entity, realm)}
