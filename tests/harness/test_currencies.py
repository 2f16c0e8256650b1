"""Currencies (issue #12): the organisation's currencies, documents and payments in a foreign
currency, Xero's rates, over plain HTTP, through the official SDK, and against the spec."""

import datetime as dt
from decimal import Decimal

from xero_python.accounting import (
    Account,
    Contact,
    CreditNote,
    CreditNotes,
    Currency,
    CurrencyCode,
    Invoice,
    Invoices,
    LineItem,
    Payment,
    PurchaseOrder,
    PurchaseOrders,
)

from harness.accounting import currencies
from harness.accounting import validation as msg

from . import openapi
from .conftest import ORG_A, ORG_B
from .test_sdk_entities import new_contact, sales_invoice, val
from .test_validation import contact_id, errors_of, invoice


def codes(api, tenant=None):
    resp = api.get("/Currencies", tenant=tenant)
    assert resp.status_code == 200, resp.text
    return [c["Code"] for c in resp.json()["Currencies"]]


def enable(api, code, tenant=None):
    resp = api.put("/Currencies", {"Code": code}, tenant=tenant)
    assert resp.status_code == 200, resp.text
    return resp.json()["Currencies"]


def put_invoice(api, body):
    resp = api.put("/Invoices?summarizeErrors=false", {"Invoices": [body]})
    assert resp.status_code == 200, resp.text
    return resp.json()["Invoices"][0]


def test_an_organisation_starts_with_its_base_currency_and_adds_others(api):
    assert codes(api) == ["GBP"]
    assert enable(api, "EUR") == [{"Code": "EUR", "Description": "Euro"}]
    assert enable(api, "eur") == [{"Code": "EUR", "Description": "Euro"}]  # already there: answered, not doubled
    assert codes(api) == ["GBP", "EUR"]
    assert codes(api, tenant=ORG_B) == ["GBP"]  # per organisation
    resp = api.get('/Currencies?where=Code=="EUR"')
    assert [c["Code"] for c in resp.json()["Currencies"]] == ["EUR"]
    # a code Xero does not know is refused; POST and DELETE are not in the spec
    bad = api.put("/Currencies", {"Code": "XXX"})
    assert bad.status_code == 400
    assert errors_of(bad) == [msg.CURRENCY_NOT_ENABLED.format(code="XXX")]
    assert api.post("/Currencies", {"Code": "USD"}).status_code == 405
    assert api.request("DELETE", "/Currencies/EUR").status_code == 405
    assert codes(api) == ["GBP", "EUR"]


def test_a_document_in_a_currency_not_added_is_refused_with_xeros_message(api):
    cid = contact_id(api)
    for path, key, body in (
            ("/Invoices", "Invoices", invoice(cid, CurrencyCode="EUR")),
            ("/CreditNotes", "CreditNotes", dict(invoice(cid, CurrencyCode="USD"), Type="ACCRECCREDIT")),
            ("/PurchaseOrders", "PurchaseOrders", {"Contact": {"ContactID": cid}, "CurrencyCode": "EUR",
                                                   "LineItems": [{"Description": "Cables", "Quantity": 1,
                                                                  "UnitAmount": 5}]})):
        resp = api.put(path + "?summarizeErrors=false", {key: [body]})
        code = body["CurrencyCode"]
        assert errors_of(resp) == [msg.CURRENCY_NOT_ENABLED.format(code=code)], path
    assert api.get("/Invoices").json()["Invoices"] == []
    enable(api, "EUR")
    assert put_invoice(api, invoice(cid, CurrencyCode="EUR"))["StatusAttributeString"] == "OK"


