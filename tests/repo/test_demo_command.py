"""The README's first command and its demo walk, as a new user does them: `./run demo` starts
the harness and Odoo; in Chromium, logged in as admin/admin, every numbered step of the
README's demo section is clicked as written (demo_walk.py: Odoo tours, and the harness's
consent and payment pages) — connect, companies, import, switches, an invoice, a credit note,
a bill without and one with a product, a purchase order, Record payment → Paid, time on a
ticket → Invoice Labour → one invoice of two labour lines → in Xero. Before it
walks, the test checks that the walk names the README's bold menus, buttons and fields in
the README's order. Then, over JSON-RPC and the harness's admin API: every document is in
Xero once with the accounts and tax types expected, nothing failed, and every tax and account
the demo's documents use was mapped by the import alone (for both organisations); the labour
invoice's lines carry the charge types' items and Xero's total is Odoo's; sales are in GBP."""

import os
import signal
import subprocess
import sys
import threading
import time

import requests

from harness.seed import DEMO_ORGS
from harness.testing import Admin
from tools.odoo_server import Rpc, free_port, log_path

from .chromium import BrowserError, Chromium
from .demo_walk import HARNESS_CLICKS, TOUR_CONTENTS_JS, WALK, readme_steps, walk_steps

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# ports and database of this run only: other checkouts on the machine may run this test too
DB = "psa_xero_demo_check_%d" % os.getpid()
NORTHWIND = dict(DEMO_ORGS)["Northwind IT Services"]
CONTOSO = dict(DEMO_ORGS)["Contoso Managed Services"]


# what a page that never became Odoo's web client shows (a CI run once waited five minutes on one)
PAGE_STATE_JS = """JSON.stringify({readyState: document.readyState, title: document.title,
    assetError: window.__odooAssetError || null, odoo: typeof window.odoo, loader: !!(window.odoo && odoo.loader),
    failedModules: window.odoo && odoo.loader ? Array.from(odoo.loader.failed || []) : null,
    scripts: Array.from(document.scripts).map(s => s.src).filter(Boolean),
    text: (document.body ? document.body.innerText : '').slice(0, 400)})"""


