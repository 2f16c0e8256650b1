"""Totals computed from lines as Xero does: Exclusive / Inclusive / NoTax, discounts, 2-dp
half-up rounding per line."""

from decimal import Decimal as D

import pytest

from harness.accounting import totals


@pytest.mark.parametrize("qty, unit, disc, expected_amount, expected_disc", [
    (D("1"), D("100"), None, D("100.00"), D("0")),
    (D("3"), D("9.99"), D("12.5"), D("26.22"), D("3.75")),      # 29.97 * 0.875 = 26.22375
    (D("1.5"), D("85"), None, D("127.50"), D("0")),
    (D("7"), D("0.333"), None, D("2.31"), D("0")),              # unit rounded to 0.33 at 2 dp
    (D("2"), D("10.005"), None, D("20.02"), D("0")),            # 10.005 -> 10.01 (half up)
])
def test_line_amounts(qty, unit, disc, expected_amount, expected_disc):
    _, _, amount, discount = totals.line_amounts(qty, unit, disc, None)
    assert amount == expected_amount and discount == expected_disc


def test_unitdp_4_keeps_unit_precision():
    _, unit, amount, _ = totals.line_amounts(D("7"), D("0.333"), None, None, unitdp=4)
    assert unit == D("0.3330") and amount == D("2.33")


def test_tax_exclusive_inclusive_notax():
    assert totals.line_tax(D("26.22"), D("20"), "Exclusive") == D("5.24")
    assert totals.line_tax(D("120.00"), D("20"), "Inclusive") == D("20.00")
    assert totals.line_tax(D("10.00"), D("20"), "Inclusive") == D("1.67")
    assert totals.line_tax(D("10.00"), D("20"), "NoTax") == D("0")
    assert totals.line_tax(D("10.00"), D("20"), "Exclusive", given_tax=D("1.99")) == D("1.99")


def test_document_totals_round_per_line():
    # Three lines of 0.05 at 20 %: each line's tax rounds to 0.01, so 0.03 (not 0.03 by luck:
    # per-document rounding of 0.15 * 20 % would also give 0.03; use 0.025-sized taxes).
    lines = [(D("0.13"), totals.line_tax(D("0.13"), D("20"), "Exclusive"), D("0"))] * 3
    sub, tax, total, _ = totals.document_totals(lines, "Exclusive")
    assert (sub, tax, total) == (D("0.39"), D("0.09"), D("0.48"))  # 0.026 -> 0.03 per line
    inc = [(D("120.00"), D("20.00"), D("0")), (D("10.00"), D("1.67"), D("0"))]
    assert totals.document_totals(inc, "Inclusive")[:3] == (D("108.33"), D("21.67"), D("130.00"))


def test_invoice_totals_over_http(api):
    cid = api.put("/Contacts", {"Contacts": [{"Name": "Totals Co"}]}).json()["Contacts"][0]["ContactID"]
    lines = [
        {"Description": "a", "Quantity": 3, "UnitAmount": 9.99, "DiscountRate": 12.5, "AccountCode": "200",
         "TaxType": "OUTPUT2"},
        {"Description": "b", "Quantity": 1, "UnitAmount": 0.13, "AccountCode": "200", "TaxType": "OUTPUT2"},
        {"Description": "c", "Quantity": 2, "UnitAmount": 50, "AccountCode": "200", "TaxType": "RROUTPUT"},
        {"Description": "d", "Quantity": 1, "UnitAmount": 40, "AccountCode": "200", "TaxType": "ZERORATEDOUTPUT"},
    ]
    body = {"Type": "ACCREC", "Contact": {"ContactID": cid}, "Status": "DRAFT", "LineItems": lines}
    exc = api.put("/Invoices", {"Invoices": [body]}).json()["Invoices"][0]
    assert [li["LineAmount"] for li in exc["LineItems"]] == [26.22, 0.13, 100.0, 40.0]
    assert [li["TaxAmount"] for li in exc["LineItems"]] == [5.24, 0.03, 5.0, 0.0]
    assert (exc["SubTotal"], exc["TotalTax"], exc["Total"], exc["TotalDiscount"]) == (166.35, 10.27, 176.62, 3.75)
    inc = api.put("/Invoices", {"Invoices": [dict(body, LineAmountTypes="Inclusive")]}).json()["Invoices"][0]
    assert [li["TaxAmount"] for li in inc["LineItems"]] == [4.37, 0.02, 4.76, 0.0]
    assert (inc["SubTotal"], inc["TotalTax"], inc["Total"]) == (157.2, 9.15, 166.35)
    none = api.put("/Invoices", {"Invoices": [dict(body, LineAmountTypes="NoTax")]}).json()["Invoices"][0]
    assert (none["TotalTax"], none["Total"]) == (0.0, 166.35)
    assert {li["TaxType"] for li in none["LineItems"]} == {"NONE"}


def test_item_defaults_fill_lines(api):
    cid = api.put("/Contacts", {"Contacts": [{"Name": "Item Co"}]}).json()["Contacts"][0]["ContactID"]
    body = {"Type": "ACCREC", "Contact": {"ContactID": cid}, "Status": "AUTHORISED", "DueDate": "2026-12-31",
            "LineItems": [{"ItemCode": "ONSITE-VISIT", "Quantity": 2}]}
    inv = api.put("/Invoices", {"Invoices": [body]}).json()["Invoices"][0]
    line = inv["LineItems"][0]
    got = (line["UnitAmount"], line["AccountCode"], line["TaxType"], line["LineAmount"])
    assert got == (120.0, "220", "OUTPUT2", 240.0)
    assert inv["Total"] == 288.0


def test_invoice_url_stored_returned_and_checked(api):
    """Invoice.Url ("shown as “Go to [appName]” in the Xero app", xero_accounting.yaml): kept and
    given back, an absolute http(s) address only; SUBMITTED (awaiting approval) accepted."""
    cid = api.put("/Contacts", {"Contacts": [{"Name": "Url Co"}]}).json()["Contacts"][0]["ContactID"]
    body = {"Type": "ACCREC", "Contact": {"ContactID": cid}, "Status": "SUBMITTED", "DueDate": "2026-12-31",
            "Url": "https://odoo.example/odoo/account.move/7",
            "LineItems": [{"Description": "a", "Quantity": 1, "UnitAmount": 10, "AccountCode": "200"}]}
    made = api.put("/Invoices", {"Invoices": [body]}, params={"summarizeErrors": "false"}).json()["Invoices"][0]
    assert (made["Status"], made["Url"]) == ("SUBMITTED", body["Url"])
    again = api.get("/Invoices/%s" % made["InvoiceID"]).json()["Invoices"][0]
    assert again["Url"] == body["Url"]
    bad = api.put("/Invoices", {"Invoices": [dict(body, Url="odoo.example/odoo/account.move/7")]},
                  params={"summarizeErrors": "false"}).json()["Invoices"][0]
    assert bad["StatusAttributeString"] == "ERROR"
    assert "absolute URL" in bad["ValidationErrors"][0]["Message"]
