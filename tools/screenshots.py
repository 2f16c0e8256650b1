"""The README's pictures, taken from a running demo (``./run demo``, walked through its steps so
that an organisation is connected and documents are in Xero) in headless Chromium:

    python3 tools/screenshots.py [--odoo http://localhost:8069] [--harness http://localhost:8070]
                                 [--out docs/images] [--walk] [--drift]

- ``dashboard.png``: Xero → Dashboard, the organisation cards;
- ``invoice.png``: the newest customer invoice, with what its form shows about Xero;
- ``request-log.png``: Xero → Request log;
- ``drift-report.png``: Xero → Dashboard → **Run drift report** on the first card. With
  ``--drift`` the script first changes Xero behind Odoo's back through the harness's admin API
  (the first invoice deleted, the second one's total changed), so that the report has lines.

With ``--walk`` it first walks the README's demo steps itself (tests/repo/test_demo_command.py's
walk: connect, import, switches, documents, a payment) on a demo just started.
PNG, 1200 px wide. Needs Chromium (``apt-get install chromium``) and ``websocket-client``
(installed into Odoo's Python by ``./run``).
"""

import argparse
import json
import os
import sys
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if REPO not in sys.path:
    sys.path.insert(0, REPO)

from tests.repo.chromium import Chromium  # noqa: E402

WIDTH, HEIGHT = 1200, 760


def harness_admin(harness, path, body=None):
    request = urllib.request.Request(harness.rstrip("/") + "/__harness__/" + path,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json"},
                                     method="POST" if body is not None else "GET")
    with urllib.request.urlopen(request, timeout=30) as resp:
        return json.load(resp)


def make_drift(harness):
    """In the first organisation Odoo sent documents to: its first invoice deleted, its first bill's
    total changed, and an invoice made in Xero only. -> the organisation's name."""
    state = harness_admin(harness, "state")
    for tenant, invoices in sorted(state.get("invoice", {}).items()):
        # Odoo's names (INV/2026/00001) are the invoice numbers, or the bills' Reference
        sent = [i for i in invoices if "/" in (i.get("InvoiceNumber") or i.get("Reference") or "")
                and i.get("Status") in ("AUTHORISED", "PAID")]
        if not sent:
            continue
        edit = {"tenant": tenant, "collection": "Invoices"}
        for doc in sent:
            if doc["Type"] == "ACCREC":
                harness_admin(harness, "documents/edit", dict(edit, id=doc["InvoiceID"], Status="DELETED"))
                break
        for doc in sent:
            if doc["Type"] == "ACCPAY" and doc["Status"] == "AUTHORISED":
                harness_admin(harness, "documents/edit", dict(edit, id=doc["InvoiceID"], UnitAmount=999))
                break
        contact = sent[0].get("_contact") or sent[0]["Contact"]["ContactID"]  # the state dump is raw
        harness_admin(harness, "documents/bulk", dict(edit, elements=[{
            "Type": "ACCREC", "Contact": {"ContactID": contact}, "Status": "AUTHORISED", "DueDate": "2026-12-31",
            "LineItems": [{"Description": "Entered in Xero", "Quantity": 1, "UnitAmount": 120,
                           "AccountCode": "200"}]}]))
        return next(o["Name"] for o in state["org"]["_"] if o["OrganisationID"].lower() == tenant.lower())
    raise SystemExit("no invoice sent by Odoo in the harness: walk the demo first (README, The demo)")


def login(browser, odoo, user, password):
    browser.navigate(odoo + "/web/login")
    browser.wait_for("!!document.querySelector('input[name=login]') || !!document.querySelector('.o_main_navbar')",
                     "the login form", timeout=300)
    if not browser.evaluate("!!document.querySelector('input[name=login]')"):
        return  # logged in already (--walk)
    browser.evaluate("""(() => {
        document.querySelector('input[name=login]').value = %s;
        document.querySelector('input[name=password]').value = %s;
        document.querySelector('form.oe_login_form').submit(); })()""" % (json.dumps(user), json.dumps(password)))
    browser.wait_for("location.pathname.startsWith('/odoo') && !!document.querySelector('.o_main_navbar')",
                     "Odoo's home page", timeout=300)