def wait_for(check, what, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError("timed out waiting for %s" % what)


def outbox_settled(rpc):
    """Nothing queued or retrying; -> the rows in error (Xero's messages), else True."""
    rows = rpc.call("ledger.outbox", "search_read", [], ["state", "entity", "last_error", "res_model", "res_id"])
    if any(r["state"] in ("queued", "waiting", "sending", "retry") for r in rows):
        return False
    return [r for r in rows if r["state"] != "done"] or True


def consent(browser, odoo_url, harness_url):
    """Step 2 on the harness's page: both organisations listed and ticked → Allow access."""
    browser.wait_for("location.href.startsWith(%r) && !!document.getElementById('allow')" % harness_url,
                     "the harness consent page")
    ticked = browser.evaluate("Array.from(document.querySelectorAll('input[name=tenant]'))"
                              ".filter(i => i.checked).map(i => i.parentElement.innerText.trim())")
    assert sorted(ticked) == sorted(label for label, _v in HARNESS_CLICKS["consent"][:2]), ticked
    browser.click("#allow", "Allow access")
    browser.wait_for("location.href.startsWith(%r) && location.pathname.startsWith('/odoo/xero-tenants')"
                     % odoo_url, "back in Odoo on the organisations list")


def record_payment(browser, harness_url, invoice_number):
    """Step 10 on the harness's page: the organisation → the invoice → Record payment."""
    browser.navigate(harness_url + "/")
    browser.click("a[href='/ui/%s']" % NORTHWIND, "Northwind IT Services")
    link = "Array.from(document.querySelectorAll('a')).find(a => a.innerText.trim() === %r)" % invoice_number
    browser.wait_for("location.pathname === '/ui/%s' && !!%s" % (NORTHWIND, link),
                     "the invoice on the organisation page")
    browser.evaluate(link + ".click()")
    browser.wait_for("Array.from(document.querySelectorAll('button')).some(b => b.innerText === 'Record payment')",
                     "the invoice page")
    browser.evaluate("Array.from(document.querySelectorAll('button')).find(b => b.innerText === 'Record payment')"
                     ".click()")
    browser.wait_for("document.body.innerText.includes('PAID')", "the invoice paid in the harness")


def open_invoice(browser, harness_url, invoice_number):
    """Step 14 on the harness's page: the organisation → the invoice; -> the page's text."""
    browser.navigate(harness_url + "/")
    browser.click("a[href='/ui/%s']" % NORTHWIND, "Northwind IT Services")
    link = "Array.from(document.querySelectorAll('a')).find(a => a.innerText.trim() === %r)" % invoice_number
    browser.wait_for("location.pathname === '/ui/%s' && !!%s" % (NORTHWIND, link),
                     "the labour invoice on the organisation page")
    browser.evaluate(link + ".click()")
    browser.wait_for("!location.pathname.endsWith('/ui/%s') && document.body.innerText.includes(%r)"
                     % (NORTHWIND, invoice_number), "the labour invoice's page")
    return browser.evaluate("document.body.innerText")


def labour_invoice(rpc):
    """The invoice the walk's Invoice Labour made (Acme Dental's, posted)."""
    return rpc.call("account.move", "search_read", [
        ["move_type", "=", "out_invoice"], ["state", "=", "posted"],
        ["partner_id.commercial_partner_id.name", "=", "Acme Dental Group"]], ["name", "amount_total", "currency_id"])


def walk(odoo_url, harness_url, browser, rpc, start=0):
    """The README's demo steps in Chromium (from WALK[start]); -> the invoice's number."""
    # logged in straight into the web client in test mode: one first page builds the new database's
    # asset bundles (SCSS included; minutes on a busy 2-core machine), not two at once
    browser.navigate(odoo_url + "/web/login?redirect=%2Fodoo%3Fdebug%3Dtests", timeout=300)
    browser.evaluate("document.querySelector('input[name=login]').value = 'admin';"
                     "document.querySelector('input[name=password]').value = 'admin';"
                     "document.querySelector('form.oe_login_form').submit()")
    browser.wait_for("location.pathname.startsWith('/odoo') && location.search.includes('debug=tests')",
                     "logged in", timeout=300)
    loaded = "document.readyState === 'complete' && window.odoo && odoo.loader && " \
             "odoo.loader.modules.has('@web/core/registry')"
    try:
        browser.wait_for(loaded, "Odoo loaded", timeout=300, diagnose=PAGE_STATE_JS)
    except BrowserError as error:
        # once in CI the page stayed without Odoo's web client for five minutes; a person reloads
        # (printed: pytest shows it if the test fails later; a second time fails the test)
        print("the web client did not load, reloading once:", error)
        browser.navigate(odoo_url + "/odoo?debug=tests", timeout=300)
        browser.wait_for(loaded, "Odoo loaded after a reload", timeout=300, diagnose=PAGE_STATE_JS)
    browser.wait_for("odoo.isTourReady && odoo.isTourReady(%r)" % WALK[0][1], "the demo tours")
    contents = browser.evaluate(TOUR_CONTENTS_JS)
    # if the README changes, the walk must change with it (and the other way round)
    assert walk_steps(contents) == readme_steps(), "the README's demo steps and the walk differ:\n%s\n%s" % (
        readme_steps(), walk_steps(contents))
    invoice = rpc.call("account.move", "search_read", [["move_type", "=", "out_invoice"]], ["name"]) or [None]
    invoice = invoice[0]
    for kind, name in WALK[start:]:
        if kind == "harness" and name == "consent":
            consent(browser, odoo_url, harness_url)
            continue
        if kind == "harness" and name == "payment":
            record_payment(browser, harness_url, invoice["name"])
            wait_for(lambda invoice=invoice: rpc.call("account.move", "read", [invoice["id"]], ["payment_state"])[0][
                "payment_state"] == "paid", "the invoice paid in Odoo", timeout=30)
            browser.navigate(odoo_url + "/odoo")
            continue
        if kind == "harness" and name == "labour":
            text = open_invoice(browser, harness_url, labour_invoice(rpc)[0]["name"])
            assert "REMOTE-SUPPORT" in text and "ONSITE-VISIT" in text, text[:3000]
            continue
        browser.run_tour(name)
        if name == "psa_xero_demo_3_organisations":
            switches = ["sync_customers", "sync_suppliers", "sync_invoices", "sync_bills", "sync_credit_notes",
                        "sync_purchase_orders"]

            def saved(switches=switches):
                found = rpc.call("ledger.tenant", "search_read", [["remote_id", "=", NORTHWIND]], switches)
                return [t for t in found if all(t[s] for s in switches)]
            tenant = wait_for(saved, "the switches saved", timeout=20)
            assert tenant, switches
        if name == "psa_xero_demo_6_invoice":
            invoice = rpc.call("account.move", "search_read", [["move_type", "=", "out_invoice"]], ["name"])[0]
            wait_for(lambda invoice=invoice: rpc.call("ledger.link", "search", [["res_model", "=", "account.move"],
                                                                               ["res_id", "=", invoice["id"]]]),
                     "the invoice in Xero", timeout=90)
        if name == "psa_xero_demo_12_invoice_labour":
            labour = wait_for(lambda: labour_invoice(rpc), "the labour invoice posted", timeout=30)
            wait_for(lambda labour=labour: rpc.call("ledger.link", "search", [["res_model", "=", "account.move"],
                                                                             ["res_id", "=", labour[0]["id"]]]),
                     "the labour invoice in Xero", timeout=90)
        if name.startswith(("psa_xero_demo_6", "psa_xero_demo_7", "psa_xero_demo_8", "psa_xero_demo_9",
                            "psa_xero_demo_12")):
            assert wait_for(lambda: outbox_settled(rpc), "the outbox", timeout=90) is True, outbox_settled(rpc)
    return invoice["name"]


def check_xero(harness_url, invoice_number):
    """What the walk put in Northwind's books in Xero."""
    admin = Admin(harness_url)
    invoices = admin.records("invoice", NORTHWIND)
    # the walk's two sales invoices: the one of step 6 here, the labour invoice in check_labour
    assert len([i for i in invoices if i["Type"] == "ACCREC"]) == 2, invoices
    sales = [i for i in invoices if i["Type"] == "ACCREC" and i.get("InvoiceNumber") == invoice_number]
    bills = [i for i in invoices if i["Type"] == "ACCPAY"]
    assert [(i["InvoiceNumber"], i["Status"], i["Total"]) for i in sales] == [(invoice_number, "PAID", 204.0)]
    assert [(ln["ItemCode"], ln["AccountCode"], ln["TaxType"]) for ln in sales[0]["LineItems"]] == [
        ("REMOTE-SUPPORT", "220", "OUTPUT2")]
    bill_lines = [ln for b in bills for ln in b["LineItems"]]
    assert sorted((ln.get("ItemCode", ""), ln["AccountCode"], ln["TaxType"]) for ln in bill_lines) == [
        ("", "310", "INPUT2"), ("M365-BP", "310", "INPUT2")]
    assert sorted(b["Total"] for b in bills) == [186.0, 288.0]
    credits = admin.records("creditnote", NORTHWIND)
    assert [(c["Type"], c["Total"], [(ln["ItemCode"], ln["AccountCode"], ln["TaxType"]) for ln in c["LineItems"]])
            for c in credits] == [("ACCRECCREDIT", 144.0, [("ONSITE-VISIT", "220", "OUTPUT2")])]
    orders = admin.records("purchaseorder", NORTHWIND)
    assert [(o["Status"], o["Total"]) for o in orders] == [("AUTHORISED", 186.0)]
    names = {c["Name"] for c in admin.records("contact", NORTHWIND)}
    assert {"Greenfield Veterinary Practice", "Pax8 UK"} <= names  # created in Xero by the walk


def check_labour(rpc, harness_url):
    """Steps 11–14: one invoice for Acme Dental, one line per charge type (the ticket time the demo
    made and the walk logged), in Xero with the charge types' items, hours and Odoo's total."""
    [invoice] = labour_invoice(rpc)
    lines = rpc.call("account.move.line", "search_read", [["move_id", "=", invoice["id"]],
                                                          ["display_type", "=", "product"]],
                     ["product_id", "quantity", "name", "price_subtotal"], order="id")
    assert len(lines) == 2, lines
    by_code = {("REMOTE-SUPPORT" if "REMOTE-SUPPORT" in ln["product_id"][1] else "ONSITE-VISIT"): ln for ln in lines}
    assert set(by_code) == {"REMOTE-SUPPORT", "ONSITE-VISIT"}, lines
    # 0.4 h → 0.5 (30-minute minimum), 1.1 h → 1.25 (15-minute steps); onsite per ticket and day:
    # 0.75 + 0.5 h on one day → 1.5, the walk's 0:45 on another → 1 (60-minute minimum)
    assert (by_code["REMOTE-SUPPORT"]["quantity"], by_code["ONSITE-VISIT"]["quantity"]) == (1.75, 2.5), lines
    assert "Email not syncing on reception PC" in by_code["REMOTE-SUPPORT"]["name"], lines
    assert "Replace failed switch in surgery 2" in by_code["ONSITE-VISIT"]["name"], lines
    assert "Replaced the UPS" in by_code["ONSITE-VISIT"]["name"], lines
    assert invoice["currency_id"][1] == "GBP", invoice
    [xero] = [i for i in Admin(harness_url).records("invoice", NORTHWIND) if i.get("InvoiceNumber") == invoice["name"]]
    assert sorted((ln["ItemCode"], ln["Quantity"], ln["AccountCode"]) for ln in xero["LineItems"]) == [
        ("ONSITE-VISIT", 2.5, "220"), ("REMOTE-SUPPORT", 1.75, "220")], xero["LineItems"]
    assert (xero["Status"], xero["CurrencyCode"], xero["Total"]) == ("AUTHORISED", "GBP", invoice["amount_total"]), (
        xero, invoice)


def check_mapped(rpc):
    """Every tax and account the demo's documents use — and each company's default taxes,
    income and expense accounts — is linked to Xero by the import alone (Contoso imported
    the way the README imports Northwind)."""
    tenants = {t["remote_id"]: t for t in rpc.call("ledger.tenant", "search_read", [],
                                                         ["remote_id", "company_id"])}
    wizard = rpc.call("ledger.import.wizard", "create", {"tenant_id": tenants[CONTOSO]["id"]})
    rpc.call("ledger.import.wizard", "action_import", [wizard])
    for remote_id, tenant in tenants.items():
        company = tenant["company_id"][0]
        links = rpc.call("ledger.link", "search_read", [["tenant_id", "=", tenant["id"]],
                                                      ["res_model", "in", ["account.tax", "account.account"]]],
                         ["res_model", "res_id", "remote_code"])
        linked = {(ln["res_model"], ln["res_id"]): ln["remote_code"] for ln in links}
        used = set()
        lines = rpc.call("account.move.line", "search_read", [
            ["company_id", "=", company], ["display_type", "=", "product"],
            ["move_id.move_type", "in", ["out_invoice", "in_invoice", "out_refund", "in_refund"]]],
            ["account_id", "tax_ids"])  # the documents' lines (not the payments' entries)
        for line in lines:
            used.add(("account.account", line["account_id"][0]))
            used.update(("account.tax", t) for t in line["tax_ids"])
        for order_line in rpc.call("purchase.order.line", "search_read", [["company_id", "=", company]], ["taxes_id"]):
            used.update(("account.tax", t) for t in order_line["taxes_id"])
        defaults = rpc.call("res.company", "read", [company], ["account_sale_tax_id", "account_purchase_tax_id"])[0]
        used.update(("account.tax", defaults[f][0]) for f in ("account_sale_tax_id", "account_purchase_tax_id"))
        journals = rpc.call("account.journal", "search_read", [["company_id", "=", company],
                                                               ["type", "in", ["sale", "purchase"]]],
                            ["default_account_id"])
        used.update(("account.account", j["default_account_id"][0]) for j in journals)
        missing = sorted(used - set(linked))
        assert not missing, "%s: not mapped by the import: %s" % (remote_id, missing)
        if remote_id == NORTHWIND:
            assert lines, "the walk posted nothing"
        codes = {code for (model, _id), code in linked.items() if model == "account.account"}
        assert {"200", "220", "310", "429"} <= codes, codes


def check_currency(rpc):
    """Sales are in the companies' GBP: the demo once left Odoo's default price list in USD (made
    when the company was still in USD), and every sales order and the invoices made from them
    with it. The labour order the demo's ticket time made is Acme Dental's, in GBP."""
    pricelists = rpc.call("product.pricelist", "search_read", [], ["currency_id"])
    assert pricelists and {p["currency_id"][1] for p in pricelists} == {"GBP"}, pricelists
    orders = rpc.call("sale.order", "search_read", [["labour_order", "=", True]], ["currency_id", "partner_id"])
    assert orders, "the demo's ticket time made no sales order"
    assert {(o["partner_id"][1], o["currency_id"][1]) for o in orders} == {("Acme Dental Group", "GBP")}, orders


def test_run_demo_and_walk_the_readme():
    odoo_port, harness_port = free_port(), free_port()
    proc = subprocess.Popen([sys.executable, os.path.join(REPO, "run"), "demo", "--db", DB,
                             "--odoo-port", str(odoo_port), "--harness-port", str(harness_port)],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = []
    banner = threading.Event()

    def read():
        # to the end: Odoo and the harness write to this pipe while the walk runs, and a full pipe
        # would stop them at their next log line
        for line in proc.stdout:
            output.append(line)
            if "Ctrl-C stops both" in line:
                banner.set()
        banner.set()
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    browser = None
    try:
        banner.wait(900)
        text = "".join(output)
        assert "login: admin   password: admin" in text, text[-3000:]
        odoo_url = "http://localhost:%d" % odoo_port
        harness_url = "http://localhost:%d" % harness_port
        assert odoo_url in text and harness_url in text
        assert requests.get(harness_url + "/", timeout=30).ok
        rpc = Rpc(odoo_url)
        browser = Chromium()
        invoice_number = walk(odoo_url, harness_url, browser, rpc)
        check_xero(harness_url, invoice_number)
        check_labour(rpc, harness_url)
        check_mapped(rpc)
        check_currency(rpc)
    except BaseException:
        print("the demo's output (Odoo's warnings and errors), last lines:\n" + "".join(output[-60:]))
        raise
    finally:
        if browser:
            browser.close()
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
        reader.join(10)
        with open(log_path("demo_command.log"), "w") as fh:  # its timings: "[run] installed … in N s"
            fh.write("".join(output))
        subprocess.run(["dropdb", "--if-exists", "--force", DB], capture_output=True)
