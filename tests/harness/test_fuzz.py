"""Bad input never yields a 500: malformed bodies, wrong types, huge strings, unknown tenants
and tokens at every route answer 4xx in Xero's error shape (seeded, repeatable)."""

import json
import random

import pytest
import requests

from .conftest import ORG_A

ROUTES = ["/Contacts", "/Items", "/Invoices", "/CreditNotes", "/PurchaseOrders", "/Payments", "/Accounts",
          "/TaxRates", "/TrackingCategories"]
WRAPPERS = {"/Contacts": "Contacts", "/Items": "Items", "/Invoices": "Invoices", "/CreditNotes": "CreditNotes",
            "/PurchaseOrders": "PurchaseOrders", "/Payments": "Payments", "/Accounts": "Accounts",
            "/TaxRates": "TaxRates", "/TrackingCategories": "TrackingCategories"}
FIELDS = ["Name", "Code", "Type", "Status", "Contact", "LineItems", "Date", "DueDate", "Quantity", "UnitAmount",
          "Amount", "Invoice", "Account", "EmailAddress", "TaxComponents", "SalesDetails", "LineAmountTypes",
          "ContactStatus", "Addresses", "Phones", "DiscountRate", "ItemCode", "AccountCode", "TaxType",
          "InvoiceNumber", "ContactID", "InvoiceID", "Tracking", "Options", "Option", "TrackingCategoryID",
          "TrackingOptionID"]


def junk(rng, depth=0):
    choice = rng.randrange(11 if depth < 3 else 7)
    if choice == 0:
        return None
    if choice == 1:
        return rng.choice([True, False])
    if choice == 2:
        return rng.choice([0, -1, 10 ** 30, 1e308, -0.0001, 3.14159])
    if choice == 3:
        return rng.choice(["", "x" * 5000, "/Date(abc)/", "2026-13-45", "ACCREC", "AUTHORISED", "💥",
                           "00000000-0000-0000-0000-000000000000", "NaN", "Infinity", "'; DROP TABLE x;--"])
    if choice in (4, 5, 6):
        return rng.choice(["DRAFT", "ACCPAY", "200", "OUTPUT2", "090", "REMOTE-SUPPORT", "Acme Dental Group"])
    if choice in (7, 8):
        return [junk(rng, depth + 1) for _ in range(rng.randrange(3))]
    return {rng.choice(FIELDS): junk(rng, depth + 1) for _ in range(rng.randrange(5))}


def assert_xero_shape(resp):
    assert resp.status_code < 500, (resp.status_code, resp.text[:500])
    if resp.status_code >= 400 and resp.content:
        body = resp.json()
        assert ("ErrorNumber" in body and "Message" in body) or ("Title" in body and "Detail" in body) \
            or "error" in body, body


def test_fuzzed_bodies_never_500(api):
    rng = random.Random(20261125)
    for _ in range(400):
        route = rng.choice(ROUTES)
        method = rng.choice(["PUT", "POST"])
        kind = rng.randrange(4)
        if kind == 0:
            data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 60)))
            resp = api.request(method, route, data=data, headers={"Content-Type": "application/json"})
        elif kind == 1:
            resp = api.request(method, route, json=junk(rng))
        elif kind == 2:
            resp = api.request(method, route + rng.choice(["", "?summarizeErrors=false", "?unitdp=4"]),
                               json={WRAPPERS[route]: [junk(rng) for _ in range(rng.randrange(1, 4))]})
        else:
            resp = api.request(method, route + "/" + rng.choice(["abc", "00000000-0000-0000-0000-000000000000"]),
                               json={WRAPPERS[route]: [junk(rng)]})

        assert_xero_shape(resp)


