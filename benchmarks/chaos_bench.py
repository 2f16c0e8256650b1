"""Chaos benchmark of issue #11: documents pushed to two Xero organisations by a real Odoo
server (prefork workers and a cron worker) while the harness misbehaves and the Odoo process is
SIGKILLed and restarted. Prints figures; asserts nothing.

    python benchmarks/chaos_bench.py [--documents 10000] [--kills 3] [--workers 2]
                                     [--time-scale 10] [--expire-every 300] [--seed 1] [--db NAME]

Chaos, all at the harness (see harness/faults.py), on Accounting API calls only:
- 5 % of calls answer 503 (nothing applied), 2 % of writes are APPLIED and their answer lost
  (connection reset), 429 bursts (1 % of calls start a burst of 5, Retry-After 2 s);
- every access token expires every ``--expire-every`` simulated seconds;
- the whole Odoo server (its process group) is SIGKILLed ``--kills`` times while documents
  are in flight, more documents are posted, and it is restarted.

What is scaled: the harness runs with ``--time-scale`` (default 10): Xero's per-organisation
60 calls/minute become 60 calls per 6 real seconds, its 5,000/day likewise, an access token
lives 3 real minutes instead of 30, token expiry every 300 simulated s = every 30 real s, and
Retry-After is given in real seconds. Concurrency (5 per organisation) is not scaled.

Documents: ~10 % contacts (customers and suppliers), 45 % invoices, 30 % vendor bills, 15 %
credit notes, split over the two organisations (one Odoo company each). A document is
*lost* if it is in neither Xero nor in error with a reason; *duplicated* if Xero holds it
more than once (invoices by InvoiceNumber, bills by Reference = Odoo's number, credit notes
by CreditNoteNumber, contacts by Name).

At the end, the bad-webhook half (benchmarks/chaos_webhooks.py, another engineer's) is run if
it is there: its ``run(...)`` gets the keyword arguments it names among odoo_url, harness_url,
db, rpc, tenants, info.
"""

import argparse
import collections
import importlib
import inspect
import os
import random
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import under_odoo_python  # noqa: E402

from harness.seed import DEMO_ORGS  # noqa: E402
from tools import devtool  # noqa: E402
from tools.odoo_server import Harness, OdooServer, Rpc, connect_xero, drop_db, log_path, outbox_pending, set_up_tenant  # noqa: E402

API = "/api.xro/2.0/"


def chaos(admin, seed, expire_every):
    admin.fault("status", status=503, rate=0.05, seed=seed, path=API)
    for n, method in enumerate(("PUT", "POST")):
        admin.fault("lose_response", rate=0.02, seed=seed + 10 + n, mode="reset", method=method, path=API)
    admin.fault("rate_limit", rate=0.01, burst=5, retry_after=2, seed=seed + 2, path=API)
    admin.post("/tokens/expire-every", {"every": expire_every})


def second_company(rpc):
    company = rpc.call("res.company", "create", {"name": "Chaos Second Co", "currency_id": rpc.call(
        "res.currency", "search", [["name", "=", "GBP"]], context={"active_test": False})[0]})
    rpc.call("res.currency", "write", rpc.call("res.currency", "search", [["name", "=", "GBP"]],
                                               context={"active_test": False}), {"active": True})
    admin = rpc.call("res.users", "search", [["login", "=", "admin"]])
    rpc.call("res.users", "write", admin, {"company_ids": [[4, company]]})
    rpc.call("account.chart.template", "try_loading", [], "generic_coa", company,
             context={"allowed_company_ids": [company]})
    return company


