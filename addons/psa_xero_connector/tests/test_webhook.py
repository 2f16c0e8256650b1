"""The webhook endpoint over real HTTP: Xero's intent-to-receive check, signatures, bad and
fuzzed bodies, repeats, unknown organisations — each delivery logged, nothing changed by a
delivery that is not Xero's, never a 500."""

import json
import random
import socket
import time
from urllib.parse import urlparse

from odoo.tests import tagged

from .. import const
from ..xero import webhook
from .common import CLIENT_ID, ORG_A, ORG_B, WEBHOOK_KEY, XeroHarnessCase

INVOICE_ID = "0b1e3f6a-8c1d-4e55-9a7b-2f4d6c8e0a11"


def event(tenant=ORG_A, resource=INVOICE_ID, category="INVOICE", date="2026-11-25T10:11:12.123"):
    return {"resourceUrl": "https://api.xero.com/api.xro/2.0/Invoices/" + resource, "resourceId": resource,
            "eventDateUtc": date, "eventType": "UPDATE", "eventCategory": category, "tenantId": tenant,
            "tenantType": "ORGANISATION"}


def body(*events):
    return json.dumps({"events": list(events), "firstEventSequence": 1, "lastEventSequence": len(events),
                       "entropy": "QWERTYUIOPASDFGHJKLZ"}).encode()


class WebhookCase(XeroHarnessCase):

    def setUp(self):
        super().setUp()
        tenants = self.connect()
        self.tenant = tenants.filtered(lambda t: t.remote_id == ORG_A)
        self.tenant.company_id = self.env.company
        self.Event = self.env["ledger.event"]
        self.Log = self.env["ledger.request.log"]

    def post(self, raw, signature="sign", content_type="application/json"):
        headers = {"Content-Type": content_type}
        if signature == "sign":
            signature = webhook.signature(WEBHOOK_KEY, raw)
        if signature is not None:
            headers["x-xero-signature"] = signature
        resp = self.opener.post(self.base_url() + const.WEBHOOK_ROUTE, data=raw, headers=headers, timeout=30,
                                allow_redirects=False)
        self.env.invalidate_all()
        return resp

    def inbound(self):
        """The inbound log rows, oldest first (refused deliveries, and those bringing nothing
        new, are counted in one row per source, kind and minute)."""
        return self.Log.search([("direction", "=", "inbound")], order="id")


