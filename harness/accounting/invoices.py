"""Invoices: sales invoices (ACCREC) and bills (ACCPAY).

GET list (paged; IDs, InvoiceNumbers, ContactIDs, Statuses, where, order, If-Modified-Since)
and by InvoiceID or InvoiceNumber; PUT create; POST update-or-create; POST /{id} update.
AmountDue / AmountPaid / AmountCredited / Payments / CreditNotes move only through payments
and credit-note allocations.
"""

from decimal import Decimal
from urllib.parse import urlsplit

from .documents import Document
from .payments import render_payment_summary
from .validation import DUE_DATE_REQUIRED, INVOICE_NUMBER_TAKEN, URL_INVALID

ZERO = Decimal("0")


def _absolute_url(value):
    parts = urlsplit(value) if isinstance(value, str) else None
    return bool(parts and parts.scheme in ("http", "https") and parts.netloc and not any(c.isspace() for c in value))


class Invoices(Document):
    kind = "invoice"
    collection = "Invoices"
    id_field = "InvoiceID"
    number_field = "InvoiceNumber"
    category = "INVOICE"
    paged = True
    types = ("ACCREC", "ACCPAY")
    statuses = ("DRAFT", "SUBMITTED", "AUTHORISED", "DELETED", "VOIDED")
    number_prefix = {"ACCREC": "INV-"}
    unique_number_types = ("ACCREC",)
    number_taken_message = INVOICE_NUMBER_TAKEN
    date_fields = ("Date", "DueDate", "ExpectedPaymentDate", "PlannedPaymentDate")
    list_filters = {"IDs": "InvoiceID", "InvoiceNumbers": "InvoiceNumber",
                    "ContactIDs": "_contact", "Statuses": "Status"}

    def match(self, tenant, element, method):
        # POST with the number of an existing sales invoice updates it (Xero does the same).
        if method == "POST" and element.get("InvoiceNumber") and element.get("Type", "ACCREC") == "ACCREC":
            found = self.get(tenant, element["InvoiceNumber"])
            if found and found.get("Type") == "ACCREC" and found.get("Status") != "DELETED":
                return found
        return None

    def extra_fields(self, tenant, element, record, errors):
        if "Url" in element:
            # Invoices (sales and bills) carry Url in Xero's OpenAPI; CreditNote and
            # PurchaseOrder have no such element there, so their entities ignore it.
            if element["Url"] in (None, ""):
                record.pop("Url", None)
            elif _absolute_url(element["Url"]):
                record["Url"] = element["Url"]
            else:
                errors.add(URL_INVALID)
        record.setdefault("SentToContact", False)
        record.setdefault("IsDiscounted", False)
        record.setdefault("Payments", [])
        record.setdefault("CreditNotes", [])
        record.setdefault("Prepayments", [])
        record.setdefault("Overpayments", [])
        record.setdefault("AmountPaid", ZERO)
        record.setdefault("AmountCredited", ZERO)

    def check(self, tenant, record, errors):
        if record["Status"] in ("SUBMITTED", "AUTHORISED") and not record.get("_DueDate"):
            errors.add(DUE_DATE_REQUIRED)
        if "Total" in record:
            record["AmountDue"] = record["Total"] - record["AmountPaid"] - record["AmountCredited"]

    def render(self, record, unitdp=2):
        out = super().render(record, unitdp)
        out["Payments"] = [render_payment_summary(p) for p in record.get("Payments", ())]
        out["CreditNotes"] = [{k: v for k, v in c.items() if not k.startswith("_")}
                              for c in record.get("CreditNotes", ())]
        return out
