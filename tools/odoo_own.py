"""Odoo's own accounting tests with the connector installed and active (``./run test --part
odoo-own``): a copy of the test database gets ``psa_xero_every_company`` (tools/odoo_own_addons),
which connects every company — also those Odoo's tests create for themselves — to a Xero
organisation with every switch on; then Odoo's standard runner (``odoo-bin --test-tags …
--stop-after-init``, as odoo.sh, runbot and OCA's CI run it) runs the chosen classes.

Nothing reaches Xero: Odoo's tests never commit, so the outbox's worker never runs; the
organisations point at a closed port, and a request-log row afterwards fails the run.
Standard library only.
"""

import os
import re
import socket
import subprocess
import time

from .odoo_env import REPO

HELPER = "psa_xero_every_company"
HELPER_PATH = os.path.join(REPO, "tools", "odoo_own_addons")

# Odoo's own test classes run by `./run test` (and CI). Chosen for what the connector overrides
# (posting and cancelling invoices, bills and credit notes; confirming purchase orders; partners
# and products saved) and what payments back from Xero use (Register payment, reconciliation),
# within the CI budget. Times: the whole run on this 2-core machine, see docs/tests.md.
SELECTION = [
    "/" + HELPER,                                        # the test bed itself works
    "/account:TestAccountMoveOutInvoiceOnchanges",       # customer invoices: every onchange, post, cancel
    "/account:TestAccountMoveInInvoiceOnchanges",        # vendor bills
    "/account:TestAccountMoveOutRefundOnchanges",        # customer credit notes
    "/account:TestAccountMoveInRefundOnchanges",         # vendor refunds
    "/account:TestAccountPaymentRegister",               # the Register payment wizard (payments from Xero use it)
    "/account:TestAccountMoveReconcile",                 # reconciliation, partials, exchange differences
    "/account:TestAccountPayment",                       # payments: post, cancel, reconcile
    "/account:TestAccountMovePaymentsWidget",           # outstanding payments on an invoice
    "/account:TestAccountEarlyPaymentDiscount",          # cash discounts through Register payment
    "/account:TestAccountMove",                          # journal entries: post, reverse, lock dates, hashes
    "/purchase:TestPurchaseToInvoice",                   # purchase order → vendor bill
    "/purchase:TestInvoicePurchaseMatch",                # matching bills to purchase orders
    "/purchase:TestPurchase",                            # purchase orders: confirm, cancel, reminders
    "/purchase:TestAccruedPurchaseOrders",               # accrued expense entries of purchase orders
    "/purchase:TestPurchaseDownpayment",                 # down payments on purchase orders
]

# Tests of the selection that fail without the connector too (proved by `./run test --part
# odoo-own --without-connector -- <the tag without its "-">`, docs/tests.md): excluded, with the reason.
EXCLUDED = [
    # renumbers a payment dated today to 'PBNK1/2025/00002' and expects the 2025 name: written in
    # 2025, it fails whenever the clock says another year (Odoo keeps the entry's year)
    "-/account:TestAccountPayment.test_resequence_change_payment_name",
    # renders a PDF: needs wkhtmltopdf, which this machine (and CI) does not have
    "-/account:TestAccountEarlyPaymentDiscount.test_invoice_report_without_invoice_date",
]

REPORT = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")
SKIPPED = re.compile(r"^\S+ \S+ \d+ INFO \S+ \S+: skipped (?!Subtest )", re.M)  # a test, not one of its subtests
CLASS_TIME = re.compile(r"^\t(\w+)\.\w+\.(\w+): ([\d.]+)s (\d+) queries$", re.M)  # module.file.Class
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (\w+) ")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def errors_of(text, limit=200):
    """The ERROR / CRITICAL log entries with their tracebacks (at most ``limit`` lines)."""
    out, keep = [], False
    for line in text.splitlines():
        level = LOG_LINE.match(line)
        if level:
            keep = level.group(1) in ("ERROR", "CRITICAL")
        if keep:
            out.append(line)
    return "\n".join(out[:limit])


def class_times(text):
    """-> [(seconds, "module.Class", queries)], slowest first (Odoo's detailed tests report)."""
    rows = [(float(sec), "%s.%s" % (mod, cls), int(q)) for mod, cls, sec, q in CLASS_TIME.findall(text)]
    return sorted(rows, reverse=True)


