"""Xero's validation messages, summarizeErrors, malformed JSON and Idempotency-Key."""

import pytest

from harness.accounting import validation as msg

from .conftest import ORG_A, ORG_B


def contact_id(api, name="Val Co", **extra):
    resp = api.put("/Contacts", {"Contacts": [dict(extra, Name=name)]})
    assert resp.status_code == 200, resp.text
    return resp.json()["Contacts"][0]["ContactID"]


def invoice(cid, **over):
    body = {"Type": "ACCREC", "Contact": {"ContactID": cid}, "Date": "2026-11-01", "DueDate": "2026-11-30",
            "Status": "AUTHORISED", "LineItems": [{"Description": "Work", "Quantity": 1, "UnitAmount": 100,
                                                    "AccountCode": "200", "TaxType": "OUTPUT2"}]}
    body.update(over)
    return body


def errors_of(resp, index=0):
    if resp.status_code == 400:
        return [e["Message"] for e in resp.json()["Elements"][index]["ValidationErrors"]]
    element = list(resp.json().values())[-1][index]
    return [e["Message"] for e in element.get("ValidationErrors", [])]


def test_summarized_400_still_saves_valid_elements(api):
    resp = api.put("/Contacts", {"Contacts": [{"Name": "Good One"}, {"Name": ""}, {"Name": "Good Two"}]})
    assert resp.status_code == 400
    body = resp.json()
    assert body["ErrorNumber"] == 10 and body["Type"] == "ValidationException"
    assert body["Message"] == "A validation exception occurred"
    assert len(body["Elements"]) == 1
    names = {c["Name"] for c in api.get("/Contacts").json()["Contacts"]}
    assert {"Good One", "Good Two"} <= names


def test_summarize_errors_false_reports_each_element(api):
    resp = api.put("/Contacts?summarizeErrors=false", {"Contacts": [{"Name": "Alpha"}, {"Name": "Alpha"}]})
    assert resp.status_code == 200
    first, second = resp.json()["Contacts"]
    assert first["StatusAttributeString"] == "OK" and first["ContactID"]
    assert second["StatusAttributeString"] == "ERROR"
    assert second["ValidationErrors"][0]["Message"] == msg.CONTACT_NAME_TAKEN.format(name="Alpha")


def test_contact_name_unique_only_among_active(api):
    cid = contact_id(api, "Reused Name")
    assert api.post("/Contacts/" + cid, {"Contacts": [{"ContactStatus": "ARCHIVED"}]}).status_code == 200
    assert api.put("/Contacts", {"Contacts": [{"Name": "Reused Name"}]}).status_code == 200


def test_archived_contact_cannot_be_invoiced(api):
    cid = contact_id(api)
    api.post("/Contacts/" + cid, {"Contacts": [{"ContactStatus": "ARCHIVED"}]})
    resp = api.put("/Invoices", {"Invoices": [invoice(cid)]})
    assert errors_of(resp) == [msg.CONTACT_ARCHIVED]


@pytest.mark.parametrize("line, expected", [
    ({"ItemCode": "NOPE", "Quantity": 1}, msg.ITEM_CODE_INVALID.format(code="NOPE")),
    ({"Description": "x", "Quantity": 1, "UnitAmount": 1, "AccountCode": "476"},
     msg.ACCOUNT_CODE_INVALID.format(code="476")),
    ({"Description": "x", "Quantity": 1, "UnitAmount": 1, "AccountCode": "200", "TaxType": "BOGUS"},
     msg.TAX_TYPE_INVALID.format(code="BOGUS")),
    ({"Description": "x", "Quantity": 1, "UnitAmount": 1}, msg.ACCOUNT_CODE_REQUIRED),
])
def test_line_errors(api, line, expected):
    resp = api.put("/Invoices", {"Invoices": [invoice(contact_id(api), LineItems=[line])]})
    assert resp.status_code == 400
    assert expected in errors_of(resp)


