"""Benchmark of issue #5: import 10,000 contacts and 2,000 items from the harness, with
Xero's rate limits ON, into a fresh company. Prints wall time, the Odoo process's memory,
SQL queries and Xero calls used; asserts nothing.

    ./run test is not needed: python benchmarks/import_bench.py [--contacts 10000] [--items 2000] [--db NAME]

It finds Odoo like ./run does, installs the addon into a throwaway database (unless --db
names one that has it), runs the harness in its own process, and drops what it created.
"""

import argparse
import os
import resource
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Bench, under_odoo_python  # noqa: E402


def load_harness(base, contacts, items):
    """Fill the first demo organisation with bulk contacts and items (limits off while loading)."""
    import requests

    from harness.seed import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_ORGS
    tenant = DEMO_ORGS[0][1]
    token = requests.post(base + "/identity/connect/token", data={
        "grant_type": "client_credentials", "client_id": DEMO_CLIENT_ID,
        "client_secret": DEMO_CLIENT_SECRET}).json()["access_token"]
    headers = {"Authorization": "Bearer " + token, "xero-tenant-id": tenant, "Accept": "application/json"}
    requests.post(base + "/__harness__/limits", json={"enabled": False})
    for start in range(0, contacts, 1000):
        batch = [{"Name": "Bench Customer %05d" % i, "EmailAddress": "c%05d@bench.example" % i,
                  "AccountNumber": "B%05d" % i, "TaxNumber": "GB%09d" % i,
                  "Addresses": [{"AddressType": "STREET", "AddressLine1": "%d High Street" % i, "City": "Leeds",
                                 "PostalCode": "LS1 1AA", "Country": "GB"}],
                  "Phones": [{"PhoneType": "DEFAULT", "PhoneNumber": "0113 %06d" % i}]}
                 for i in range(start, min(start + 1000, contacts))]
        resp = requests.put(base + "/api.xro/2.0/Contacts", json={"Contacts": batch}, headers=headers)
        assert resp.status_code == 200, resp.text[:500]
    for start in range(0, items, 1000):
        batch = [{"Code": "BENCH-%05d" % i, "Name": "Bench item %05d" % i,
                  "SalesDetails": {"UnitPrice": 10 + i % 90, "AccountCode": "200", "TaxType": "OUTPUT2"}}
                 for i in range(start, min(start + 1000, items))]
        resp = requests.put(base + "/api.xro/2.0/Items", json={"Items": batch}, headers=headers)
        assert resp.status_code == 200, resp.text[:500]
    requests.post(base + "/__harness__/limits", json={"enabled": True, "reset": True})
    return tenant


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=10000)
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--db")
    args = parser.parse_args()
    info = under_odoo_python()
    with Bench(info, args.db) as bench:
        import requests
        t0 = time.time()
        tenant_id = load_harness(bench.base, args.contacts, args.items)
        print("harness loaded with %d contacts and %d items in %.1f s" % (args.contacts, args.items, time.time() - t0))
        token = bench.connect()
        requests.post(bench.base + "/__harness__/limits", json={"reset": True})
        from odoo import SUPERUSER_ID, api, sql_db
        with bench.registry().cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env["res.company"].create({"name": "Bench company"})
            tenant = bench.tenant(env, token, tenant_id, company)
            env.flush_all()
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            queries_before = sql_db.sql_counter
            started = time.time()
            summary = env["xero.importer"]._import(tenant, ["products", "customers", "suppliers"])
            env.flush_all()
            elapsed = time.time() - started
            queries = sql_db.sql_counter - queries_before
            rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            limits = requests.get(bench.base + "/__harness__/limits").json()
            calls = sum(v["day"] for v in limits["used"].values())
            created = summary.get("customers", "created") + summary.get("suppliers", "created")
            print("import of %d contacts and %d items, Xero limits on (60/min, 5,000/day)" % (args.contacts,
                                                                                            args.items))
            print("  wall time              %.1f s   (goal <= 60 s)" % elapsed)
            print("  partners created       %d, products created %d" % (created, summary.get("products", "created")))
            print("  Xero calls used        %d of 5,000 per day (%.2f%%)" % (calls, calls / 50.0))
            print("  SQL queries            %d (%.2f per contact)" % (queries, queries / max(1, args.contacts)))
            print("  Odoo process peak RSS  %.0f MB (before the import %.0f MB, +%.0f MB)" % (
                rss_after / 1024, rss_before / 1024, (rss_after - rss_before) / 1024))
            cr.rollback()


if __name__ == "__main__":
    main()
