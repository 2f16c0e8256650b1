"""Odoo → Xero payloads, as pure functions (no server); totals checked with the harness's
own implementation of Xero's line formula."""

from decimal import Decimal

import pytest

from odoo.addons.psa_xero_connector.xero import to_xero
from odoo.addons.psa_xero_connector.xero.to_xero import MappingError

from harness.accounting import totals as xero_totals

COMPANY = {"name": "Acme Dental Group", "email": "accounts@acme.example", "ref": "ACME01", "vat": "GB1",
           "street": "1 High St", "city": "Leeds", "zip": "LS1", "country_code": "GB", "phone": "0113 1",
           "is_company": True, "currency": "GBP"}


def test_contact_needs_the_person_to_bill():
    with pytest.raises(MappingError, match="^Contact missing email address$"):
        to_xero.contact_payload(dict(COMPANY, email=False), {"name": "Alice Moore", "email": ""})
    with pytest.raises(MappingError, match="first or last name"):
        to_xero.contact_payload(COMPANY, None)
    payload = to_xero.contact_payload(COMPANY, {"name": "Alice van Moore", "email": "alice@acme.example"},
                                      contact_id="cid")
    assert payload["FirstName"] == "Alice" and payload["LastName"] == "van Moore"
    assert payload["EmailAddress"] == "alice@acme.example" and payload["ContactID"] == "cid"
    assert payload["AccountNumber"] == "ACME01" and payload["TaxNumber"] == "GB1"
    assert payload["Addresses"][0]["City"] == "Leeds" and payload["Phones"] == [
        {"PhoneType": "DEFAULT", "PhoneNumber": "0113 1"}]
    # a supplier needs no person to bill
    assert to_xero.contact_payload(dict(COMPANY, email=False), None, customer=False)["Name"] == "Acme Dental Group"
    with pytest.raises(MappingError, match="255"):
        to_xero.contact_payload(dict(COMPANY, name="x" * 256), None, customer=False)


def test_item_code_and_name_limits():
    product = {"code": "REMOTE-SUPPORT", "name": "Remote support, per hour, business hours, UK engineers",
               "list_price": 85, "sale_ok": True, "purchase_ok": False, "sales_account": "220",
               "sales_tax_type": "OUTPUT2"}
    payload = to_xero.item_payload(product)
    assert len(payload["Name"]) == 50 and payload["Name"].endswith("…")
    assert payload["SalesDetails"] == {"UnitPrice": 85.0, "AccountCode": "220", "TaxType": "OUTPUT2"}
    assert "PurchaseDetails" not in payload and payload["IsSold"] and not payload["IsPurchased"]
    with pytest.raises(MappingError, match="internal reference"):
        to_xero.item_payload(dict(product, code=""))
    with pytest.raises(MappingError, match="longer than 30"):
        to_xero.item_payload(dict(product, code="C" * 31))


def harness_total(payload):
    """What Xero (the harness's implementation of its formula) computes for the payload."""
    sums = []
    for line in payload["LineItems"]:
        qty = Decimal(str(line["Quantity"]))
        unit = Decimal(str(line["UnitAmount"])) if "UnitAmount" in line else None
        disc = Decimal(str(line.get("DiscountRate", 0)))
        _q, _u, amount, discount = xero_totals.line_amounts(qty, unit, disc, Decimal(str(line["LineAmount"])), 4)
        tax = xero_totals.line_tax(amount, None, payload["LineAmountTypes"],
                                   Decimal(str(line["TaxAmount"])) if "TaxAmount" in line else None)
        sums.append((amount, tax, discount))
    return xero_totals.document_totals(sums, payload["LineAmountTypes"])


