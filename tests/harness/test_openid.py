"""Sign in with Xero on the harness: discovery, JWKS, an RS256 ID token echoing the nonce,
userinfo, Xero users, and the ID token faults tests use — checked against xero-identity.yaml
where it speaks (the token answer's AccessToken schema, the OAuth2 scheme's OpenID scopes)."""

import base64
import json
import time

import jsonschema
import pytest
import requests
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from harness.testing import Admin, approve_consent, authorize_url, query_of

from . import openapi
from .conftest import CLIENT_ID, CLIENT_SECRET, REDIRECT

OPENID = ["openid", "profile", "email"]


def b64(part):
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def parts(token):
    header, payload, sig = token.split(".")
    return json.loads(b64(header)), json.loads(b64(payload)), ("%s.%s" % (header, payload)).encode(), b64(sig)


def sign_in(harness, scopes=OPENID, user=None, nonce="n-123", **extra):
    if nonce:
        extra["nonce"] = nonce
    url = authorize_url(harness.url, CLIENT_ID, REDIRECT, scopes, state="s1", **extra)
    back = query_of(approve_consent(url, user=user))
    resp = requests.post(harness.url + "/identity/connect/token", data=dict(
        grant_type="authorization_code", code=back["code"], redirect_uri=REDIRECT,
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET), timeout=10)
    assert resp.status_code == 200, resp.text
    return resp.json()


def public_key(harness, kid):
    keys = requests.get(harness.url + "/.well-known/openid-configuration/jwks", timeout=10).json()["keys"]
    jwk = next(k for k in keys if k["kid"] == kid)
    assert jwk["kty"] == "RSA" and jwk["alg"] == "RS256" and jwk["use"] == "sig"
    return rsa.RSAPublicNumbers(int.from_bytes(b64(jwk["e"]), "big"), int.from_bytes(b64(jwk["n"]), "big")).public_key()


def test_discovery_document_points_at_the_harness(harness):
    doc = requests.get(harness.url + "/.well-known/openid-configuration", timeout=10).json()
    assert doc["issuer"] == harness.url
    assert doc["authorization_endpoint"] == harness.url + "/identity/connect/authorize"
    assert doc["token_endpoint"] == harness.url + "/identity/connect/token"
    assert doc["userinfo_endpoint"] == harness.url + "/identity/connect/userinfo"
    assert doc["jwks_uri"] == harness.url + "/.well-known/openid-configuration/jwks"
    assert doc["id_token_signing_alg_values_supported"] == ["RS256"]
    # the OpenID scopes Xero's identity spec lists are offered
    spec_scopes = openapi.load("xero-identity.yaml")["components"]["securitySchemes"]["OAuth2"]["flows"][
        "authorizationCode"]["scopes"]
    assert set(spec_scopes) <= set(doc["scopes_supported"])


def test_sign_in_only_connects_no_organisation_and_id_token_verifies(harness):
    page = requests.get(authorize_url(harness.url, CLIENT_ID, REDIRECT, OPENID, nonce="x"), timeout=10).text
    assert "name=tenant" not in page and "Signed in to Xero as" in page
    answer = sign_in(harness, user="grace@contoso.example")
    # the token answer is Xero's AccessToken (xero-identity.yaml)
    schema = openapi.load("xero-identity.yaml")["components"]["schemas"]["AccessToken"]
    jsonschema.Draft4Validator(schema).validate(answer)
    assert set(answer) >= {"id_token", "access_token", "expires_in", "token_type"}
    assert harness.app.store.all("connection") == []
    header, claims, signing_input, sig = parts(answer["id_token"])
    assert header["alg"] == "RS256"
    public_key(harness, header["kid"]).verify(sig, signing_input, padding.PKCS1v15(), hashes.SHA256())
    assert claims["iss"] == harness.url and claims["aud"] == CLIENT_ID and claims["nonce"] == "n-123"
    assert claims["exp"] - claims["nbf"] == 300
    assert claims["email"] == "grace@contoso.example"
    assert (claims["given_name"], claims["family_name"]) == ("Grace", "Hopper")
    assert claims["sub"] == claims["xero_userid"].replace("-", "")


def test_claims_follow_the_scopes_and_userinfo_answers(harness):
    answer = sign_in(harness, scopes=["openid", "email"], nonce=None)
    claims = parts(answer["id_token"])[1]
    assert "nonce" not in claims and "given_name" not in claims and claims["email"]
    info = requests.get(harness.url + "/identity/connect/userinfo",
                        headers={"Authorization": "Bearer " + answer["access_token"]}, timeout=10)
    assert info.status_code == 200 and info.json() == {"sub": claims["sub"], "email": claims["email"]}
    assert requests.get(harness.url + "/identity/connect/userinfo", timeout=10).status_code == 401


def test_userinfo_needs_openid(harness, token):
    # ``token``: an organisation connection that asked openid; one without it is refused
    from harness.testing import connect
    plain = connect(harness.url, CLIENT_ID, CLIENT_SECRET, REDIRECT, ["offline_access", "accounting.contacts"])
    assert "id_token" not in plain
    resp = requests.get(harness.url + "/identity/connect/userinfo",
                        headers={"Authorization": "Bearer " + plain["access_token"]}, timeout=10)
    assert resp.status_code == 403 and "insufficient_scope" in resp.headers["WWW-Authenticate"]
    assert requests.get(harness.url + "/identity/connect/userinfo",
                        headers={"Authorization": "Bearer " + token["access_token"]}, timeout=10).status_code == 200


def test_admin_adds_a_user_who_can_sign_in(harness):
    admin = Admin(harness.url)
    added = admin.add_user("new.person@example.com", "New", "Person")
    assert added["email"] in [u["email"] for u in admin.get("/users")]
    claims = parts(sign_in(harness, user="new.person@example.com")["id_token"])[1]
    assert claims["email"] == "new.person@example.com" and claims["xero_userid"] == added["xero_userid"]
    with pytest.raises(RuntimeError):
        admin.add_user("not-an-email")


@pytest.mark.parametrize("fault", ["signature", "audience", "issuer", "nonce", "no_nonce", "expired",
                                   "alg_hs256", "alg_none"])
def test_id_token_faults(harness, fault):
    Admin(harness.url).id_token_fault(fault)
    header, claims, signing_input, sig = parts(sign_in(harness)["id_token"])
    key = public_key(harness, header["kid"])
    if fault == "signature":
        with pytest.raises(InvalidSignature):
            key.verify(sig, signing_input, padding.PKCS1v15(), hashes.SHA256())
    elif fault.startswith("alg_"):
        assert header["alg"] == {"alg_hs256": "HS256", "alg_none": "none"}[fault]
    else:
        key.verify(sig, signing_input, padding.PKCS1v15(), hashes.SHA256())  # genuinely signed, wrong content
        wrong = {"audience": lambda: claims["aud"] != CLIENT_ID, "issuer": lambda: claims["iss"] != harness.url,
                 "nonce": lambda: claims["nonce"] != "n-123", "no_nonce": lambda: "nonce" not in claims,
                 "expired": lambda: claims["exp"] < time.time()}[fault]
        assert wrong()
    # one fault, one token: the next is right again
    header, claims, signing_input, sig = parts(sign_in(harness)["id_token"])
    key.verify(sig, signing_input, padding.PKCS1v15(), hashes.SHA256())
    assert claims["aud"] == CLIENT_ID and claims["nonce"] == "n-123"


def test_unknown_fault_refused(harness):
    with pytest.raises(RuntimeError):
        Admin(harness.url).id_token_fault("made-up")
