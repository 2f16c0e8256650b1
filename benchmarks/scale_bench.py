"""Scale benchmark of issue #14: many Xero organisations sending at once through a real Odoo
server. Prints figures; asserts nothing.

    python benchmarks/scale_bench.py [--orgs 20] [--documents 1000] [--workers 2] [--cron-threads 2]
                                     [--time-scale 10] [--app-minute 10000] [--template DB] [--db NAME]

- ``--orgs`` organisations in the harness (the two demo ones and more made through its admin
  API), each connected to an Odoo company of its own (with a chart of accounts);
- ``--documents`` invoices per organisation (to ``--customers`` customers each), created and
  posted with the sync switched off — in this process, through the ORM, in batches — then the
  switches go on and every invoice and customer is queued in one transaction: the whole
  backlog arrives at once;
- a real Odoo server (``--workers`` HTTP workers, ``--cron-threads`` cron workers) sends it;
  the harness runs at ``--time-scale`` (Xero's minute limits, token lifetimes and Retry-After
  scale with it; its 5 concurrent calls per organisation do not), ``--app-minute`` sets its
  app-wide limit (Xero's: 10,000 a minute).

Figures: documents per second over all organisations (from the moment the queue transaction
committed until the last row was answered), CPU per document (the Odoo server's processes, the
harness, the PostgreSQL backends of this database), each organisation's completion time and
Jain's fairness index over the organisations' throughputs (documents / completion time; 1 =
all equal), the calls and the 429s by kind (X-Rate-Limit-Problem) from Odoo's request log, and
the lowest X-MinLimit-Remaining / X-AppMinLimit-Remaining Xero reported. The harness refuses
any call over a limit (429 of that kind), so no 429 means no limit was exceeded.

``--template DB``: copy a database that has the addon installed (an install takes minutes).
``--prepared DB``: the companies, organisations, customers and posted invoices are made once
(posting 20,000 invoices through the ORM takes ~10 minutes here) and kept in the database
``DB``; a later run with the same ``--orgs/--documents/--customers`` copies it
(``createdb -T``, seconds) and only re-creates what lives in the harness's memory: its
organisations (same tenant IDs), their MISC item, and the connection's tokens and URLs.
"""

import argparse
import collections
import json
import os
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import under_odoo_python  # noqa: E402

from harness.seed import DEMO_ITEMS, DEMO_ORGS  # noqa: E402
from tools import devtool  # noqa: E402
from tools.odoo_server import CLIENT_ID, CLIENT_SECRET, Harness, OdooServer, copy_db, drop_db, log_path  # noqa: E402

REDIRECT = "http://odoo.bench/xero/oauth/callback"
OPEN = ("queued", "waiting", "sending", "retry")
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(match):
    """CPU (user + system, reaped children included) of the processes ``match(pid, pgrp)`` selects."""
    total = 0
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name) as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if match(int(name), int(fields[2])):
            total += sum(int(v) for v in fields[11:15])
    return total / TICK


def jain(values):
    return sum(values) ** 2 / (len(values) * sum(v * v for v in values)) if values else 0.0


def organisations(harness, count):
    """-> [(name, Xero tenant id)]: the demo ones, then more made at the harness."""
    orgs = list(DEMO_ORGS[:count])
    for n in range(len(orgs), count):
        tenant_id = str(uuid.UUID(int=0x5CA1E0000000400080000000000000 + n))
        org = harness.admin.post("/organisations", {"name": "Scale Org %02d" % n, "tenant_id": tenant_id})
        orgs.append((org.get("Name", "Scale Org %02d" % n), tenant_id))
    return orgs


