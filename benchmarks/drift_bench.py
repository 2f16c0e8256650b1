"""Benchmark of issue #13's drift report: one organisation with 20,000 invoices in Odoo and in
Xero (the harness, Xero's limits on: 60 calls a minute, 5,000 a day), some of them changed
behind Odoo's back; the report run in full, then again on the changes only. Prints figures;
asserts nothing.

    python benchmarks/drift_bench.py [--documents 20000] [--db NAME]

Seeding 20,000 posted invoices through Odoo's posting takes ~25 ms each on this machine (over
8 minutes), so the benchmark seeds what the report reads, not what posting does:
- Odoo: one invoice created and posted by the ORM, then copied N times by one SQL
  ``INSERT … SELECT`` over ``generate_series`` (each copy: its own name, sequence number and
  total; the journal items are not copied — the report reads only the moves);
- Xero: the same invoices (number, contact, one line of the same amount, AUTHORISED) written
  by the harness's own write rules through its ``documents/bulk`` admin route, 2,000 a request;
- the links between them: one SQL ``INSERT`` of the N ``ledger_link`` rows.
Then, behind Odoo's back: 20 totals changed, 10 invoices removed, 10 deleted, 10 created in Xero.
"""

import argparse
import os
import resource
import sys
import time
from datetime import timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Bench, under_odoo_python  # noqa: E402


