"""What a Xero invoice or credit note says about its settlement — status, payments, credit
allocations — and what Odoo has to change to match. Pure functions over Xero's JSON.

Xero tells us *that* a document changed, never *what* changed, and in no particular order;
so we always compare the document's current state with what Odoo already recorded (payments
are keyed by Xero's PaymentID). Applying the same state twice changes nothing.
"""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from odoo.addons.psa_ledger.settlement import base_amount, payment_changes  # noqa: F401 - the core's, re-exported

_MS_DATE = re.compile(r"^/Date\((-?\d+)([+-]\d{4})?\)/$")
IDS_PER_CALL = 50       # documents per GET …?IDs= (keeps the URL well under 8 kB)
PAYMENTS_PER_CALL = 25  # payments per GET Payments?where=PaymentID==guid(…) OR …


def parse_date(value):
    """Xero's "/Date(1419937200000+0000)/", "2026-11-08T00:00:00" or "2026-11-08" -> date."""
    if not isinstance(value, str) or not value:
        return None
    match = _MS_DATE.match(value.strip())
    if match:
        moment = dt.datetime.fromtimestamp(int(match.group(1)) / 1000, dt.UTC)
        offset = match.group(2)
        if offset:
            sign = 1 if offset[0] == "+" else -1
            moment += sign * dt.timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5]))
        return moment.date()
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def amount(value):
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        return Decimal("0")


def rate(value):
    """A CurrencyRate (units of the document's currency per 1 of the base), or None."""
    try:
        value = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return value if value > 0 else None


def document_state(doc):
    """A Xero Invoice or CreditNote -> the parts that matter for settlement."""
    credit = "CreditNoteID" in doc
    payments = {}
    for payment in doc.get("Payments") or ():
        pid = (payment.get("PaymentID") or "").lower()
        if pid and payment.get("Status", "AUTHORISED") != "DELETED":
            payments[pid] = {"id": pid, "amount": amount(payment.get("Amount")),
                             "date": parse_date(payment.get("Date")), "reference": payment.get("Reference") or "",
                             "account": payment.get("Account") or {}, "rate": rate(payment.get("CurrencyRate"))}
    if credit:
        allocations = [{"id": (a.get("AllocationID") or "").lower(), "amount": amount(a.get("Amount")),
                        "other_id": ((a.get("Invoice") or {}).get("InvoiceID") or "").lower()}
                       for a in doc.get("Allocations") or ()]
    else:
        allocations = [{"id": "", "amount": amount(c.get("AppliedAmount")),
                        "other_id": (c.get("CreditNoteID") or "").lower()}
                       for c in doc.get("CreditNotes") or ()]
    return {
        "id": ((doc.get("CreditNoteID") if credit else doc.get("InvoiceID")) or "").lower(),
        "kind": "credit_note" if credit else "invoice",
        "number": doc.get("CreditNoteNumber") if credit else doc.get("InvoiceNumber"),
        "type": doc.get("Type"), "status": doc.get("Status"), "currency": doc.get("CurrencyCode"),
        "total": amount(doc.get("Total")),
        "amount_due": amount(doc.get("RemainingCredit") if credit else doc.get("AmountDue")),
        "payments": payments,
        "allocations": [a for a in allocations if a["other_id"]],
    }


def chunks(values, size):
    values = list(values)
    return [values[i:i + size] for i in range(0, len(values), size)]


def guid_filter(field, ids):
    """``PaymentID==guid("…") OR …`` — the ``where`` for collections that have no ``IDs=``."""
    return " OR ".join('%s==guid("%s")' % (field, i) for i in ids)