def test_archived_account_code_refused(api):
    acc = api.get('/Accounts?where=Code=="400"').json()["Accounts"][0]
    api.post("/Accounts/" + acc["AccountID"], {"Accounts": [{"Status": "ARCHIVED"}]})
    resp = api.put("/Invoices", {"Invoices": [invoice(contact_id(api), LineItems=[
        {"Description": "Ad", "Quantity": 1, "UnitAmount": 5, "AccountCode": "400"}])]})
    assert errors_of(resp) == [msg.ACCOUNT_CODE_ARCHIVED.format(code="400")]


def test_draft_without_account_code_is_fine(api):
    resp = api.put("/Invoices", {"Invoices": [invoice(contact_id(api), Status="DRAFT", LineItems=[
        {"Description": "x", "Quantity": 1, "UnitAmount": 1}])]})
    assert resp.status_code == 200


def test_invoice_number_unique_for_sales_only(api):
    cid = contact_id(api)
    assert api.put("/Invoices", {"Invoices": [invoice(cid, InvoiceNumber="INV-900")]}).status_code == 200
    dup = api.put("/Invoices", {"Invoices": [invoice(cid, InvoiceNumber="INV-900")]})
    assert errors_of(dup) == [msg.INVOICE_NUMBER_TAKEN]
    # the same number in another organisation is fine
    other = api.put("/Contacts", {"Contacts": [{"Name": "B org contact"}]}, tenant=ORG_B).json()["Contacts"][0]
    assert api.put("/Invoices", {"Invoices": [invoice(other["ContactID"], InvoiceNumber="INV-900")]},
                   tenant=ORG_B).status_code == 200


def test_payment_over_amount_due(api):
    inv = api.put("/Invoices", {"Invoices": [invoice(contact_id(api))]}).json()["Invoices"][0]
    resp = api.put("/Payments", {"Payments": [{"Invoice": {"InvoiceID": inv["InvoiceID"]}, "Account": {"Code": "090"},
                                               "Amount": 120.01}]})
    assert errors_of(resp) == [msg.PAYMENT_TOO_BIG]
    wrong_account = api.put("/Payments", {"Payments": [{"Invoice": {"InvoiceID": inv["InvoiceID"]},
                                                        "Account": {"Code": "200"}, "Amount": 1}]})
    assert errors_of(wrong_account) == [msg.PAYMENT_ACCOUNT_INVALID]


def test_paid_invoice_is_locked(api):
    inv = api.put("/Invoices", {"Invoices": [invoice(contact_id(api))]}).json()["Invoices"][0]
    api.put("/Payments", {"Payments": [{"Invoice": {"InvoiceID": inv["InvoiceID"]}, "Account": {"Code": "090"},
                                        "Amount": 50}]})
    edit = api.post("/Invoices/" + inv["InvoiceID"], {"Invoices": [{"Reference": "x"}]})
    assert errors_of(edit) == [msg.DOCUMENT_LOCKED]
    void = api.post("/Invoices/" + inv["InvoiceID"], {"Invoices": [{"Status": "VOIDED"}]})
    assert errors_of(void) == [msg.DOCUMENT_LOCKED]


def test_field_limits(api):
    resp = api.put("/Items?summarizeErrors=false", {"Items": [
        {"Code": "C" * 31, "Name": "ok"}, {"Code": "OK1", "Name": "N" * 51}, {"Name": "no code"}]})
    errs = [[e["Message"] for e in i.get("ValidationErrors", [])] for i in resp.json()["Items"]]
    assert errs[0] == [msg.too_long("Code", 30)]
    assert errs[1] == [msg.too_long("Name", 50)]
    assert errs[2] == [msg.ITEM_CODE_REQUIRED]
    long_name = api.put("/Contacts", {"Contacts": [{"Name": "x" * 256}]})
    assert errors_of(long_name) == [msg.too_long("Name", 255)]