def request_log_rows(odoo, db):
    code = ("import psycopg2\nc = psycopg2.connect(dbname=%r)\ncr = c.cursor()\n"
            "cr.execute('SELECT count(*) FROM ledger_request_log')\nprint(cr.fetchone()[0])\n" % db)
    return int(odoo.run_python(code).stdout.strip() or 0)


def copy_db(template, db):
    subprocess.run(["dropdb", "--if-exists", db], capture_output=True)
    subprocess.run(["createdb", "-T", template, db], check=True, capture_output=True)


def run(odoo, db, workdir, log, specs=None, with_connector=True):
    """On ``db`` (a copy of a fresh database with the connector, no demo data), connect every
    company and run the selection; ``with_connector=False``: on a new database with only
    account and purchase. -> (exit code, {"passed", "failed", "skipped"} or None)."""
    if with_connector:
        modules = HELPER
    else:  # the same Odoo modules, without the connector: does a failure come from it?
        subprocess.run(["dropdb", "--if-exists", db], capture_output=True)
        modules = "account,purchase"
    addons_path = ",".join([odoo.addons_path, HELPER_PATH])
    started = time.time()
    setup = subprocess.run(odoo.launcher + ["-d", db, "--addons-path", addons_path, "-i", modules,
                                            "--without-demo=all", "--stop-after-init", "--no-http",
                                            "--log-level", "warn"], env=odoo.env(), text=True, capture_output=True)
    if setup.returncode != 0 or " ERROR " in setup.stdout + setup.stderr:
        log("installing %s into %s failed:\n%s" % (modules, db, (setup.stdout + setup.stderr)[-4000:]))
        return 1, None
    tags = ",".join(specs or ([s for s in SELECTION if with_connector or HELPER not in s] + EXCLUDED))
    log("Odoo's own tests on %r (%s): %s" % (db, "connector active" if with_connector else "without the connector",
                                              tags))
    log_file = os.path.join(workdir, "odoo-own.log" if with_connector else "odoo-own-without-connector.log")
    # an HTTP port of its own: test mode starts Odoo's HTTP server (HttpCase), never on 8069
    cmd = odoo.launcher + ["-d", db, "--addons-path", addons_path, "--test-tags", tags, "--stop-after-init",
                           "--http-interface", "127.0.0.1", "--http-port", str(free_port()),
                           "--gevent-port", str(free_port()), "--max-cron-threads", "0",
                           "--log-level", "info", "--log-handler", "odoo.tests.stats:DEBUG"]
    cpu = sum(os.times()[2:4])
    with open(log_file, "w") as fh:
        result = subprocess.run(cmd, env=odoo.env(), stdout=fh, stderr=subprocess.STDOUT, text=True)
    cpu = sum(os.times()[2:4]) - cpu  # Odoo's CPU time: a figure the other jobs on the machine do not inflate
    with open(log_file) as fh:
        text = fh.read()
    report = REPORT.search(text)
    if not report:
        log("Odoo's runner did not report (exit %s); see %s\n%s" % (result.returncode, log_file,
                                                                    errors_of(text) or text[-4000:]))
        return result.returncode or 1, None
    failures, errors, ran = (int(n) for n in report.groups())
    skipped = len(SKIPPED.findall(text))
    counts = {"passed": ran - failures - errors - skipped, "failed": failures + errors, "skipped": skipped}
    for seconds, name, queries in class_times(text)[:15]:
        log("  %6.1f s %7d queries  %s" % (seconds, queries, name))
    log("%d tests in %.0f s (setup included), Odoo's CPU %.0f s; log: %s" % (ran, time.time() - started, cpu, log_file))
    code = result.returncode
    if counts["failed"]:
        log("FAILED:\n" + errors_of(text))
        code = code or 1
    if with_connector:
        calls = request_log_rows(odoo, db)
        if calls:  # Odoo's flows must never wait on Xero: sending is the outbox worker's job
            log("FAILED: %d request(s) to Xero logged during Odoo's tests" % calls)
            counts["failed"] += 1
            code = code or 1
    if not ran:
        code = code or 1
    return code, counts
