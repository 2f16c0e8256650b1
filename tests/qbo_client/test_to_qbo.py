"""Neutral dicts → QBO JSON (no server): each payload matches Intuit's XSD (converted by
tests/qbo/xsd_schema.py) and survives python-quickbooks' own objects (from_json → to_json keeps
every field we send), and what QBO would refuse is refused before sending, with a message."""

import json
from decimal import Decimal

import pytest
from quickbooks.objects.bill import Bill
from quickbooks.objects.creditmemo import CreditMemo
from quickbooks.objects.customer import Customer
from quickbooks.objects.invoice import Invoice
from quickbooks.objects.item import Item
from quickbooks.objects.purchaseorder import PurchaseOrder
from quickbooks.objects.vendor import Vendor

from odoo.addons.psa_qbo_connector.qbo import to_qbo
from odoo.addons.psa_qbo_connector.qbo.to_qbo import MappingError

from ..qbo import xsd_schema

SDK = {"Customer": Customer, "Vendor": Vendor, "Item": Item, "Invoice": Invoice, "Bill": Bill,
       "CreditMemo": CreditMemo, "PurchaseOrder": PurchaseOrder}


def contains(big, small, path=""):
    """Every key and value of ``small`` is in ``big`` (numbers compared as numbers)."""
    if isinstance(small, dict):
        assert isinstance(big, dict), path
        for key, value in small.items():
            assert key in big, "%s.%s dropped" % (path, key)
            contains(big[key], value, "%s.%s" % (path, key))
    elif isinstance(small, list):
        assert len(big) == len(small), path
        for i, (a, b) in enumerate(zip(big, small, strict=True)):
            contains(a, b, "%s[%d]" % (path, i))
    elif isinstance(small, (int, float)) and not isinstance(small, bool):
        assert Decimal(str(big)) == Decimal(str(small)), path
    else:
        assert big == small, path


def conforms(entity, payload):
    assert xsd_schema.errors(entity, payload) == []
    sdk = json.loads(SDK[entity].from_json(payload).to_json())
    contains(sdk, {k: v for k, v in payload.items() if k != "sparse"})


PARTNER = {"name": "Acme Dental Group", "is_company": True, "email": "ap@acme.example", "phone": "+44 20 1234",
           "mobile": "+44 7700 900000", "website": "https://acme.example", "ref": "C-042", "vat": "GB123456789",
           "street": "1 High Street", "street2": "Suite 2", "city": "Leeds", "zip": "LS1 1AA", "state_code": "",
           "country_code": "GB", "currency": "GBP"}


def test_customer_and_vendor_payloads_match_the_xsd_and_the_sdk():
    customer = to_qbo.party_payload(PARTNER, "Customer", person={"name": "Jane van der Berg", "email": "jane@x.ex"})
    assert customer["DisplayName"] == "Acme Dental Group" and customer["CompanyName"] == "Acme Dental Group"
    assert (customer["GivenName"], customer["FamilyName"]) == ("Jane", "van der Berg")
    assert customer["PrimaryEmailAddr"] == {"Address": "jane@x.ex"}
    assert customer["BillAddr"] == {"Line1": "1 High Street", "Line2": "Suite 2", "City": "Leeds",
                                    "PostalCode": "LS1 1AA", "Country": "GB"}
    assert "TaxIdentifier" not in customer and customer["CurrencyRef"] == {"value": "GBP"}
    conforms("Customer", customer)
    vendor = to_qbo.party_payload(PARTNER, "Vendor", remote_id="58", sync_token="3")
    assert vendor["TaxIdentifier"] == "GB123456789"
    assert (vendor["Id"], vendor["SyncToken"], vendor["sparse"]) == ("58", "3", True)
    assert "CurrencyRef" not in vendor  # fixed at creation in QBO
    conforms("Vendor", vendor)


def test_party_refusals():
    with pytest.raises(MappingError, match="no name"):
        to_qbo.party_payload({"name": "  "})
    with pytest.raises(MappingError, match="SyncToken"):
        to_qbo.party_payload({"name": "A"}, remote_id="5")


