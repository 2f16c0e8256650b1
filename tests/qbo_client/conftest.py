"""The QBO package of the future addon is plain Python: imported without an Odoo server or
database. Client tests talk to the QBO simulator over real HTTP (as tests/qbo does): a fresh
server on a free port, seeded with the demo's US (automated sales tax) and UK (VAT) companies."""

import os

import pytest

import odoo.addons

from harness.qbo import seed
from harness.qbo.app import create_app
from harness.qbo.testing import approve_consent, query_of
from harness.server import HarnessServer
from harness.testing import Admin

ADDONS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "addons")
if ADDONS not in odoo.addons.__path__:
    odoo.addons.__path__.append(ADDONS)

from odoo.addons.psa_qbo_connector.qbo.client import QboClient  # noqa: E402  (after the path above)

CLIENT_ID, CLIENT_SECRET = "test-qbo-client", "test-qbo-secret"
REDIRECT = "http://localhost:9999/qbo/callback"
US, UK = seed.US_REALM, seed.UK_REALM


@pytest.fixture
def qbo():
    server = HarnessServer(app=create_app(limits=True)).start()
    seed.load(server.app, "demo")
    server.app.identity.register_client(CLIENT_ID, CLIENT_SECRET, [REDIRECT], name="Test QBO app",
                                        verifier_token="test-verifier")
    yield server
    server.stop()


@pytest.fixture
def admin(qbo):
    return Admin(qbo.url)


class Session:
    """Our client, connected to one realm through the consent page; ``log`` keeps its entries."""

    def __init__(self, base, realm, pacer=None):
        self.log = []
        self.client = QboClient({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                                 "authorize_url": base + "/connect/oauth2",
                                 "token_url": base + "/oauth2/v1/tokens/bearer",
                                 "revoke_url": base + "/v2/oauth2/tokens/revoke", "api_url": base},
                                log=self.log.append, timeout=(5, 10), pacer=pacer)
        back = query_of(approve_consent(self.client.authorize_url(REDIRECT, "st4te"), realm))
        assert back["state"] == "st4te" and back["realmId"] == realm
        self.realm = back["realmId"]
        self.tokens = self.client.exchange_code(back["code"], REDIRECT)

    @property
    def token(self):
        return self.tokens["access_token"]

    def __getattr__(self, name):
        """session.save("Customer", body) = client.save(token, realm, "Customer", body)."""
        method = getattr(self.client, name)
        return lambda *args, **kwargs: method(self.token, self.realm, *args, **kwargs)


@pytest.fixture
def us(qbo):
    return Session(qbo.url, US)


@pytest.fixture
def uk(qbo):
    return Session(qbo.url, UK)


def ids_by_name(app, realm, entity, field="Name"):
    return {o[field]: o["Id"] for o in app.store.all(entity, realm)}
