"""Webhooks, as Xero sends them: one delivery URL and signing key per app, events of every
connected organisation batched into ``{"events": [...], "firstEventSequence",
"lastEventSequence", "entropy"}``, signed ``x-xero-signature`` = base64(HMAC-SHA256(key, raw
body)), posted from a background thread, retried with decreasing frequency for 24 hours
(simulated time) and then the app's webhook is disabled. The payload holds no resource:
the receiver GETs ``resourceUrl``. No ordering is promised (a failing batch is retried
while newer ones go out), exactly as Xero warns.
"""

import base64
import hashlib
import hmac
import json
import secrets
import string
import threading
import time

import requests

from .xerojson import iso_utc, new_id

RETRY_SCHEDULE = (10, 30, 120, 600, 1800, 3600, 7200)  # simulated seconds after each failure
GIVE_UP_AFTER = 24 * 3600
MAX_EVENTS_PER_DELIVERY = 100
BATCH_DELAY = 0.05  # real seconds a burst of events waits to share one delivery
DELIVERY_TIMEOUT = 5.0  # Xero waits 5 s for the 200


def sign(key, body):
    return base64.b64encode(hmac.new(key.encode(), body, hashlib.sha256).digest()).decode()


def entropy():
    return "".join(secrets.choice(string.ascii_uppercase) for _ in range(20))