def test_item_payload():
    item = to_qbo.item_payload({"code": "RS-1", "name": "Remote Support", "description": "Per hour",
                                "sale_ok": True, "purchase_ok": True, "list_price": 85, "standard_price": 40.5,
                                "income_account_id": "7", "expense_account_id": "10", "sales_tax_code_id": "3",
                                "purchase_tax_code_id": "4", "purchase_description": "Bought hourly"})
    assert item == {"Name": "Remote Support", "Type": "Service", "Sku": "RS-1", "Description": "Per hour",
                    "IncomeAccountRef": {"value": "7"}, "UnitPrice": 85.0, "SalesTaxCodeRef": {"value": "3"},
                    "ExpenseAccountRef": {"value": "10"}, "PurchaseCost": 40.5, "PurchaseDesc": "Bought hourly",
                    "PurchaseTaxCodeRef": {"value": "4"}}
    conforms("Item", item)
    with pytest.raises(MappingError, match="income account"):
        to_qbo.item_payload({"name": "X", "sale_ok": True})
    with pytest.raises(MappingError, match="':'"):
        to_qbo.item_payload({"name": "A:B", "sale_ok": True, "income_account_id": "1"})


def uk_invoice(**extra):
    return dict({"kind": "out_invoice", "party_id": "58", "number": "INV/2026/0001", "date": "2026-12-01",
                 "due_date": "2026-12-31", "currency": "GBP", "base_currency": "GBP",
                 "marker": "[odoo:db1:account.move:7]",
                 "lines": [{"description": "Remote support", "quantity": 3, "price_unit": 85, "subtotal": 255,
                            "item_id": "1", "tax_code": "3", "class_id": "9"},
                           {"description": "Discounted visit", "quantity": 1.5, "price_unit": 120, "subtotal": 162,
                            "item_id": "2", "tax_code": "5"},
                           {"display_type": "line_section", "description": "Section"}]}, **extra)


def test_uk_invoice_lines_carry_their_vat_code_and_qbo_numbers_sales_forms_itself():
    entity, payload = to_qbo.document_payload(uk_invoice())
    assert entity == "Invoice"
    assert payload["GlobalTaxCalculation"] == "TaxExcluded"
    assert "DocNumber" not in payload  # CustomTxnNumbers off: QBO numbers it
    first, second = payload["Line"]
    assert first == {"Amount": 255.0, "Description": "Remote support", "DetailType": "SalesItemLineDetail",
                     "SalesItemLineDetail": {"ItemRef": {"value": "1"}, "Qty": 3.0, "UnitPrice": 85.0,
                                             "TaxCodeRef": {"value": "3"}, "ClassRef": {"value": "9"}}}
    # 1.5 × 120 = 180 ≠ 162 (a discount): Qty/UnitPrice left out, else QBO answers 6070
    assert second["SalesItemLineDetail"] == {"ItemRef": {"value": "2"}, "TaxCodeRef": {"value": "5"}}
    assert payload["PrivateNote"] == "[odoo:db1:account.move:7]"
    assert "ExchangeRate" not in payload
    conforms("Invoice", payload)
    _, numbered = to_qbo.document_payload(uk_invoice(custom_numbers=True))
    assert numbered["DocNumber"] == "INV/2026/0001"


def test_us_automated_sales_tax_lines_are_tax_or_non_without_global_calculation():
    _, payload = to_qbo.document_payload(uk_invoice(us_ast=True, lines=[
        {"quantity": 1, "price_unit": 300, "subtotal": 300, "item_id": "4", "tax_code": "TAX"},
        {"quantity": 1, "price_unit": 85, "subtotal": 85, "item_id": "1", "tax_code": None}]))
    assert [line["SalesItemLineDetail"]["TaxCodeRef"]["value"] for line in payload["Line"]] == ["TAX", "NON"]
    assert "GlobalTaxCalculation" not in payload and "TxnTaxDetail" not in payload
    conforms("Invoice", payload)


def test_foreign_currency_takes_odoos_rate_inverted_and_tracking():
    _, payload = to_qbo.document_payload(uk_invoice(currency="EUR", rate=1.15, class_id="9", department_id="2"))
    # Odoo: 1.15 EUR per GBP; QBO: GBP per EUR
    assert payload["CurrencyRef"] == {"value": "EUR"} and payload["ExchangeRate"] == pytest.approx(0.8695652174)
    assert payload["ClassRef"] == {"value": "9"} and payload["DepartmentRef"] == {"value": "2"}
    conforms("Invoice", payload)
    with pytest.raises(MappingError, match="No exchange rate for EUR"):
        to_qbo.document_payload(uk_invoice(currency="EUR", rate=0))