def set_up(env, harness, token, orgs, args):
    """Companies, tenants, customers and posted invoices, with the sync off. -> [(tenant, partner, move ids)]"""
    from odoo import Command, fields
    icp = env["ir.config_parameter"]
    for key, value in {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                       "token_url": harness.url + "/identity/connect/token",
                       "connections_url": harness.url + "/connections",
                       "api_url": harness.url + "/api.xro/2.0"}.items():
        icp.set_param("psa_xero_connector." + key, value)
    connection = env["ledger.connection"].create({
        "name": "scale", "access_token": token["access_token"], "refresh_token": token["refresh_token"],
        # the harness's clock runs --time-scale times faster: the token lives that much shorter
        "access_expires_at": fields.Datetime.add(fields.Datetime.now(),
                                                 seconds=int(token.get("expires_in", 1800) / args.time_scale))})
    env.cr.commit()  # a token refresh locks the connection in a transaction of its own
    gbp = env.ref("base.GBP")
    gbp.active = True
    made = []
    for n, (name, remote_id) in enumerate(orgs):
        started = time.time()
        # a company of its own in GBP, the organisations' base currency (the main company's is USD)
        company = env["res.company"].create({"name": "Scale Co %02d" % n, "currency_id": gbp.id})
        env["account.chart.template"].try_loading("generic_coa", company, install_demo=False)
        company.currency_id = gbp  # the chart template sets USD; no entry is made yet
        cenv = env(context=dict(env.context, allowed_company_ids=[company.id]))
        tenant = cenv["ledger.tenant"].create({"name": name, "remote_id": remote_id, "connection_id": connection.id,
                                             "company_id": company.id})
        env.cr.commit()  # the new tenant's key lock on the connection would block a token refresh
        # a fresh token first (its own transaction): a refresh in the middle of the import
        # would make this transaction fail to serialise when it next writes the tenant
        connection._get_access_token(rejected=connection.access_token)
        env.cr.commit()  # this transaction's next snapshot sees the refreshed connection
        cenv["xero.importer"]._import(tenant, ["products"])
        env.cr.commit()
        misc = cenv["ledger.item"].search([("tenant_id", "=", tenant.id), ("code", "=", "MISC")])
        tenant.write({"catchall_invoice_item_id": misc.id})  # every switch stays off while the data is made
        partners = cenv["res.partner"].create([{
            "name": "Scale customer %02d-%02d" % (n, c), "is_company": True, "customer_rank": 1,
            "company_id": company.id,
            "child_ids": [Command.create({"name": "Pat Payer %02d-%02d" % (n, c), "type": "invoice",
                                          "email": "ap%02d%02d@scale.example" % (n, c)})]}
            for c in range(args.customers)])
        moves = cenv["account.move"]
        for start in range(0, args.documents, 250):
            chunk = cenv["account.move"].create([{
                "move_type": "out_invoice", "partner_id": partners[i % len(partners)].id,
                "invoice_date": "2026-11-20", "invoice_date_due": "2026-12-20",
                "invoice_line_ids": [Command.create({"name": "Managed services %d" % i, "quantity": 1 + i % 3,
                                                     "price_unit": 40 + i % 50, "tax_ids": [Command.clear()]})]}
                for i in range(start, min(start + 250, args.documents))])
            chunk.action_post()
            moves |= chunk
            env.cr.commit()
        made.append((tenant.id, partners.ids, moves.ids))
        print("  org %2d: company, items and %d posted invoices in %.0f s" % (n + 1, len(moves), time.time() - started),
              flush=True)
    return made


PREPARED_KEY = "psa_xero_connector.scale_bench_prepared"


def prepared_shape(args):
    return {"orgs": args.orgs, "documents": args.documents, "customers": args.customers}


def read_prepared(db, args):
    """-> ``made`` (see set_up) kept in ``db`` for this shape of run, or None."""
    import subprocess
    out = subprocess.run(["psql", "-XAtq", "-d", db, "-c", "SELECT value FROM ir_config_parameter WHERE key = '%s'"
                          % PREPARED_KEY], capture_output=True, text=True)
    if out.returncode != 0 or not out.stdout.strip():
        return None
    kept = json.loads(out.stdout.strip())
    return kept["made"] if kept.get("shape") == prepared_shape(args) else None


def may_replace(db):
    """``--prepared`` replaces the database of that name: only one this benchmark made (it
    carries PREPARED_KEY), or none — never a database named by mistake."""
    import subprocess
    exists = subprocess.run(["psql", "-XAtq", "-d", "postgres", "-c",
                             "SELECT 1 FROM pg_database WHERE datname = '%s'" % db.replace("'", "''")],
                            capture_output=True, text=True)
    if exists.returncode == 0 and not exists.stdout.strip():
        return True
    ours = subprocess.run(["psql", "-XAtq", "-d", db, "-c", "SELECT 1 FROM ir_config_parameter WHERE key = '%s'"
                           % PREPARED_KEY], capture_output=True, text=True)
    return ours.returncode == 0 and bool(ours.stdout.strip())


