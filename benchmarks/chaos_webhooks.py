"""Chaos benchmark of issue #11 (finding 6): bad webhook deliveries must be cheap for Odoo.

A real Odoo server (``--workers 2`` by default) on a throwaway database, and a bounded number
of bad requests sent over loopback by concurrent senders, an even mix of:

- unsigned (no ``x-xero-signature``), wrong signature, malformed JSON (wrongly signed);
- a replay of a good delivery (same body, same signature — answered 200 on purpose: it is what
  Xero's retry of a delivery whose answer it missed looks like; nothing is stored again);
- 5 MB bodies: announced by Content-Length, or streamed chunked without a length (the
  sender sends until Odoo answers, then stops);
- events for an unknown tenant, signed with another app's key;
- broken HTTP: a Content-Length that is not a number, a body shorter than announced.

Prints (and ``run`` returns) accepted (2xx answers to the bad requests other than replays, goal
0), 5xx answers (goal 0), rows added to ``ledger_request_log`` and ``ledger_event``, the peak RSS of
the Odoo processes, wall time.

    python benchmarks/chaos_webhooks.py [--requests 10000] [--senders 8] [--workers 2] [--db NAME]
"""

import argparse
import base64
import collections
import concurrent.futures
import json
import os
import random
import select
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Bench, free_port, odoo_server, under_odoo_python  # noqa: E402

KEY = "chaos-webhook-key"
ORG = "4f5e6d7c-8b9a-4c1d-9e2f-3a4b5c6d7e8f"
UNKNOWN_ORG = "11111111-2222-3333-4444-555555555555"
FIVE_MB = 5 * 1000 * 1000
KINDS = ("unsigned", "wrong_signature", "replay", "malformed_json", "5mb_announced", "5mb_chunked",
         "unknown_tenant", "bad_content_length", "short_body")


def odoo_python():
    """-> Odoo info, running under Odoo's Python with ``import odoo`` working (re-executes this
    script when needed: ``under_odoo_python`` alone does not when both Pythons are one binary)."""
    info = under_odoo_python()
    try:
        import psycopg2  # noqa: F401

        import odoo  # noqa: F401
    except ImportError:
        if os.environ.get("PSA_XERO_CHAOS_REEXEC"):
            raise
        os.execve(info.python, [info.python] + sys.argv, info.env({"PSA_XERO_CHAOS_REEXEC": "1"}))
    return info


def delivery(tenant, n=1, category="CONTACT"):
    events = [{"resourceUrl": "https://api.xero.com/api.xro/2.0/Contacts/x", "eventDateUtc": "2026-11-25T10:11:12.123",
               "resourceId": "0b1e3f6a-8c1d-4e55-9a7b-%012d" % i, "eventType": "UPDATE",
               "eventCategory": category, "tenantId": tenant, "tenantType": "ORGANISATION"} for i in range(n)]
    return json.dumps({"events": events, "firstEventSequence": 1, "lastEventSequence": n,
                       "entropy": "CHAOSCHAOSCHAOSCHAOS"}).encode()


