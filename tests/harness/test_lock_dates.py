"""Lock dates (issue #12): Organisation.PeriodLockDate / EndOfYearLockDate, set through the
admin API, the page and ``serve``'s options, and what Xero refuses dated on or before them."""

import pytest
import requests

from harness.__main__ import main as harness_main
from harness.accounting import validation as msg
from harness.accounting.lockdates import xero_day
from harness.xerojson import parse_date

from . import openapi
from .conftest import ORG_A, ORG_B
from .test_validation import contact_id, errors_of, invoice

PERIOD = msg.PERIOD_LOCKED.format(date="31-Oct-2026")
YEAR_END = msg.END_OF_YEAR_LOCKED.format(date="30-Sep-2026")


def lock(admin, tenant=ORG_A, **values):
    return admin.post("/organisations/%s/lock-dates" % tenant, values)


def messages(element):
    return [m["Message"] for m in element.get("ValidationErrors", [])]


def test_organisation_shows_lock_dates_only_when_set(api, admin):
    org = api.get("/Organisation").json()["Organisations"][0]
    assert "PeriodLockDate" not in org and "EndOfYearLockDate" not in org
    lock(admin, PeriodLockDate="2026-10-31", EndOfYearLockDate="2026-09-30", adviser=False)
    resp = api.get("/Organisation")
    openapi.accounting().validate("GET", "/Organisation", 200, resp.json())
    org = resp.json()["Organisations"][0]
    assert parse_date(org["PeriodLockDate"]).isoformat() == "2026-10-31"
    assert parse_date(org["EndOfYearLockDate"]).isoformat() == "2026-09-30"
    assert not any(k.startswith("_") for k in org)  # the adviser flag is the harness's own
    other = api.get("/Organisation", tenant=ORG_B).json()["Organisations"][0]
    assert "PeriodLockDate" not in other
    lock(admin, PeriodLockDate=None)
    org = api.get("/Organisation").json()["Organisations"][0]
    assert "PeriodLockDate" not in org and "EndOfYearLockDate" in org


def test_approved_documents_on_or_before_a_lock_date_are_refused(api, admin):
    lock(admin, PeriodLockDate="2026-10-31", EndOfYearLockDate="2026-09-30")
    cid = contact_id(api)
    out = api.put("/Invoices?summarizeErrors=false", {"Invoices": [
        invoice(cid, Date="2026-10-31"), invoice(cid, Date="2026-09-15"), invoice(cid, Date="2026-11-01"),
        invoice(cid, Date="2026-10-01", Status="DRAFT"), invoice(cid, Date="2026-10-01", Status="SUBMITTED"),
        invoice(cid, Type="ACCPAY", Date="2026-10-02")]}).json()["Invoices"]
    assert [e["StatusAttributeString"] for e in out] == ["ERROR", "ERROR", "OK", "OK", "OK", "ERROR"]
    assert messages(out[0]) == [PERIOD]
    assert messages(out[1]) == [PERIOD, YEAR_END]  # both, as Xero lists them
    assert messages(out[5]) == [PERIOD]
    # the draft cannot be approved while its date is locked, nor an approved one moved into the period
    draft = out[3]["InvoiceID"]
    assert errors_of(api.post("/Invoices/" + draft, {"Invoices": [{"Status": "AUTHORISED"}]})) == [PERIOD]
    approved = out[2]["InvoiceID"]
    assert errors_of(api.post("/Invoices/" + approved, {"Invoices": [{"Date": "2026-10-20"}]})) == [PERIOD]
    credit = api.put("/CreditNotes", {"CreditNotes": [{
        "Type": "ACCRECCREDIT", "Contact": {"ContactID": cid}, "Date": "2026-10-20", "Status": "AUTHORISED",
        "LineItems": [{"Description": "x", "Quantity": 1, "UnitAmount": 5, "AccountCode": "200"}]}]})
    assert errors_of(credit) == [PERIOD]
    # purchase orders post nothing to the ledger: no lock applies
    order = api.put("/PurchaseOrders", {"PurchaseOrders": [{
        "Contact": {"ContactID": cid}, "Date": "2026-09-01", "Status": "AUTHORISED",
        "LineItems": [{"Description": "x", "Quantity": 1, "UnitAmount": 5}]}]})
    assert order.status_code == 200, order.text


def test_adviser_is_bound_by_the_end_of_year_lock_only(api, admin):
    lock(admin, PeriodLockDate="2026-10-31", EndOfYearLockDate="2026-09-30", adviser=True)
    cid = contact_id(api)
    assert api.put("/Invoices", {"Invoices": [invoice(cid, Date="2026-10-15")]}).status_code == 200
    assert errors_of(api.put("/Invoices", {"Invoices": [invoice(cid, Date="2026-09-30")]})) == [YEAR_END]


