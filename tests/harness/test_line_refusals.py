"""What Xero refuses on a document line (issue #12, "Say it before Xero does"): an account a
document cannot use, an archived account or tax rate, a tax rate the account's class may not
carry; and the error element of every entity shaped as Xero's schema has it."""

import pytest

from harness.accounting import validation as msg

from . import openapi
from .conftest import ORG_A
from .test_validation import contact_id, errors_of, invoice


def line(account="200", tax="OUTPUT2", **extra):
    out = {"Description": "x", "Quantity": 1, "UnitAmount": 10, "AccountCode": account}
    if tax:
        out["TaxType"] = tax
    return dict(out, **extra)


@pytest.mark.parametrize("doc_type, account, tax, expected", [
    # a bank account, Accounts Receivable / Payable, VAT and retained earnings are Xero's own
    ("ACCREC", "090", None, msg.ACCOUNT_CODE_NOT_FOR_DOCUMENT.format(code="090")),
    ("ACCPAY", "800", None, msg.ACCOUNT_CODE_NOT_FOR_DOCUMENT.format(code="800")),
    ("ACCREC", "610", None, msg.ACCOUNT_CODE_NOT_FOR_DOCUMENT.format(code="610")),
    ("ACCPAY", "820", None, msg.ACCOUNT_CODE_NOT_FOR_DOCUMENT.format(code="820")),
    ("ACCREC", "960", None, msg.ACCOUNT_CODE_NOT_FOR_DOCUMENT.format(code="960")),
    # VAT on income cannot go on an expense account, VAT on expenses not on a revenue account
    ("ACCPAY", "429", "OUTPUT2", msg.TAX_TYPE_NOT_FOR_ACCOUNT.format(tax="OUTPUT2", code="429")),
    ("ACCREC", "200", "INPUT2", msg.TAX_TYPE_NOT_FOR_ACCOUNT.format(tax="INPUT2", code="200")),
    ("ACCREC", "310", "ZERORATEDOUTPUT", msg.TAX_TYPE_NOT_FOR_ACCOUNT.format(tax="ZERORATEDOUTPUT", code="310")),
])
def test_account_and_tax_refused_on_a_line(api, doc_type, account, tax, expected):
    resp = api.put("/Invoices", {"Invoices": [invoice(contact_id(api), Type=doc_type,
                                                      LineItems=[line(account, tax)])]})
    assert resp.status_code == 400
    assert errors_of(resp) == [expected]


@pytest.mark.parametrize("doc_type, account, tax", [
    ("ACCPAY", "200", "OUTPUT2"),   # a revenue account on a bill (a supplier's refund of a sale): Xero allows it
    ("ACCREC", "429", "INPUT2"),    # an expense account on a sales invoice (recharged costs)
    ("ACCPAY", "720", "INPUT2"),    # a fixed asset bought
    ("ACCREC", "860", None),        # the rounding account takes rounding lines
    ("ACCPAY", "429", "NONE"),
])
def test_allowed_combinations(api, doc_type, account, tax):
    resp = api.put("/Invoices", {"Invoices": [invoice(contact_id(api), Type=doc_type,
                                                      LineItems=[line(account, tax)])]})
    assert resp.status_code == 200, resp.text


def test_tax_rates_carry_xeros_can_apply_flags(api):
    rates = {r["TaxType"]: r for r in api.get("/TaxRates").json()["TaxRates"]}
    assert rates["OUTPUT2"]["CanApplyToExpenses"] is False and rates["OUTPUT2"]["CanApplyToRevenue"] is True
    assert rates["INPUT2"]["CanApplyToRevenue"] is False and rates["INPUT2"]["CanApplyToExpenses"] is True
    assert all(rates["NONE"][f] for f in ("CanApplyToAssets", "CanApplyToEquity", "CanApplyToExpenses",
                                          "CanApplyToLiabilities", "CanApplyToRevenue"))
    accounts = {a["Code"]: a for a in api.get("/Accounts").json()["Accounts"]}
    assert accounts["610"]["SystemAccount"] == "DEBTORS" and "SystemAccount" not in accounts["200"]


