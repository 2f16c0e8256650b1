"""Webhooks as Intuit sends them, checked by a receiver with its own HMAC (verifier token):
legacy eventNotifications and CloudEvents, a delivery mixing realms, retries on Intuit's
schedule, and a payment recorded "in QBO" by a user (admin API) firing Payment + Invoice."""

import base64
import hashlib
import hmac
import json
import threading

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from harness.qbo.webhooks import QboWebhooks

from .conftest import CLIENT_ID, UK, US, VERIFIER, auth_client
from .test_entities import invoice


class Receiver:
    def __init__(self):
        self.received, self.fail_next = [], 0
        self.server = make_server("127.0.0.1", 0, self)
        self.url = "http://127.0.0.1:%d/qbo-webhook" % self.server.server_port
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def __call__(self, environ, start_response):
        request = Request(environ)
        raw = request.get_data()
        expected = base64.b64encode(hmac.new(VERIFIER.encode(), raw, hashlib.sha256).digest()).decode()
        ok = hmac.compare_digest(expected, request.headers.get("intuit-signature", ""))
        self.received.append((ok, json.loads(raw)))
        if self.fail_next:
            self.fail_next -= 1
            return Response("down", 503)(environ, start_response)
        return Response("", 200)(environ, start_response)


@pytest.fixture
def receiver(admin):
    r = Receiver()
    admin.post("/clients/" + CLIENT_ID, {"webhook_url": r.url})
    yield r
    r.server.shutdown()


def test_legacy_format_signed_and_mixing_realms(qbo, qb, admin, receiver):
    auth_client(qbo.url, UK)  # the app is connected to both companies
    books = qbo.app.books
    with qbo.app.store.transaction():  # in-process, so that both land in one batching window (50 ms)
        inv = books.write(US, "Class", {"Name": "Events US"})
        klass = books.write(UK, "Class", {"Name": "Events"})
    assert admin.post("/webhooks/flush")["idle"]
    assert receiver.received and all(ok for ok, _ in receiver.received)
    notes = [n for _, body in receiver.received for n in body["eventNotifications"]]
    entities = {(n["realmId"], e["name"], e["id"], e["operation"]) for n in notes
                for e in n["dataChangeEvent"]["entities"]}
    assert (US, "Class", inv["Id"], "Create") in entities and (UK, "Class", klass["Id"], "Create") in entities
    assert any(len(body["eventNotifications"]) == 2 for _, body in receiver.received)


def test_cloudevents_format(qbo, qb, admin, receiver):
    admin.post("/clients/" + CLIENT_ID, {"webhook_format": "cloudevents"})
    inv = invoice(qbo, qb)
    inv.void(qb=qb)
    admin.post("/webhooks/flush")
    events = [e for ok, body in receiver.received if ok for e in body]
    mine = [e for e in events if e["intuitentityid"] == inv.Id]
    assert [e["type"] for e in mine] == ["qbo.invoice.created.v1", "qbo.invoice.voided.v1"]
    assert all(e["specversion"] == "1.0" and e["intuitaccountid"] == US and e["id"] for e in mine)


def test_retried_on_intuits_schedule(qbo, qb, admin, receiver):
    receiver.fail_next = 2
    invoice(qbo, qb)
    admin.post("/webhooks/flush")
    assert len(receiver.received) == 1
    delivery = admin.get("/webhooks/deliveries")[0]
    assert delivery["status"] == "pending" and delivery["next_at"] - delivery["created"] == pytest.approx(10, abs=1)
    admin.post("/clock/advance", {"seconds": 10})
    admin.post("/webhooks/flush")
    delivery = admin.get("/webhooks/deliveries")[0]
    assert len(delivery["attempts"]) == 2 and delivery["next_at"] - delivery["created"] == pytest.approx(30, abs=1)
    admin.post("/clock/advance", {"seconds": 20})
    admin.post("/webhooks/flush")
    assert admin.get("/webhooks/deliveries")[0]["status"] == "delivered"
    assert QboWebhooks.RETRY_SCHEDULE[:5] == (10, 20, 30, 300, 1200)


def test_payment_recorded_in_qbo_fires_payment_and_invoice_events(qbo, qb, admin, receiver):
    inv = invoice(qbo, qb)
    admin.post("/webhooks/flush")
    receiver.received.clear()
    pay = admin.post("/payments", {"realmId": US, "InvoiceId": inv.Id, "Amount": 94.75})
    admin.post("/webhooks/flush")
    entities = [e for _, body in receiver.received for n in body["eventNotifications"]
                for e in n["dataChangeEvent"]["entities"]]
    assert {(e["name"], e["id"], e["operation"]) for e in entities} == {
        ("Payment", pay["Id"], "Create"), ("Invoice", inv.Id, "Update")}
    assert qb.get_single_object("Invoice", inv.Id)["Invoice"]["Balance"] == 400