def test_foreign_invoice_keeps_its_currency_rate_and_totals(api):
    cid = contact_id(api)
    enable(api, "EUR")
    inv = put_invoice(api, invoice(cid, CurrencyCode="EUR", CurrencyRate=1.15))
    assert (inv["CurrencyCode"], inv["CurrencyRate"]) == ("EUR", 1.15)
    # totals and AmountDue in the document's currency
    assert (inv["SubTotal"], inv["TotalTax"], inv["Total"], inv["AmountDue"]) == (100, 20, 120, 120)
    # Xero keeps 6 decimals of a rate; a rate must be positive
    assert put_invoice(api, invoice(cid, CurrencyCode="EUR", CurrencyRate=1.1234567))["CurrencyRate"] == 1.123457
    for bad in (0, -1.2):
        resp = api.put("/Invoices?summarizeErrors=false", {"Invoices": [invoice(cid, CurrencyCode="EUR",
                                                                                CurrencyRate=bad)]})
        assert errors_of(resp) == [msg.CURRENCY_RATE_INVALID]
    # the base currency is always at 1, whatever is sent; no currency = the base currency
    assert put_invoice(api, invoice(cid, CurrencyCode="GBP", CurrencyRate=1.3))["CurrencyRate"] == 1
    plain = put_invoice(api, invoice(cid))
    assert (plain["CurrencyCode"], plain["CurrencyRate"]) == ("GBP", 1)


def test_without_a_rate_the_harness_takes_its_day_rate_of_the_document_date(api):
    cid = contact_id(api)
    enable(api, "EUR")
    enable(api, "USD")
    first = put_invoice(api, invoice(cid, CurrencyCode="EUR", Date="2026-11-01"))
    again = put_invoice(api, invoice(cid, CurrencyCode="EUR", Date="2026-11-01"))
    later = put_invoice(api, invoice(cid, CurrencyCode="EUR", Date="2026-11-20"))
    usd = put_invoice(api, invoice(cid, CurrencyCode="USD", Date="2026-11-01"))
    # the documented function, worked by hand: EUR 0.92 and GBP 0.79 per USD, each moved by
    # its ±2 % triangle wave of the day (phase = (ordinal + crc32(code) % 60) % 60)
    day = dt.date(2026, 11, 1)
    import zlib

    def move(code):
        phase = (day.toordinal() + zlib.crc32(code.encode()) % 60) % 60
        return 1 + Decimal("0.02") * (abs(phase - 30) - 15) / 15
    expected = (Decimal("0.92") / Decimal("0.79") * move("EUR") / move("GBP")).quantize(Decimal("0.000001"))
    assert Decimal(str(first["CurrencyRate"])) == expected
    assert first["CurrencyRate"] == again["CurrencyRate"]            # one rate per day
    assert later["CurrencyRate"] != first["CurrencyRate"]            # another day, another rate
    assert usd["CurrencyRate"] != first["CurrencyRate"]
    for rate, level in ((first["CurrencyRate"], 0.92 / 0.79), (usd["CurrencyRate"], 1 / 0.79)):
        assert abs(rate / level - 1) <= 0.0405 and rate != 1        # never 1 between two currencies
    # changing the date of a document whose rate was the day's moves it; a rate sent stays
    moved = api.post("/Invoices/" + first["InvoiceID"], {"Invoices": [{"Date": "2026-11-20"}]}).json()
    assert moved["Invoices"][0]["CurrencyRate"] == later["CurrencyRate"]
    fixed = put_invoice(api, invoice(cid, CurrencyCode="EUR", CurrencyRate=1.2))
    kept = api.post("/Invoices/" + fixed["InvoiceID"], {"Invoices": [{"Reference": "x"}]}).json()
    assert kept["Invoices"][0]["CurrencyRate"] == 1.2


def test_payment_in_the_documents_currency_with_its_own_rate(api, admin):
    cid = contact_id(api)
    enable(api, "EUR")
    inv = put_invoice(api, invoice(cid, CurrencyCode="EUR", CurrencyRate=1.15))   # 120 EUR
    resp = api.put("/Payments", {"Payments": [{"Invoice": {"InvoiceID": inv["InvoiceID"]},
                                               "Account": {"Code": "090"}, "Amount": 50, "Date": "2026-11-10",
                                               "CurrencyRate": 1.1}]})
    assert resp.status_code == 200, resp.text
    pay = resp.json()["Payments"][0]
    # Amount in the document's currency, BankAmount in the GBP bank account's: 50 / 1.1
    assert (pay["Amount"], pay["CurrencyRate"], pay["BankAmount"]) == (50, 1.1, 45.45)
    doc = api.get("/Invoices/" + inv["InvoiceID"]).json()["Invoices"][0]
    assert (doc["AmountPaid"], doc["AmountDue"], doc["CurrencyRate"]) == (50, 70, 1.15)
    assert [(p["Amount"], p["CurrencyRate"], p["BankAmount"]) for p in doc["Payments"]] == [(50, 1.1, 45.45)]
    # without a rate: the day rate of the payment date; paid in full
    out = admin.pay(ORG_A, inv["InvoiceID"], 70, Date="2026-11-12")
    rate = currencies.daily_rate("GBP", "EUR", dt.date(2026, 11, 12))
    assert Decimal(str(out["CurrencyRate"])) == rate
    assert Decimal(str(out["BankAmount"])) == (Decimal(70) / rate).quantize(Decimal("0.01"))
    paid = api.get("/Invoices/" + inv["InvoiceID"]).json()["Invoices"][0]
    assert (paid["Status"], paid["AmountDue"]) == ("PAID", 0)
    # a GBP document's payment is at 1: BankAmount = Amount
    gbp = put_invoice(api, invoice(cid))
    out = admin.pay(ORG_A, gbp["InvoiceID"], 20)
    assert (out["CurrencyRate"], out["BankAmount"]) == (1, 20)