def test_payments_allocations_and_voids_in_a_locked_period(api, admin):
    cid = contact_id(api)
    inv = api.put("/Invoices", {"Invoices": [invoice(cid, Date="2026-10-10")]}).json()["Invoices"][0]
    paid = api.put("/Payments", {"Payments": [{"Invoice": {"InvoiceID": inv["InvoiceID"]}, "Account": {"Code": "090"},
                                               "Amount": 10, "Date": "2026-10-12"}]}).json()["Payments"][0]
    other = api.put("/Invoices", {"Invoices": [invoice(cid, Date="2026-10-11")]}).json()["Invoices"][0]
    lock(admin, PeriodLockDate="2026-10-31")
    payment = {"Invoice": {"InvoiceID": inv["InvoiceID"]}, "Account": {"Code": "090"}, "Amount": 10}
    assert errors_of(api.put("/Payments", {"Payments": [dict(payment, Date="2026-10-31")]})) == [PERIOD]
    assert api.put("/Payments", {"Payments": [dict(payment, Date="2026-11-02")]}).status_code == 200
    # deleting the payment of 12 October, or voiding an invoice of 11 October, would change a locked period
    assert errors_of(api.post("/Payments/" + paid["PaymentID"], {"Payments": [{"Status": "DELETED"}]})) == [PERIOD]
    assert errors_of(api.post("/Invoices/" + other["InvoiceID"], {"Invoices": [{"Status": "VOIDED"}]})) == [PERIOD]
    credit = api.put("/CreditNotes", {"CreditNotes": [{
        "Type": "ACCRECCREDIT", "Contact": {"ContactID": cid}, "Date": "2026-11-03", "Status": "AUTHORISED",
        "LineItems": [{"Description": "x", "Quantity": 1, "UnitAmount": 5, "AccountCode": "200"}]}]}).json()
    credit_id = credit["CreditNotes"][0]["CreditNoteID"]
    alloc = api.put("/CreditNotes/%s/Allocations" % credit_id, {"Allocations": [
        {"Invoice": {"InvoiceID": inv["InvoiceID"]}, "Amount": 1, "Date": "2026-10-30"}]})
    assert errors_of(alloc) == [PERIOD]
    lock(admin, PeriodLockDate=None)
    assert api.post("/Invoices/" + other["InvoiceID"], {"Invoices": [{"Status": "VOIDED"}]}).status_code == 200


def test_lock_dates_from_the_page_and_the_admin_api(harness, admin, api):
    page = requests.get(harness.url + "/ui/" + ORG_A, timeout=10)
    assert "Lock dates" in page.text and "name=PeriodLockDate" in page.text
    saved = requests.post(harness.url + "/ui/%s/lock-dates" % ORG_A, timeout=10, allow_redirects=False,
                          data={"PeriodLockDate": "2026-06-30", "EndOfYearLockDate": ""})
    assert saved.status_code == 303
    org = api.get("/Organisation").json()["Organisations"][0]
    assert parse_date(org["PeriodLockDate"]).isoformat() == "2026-06-30" and "EndOfYearLockDate" not in org
    assert "value='2026-06-30'" in requests.get(harness.url + "/ui/" + ORG_A, timeout=10).text
    created = admin.post("/organisations", {"name": "Locked Ltd", "lock_dates": {"EndOfYearLockDate": "2026-03-31"}})
    assert parse_date(created["EndOfYearLockDate"]).isoformat() == "2026-03-31"
    with pytest.raises(RuntimeError):
        lock(admin, PeriodLockDate="not a date")
    with pytest.raises(RuntimeError):
        lock(admin, tenant="00000000-0000-0000-0000-000000000000", PeriodLockDate="2026-01-31")


def test_serve_options_lock_every_organisation(monkeypatch, capsys):
    seen = {}

    def stop(server):  # instead of serving: read what the command set up, then stop
        seen.update({o["Name"]: o for o in server.app.identity.organisations()})
        raise KeyboardInterrupt
    monkeypatch.setattr("harness.server.HarnessServer.serve_forever", stop)
    assert harness_main(["serve", "--port", "0", "--seed", "demo", "--period-lock-date", "2026-06-30",
                         "--end-of-year-lock-date", "2026-03-31"]) == 0
    assert len(seen) == 2
    for org in seen.values():
        assert parse_date(org["PeriodLockDate"]).isoformat() == "2026-06-30"
        assert parse_date(org["EndOfYearLockDate"]).isoformat() == "2026-03-31"


def test_xero_day_is_written_in_english_whatever_the_locale():
    assert xero_day(parse_date("2013-07-31")) == "31-Jul-2013"
    assert xero_day(parse_date("2026-01-05")) == "05-Jan-2026"