def keep_prepared(env, made, args):
    env["ir.config_parameter"].set_param(PREPARED_KEY, json.dumps({"shape": prepared_shape(args), "made": made}))
    env.cr.commit()


def reconnect(env, harness, token, args):
    """A prepared database met a new harness: its URLs and the connection's tokens are the new ones."""
    from odoo import fields
    icp = env["ir.config_parameter"]
    for key, value in {"token_url": harness.url + "/identity/connect/token",
                       "connections_url": harness.url + "/connections",
                       "api_url": harness.url + "/api.xro/2.0"}.items():
        icp.set_param("psa_xero_connector." + key, value)
    env["ledger.connection"].search([("name", "=", "scale")]).write({
        "access_token": token["access_token"], "refresh_token": token["refresh_token"],
        "access_expires_at": fields.Datetime.add(fields.Datetime.now(),
                                                 seconds=int(token.get("expires_in", 1800) / args.time_scale))})
    env.cr.commit()


def prepare(registry, db, harness, token, orgs, made, args):
    """The posted invoices: made now (and kept if ``--prepared``), or those of the prepared
    copy reconnected to this harness. -> registry, made, {tenant: name}, {tenant: invoices}"""
    from odoo import SUPERUSER_ID, api, sql_db
    from odoo.modules.registry import Registry
    made_at = time.time()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if made:
            reconnect(env, harness, token, args)
        else:
            made = set_up(env, harness, token, orgs, args)
            print("  %d invoices created and posted in %.0f s (sync off)"
                  % (sum(len(m) for _t, _p, m in made), time.time() - made_at))
            if args.prepared:
                keep_prepared(env, made, args)
        names = {t: env["ledger.tenant"].browse(t).name for t, _p, _m in made}
        documents = {t: len(moves) for t, _p, moves in made}
    if args.prepared and read_prepared(args.prepared, args) is None:
        sql_db.close_db(db)  # createdb -T needs the database without sessions
        Registry.delete(db)
        copy_db(db, args.prepared)  # kept for the next run
        registry = Registry(db)
        print("  kept as the prepared database %s" % args.prepared)
    return registry, made, names, documents


def enqueue(env, made):
    """Every switch on, every customer and invoice queued: one transaction, one commit."""
    Outbox = env["ledger.outbox"]
    for tenant_id, partner_ids, move_ids in made:
        tenant = env["ledger.tenant"].browse(tenant_id)
        partners, moves = env["res.partner"].browse(partner_ids), env["account.move"].browse(move_ids)
        tenant.write({"sync_customers": True, "sync_invoices": True})
        Outbox._enqueue(partners, tenant, "contact")
        Outbox._enqueue(moves, tenant, "invoice")
    env.cr.commit()
    return time.time()


