"""Checking a Sign in with Xero ID token (OpenID Connect Core 1.0 §3.1.3.7), without a server.

Xero's identity server signs its ID tokens RS256 with a key published at the ``jwks_uri`` of
its discovery document (identity.xero.com/.well-known/openid-configuration). The token is
accepted only when its signature verifies against that key (RS256 only: ``none`` and HMAC
are refused whatever the header says), its ``iss`` is the discovery's issuer, its ``aud``
names our client id, its ``nonce`` is the one this browser's session sent, and it has not
expired. ``cryptography`` (an Odoo dependency) verifies the signature: no JWT library needed.
"""

import base64
import binascii
import hmac
import json

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

# Seconds of clock difference tolerated between Xero and this server.
LEEWAY = 120


class IdTokenError(Exception):
    """The ID token is refused; ``code`` says which check failed (the login page's message)."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def _b64decode(part):
    try:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError):
        raise IdTokenError("malformed", "The ID token is not a JWT.") from None


def split(token):
    """-> (header dict, claims dict, signing input bytes, signature bytes). Raises IdTokenError."""
    parts = (token or "").split(".")
    if len(parts) != 3:
        raise IdTokenError("malformed", "The ID token is not a JWT.")
    try:
        header = json.loads(_b64decode(parts[0]))
        claims = json.loads(_b64decode(parts[1]))
    except (ValueError, UnicodeDecodeError):
        raise IdTokenError("malformed", "The ID token is not a JWT.") from None
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise IdTokenError("malformed", "The ID token is not a JWT.")
    return header, claims, ("%s.%s" % (parts[0], parts[1])).encode("ascii"), _b64decode(parts[2])


def rsa_key(jwk):
    """An RSA public key from a JWK (RFC 7518 §6.3.1: base64url ``n`` and ``e``)."""
    n = int.from_bytes(_b64decode(jwk["n"]), "big")
    e = int.from_bytes(_b64decode(jwk["e"]), "big")
    return rsa.RSAPublicNumbers(e, n).public_key()


def find_key(jwks, kid):
    """The RSA signing key of ``jwks`` named ``kid`` (or the only one when the token names none)."""
    keys = [k for k in (jwks or {}).get("keys") or () if isinstance(k, dict) and k.get("kty") == "RSA"
            and k.get("use", "sig") == "sig"]
    if kid:
        keys = [k for k in keys if k.get("kid") == kid]
    return keys[0] if len(keys) == 1 else None


def key_id(token):
    """The ``kid`` the token's header names (to refetch the JWKS when Xero rotated its keys)."""
    return split(token)[0].get("kid")


def verify(token, jwks, issuer, client_id, nonce, now, leeway=LEEWAY):
    """-> the claims of a valid ID token. Raises IdTokenError naming the first check that failed."""
    header, claims, signing_input, signature = split(token)
    if header.get("alg") != "RS256":
        raise IdTokenError("signature", "The ID token is not signed with RS256 (%s)." % header.get("alg"))
    jwk = find_key(jwks, header.get("kid"))
    if jwk is None:
        raise IdTokenError("signature", "The ID token is signed with a key Xero does not publish.")
    try:
        rsa_key(jwk).verify(signature, signing_input, padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError, KeyError):
        raise IdTokenError("signature", "The ID token's signature is not valid.") from None
    if not issuer or claims.get("iss") != issuer:
        raise IdTokenError("issuer", "The ID token was issued by %s, not by %s." % (claims.get("iss"), issuer))
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if client_id not in audiences or (len(audiences) > 1 and claims.get("azp") != client_id):
        raise IdTokenError("audience", "The ID token is meant for another application.")
    try:
        expires = float(claims["exp"])
        issued = float(claims.get("iat", 0))
    except (KeyError, TypeError, ValueError):
        raise IdTokenError("expired", "The ID token carries no valid expiry.") from None
    if expires + leeway < now:
        raise IdTokenError("expired", "The ID token has expired.")
    if issued - leeway > now:
        raise IdTokenError("expired", "The ID token is dated in the future.")
    if not nonce or not isinstance(claims.get("nonce"), str) or not hmac.compare_digest(claims["nonce"], nonce):
        raise IdTokenError("nonce", "The ID token does not answer this browser's sign-in (nonce).")
    if not claims.get("sub"):
        raise IdTokenError("malformed", "The ID token names no user (sub).")
    return claims


def person(claims):
    """-> (email, display name) from the token's claims (Xero: ``email``, ``given_name``,
    ``family_name``; ``name`` when a provider sends it)."""
    email = (claims.get("email") or "").strip()
    name = (claims.get("name") or " ".join(
        p for p in (claims.get("given_name"), claims.get("family_name")) if p)).strip()
    return email, name or email