def test_fuzzed_tracking_never_500(api, admin):
    """Tracking sub-routes on real categories and options, and lines naming them with junk."""
    admin.limits(enabled=False)
    rng = random.Random(12)
    for name in ("Region", "Department"):
        api.put("/TrackingCategories", {"Name": name, "Options": [{"Name": "North"}, {"Name": "South"}]})
    for _ in range(150):
        cat = rng.choice(api.get("/TrackingCategories?includeArchived=true").json()["TrackingCategories"])
        cid = cat["TrackingCategoryID"]
        options = [o["TrackingOptionID"] for o in cat["Options"]] or ["abc"]
        sub = rng.choice(["", "/Options", "/Options/" + rng.choice(options)])
        body = rng.choice([junk(rng), {"Options": [junk(rng)]}, {"Name": junk(rng)}, {"Status": junk(rng)}])
        assert_xero_shape(api.request(rng.choice(["PUT", "POST", "DELETE"]), "/TrackingCategories/" + cid + sub,
                                      json=body))
        tracking = rng.choice([junk(rng), [junk(rng)], [{"Name": cat["Name"], "Option": junk(rng)}],
                               [{"TrackingCategoryID": cid, "TrackingOptionID": rng.choice(options + [junk(rng)])}],
                               [{"TrackingCategoryID": junk(rng), "Option": "North"}]])
        assert_xero_shape(api.put("/Invoices?summarizeErrors=false", {"Invoices": [{
            "Type": "ACCREC", "Contact": {"Name": "Acme Dental Group"}, "LineItems": [{
                "Description": "x", "UnitAmount": 1, "AccountCode": "200", "Tracking": tracking}]}]}))


def test_fuzzed_queries_never_500(api):
    rng = random.Random(7)
    wheres = ['Name=="x"', "Name==", "Total>10", 'Contact.ContactID==guid("bad")', "((", 'Name.Contains("a")',
              "Status==\"PAID\" OR Status==\"VOIDED\"", "Date>=DateTime(2026,01,01)", "x" * 3000, "a==b==c"]
    for route in ROUTES:
        for _ in range(12):
            params = {rng.choice(["where", "order", "page", "pageSize", "IDs", "Statuses", "unitdp"]):
                      rng.choice(wheres + ["-1", "0", "abc", "99999999999999999999", "Name DESC", "Total ASC"])}
            assert_xero_shape(api.get(route, params=params))
        assert_xero_shape(api.get(route, headers={"If-Modified-Since": rng.choice(["garbage", "", "2026-01-01"])}))


@pytest.mark.parametrize("path", ["/api.xro/2.0/Contacts", "/api.xro/2.0/Invoices", "/connections",
                                  "/api.xro/2.0/Organisation"])
def test_bad_tokens_and_tenants(harness, path, token):
    url = harness.url + path
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"},
                    {"Authorization": "Bearer " + "x" * 5000},
                    {"Authorization": "Bearer " + token["access_token"], "xero-tenant-id": "not-a-guid"},
                    {"Authorization": "Bearer " + token["access_token"], "xero-tenant-id": "x" * 300}):
        for method in ("GET", "PUT", "POST", "DELETE"):
            resp = requests.request(method, url, headers=headers, data="{}", timeout=10)
            assert_xero_shape(resp)
            allowed = (401, 403, 404, 405)
            if path == "/connections" and "xero-tenant-id" in headers:
                allowed += (200,)  # /connections needs no tenant: a good token lists them
            assert resp.status_code in allowed, (method, headers, resp.status_code)


def test_identity_endpoints_fuzz(harness):
    rng = random.Random(3)
    for _ in range(60):
        form = {rng.choice(["grant_type", "code", "refresh_token", "client_id", "client_secret", "redirect_uri",
                            "token", "scope"]): rng.choice(["", "x" * 3000, "authorization_code", "refresh_token",
                                                              "client_credentials", "test-client", "💥"])
                for _ in range(rng.randrange(5))}
        for action in ("token", "revocation", "authorize"):
            resp = requests.post(harness.url + "/identity/connect/" + action, data=form, timeout=10)
            assert resp.status_code < 500, resp.text
    resp = requests.get(harness.url + "/identity/connect/authorize?client_id=%F0%9F%92%A5&redirect_uri=x", timeout=10)
    assert resp.status_code == 400


def test_huge_body_is_refused(api):
    resp = api.request("PUT", "/Contacts", data=json.dumps({"Contacts": [{"Name": "x" * 4_000_000}]}),
                       headers={"Content-Type": "application/json"})
    assert resp.status_code == 413


def test_unknown_routes(api, harness):
    assert api.get("/Nope").status_code == 404
    assert requests.get(harness.url + "/nothing/here", timeout=10).status_code == 404
    assert api.get("/Invoices/" + "0" * 8 + "-0000-0000-0000-" + "0" * 12).status_code == 404
    assert api.get("/Invoices", tenant=ORG_A, headers={"Accept": "application/xml"}).status_code == 406
