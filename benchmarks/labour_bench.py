"""Benchmark of issue #25: a month of an MSP — 200 customers x 50 time entries over 3 charge
types — invoiced and posted in one run. Prints figures; asserts nothing.

    python benchmarks/labour_bench.py [--customers 200] [--entries 50] [--no-xero]

- time and SQL queries to invoice the month and post the invoices with psa_labour_billing
  (charge type rules, one line per charge type listing the work) against Odoo's own
  sale_timesheet invoicing (its "Create invoice" with a period) on the same data, in a database
  with sale_timesheet alone (goal: <= 1.15x);
- then every invoice to the harness with Xero's real limits (60 calls a minute): documents per
  minute against the ceiling of 60 calls x 50 documents.
It finds Odoo like ./run does, installs both databases, runs the harness in its own process,
and drops what it created.
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Bench, under_odoo_python  # noqa: E402

CHARGE_TYPES = (("REMOTE-SUPPORT", 85.0, 30, 15, "entry"), ("ONSITE-VISIT", 120.0, 60, 30, "day"),
                ("PROJECT-WORK", 110.0, 0, 6, "entry"))
PERIOD = ("2026-11-01", "2026-11-30")


def make_month(env, customers, entries, labour):
    """Customers, each with a confirmed order of the 3 charge types and a billable project; their
    month of time. With ``labour`` the entries carry a charge type and are routed by the module;
    without, they name their sales line (Odoo's own way)."""
    from odoo import Command
    gbp = env.ref("base.GBP")
    hour = env.ref("uom.product_uom_hour")
    env["product.pricelist"].with_context(active_test=False).search([]).write({"currency_id": gbp.id})
    products = []
    for code, price, minimum, increment, scope in CHARGE_TYPES:
        template = env["product.template"].search([("default_code", "=", code)], limit=1) or \
            env["product.template"].create({"name": code.title(), "default_code": code})
        vals = {"type": "service", "service_type": "timesheet", "invoice_policy": "delivery", "list_price": price,
                "uom_id": hour.id, "uom_po_id": hour.id, "taxes_id": [Command.clear()]}
        if labour:
            vals.update(labour_minimum=minimum, labour_increment=increment, labour_scope=scope)
        template.write(vals)
        products.append(template.product_variant_id)
    techs = env["hr.employee"].create([{"name": "Tech %s" % n} for n in ("Ann Lee", "Bo Marsh", "Cy Ng")])
    # each customer with a person to bill: the connector sends Xero a customer only with one (its
    # first and last name), and an invoice waits for its contact
    partners = env["res.partner"].create([{"name": "Bench Customer %03d" % i, "is_company": True,
                                           "email": "ap%03d@bench.example" % i, "child_ids": [Command.create({
                                               "name": "Pat Payer%03d" % i, "type": "invoice",
                                               "email": "pat%03d@bench.example" % i})]}
                                          for i in range(customers)])
    orders = env["sale.order"].create([{"partner_id": p.id, "order_line": [
        Command.create({"product_id": prod.id, "product_uom_qty": 0}) for prod in products]} for p in partners])
    orders.action_confirm()
    projects = env["project.project"].create([{"name": "Support %s" % p.name, "partner_id": p.id,
                                               "allow_billable": True, "allow_timesheets": True} for p in partners])
    tasks = env["project.task"].create([{"name": "Ticket %d" % j, "project_id": pr.id, "partner_id": pr.partner_id.id}
                                        for pr in projects for j in range(5)])
    by_project = {}
    for task in tasks:
        by_project.setdefault(task.project_id.id, []).append(task)
    vals = []
    for order, project in zip(orders, projects, strict=True):
        lines = order.order_line.sorted("id")
        for k in range(entries):
            kind = k % 3
            entry = {"name": "Work %d" % k, "project_id": project.id, "task_id": by_project[project.id][k % 5].id,
                     "employee_id": techs[k % 3].id, "date": "2026-11-%02d" % (1 + k % 28),
                     "unit_amount": round(0.1 + (k * 7 % 23) / 10.0, 2)}
            entry.update({"charge_type_id": products[kind].id} if labour else {"so_line": lines[kind].id})
            vals.append(entry)
    started = time.perf_counter()
    for chunk in range(0, len(vals), 500):
        env["account.analytic.line"].create(vals[chunk:chunk + 500])
    env.flush_all()
    return orders, time.perf_counter() - started


def invoice_month(env, orders, labour):
    """-> (invoices, seconds, SQL queries) to invoice the period and post."""
    from odoo import sql_db
    env.invalidate_all()
    before, started = sql_db.sql_counter, time.perf_counter()
    if labour:
        wizard = env["labour.invoice.wizard"].create({"date_from": PERIOD[0], "date_to": PERIOD[1],
                                                       "grouping": "charge_type"})
        invoices = env["account.move"].search(wizard.action_create_invoices()["domain"])
    else:
        wizard = env["sale.advance.payment.inv"].with_context(active_model="sale.order", active_ids=orders.ids).create({
            "advance_payment_method": "delivered", "sale_order_ids": [(6, 0, orders.ids)],
            "consolidated_billing": True, "date_start_invoice_timesheet": PERIOD[0],
            "date_end_invoice_timesheet": PERIOD[1]})
        invoices = wizard._create_invoices(orders)
    invoices.write({"invoice_date": PERIOD[1]})
    invoices.action_post()
    env.flush_all()
    return invoices, time.perf_counter() - started, sql_db.sql_counter - before


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=200)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--no-xero", action="store_true", help="skip sending the invoices to the harness")
    args = parser.parse_args()
    info = under_odoo_python()
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    from tools import devtool
    base_db, labour_db = "psa_labour_bench_odoo_%d" % os.getpid(), "psa_labour_bench_%d" % os.getpid()
    figures = {}
    try:
        # Odoo's own: sale_timesheet alone
        devtool.drop_db(base_db)
        import subprocess
        subprocess.run(info.launcher + ["-d", base_db, "--addons-path", info.addons_path, "-i", "sale_timesheet",
                                        "--stop-after-init", "--no-http", "--without-demo=all", "--log-level", "warn"],
                       env=info.env(), check=True, capture_output=True)
        devtool.install_addon(info, labour_db, extra_modules=("psa_labour_billing",))
        with Bench(info, labour_db) as bench:
            from odoo.tools import config
            # once: Odoo's config parses its options once per process; each database its registry
            config.parse_config(["-d", base_db, "--addons-path", info.addons_path, "--log-level", "warn"])
            for db, labour in ((base_db, False), (labour_db, True)):
                with Registry(db).cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    tenant = None
                    if labour and not args.no_xero:
                        from harness.seed import DEMO_ORGS
                        token = bench.connect(tenants=[DEMO_ORGS[0][1]])
                        tenant = bench.tenant(env, token, DEMO_ORGS[0][1], env.company)
                        env["xero.importer"]._import(tenant, ["products", "accounts"])
                        misc = env["ledger.item"].search([("tenant_id", "=", tenant.id), ("code", "=", "MISC")])
                        tenant.write({"catchall_invoice_item_id": misc.id, "sync_customers": True,
                                      "sync_invoices": False})  # the measured posting is Odoo's alone
                    else:
                        gbp = env.ref("base.GBP")
                        gbp.active = True
                        env.company.currency_id = gbp
                    orders, log_seconds = make_month(env, args.customers, args.entries, labour)
                    cr.commit()
                    invoices, seconds, queries = invoice_month(env, orders, labour)
                    figures[labour] = {"invoices": len(invoices), "lines": len(invoices.invoice_line_ids),
                                       "seconds": seconds, "queries": queries, "log_seconds": log_seconds,
                                       "total": sum(invoices.mapped("amount_total"))}
                    cr.commit()
                    if tenant:
                        Outbox, Log = env["ledger.outbox"], env["ledger.request.log"]
                        first_log = Log.search([], order="id desc", limit=1).id
                        tenant.sync_invoices = True
                        Outbox._enqueue(invoices, tenant, "invoice")  # what posting with the switch on queues
                        cr.commit()
                        started = time.time()
                        while Outbox.search_count([("state", "in", ("queued", "waiting", "sending", "retry"))]):
                            if not Outbox._cron_process(limit_batches=1000):
                                time.sleep(0.5)
                            if time.time() - started > 900:
                                break
                        elapsed = time.time() - started
                        done = Outbox.search_count([("res_model", "=", "account.move"), ("res_id", "in", invoices.ids),
                                                    ("state", "=", "done")])
                        failed = Outbox.search([("state", "=", "error")], limit=1)
                        if failed:  # why a document did not reach Xero: the row's own message
                            print("  first outbox error: %s" % failed.last_error)
                        contacts = Outbox.search_count([("res_model", "=", "res.partner"), ("state", "=", "done")])
                        calls = Log.search_count([("id", ">", first_log), ("operation", "like", "sync %")])
                        refused = Log.search_count([("id", ">", first_log), ("status_code", "=", 429)])
                        figures["xero"] = {"done": done, "elapsed": elapsed, "contacts": contacts, "calls": calls,
                                           "refused": refused, "per_minute": done / max(elapsed, 60.0) * 60.0}
                        cr.commit()
    finally:
        devtool.drop_db(base_db)
        devtool.drop_db(labour_db)
    own, mod = figures[False], figures[True]
    entries = args.customers * args.entries
    print("labour billing: %d customers x %d entries = %d time entries, 3 charge types"
          % (args.customers, args.entries, entries))
    print("  logging the month      %.1f s with the module (rules, routing) vs %.1f s Odoo's own"
          % (mod["log_seconds"], own["log_seconds"]))
    print("  invoice + post         %.1f s, %d queries with the module vs %.1f s, %d queries Odoo's own"
          % (mod["seconds"], mod["queries"], own["seconds"], own["queries"]))
    print("  ratio                  %.2fx time, %.2fx SQL (goal <= 1.15x)"
          % (mod["seconds"] / own["seconds"], mod["queries"] / max(own["queries"], 1)))
    print("  invoices / lines       %d / %d with the module, %d / %d Odoo's own"
          % (mod["invoices"], mod["lines"], own["invoices"], own["lines"]))
    if "xero" in figures:
        x = figures["xero"]
        print("  to the harness         %d of %d invoices (and %d customers) in %.1f s over %d calls, %d answered 429"
              % (x["done"], mod["invoices"], x["contacts"], x["elapsed"], x["calls"], x["refused"]))
        # under a minute, the rate is bounded by Xero's minute budget (as sync_bench counts it)
        print("  documents per minute   %.0f invoices per minute of Xero's budget (ceiling 60 calls x 50 = 3,000)"
              % x["per_minute"])


if __name__ == "__main__":
    main()