@pytest.mark.parametrize("lines, expected_types, total, tax", [
    # tax excluded, a discount that makes Xero's formula and Odoo's agree
    ([{"quantity": 3, "price_unit": 9.99, "discount": 12.5, "subtotal": 26.22, "total": 31.46, "tax_type": "OUTPUT2"}],
     "Exclusive", "31.46", "5.24"),
    # price includes tax
    ([{"quantity": 1, "price_unit": 120, "subtotal": 100, "total": 120, "price_include": True, "tax_type": "OUTPUT2"},
      {"quantity": 3, "price_unit": 10, "subtotal": 25, "total": 30, "price_include": True, "tax_type": "OUTPUT2"}],
     "Inclusive", "150.00", "25.00"),
    # several taxes, rounding per line, a unit price Xero's 4-dp formula cannot reproduce
    ([{"quantity": 3, "price_unit": 0.13, "subtotal": 0.39, "total": 0.47, "tax_type": "OUTPUT2"},
      {"quantity": 7, "price_unit": 1.428571, "subtotal": 10.0, "total": 10.5, "tax_type": "RROUTPUT"},
      {"quantity": 1, "price_unit": 40, "subtotal": 40, "total": 40, "tax_type": "ZERORATEDOUTPUT"}],
     "Exclusive", "50.97", "0.58"),
    ([{"quantity": 2, "price_unit": 50, "subtotal": 100, "total": 100}], "NoTax", "100.00", "0.00"),
    # a 6-dp unit price: Xero's 4-dp formula would say 12.30; the line goes by amount (12.35)
    ([{"quantity": 1000, "price_unit": 0.012345, "subtotal": 12.35, "total": 14.82, "tax_type": "OUTPUT2"}],
     "Exclusive", "14.82", "2.47"),
])
def test_document_totals_equal_odoos(lines, expected_types, total, tax):
    lines = [dict(ln, description="line %d" % i, account_code="200") for i, ln in enumerate(lines)]
    collection, payload = to_xero.document_payload({"kind": "out_invoice", "contact_id": "c1", "number": "INV/1",
                                                    "date": "2026-11-01", "due_date": "2026-12-01", "lines": lines})
    assert collection == "Invoices" and payload["Type"] == "ACCREC" and payload["InvoiceNumber"] == "INV/1"
    assert payload["LineAmountTypes"] == expected_types
    assert to_xero.xero_total(payload) == Decimal(total)
    for line, sent in zip(lines, payload["LineItems"], strict=True):
        assert ("UnitAmount" in sent) == (line["price_unit"] != 0.012345)
    _sub, xero_tax, xero_total, _disc = harness_total(payload)
    assert (xero_total, xero_tax) == (Decimal(total), Decimal(tax))


def test_bills_swap_number_and_reference_and_need_mapped_taxes():
    line = {"quantity": 1, "price_unit": 10, "subtotal": 10, "total": 12, "description": "x", "tax_type": "INPUT2"}
    collection, payload = to_xero.document_payload({"kind": "in_invoice", "contact_id": "s1",
                                                    "number": "BILL/2026/0001", "reference": "SUP-77",
                                                    "lines": [line]})
    assert (payload["Type"], payload["InvoiceNumber"], payload["Reference"]) == ("ACCPAY", "SUP-77", "BILL/2026/0001")
    assert to_xero.document_payload({"kind": "out_refund", "contact_id": "c", "lines": [line]})[0] == "CreditNotes"
    with pytest.raises(MappingError, match="not mapped"):
        to_xero.document_payload({"kind": "out_invoice", "contact_id": "c", "lines": [dict(line, tax_type=False)]})
    with pytest.raises(MappingError, match="not in Xero"):
        to_xero.document_payload({"kind": "out_invoice", "contact_id": False, "lines": [line]})


# --- tracking (issue #12) ---------------------------------------------------------------------
REGION = {"TrackingCategoryID": "cat-region", "Name": "Region"}
DEPT = {"TrackingCategoryID": "cat-dept", "Name": "Department"}
TRACKING = {
    1: dict(REGION, TrackingOptionID="opt-north", Option="North"),
    2: dict(REGION, TrackingOptionID="opt-south", Option="South"),
    3: dict(REGION, TrackingOptionID="opt-east", Option="East"),
    10: dict(DEPT, TrackingOptionID="opt-support", Option="Support"),
    11: dict(DEPT, TrackingOptionID="opt-projects", Option="Projects"),
}


def options(parts):
    return [(str(p), [e["Option"] for e in els]) for p, els in parts]


def test_tracking_parts_one_option_per_category():
    # one account of one plan; an account of a plan not mapped (99) is not tracked
    assert options(to_xero.tracking_parts({"1": 100}, TRACKING)) == [("100", ["North"])]
    assert options(to_xero.tracking_parts({"1,99": 100}, TRACKING)) == [("100", ["North"])]
    assert to_xero.tracking_parts({"99": 100}, TRACKING) == [] and to_xero.tracking_parts(None, TRACKING) == []
    # two plans, joint (Odoo's widget writes one key per row) or one key per plan: two categories
    assert options(to_xero.tracking_parts({"1,10": 100}, TRACKING)) == [("100", ["North", "Support"])]
    assert options(to_xero.tracking_parts({"1": 100, "10": 100}, TRACKING)) == [("100", ["North", "Support"])]
    element = to_xero.tracking_parts({"2": 100}, TRACKING)[0][1][0]
    assert element == {"TrackingCategoryID": "cat-region", "TrackingOptionID": "opt-south", "Name": "Region",
                       "Option": "South"}