def settle_and_shoot(browser, path):
    browser.evaluate("new Promise(r => setTimeout(r, 800))")  # let the last rendering settle
    # notifications ("The page is out of date" after a server restart) are not the subject
    browser.evaluate("document.querySelectorAll('.o_notification_close').forEach(b => b.click())")
    browser.evaluate("new Promise(r => setTimeout(r, 300))")
    print("  %s" % browser.screenshot(path))


def shoot(browser, url, ready, what, path):
    browser.navigate(url)
    browser.wait_for(ready, what, timeout=180)
    settle_and_shoot(browser, path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--odoo", default="http://localhost:8069")
    parser.add_argument("--harness", default="http://localhost:8070")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--out", default=os.path.join(REPO, "docs", "images"))
    parser.add_argument("--walk", action="store_true", help="walk the README's demo steps first")
    parser.add_argument("--drift", action="store_true", help="change Xero behind Odoo's back first")
    args = parser.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    odoo = args.odoo.rstrip("/")
    browser = Chromium(width=WIDTH, height=HEIGHT)
    try:
        if args.walk:
            from tests.repo.test_demo_command import walk
            from tools.odoo_server import Rpc
            print("walked the demo: invoice %s" % walk(odoo, args.harness.rstrip("/"), browser, Rpc(odoo)))
        login(browser, odoo, args.login, args.password)
        out = args.out
        # the invoice and the request log first: --drift deletes that invoice in Xero
        shoot(browser, odoo + "/odoo/action-account.action_move_out_invoice_type",
              "!!document.querySelector('.o_data_row')", "the invoices", os.path.join(out, "invoices.png"))
        # the newest customer invoice (the list holds credit notes too)
        row = ("Array.from(document.querySelectorAll('.o_data_row'))"
               ".find(r => /(^|\\s)INV\\//.test(r.innerText))")
        browser.wait_for("!!" + row, "a customer invoice")
        browser.evaluate(row + ".querySelector('.o_data_cell').click()")
        browser.wait_for("!!document.querySelector('.o_form_view .o_form_sheet')", "the invoice's form")
        settle_and_shoot(browser, os.path.join(out, "invoice.png"))
        os.remove(os.path.join(out, "invoices.png"))
        shoot(browser, odoo + "/odoo/action-psa_xero_connector.action_ledger_request_log",
              "!!document.querySelector('.o_data_row')", "the request log", os.path.join(out, "request-log.png"))
        org = None
        if args.drift:
            org = make_drift(args.harness)
            print("changed behind Odoo's back in organisation %s" % org)
        browser.navigate(odoo + "/odoo/xero-dashboard")
        # the card of the organisation changed (else the first one)
        card = ("Array.from(document.querySelectorAll('.o_kanban_record'))"
                ".find(c => !%s || c.innerText.includes(%s))" % (json.dumps(org or ""), json.dumps(org or "")))
        browser.wait_for("!!" + card, "the organisation's card")
        browser.evaluate(card + ".querySelector('button[name=action_run_drift]').click()")
        browser.wait_for("!!document.querySelector('.o_list_view') && "
                         "(!!document.querySelector('.o_data_row') || !!document.querySelector('.o_view_nocontent'))",
                         "the drift report", timeout=180)
        settle_and_shoot(browser, os.path.join(out, "drift-report.png"))
        # the dashboard last: its card shows the report's figures
        shoot(browser, odoo + "/odoo/xero-dashboard",
              "!!document.querySelector('.o_kanban_record .o_xero_dash_figures')", "the dashboard",
              os.path.join(out, "dashboard.png"))
    finally:
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
