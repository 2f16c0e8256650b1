"""The page (companies, their lists, webhook deliveries, requests; Record payment) and
``python -m harness serve --ledger both`` starting both simulators."""

import os
import socket
import subprocess
import sys
import time

import requests

from .conftest import US
from .test_entities import invoice


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_index_and_company_page_with_record_payment(qbo, qb):
    inv = invoice(qbo, qb)
    index = requests.get(qbo.url + "/", timeout=10).text
    assert "Northwind IT Services Inc" in index and "Contoso Managed Services Ltd" in index
    assert "Requests received" in index and "/v3/company/%s/invoice" % US in index
    page = requests.get(qbo.url + "/ui/" + US, timeout=10).text
    for text in ("Acme Dental Group", "Remote Support (1hr)", "Record payment", "Bills", "Payments"):
        assert text in page
    resp = requests.post("%s/ui/%s/invoices/%s/pay" % (qbo.url, US, inv.Id), data={"amount": "494.75"},
                         allow_redirects=False, timeout=10)
    assert resp.status_code == 303
    assert qb.get_single_object("Invoice", inv.Id)["Invoice"]["Balance"] == 0
    again = requests.post("%s/ui/%s/invoices/%s/pay" % (qbo.url, US, inv.Id), data={"amount": "1"}, timeout=10)
    assert again.status_code == 400 and "more than the balance" in again.text  # pressed twice: refused


def test_serve_both_ledgers(tmp_path):
    xero_port, qbo_port = free_port(), free_port()
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    proc = subprocess.Popen([sys.executable, "-m", "harness", "serve", "--ledger", "both", "--port", str(xero_port),
                             "--qbo-port", str(qbo_port), "--seed", "demo"], cwd=repo,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=dict(os.environ, PYTHONPATH=repo))
    try:
        for _ in range(100):
            try:
                qbo_doc = requests.get("http://127.0.0.1:%d/.well-known/openid_configuration" % qbo_port, timeout=1)
                xero = requests.get("http://127.0.0.1:%d/__harness__/limits" % xero_port, timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        assert qbo_doc.json()["token_endpoint"] == "http://127.0.0.1:%d/oauth2/v1/tokens/bearer" % qbo_port
        assert xero.status_code == 200
        companies = requests.get("http://127.0.0.1:%d/__harness__/companies" % qbo_port, timeout=5).json()
        assert {c["CompanyName"] for c in companies} == {"Northwind IT Services Inc", "Contoso Managed Services Ltd"}
    finally:
        proc.terminate()
        proc.wait(timeout=10)
