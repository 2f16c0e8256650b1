"""History notes (``/{Collection}/{id}/History``) and the online invoice link
(``/Invoices/{id}/OnlineInvoice``): the SDK round-trips them, every body matches Xero's
OpenAPI schemas, the pages show them."""

import datetime as dt
import random

import pytest
import requests
from xero_python.accounting import (
    Contact,
    Contacts,
    CreditNote,
    CreditNotes,
    HistoryRecord,
    HistoryRecords,
    Invoice,
    Invoices,
    Item,
    Items,
    LineItem,
    PurchaseOrder,
    PurchaseOrders,
)
from xero_python.exceptions import AccountingBadRequestException, NotFoundException

from . import openapi
from .conftest import ORG_A


def notes(*details):
    return HistoryRecords(history_records=[HistoryRecord(details=d) for d in details])


def checked(api, method, path, body=None, status=200):
    resp = api.request(method, path, json=body)
    assert resp.status_code == status, resp.text
    data = resp.json() if resp.content else None
    openapi.accounting().validate(method, path, resp.status_code, data)
    return data


def _invoice(accounting, contact, status="AUTHORISED", kind="ACCREC"):
    return accounting.create_invoices(ORG_A, Invoices(invoices=[Invoice(
        type=kind, contact=Contact(contact_id=contact.contact_id), date=dt.date(2026, 11, 1),
        due_date=dt.date(2026, 12, 1), status=status, line_items=[
            LineItem(description="Remote support", quantity=1, unit_amount=100, account_code="200",
                     tax_type="OUTPUT2")])])).invoices[0]


def test_sdk_notes_on_every_record_the_connector_sends(sdk):
    accounting, _, _ = sdk
    contact = accounting.create_contacts(ORG_A, Contacts(contacts=[Contact(name="History Co")])).contacts[0]
    inv = _invoice(accounting, contact)
    item = accounting.create_items(ORG_A, Items(items=[Item(code="HIST-1", name="History item")])).items[0]
    cn = accounting.create_credit_notes(ORG_A, CreditNotes(credit_notes=[CreditNote(
        type="ACCRECCREDIT", contact=Contact(contact_id=contact.contact_id), date=dt.date(2026, 11, 2),
        status="AUTHORISED", line_items=[LineItem(description="Refund", quantity=1, unit_amount=10,
                                                  account_code="200", tax_type="OUTPUT2")])])).credit_notes[0]
    po = accounting.create_purchase_orders(ORG_A, PurchaseOrders(purchase_orders=[PurchaseOrder(
        contact=Contact(contact_id=contact.contact_id), date=dt.date(2026, 11, 5), line_items=[
            LineItem(description="Monitors", quantity=1, unit_amount=150)])])).purchase_orders[0]
    created = accounting.create_invoice_history(ORG_A, inv.invoice_id, notes("Sent from Odoo by Ann: INV/1"))
    assert [n.details for n in created.history_records] == ["Sent from Odoo by Ann: INV/1"]
    accounting.create_invoice_history(ORG_A, inv.invoice_id, notes("second"), idempotency_key="hist-2")
    # a replay with the same key adds nothing
    accounting.create_invoice_history(ORG_A, inv.invoice_id, notes("second"), idempotency_key="hist-2")
    got = accounting.get_invoice_history(ORG_A, inv.invoice_id).history_records
    assert [n.details for n in got] == ["Sent from Odoo by Ann: INV/1", "second"]
    assert got[0].changes == "Note" and got[0].user == "Test app" and got[0].date_utc is not None
    for create, get, rid in (
            (accounting.create_contact_history, accounting.get_contact_history, contact.contact_id),
            (accounting.create_item_history, accounting.get_item_history, item.item_id),
            (accounting.create_credit_note_history, accounting.get_credit_note_history, cn.credit_note_id),
            (accounting.create_purchase_order_history, accounting.get_purchase_order_history,
             po.purchase_order_id)):
        create(ORG_A, rid, notes("from Odoo"))
        assert [n.details for n in get(ORG_A, rid).history_records] == ["from Odoo"]
    with pytest.raises(NotFoundException):
        accounting.create_invoice_history(ORG_A, "00000000-0000-0000-0000-000000000000", notes("x"))
    with pytest.raises(AccountingBadRequestException) as err:
        accounting.create_invoice_history(ORG_A, inv.invoice_id, notes(""))
    assert "Details" in err.value.reason or "Details" in str(err.value.body)


