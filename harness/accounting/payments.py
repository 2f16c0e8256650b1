"""Payments against invoices, bills and credit notes: PUT create, GET (paged), POST /{id}
with Status DELETED to remove one. A payment moves its document's AmountDue / AmountPaid /
Status and fires an INVOICE (or CREDITNOTE) UPDATE webhook, as in Xero.
"""

from decimal import Decimal

from ..xerojson import money, parse_date
from . import currencies, lockdates
from .base import Entity, render_date, set_date
from .documents import apply_settlement
from .validation import (
    CURRENCY_MISMATCH,
    PAYMENT_ACCOUNT_INVALID,
    PAYMENT_NOT_AUTHORISED,
    PAYMENT_TOO_BIG,
    STATUS_CHANGE_INVALID,
    number,
    text,
)

ZERO = Decimal("0")
PAYMENT_TYPES = {"ACCREC": "ACCRECPAYMENT", "ACCPAY": "ACCPAYPAYMENT",
                 "ACCRECCREDIT": "ARCREDITPAYMENT", "ACCPAYCREDIT": "APCREDITPAYMENT"}


class Payments(Entity):
    kind = "payment"
    collection = "Payments"
    id_field = "PaymentID"
    paged = True
    error_flag = "HasValidationErrors"  # the Payment schema; Xero's 400 example carries it true

    def _document(self, tenant, element):
        """-> (entity, record) the payment is for."""
        inv = element.get("Invoice")
        if isinstance(inv, dict) or element.get("InvoiceNumber"):
            key = (inv or {}).get("InvoiceID") or (inv or {}).get("InvoiceNumber") or element.get("InvoiceNumber")
            return self.books.invoices, self.books.invoices.get(tenant, str(key or ""))
        cn = element.get("CreditNote")
        if isinstance(cn, dict) or element.get("CreditNoteNumber"):
            cn = cn or {}
            key = cn.get("CreditNoteID") or cn.get("CreditNoteNumber") or element.get("CreditNoteNumber")
            return self.books.creditnotes, self.books.creditnotes.get(tenant, str(key or ""))
        return None, None

    def build(self, tenant, element, existing, errors, ctx):
        if existing is not None:
            return self._update(tenant, element, existing, errors)
        entity, doc = self._document(tenant, element)
        if doc is None:
            errors.add("Payment must reference an existing invoice or credit note.")  # (guess)
            return None
        acc = element.get("Account") if isinstance(element.get("Account"), dict) else {}
        account = None
        if acc.get("AccountID"):
            account = self.books.accounts.get(tenant, str(acc["AccountID"]))
        elif acc.get("Code") or element.get("Code"):
            account = self.books.accounts.by_code(tenant, str(acc.get("Code") or element.get("Code")))
        if account is None or not self.books.accounts.usable_for_payments(account):
            errors.add(PAYMENT_ACCOUNT_INVALID)
        amount = number(element, "Amount", errors)
        dates = {}
        set_date(dates, element, "Date", errors)
        reference = text(element, "Reference", errors, limit=255)
        lockdates.lock_errors(self.books.organisation(tenant), dates.get("_Date") or self.books.today(), errors)
        if doc.get("Status") != "AUTHORISED":
            errors.add(PAYMENT_NOT_AUTHORISED)
        elif amount is None or amount <= 0:
            errors.add("Payment amount must be greater than zero.")  # (guess)
        else:
            outstanding = doc.get("AmountDue") if entity is self.books.invoices else doc.get("RemainingCredit")
            if amount > outstanding:
                errors.add(PAYMENT_TOO_BIG)
        day = dates.get("_Date") or self.books.today().isoformat()
        rate, bank_amount = self._rate(tenant, element, doc, account, amount, day, errors)
        if errors:
            return None
        record = self.new_record(None)
        record.update({
            "_tenant": tenant, "_Date": day, "Amount": money(amount), "BankAmount": bank_amount,
            "Reference": reference or "", "CurrencyRate": rate,
            "Status": "AUTHORISED", "PaymentType": PAYMENT_TYPES[doc["Type"]], "IsReconciled": False,
            "HasAccount": True, "HasValidationErrors": False,
            "Account": {"AccountID": account["AccountID"], "Code": account["Code"]},
            "_doc_kind": entity.kind, "_doc": doc[entity.id_field],
        })
        return record

    def _rate(self, tenant, element, doc, account, amount, day, errors):
        """-> (CurrencyRate, BankAmount) of a payment. The amount is in the document's currency;
        a payment of a foreign-currency document carries its own rate (the one sent, else the
        day rate of the payment date: the difference with the document's rate is Xero's
        realised currency gain or loss), and BankAmount is the amount in the bank account's
        currency — the base currency, or the document's own for an account in that currency."""
        base = self.books.organisation(tenant)["BaseCurrency"]
        code = doc.get("CurrencyCode") or base
        bank_currency = (account or {}).get("CurrencyCode") or base
        if bank_currency not in (base, code):
            errors.add(CURRENCY_MISMATCH)
        rate = currencies.rate_of(element, errors) if code != base else None
        if code == base:
            rate = Decimal("1")
        elif rate is None:
            rate = currencies.daily_rate(base, code, parse_date(day))
        if amount is None or errors:
            return rate, None
        return rate, money(amount) if bank_currency == code else currencies.to_base(amount, rate)

    def _update(self, tenant, element, existing, errors):
        if element.get("Status") != "DELETED" or existing["Status"] != "AUTHORISED":
            errors.add(STATUS_CHANGE_INVALID if existing["Status"] == "DELETED"
                       else "Only the Status of a payment can be changed, to DELETED.")  # (guess)
            return None
        if lockdates.lock_errors(self.books.organisation(tenant), existing["_Date"], errors):
            return None
        return dict(existing, Status="DELETED")

    def save(self, tenant, record, created):
        entity = self.books.invoices if record["_doc_kind"] == "invoice" else self.books.creditnotes
        doc = dict(entity.get(tenant, record["_doc"]))
        today = self.books.today().isoformat()
        if created:
            doc["Payments"] = doc.get("Payments", []) + [self.summary(record)]
            sign = 1
        else:
            doc["Payments"] = [p for p in doc.get("Payments", []) if p["PaymentID"] != record["PaymentID"]]
            sign = -1
        if entity is self.books.invoices:
            apply_settlement(doc, sign * record["Amount"], today, "AmountPaid")
        else:
            entity._recount(doc, today)
        super().save(tenant, record, created)
        entity.save(tenant, doc, False)

    def summary(self, record):
        out = {"PaymentID": record["PaymentID"], "Amount": record["Amount"], "BankAmount": record.get("BankAmount"),
               "Reference": record["Reference"], "CurrencyRate": record["CurrencyRate"], "HasAccount": True,
               "HasValidationErrors": False, "_Date": record["_Date"]}
        return out

    def render(self, record, unitdp=2):
        out = super().render(record, unitdp)
        render_date(out, record, "Date")
        out.pop("DateString", None)
        entity = self.books.invoices if record["_doc_kind"] == "invoice" else self.books.creditnotes
        doc = entity.get(record["_tenant"], record["_doc"])
        if doc:
            contact = self.books.contacts.get(record["_tenant"], doc.get("_contact"))
            ref = {entity.id_field: doc[entity.id_field], entity.number_field: doc.get(entity.number_field),
                   "Type": doc["Type"]}
            if contact:
                ref["Contact"] = self.books.contacts.summary(contact)
            out["Invoice" if entity is self.books.invoices else "CreditNote"] = ref
        return out


def render_payment_summary(summary):
    """A payment as embedded in an invoice's Payments[]."""
    out = {k: v for k, v in summary.items() if not k.startswith("_")}
    render_date(out, summary, "Date")
    out.pop("DateString", None)
    return out
