"""What the drift report relies on, as Xero does it: paged lists with ``pageSize``,
``summaryOnly``, ``Statuses``, ``If-Modified-Since`` seeing deletions and voids, archived
contacts left out unless asked for; and the admin routes that change Xero behind the
connector's back (tests) or fill it in bulk (benchmarks)."""

import email.utils
import time

from .conftest import ORG_A


def bulk(admin, count, cid):
    elements = [{"Type": "ACCREC", "Contact": {"ContactID": cid}, "Status": "AUTHORISED", "InvoiceNumber": "B-%04d" % i,
                 "DueDate": "2026-12-01", "LineItems": [{"Description": "Work", "Quantity": 1, "UnitAmount": 10 + i,
                                                         "AccountCode": "200"}]} for i in range(count)]
    out = admin.post("/documents/bulk", {"tenant": ORG_A, "collection": "Invoices", "elements": elements})
    assert out["errors"] == [] and all(out["ids"]), out
    return out["ids"]


def contact_id(api, name="Drift Co", **extra):
    resp = api.put("/Contacts", {"Contacts": [dict(extra, Name=name)]})
    assert resp.status_code == 200, resp.text
    return resp.json()["Contacts"][0]["ContactID"]


def test_pages_of_page_size_and_summary_only(api, admin):
    ids = bulk(admin, 25, contact_id(api))
    got, page = [], 1
    while True:
        body = api.get("/Invoices", params={"page": page, "pageSize": 10, "summaryOnly": "true"}).json()
        assert body["pagination"]["pageSize"] == 10 and body["pagination"]["itemCount"] == 25
        assert all("LineItems" not in inv for inv in body["Invoices"])
        got += [inv["InvoiceID"] for inv in body["Invoices"]]
        if page >= body["pagination"]["pageCount"]:
            break
        page += 1
    assert page == 3 and got == ids
    # at most 1,000 a page; the default is 100; without summaryOnly the lines are there
    body = api.get("/Invoices", params={"page": 1, "pageSize": 5000}).json()
    assert body["pagination"]["pageSize"] == 1000 and body["Invoices"][0]["LineItems"]
    assert api.get("/Invoices", params={"page": 1}).json()["pagination"]["pageSize"] == 100


def test_deleted_and_voided_are_listed_as_modified_and_by_status(api, admin, harness):
    first, second, third = bulk(admin, 3, contact_id(api))
    since = email.utils.formatdate(harness.app.clock.now() + 1, usegmt=True)
    harness.app.clock.advance(60)
    admin.post("/documents/edit", {"tenant": ORG_A, "collection": "Invoices", "id": first, "Status": "DELETED"})
    voided = api.post("/Invoices/%s" % second, {"InvoiceID": second, "Status": "VOIDED"})
    assert voided.status_code == 200, voided.text
    changed = api.get("/Invoices", params={"page": 1}, headers={"If-Modified-Since": since}).json()["Invoices"]
    assert sorted((i["InvoiceID"], i["Status"]) for i in changed) == sorted([(first, "DELETED"), (second, "VOIDED")])
    listed = api.get("/Invoices", params={"Statuses": "DELETED,VOIDED"}).json()["Invoices"]
    assert {i["InvoiceID"] for i in listed} == {first, second}
    assert third not in {i["InvoiceID"] for i in listed}


def test_admin_changes_behind_the_connectors_back(api, admin):
    [doc] = bulk(admin, 1, contact_id(api))
    out = admin.post("/documents/edit", {"tenant": ORG_A, "collection": "Invoices", "id": doc, "UnitAmount": 99})
    assert out["SubTotal"] == 99 and out["LineItems"][0]["UnitAmount"] == 99  # plus the account's 20 % VAT
    assert api.get("/Invoices/%s" % doc).json()["Invoices"][0]["Total"] == out["Total"] == 118.8
    admin.post("/documents/edit", {"tenant": ORG_A, "collection": "Invoices", "id": doc, "remove": True})
    assert api.get("/Invoices/%s" % doc).status_code == 404
    assert doc not in {i["InvoiceID"] for i in api.get("/Invoices").json()["Invoices"]}


def test_archived_contacts_only_when_asked(api):
    cid = contact_id(api, "Old Client Ltd")
    assert api.post("/Contacts/%s" % cid, {"ContactID": cid, "ContactStatus": "ARCHIVED"}).status_code == 200
    assert cid not in {c["ContactID"] for c in api.get("/Contacts").json()["Contacts"]}
    listed = api.get("/Contacts", params={"includeArchived": "true"}).json()["Contacts"]
    assert cid in {c["ContactID"] for c in listed}


def test_bulk_seed_is_fast_enough_for_benchmarks(api, admin):
    started = time.monotonic()
    bulk(admin, 2000, contact_id(api))
    assert time.monotonic() - started < 60