def test_archived_tax_rate_and_the_account_of_an_item(api):
    api.post("/TaxRates", {"TaxRates": [{"Name": "5% (VAT on Income)", "Status": "ARCHIVED"}]})
    resp = api.put("/Invoices", {"Invoices": [invoice(contact_id(api), LineItems=[line("200", "RROUTPUT")])]})
    assert errors_of(resp) == [msg.TAX_TYPE_INVALID.format(code="RROUTPUT")]
    # an item's purchase account is checked like the line's own: M365-BP buys on 310 with INPUT2
    bill = api.put("/Invoices", {"Invoices": [invoice(contact_id(api, "Sup"), Type="ACCPAY", LineItems=[
        {"ItemCode": "M365-BP", "Quantity": 1, "TaxType": "OUTPUT2"}])]})
    assert errors_of(bill) == [msg.TAX_TYPE_NOT_FOR_ACCOUNT.format(tax="OUTPUT2", code="310")]


# --- error elements, as Xero's schemas shape them ------------------------------------------------------
SCHEMA = {"Contacts": "Contact", "Invoices": "Invoice", "CreditNotes": "CreditNote", "Items": "Item",
          "Payments": "Payment", "PurchaseOrders": "PurchaseOrder"}
FLAGS = ("HasErrors", "HasValidationErrors")


def refused(api, collection, element):
    resp = api.put("/%s?summarizeErrors=false" % collection, {collection: [element]})
    assert resp.status_code == 200, resp.text
    openapi.accounting().validate("PUT", "/" + collection, 200, resp.json())
    out = resp.json()[collection][0]
    summarised = api.put("/" + collection, {collection: [element]})
    assert summarised.status_code == 400
    return out, summarised.json()["Elements"][0]


def test_every_entitys_error_element_has_xeros_shape(api):
    cid = contact_id(api)
    inv = api.put("/Invoices", {"Invoices": [invoice(cid)]}).json()["Invoices"][0]
    cases = {
        "Contacts": {"Name": ""},
        "Invoices": invoice(cid, LineItems=[line("090", None)]),
        "CreditNotes": {"Type": "ACCRECCREDIT", "Contact": {"ContactID": cid}, "Status": "AUTHORISED",
                        "LineItems": [line("800", None)]},
        "Items": {"Code": "REMOTE-SUPPORT"},  # taken by the seed
        "Payments": {"Invoice": {"InvoiceID": inv["InvoiceID"]}, "Account": {"Code": "090"}, "Amount": 1000},
        "PurchaseOrders": {"Contact": {"ContactID": cid}, "PurchaseOrderNumber": "PO-1",
                           "LineItems": [line("090", None)]},
    }
    api.put("/PurchaseOrders", {"PurchaseOrders": [cases["PurchaseOrders"]]})  # the number is taken now
    spec = openapi.accounting().spec["components"]["schemas"]
    for collection, element in cases.items():
        for out in refused(api, collection, element):
            props = spec[SCHEMA[collection]]["properties"]
            assert out["StatusAttributeString"] == "ERROR", collection
            assert out["ValidationErrors"] and all(e["Message"] for e in out["ValidationErrors"]), collection
            for flag in FLAGS:
                # the entity's own flag is true; the other one, not in its schema, is absent
                assert out.get(flag) is (True if flag in props else None), (collection, flag, out.get(flag))
    assert "HasValidationErrors" in spec["Contact"]["properties"] and "HasErrors" in spec["Invoice"]["properties"]


def test_empty_contact_name_reported_once(api):
    for name in ("", "   "):
        out = api.put("/Contacts?summarizeErrors=false", {"Contacts": [{"Name": name}]}).json()["Contacts"][0]
        assert [e["Message"] for e in out["ValidationErrors"]] == [msg.CONTACT_NAME_REQUIRED]
        assert out["HasValidationErrors"] is True and "HasErrors" not in out
    cid = contact_id(api, "Renamed Co")
    out = api.post("/Contacts/%s?summarizeErrors=false" % cid, {"Contacts": [{"Name": ""}]}).json()["Contacts"][0]
    assert [e["Message"] for e in out["ValidationErrors"]] == [msg.CONTACT_NAME_REQUIRED]


def test_the_sdk_sees_has_validation_errors_on_a_refused_contact(sdk):
    from xero_python.accounting import Contact, Contacts

    accounting, _identity, _client = sdk
    twice = Contacts(contacts=[Contact(name="SDK Shape"), Contact(name="SDK Shape")])
    answer = accounting.create_contacts(ORG_A, twice, summarize_errors=False)
    good, bad = answer.contacts
    assert good.has_validation_errors is False
    assert bad.has_validation_errors is True
    assert [e.message for e in bad.validation_errors] == [msg.CONTACT_NAME_TAKEN.format(name="SDK Shape")]