def progress(cr):
    """-> {tenant id: rows not answered yet}, {tenant id: rows}"""
    cr.execute("SELECT tenant_id, count(*) FILTER (WHERE state IN %s), count(*) FROM ledger_outbox GROUP BY tenant_id",
               [OPEN])
    rows = cr.fetchall()
    cr.commit()
    return {t: o for t, o, _n in rows}, {t: n for t, _o, n in rows}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, default=20)
    parser.add_argument("--documents", type=int, default=1000, help="invoices per organisation")
    parser.add_argument("--customers", type=int, default=5, help="customers per organisation")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cron-threads", type=int, default=2)
    parser.add_argument("--time-scale", type=float, default=10.0)
    parser.add_argument("--app-minute", type=int, default=10000, help="the harness's app-wide calls per minute")
    parser.add_argument("--timeout", type=float, default=900, help="seconds to wait for the outbox")
    parser.add_argument("--template", help="a database with the addon installed, copied instead of installing")
    parser.add_argument("--prepared", help="a database keeping the posted invoices between runs (made if missing)")
    parser.add_argument("--db")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    info = under_odoo_python()
    db = args.db or "psa_xero_scale_%d" % os.getpid()
    started = time.time()
    made = read_prepared(args.prepared, args) if args.prepared else None
    if args.prepared and not made and not may_replace(args.prepared):
        sys.exit("--prepared %s: a database of that name exists and is not one this benchmark prepared; "
                 "name another" % args.prepared)
    if made:
        copy_db(args.prepared, db)
        print("copied the prepared database %s (%d organisations x %d invoices) in %.0f s"
              % (args.prepared, args.orgs, args.documents, time.time() - started), flush=True)
    elif args.template:
        copy_db(args.template, db)
    else:
        devtool.install_addon(info, db)
    harness = Harness(info, REDIRECT, args=["--time-scale", str(args.time_scale)],
                      log_file=log_path("scale-harness.log"))
    server = OdooServer(info, db, workers=args.workers, cron_threads=args.cron_threads,
                        log_file=log_path("scale-odoo.log"))
    if os.path.exists(server.log_file):
        os.remove(server.log_file)
    try:
        harness.admin.limits(app_minute=args.app_minute, reset=True)
        orgs = organisations(harness, args.orgs)
        from harness.testing import connect
        token = connect(harness.url, CLIENT_ID, CLIENT_SECRET, REDIRECT, [
            "offline_access", "accounting.transactions", "accounting.contacts", "accounting.settings"],
            tenants=[t for _n, t in orgs])
        import requests
        misc = [item for item in DEMO_ITEMS if item["Code"] == "MISC"]
        for _name, remote_id in orgs[len(DEMO_ORGS):]:  # the demo organisations have it already
            requests.put(harness.url + "/api.xro/2.0/Items", json={"Items": misc}, timeout=30, headers={
                "Authorization": "Bearer " + token["access_token"], "xero-tenant-id": remote_id}).raise_for_status()
        from odoo import SUPERUSER_ID, api
        from odoo.modules.registry import Registry
        from odoo.tools import config
        config.parse_config(["-d", db, "--addons-path", info.addons_path, "--log-level", "warn"])
        registry = Registry(db)
        print("set-up: %d organisations x %d invoices (+%d customers each); Odoo %d HTTP workers, %d cron "
              "workers; harness time scale %gx, app limit %d/min" % (
                  args.orgs, args.documents, args.customers, args.workers, args.cron_threads, args.time_scale,
                  args.app_minute), flush=True)
        registry, made, names, documents = prepare(registry, db, harness, token, orgs, made, args)
        server.start()
        odoo_pgrp = server.pid
        with registry.cursor() as cr:
            # warm-up: each cron worker loads the registry on its first job
            env = api.Environment(cr, SUPERUSER_ID, {})
            for xml_id in ("ir_cron_ledger_outbox", "ir_cron_ledger_outbox_2", "ir_cron_ledger_events"):
                env.ref("psa_xero_connector." + xml_id)._trigger()
        server.wake_crons(timeout=120)
        time.sleep(3)
        with registry.cursor() as cr:
            cr.execute("SELECT COALESCE(max(id), 0) FROM ledger_request_log")
            log_before = cr.fetchone()[0]
            cr.commit()

            def pg_pids():
                cr.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [db])
                return {r[0] for r in cr.fetchall()}
            cpu_odoo0 = cpu_seconds(lambda pid, pgrp: pgrp == odoo_pgrp)
            cpu_harness0 = cpu_seconds(lambda pid, pgrp: pgrp == harness.proc.pid)
            pg0 = {pid: cpu_seconds(lambda p, _g, pid=pid: p == pid) for pid in pg_pids()}
            env = api.Environment(cr, SUPERUSER_ID, {})
            t0 = enqueue(env, made)
            done_at, stalled = {}, False
            last_open, since = None, time.time()
            loads = [os.getloadavg()[0]]  # the machine is shared: what else ran meanwhile
            while time.time() - t0 < args.timeout:
                open_rows, total_rows = progress(cr)
                loads.append(os.getloadavg()[0])
                now = time.time()
                for tenant_id, left in open_rows.items():
                    if not left and tenant_id not in done_at:
                        done_at[tenant_id] = now - t0
                left = sum(open_rows.values())
                if not left:
                    break
                if left != last_open:
                    last_open, since = left, now
                elif now - since > 120:
                    stalled = True
                    break
                time.sleep(0.2)
            wall = time.time() - t0
            cpu_odoo = cpu_seconds(lambda pid, pgrp: pgrp == odoo_pgrp) - cpu_odoo0
            cpu_harness = cpu_seconds(lambda pid, pgrp: pgrp == harness.proc.pid) - cpu_harness0
            cpu_pg = sum(cpu_seconds(lambda p, _g, pid=pid: p == pid) - pg0.get(pid, 0) for pid in pg_pids())
            cr.execute("SELECT state, count(*) FROM ledger_outbox GROUP BY state")
            states = dict(cr.fetchall())
            cr.execute("SELECT tenant_id, status_code, operation, response_headers FROM ledger_request_log "
                       "WHERE id > %s AND direction = 'outbound'", [log_before])
            log = cr.fetchall()
        print_figures(args, names, documents, done_at, wall, stalled, states, log, cpu_odoo, cpu_harness, cpu_pg,
                      harness, started, loads)
    finally:
        server.stop()
        harness.close()
        if not args.keep_db:
            drop_db(db)


