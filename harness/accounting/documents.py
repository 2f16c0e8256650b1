"""What invoices, bills, credit notes and purchase orders share: contact, dates, lines,
totals, numbering and the status rules.

Status rules (Xero's): DRAFT / SUBMITTED may become AUTHORISED or DELETED; AUTHORISED may be
VOIDED, never DELETED; PAID, VOIDED and DELETED are final; a document with a payment or a
credit note allocated cannot be edited (nor voided) until those are removed.
"""

from decimal import Decimal

from ..xerojson import money, new_id
from . import currencies, lockdates, refs, totals
from .base import Entity, render_date, set_date
from .validation import ACCOUNT_CODE_REQUIRED, DOCUMENT_LOCKED, LINE_ITEMS_REQUIRED, STATUS_CHANGE_INVALID, number, text

AMOUNT_TYPES = ("Exclusive", "Inclusive", "NoTax")
ZERO = Decimal("0")
SALES_TYPES = ("ACCREC", "ACCRECCREDIT")


class Document(Entity):
    types = ()                 # allowed Type values (empty: no Type field)
    statuses = ()              # settable statuses
    number_prefix = {}         # Type -> auto-number prefix ("INV-")
    unique_number_types = ()   # types whose number must be unique
    number_taken_message = ""
    needs_account_code = True  # AUTHORISED lines need an AccountCode
    ledger = True              # posts to the ledger: lock dates apply (not to purchase orders)
    error_flag = "HasErrors"   # Invoice and CreditNote schemas (PurchaseOrder has none)
    allow_discount = True
    date_fields = ("Date", "DueDate")
    status_only_fields = frozenset()

    # --- status ---------------------------------------------------------------------------
    def locked(self, record):
        return bool(record.get("AmountPaid") or record.get("AmountCredited"))

    def check_transition(self, existing, element, errors):
        """-> False when the element must not be applied (an error was reported)."""
        old = existing.get("Status")
        new = element.get("Status", old)
        changes = {k for k in element if k not in (self.id_field, self.number_field, "Status")}
        if old in ("DELETED", "VOIDED", "PAID", "BILLED") and (changes or new != old):
            errors.add(DOCUMENT_LOCKED if old == "PAID" else STATUS_CHANGE_INVALID)
            return False
        if self.locked(existing) and (changes or new != old):
            errors.add(DOCUMENT_LOCKED)
            return False
        if new == "DELETED" and old not in ("DRAFT", "SUBMITTED"):
            errors.add(STATUS_CHANGE_INVALID)
            return False
        if new == "VOIDED" and old != "AUTHORISED":
            errors.add(STATUS_CHANGE_INVALID)
            return False
        if old == "AUTHORISED" and new in ("DRAFT", "SUBMITTED"):
            errors.add(STATUS_CHANGE_INVALID)
            return False
        return True

    # --- build -----------------------------------------------------------------------------
    def build(self, tenant, element, existing, errors, ctx):  # noqa: C901 - Xero's rules, one after the other
        if existing is not None and not self.check_transition(existing, element, errors):
            return None
        record = self.new_record(existing)
        record["_tenant"] = tenant
        if existing is not None and set(element) <= {self.id_field, self.number_field, "Status"} \
                and element.get("Status") in ("DELETED", "VOIDED"):
            record["Status"] = element["Status"]
            if record["Status"] == "VOIDED":
                record["AmountDue"] = ZERO
                if self.ledger:  # voiding posts to the ledger on the document's date
                    lockdates.lock_errors(self.books.organisation(tenant), record.get("_Date"), errors)
            return record
        if self.types:
            type_ = element.get("Type", record.get("Type"))
            if type_ not in self.types:
                errors.add("Type must be one of %s." % ", ".join(self.types))  # (guess)
                return None
            record["Type"] = type_
        if "Contact" in element or existing is None:
            contact = refs.contact(self.books, tenant, element.get("Contact"), errors, ctx)
            if contact is None:
                return None
            record["_contact"] = contact["ContactID"]
            ctx.contact = contact
        else:
            ctx.contact = self.books.contacts.get(tenant, record["_contact"])
        for field in self.date_fields:
            set_date(record, element, field, errors)
        if existing is None and not record.get("_Date"):
            record["_Date"] = self.books.today().isoformat()
        amount_types = element.get("LineAmountTypes", record.get("LineAmountTypes") or "Exclusive")
        if amount_types not in AMOUNT_TYPES:
            errors.add("LineAmountTypes must be one of Exclusive, Inclusive, NoTax.")  # (guess)
            return None
        record["LineAmountTypes"] = amount_types
        status = element.get("Status", record.get("Status") or "DRAFT")
        if status not in self.statuses:
            errors.add("Status must be one of %s." % ", ".join(self.statuses))  # (guess)
            return None
        record["Status"] = status
        reference = text(element, "Reference", errors, limit=255)
        if reference is not None:
            record["Reference"] = reference
        currencies.document_currency(self.books, tenant, element, record, errors)
        self.extra_fields(tenant, element, record, errors)
        self.number(tenant, element, record, errors)
        if "LineItems" in element or existing is None:
            self.lines(tenant, element.get("LineItems"), record, errors, ctx)
        elif "LineAmountTypes" in element:
            self.lines(tenant, record["LineItems"], record, errors, ctx)
        if record["Status"] in ("AUTHORISED", "SUBMITTED") and not record.get("LineItems") and not errors:
            errors.add(LINE_ITEMS_REQUIRED)
        self.check(tenant, record, errors)
        if self.ledger and record["Status"] == "AUTHORISED" and record.get("_Date"):
            # approved documents only: drafts and documents submitted for approval may be dated
            # in a locked period; an approved one cannot be moved out of it either
            dates = {record["_Date"]}
            if existing is not None and existing.get("Status") == "AUTHORISED" and existing.get("_Date"):
                dates.add(existing["_Date"])
            org = self.books.organisation(tenant)
            for day in sorted(dates):
                if lockdates.lock_errors(org, day, errors):
                    break
        return record

    def extra_fields(self, tenant, element, record, errors):
        pass

    def check(self, tenant, record, errors):
        pass

    def number(self, tenant, element, record, errors):
        field = self.number_field
        value = text(element, field, errors, limit=255)
        type_ = record.get("Type", "")
        if value:
            record[field] = value
        elif not record.get(field) and (type_ in self.number_prefix or not self.types):
            record[field] = self.books.next_number(tenant, self.kind + type_,
                                                   self.number_prefix.get(type_, ""), self)
        if record.get(field) and (type_ in self.unique_number_types or not self.types):
            for key in self.store.find(self.kind, field, record[field], tenant):
                other = self.store.get(self.kind, key, tenant)
                if other[self.id_field] != record[self.id_field] and other.get("Status") != "DELETED" \
                        and other.get("Type") == record.get("Type"):
                    errors.add(self.number_taken_message)
                    break

    def lines(self, tenant, lines, record, errors, ctx):  # noqa: C901 - one check per line field, as Xero names them
        if lines is None:
            lines = []
        if not isinstance(lines, list):
            errors.add("LineItems must be a list.")  # (guess)
            return
        sales = record.get("Type", "ACCPAY") in SALES_TYPES
        amount_types = record["LineAmountTypes"]
        out, sums = [], []
        for line in lines:
            if not isinstance(line, dict):
                errors.add("A line item must be an object.")  # (guess)
                continue
            errors_before = len(errors)
            clean = {"LineItemID": line.get("LineItemID") or new_id()}
            item = refs.item(self.books, tenant, line.get("ItemCode"), errors)
            details = (item or {}).get("SalesDetails" if sales else "PurchaseDetails") or {}
            description = text(line, "Description", errors, limit=4000)
            if description is None and item:
                description = item.get("Description" if sales else "PurchaseDescription") or item.get("Name")
            if description is None and not item and line.get("UnitAmount") is None and line.get("LineAmount") is None:
                errors.add("Description must be specified.")  # (guess)
            qty = number(line, "Quantity", errors)
            unit = number(line, "UnitAmount", errors)
            if unit is None and line.get("LineAmount") is None:
                unit = details.get("UnitPrice")
            given_amount = number(line, "LineAmount", errors)
            discount_rate = number(line, "DiscountRate", errors)
            if discount_rate is not None and (discount_rate < 0 or discount_rate > 100):
                errors.add("DiscountRate must be between 0 and 100.")  # (guess)
            if discount_rate and not self.allow_discount:
                errors.add("Discounts are not allowed on this document type.")  # (guess)
            account_code = line.get("AccountCode") or details.get("AccountCode")
            account = refs.account(self.books, tenant, account_code, errors)
            refs.account_on_document(account, errors)
            tax_type = line.get("TaxType") or details.get("TaxType") or (account or {}).get("TaxType")
            if amount_types == "NoTax":
                tax_type, rate = "NONE", ZERO
            elif tax_type:
                rate = refs.tax_rate(self.books, tenant, tax_type, errors)
                if rate is not None:
                    refs.tax_with_account(self.books, tenant, tax_type, account, errors)
            else:
                tax_type, rate = "NONE", ZERO
            tracking = self.books.tracking.line_tracking(tenant, line.get("Tracking"), errors)
            if len(errors) > errors_before:
                continue
            qty, unit, amount, discount = totals.line_amounts(qty, unit, discount_rate, given_amount, ctx.unitdp)
            tax = totals.line_tax(amount, rate, amount_types, number(line, "TaxAmount", errors)
                                  if amount_types != "NoTax" else None)
            if description is not None:
                clean["Description"] = description
            clean.update({"Quantity": qty, "UnitAmount": unit, "TaxType": tax_type, "TaxAmount": tax,
                          "LineAmount": amount})
            if account_code:
                clean["AccountCode"] = str(account_code)
                clean["AccountID"] = account["AccountID"]
            if item:
                clean["ItemCode"] = item["Code"]
                clean["Item"] = {"ItemID": item["ItemID"], "Code": item["Code"], "Name": item.get("Name")}
            if discount_rate:
                clean["DiscountRate"] = discount_rate
                clean["DiscountAmount"] = discount
            if tracking is not None:
                clean["Tracking"] = tracking
            out.append(clean)
            sums.append((amount, tax, discount))
        record["LineItems"] = out
        sub, tax, total, disc = totals.document_totals(sums, amount_types)
        record.update({"SubTotal": sub, "TotalTax": tax, "Total": total})
        if self.allow_discount:
            record["TotalDiscount"] = disc
        if self.needs_account_code and record["Status"] == "AUTHORISED" \
                and any(not line.get("AccountCode") for line in out):
            errors.add(ACCOUNT_CODE_REQUIRED)

    # --- save / render -------------------------------------------------------------------------
    def save(self, tenant, record, created):
        super().save(tenant, record, created)
        if record.get("_contact") and record.get("Type"):
            self.books.contacts.mark_role(tenant, record["_contact"], record["Type"])

    def render(self, record, unitdp=2):
        out = super().render(record, unitdp)
        contact = self.books.contacts.get(self.store_tenant(record), record.get("_contact"))
        if contact:
            out["Contact"] = self.books.contacts.summary(contact)
        for field in self.date_fields + ("FullyPaidOnDate",):
            render_date(out, record, field)
        if unitdp == 2:
            for line in out.get("LineItems", ()):
                if "UnitAmount" in line:
                    line["UnitAmount"] = money(line["UnitAmount"])
        out.setdefault("HasAttachments", False)
        out["HasErrors"] = False
        return out

    def store_tenant(self, record):
        return record.get("_tenant")


def apply_settlement(record, amount, today_iso, field="AmountPaid"):
    """Move AmountDue / AmountPaid|AmountCredited / Status by ``amount`` (negative reverses)."""
    record[field] = money(record.get(field, ZERO) + amount)
    record["AmountDue"] = money(record["Total"] - record.get("AmountPaid", ZERO) - record.get("AmountCredited", ZERO))
    if record["AmountDue"] == 0:
        record["Status"] = "PAID"
        record["_FullyPaidOnDate"] = today_iso
    else:
        record["Status"] = "AUTHORISED"
        record.pop("_FullyPaidOnDate", None)
