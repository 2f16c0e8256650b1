"""Credit notes (ACCRECCREDIT / ACCPAYCREDIT) and their allocations to invoices.

PUT /CreditNotes/{id}/Allocations applies credit to an invoice of the matching side
(ACCRECCREDIT -> ACCREC, ACCPAYCREDIT -> ACCPAY); DELETE …/Allocations/{AllocationID}
takes it back. Both documents' amounts and statuses move together.
"""

from decimal import Decimal

from ..xerojson import money, new_id
from . import lockdates
from .base import render_date, set_date
from .documents import Document, apply_settlement
from .payments import render_payment_summary
from .validation import (
    ALLOCATION_TOO_BIG,
    CREDIT_NOTE_NUMBER_TAKEN,
    CREDIT_TOO_SMALL,
    CURRENCY_MISMATCH,
    PAYMENT_NOT_AUTHORISED,
    Errors,
    number,
)

ZERO = Decimal("0")
INVOICE_SIDE = {"ACCRECCREDIT": "ACCREC", "ACCPAYCREDIT": "ACCPAY"}


class CreditNotes(Document):
    kind = "creditnote"
    collection = "CreditNotes"
    id_field = "CreditNoteID"
    number_field = "CreditNoteNumber"
    category = "CREDITNOTE"
    paged = True
    types = ("ACCRECCREDIT", "ACCPAYCREDIT")
    statuses = ("DRAFT", "SUBMITTED", "AUTHORISED", "DELETED", "VOIDED")
    number_prefix = {"ACCRECCREDIT": "CN-"}
    unique_number_types = ("ACCRECCREDIT",)
    number_taken_message = CREDIT_NOTE_NUMBER_TAKEN

    def locked(self, record):
        return bool(record.get("Allocations") or record.get("Payments"))

    def extra_fields(self, tenant, element, record, errors):
        record.setdefault("Allocations", [])
        record.setdefault("Payments", [])
        record.setdefault("SentToContact", False)

    def check(self, tenant, record, errors):
        if "Total" in record:
            record["RemainingCredit"] = record["Total"]
            record["AppliedAmount"] = ZERO

    # --- allocations ------------------------------------------------------------------------
    def allocate(self, tenant, credit_id, elements):
        """-> list of (ok, output). Valid allocations are applied even when others fail."""
        books = self.books
        results = []
        with self.store.transaction():
            for element in elements:
                errors = Errors()
                credit = self.get(tenant, credit_id)
                invoice = None
                if not isinstance(element, dict):
                    errors.add("An allocation must be a JSON object.")  # (guess)
                    results.append((False, self.echo_allocation(element, errors)))
                    continue
                ref = element.get("Invoice") if isinstance(element.get("Invoice"), dict) else {}
                invoice = books.invoices.get(tenant, str(ref.get("InvoiceID") or ref.get("InvoiceNumber") or ""))
                amount = number(element, "Amount", errors)
                probe = dict(element)
                record = {}
                set_date(record, probe, "Date", errors)
                lockdates.lock_errors(books.organisation(tenant), record.get("_Date") or books.today(), errors)
                if invoice is None:
                    errors.add("Invoice could not be found.")  # (guess)
                elif credit.get("Status") != "AUTHORISED" or invoice.get("Status") != "AUTHORISED":
                    errors.add(PAYMENT_NOT_AUTHORISED)
                elif INVOICE_SIDE[credit["Type"]] != invoice["Type"]:
                    # (guess)
                    errors.add("The credit note and the invoice must be of the same side (sales or purchases).")
                elif credit.get("CurrencyCode") != invoice.get("CurrencyCode"):
                    errors.add(CURRENCY_MISMATCH)
                elif amount is None or amount <= 0:
                    errors.add("Amount must be greater than zero.")  # (guess)
                elif amount > credit["RemainingCredit"]:
                    errors.add(CREDIT_TOO_SMALL)
                elif amount > invoice["AmountDue"]:
                    errors.add(ALLOCATION_TOO_BIG)
                if errors:
                    results.append((False, self.echo_allocation(element, errors)))
                    continue
                amount = money(amount)
                day = record.get("_Date") or books.today().isoformat()
                allocation = {"AllocationID": new_id(), "Amount": amount, "_Date": day,
                              "_invoice": invoice["InvoiceID"], "_credit": credit["CreditNoteID"]}
                credit = dict(credit)
                credit["Allocations"] = credit["Allocations"] + [allocation]
                self._recount(credit, books.today().isoformat())
                invoice = dict(invoice)
                invoice["CreditNotes"] = invoice["CreditNotes"] + [{
                    "CreditNoteID": credit["CreditNoteID"], "CreditNoteNumber": credit.get("CreditNoteNumber"),
                    "AppliedAmount": amount, "Total": credit["Total"], "_allocation": allocation["AllocationID"],
                }]
                apply_settlement(invoice, amount, books.today().isoformat(), "AmountCredited")
                self.save(tenant, credit, False)
                books.invoices.save(tenant, invoice, False)
                results.append((True, self.render_allocation(tenant, allocation)))
        return results

    def delete_allocation(self, tenant, credit_id, allocation_id):
        books = self.books
        with self.store.transaction():
            credit = self.get(tenant, credit_id)
            allocation = next((a for a in (credit or {}).get("Allocations", ())
                               if a["AllocationID"] == (allocation_id or "").lower()), None)
            if allocation is None:
                return None
            credit = dict(credit, Allocations=[a for a in credit["Allocations"] if a is not allocation])
            self._recount(credit, books.today().isoformat())
            invoice = dict(books.invoices.get(tenant, allocation["_invoice"]))
            invoice["CreditNotes"] = [c for c in invoice["CreditNotes"]
                                      if c.get("_allocation") != allocation["AllocationID"]]
            apply_settlement(invoice, -allocation["Amount"], books.today().isoformat(), "AmountCredited")
            self.save(tenant, credit, False)
            books.invoices.save(tenant, invoice, False)
            out = self.render_allocation(tenant, allocation)
            out["IsDeleted"] = True
            return out

    @staticmethod
    def _recount(credit, today_iso):
        applied = sum((a["Amount"] for a in credit["Allocations"]), ZERO) + \
            sum((p["Amount"] for p in credit.get("Payments", ())), ZERO)
        credit["AppliedAmount"] = money(applied)
        credit["RemainingCredit"] = money(credit["Total"] - applied)
        if credit["RemainingCredit"] == 0:
            credit["Status"], credit["_FullyPaidOnDate"] = "PAID", today_iso
        elif credit["Status"] == "PAID":
            credit["Status"] = "AUTHORISED"
            credit.pop("_FullyPaidOnDate", None)

    def render(self, record, unitdp=2):
        out = super().render(record, unitdp)
        out["Allocations"] = [self.render_allocation(record["_tenant"], a, embedded=True)
                              for a in record.get("Allocations", ())]
        out["Payments"] = [render_payment_summary(p) for p in record.get("Payments", ())]
        return out

    def render_allocation(self, tenant, allocation, embedded=False):
        out = {"AllocationID": allocation["AllocationID"], "Amount": allocation["Amount"], "IsDeleted": False}
        render_date(out, allocation, "Date")
        out.pop("DateString", None)
        invoice = self.books.invoices.get(tenant, allocation["_invoice"])
        if invoice:
            out["Invoice"] = {"InvoiceID": invoice["InvoiceID"], "InvoiceNumber": invoice.get("InvoiceNumber"),
                              "Type": invoice["Type"]}
        if not embedded:
            credit = self.get(tenant, allocation["_credit"])
            out["CreditNote"] = {"CreditNoteID": credit["CreditNoteID"],
                                 "CreditNoteNumber": credit.get("CreditNoteNumber"), "Type": credit["Type"]}
            out["StatusAttributeString"] = "OK"
        return out

    @staticmethod
    def echo_allocation(element, errors):
        out = dict(element) if isinstance(element, dict) else {}
        out["StatusAttributeString"] = "ERROR"
        out["ValidationErrors"] = list(errors)
        return out
