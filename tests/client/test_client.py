"""XeroClient against the harness over HTTP: typed errors with Xero's messages, no hidden
retries, timeouts, and one redacted log entry per exchange."""

import time

import pytest

from odoo.addons.psa_ledger import utils
from odoo.addons.psa_xero_connector.xero.client import XeroClient, limits_remaining, pkce_pair, validation_messages
from odoo.addons.psa_xero_connector.xero.errors import (
    XeroAuthError,
    XeroNotFound,
    XeroRateLimited,
    XeroTransientError,
    XeroValidationError,
)

from harness import seed
from harness.server import HarnessServer
from harness.testing import connect

CLIENT_ID, SECRET, REDIRECT = "client-test", "client-secret", "http://localhost:1/cb"
ORG = seed.DEMO_ORGS[0][1]
SCOPES = ["offline_access", "accounting.transactions", "accounting.contacts", "accounting.settings"]


@pytest.fixture
def harness():
    server = HarnessServer().start()
    seed.load(server.app, "demo")
    server.app.identity.register_client(CLIENT_ID, SECRET, [REDIRECT])
    yield server
    server.stop()


@pytest.fixture
def logs():
    return []


@pytest.fixture
def client(harness, logs):
    url = harness.url
    return XeroClient({"client_id": CLIENT_ID, "client_secret": SECRET,
                       "authorize_url": url + "/identity/connect/authorize",
                       "token_url": url + "/identity/connect/token", "revoke_url": url + "/identity/connect/revocation",
                       "connections_url": url + "/connections", "api_url": url + "/api.xro/2.0"},
                      log=logs.append, timeout=(2, 1.0))


@pytest.fixture
def token(harness):
    return connect(harness.url, CLIENT_ID, SECRET, REDIRECT, SCOPES)["access_token"]


def api_calls(harness):
    return [r for r in harness.app.recent if r["path"].startswith("/api.xro")]


def test_call_and_log(client, token, logs):
    data, headers = client.call(token, ORG, "GET", "Contacts", params={"page": 1})
    assert data["pagination"]["page"] == 1
    assert {k.lower() for k in headers} >= {"x-minlimit-remaining", "x-daylimit-remaining"}
    entry = logs[-1]
    assert entry["status"] == 200 and entry["method"] == "GET" and entry["url"].endswith("/Contacts?page=1")
    assert entry["request_headers"]["Authorization"] == "***"
    assert entry["tenant_id"] == ORG and entry["error"] is None


def test_validation_error_carries_xeros_messages(client, token, logs):
    with pytest.raises(XeroValidationError) as err:
        client.call(token, ORG, "PUT", "Contacts", body={"Contacts": [{"Name": "Acme Dental Group"}]})
    assert err.value.messages == ["The contact name Acme Dental Group is already assigned to another contact. "
                                  "The contact name must be unique across all active contacts."]
    assert logs[-1]["messages"] == err.value.messages and logs[-1]["status"] == 400


def test_rate_limit_is_raised_not_retried(client, token, harness):
    harness.app.faults.add(kind="rate_limit", count=1, retry_after=9, problem="minute")
    before = len(api_calls(harness))
    started = time.monotonic()
    with pytest.raises(XeroRateLimited) as err:
        client.call(token, ORG, "GET", "Organisation")
    assert (err.value.retry_after, err.value.problem) == (9, "minute")
    assert time.monotonic() - started < 2, "no hidden sleep on Retry-After"
    assert len(api_calls(harness)) == before + 1, "exactly one request: the caller owns retries"


def test_auth_errors(client, token, harness):
    harness.app.identity.expire_tokens()
    with pytest.raises(XeroAuthError) as err:
        client.call(token, ORG, "GET", "Organisation")
    assert err.value.status == 401 and "TokenExpired" in str(err.value)
    with pytest.raises(XeroAuthError) as err:
        client.call("bogus.token.value", ORG, "GET", "Organisation")
    assert err.value.status == 401


def test_forbidden_tenant_and_not_found(client, token):
    with pytest.raises(XeroAuthError) as err:
        client.call(token, "00000000-0000-0000-0000-000000000000", "GET", "Organisation")
    assert err.value.status == 403
    with pytest.raises(XeroNotFound):
        client.call(token, ORG, "GET", "Invoices/00000000-0000-0000-0000-000000000000")