def test_bill_credit_memo_and_purchase_order():
    bill = {"kind": "in_invoice", "party_id": "60", "number": "BILL/2026/0004", "reference": "SUP-88",
            "date": "2026-12-02", "due_date": "2027-01-01", "class_id": "9", "marker": "[odoo:db1:account.move:8]",
            "lines": [{"description": "Laptops", "quantity": 2, "price_unit": 500, "subtotal": 1000, "item_id": "4",
                       "tax_code": "4"},
                      {"description": "Licences", "quantity": 1, "price_unit": 20, "subtotal": 20, "account_id": "11",
                       "tax_code": "4"}]}
    entity, payload = to_qbo.document_payload(bill)
    assert entity == "Bill" and payload["VendorRef"] == {"value": "60"}
    assert payload["DocNumber"] == "SUP-88"  # the supplier's number; Odoo's name beside the marker
    assert payload["PrivateNote"] == "[odoo:db1:account.move:8] BILL/2026/0004"
    assert [line["DetailType"] for line in payload["Line"]] == ["ItemBasedExpenseLineDetail",
                                                               "AccountBasedExpenseLineDetail"]
    assert payload["Line"][1]["AccountBasedExpenseLineDetail"] == {
        "AccountRef": {"value": "11"}, "TaxCodeRef": {"value": "4"}, "ClassRef": {"value": "9"}}
    assert "ClassRef" not in payload  # Bill has no transaction class in the XSD
    conforms("Bill", payload)
    entity, payload = to_qbo.document_payload(dict(uk_invoice(), kind="out_refund"))
    assert entity == "CreditMemo"
    conforms("CreditMemo", payload)
    entity, payload = to_qbo.document_payload(dict(bill, kind="purchase_order", number="PO0001"))
    assert entity == "PurchaseOrder" and payload["DocNumber"] == "PO0001" and payload["ClassRef"] == {"value": "9"}
    conforms("PurchaseOrder", payload)


@pytest.mark.parametrize("change, message", [
    ({"kind": "in_refund"}, "not sent to QuickBooks"),
    ({"party_id": None}, "not in QuickBooks yet"),
    ({"lines": []}, "at least one line"),
    ({"custom_numbers": True, "number": "X" * 22}, "longer than QuickBooks' 21"),
    ({"lines": [{"description": "No VAT", "subtotal": 5, "item_id": "1"}]}, "no VAT code"),
    ({"lines": [{"description": "No item", "subtotal": 5, "tax_code": "3"}]}, "catch-all item"),
])
def test_document_refusals(change, message):
    with pytest.raises(MappingError, match=message):
        to_qbo.document_payload(uk_invoice(**change))


def test_catch_all_item_and_sparse_update():
    _, payload = to_qbo.document_payload(uk_invoice(default_item_id="99", lines=[
        {"description": "Time", "subtotal": 5, "tax_code": "3"}]), remote_id="130", sync_token="4")
    assert payload["Line"][0]["SalesItemLineDetail"]["ItemRef"] == {"value": "99"}
    assert (payload["Id"], payload["SyncToken"], payload["sparse"]) == ("130", "4", True)


def test_lost_create_is_looked_up_by_number_else_by_date_and_party_then_marker():
    assert to_qbo.lost_create_query("Bill", {"DocNumber": "O'Neil-1"}) == \
        "select * from Bill where DocNumber = 'O\\'Neil-1'"
    assert to_qbo.lost_create_query("Invoice", {"TxnDate": "2026-12-01", "CustomerRef": {"value": "58"}}) == \
        "select * from Invoice where TxnDate = '2026-12-01' and CustomerRef = '58'"
    mark = to_qbo.marker("3f2a:db", "account.move", 7)
    assert mark == "[odoo:3f2a-db:account.move:7]"
    assert to_qbo.carries_marker({"PrivateNote": "x %s y" % mark}, mark)
    assert not to_qbo.carries_marker({"PrivateNote": "[odoo:3f2a-db:account.move:70]"}, mark)


def test_totals_differ_names_the_difference():
    doc = {"Id": "130", "DocNumber": "1042", "TotalAmt": 325.5, "TxnTaxDetail": {"TotalTax": 25.5}}
    assert to_qbo.totals_differ("325.50", doc) is None
    diff = to_qbo.totals_differ(300, doc, odoo_tax=0)
    assert diff["difference"] == Decimal("25.50") and diff["qbo_tax"] == Decimal("25.50")
    assert diff["message"] == ("QuickBooks totals invoice 1042 at 325.50 where Odoo totals 300.00 (+25.50): "
                               "tax 25.50 in QuickBooks, 0.00 in Odoo")