def test_tracked_items_and_payment_terms(api):
    """Item.IsTrackedAsInventory follows InventoryAssetAccountCode (an INVENTORY account) and
    PurchaseDetails.COGSAccountCode; Contact.PaymentTerms takes PaymentTermType's values and a
    day 0-31 (xero_accounting.yaml: Item, Purchase, PaymentTerm, Bill, PaymentTermType)."""
    resp = api.put("/Items?summarizeErrors=false", {"Items": [
        {"Code": "STOCK-1", "InventoryAssetAccountCode": "630", "PurchaseDetails": {"COGSAccountCode": "310"}},
        {"Code": "STOCK-2", "InventoryAssetAccountCode": "630"},
        {"Code": "STOCK-3", "InventoryAssetAccountCode": "200", "PurchaseDetails": {"COGSAccountCode": "310"}},
        {"Code": "STOCK-4", "InventoryAssetAccountCode": "999", "PurchaseDetails": {"COGSAccountCode": "310"}}]})
    items = resp.json()["Items"]
    assert [i.get("IsTrackedAsInventory") for i in items[:2]] == [True, False]
    assert [e["Message"] for e in items[2]["ValidationErrors"]] == [
        "InventoryAssetAccountCode must be an account of type INVENTORY."]
    assert [e["Message"] for e in items[3]["ValidationErrors"]] == [msg.ACCOUNT_CODE_INVALID.format(code="999")]
    resp = api.put("/Contacts?summarizeErrors=false", {"Contacts": [
        {"Name": "Terms A", "PaymentTerms": {"Sales": {"Day": 20, "Type": "OFFOLLOWINGMONTH"},
                                             "Bills": {"Day": 7, "Type": "DAYSAFTERBILLMONTH"}}},
        {"Name": "Terms B", "PaymentTerms": {"Sales": {"Day": 20, "Type": "NEXTWEEK"}}},
        {"Name": "Terms C", "PaymentTerms": {"Bills": {"Day": 40, "Type": "DAYSAFTERBILLDATE"}}}]})
    contacts = resp.json()["Contacts"]
    assert contacts[0]["PaymentTerms"] == {"Sales": {"Day": 20, "Type": "OFFOLLOWINGMONTH"},
                                           "Bills": {"Day": 7, "Type": "DAYSAFTERBILLMONTH"}}
    assert [e["Message"] for e in contacts[1]["ValidationErrors"]] == [
        "Payment term type must be one of DAYSAFTERBILLDATE, DAYSAFTERBILLMONTH, OFCURRENTMONTH, OFFOLLOWINGMONTH."]
    assert [e["Message"] for e in contacts[2]["ValidationErrors"]] == ["Payment term day must be between 0 and 31."]


def test_po_number_unique(api):
    cid = contact_id(api)
    body = {"Contact": {"ContactID": cid}, "PurchaseOrderNumber": "PO-X1",
            "LineItems": [{"Description": "x", "Quantity": 1, "UnitAmount": 1}]}
    assert api.put("/PurchaseOrders", {"PurchaseOrders": [body]}).status_code == 200
    assert errors_of(api.put("/PurchaseOrders", {"PurchaseOrders": [body]})) == [msg.ORDER_NUMBER_TAKEN]


def test_malformed_json(api):
    resp = api.request("PUT", "/Contacts", data=b'{"Contacts": [', headers={"Content-Type": "application/json"})
    assert resp.status_code == 400
    body = resp.json()
    assert body["ErrorNumber"] == 14 and body["Type"] == "PostDataInvalidException"


def test_idempotency_key_replay_saves_nothing_new(api, admin):
    cid = contact_id(api)
    key = {"Idempotency-Key": "bill-42-attempt"}
    bill = invoice(cid, Type="ACCPAY", InvoiceNumber="SUPP-1")
    first = api.put("/Invoices", {"Invoices": [bill]}, headers=key)
    again = api.put("/Invoices", {"Invoices": [bill]}, headers=key)
    assert first.status_code == again.status_code == 200
    assert first.json()["Invoices"][0]["InvoiceID"] == again.json()["Invoices"][0]["InvoiceID"]
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert len([i for i in admin.records("invoice", ORG_A) if i["Type"] == "ACCPAY"]) == 1
    # without a key the same PUT duplicates the bill, as Xero does
    api.put("/Invoices", {"Invoices": [bill]})
    assert len([i for i in admin.records("invoice", ORG_A) if i["Type"] == "ACCPAY"]) == 2
    too_long = api.put("/Invoices", {"Invoices": [bill]}, headers={"Idempotency-Key": "k" * 129})
    assert too_long.status_code == 400