@pytest.mark.parametrize("fault", [{"kind": "status", "status": 503}, {"kind": "status", "status": 500},
                                   {"kind": "timeout", "delay": 1.5}, {"kind": "lose_response", "mode": "reset"},
                                   {"kind": "lose_response", "mode": "504"}])
def test_transient_errors(client, token, harness, logs, fault):
    harness.app.faults.add(**fault)
    with pytest.raises(XeroTransientError):
        client.call(token, ORG, "GET", "Organisation")
    assert logs[-1]["error"]
    client.call(token, ORG, "GET", "Organisation")  # the next one goes through


def test_token_exchange_refresh_revoke_are_redacted(client, harness, logs):
    from harness.testing import approve_consent, query_of
    verifier, challenge = pkce_pair()
    back = query_of(approve_consent(client.authorize_url(REDIRECT, "st", challenge, " ".join(SCOPES))))
    assert back["state"] == "st"
    tok = client.exchange_code(back["code"], REDIRECT, verifier)
    conns = client.connections(tok["access_token"])
    assert {c["tenantId"] for c in conns} == {t for _, t in seed.DEMO_ORGS}
    new = client.refresh(tok["refresh_token"])
    assert new["refresh_token"] != tok["refresh_token"]
    client.revoke(new["refresh_token"])
    with pytest.raises(XeroAuthError) as err:
        client.refresh(new["refresh_token"])
    assert err.value.code == "invalid_grant"
    text = repr(logs)
    for secret in (SECRET, tok["access_token"], tok["refresh_token"], new["refresh_token"], back["code"], verifier):
        assert secret not in text
    assert [e["operation"] for e in logs] == ["token", "connections", "refresh", "revoke", "refresh"]


def test_accounting_bodies_are_logged_as_sent(client, token, logs):
    """An item's "Code" is data, not a secret: the log keeps it (a logged body may be sent again),
    while the bearer token in the headers is still redacted."""
    item = {"Items": [{"Code": "LOG-CODE-1", "Name": "Logged as sent"}]}
    client.call(token, ORG, "PUT", "Items", body=item, idempotency_key="log-code-1")
    [entry] = [e for e in logs if e["operation"] == "PUT Items"]
    assert entry["request_body"] == item and not entry["redacted"]
    assert entry["response_body"]["Items"][0]["Code"] == "LOG-CODE-1"
    assert entry["request_headers"]["Authorization"] == "***"
    assert token not in repr(entry)


def test_wrong_pkce_verifier_is_refused(client):
    from harness.testing import approve_consent, query_of
    _verifier, challenge = pkce_pair()
    back = query_of(approve_consent(client.authorize_url(REDIRECT, "s", challenge, " ".join(SCOPES))))
    with pytest.raises(XeroAuthError):
        client.exchange_code(back["code"], REDIRECT, "not-the-verifier")


def test_helpers():
    body = {"Elements": [{"ValidationErrors": [{"Message": "A"}, {"Message": "B"}]},
                         {"LineItems": [{"ValidationErrors": [{"Message": "A"}]}]}]}
    assert validation_messages(body) == ["A", "B"]
    assert utils.redact_headers({"Authorization": "Bearer x", "Accept": "json"}) == {
        "Authorization": "***", "Accept": "json"}
    assert utils.redact_oauth({"refresh_token": "r", "nested": [{"client_secret": "s", "Name": "n"}]}) == {
        "refresh_token": "***", "nested": [{"client_secret": "***", "Name": "n"}]}
    assert utils.jwt_claims("not-a-jwt") == {}
    assert len(utils.to_text("x" * 300, limit=100)) < 150


def test_limits_remaining():
    assert limits_remaining({"X-MinLimit-Remaining": "59", "x-daylimit-remaining": "4999",
                             "X-AppMinLimit-Remaining": "0", "Content-Type": "application/json"}) == {
        "minute": 59, "day": 4999, "app_minute": 0}
    assert limits_remaining({"X-AppMinLimit-Remaining": "soon"}) == {}
    assert limits_remaining(None) == {}


def test_limit_headers_of_a_real_answer(client, token):
    _data, headers = client.call(token, ORG, "GET", "Organisation")
    left = limits_remaining(headers)
    assert left["app_minute"] < 10000 and left["minute"] < 60 and left["day"] < 5000