def test_a_bank_account_in_a_third_currency_and_a_credit_note_in_another_currency_are_refused(api, admin):
    cid = contact_id(api)
    enable(api, "EUR")
    enable(api, "USD")
    api.put("/Accounts", {"Code": "095", "Name": "USD account", "Type": "BANK", "CurrencyCode": "USD",
                          "BankAccountNumber": "1"})
    inv = put_invoice(api, invoice(cid, CurrencyCode="EUR", CurrencyRate=1.15))
    resp = api.put("/Payments?summarizeErrors=false", {"Payments": [{
        "Invoice": {"InvoiceID": inv["InvoiceID"]}, "Account": {"Code": "095"}, "Amount": 10}]})
    assert errors_of(resp) == [msg.CURRENCY_MISMATCH]
    cn = api.put("/CreditNotes", {"CreditNotes": [dict(invoice(cid, CurrencyCode="USD", CurrencyRate=1.27),
                                                        Type="ACCRECCREDIT")]}).json()["CreditNotes"][0]
    assert (cn["CurrencyCode"], cn["CurrencyRate"], cn["Total"], cn["RemainingCredit"]) == ("USD", 1.27, 120, 120)
    resp = api.put("/CreditNotes/%s/Allocations" % cn["CreditNoteID"], {"Allocations": [{
        "Invoice": {"InvoiceID": inv["InvoiceID"]}, "Amount": 10}]})
    assert errors_of(resp) == [msg.CURRENCY_MISMATCH]
    # a payment to a bank account in the document's currency: BankAmount = Amount
    usd_bill = put_invoice(api, dict(invoice(cid, CurrencyCode="USD", CurrencyRate=1.27), Type="ACCPAY"))
    out = admin.pay(ORG_A, usd_bill["InvoiceID"], 12, AccountCode="095")
    assert (out["Amount"], out["BankAmount"]) == (12, 12) and out["CurrencyRate"] not in (1, 1.27)  # the day's