def exchange(port, head, body=b"", stream=None, half_close=False, timeout=30):
    """One request over a bare socket; -> HTTP status (0: no answer). ``stream``: chunks sent
    until the server answers (then the sender stops, as an attacker would)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        lines = "".join("%s: %s\r\n" % item for item in head.items())
        sock.sendall(("POST /xero/webhook HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n%s\r\n" % (port, lines)).encode() + body)
        try:
            for chunk in stream or ():
                if select.select([sock], [], [], 0)[0]:
                    break  # answered before the end of the body
                sock.sendall(chunk)
        except OSError:
            pass  # the server closed the connection: read what it answered
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        answer = b""
        try:
            while b"\r\n" not in answer:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                answer += chunk
        except OSError:
            pass
    try:
        return int(answer.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return 0


def request_for(kind, port, good, signature_of, rng):
    json_head = {"Content-Type": "application/json"}
    if kind == "unsigned":
        raw = delivery(ORG)
        return exchange(port, dict(json_head, **{"Content-Length": len(raw)}), raw)
    if kind == "wrong_signature":
        raw = delivery(ORG, rng.randint(1, 100))
        sig = base64.b64encode(rng.randbytes(32)).decode()
        return exchange(port, dict(json_head, **{"Content-Length": len(raw), "x-xero-signature": sig}), raw)
    if kind == "replay":
        raw, sig = good
        return exchange(port, dict(json_head, **{"Content-Length": len(raw), "x-xero-signature": sig}), raw)
    if kind == "malformed_json":
        raw = rng.choice([b"{", b"[]", b'{"events": "all"}', b"\x00\xff" * 50, rng.randbytes(rng.randint(0, 3000))])
        return exchange(port, dict(json_head, **{"Content-Length": len(raw), "x-xero-signature": "AAAA"}), raw)
    if kind == "5mb_announced":
        chunks = (b"x" * 65536 for _ in range(FIVE_MB // 65536 + 1))
        return exchange(port, dict(json_head, **{"Content-Length": FIVE_MB, "x-xero-signature": "AAAA"}),
                        stream=chunks)
    if kind == "5mb_chunked":
        chunks = (b"10000\r\n" + b"x" * 65536 + b"\r\n" for _ in range(FIVE_MB // 65536 + 1))
        return exchange(port, dict(json_head, **{"Transfer-Encoding": "chunked", "x-xero-signature": "AAAA"}),
                        stream=chunks)
    if kind == "unknown_tenant":
        raw = delivery(UNKNOWN_ORG, rng.randint(1, 100), category="INVOICE")
        return exchange(port, dict(json_head, **{"Content-Length": len(raw),
                                                 "x-xero-signature": signature_of("another-apps-key", raw)}), raw)
    if kind == "bad_content_length":
        return exchange(port, dict(json_head, **{"Content-Length": "12abc", "x-xero-signature": "AAAA"}), b"{}")
    if kind == "short_body":  # 1,000 bytes announced, 10 sent, then the sender stops sending
        return exchange(port, dict(json_head, **{"Content-Length": 1000, "x-xero-signature": "AAAA"}), b"{" * 10,
                        half_close=True)
    raise ValueError(kind)


def process_tree(root):
    """pids of ``root`` and its descendants (Linux /proc)."""
    children = collections.defaultdict(list)
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/stat" % entry) as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children[ppid].append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo += children.get(pid, [])
    return pids


def status_kb(pid, field):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class RssSampler(threading.Thread):
    """Samples the summed RSS of the Odoo process tree; remembers each process's high-water mark."""

    def __init__(self, root):
        super().__init__(daemon=True)
        self.root, self.stop, self.peak_total_kb, self.hwm_kb = root, threading.Event(), 0, {}
        self.peak_processes = 0

    def sample(self):
        pids = process_tree(self.root)
        self.peak_processes = max(self.peak_processes, len(pids))
        self.peak_total_kb = max(self.peak_total_kb, sum(status_kb(pid, "VmRSS") for pid in pids))
        for pid in pids:
            self.hwm_kb[pid] = max(self.hwm_kb.get(pid, 0), status_kb(pid, "VmHWM"))

    def run(self):
        while not self.stop.is_set():
            self.sample()
            self.stop.wait(0.1)


