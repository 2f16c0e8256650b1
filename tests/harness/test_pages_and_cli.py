"""The web page, persistence across restarts, and the command line."""

import os
import re
import signal
import subprocess
import sys
import time

import requests

from harness import seed
from harness.server import HarnessServer

from .conftest import ORG_A

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_overview_and_organisation_pages(harness):
    home = requests.get(harness.url + "/", timeout=10)
    assert home.status_code == 200 and "text/html" in home.headers["Content-Type"]
    assert "Northwind IT Services" in home.text and "Webhook deliveries" in home.text
    org = requests.get(harness.url + "/ui/" + ORG_A, timeout=10)
    assert "Remote Support (1hr)" in org.text and "Acme Dental Group" in org.text


def test_record_payment_from_the_invoice_page(harness, api):
    cid = api.put("/Contacts", {"Contacts": [{"Name": "Page Co"}]}).json()["Contacts"][0]["ContactID"]
    inv = api.put("/Invoices", {"Invoices": [{
        "Type": "ACCREC", "Contact": {"ContactID": cid}, "Status": "AUTHORISED", "DueDate": "2026-12-01",
        "LineItems": [{"Description": "Work", "Quantity": 1, "UnitAmount": 100, "AccountCode": "200"}]}]}
    ).json()["Invoices"][0]
    page_url = "%s/ui/%s/invoices/%s" % (harness.url, ORG_A, inv["InvoiceID"])
    page = requests.get(page_url, timeout=10)
    assert "Record payment" in page.text and "120.00" in page.text
    too_much = requests.post(page_url + "/pay", data={"amount": "500", "account": "090"}, timeout=10)
    assert "exceeds the amount outstanding" in too_much.text
    done = requests.post(page_url + "/pay", data={"amount": "120.00", "account": "090", "date": "2026-11-25"},
                         timeout=10)
    assert done.status_code == 200 and "PAID" in done.text
    assert api.get("/Invoices/" + inv["InvoiceID"]).json()["Invoices"][0]["Status"] == "PAID"


def test_state_survives_restart(tmp_path):
    path = str(tmp_path / "xero.sqlite")
    first = HarnessServer(data=path).start()
    seed.load(first.app, "demo")
    first.app.books.contacts.write(ORG_A, [{"Name": "Persisted Ltd"}], "PUT")
    first.stop()
    second = HarnessServer(data=path).start()
    try:
        names = {c["Name"] for c in second.app.books.contacts.records(ORG_A)}
        assert "Persisted Ltd" in names
        assert second.app.identity.client(seed.DEMO_CLIENT_ID)
        # indexes are rebuilt: the unique-name rule still holds
        results = second.app.books.contacts.write(ORG_A, [{"Name": "Persisted Ltd"}], "PUT")
        assert not results[0][0]
    finally:
        second.stop()


def test_cli_serve_prints_urls_and_serves(tmp_path):
    port = 18000 + os.getpid() % 1000
    proc = subprocess.Popen(
        [sys.executable, "-m", "harness", "serve", "--port", str(port), "--seed", "demo", "--time-scale", "60",
         "--data", str(tmp_path / "cli.sqlite"), "--client-id", "cli-app", "--client-secret", "s3cret",
         "--redirect-uri", "http://localhost:1/cb"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        deadline = time.time() + 20
        while time.time() < deadline:
            line = proc.stdout.readline()
            lines.append(line)
            if "web page" in line:
                break
        out = "".join(lines)
        assert "http://127.0.0.1:%d/identity/connect/authorize" % port in out
        assert "http://127.0.0.1:%d/api.xro/2.0" % port in out
        assert re.search(r"time scale 60x", out)
        for _ in range(50):
            try:
                clients = requests.get("http://127.0.0.1:%d/__harness__/clients" % port, timeout=2).json()
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        assert {"demo-client", "cli-app"} <= {c["client_id"] for c in clients}
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