def plan(total, rng):
    """-> a shuffled list of kinds: contact / out_invoice / in_invoice / out_refund."""
    counts = {"contact": total // 10, "out_invoice": total * 45 // 100, "in_invoice": total * 30 // 100}
    counts["out_refund"] = total - sum(counts.values())
    kinds = [k for k, n in counts.items() for _ in range(n)]
    rng.shuffle(kinds)
    return kinds


class Org:
    def __init__(self, name, remote_id, tenant_id, company_id):
        self.name, self.remote_id, self.tenant_id, self.company_id = name, remote_id, tenant_id, company_id
        self.partners = {"customer": [], "supplier": []}
        self.moves, self.contacts = [], []

    def ctx(self):
        return {"allowed_company_ids": [self.company_id]}


def post_wave(rpc, org, kinds, rng, serial):
    """Create and post one wave for one organisation, 50 records per call."""
    for _kind in [k for k in kinds if k == "contact"]:
        serial[0] += 1
        role = rng.choice(("customer", "supplier"))
        org.contacts.append(rpc.call("res.partner", "create", {
            # the organisation's company's own contact (a shared one goes only where a document needs it)
            "name": "Chaos %s %s %05d" % (org.name.split()[0], role, serial[0]), "is_company": True,
            "company_id": org.company_id,
            "email": "accounts%05d@chaos.example" % serial[0],
            "child_ids": [[0, 0, {"name": "Pat Payer%05d" % serial[0], "type": "invoice",
                                  "email": "pat%05d@chaos.example" % serial[0]}]] if role == "customer" else [],
            "customer_rank": int(role == "customer"), "supplier_rank": int(role == "supplier")}, context=org.ctx()))
        org.partners[role].append(org.contacts[-1])
    docs = [k for k in kinds if k != "contact"]
    for start in range(0, len(docs), 50):
        values = []
        for kind in docs[start:start + 50]:
            serial[0] += 1
            role = "supplier" if kind == "in_invoice" else "customer"
            values.append({
                "move_type": kind, "partner_id": rng.choice(org.partners[role]), "invoice_date": "2026-11-20",
                "ref": "SUP-%05d" % serial[0] if kind == "in_invoice" else False,
                "invoice_line_ids": [[0, 0, {"name": "Chaos line %d" % serial[0], "quantity": 1 + serial[0] % 3,
                                             "price_unit": 10 + serial[0] % 97, "tax_ids": [[5]]}]]})
        ids = rpc.call("account.move", "create", values, context=org.ctx())
        rpc.call("account.move", "action_post", ids, context=org.ctx())
        org.moves += ids


def count_copies(rpc, admin, orgs):
    state = admin.state()
    figures = collections.Counter()
    errors = collections.Counter()
    pending_reasons = collections.Counter()
    for org in orgs:
        invoices = state.get("invoice", {}).get(org.remote_id, [])
        credits = state.get("creditnote", {}).get(org.remote_id, [])
        contacts = state.get("contact", {}).get(org.remote_id, [])
        by = collections.Counter()
        for inv in invoices:
            by[("out_invoice", inv.get("InvoiceNumber"))] += inv["Type"] == "ACCREC"
            by[("in_invoice", inv.get("Reference"))] += inv["Type"] == "ACCPAY"
        for cn in credits:
            by[("out_refund", cn.get("CreditNoteNumber"))] += cn["Type"] == "ACCRECCREDIT"
        for contact in contacts:
            by[("contact", contact.get("Name"))] += contact.get("ContactStatus", "ACTIVE") == "ACTIVE"
        records = [("account.move", m) for m in rpc.call("account.move", "read", org.moves,
                                                        ["name", "move_type", "ledger_sync_state",
                                                         "ledger_sync_message"],
                                                        context=org.ctx())]
        records += [("res.partner", p) for p in rpc.call("res.partner", "read", org.contacts,
                                                        ["name", "ledger_sync_state", "ledger_sync_message"],
                                                        context=org.ctx())]
        for _model, rec in records:
            kind = rec.get("move_type", "contact")
            copies = by[(kind, rec["name"])]
            figures["documents"] += 1
            figures["in Xero once"] += copies == 1
            figures["duplicated in Xero"] += copies > 1
            figures["extra copies in Xero"] += max(0, copies - 1)
            if rec["ledger_sync_state"] == "error":
                figures["in error with a reason"] += 1
                reason = (rec["ledger_sync_message"] or "no reason given").splitlines()[0].split(": ", 1)[-1]
                reason = re.sub(r"Chaos \w+ \w+ \d+", "<contact>", reason)[:100]
                errors[reason] += 1
            elif copies == 0:
                figures["lost (not in Xero, not in error)"] += 1
                if rec["ledger_sync_state"] == "queued":
                    pending_reasons[(rec["ledger_sync_message"] or "queued")[:90]] += 1
            figures["synced in Odoo"] += rec["ledger_sync_state"] == "done"
            figures["in Xero, not synced in Odoo"] += copies >= 1 and rec["ledger_sync_state"] != "done"
            figures["synced in Odoo, not in Xero"] += copies == 0 and rec["ledger_sync_state"] == "done"
            figures["  of which still queued at the end"] += copies == 0 and rec["ledger_sync_state"] == "queued"
    return figures, errors, pending_reasons


def cron_failures(log_file):
    """-> the error of each outbox cron run that raised (from the server's log)."""
    failures, expecting = [], False
    with open(log_file, errors="replace") as fh:
        for line in fh:
            if "Job 'Xero: send the outbox'" in line and " failed" in line:
                expecting = True
                failures.append("?")
            elif expecting and line.startswith(("psycopg2.", "odoo.", "ValueError", "KeyError", "TypeError")):
                failures[-1] = line.strip()[:160]
                expecting = False
    return failures


def run_webhook_half(**available):
    try:
        module = importlib.import_module("chaos_webhooks")
    except ImportError:
        print("webhook half: benchmarks/chaos_webhooks.py is not present (skipped)")
        return None
    params = inspect.signature(module.run).parameters
    accepts_any = any(p.kind == p.VAR_KEYWORD for p in params.values())
    kwargs = {k: v for k, v in available.items() if accepts_any or k in params}
    result = module.run(**kwargs)
    print("webhook half (chaos_webhooks.run):")
    for key, value in (result or {}).items():
        print("  %-34s %s" % (key, value))
    return result


def main():  # noqa: C901 - a benchmark's script: set up, run, print, one step after the other
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=10000)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--time-scale", type=float, default=10.0)
    parser.add_argument("--expire-every", type=float, default=300.0, help="simulated seconds")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--settle", type=float, default=0, help="max seconds to wait at the end (default: scaled "
                                                                   "with --documents)")
    parser.add_argument("--stall", type=float, default=180,
                        help="stop waiting when the outbox has not moved for this many seconds")
    parser.add_argument("--db")
    args = parser.parse_args()
    info = under_odoo_python()
    rng = random.Random(args.seed)
    db = args.db or "psa_xero_chaos_%d" % os.getpid()
    devtool.install_addon(info, db)
    server = OdooServer(info, db, workers=args.workers, cron_threads=1, log_file=log_path("chaos-odoo.log"))
    if os.path.exists(server.log_file):
        os.remove(server.log_file)
    harness = Harness(info, server.url + "/xero/oauth/callback", args=["--time-scale", str(args.time_scale)],
                      log_file=log_path("chaos-harness.log"))
    started = time.time()
    kills = 0
    try:
        server.start()
        rpc = Rpc(server.url)
        xero_ids = [t for _n, t in DEMO_ORGS[:2]]
        tenants = connect_xero(rpc, harness.url, xero_ids)
        first = rpc.call("res.users", "search_read", [["login", "=", "admin"]], ["company_id"])[0]["company_id"][0]
        companies = [first, second_company(rpc)]
        orgs = []
        for (name, remote_id), company in zip(DEMO_ORGS[:2], companies, strict=True):
            set_up_tenant(rpc, tenants[remote_id], company)
            orgs.append(Org(name, remote_id, tenants[remote_id], company))
        # a few partners first, so that documents have someone to go to
        serial = [0]
        for org in orgs:
            post_wave(rpc, org, ["contact"] * 4, rng, serial)
            for role in ("customer", "supplier"):
                if not org.partners[role]:
                    post_wave(rpc, org, ["contact"], rng, serial)
                    org.partners[role].append(org.contacts[-1])
        chaos(harness.admin, args.seed, args.expire_every)
        print("set-up: Odoo %s, 1 cron worker; harness time scale %gx; %d documents over 2 organisations, %d kills"
              % ("%d HTTP workers" % args.workers if args.workers else "threaded", args.time_scale,
                 args.documents, args.kills), flush=True)
        kinds = plan(max(0, args.documents - 12), rng)
        waves = args.kills + 1
        per_wave = -(-len(kinds) // waves)
        for wave in range(waves):
            chunk = kinds[wave * per_wave:(wave + 1) * per_wave]
            for n, org in enumerate(orgs):
                post_wave(rpc, org, chunk[n::2], rng, serial)
            print("  %6.0f s  wave %d posted (%d records); outbox waiting: %d" % (
                time.time() - started, wave + 1, len(chunk), outbox_pending(rpc)), flush=True)
            if wave < args.kills:
                # kill while the outbox is busy: wait until the worker is sending
                time.sleep(rng.uniform(1.0, 4.0))
                server.kill()
                kills += 1
                print("  %6.0f s  SIGKILL %d (outbox had work)" % (time.time() - started, kills), flush=True)
                time.sleep(rng.uniform(0.5, 2.0))
                server.start()
                rpc = Rpc(server.url)
                server.wake_crons()
        settle = args.settle or max(300, args.documents * 0.6)
        deadline = time.time() + settle
        last, since, stalled = None, time.time(), False
        while time.time() < deadline:
            left = outbox_pending(rpc)
            if not left:
                break
            if left != last:
                print("  %6.0f s  outbox waiting: %d" % (time.time() - started, left), flush=True)
                last, since = left, time.time()
            elif time.time() - since > args.stall:
                stalled = True
                print("  %6.0f s  outbox stalled: %d rows, unchanged for %.0f s" % (
                    time.time() - started, left, args.stall), flush=True)
                break
            time.sleep(5)
        wall = time.time() - started
        if harness.proc.poll() is not None:
            raise SystemExit("the harness process ended (exit %s) before the figures could be read: see %s"
                             % (harness.proc.returncode, log_path("chaos-harness.log")))
        figures, errors, pending = count_copies(rpc, harness.admin, orgs)
        injected = harness.admin.get("/faults/log")["totals"]
        expiry = harness.admin.get("/tokens/expire-every")
        print("\nchaos run: %d documents, %d SIGKILLs, %s" % (figures["documents"], kills, ", ".join(
            "%s %d" % kv for kv in sorted(injected.items()))) + ", token expiry rounds %d" % expiry["rounds"])
        for key in ("documents", "in Xero once", "synced in Odoo", "lost (not in Xero, not in error)",
                    "  of which still queued at the end", "synced in Odoo, not in Xero", "in Xero, not synced in Odoo",
                    "duplicated in Xero", "extra copies in Xero", "in error with a reason"):
            goal = {"lost (not in Xero, not in error)": "  (goal 0)", "duplicated in Xero": "  (goal 0)"}.get(key, "")
            print("  %-34s %6d%s" % (key, figures[key], goal))
        for reason, n in errors.most_common(8):
            print("    error x%-5d %s" % (n, reason))
        for reason, n in pending.most_common(5):
            print("    still queued x%-4d %s" % (n, reason))
        left = outbox_pending(rpc)
        print("  %-34s %6d%s" % ("still waiting in the outbox", left, "  (stalled)" if stalled else ""))
        print("  %-34s %6.0f s" % ("wall time", wall))
        failures = cron_failures(server.log_file)
        if failures:
            print("  %-34s %6d  (first: %s)" % ("outbox cron runs that crashed", len(failures), failures[0]))
        harness.admin.delete("/faults")
        harness.admin.post("/tokens/expire-every", {"every": None})
        run_webhook_half(odoo_url=server.url, harness_url=harness.url, db=db, rpc=rpc, info=info,
                         tenants={o.remote_id: o.tenant_id for o in orgs})
    finally:
        server.kill()
        harness.close()
        if not args.db:
            drop_db(db)


if __name__ == "__main__":
    main()
