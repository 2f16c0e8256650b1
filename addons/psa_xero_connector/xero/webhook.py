"""Xero webhook deliveries, read without a server: the signature check and the parsing of the
body into events. Pure functions (no Odoo, no HTTP), so the rules are tested on their own."""

import base64
import hashlib
import hmac
import json
import re
import threading

CATEGORIES = frozenset({"INVOICE", "CREDITNOTE", "CONTACT", "SUBSCRIPTION"})
EVENT_TYPES = frozenset({"CREATE", "UPDATE", "DELETE"})
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
# Xero's deliveries are a few kB (100 events are ~40 kB); a body over this is refused unread
MAX_BODY = 1024 * 1024
OTHER_SOURCES = "(other sources)"
# the event categories that name a document, and the kind of document to fetch for them
DOCUMENT_KIND = {"INVOICE": "invoice", "CREDITNOTE": "credit_note"}

_sources_lock = threading.Lock()
_sources_seen = {}  # {minute: {(source, kind)}}: this process's refused-delivery rows of the minute


class DeliveryError(ValueError):
    """The body is not a Xero delivery; the message says why (it goes to the request log)."""


def signature(key, raw):
    """base64(HMAC-SHA256(webhook key, raw body)), as Xero computes it."""
    return base64.b64encode(hmac.new(key.encode(), raw, hashlib.sha256).digest()).decode()


def signature_ok(key, raw, header):
    """Constant-time comparison of the ``x-xero-signature`` header with the body's signature.
    No key configured means no delivery can be trusted."""
    if not key or not header:
        return False
    return hmac.compare_digest(signature(key, raw).encode(), header.strip().encode("utf-8", "replace"))


def parse_delivery(raw):
    """-> (events, rejected): the well-formed events and, for the others, why each was refused.
    Raises DeliveryError when the body as a whole is not a delivery."""
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise DeliveryError("The body is not JSON: %s" % exc) from None
    if not isinstance(body, dict) or not isinstance(body.get("events"), list):
        raise DeliveryError("The body has no list of events.")
    events, rejected = [], []
    for position, event in enumerate(body["events"]):
        try:
            events.append(_event(event))
        except DeliveryError as exc:
            rejected.append("event %d: %s" % (position, exc))
    return events, rejected


def _event(event):
    if not isinstance(event, dict):
        raise DeliveryError("not an object")
    values = {}
    for key in ("resourceId", "tenantId", "eventCategory", "eventType", "eventDateUtc"):
        value = event.get(key)
        if not isinstance(value, str) or not value.strip():
            raise DeliveryError("%s is missing" % key)
        values[key] = value.strip()
    for key in ("resourceId", "tenantId"):
        if not _GUID.match(values[key]):
            raise DeliveryError("%s is not a Xero ID" % key)
    if values["eventCategory"] not in CATEGORIES:
        raise DeliveryError("unknown category %s" % values["eventCategory"][:40])
    if values["eventType"] not in EVENT_TYPES:
        raise DeliveryError("unknown event type %s" % values["eventType"][:40])
    if len(values["eventDateUtc"]) > 40:
        raise DeliveryError("eventDateUtc is not a date")
    url = event.get("resourceUrl")
    return {
        "resource_id": values["resourceId"].lower(), "tenant_id": values["tenantId"].lower(),
        "category": values["eventCategory"], "event_type": values["eventType"],
        "event_date": values["eventDateUtc"], "resource_url": url[:500] if isinstance(url, str) else None,
    }


def refused_source(minute, kind, source, limit):
    """The source a refused delivery is counted under: its own until ``limit`` (source, kind)
    pairs have been seen in this process during ``minute``, then ``OTHER_SOURCES`` — so a
    flood from many addresses adds a bounded number of rows per minute to the request log."""
    source = (source or "?")[:64]
    with _sources_lock:
        if minute not in _sources_seen:
            _sources_seen.clear()  # only the current minute matters
            _sources_seen[minute] = set()
        seen = _sources_seen[minute]
        if (source, kind) in seen:
            return source
        if len(seen) < limit:
            seen.add((source, kind))
            return source
    return OTHER_SOURCES