def print_figures(args, names, documents, done_at, wall, stalled, states, log, cpu_odoo, cpu_harness, cpu_pg,
                  harness, started, loads):
    total_docs = sum(documents.values())
    answered = states.get("done", 0)
    print("\nscale run: %d organisations x %d invoices = %d documents (+ %d customers), queued at once"
          % (len(names), args.documents, total_docs, len(names) * args.customers))
    print("  %-40s %s" % ("outbox rows by state", ", ".join("%s %d" % kv for kv in sorted(states.items()))))
    print("  %-40s %.1f s%s" % ("wall time, queued -> all answered", wall, "  (STALLED)" if stalled else ""))
    print("  %-40s %.0f documents/s  (goal >= 500)" % ("aggregate throughput", answered / wall))
    print("  %-40s %.1f - %.1f (1-minute, sampled while it ran)" % ("load average", min(loads), max(loads)))
    per_doc = lambda s: 1000.0 * s / max(answered, 1)  # noqa: E731
    print("  %-40s %.2f ms Odoo + %.2f ms PostgreSQL + %.2f ms harness = %.2f ms per document" % (
        "CPU", per_doc(cpu_odoo), per_doc(cpu_pg), per_doc(cpu_harness), per_doc(cpu_odoo + cpu_pg + cpu_harness)))
    times = [done_at.get(t, wall) for t in names]
    throughputs = [documents[t] / max(done_at.get(t, wall), 1e-3) for t in names]
    print("  %-40s min %.1f s, median %.1f s, max %.1f s" % (
        "per-organisation completion", min(times), sorted(times)[len(times) // 2], max(times)))
    print("  %-40s %.3f  (goal >= 0.95)" % ("Jain's fairness index (throughputs)", jain(throughputs)))
    print("  %-40s %.3f" % ("Jain's index of completion times", jain(times)))
    for tenant_id in sorted(names, key=lambda t: done_at.get(t, wall)):
        print("    %-32s %5d documents  done at %6.1f s" % (names[tenant_id], documents[tenant_id],
                                                           done_at.get(tenant_id, wall)))
    calls = collections.Counter()
    refused = collections.Counter()
    lowest = {"x-minlimit-remaining": None, "x-appminlimit-remaining": None}
    for _tenant, status, operation, headers in log:
        calls[operation] += 1
        lower = {k.lower(): v for k, v in (json.loads(headers) if headers else {}).items()}
        if status == 429:
            refused[lower.get("x-rate-limit-problem", "?")] += 1
        for key in lowest:
            if key in lower and status != 429:
                value = int(lower[key])
                lowest[key] = value if lowest[key] is None else min(lowest[key], value)
    print("  %-40s %d (%s)" % ("calls to Xero", sum(calls.values()), ", ".join(
        "%s %d" % kv for kv in calls.most_common())))
    print("  %-40s %s  (goal: 0 appminute)" % ("429s by kind", ", ".join(
        "%s %d" % kv for kv in sorted(refused.items())) or "none"))
    print("  %-40s minute %s, app minute %s (never below 0: the harness refuses any call over a limit)" % (
        "lowest remaining Xero reported", lowest["x-minlimit-remaining"], lowest["x-appminlimit-remaining"]))
    used = harness.admin.get("/limits").get("used", {})
    print("  %-40s %d (of 5,000 a day)" % ("most calls of one organisation today", max(
        (u["day"] for u in used.values()), default=0)))
    print("  %-40s %.0f s" % ("benchmark wall time (set-up included)", time.time() - started))


if __name__ == "__main__":
    main()
