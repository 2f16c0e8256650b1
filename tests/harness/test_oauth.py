"""OAuth2 / Identity through the consent page with plain requests (no browser)."""

import base64
import hashlib

import requests

from harness.identity import pkce_challenge
from harness.testing import approve_consent, authorize_url, connect, query_of

from .conftest import CLIENT_ID, CLIENT_SECRET, ORG_A, ORG_B, REDIRECT, SCOPES


def token_call(harness, **form):
    return requests.post(harness.url + "/identity/connect/token", data=form, timeout=10)


def code_for(harness, tenants=None, **extra):
    back = query_of(approve_consent(authorize_url(harness.url, CLIENT_ID, REDIRECT, SCOPES, state="s1", **extra),
                                    tenants))
    assert back["state"] == "s1"
    return back["code"]


def exchange(harness, code, **extra):
    form = dict(grant_type="authorization_code", code=code, redirect_uri=REDIRECT,
                client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    form.update(extra)
    return token_call(harness, **form)


def test_code_flow_lists_connections(harness):
    resp = exchange(harness, code_for(harness))
    assert resp.status_code == 200
    tok = resp.json()
    assert tok["expires_in"] == 1800 and tok["token_type"] == "Bearer"
    assert tok["refresh_token"] and tok["id_token"]
    conns = requests.get(harness.url + "/Connections", headers={"Authorization": "Bearer " + tok["access_token"]})
    assert conns.status_code == 200
    tenants = {c["tenantId"]: c for c in conns.json()}
    assert set(tenants) == {ORG_A, ORG_B}
    c = tenants[ORG_A]
    assert c["tenantType"] == "ORGANISATION" and c["tenantName"] == "Northwind IT Services"
    assert not c["createdDateUtc"].endswith("Z") and c["authEventId"]


def test_consent_for_one_organisation(harness):
    tok = exchange(harness, code_for(harness, tenants=[ORG_B])).json()
    conns = requests.get(harness.url + "/connections", headers={"Authorization": "Bearer " + tok["access_token"]})
    assert [c["tenantId"] for c in conns.json()] == [ORG_B]


def test_deny_redirects_with_access_denied(harness):
    back = query_of(approve_consent(authorize_url(harness.url, CLIENT_ID, REDIRECT, SCOPES, state="s2"),
                                    decision="deny"))
    assert back == {"error": "access_denied", "state": "s2"}


def test_unknown_redirect_uri_is_not_followed(harness):
    resp = requests.get(authorize_url(harness.url, CLIENT_ID, "http://evil.example/cb", SCOPES), allow_redirects=False)
    assert resp.status_code == 400 and "redirect_uri" in resp.text


def test_unknown_scope_refused(harness):
    resp = requests.get(authorize_url(harness.url, CLIENT_ID, REDIRECT, ["accounting.everything"]))
    assert resp.status_code == 400 and "invalid_scope" in resp.text


def test_wrong_secret_replayed_code_and_wrong_redirect(harness):
    code = code_for(harness)
    assert exchange(harness, code, client_secret="nope").status_code == 401
    assert exchange(harness, code, client_secret="nope").json() == {"error": "invalid_client"}
    assert exchange(harness, code, redirect_uri="http://localhost:9999/other").json()["error"] == "invalid_grant"
    first = exchange(harness, code)
    assert first.status_code == 200
    replay = exchange(harness, code)
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    # The replay also revoked what the code had issued.
    r = token_call(harness, grant_type="refresh_token", refresh_token=first.json()["refresh_token"],
                   client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    assert r.json()["error"] == "invalid_grant"


def test_http_basic_client_auth(harness):
    basic = base64.b64encode(("%s:%s" % (CLIENT_ID, CLIENT_SECRET)).encode()).decode()
    resp = requests.post(harness.url + "/identity/connect/token", headers={"Authorization": "Basic " + basic},
                         data={"grant_type": "authorization_code", "code": code_for(harness), "redirect_uri": REDIRECT})
    assert resp.status_code == 200


def test_pkce(harness):
    verifier = "v" * 50
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    assert challenge == pkce_challenge(verifier)
    code = code_for(harness, code_challenge=challenge, code_challenge_method="S256")
    assert exchange(harness, code, code_verifier="w" * 50).json()["error"] == "invalid_grant"
    code = code_for(harness, code_challenge=challenge, code_challenge_method="S256")
    assert exchange(harness, code, code_verifier=verifier).status_code == 200


def refresh(harness, refresh_token):
    return token_call(harness, grant_type="refresh_token", refresh_token=refresh_token,
                      client_id=CLIENT_ID, client_secret=CLIENT_SECRET)


def test_refresh_rotation_and_grace(harness):
    tok = connect(harness.url, CLIENT_ID, CLIENT_SECRET, REDIRECT, SCOPES)
    new = refresh(harness, tok["refresh_token"]).json()
    assert new["refresh_token"] != tok["refresh_token"] and new["access_token"] != tok["access_token"]
    # The old refresh token still works within the 30-minute grace …
    harness.app.clock.advance(29 * 60)
    assert refresh(harness, tok["refresh_token"]).status_code == 200
    # … and not after it.
    harness.app.clock.advance(2 * 60)
    late = refresh(harness, tok["refresh_token"])
    assert late.status_code == 400 and late.json() == {"error": "invalid_grant"}
    # The newest one is fine.
    assert refresh(harness, new["refresh_token"]).status_code == 200


def test_expired_access_token_is_401_token_expired(harness, api):
    assert api.get("/Organisation").status_code == 200
    harness.app.clock.advance(1801)
    resp = api.get("/Organisation")
    assert resp.status_code == 401
    assert "TokenExpired" in resp.json()["Detail"]


def test_revocation_removes_connections(harness):
    tok = connect(harness.url, CLIENT_ID, CLIENT_SECRET, REDIRECT, SCOPES)
    resp = requests.post(harness.url + "/identity/connect/revocation",
                         data={"token": tok["refresh_token"], "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET})
    assert resp.status_code == 200
    assert refresh(harness, tok["refresh_token"]).json()["error"] == "invalid_grant"
    conns = requests.get(harness.url + "/connections", headers={"Authorization": "Bearer " + tok["access_token"]})
    assert conns.status_code == 401
    assert harness.app.store.all("connection") == []


def test_delete_connection(harness, api, token):
    h = {"Authorization": "Bearer " + token["access_token"]}
    conns = requests.get(harness.url + "/connections", headers=h).json()
    target = next(c for c in conns if c["tenantId"] == ORG_B)
    assert requests.delete(harness.url + "/Connections/" + target["id"], headers=h).status_code == 204
    assert requests.delete(harness.url + "/connections/" + target["id"], headers=h).status_code == 404
    assert api.get("/Organisation", tenant=ORG_B).status_code == 403
    assert api.get("/Organisation", tenant=ORG_A).status_code == 200


def test_tenant_header_required_and_checked(api):
    resp = api.request("GET", "/Contacts", headers={"xero-tenant-id": ""})
    assert resp.status_code == 403
    assert api.get("/Contacts", tenant="00000000-0000-0000-0000-000000000000").status_code == 403


def test_scopes_enforced_classic_and_granular(harness):
    tok = connect(harness.url, CLIENT_ID, CLIENT_SECRET, REDIRECT,
                  ["offline_access", "accounting.invoices", "accounting.contacts.read"])
    h = {"Authorization": "Bearer " + tok["access_token"], "xero-tenant-id": ORG_A, "Accept": "application/json"}
    base = harness.url + "/api.xro/2.0"
    assert requests.get(base + "/Invoices", headers=h).status_code == 200
    assert requests.get(base + "/Items", headers=h).status_code == 200
    assert requests.get(base + "/Contacts", headers=h).status_code == 200
    assert requests.put(base + "/Contacts", headers=h, json={"Name": "X"}).status_code == 401
    assert requests.get(base + "/Payments", headers=h).status_code == 401
    assert requests.get(base + "/Accounts", headers=h).status_code == 401


def test_client_credentials_binds_first_org(harness):
    resp = token_call(harness, grant_type="client_credentials", client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    assert resp.status_code == 200
    tok = resp.json()
    assert "refresh_token" not in tok
    h = {"Authorization": "Bearer " + tok["access_token"], "Accept": "application/json"}
    org = requests.get(harness.url + "/api.xro/2.0/Organisation", headers=h)
    assert org.status_code == 200
    assert org.json()["Organisations"][0]["OrganisationID"] == ORG_A


def test_sdk_refreshes_through_harness(sdk, harness):
    accounting, identity, api_client = sdk
    before = api_client.get_oauth2_token()["access_token"]
    harness.app.clock.advance(1801)
    # The SDK refreshes inside the call when its token is near expiry (per its own clock).
    tok = dict(api_client.get_oauth2_token(), expires_at=0)
    api_client.set_oauth2_token(tok)
    accounting.get_organisations(ORG_A)
    assert api_client.get_oauth2_token()["access_token"] != before
