"""Reading Xero's webhook deliveries as pure functions (xero/webhook.py, no server): signatures
checked as Xero computes them, and event parsing with a reason for each refused event."""

import base64
import hashlib
import hmac
import json
import random

import pytest

from odoo.addons.psa_xero_connector.xero import webhook

from harness import webhooks as harness_webhooks

KEY = "webhook-signing-key"
INV = "0b1e3f6a-8c1d-4e55-9a7b-2f4d6c8e0a11"
ORG = "2b5d8f4e-6a3c-4f1e-9d2b-8c7a5e3f1d0b"


def event(**changes):
    return dict({"resourceUrl": "https://api.xero.com/api.xro/2.0/Invoices/" + INV, "resourceId": INV,
                 "eventDateUtc": "2026-11-25T10:11:12.123", "eventType": "UPDATE", "eventCategory": "INVOICE",
                 "tenantId": ORG, "tenantType": "ORGANISATION"}, **changes)


def delivery(*events):
    return json.dumps({"events": list(events), "firstEventSequence": 1, "lastEventSequence": len(events),
                       "entropy": "ABCDEFGHIJKLMNOPQRST"}).encode()


def test_signature_matches_xeros_computation_and_the_harness():
    raw = delivery(event())
    expected = base64.b64encode(hmac.new(KEY.encode(), raw, hashlib.sha256).digest()).decode()
    assert webhook.signature(KEY, raw) == expected == harness_webhooks.sign(KEY, raw)
    assert webhook.signature_ok(KEY, raw, expected)
    assert webhook.signature_ok(KEY, raw, " %s\n" % expected), "header whitespace is not part of the signature"


@pytest.mark.parametrize("key, header", [
    (KEY, None), (KEY, ""), (KEY, "bm90IGEgc2lnbmF0dXJl"), ("other-key", "SIGNED"), ("", "SIGNED"), (None, "SIGNED"),
    (KEY, "é" * 44),
])
def test_bad_signatures_are_refused(key, header):
    raw = delivery(event())
    if header == "SIGNED":
        header = webhook.signature(KEY, raw)
    assert not webhook.signature_ok(key, raw, header)


def test_a_signature_is_bound_to_the_exact_body():
    raw = delivery(event())
    signature = webhook.signature(KEY, raw)
    assert not webhook.signature_ok(KEY, raw.replace(b"UPDATE", b"CREATE"), signature)
    assert not webhook.signature_ok(KEY, raw + b" ", signature)


def test_parse_delivery_keeps_good_events_and_says_why_others_are_refused():
    events, rejected = webhook.parse_delivery(delivery(
        event(), event(resourceId=INV.upper(), tenantId=ORG.upper()), "x", event(resourceId="nope"),
        event(eventCategory="BANKTRANSACTION"), event(eventType="EXPLODE"), {k: v for k, v in event().items()
                                                                            if k != "eventDateUtc"}))
    assert [e["resource_id"] for e in events] == [INV, INV], "IDs are compared lower-case"
    assert events[1]["tenant_id"] == ORG
    assert events[0] == {"resource_id": INV, "tenant_id": ORG, "category": "INVOICE", "event_type": "UPDATE",
                         "event_date": "2026-11-25T10:11:12.123",
                         "resource_url": "https://api.xero.com/api.xro/2.0/Invoices/" + INV}
    assert rejected == ["event 2: not an object", "event 3: resourceId is not a Xero ID",
                        "event 4: unknown category BANKTRANSACTION", "event 5: unknown event type EXPLODE",
                        "event 6: eventDateUtc is missing"]


def test_intent_to_receive_is_an_empty_delivery():
    assert webhook.parse_delivery(delivery()) == ([], [])


@pytest.mark.parametrize("raw", [b"", b"\xff\xfe", b"[]", b"null", b'{"events": {}}', b'{"Events": []}',
                                 b"{" * 5000, b'"events"'])
def test_bodies_that_are_not_deliveries(raw):
    with pytest.raises(webhook.DeliveryError):
        webhook.parse_delivery(raw)


def test_fuzzed_bodies_never_escape_as_other_errors():
    rng = random.Random(7)
    base = delivery(event(), event(eventCategory="CONTACT"))
    for _ in range(2000):
        raw = bytearray(base)
        for _ in range(rng.randint(1, 8)):
            raw[rng.randrange(len(raw))] = rng.randrange(256)
        try:
            events, _rejected = webhook.parse_delivery(bytes(raw))
        except webhook.DeliveryError:
            continue
        for ev in events:
            assert set(ev) == {"resource_id", "tenant_id", "category", "event_type", "event_date", "resource_url"}