def test_tracking_parts_splits():
    assert options(to_xero.tracking_parts({"1": 60, "2": 40}, TRACKING)) == [("60", ["North"]), ("40", ["South"])]
    # joint rows over two plans
    assert options(to_xero.tracking_parts({"1,10": 60, "2,10": 40}, TRACKING)) == [
        ("60", ["North", "Support"]), ("40", ["South", "Support"])]
    # one key per plan: each plan's split applies to the other's
    assert options(to_xero.tracking_parts({"1": 50, "2": 50, "10": 80, "11": 20}, TRACKING)) == [
        ("40", ["North", "Support"]), ("10", ["North", "Projects"]),
        ("40", ["South", "Support"]), ("10", ["South", "Projects"])]
    # 70 % allocated: the rest goes without an option; over 100 % is scaled down
    assert options(to_xero.tracking_parts({"1": 70}, TRACKING)) == [("70", ["North"]), ("30", [])]
    assert options(to_xero.tracking_parts({"1": 100, "2": 100}, TRACKING)) == [("50", ["North"]), ("50", ["South"])]
    # rows that differ only by an unmapped plan's account are one share
    assert options(to_xero.tracking_parts({"1,98": 50, "1,99": 50}, TRACKING)) == [("100", ["North"])]


def tracked_invoice(lines, **doc):
    lines = [dict({"description": "Managed services", "account_code": "200", "tax_type": "OUTPUT2"}, **ln)
             for ln in lines]
    return to_xero.document_payload(dict({"kind": "out_invoice", "contact_id": "c1", "number": "INV/7",
                                          "lines": lines, "tracking": TRACKING}, **doc))[1]


def test_line_split_60_40_keeps_totals_to_the_cent():
    payload = tracked_invoice([{"quantity": 1, "price_unit": 1000, "subtotal": 1000, "total": 1200,
                                "analytic_distribution": {"1": 60, "2": 40}}])
    north, south = payload["LineItems"]
    assert (north["LineAmount"], north["TaxAmount"], north["Quantity"], north["UnitAmount"]) == (600, 120, 0.6, 1000)
    assert (south["LineAmount"], south["TaxAmount"], south["Quantity"]) == (400, 80, 0.4)
    assert north["Tracking"] == [TRACKING[1] | {}] and south["Tracking"][0]["Option"] == "South"
    assert north["Description"] == south["Description"] == "Managed services"
    assert to_xero.xero_total(payload) == Decimal("1200.00")
    assert harness_total(payload)[2] == Decimal("1200.00")
    assert to_xero.tracking_splits({"lines": [{"description": "Managed services",
                                               "analytic_distribution": {"1": 60, "2": 40}}],
                                    "tracking": TRACKING}) == [
        ("Managed services", [("60", "Region: North"), ("40", "Region: South")])]


@pytest.mark.parametrize("line, distribution", [
    # thirds of an odd amount: the last share takes what rounding leaves
    ({"quantity": 3, "price_unit": 33.37, "subtotal": 100.11, "total": 120.13}, {"1": 33.33, "2": 33.33, "3": 33.34}),
    # tax included, a discount
    ({"quantity": 7, "price_unit": 14.99, "discount": 10, "subtotal": 78.69, "total": 94.43, "price_include": True},
     {"1": 60, "2": 40}),
    # a 6-dp price that goes by amount, split over two plans and a remainder
    ({"quantity": 1000, "price_unit": 0.012345, "subtotal": 12.35, "total": 14.82}, {"1,10": 45.5, "2,11": 20}),
])
def test_split_lines_total_equal_odoos(line, distribution):
    payload = tracked_invoice([dict(line, analytic_distribution=distribution),
                               {"quantity": 1, "price_unit": 10, "subtotal": 10, "total": 12}])
    odoo_total = Decimal(str(line["total"])) + 12
    assert len(payload["LineItems"]) > 2
    assert to_xero.xero_total(payload) == odoo_total
    assert harness_total(payload)[2] == odoo_total
    split = payload["LineItems"][:-1]
    amount = Decimal(str(line["total"] if payload["LineAmountTypes"] == "Inclusive" else line["subtotal"]))
    assert sum(Decimal(str(p["LineAmount"])) for p in split) == amount
    assert sum(Decimal(str(p["TaxAmount"])) for p in split) == Decimal(str(line["total"])) - Decimal(
        str(line["subtotal"]))
    assert "Tracking" not in payload["LineItems"][-1]