def test_where_order_and_unsupported_where(api):
    for name in ("Zed Widgets Qx", "Able Widgets Qx"):
        contact_id(api, name)
    found = api.get('/Contacts?where=Name.Contains("widgets qx")&order=Name DESC').json()["Contacts"]
    names = [c["Name"] for c in found]
    assert names == ["Zed Widgets Qx", "Able Widgets Qx"]
    bad = api.get("/Contacts?where=Name%20LIKE%20'x'")
    assert bad.status_code == 400 and "where" in bad.json()["Message"]


def test_sourced_wordings(api):
    """Xero's own words, pinned as literals (sources beside each constant in validation.py)."""
    cid = contact_id(api)
    assert errors_of(api.put("/Contacts", {"Contacts": [{"ContactNumber": "N-1"}]})) == [
        "Contact Name cannot be empty."]
    api.put("/Items", {"Items": [{"Code": "DUP-1", "Name": "One"}]})
    dup = api.put("/Items?summarizeErrors=false", {"Items": [{"Code": "DUP-1", "Name": "Two"}]})
    assert errors_of(dup) == ["Price List Item with Code 'DUP-1' already exists"]
    no_due = api.put("/Invoices", {"Invoices": [invoice(cid, DueDate=None)]})
    assert errors_of(no_due) == ["The document DueDate field must be specified."]
    no_account = api.put("/Invoices", {"Invoices": [invoice(cid, LineItems=[
        {"Description": "x", "Quantity": 1, "UnitAmount": 1}])]})
    assert errors_of(no_account) == ["Account code or ID must be specified"]
    draft = api.put("/Invoices", {"Invoices": [invoice(cid, Status="DRAFT")]}).json()["Invoices"][0]
    pay = api.put("/Payments", {"Payments": [{"Invoice": {"InvoiceID": draft["InvoiceID"]},
                                              "Account": {"Code": "090"}, "Amount": 1}]})
    assert errors_of(pay) == ["Payments can only be made against Authorised documents."]
    deleted = api.post("/Invoices/" + draft["InvoiceID"], {"Invoices": [{"Status": "DELETED"}]})
    assert deleted.status_code == 200, deleted.text
    undelete = api.post("/Invoices/" + draft["InvoiceID"], {"Invoices": [{"Status": "DRAFT"}]})
    assert errors_of(undelete) == ["Invoice not of valid status for modification"]
    code = api.put("/Accounts", {"Code": "12345678901", "Name": "Too long", "Type": "EXPENSE"})
    assert errors_of(code) == ["Account Code is too long. Maximum of 10 characters allowed"]
    # an allocation over the invoice's amount due, then over the credit left: the same words
    inv = api.put("/Invoices", {"Invoices": [invoice(cid)]}).json()["Invoices"][0]  # 120 due
    cn = api.put("/CreditNotes", {"CreditNotes": [dict(invoice(cid, LineItems=[
        {"Description": "Refund", "Quantity": 1, "UnitAmount": 500, "AccountCode": "200", "TaxType": "OUTPUT2"}]),
        Type="ACCRECCREDIT")]}).json()["CreditNotes"][0]  # 600 of credit
    over_due = api.put("/CreditNotes/%s/Allocations" % cn["CreditNoteID"], {"Allocations": [{
        "Invoice": {"InvoiceID": inv["InvoiceID"]}, "Amount": 130}]})
    small = api.put("/CreditNotes", {"CreditNotes": [dict(invoice(cid, LineItems=[
        {"Description": "Refund", "Quantity": 1, "UnitAmount": 5, "AccountCode": "200", "TaxType": "OUTPUT2"}]),
        Type="ACCRECCREDIT")]}).json()["CreditNotes"][0]  # 6 of credit
    over_credit = api.put("/CreditNotes/%s/Allocations" % small["CreditNoteID"], {"Allocations": [{
        "Invoice": {"InvoiceID": inv["InvoiceID"]}, "Amount": 7}]})
    for resp in (over_due, over_credit):
        assert errors_of(resp) == ["Credit Note cannot be allocated as amount is greater than amount outstanding"]