def run(requests=10_000, senders=8, workers=2, db=None, seed=11, info=None):
    """Start Odoo on a throwaway database (or ``db``), send ``requests`` bad webhook requests,
    -> dict of figures (see the module's docstring)."""
    info = info or odoo_python()
    rng = random.Random(seed)
    with Bench(info, db, harness_args=()) as bench:
        import psycopg2

        from odoo import SUPERUSER_ID, api

        from tools import devtool
        with bench.registry().cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            # on a database of the chaos benchmark the organisation is there already
            if not env["ledger.tenant"].with_context(active_test=False).search([("remote_id", "=", ORG)]):
                company = env.company if not env.company.ledger_tenant_ids else env["res.company"].create(
                    {"name": "Webhook chaos"})
                bench.tenant(env, {"access_token": "chaos", "refresh_token": "chaos"}, ORG, company)
            env["ir.config_parameter"].set_param("psa_xero_connector.webhook_key", KEY)
            cr.commit()
        from odoo.addons.psa_xero_connector.xero import webhook
        port = free_port()
        log_path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "var",
                                "chaos_webhooks_odoo.log")
        os.makedirs(os.path.dirname(log_path), exist_ok=True)
        odoo_log = open(log_path, "w")
        server = odoo_server(info, bench.db, port, workers, output=odoo_log)
        db_conn = psycopg2.connect(dbname=bench.db)
        db_conn.autocommit = True

        def count(table):
            with db_conn.cursor() as cur:
                cur.execute("SELECT count(*) FROM %s" % table)
                return cur.fetchone()[0]

        try:
            if not devtool.wait_http("http://127.0.0.1:%d/web/login" % port, timeout=120):
                raise SystemExit("Odoo did not start")
            raw = delivery(ORG, 3)
            good = (raw, webhook.signature(KEY, raw))
            first = request_for("replay", port, good, webhook.signature, rng)  # the original delivery
            if first != 200:
                raise SystemExit("the good delivery was answered %s" % first)
            for _ in range(20):  # warm-up: each worker loads the registry on its first requests
                request_for("unsigned", port, good, webhook.signature, rng)
            time.sleep(1)
            logs_before, events_before = count("ledger_request_log"), count("ledger_event")

            def counted():
                with db_conn.cursor() as cur:
                    cur.execute("SELECT coalesce(sum(delivery_count), 0) FROM ledger_request_log "
                                "WHERE direction = 'inbound'")
                    return cur.fetchone()[0]

            counted_before = counted()
            with db_conn.cursor() as cur:
                cur.execute("SELECT now() AT TIME ZONE 'UTC'")
                run_started_at = cur.fetchone()[0]
            sampler = RssSampler(server.pid)
            sampler.sample()
            rss_before_kb = sampler.peak_total_kb
            hwm_before = {pid: status_kb(pid, "VmHWM") for pid in process_tree(server.pid)}
            sampler.start()
            plan = [KINDS[n % len(KINDS)] for n in range(requests)]
            rng.shuffle(plan)
            seeds = [rng.random() for _ in plan]

            def one(item):
                kind, sub_seed = item
                try:
                    return kind, request_for(kind, port, good, webhook.signature, random.Random(sub_seed))
                except OSError:
                    return kind, 0

            started = time.perf_counter()
            with concurrent.futures.ThreadPoolExecutor(senders) as pool:
                answers = list(pool.map(one, zip(plan, seeds, strict=True)))
            wall = time.perf_counter() - started
            time.sleep(1)
            sampler.stop.set()
            sampler.join()
            sampler.sample()
            growth_kb = max([status_kb(pid, "VmHWM") - kb for pid, kb in hwm_before.items()
                             if status_kb(pid, "VmHWM")] or [0])
            by_kind = collections.defaultdict(collections.Counter)
            for kind, status in answers:
                by_kind[kind][status] += 1
            with db_conn.cursor() as cur:
                cur.execute("""SELECT status_code, count(*), sum(delivery_count), max(length(request_body)),
                                      max(length(request_headers))
                                 FROM ledger_request_log WHERE direction = 'inbound' AND write_date >= %s
                                GROUP BY 1 ORDER BY 1""", [run_started_at])
                log_rows = cur.fetchall()
            return {
                "requests": requests, "senders": senders, "workers": workers, "wall_s": round(wall, 1),
                "requests_per_s": round(requests / wall, 1),
                "accepted": sum(n for kind, c in by_kind.items() if kind != "replay"
                                for status, n in c.items() if 200 <= status < 300),
                "replays_acknowledged": by_kind["replay"][200],
                "server_errors": sum(n for c in by_kind.values() for status, n in c.items() if status >= 500),
                "no_answer": sum(c[0] for c in by_kind.values()),
                "statuses_by_kind": {kind: dict(sorted(c.items())) for kind, c in sorted(by_kind.items())},
                "request_log_rows_added": count("ledger_request_log") - logs_before,
                "event_rows_added": count("ledger_event") - events_before,
                "deliveries_counted_in_log": counted() - counted_before,
                "inbound_log_rows": [{"status": s, "rows": r, "deliveries": int(d or 0), "max_body_chars": b,
                                      "max_header_chars": h} for s, r, d, b, h in log_rows],
                "rss_before_mb": round(rss_before_kb / 1024, 1),
                "peak_rss_total_mb": round(sampler.peak_total_kb / 1024, 1),
                "peak_rss_per_process_mb": round(max(sampler.hwm_kb.values()) / 1024, 1),
                "peak_rss_growth_per_process_mb": round(growth_kb / 1024, 1),
                "odoo_processes": sampler.peak_processes, "odoo_pids_seen": len(sampler.hwm_kb),
                "odoo_log": log_path,
            }
        finally:
            db_conn.close()
            server.terminate()
            server.wait(timeout=30)
            odoo_log.close()
            from odoo import sql_db
            sql_db.close_db(bench.db)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--senders", type=int, default=8, help="concurrent senders")
    parser.add_argument("--workers", type=int, default=2, help="Odoo HTTP worker processes")
    parser.add_argument("--db")
    args = parser.parse_args()
    result = run(args.requests, args.senders, args.workers, args.db, info=odoo_python())
    print("chaos: %(requests)d bad webhook requests from %(senders)d senders, Odoo with %(workers)d HTTP workers, "
          "%(wall_s).1f s (%(requests_per_s).0f requests/s)" % result)
    print("  accepted (2xx, replays aside)  %(accepted)d   (goal 0)" % result)
    print("  5xx answers                    %(server_errors)d   (goal 0); no answer: %(no_answer)d" % result)
    print("  replays of a good delivery     %(replays_acknowledged)d answered 200 (Xero's retry looks the same), "
          "nothing stored again" % result)
    print("  rows added                     ledger_request_log %(request_log_rows_added)d, "
          "ledger_event %(event_rows_added)d; %(deliveries_counted_in_log)d deliveries counted in the log"
          % result)
    print("  peak RSS                       %(peak_rss_total_mb).0f MB for the Odoo processes (at most "
          "%(odoo_processes)d at once, %(odoo_pids_seen)d pids seen; %(rss_before_mb).0f MB before), "
          "%(peak_rss_per_process_mb).0f MB for the largest; the peak RSS of a process alive throughout grew by "
          "%(peak_rss_growth_per_process_mb).1f MB at most" % result)
    print("  Odoo's log                     %(odoo_log)s" % result)
    for kind, statuses in result["statuses_by_kind"].items():
        print("  %-30s %s" % (kind, statuses))
    for row in result["inbound_log_rows"]:
        print("  log rows written, status %(status)d: %(rows)d rows counting %(deliveries)d deliveries, body <= "
              "%(max_body_chars)s chars, headers <= %(max_header_chars)s chars" % row)


if __name__ == "__main__":
    main()