@tagged("post_install", "-at_install")
class TestWebhookEndpoint(WebhookCase):

    def test_intent_to_receive_passes_xeros_check(self):
        self.admin_api.update_client(CLIENT_ID, webhook_url=self.base_url() + const.WEBHOOK_ROUTE)
        result = self.admin_api.post("/webhooks/intent", {"client_id": CLIENT_ID})
        self.assertTrue(result["passed"], result)
        self.assertEqual(sorted(c["status"] for c in result["checks"]), [200, 200, 401, 401])
        self.env.invalidate_all()
        logs = self.inbound()
        counted = sorted(code for log in logs for code in [log.status_code] * log.delivery_count)
        self.assertEqual(counted, [200, 200, 401, 401], "each check counted, in one row per kind and minute")
        self.assertEqual(set(logs.filtered(lambda row: row.status_code == 200).mapped("outcome")),
                         {"Intent to receive: signature verified."})
        self.assertEqual(set(logs.filtered(lambda row: row.status_code == 401).mapped("state")), {"failure"})
        self.assertIn("Signature mismatch", logs.filtered(lambda row: row.status_code == 401)[0].error_message)
        self.assertFalse(self.Event.search([]))

    def test_a_good_delivery_is_acknowledged_empty_without_cookies_and_stored(self):
        calls_before = len(self.harness.app.recent)
        resp = self.post(body(event()))
        self.assertEqual((resp.status_code, resp.content), (200, b""))
        self.assertNotIn("Set-Cookie", resp.headers, "Xero wants no cookies")
        self.assertEqual(len(self.harness.app.recent), calls_before, "nothing is fetched before the answer")
        stored = self.Event.search([])
        self.assertEqual((stored.state, stored.tenant_id, stored.resource_id, stored.category),
                         ("pending", self.tenant, INVOICE_ID, "INVOICE"))
        log = self.inbound()
        self.assertEqual((log.state, log.status_code, log.tenant_id, log.direction), ("success", 200, self.tenant,
                                                                                      "inbound"))
        self.assertEqual(log.outcome, "1 event(s) received, 1 new.")
        self.assertIn(INVOICE_ID, log.request_body)
        self.assertNotIn(webhook.signature(WEBHOOK_KEY, body(event())), log.request_headers, "signature redacted")
        self.assertEqual(stored.log_id, log)

    def test_signatures(self):
        raw = body(event())
        cases = {
            "unsigned": (None, "Unsigned delivery"),
            "empty": ("", "Unsigned delivery"),
            "wrong key": (webhook.signature("not-the-key", raw), "Signature mismatch"),
            "other body": (webhook.signature(WEBHOOK_KEY, body(event(tenant=ORG_B))), "Signature mismatch"),
            "garbage": ("%%%not base64%%%", "Signature mismatch"),
        }
        for name, (signature, reason) in cases.items():
            with self.subTest(name):
                resp = self.post(raw, signature=signature)
                self.assertEqual(resp.status_code, 401)
                self.assertIn(reason, self.inbound()[-1].error_message)
        self.assertFalse(self.Event.search([]), "nothing stored from an unverified delivery")
        # no key configured: nothing can be verified, not even a correctly signed delivery
        self.env["ir.config_parameter"].sudo().set_param(const.PARAM_PREFIX + "webhook_key", "")
        self.assertEqual(self.post(raw).status_code, 401)
        self.assertIn("No webhook key", self.inbound()[-1].error_message)
        self.assertFalse(self.Event.search([]))

    def test_the_same_delivery_twice_is_stored_once(self):
        raw = body(event(), event(), event(date="2026-11-25T10:11:13.000"))
        self.assertEqual(self.post(raw).status_code, 200)
        self.assertEqual(self.post(raw).status_code, 200, "a replay is acknowledged (Xero would retry otherwise)")
        self.assertEqual(len(self.Event.search([])), 2, "same event twice in a batch, then the batch again")
        self.assertEqual(self.inbound()[-1].outcome, "3 event(s) received, 0 new; 3 already received (ignored).")

    def test_unknown_and_unassigned_organisations_and_contacts(self):
        other = "11111111-2222-3333-4444-555555555555"
        resp = self.post(body(event(tenant=other), event(tenant=ORG_B),
                              event(category="CONTACT", resource="99999999-2222-3333-4444-555555555555")))
        self.assertEqual(resp.status_code, 200)
        events = self.Event.search([], order="id")
        self.assertEqual(events.mapped("state"), ["ignored", "ignored", "done"])
        self.assertIn("No Odoo company", events[0].message)
        self.assertIn("Odoo stays the source of truth", events[2].message)
        self.assertFalse(self.Event.search([("state", "=", "pending")]), "nothing to fetch from Xero")

    def test_malformed_bodies_are_refused_with_a_reason(self):
        for raw, status in [
            (b"not json", 400),
            (b"[]", 400),
            (b'{"events": "all"}', 400),
            (body({"resourceId": "x"}, event(resource="nope")), 200),
        ]:
            with self.subTest(raw=raw[:30]):
                resp = self.post(raw)
                self.assertEqual(resp.status_code, status)
                self.assertEqual(self.inbound()[-1].state, "failure")
        # the first malformed body of the minute names the row the others are counted in
        malformed = self.inbound().filtered(lambda row: row.status_code == 400)
        self.assertEqual(sum(malformed.mapped("delivery_count")), 3)
        self.assertEqual(malformed[0].remote_addr, "127.0.0.1")
        self.assertIn("not JSON", malformed[0].error_message)
        self.assertIn("tenantId is missing", self.inbound()[-1].error_message)
        self.assertFalse(self.Event.search([]))

    def test_fuzzed_deliveries_never_500_and_change_nothing(self):
        rng = random.Random(2026)
        base = body(event(), event(category="CREDITNOTE"), event(category="CONTACT"))
        moves, payments = self.env["account.move"].search_count([]), self.env["account.payment"].search_count([])
        statuses, reached = set(), 0
        for n in range(120):
            raw = bytearray(base)
            for _ in range(rng.randint(1, 6)):
                raw[rng.randrange(len(raw))] = rng.randrange(256)
            raw = bytes(raw) if n % 10 else bytes(rng.randrange(256) for _ in range(rng.randint(0, 300)))
            signature = "sign" if n % 3 else rng.choice([None, "AAAA", webhook.signature(WEBHOOK_KEY, base)])
            resp = self.post(raw, signature=signature, content_type=rng.choice(
                ["application/json", "text/plain", "application/x-www-form-urlencoded"]))
            statuses.add(resp.status_code)
            # 413: werkzeug refuses a form body with broken %-escapes before any controller runs
            self.assertIn(resp.status_code, (200, 400, 401, 413), raw)
            reached += resp.status_code != 413
        self.assertTrue({200, 400, 401} <= statuses, statuses)
        self.assertEqual(sum(self.inbound().mapped("delivery_count")), reached,
                         "every delivery that reached Odoo's route is counted in the log")
        self.assertEqual((self.env["account.move"].search_count([]), self.env["account.payment"].search_count([])),
                         (moves, payments))
        for stored in self.Event.search([]):  # only well-formed events of a signed body were kept
            self.assertRegex(stored.resource_id, r"^[0-9a-f-]{36}$")