# --- currencies (issue #12) -------------------------------------------------------------------------
LINE = {"description": "Remote support", "quantity": 2, "price_unit": 85, "subtotal": 170, "total": 204,
        "tax_type": "OUTPUT2", "account_code": "200"}


def test_a_foreign_document_goes_with_its_currency_and_odoos_rate():
    doc = {"kind": "out_invoice", "contact_id": "c", "lines": [LINE], "currency": "EUR", "base_currency": "GBP",
           "rate": 1.1500000000000001}
    _collection, payload = to_xero.document_payload(doc)
    # Xero's CurrencyRate and Odoo's rate are the same quantity (document currency per 1 of the
    # company's): sent as it is, at Xero's 6 decimals
    assert (payload["CurrencyCode"], payload["CurrencyRate"]) == ("EUR", 1.15)
    assert to_xero.document_payload(dict(doc, rate=0.86956521739))[1]["CurrencyRate"] == 0.869565
    # Xero's base figures are Odoo's company amounts: 204 EUR at 1.15 is 177.39 GBP
    assert to_xero.to_base(to_xero.xero_total(payload), payload["CurrencyRate"]) == Decimal("177.39")
    for kind in ("in_invoice", "out_refund", "in_refund", "purchase_order"):
        assert to_xero.document_payload(dict(doc, kind=kind, currency="USD", rate=1.27))[1]["CurrencyRate"] == 1.27


def test_the_base_currency_goes_without_a_rate_and_a_foreign_one_never_at_1_or_without():
    base = to_xero.document_payload({"kind": "out_invoice", "contact_id": "c", "lines": [LINE], "currency": "GBP"})[1]
    assert base["CurrencyCode"] == "GBP" and "CurrencyRate" not in base  # Xero's base rate is always 1
    same = to_xero.currency_fields("GBP", "GBP", 1.3)
    assert same == {"CurrencyCode": "GBP"}
    for missing in (None, 0, -1):
        with pytest.raises(MappingError, match="No exchange rate for EUR"):
            to_xero.currency_fields("EUR", "GBP", missing)
    assert to_xero.currency_fields(None, "GBP", 1.2) == {}


# --- Xero's certification checkpoints 20 (Url) and 14 (totals) ----------------------------------
GUIDE_LINES = [  # developer.xero.com "Rounding in Xero": tax per line 11.44, on the total 11.45
    {"description": name, "quantity": 1, "price_unit": price, "subtotal": price, "total": total,
     "tax_type": "OUTPUT2", "account_code": "200"}
    for name, price, total in (("A", 25.06, 28.82), ("B", 25.61, 29.45), ("C", 25.63, 29.47))]


def test_url_back_to_the_odoo_document_must_be_absolute():
    doc = {"kind": "purchase_order", "contact_id": "c", "lines": [LINE], "url": "https://odoo.example/odoo/p/7"}
    assert to_xero.document_payload(doc)[1]["Url"] == "https://odoo.example/odoo/p/7"
    assert "Url" not in to_xero.document_payload(dict(doc, url=False))[1]
    for bad in ("odoo.example/odoo/p/7", "ftp://odoo.example/x", "/odoo/p/7", "https:///odoo/p/7"):
        with pytest.raises(MappingError, match="Link back to Odoo"):
            to_xero.document_payload(dict(doc, url=bad))


def test_odoos_global_rounding_cent_goes_to_the_rounding_account():
    doc = {"kind": "out_invoice", "contact_id": "c", "lines": GUIDE_LINES, "total": 87.75, "rounding_account": "860"}
    payload = to_xero.document_payload(doc)[1]
    assert payload["LineItems"][-1] == {"Description": "Rounding", "Quantity": 1.0, "UnitAmount": 0.01,
                                        "LineAmount": 0.01, "AccountCode": "860", "TaxType": "NONE",
                                        "TaxAmount": 0.0}
    assert to_xero.xero_total(payload) == Decimal("87.75")
    # equal totals: no line; no rounding account: both totals named; more than rounding: refused
    assert len(to_xero.document_payload(dict(doc, total=87.74))[1]["LineItems"]) == 3
    with pytest.raises(MappingError, match="87.74 where Odoo totals 87.75.*rounding account"):
        to_xero.document_payload(dict(doc, rounding_account=False))
    with pytest.raises(MappingError, match="more than rounding"):
        to_xero.document_payload(dict(doc, total=88.00))