def clone_moves(env, template, count):
    """``count`` copies of the posted move ``template`` (account_move rows only). -> [(id, name, total)]"""
    cr = env.cr
    cr.execute("""SELECT column_name FROM information_schema.columns
                   WHERE table_name = 'account_move' AND column_name <> 'id'""")
    columns = [row[0] for row in cr.fetchall()]
    overrides = {
        "name": "'INV/BENCH/' || lpad(g::text, 6, '0')",
        "sequence_prefix": "'INV/BENCH/'", "sequence_number": "g",
        "amount_total": "(100 + g %% 500)::numeric", "amount_total_signed": "(100 + g %% 500)::numeric",
        "amount_total_in_currency_signed": "(100 + g %% 500)::numeric",
        "amount_untaxed": "(100 + g %% 500)::numeric", "amount_untaxed_signed": "(100 + g %% 500)::numeric",
        "amount_untaxed_in_currency_signed": "(100 + g %% 500)::numeric",
        "amount_residual": "(100 + g %% 500)::numeric", "amount_residual_signed": "(100 + g %% 500)::numeric",
        "payment_reference": "'INV/BENCH/' || lpad(g::text, 6, '0')",
        "create_date": "now() AT TIME ZONE 'UTC'", "write_date": "now() AT TIME ZONE 'UTC'",
        "inalterable_hash": "NULL", "secure_sequence_number": "NULL", "access_token": "NULL",
    }
    select = ", ".join(overrides.get(c, '"%s"' % c) for c in columns)
    cr.execute('INSERT INTO account_move (%s) SELECT %s FROM account_move, generate_series(1, %%s) AS g '
               'WHERE account_move.id = %%s RETURNING id, name, amount_total'
               % (", ".join('"%s"' % c for c in columns), select), [count, template.id])
    return cr.fetchall()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=20000)
    parser.add_argument("--db")
    args = parser.parse_args()
    info = under_odoo_python()
    with Bench(info, args.db) as bench:
        import requests
        from psycopg2.extras import execute_values

        from harness.seed import DEMO_ORGS
        org = DEMO_ORGS[0][1]
        admin = bench.base + "/__harness__"
        token = bench.connect(tenants=[org])
        from odoo import SUPERUSER_ID, Command, api, fields, sql_db
        with bench.registry().cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            tenant = bench.tenant(env, token, org, env.company)
            tenant.write({"sync_customers": True})
            partner = env["res.partner"].create({
                "name": "Drift Customer Ltd", "is_company": True, "customer_rank": 1,
                "child_ids": [Command.create({"name": "Bill Payer", "type": "invoice", "email": "bp@drift.example"})]})
            env["ledger.outbox"]._cron_process(commit=False)  # the customer goes to Xero: its ContactID
            contact_id = env["ledger.link"]._link_of(tenant, partner).remote_id
            template = env["account.move"].create({
                "move_type": "out_invoice", "partner_id": partner.id, "invoice_date": "2026-11-10",
                "invoice_date_due": "2026-12-10", "invoice_line_ids": [Command.create({
                    "name": "Managed services", "quantity": 1, "price_unit": 100, "tax_ids": [Command.clear()]})]})
            template.action_post()  # sync_invoices is off: not queued
            started = time.time()
            moves = clone_moves(env, template, args.documents)
            cr.execute("UPDATE account_move SET state = 'cancel' WHERE id = %s", [template.id])  # not measured
            seeded_odoo = time.time() - started
            started = time.time()
            xero_ids = []
            for i in range(0, len(moves), 2000):
                elements = [{"Type": "ACCREC", "Contact": {"ContactID": contact_id}, "Status": "AUTHORISED",
                             "InvoiceNumber": name, "Date": "2026-11-10", "DueDate": "2026-12-10",
                             "LineAmountTypes": "NoTax", "LineItems": [{"Description": "Managed services",
                                                                        "Quantity": 1, "UnitAmount": float(total),
                                                                        "AccountCode": "200"}]}
                            for _id, name, total in moves[i:i + 2000]]
                out = requests.post(admin + "/documents/bulk", json={"tenant": org, "collection": "Invoices",
                                                                     "elements": elements}, timeout=600).json()
                if out["errors"]:
                    raise SystemExit("harness refused the seed: %s" % out["errors"][:3])
                xero_ids += out["ids"]
            seeded_xero = time.time() - started
            execute_values(cr, """INSERT INTO ledger_link (tenant_id, company_id, res_model, res_id, remote_id,
                                                         remote_name, create_uid, write_uid, create_date, write_date)
                                  VALUES %s""",
                           [(tenant.id, env.company.id, "account.move", move_id, remote_id, name, 1, 1,
                             fields.Datetime.now(), fields.Datetime.now())
                            for (move_id, name, _t), remote_id in zip(moves, xero_ids, strict=True)], page_size=5000)
            tenant.write({"sync_invoices": True})
            env.invalidate_all()
            cr.commit()

            def edit(remote_id, **change):
                requests.post(admin + "/documents/edit", json=dict(change, tenant=org, collection="Invoices",
                                                                   id=remote_id), timeout=60).raise_for_status()

            for remote_id in xero_ids[:20]:
                edit(remote_id, UnitAmount=1)
            for remote_id in xero_ids[20:30]:
                edit(remote_id, remove=True)
            for remote_id in xero_ids[30:40]:
                edit(remote_id, Status="DELETED")
            requests.post(admin + "/documents/bulk", json={"tenant": org, "collection": "Invoices", "elements": [
                {"Type": "ACCREC", "Contact": {"ContactID": contact_id}, "Status": "AUTHORISED",
                 "InvoiceNumber": "XERO-ONLY-%d" % i, "DueDate": "2026-12-10", "LineAmountTypes": "NoTax",
                 "LineItems": [{"Description": "x", "Quantity": 1, "UnitAmount": 5, "AccountCode": "200"}]}
                for i in range(10)]}, timeout=60).raise_for_status()

            Drift, Log = env["ledger.drift"], env["ledger.request.log"]

            def measure(full):
                env.invalidate_all()
                log_before = Log.search([], order="id desc", limit=1).id
                rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                sql_before = sql_db.sql_counter
                started = time.time()
                result = Drift._run(tenant, full=full)
                env.flush_all()
                elapsed = time.time() - started
                calls = Log.search([("id", ">", log_before), ("direction", "=", "outbound")])
                cr.commit()
                return dict(result, elapsed=elapsed, logged=len(calls),
                            refused=len(calls.filtered(lambda c: c.status_code == 429)),
                            rss=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, rss_before=rss_before,
                            sql=sql_db.sql_counter - sql_before)

            first = measure(True)
            kinds = dict(env["ledger.drift.line"]._read_group([("tenant_id", "=", tenant.id), ("state", "=", "open")],
                                                            ["kind"], ["__count"]))
            # a night passes; a few documents change in Xero; the nightly run reads only those
            requests.post(admin + "/clock/advance", json={"seconds": 600}, timeout=30).raise_for_status()
            tenant.drift_checked_at = fields.Datetime.now() + timedelta(minutes=5)
            for remote_id in xero_ids[40:50]:
                edit(remote_id, Status="VOIDED")
            second = measure(False)
            n = args.documents
            print("drift report over %d invoices in one organisation, Xero limits on (60 calls/min, 5,000/day)" % n)
            print("  seeding                Odoo %.1f s (SQL copies of one posted invoice), Xero %.1f s "
                  "(harness bulk route), links by one INSERT" % (seeded_odoo, seeded_xero))
            for label, run in (("full run", first), ("changes only", second)):
                print("  %-22s %.1f s wall (goal <= 60 s), %d Xero calls = %.2f per 100 documents "
                      "(goal <= 1), %d answered 429, %d Xero records compared, %d differences, %d SQL queries"
                      % (label, run["elapsed"], run["calls"], run["calls"] * 100.0 / n, run["refused"],
                         run["documents"], run["differences"], run["sql"]))
                print("  %-22s peak RSS %.0f MB (+%.0f MB during the run)"
                      % ("", run["rss"] / 1024, (run["rss"] - run["rss_before"]) / 1024))
            print("  differences found      %s (expected: 20 total, 10 missing in Xero, 10 status DELETED, "
                  "10 missing in Odoo)" % ", ".join("%s %d" % kv for kv in sorted(kinds.items())))


if __name__ == "__main__":
    main()
