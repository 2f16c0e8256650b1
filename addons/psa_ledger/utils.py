"""Small helpers shared by the ledgers' clients, the models and the controllers (no Odoo model)."""

import base64
import json

from . import const

REDACTED = "***"


def referenced_record(env, model, res_id):
    """The record a (model name, id) reference points at; None when the model is not
    installed or the record is gone (logs, links and queue rows outlive what they name)."""
    if not model or model not in env or not res_id:
        return None
    return env[model].browse(res_id).exists() or None


def redact_headers(headers):
    return {k: (REDACTED if _secret_header(k) else v) for k, v in (headers or {}).items()}


def _secret_header(name):
    name = name.lower()
    return name in const.SECRET_HEADERS or any(word in name for word in const.SECRET_HEADER_WORDS)


def redact_oauth(body):
    """A copy of an OAuth2 form or token answer with its secrets replaced. Only for the identity
    endpoints' bodies: an accounting API body is logged as sent (its "Code" is an item's code)."""
    if isinstance(body, dict):
        return {k: (REDACTED if str(k).lower() in const.OAUTH_SECRET_FIELDS and v else redact_oauth(v))
                for k, v in body.items()}
    if isinstance(body, list):
        return [redact_oauth(v) for v in body]
    return body


def to_text(body, limit=const.MAX_LOGGED_BODY, indent=None):
    """JSON (or the text) for the log, cut at ``limit`` characters. Bodies are stored on one line:
    an indent makes Python's json use its pure-Python encoder (1.7 instead of 0.3 ms for a batch's
    38 kB request) and a third more to store; the form indents them for reading (``pretty``)."""
    if body is None or body == "":
        return False
    text = body if isinstance(body, str) else json.dumps(body, indent=indent, ensure_ascii=False, default=str)
    if len(text) > limit:
        text = text[:limit] + "\n… (%d more characters)" % (len(text) - limit)
    return text


def log_text(body, limit=const.MAX_LOGGED_BODY):
    """-> (the body's text for the log, as ``to_text`` makes it; True when that is the whole body)."""
    if body is None or body == "":
        return False, True
    text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False, default=str)
    return to_text(text, limit=limit), len(text) <= limit


def pretty(text):
    """A logged body for reading: JSON indented; anything else (a cut body, plain text) as it is."""
    if not text:
        return text
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except (ValueError, RecursionError):  # a hostile delivery's body nests deeper than Python's stack
        return text


def jwt_claims(token):
    """Claims of a JWT without verifying it (only to read ``exp`` / ``authentication_event_id``
    of a token just received over TLS from the ledger's identity server). {} when it is not a JWT."""
    try:
        payload = token.split(".")[1]
        payload += "=" * (-len(payload) % 4)
        claims = json.loads(base64.urlsafe_b64decode(payload.encode()))
        return claims if isinstance(claims, dict) else {}
    except (IndexError, ValueError, AttributeError):
        return {}
