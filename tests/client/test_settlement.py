"""What a Xero document says about its settlement, as pure functions (xero/settlement.py, no
server): Xero's dates, a document's payments and allocations, and what Odoo must change to match."""

import datetime as dt
from decimal import Decimal

from odoo.addons.psa_xero_connector.xero import settlement

INV = "0b1e3f6a-8c1d-4e55-9a7b-2f4d6c8e0a11"


def test_xero_dates():
    assert settlement.parse_date("/Date(1794096000000+0000)/") == dt.date(2026, 11, 8)
    assert settlement.parse_date("/Date(1794096000000)/") == dt.date(2026, 11, 8)
    assert settlement.parse_date("2026-11-08T00:00:00") == dt.date(2026, 11, 8)
    assert settlement.parse_date("2026-11-08") == dt.date(2026, 11, 8)
    assert settlement.parse_date("soon") is None and settlement.parse_date(None) is None


def xero_invoice(payments=(), credit_notes=(), status="AUTHORISED", due="100.00"):
    return {"InvoiceID": INV.upper(), "InvoiceNumber": "INV/2026/00042", "Type": "ACCREC", "Status": status,
            "Total": "250.00", "AmountDue": due, "CurrencyCode": "GBP", "Payments": list(payments),
            "CreditNotes": list(credit_notes)}


def pay(pid, amount, day="/Date(1794096000000+0000)/", **extra):
    return dict({"PaymentID": pid, "Amount": amount, "Date": day, "Reference": "BACS"}, **extra)


def test_document_state_reads_payments_and_allocations():
    state = settlement.document_state(xero_invoice(
        payments=[pay("P-1", 100), pay("P-2", 50.5, Status="DELETED")],
        credit_notes=[{"CreditNoteID": "C-1", "AppliedAmount": 25}]))
    assert state["id"] == INV and state["kind"] == "invoice" and state["amount_due"] == Decimal("100.00")
    assert list(state["payments"]) == ["p-1"], "a payment Xero reports as deleted is not a payment"
    assert state["payments"]["p-1"]["amount"] == Decimal("100.00")
    assert state["payments"]["p-1"]["date"] == dt.date(2026, 11, 8)
    assert state["allocations"] == [{"id": "", "amount": Decimal("25.00"), "other_id": "c-1"}]
    credit = settlement.document_state({"CreditNoteID": "CN", "Type": "ACCRECCREDIT", "Status": "AUTHORISED",
                                        "RemainingCredit": 10, "Allocations": [
                                            {"AllocationID": "A", "Amount": 90, "Invoice": {"InvoiceID": "I"}}]})
    assert credit["kind"] == "credit_note" and credit["amount_due"] == Decimal("10.00")
    assert credit["allocations"] == [{"id": "a", "amount": Decimal("90.00"), "other_id": "i"}]


def test_payment_changes_are_the_same_whatever_happened_before():
    state = settlement.document_state(xero_invoice(payments=[pay("P-2", 150, "2026-11-20"), pay("P-1", 100)]))
    new, deleted = settlement.payment_changes(state, {})
    assert [p["id"] for p in new] == ["p-1", "p-2"], "oldest first, so partial then rest reads naturally"
    assert settlement.payment_changes(state, {"p-1": "AUTHORISED", "p-2": "AUTHORISED"}) == ([], [])
    new, deleted = settlement.payment_changes(state, {"p-1": "AUTHORISED", "p-9": "AUTHORISED", "p-8": "DELETED"})
    assert [p["id"] for p in new] == ["p-2"] and deleted == ["p-9"], "a payment already cancelled stays cancelled"
    voided = settlement.document_state(xero_invoice(status="VOIDED"))
    assert settlement.payment_changes(voided, {"p-1": "AUTHORISED"}) == ([], ["p-1"])


def test_filters_and_chunks():
    assert settlement.guid_filter("PaymentID", ["a", "b"]) == 'PaymentID==guid("a") OR PaymentID==guid("b")'
    assert settlement.chunks(range(5), 2) == [[0, 1], [2, 3], [4]]


def test_a_foreign_payment_carries_its_rate_and_its_base_amount():
    doc = {"InvoiceID": "A", "Type": "ACCREC", "Status": "PAID", "CurrencyCode": "EUR", "Total": 120,
           "AmountDue": 0, "Payments": [{"PaymentID": "P1", "Amount": 50, "CurrencyRate": 1.1, "BankAmount": 45.45},
                                        {"PaymentID": "P2", "Amount": 70, "CurrencyRate": "bad"}]}
    state = settlement.document_state(doc)
    one, two = state["payments"]["p1"], state["payments"]["p2"]
    assert one["rate"] == Decimal("1.1") and settlement.base_amount(one) == Decimal("45.45")
    assert two["rate"] is None and settlement.base_amount(two) is None
    assert settlement.base_amount({"amount": Decimal("100.00"), "rate": Decimal("1.15")}) == Decimal("86.96")
    assert settlement.rate(0) is None and settlement.rate(-1) is None and settlement.rate(None) is None
