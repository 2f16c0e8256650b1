"""Every Accounting and Identity response body, validated against Xero's OpenAPI schemas."""

import pytest
import requests

from . import openapi

openapi.spec_dir()  # Xero's files live outside the repository (../shared): else the module is skipped


class Checked:
    """Wraps the plain-HTTP client: each response is validated before the test sees it."""

    def __init__(self, api):
        self.api = api
        self.seen = []

    def __call__(self, method, path, body=None, status=200, **kw):
        resp = self.api.request(method, path, json=body, **kw)
        assert resp.status_code == status, resp.text
        data = resp.json() if resp.content else None
        openapi.accounting().validate(method, path, resp.status_code, data)
        self.seen.append((method, path.split("?")[0], resp.status_code))
        return data


@pytest.fixture
def call(api):
    return Checked(api)


def test_connections_match_identity_schema(harness, token):
    resp = requests.get(harness.url + "/Connections", headers={"Authorization": "Bearer " + token["access_token"]})
    openapi.identity().validate("GET", "/Connections", 200, resp.json())


def test_every_accounting_response_matches_the_spec(call):
    call("GET", "/Organisation")
    accounts = call("GET", "/Accounts")["Accounts"]
    call("GET", "/Accounts/" + accounts[0]["AccountID"])
    new_acc = call("PUT", "/Accounts", {"Code": "777", "Name": "Test", "Type": "EXPENSE"})["Accounts"][0]
    call("POST", "/Accounts/" + new_acc["AccountID"], {"Accounts": [{"Status": "ARCHIVED"}]})
    call("DELETE", "/Accounts/" + new_acc["AccountID"])
    call("GET", "/TaxRates")
    call("GET", "/TaxRates/OUTPUT2")
    call("PUT", "/TaxRates", {"TaxRates": [{"Name": "Special", "TaxComponents": [{"Name": "VAT", "Rate": 7.5}]}]})
    contacts = call("PUT", "/Contacts?summarizeErrors=false", {"Contacts": [
        {"Name": "Schema Co", "EmailAddress": "a@schema.example", "Addresses": [{"AddressType": "STREET",
                                                                                "City": "Leeds"}],
         "Phones": [{"PhoneType": "DEFAULT", "PhoneNumber": "0113 000"}]},
        {"Name": "Acme Dental Group"}]})["Contacts"]
    assert [c["StatusAttributeString"] for c in contacts] == ["OK", "ERROR"]
    cid = contacts[0]["ContactID"]
    call("GET", "/Contacts?page=1&pageSize=2")
    call("GET", "/Contacts/" + cid)
    call("POST", "/Contacts/" + cid, {"Contacts": [{"FirstName": "Sam"}]})
    call("POST", "/Contacts", {"Contacts": [{"Name": "Schema Co", "LastName": "Stone"}]})
    items = call("GET", "/Items")["Items"]
    call("GET", "/Items/" + items[0]["ItemID"])
    item = call("PUT", "/Items", {"Items": [{"Code": "SCHEMA-1", "Name": "Schema item",
                                              "SalesDetails": {"UnitPrice": 10, "AccountCode": "200"}}]})["Items"][0]
    call("POST", "/Items/" + item["ItemID"], {"Items": [{"Code": "SCHEMA-1", "Description": "d"}]})
    call("DELETE", "/Items/" + item["ItemID"], status=204)
    # Xero's defaults the import carries: a tracked item, a contact's payment terms and defaults
    tracked = call("PUT", "/Items", {"Items": [{
        "Code": "SCHEMA-STOCK", "InventoryAssetAccountCode": "630",
        "SalesDetails": {"UnitPrice": 10, "AccountCode": "200", "TaxType": "OUTPUT2"},
        "PurchaseDetails": {"UnitPrice": 6, "COGSAccountCode": "310", "TaxType": "INPUT2"}}]})["Items"][0]
    assert tracked["IsTrackedAsInventory"] is True
    terms = call("PUT", "/Contacts", {"Contacts": [{
        "Name": "Schema Terms Co", "DefaultCurrency": "GBP", "SalesDefaultAccountCode": "210",
        "PurchasesDefaultAccountCode": "310", "AccountsReceivableTaxType": "OUTPUT2",
        "AccountsPayableTaxType": "INPUT2",
        "PaymentTerms": {"Sales": {"Day": 20, "Type": "OFFOLLOWINGMONTH"},
                         "Bills": {"Day": 30, "Type": "DAYSAFTERBILLDATE"}}}]})["Contacts"][0]
    call("GET", "/Contacts/" + terms["ContactID"])
    inv_body = {"Type": "ACCREC", "Contact": {"ContactID": cid}, "Date": "2026-11-01", "DueDate": "2026-11-30",
                "Status": "AUTHORISED", "LineItems": [
                    {"ItemCode": "REMOTE-SUPPORT", "Quantity": 1.5},
                    {"Description": "Discounted", "Quantity": 3, "UnitAmount": 9.99, "DiscountRate": 12.5,
                     "AccountCode": "200", "TaxType": "OUTPUT2"}]}
    inv = call("PUT", "/Invoices?summarizeErrors=false", {"Invoices": [inv_body]})["Invoices"][0]
    call("GET", "/Invoices?page=1")
    call("GET", "/Invoices?Statuses=AUTHORISED&IDs=" + inv["InvoiceID"])
    call("GET", "/Invoices/" + inv["InvoiceNumber"])
    call("POST", "/Invoices/" + inv["InvoiceID"], {"Invoices": [{"Reference": "PO 42"}]})
    pay = call("PUT", "/Payments", {"Payments": [{"Invoice": {"InvoiceID": inv["InvoiceID"]},
                                                   "Account": {"Code": "090"}, "Amount": 10, "Date": "2026-11-05"}]})
    call("GET", "/Invoices/" + inv["InvoiceID"])
    call("GET", "/Payments?page=1")
    call("GET", "/Payments/" + pay["Payments"][0]["PaymentID"])
    call("POST", "/Payments/" + pay["Payments"][0]["PaymentID"], {"Payments": [{"Status": "DELETED"}]})
    cn = call("PUT", "/CreditNotes", {"CreditNotes": [{
        "Type": "ACCRECCREDIT", "Contact": {"ContactID": cid}, "Status": "AUTHORISED", "Date": "2026-11-02",
        "LineItems": [{"Description": "Credit", "Quantity": 1, "UnitAmount": 5, "AccountCode": "200"}]}]})
    cn_id = cn["CreditNotes"][0]["CreditNoteID"]
    alloc = call("PUT", "/CreditNotes/%s/Allocations" % cn_id, {"Allocations": [{
        "Invoice": {"InvoiceID": inv["InvoiceID"]}, "Amount": 3, "Date": "2026-11-03"}]})
    call("GET", "/CreditNotes?page=1")
    call("GET", "/CreditNotes/" + cn_id)
    call("DELETE", "/CreditNotes/%s/Allocations/%s" % (cn_id, alloc["Allocations"][0]["AllocationID"]))
    po = call("PUT", "/PurchaseOrders", {"PurchaseOrders": [{
        "Contact": {"ContactID": cid}, "Date": "2026-11-04", "DeliveryDate": "2026-11-10",
        "LineItems": [{"Description": "Cables", "Quantity": 10, "UnitAmount": 2.5}]}]})["PurchaseOrders"][0]
    call("GET", "/PurchaseOrders?page=1")
    call("GET", "/PurchaseOrders/" + po["PurchaseOrderID"])
    call("GET", "/PurchaseOrders/" + po["PurchaseOrderNumber"])
    call("POST", "/PurchaseOrders/" + po["PurchaseOrderID"], {"PurchaseOrders": [{"Status": "AUTHORISED"}]})
    # error bodies follow the spec's Error schema
    call("PUT", "/Contacts", {"Contacts": [{"Name": "Schema Co"}]}, status=400)
    call("PUT", "/Invoices", {"Invoices": [dict(inv_body, InvoiceNumber=inv["InvoiceNumber"])]}, status=400)
    assert len(call.seen) >= 40
