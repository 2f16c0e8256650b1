"""The README's first command, as a new user runs it: `./run demo` starts the harness and
Odoo; logging in as admin/admin and connecting through the consent page lists both
organisations."""

import os
import re
import signal
import subprocess
import sys
import time

import requests

from harness.testing import approve_consent

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ODOO_PORT, HARNESS_PORT = 18069, 18070


def login(session, odoo_url):
    page = session.get(odoo_url + "/web/login", timeout=30).text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    resp = session.post(odoo_url + "/web/login", data={"login": "admin", "password": "admin", "csrf_token": csrf},
                        timeout=60)
    assert "/odoo" in resp.url, resp.url


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
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
        subprocess.run(["dropdb", "--if-exists", "psa_xero_demo_check"], capture_output=True)
