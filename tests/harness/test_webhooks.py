"""Webhooks: signed batches, delivered asynchronously, retried on failure, intent to receive.
The receiver below checks signatures with its own HMAC computation."""

import base64
import hashlib
import hmac
import json
import threading

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from .conftest import CLIENT_ID, ORG_A

KEY = "test-webhook-signing-key"


class Receiver:
    def __init__(self, key=KEY):
        self.key = key
        self.received = []   # (signature_ok, body dict)
        self.fail_next = 0
        self.server = make_server("127.0.0.1", 0, self)
        self.url = "http://127.0.0.1:%d/webhook" % self.server.server_port
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def __call__(self, environ, start_response):
        request = Request(environ)
        raw = request.get_data()
        expected = base64.b64encode(hmac.new(self.key.encode(), raw, hashlib.sha256).digest()).decode()
        ok = hmac.compare_digest(expected, request.headers.get("x-xero-signature", ""))
        self.received.append((ok, json.loads(raw)))
        if self.fail_next:
            self.fail_next -= 1
            return Response("down", 503)(environ, start_response)
        return Response("", 200 if ok else 401)(environ, start_response)

    def events(self):
        return [e for ok, body in self.received if ok for e in body["events"]]


@pytest.fixture
def receiver(admin):
    r = Receiver()
    admin.update_client(CLIENT_ID, webhook_url=r.url, webhook_key=KEY)
    yield r
    r.server.shutdown()


def make_invoice(api):
    cid = api.put("/Contacts", {"Contacts": [{"Name": "Hook Co"}]}).json()["Contacts"][0]["ContactID"]
    return api.put("/Invoices", {"Invoices": [{
        "Type": "ACCREC", "Contact": {"ContactID": cid}, "Status": "AUTHORISED", "DueDate": "2026-12-01",
        "LineItems": [{"Description": "x", "Quantity": 1, "UnitAmount": 100, "AccountCode": "200"}]}]}
    ).json()["Invoices"][0]


def test_payment_fires_signed_invoice_update(api, admin, receiver, harness):
    inv = make_invoice(api)
    admin.flush_webhooks()
    receiver.received.clear()
    admin.pay(ORG_A, inv["InvoiceID"], 40)
    assert admin.flush_webhooks()["done"]
    assert all(ok for ok, _ in receiver.received)
    body = receiver.received[0][1]
    assert set(body) == {"events", "firstEventSequence", "lastEventSequence", "entropy"}
    event = body["events"][0]
    assert event["eventCategory"] == "INVOICE" and event["eventType"] == "UPDATE"
    assert event["resourceId"] == inv["InvoiceID"] and event["tenantId"] == ORG_A
    assert event["tenantType"] == "ORGANISATION"
    assert event["resourceUrl"] == "%s/api.xro/2.0/Invoices/%s" % (harness.url, inv["InvoiceID"])
    # the resource is not in the payload: GET it
    got = api.get(event["resourceUrl"]).json()["Invoices"][0]
    assert got["AmountPaid"] == 40


def test_create_events_batch_and_sequences(api, admin, receiver):
    make_invoice(api)
    admin.flush_webhooks()
    events = receiver.events()
    kinds = {(e["eventCategory"], e["eventType"]) for e in events}
    assert ("CONTACT", "CREATE") in kinds and ("INVOICE", "CREATE") in kinds
    seqs = [(b["firstEventSequence"], b["lastEventSequence"]) for _, b in receiver.received]
    assert seqs[0][0] == 1 and all(b[0] <= b[1] for b in seqs)


def test_failed_delivery_is_retried(api, admin, receiver, harness):
    receiver.fail_next = 2
    make_invoice(api)
    admin.flush_webhooks()
    assert len(receiver.received) == 1
    delivery = admin.get("/webhooks/deliveries")[0]
    assert delivery["status"] == "pending" and delivery["attempts"][0]["status"] == 503
    harness.app.clock.advance(11)       # first retry after 10 s
    admin.flush_webhooks()
    harness.app.clock.advance(31)       # then 30 s
    admin.flush_webhooks()
    delivery = admin.get("/webhooks/deliveries")[0]
    assert delivery["status"] == "delivered" and len(delivery["attempts"]) == 3
    assert receiver.received[0][1]["events"] == receiver.received[-1][1]["events"]


def test_gives_up_after_24h_and_disables(api, admin, receiver, harness):
    receiver.fail_next = 10 ** 6
    make_invoice(api)
    admin.flush_webhooks()
    for _ in range(40):
        harness.app.clock.advance(7200)
        admin.post("/webhooks/retry")
    delivery = admin.get("/webhooks/deliveries")[0]
    assert delivery["status"] == "failed"
    assert harness.app.identity.client(CLIENT_ID)["webhook_status"] == "DISABLED"


def test_emit_batches_a_burst_into_deliveries_of_100(api, admin, receiver):
    inv = make_invoice(api)
    admin.flush_webhooks()
    receiver.received.clear()
    assert admin.post("/webhooks/emit", {"tenant": ORG_A, "ids": [inv["InvoiceID"]] * 250})["emitted"] == 250
    admin.flush_webhooks()
    sizes = [len(body["events"]) for ok, body in receiver.received if ok]
    assert sum(sizes) == 250 and max(sizes) <= 100, sizes
    assert {e["resourceId"] for e in receiver.events()} == {inv["InvoiceID"]}
    deliveries = admin.get("/webhooks/deliveries")
    assert all(d["status"] == "delivered" and d["attempts"][0]["ms"] >= 0 for d in deliveries[:len(sizes)])
    with pytest.raises(RuntimeError, match="unknown INVOICE IDs"):
        admin.post("/webhooks/emit", {"tenant": ORG_A, "ids": ["00000000-0000-0000-0000-000000000000"]})


def test_dropped_delivery_never_arrives(api, admin, receiver):
    admin.post("/webhooks/drop", {"count": 1})
    make_invoice(api)
    admin.flush_webhooks()
    assert receiver.received == []
    assert admin.get("/webhooks/deliveries")[0]["status"] == "failed"


def test_intent_to_receive(admin, receiver):
    result = admin.post("/webhooks/intent", {"client_id": CLIENT_ID})
    assert result["passed"]
    assert {c["signature"] for c in result["checks"]} == {"valid", "invalid"}
    assert sum(1 for ok, _ in receiver.received if not ok) == 2
    assert all(b["events"] == [] for _, b in receiver.received)


def test_intent_to_receive_fails_for_a_careless_receiver(admin):
    careless = Receiver(key="wrong-key")  # answers 401 to everything Xero signs
    admin.update_client(CLIENT_ID, webhook_url=careless.url, webhook_key=KEY)
    result = admin.post("/webhooks/intent", {"client_id": CLIENT_ID})
    assert not result["passed"]
    careless.server.shutdown()
