"""The ID token checks of Sign in with Xero (xero/openid.py), without a server: each claim that
must hold, and each way a token is forged or stale."""

import base64
import hashlib
import hmac
import json

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from odoo.addons.psa_xero_connector.xero import openid

ISSUER, CLIENT, NONCE, NOW = "https://identity.xero.com", "my-client", "nonce-1", 1_800_000_000
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def b64(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def b64int(value):
    return b64(value.to_bytes((value.bit_length() + 7) // 8, "big"))


def jwks(key=KEY, kid="k1"):
    numbers = key.public_key().public_numbers()
    return {"keys": [{"kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid, "e": b64int(numbers.e),
                      "n": b64int(numbers.n)}]}


def token(key=KEY, kid="k1", alg="RS256", **changes):
    claims = {"iss": ISSUER, "aud": CLIENT, "exp": NOW + 300, "iat": NOW, "nbf": NOW, "nonce": NONCE,
              "sub": "abc123", "email": "ada@example.com", "given_name": "Ada", "family_name": "Lovelace"}
    claims.update(changes)
    claims = {k: v for k, v in claims.items() if v is not None}
    head = b64(json.dumps({"alg": alg, "kid": kid}).encode())
    body = b64(json.dumps(claims).encode())
    signing_input = ("%s.%s" % (head, body)).encode()
    if alg == "none":
        return "%s.%s." % (head, body)
    if alg == "HS256":
        secret = json.dumps(jwks()["keys"][0]).encode()
        return "%s.%s.%s" % (head, body, b64(hmac.new(secret, signing_input, hashlib.sha256).digest()))
    return "%s.%s.%s" % (head, body, b64(key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())))


def verify(tok, keys=None, nonce=NONCE, now=NOW):
    return openid.verify(tok, keys or jwks(), ISSUER, CLIENT, nonce, now)


def test_valid_token_gives_its_claims_and_person():
    claims = verify(token())
    assert claims["sub"] == "abc123"
    assert openid.person(claims) == ("ada@example.com", "Ada Lovelace")
    assert openid.person({"email": "x@example.com"}) == ("x@example.com", "x@example.com")
    # an audience list naming us with azp = us is accepted too
    assert verify(token(aud=[CLIENT, "other"], azp=CLIENT))["sub"] == "abc123"


@pytest.mark.parametrize("tok, code", [
    (token(key=OTHER), "signature"),                 # signed by another key under Xero's kid
    (token(kid="unknown"), "signature"),             # a key Xero does not publish
    (token(alg="HS256"), "signature"),               # HMAC keyed with the public key
    (token(alg="none"), "signature"),                # unsigned
    (token(iss="https://identity.example.com"), "issuer"),
    (token(aud="another-client"), "audience"),
    (token(aud=[CLIENT, "other"]), "audience"),      # several audiences without azp = us
    (token(exp=NOW - 121), "expired"),
    (token(exp=None), "expired"),
    (token(iat=NOW + 3600), "expired"),
    (token(nonce="another"), "nonce"),
    (token(nonce=None), "nonce"),
    (token(sub=None), "malformed"),
    ("not.a-jwt", "malformed"),
    ("", "malformed"),
])
def test_refusals(tok, code):
    with pytest.raises(openid.IdTokenError) as caught:
        verify(tok)
    assert caught.value.code == code


def test_tampered_payload_breaks_the_signature():
    head, _body, sig = token().split(".")
    forged_body = b64(json.dumps({"iss": ISSUER, "aud": CLIENT, "exp": NOW + 300, "nonce": NONCE,
                                  "sub": "admin", "email": "admin@example.com"}).encode())
    with pytest.raises(openid.IdTokenError, match="signature"):
        verify("%s.%s.%s" % (head, forged_body, sig))


def test_no_nonce_expected_is_still_refused():
    # a sign-in always sends a nonce: a session that lost it cannot accept any token
    with pytest.raises(openid.IdTokenError) as caught:
        verify(token(), nonce=None)
    assert caught.value.code == "nonce"


def test_leeway_and_key_lookup():
    assert verify(token(exp=NOW - 60))  # within two minutes of clock difference
    assert openid.key_id(token(kid="k9")) == "k9"
    assert openid.find_key(jwks(), "k1")["kid"] == "k1"
    assert openid.find_key(jwks(), "k2") is None
    assert openid.find_key(jwks(), None)["kid"] == "k1"  # the only key, when the token names none
