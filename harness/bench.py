"""Throughput of the harness, limits off: GET requests/s and PUT batches of 50 invoices/s
(Xero), or reads/s and /batch writes of 30 invoices/s (``--ledger qbo``).

    python -m harness.bench [--seconds 5] [--threads 4] [--ledger xero|qbo]

The server runs in its own process (as in real use) so the load generator does not share
its interpreter; both share this machine's cores. Prints figures; asserts nothing.
"""

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time

import requests

from .seed import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_ORGS

TENANT = DEMO_ORGS[0][1]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port, ledger="xero"):
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    proc = subprocess.Popen([sys.executable, "-m", "harness", "serve", "--port", str(port), "--seed", "demo",
                             "--no-limits", "--ledger", ledger, "--qbo-port", str(port)],
                            cwd=repo, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    base = "http://127.0.0.1:%d" % port
    for _ in range(100):
        try:
            requests.get(base + "/__harness__/limits", timeout=1)
            return proc, base
        except requests.ConnectionError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("harness did not start")


def token(base):
    resp = requests.post(base + "/identity/connect/token", data={
        "grant_type": "client_credentials", "client_id": DEMO_CLIENT_ID, "client_secret": DEMO_CLIENT_SECRET})
    resp.raise_for_status()
    return resp.json()["access_token"]


def run(threads, seconds, work, port):
    """Each thread keeps one HTTP/1.1 connection (http.client: a light load generator, so
    the figures measure the server rather than the client library)."""
    counts = [0] * threads
    stop = time.monotonic() + seconds

    def loop(i):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop:
            work(conn)
            counts[i] += 1
        conn.close()

    pool = [threading.Thread(target=loop, args=(i,)) for i in range(threads)]
    started = time.monotonic()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return sum(counts), time.monotonic() - started


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m harness.bench")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--ledger", choices=("xero", "qbo"), default="xero")
    args = parser.parse_args(argv)
    if args.ledger == "qbo":
        return qbo_main(args)
    proc, base = start_server(free_port())
    try:
        headers = {"Authorization": "Bearer " + token(base), "xero-tenant-id": TENANT,
                   "Accept": "application/json"}
        api = base + "/api.xro/2.0"
        contact = requests.put(api + "/Contacts", json={"Name": "Bench Ltd"}, headers=headers).json()
        cid = contact["Contacts"][0]["ContactID"]

        port = int(base.rsplit(":", 1)[1])

        def call(conn, method, path, body=None):
            conn.request(method, "/api.xro/2.0" + path, body=body, headers=dict(
                headers, **({"Content-Type": "application/json"} if body else {})))
            resp = conn.getresponse()
            data = resp.read()
            assert resp.status == 200, data[:300]

        def get(conn):
            call(conn, "GET", "/Items")

        def put(conn):
            body = {"Invoices": [{"Type": "ACCREC", "Contact": {"ContactID": cid}, "Status": "AUTHORISED",
                                  "Date": "2026-11-01", "DueDate": "2026-11-30", "LineItems": [
                                      {"Description": "Remote support", "Quantity": 2, "UnitAmount": 85,
                                       "AccountCode": "200", "TaxType": "OUTPUT2"},
                                      {"ItemCode": "MANAGED-SEAT", "Quantity": 12}]} for _ in range(50)]}
            call(conn, "PUT", "/Invoices?summarizeErrors=false", json.dumps(body))

        n_get, t_get = run(args.threads, args.seconds, get, port)
        n_put, t_put = run(args.threads, args.seconds, put, port)
        print("harness benchmark (limits off, %d client threads, server in its own process, %d cores)"
              % (args.threads, os.cpu_count()))
        print("  GET /Items                   %8.0f requests/s   (%d in %.1f s)" % (n_get / t_get, n_get, t_get))
        print("  PUT /Invoices, 50 per batch  %8.1f batches/s    (%d batches = %d invoices/s)"
              % (n_put / t_put, n_put, n_put * 50 / t_put))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return 0


def qbo_main(args):
    """QBO: GET an invoice by Id, and POST /batch of 30 invoice creations (the default limit)."""
    from .qbo import seed as qbo_seed
    from .qbo.testing import connect

    port = free_port()
    proc, base = start_server(port, "qbo")
    try:
        realm = qbo_seed.US_REALM
        token = connect(base, qbo_seed.DEMO_CLIENT_ID, qbo_seed.DEMO_CLIENT_SECRET, qbo_seed.DEMO_REDIRECT_URIS[0],
                        realm)
        headers = {"Authorization": "Bearer " + token["access_token"], "Accept": "application/json",
                   "Content-Type": "application/json"}
        api = "/v3/company/%s" % realm
        state = requests.get(base + "/__harness__/state").json()
        customer = state["Customer"][realm][0]["Id"]
        item = state["Item"][realm][0]["Id"]
        invoice = {"CustomerRef": {"value": customer}, "Line": [
            {"DetailType": "SalesItemLineDetail", "Amount": 170,
             "SalesItemLineDetail": {"ItemRef": {"value": item}, "Qty": 2, "UnitPrice": 85}}]}
        first = requests.post(base + api + "/invoice?minorversion=75", json=invoice, headers=headers).json()
        read_path = api + "/invoice/%s?minorversion=75" % first["Invoice"]["Id"]
        batch = json.dumps({"BatchItemRequest": [{"bId": str(n), "operation": "create", "Invoice": invoice}
                                                 for n in range(30)]})

        def call(conn, method, path, body=None):
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            assert resp.status == 200 and b'"Fault"' not in data, data[:300]

        n_get, t_get = run(args.threads, args.seconds, lambda c: call(c, "GET", read_path), port)
        n_batch, t_batch = run(args.threads, args.seconds,
                               lambda c: call(c, "POST", api + "/batch?minorversion=75", batch), port)
        print("QBO harness benchmark (limits off, %d client threads, server in its own process, %d cores)"
              % (args.threads, os.cpu_count()))
        print("  GET /invoice/{id}            %8.0f requests/s   (%d in %.1f s; a realm may make 500/min = 8.3/s)"
              % (n_get / t_get, n_get, t_get))
        print("  POST /batch, 30 invoices     %8.1f batches/s    (%d batches = %d invoices/s; 40 batches/min "
              "= 0.67/s)" % (n_batch / t_batch, n_batch, n_batch * 30 / t_batch))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