@tagged("post_install", "-at_install")
class TestWebhookAbuse(WebhookCase):
    """Finding 6 of issue #11: abusing the webhook must cost little — no body read beyond the
    limit, no body stored beyond 2 kB, a bounded number of log rows for any number of refused
    deliveries."""

    def raw_post(self, head, payload=b"", timeout=10):
        """POST over a bare socket (headers that do not match the body): -> (status, seconds)."""
        url = urlparse(self.base_url())
        started = time.monotonic()
        with socket.create_connection((url.hostname, url.port), timeout=timeout) as sock:
            sock.sendall(("POST %s HTTP/1.1\r\nHost: %s\r\n%s\r\n" % (
                const.WEBHOOK_ROUTE, url.netloc, "".join("%s: %s\r\n" % h for h in head.items()))).encode() + payload)
            answer = b""
            while b"\r\n" not in answer:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                answer += chunk
        self.env.invalidate_all()
        return int(answer.split(b" ", 2)[1]), time.monotonic() - started

    def test_a_body_announced_over_the_limit_is_refused_unread(self):
        # 50 MB announced, 2 bytes sent: reading the body would wait for the rest until the timeout
        for signature in ("AAAA", None):
            head = {"Content-Type": "application/json", "Content-Length": str(50 * 1024 * 1024)}
            if signature:
                head["x-xero-signature"] = signature
            status, seconds = self.raw_post(head, b"{}")
            self.assertEqual(status, 413)
            self.assertLess(seconds, 3, "answered without waiting for the announced body")
        # werkzeug refuses it on the route's max_content_length before the route runs: no row at all
        self.assertLessEqual(len(self.inbound()), 1)
        self.assertFalse(self.inbound().filtered("request_body"), "nothing of the body stored")
        self.assertFalse(self.Event.search([]))

    def test_a_streamed_body_over_the_limit_is_refused_after_the_limit(self):
        def chunks():  # chunked transfer: no Content-Length to check, 3 MB offered
            for _ in range(48):
                yield b"x" * 65536

        resp = self.opener.post(self.base_url() + const.WEBHOOK_ROUTE, data=chunks(), timeout=30, headers={
            "Content-Type": "application/json", "x-xero-signature": "AAAA"})
        self.env.invalidate_all()
        self.assertEqual(resp.status_code, 413)
        log = self.inbound()
        self.assertEqual((log.status_code, log.delivery_count), (413, 1))
        self.assertLessEqual(len(log.request_body or ""), const.MAX_LOGGED_REFUSED)

    def test_unsigned_floods_add_a_handful_of_rows_without_their_bodies(self):
        junk = b'{"events": [' + b"x" * 20_000
        for n in range(300):
            signature = [None, "", "AAAA", webhook.signature("not-the-key", junk)][n % 4]
            resp = self.post(junk, signature=signature)
            self.assertEqual(resp.status_code, 401)
        logs = self.inbound()
        self.assertLessEqual(len(logs), 6, "one row per source, kind (unsigned, bad signature) and minute")
        self.assertEqual(sum(logs.mapped("delivery_count")), 300)
        self.assertEqual(set(logs.mapped("remote_addr")), {"127.0.0.1"})
        for log in logs:
            self.assertLessEqual(len(log.request_body), const.MAX_LOGGED_REFUSED)
            self.assertTrue(log.last_seen)
        self.assertFalse(self.Event.search([]))

    def test_huge_headers_of_a_refused_delivery_are_cut(self):
        resp = self.opener.post(self.base_url() + const.WEBHOOK_ROUTE, data=b"{}", timeout=30, headers={
            "Content-Type": "application/json", "X-Padding": "p" * 30_000})
        self.env.invalidate_all()
        self.assertEqual(resp.status_code, 401)
        self.assertLess(len(self.inbound().request_headers), 2048 + 100, "2 kB of headers kept, and a mark")

    def test_replays_of_a_good_delivery_are_acknowledged_and_counted(self):
        raw = body(event())
        for _ in range(50):
            self.assertEqual(self.post(raw).status_code, 200, "Xero's retry of a delivery is acknowledged")
        self.assertEqual(len(self.Event.search([])), 1)
        first, replays = self.inbound()
        self.assertEqual((first.delivery_count, first.outcome), (1, "1 event(s) received, 1 new."))
        self.assertIn(INVOICE_ID, first.request_body, "a good delivery keeps its body")
        self.assertEqual(self.Event.search([]).log_id, first)
        self.assertEqual((replays.delivery_count, replays.status_code), (49, 200))
        self.assertIn("already received", replays.outcome)

    def test_many_sources_share_a_bounded_number_of_rows(self):
        minute = "2026-11-25 10:11"
        sources = {webhook.refused_source(minute, "unsigned", "10.0.%d.%d" % (n // 256, n % 256), 30)
                   for n in range(5000)}
        self.assertEqual(len(sources), 31)
        self.assertIn(webhook.OTHER_SOURCES, sources)
        self.assertEqual(webhook.refused_source(minute, "unsigned", "10.0.0.1", 30), "10.0.0.1", "a known source")
        self.assertEqual(webhook.refused_source("2026-11-25 10:12", "unsigned", "10.9.9.9", 30), "10.9.9.9",
                         "a new minute starts afresh")
