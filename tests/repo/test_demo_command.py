"""The README's first command, as a new user runs it: `./run demo` starts the harness and
Odoo; logging in as admin/admin and connecting through the consent page lists both
organisations. Then the whole loop on a real server with its cron workers: an invoice posted
in Odoo reaches Xero, a payment recorded in Xero comes back by signed webhook and the invoice
shows paid."""

import os
import re
import signal
import subprocess
import sys
import time

import requests

from harness.seed import DEMO_ORGS
from harness.testing import approve_consent

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ODOO_PORT, HARNESS_PORT = 18069, 18070
NORTHWIND = dict(DEMO_ORGS)["Northwind IT Services"]


def login(session, odoo_url):
    page = session.get(odoo_url + "/web/login", timeout=30).text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    resp = session.post(odoo_url + "/web/login", data={"login": "admin", "password": "admin", "csrf_token": csrf},
                        timeout=60)
    assert "/odoo" in resp.url, resp.url


def rpc(session, odoo_url, model, method, *args, **kwargs):
    resp = session.post(odoo_url + "/web/dataset/call_kw", timeout=60, json={
        "jsonrpc": "2.0", "method": "call", "params": {"model": model, "method": method, "args": list(args),
                                                      "kwargs": kwargs}}).json()
    assert "error" not in resp, resp["error"]
    return resp["result"]


def wait_for(check, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out waiting for %s" % check.__doc__)


def payment_comes_back(session, odoo_url, harness_url):
    """Invoice → Xero by the outbox worker; payment in Xero → webhook → event worker → paid."""
    tenant = rpc(session, odoo_url, "xero.tenant", "search_read", [["name", "=", "Northwind IT Services"]], ["id"])[0]
    company = rpc(session, odoo_url, "res.users", "search_read", [["login", "=", "admin"]], ["company_id"])[0]
    rpc(session, odoo_url, "xero.tenant", "write", [tenant["id"]], {
        "company_id": company["company_id"][0], "sync_customers": True, "sync_invoices": True})
    wizard = rpc(session, odoo_url, "xero.import.wizard", "create", {
        "tenant_id": tenant["id"], "import_customers": False, "import_suppliers": False})
    rpc(session, odoo_url, "xero.import.wizard", "action_import", [wizard])
    misc = rpc(session, odoo_url, "xero.item", "search", [["tenant_id", "=", tenant["id"]], ["code", "=", "MISC"]])
    rpc(session, odoo_url, "xero.tenant", "write", [tenant["id"]], {"catchall_invoice_item_id": misc[0]})
    partner = rpc(session, odoo_url, "res.partner", "create", {
        "name": "Demo Check Ltd", "is_company": True,
        "child_ids": [[0, 0, {"name": "Dana Check", "type": "invoice", "email": "dana@check.example"}]]})
    move = rpc(session, odoo_url, "account.move", "create", {
        "move_type": "out_invoice", "partner_id": partner, "invoice_date": "2026-11-20",
        "invoice_line_ids": [[0, 0, {"name": "Remote support", "quantity": 2, "price_unit": 60, "tax_ids": [[5]]}]]})
    rpc(session, odoo_url, "account.move", "action_post", [move])

    def linked():
        """the invoice in Xero"""
        return rpc(session, odoo_url, "xero.link", "search_read", [["res_model", "=", "account.move"],
                                                                    ["res_id", "=", move]], ["xero_id"])
    invoice_id = wait_for(linked)[0]["xero_id"]
    requests.post(harness_url + "/__harness__/payments", timeout=30, json={
        "tenant": NORTHWIND, "InvoiceID": invoice_id, "Amount": 120})

    def paid():
        """the payment in Odoo"""
        return rpc(session, odoo_url, "account.move", "read", [move], ["payment_state"])[0]["payment_state"] == "paid"
    wait_for(paid, timeout=30)


def test_run_demo_then_connect():
    proc = subprocess.Popen([sys.executable, os.path.join(REPO, "run"), "demo", "--db", "psa_xero_demo_check",
                             "--odoo-port", str(ODOO_PORT), "--harness-port", str(HARNESS_PORT)],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = []
    try:
        deadline = time.time() + 600
        while time.time() < deadline:
            line = proc.stdout.readline()
            if not line and proc.poll() is not None:
                break
            output.append(line)
            if "Ctrl-C stops both" in line:
                break
        text = "".join(output)
        assert "login: admin   password: admin" in text, text[-3000:]
        odoo_url = "http://localhost:%d" % ODOO_PORT
        harness_url = "http://localhost:%d" % HARNESS_PORT
        assert odoo_url in text and harness_url in text
        session = requests.Session()
        login(session, odoo_url)
        start = session.get(odoo_url + "/xero/oauth/start", allow_redirects=False, timeout=30)
        assert start.headers["Location"].startswith(harness_url + "/identity/connect/authorize")
        back = approve_consent(start.headers["Location"])
        done = session.get(back, allow_redirects=False, timeout=60)
        assert done.headers["Location"].endswith("/odoo/action-psa_xero_connector.action_xero_tenant"), done.text
        tenants = session.post(odoo_url + "/web/dataset/call_kw", timeout=30, json={
            "jsonrpc": "2.0", "method": "call", "params": {
                "model": "xero.tenant", "method": "search_read", "args": [[], ["name", "state"]], "kwargs": {}}}
        ).json()["result"]
        assert sorted(t["name"] for t in tenants) == ["Contoso Managed Services", "Northwind IT Services"]
        assert {t["state"] for t in tenants} == {"connected"}
        payment_comes_back(session, odoo_url, harness_url)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
        subprocess.run(["dropdb", "--if-exists", "psa_xero_demo_check"], capture_output=True)