class Webhooks:
    # what a ledger's webhooks differ in (the QBO simulator's subclass sets its own)
    RETRY_SCHEDULE = RETRY_SCHEDULE
    GIVE_UP_AFTER = GIVE_UP_AFTER
    SIGNATURE_HEADER = "x-xero-signature"
    USER_AGENT = "Xero-Webhooks (harness)"
    DELIVERY_TIMEOUT = DELIVERY_TIMEOUT

    def __init__(self, store, clock, identity, public_url):
        self.store, self.clock, self.identity = store, clock, identity
        self.public_url = public_url  # callable -> base URL clients use to GET resources
        self._lock = threading.Condition()
        self._pending = {}   # client_id -> [(event, first_seen_real)]
        self._drop = 0       # admin fault: the next N deliveries are lost
        self._stop = threading.Event()
        self._session = requests.Session()
        self._thread = None
        self._busy = 0

    # --- events -----------------------------------------------------------------------------
    def emit(self, tenant, category, event_type, resource_id, data=None):
        clients = {c["client_id"] for c in self.store.all("connection") if c["tenantId"] == tenant}
        path = {"INVOICE": "Invoices", "CONTACT": "Contacts", "CREDITNOTE": "CreditNotes"}[category]
        with self._lock:
            for client_id in clients:
                client = self.identity.client(client_id)
                if not client or not client.get("webhook_url") or client.get("webhook_status") == "DISABLED":
                    continue
                event = {
                    "resourceUrl": "%s/api.xro/2.0/%s/%s" % (self.public_url(), path, resource_id),
                    "resourceId": resource_id,
                    "eventDateUtc": iso_utc(self.clock.now()),
                    "eventType": event_type,
                    "eventCategory": category,
                    "tenantId": tenant,
                    "tenantType": "ORGANISATION",
                }
                if data:
                    event["data"] = data
                self._pending.setdefault(client_id, []).append((event, time.monotonic()))
            self._lock.notify_all()

    def drop_next(self, n):
        with self._lock:
            self._drop += int(n)

    # --- the delivery thread ---------------------------------------------------------------
    def start(self):
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="harness-webhooks", daemon=True)
            self._thread.start()

    def stop(self):
        self._stop.set()
        with self._lock:
            self._lock.notify_all()
        if self._thread:
            self._thread.join(timeout=10)

    def _run(self):
        while not self._stop.is_set():
            work = self._collect()
            for delivery in work:
                self._attempt(delivery)
            with self._lock:
                self._busy = 0
                self._lock.notify_all()
                if not work:
                    self._lock.wait(0.05)

    def _collect(self):
        """Turn pending events into deliveries and pick deliveries whose retry is due.
        The store is never written while ``_lock`` is held: ``emit`` takes ``_lock`` from
        inside a store transaction, so the opposite order would deadlock."""
        now_real, now = time.monotonic(), self.clock.now()
        batches = []
        with self._lock:
            for client_id, events in list(self._pending.items()):
                if events and now_real - events[0][1] >= BATCH_DELAY:
                    batches.append((client_id, [e for e, _ in events[:MAX_EVENTS_PER_DELIVERY]]))
                    self._pending[client_id] = events[MAX_EVENTS_PER_DELIVERY:]
            self._busy += len(batches)  # flush() must not see an idle moment in between
        for client_id, batch in batches:
            self._new_delivery(client_id, batch, now)
        due = [d for d in self.store.all("delivery") if d["status"] == "pending" and d["next_at"] <= now]
        with self._lock:
            self._busy = len(due)
        return due

    def _new_delivery(self, client_id, events, now):
        seq = (self.store.get("webhook_seq", client_id) or {"n": 0})["n"]
        self.store.put("webhook_seq", client_id, {"n": seq + len(events)})
        delivery = {
            "id": new_id(), "client_id": client_id, "status": "pending", "attempts": [],
            "created": now, "next_at": now, "events": events,
            "first": seq + 1, "last": seq + len(events),
        }
        self.store.put("delivery", delivery["id"], delivery)

    def payload(self, delivery):
        return {"events": delivery["events"], "firstEventSequence": delivery["first"],
                "lastEventSequence": delivery["last"], "entropy": entropy()}

    def _post(self, url, key, body_dict, good_signature=True):
        body = json.dumps(body_dict, separators=(",", ":")).encode()
        signature = sign(key, body) if good_signature else sign(key + "x", body)
        started = time.monotonic()
        try:
            resp = self._session.post(url, data=body, timeout=self.DELIVERY_TIMEOUT, headers={
                "Content-Type": "application/json", self.SIGNATURE_HEADER: signature,
                "User-Agent": self.USER_AGENT})
            return resp.status_code, None, (time.monotonic() - started) * 1000
        except requests.RequestException as exc:
            return None, exc.__class__.__name__, (time.monotonic() - started) * 1000

    def _attempt(self, delivery):
        client = self.identity.client(delivery["client_id"]) or {}
        now = self.clock.now()
        with self._lock:
            dropped = self._drop > 0
            if dropped:
                self._drop -= 1
        if dropped:
            status, error, ms = None, "dropped by fault injection", 0.0
        elif not client.get("webhook_url"):
            status, error, ms = None, "no webhook URL", 0.0
        else:
            status, error, ms = self._post(client["webhook_url"], client["webhook_key"], self.payload(delivery))
        attempts = delivery["attempts"] + [{"at": iso_utc(now), "status": status, "error": error,
                                            "ms": round(ms, 1)}]
        delivery = dict(delivery, attempts=attempts)
        if status == 200:
            delivery.update(status="delivered", delivered_at=now)
        elif dropped:
            delivery.update(status="failed")
        elif now - delivery["created"] >= self.GIVE_UP_AFTER:
            delivery.update(status="failed")
            self.identity.update_client(delivery["client_id"], webhook_status="DISABLED")
        else:
            wait = self.RETRY_SCHEDULE[min(len(attempts) - 1, len(self.RETRY_SCHEDULE) - 1)]
            delivery.update(next_at=now + wait)
        self.store.put("delivery", delivery["id"], delivery)

    # --- admin --------------------------------------------------------------------------------
    def intent_to_receive(self, client_id, rounds=2):
        """Xero's check: good and bad signatures, expecting 200 and 401. -> result dict."""
        client = self.identity.client(client_id)
        if not client or not client.get("webhook_url"):
            raise KeyError("client has no webhook URL")
        results = []
        checks = [True, False] * rounds
        secrets.SystemRandom().shuffle(checks)
        for good in checks:
            body = {"events": [], "firstEventSequence": 0, "lastEventSequence": 0, "entropy": entropy()}
            status, error, ms = self._post(client["webhook_url"], client["webhook_key"], body, good)
            expected = 200 if good else 401
            results.append({"signature": "valid" if good else "invalid", "expected": expected,
                            "status": status, "error": error, "ok": status == expected})
        passed = all(r["ok"] for r in results)
        self.identity.update_client(client_id, webhook_status="OK" if passed else "INTENT_FAILED")
        return {"passed": passed, "checks": results}

    def flush(self, timeout=10.0):
        """Wait until every event is delivered or waiting for a later retry (for tests)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while time.monotonic() < deadline:
                now = self.clock.now()
                pending = any(self._pending.values()) or self._busy or any(
                    d["status"] == "pending" and d["next_at"] <= now for d in self.store.all("delivery"))
                if not pending:
                    return True
                self._lock.wait(0.02)
        return False

    def deliveries(self, client_id=None):
        out = [d for d in self.store.all("delivery") if client_id in (None, d["client_id"])]
        return sorted(out, key=lambda d: d["created"], reverse=True)

    def retry_now(self):
        """Admin: every pending delivery is due now."""
        now = self.clock.now()
        for d in self.store.all("delivery"):
            if d["status"] == "pending":
                self.store.put("delivery", d["id"], dict(d, next_at=now))