def test_sdk_online_invoice_only_for_approved_sales_invoices(sdk, harness):
    accounting, _, _ = sdk
    contact = accounting.create_contacts(ORG_A, Contacts(contacts=[Contact(name="Online Co")])).contacts[0]
    inv = _invoice(accounting, contact)
    url = accounting.get_online_invoice(ORG_A, inv.invoice_id).online_invoices[0].online_invoice_url
    assert url.startswith(harness.url + "/ui/online/")
    assert url == accounting.get_online_invoice(ORG_A, inv.invoice_id).online_invoices[0].online_invoice_url
    page = requests.get(url, timeout=10)
    assert page.status_code == 200 and inv.invoice_number in page.text and "Online Co" in page.text
    for draft in (_invoice(accounting, contact, status="DRAFT"), _invoice(accounting, contact, kind="ACCPAY")):
        with pytest.raises(AccountingBadRequestException) as err:
            accounting.get_online_invoice(ORG_A, draft.invoice_id)
        assert "only available for approved sales invoices" in str(err.value.body)


def test_bodies_match_the_spec_and_pages_show_notes(api, harness):
    cid = checked(api, "PUT", "/Contacts", {"Contacts": [{"Name": "Spec Co"}]})["Contacts"][0]["ContactID"]
    inv = checked(api, "PUT", "/Invoices", {"Invoices": [{
        "Type": "ACCREC", "Contact": {"ContactID": cid}, "Status": "AUTHORISED", "DueDate": "2026-12-01",
        "LineItems": [{"Description": "Work", "Quantity": 1, "UnitAmount": 100, "AccountCode": "200"}]}]}
    )["Invoices"][0]
    path = "/Invoices/%s/History" % inv["InvoiceID"]
    checked(api, "PUT", path, {"HistoryRecords": [{"Details": "Sent from Odoo by Ann: INV/2026/00042"}]})
    assert [n["Details"] for n in checked(api, "GET", path)["HistoryRecords"]] == [
        "Sent from Odoo by Ann: INV/2026/00042"]
    checked(api, "PUT", path, {"HistoryRecords": [{"Details": " "}]}, status=400)
    checked(api, "PUT", path, {"HistoryRecords": [{"Details": "x" * 2501}]}, status=400)
    checked(api, "PUT", "/Contacts/%s/History" % cid, {"HistoryRecords": [{"Details": "contact note"}]})
    online = checked(api, "GET", "/Invoices/%s/OnlineInvoice" % inv["InvoiceID"])
    assert online["OnlineInvoices"][0]["OnlineInvoiceUrl"].startswith(harness.url)
    assert api.get("/Accounts/%s/History" % checked(api, "GET", "/Accounts")["Accounts"][0]["AccountID"]
                   ).status_code == 404
    assert api.get("/Contacts/%s/OnlineInvoice" % cid).status_code == 404
    page = requests.get("%s/ui/%s/invoices/%s" % (harness.url, ORG_A, inv["InvoiceID"]), timeout=10)
    assert "Sent from Odoo by Ann: INV/2026/00042" in page.text
    contact_page = requests.get("%s/ui/%s/contacts/%s" % (harness.url, ORG_A, cid), timeout=10)
    assert contact_page.status_code == 200 and "Spec Co" in contact_page.text and "contact note" in contact_page.text
    assert requests.get("%s/ui/online/%s" % (harness.url, "0" * 40), timeout=10).status_code == 404


def test_fuzzed_notes_never_500(api):
    from .test_fuzz import assert_xero_shape, junk
    rng = random.Random(1313)
    cid = api.put("/Contacts", {"Contacts": [{"Name": "Fuzz Co"}]}).json()["Contacts"][0]["ContactID"]
    for _ in range(150):
        target = rng.choice(["/Contacts/" + cid, "/Invoices/abc", "/Items/00000000-0000-0000-0000-000000000000",
                             "/Accounts/x", "/Payments/" + cid])
        sub = rng.choice(["/History", "/OnlineInvoice", "/history"])
        method = rng.choice(["GET", "PUT", "POST", "DELETE"])
        kind = rng.randrange(3)
        if kind == 0:
            resp = api.request(method, target + sub, data=bytes(rng.randrange(256) for _ in range(20)),
                               headers={"Content-Type": "application/json"})
        elif kind == 1:
            resp = api.request(method, target + sub, json=junk(rng))
        else:
            resp = api.request(method, target + sub, json={"HistoryRecords": [junk(rng) for _ in range(3)]})
        assert_xero_shape(resp)