def test_sdk_round_trips_currencies_and_foreign_documents(sdk):
    accounting, _, _ = sdk
    listed = accounting.get_currencies(ORG_A).currencies
    assert [val(c.code) for c in listed] == ["GBP"]
    added = accounting.create_currency(ORG_A, Currency(code=CurrencyCode.EUR, description="Euro")).currencies
    assert [(val(c.code), c.description) for c in added] == [("EUR", "Euro")]
    accounting.create_currency(ORG_A, Currency(code=CurrencyCode.USD))
    assert [val(c.code) for c in accounting.get_currencies(ORG_A, where='Code=="USD"').currencies] == ["USD"]
    c = new_contact(accounting)
    inv = accounting.create_invoices(ORG_A, Invoices(invoices=[sales_invoice(
        c, currency_code=CurrencyCode.EUR, currency_rate=1.15)]), summarize_errors=False).invoices[0]
    assert (val(inv.currency_code), inv.currency_rate, inv.total, inv.amount_due) == ("EUR", Decimal("1.15"), 204, 204)
    pay = accounting.create_payment(ORG_A, Payment(invoice=Invoice(invoice_id=inv.invoice_id),
                                                   account=Account(code="090"), amount=204, currency_rate=1.2,
                                                   date=dt.date(2026, 11, 20))).payments[0]
    assert (pay.amount, pay.currency_rate, pay.bank_amount) == (204, Decimal("1.2"), 170)
    paid = accounting.get_invoice(ORG_A, inv.invoice_id).invoices[0]
    assert val(paid.status) == "PAID" and paid.payments[0].currency_rate == Decimal("1.2")
    cn = accounting.create_credit_notes(ORG_A, CreditNotes(credit_notes=[CreditNote(
        type="ACCPAYCREDIT", contact=Contact(contact_id=c.contact_id), date=dt.date(2026, 11, 2),
        status="AUTHORISED", currency_code=CurrencyCode.USD, line_items=[
            LineItem(description="Refund", quantity=1, unit_amount=50, account_code="429")])])).credit_notes[0]
    assert val(cn.currency_code) == "USD" and cn.total == 60  # account 429's VAT 20 %
    assert cn.currency_rate == currencies.daily_rate("GBP", "USD", dt.date(2026, 11, 2))
    po = accounting.create_purchase_orders(ORG_A, PurchaseOrders(purchase_orders=[PurchaseOrder(
        contact=Contact(contact_id=c.contact_id), date=dt.date(2026, 11, 4), currency_code=CurrencyCode.EUR,
        currency_rate=1.16, line_items=[LineItem(description="Cables", quantity=10, unit_amount=2.5)])])
    ).purchase_orders[0]
    assert (val(po.currency_code), po.currency_rate, po.total) == ("EUR", Decimal("1.16"), 25)
    refused = accounting.create_invoices(ORG_A, Invoices(invoices=[sales_invoice(
        c, currency_code=CurrencyCode.NZD)]), summarize_errors=False).invoices[0]
    assert [e.message for e in refused.validation_errors] == [msg.CURRENCY_NOT_ENABLED.format(code="NZD")]


def test_currency_responses_match_the_spec(api):
    def check(method, path, resp):
        assert resp.status_code < 500, resp.text
        openapi.accounting().validate(method, path, resp.status_code, resp.json())
        return resp.json()
    check("GET", "/Currencies", api.get("/Currencies"))
    check("PUT", "/Currencies", api.put("/Currencies", {"Code": "EUR", "Description": "Euro"}))
    cid = contact_id(api)
    inv = check("PUT", "/Invoices", api.put("/Invoices", {"Invoices": [invoice(cid, CurrencyCode="EUR")]}))
    iid = inv["Invoices"][0]["InvoiceID"]
    check("PUT", "/Payments", api.put("/Payments", {"Payments": [{
        "Invoice": {"InvoiceID": iid}, "Account": {"Code": "090"}, "Amount": 10, "CurrencyRate": 1.1}]}))
    check("GET", "/Invoices/" + iid, api.get("/Invoices/" + iid))
    check("GET", "/Payments", api.get("/Payments"))
    check("PUT", "/Invoices", api.put("/Invoices", {"Invoices": [invoice(cid, CurrencyCode="JPY")]}))


def test_the_page_shows_currencies_rates_and_base_totals_and_pays_at_a_rate(api, harness):
    import requests
    cid = contact_id(api)
    enable(api, "EUR")
    inv = put_invoice(api, invoice(cid, CurrencyCode="EUR", CurrencyRate=1.15))   # 120 EUR = 104.35 GBP
    org = requests.get("%s/ui/%s" % (harness.url, ORG_A), timeout=10).text
    assert "currencies GBP, EUR" in org and "<td>EUR</td>" in org
    url = "%s/ui/%s/invoices/%s" % (harness.url, ORG_A, inv["InvoiceID"])
    page = requests.get(url, timeout=10).text
    assert "EUR at 1.15 (total 104.35 GBP)" in page and "name=currency_rate" in page
    resp = requests.post(url + "/pay", data={"amount": "120", "account": "090", "currency_rate": "1.2"}, timeout=10)
    assert resp.status_code == 200 and "PAID" in resp.text   # redirected back to the invoice
    paid = api.get("/Invoices/" + inv["InvoiceID"]).json()["Invoices"][0]
    assert [(p["Amount"], p["CurrencyRate"], p["BankAmount"]) for p in paid["Payments"]] == [(120, 1.2, 100)]
    gbp = put_invoice(api, invoice(cid))
    assert "name=currency_rate" not in requests.get("%s/ui/%s/invoices/%s" % (harness.url, ORG_A, gbp["InvoiceID"]),
                                                    timeout=10).text
