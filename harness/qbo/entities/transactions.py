"""Transactions: Invoice, CreditMemo (sales forms), Bill, PurchaseOrder (purchases), Payment,
BillPayment — lines, tax, totals, numbering, closed period, payments applied.

Totals as QBO computes them (qbo-facts "Tax, numbering, currency"):
- an item line needs ``Amount`` (Intuit's API reference: required); with Qty and UnitPrice it
  must equal ``round(Qty × UnitPrice, 2)`` (else 6070 "Amount is not equal to UnitPrice * Qty");
  QBO appends a ``SubTotalLineDetail`` line with the sum;
- US companies with automated sales tax: lines carry ``TaxCodeRef`` "TAX" / "NON" (default:
  the item's and the customer's ``Taxable``); tax = per rate of the company's combined code,
  ``round(taxable × rate / 100, 2)``, in ``TxnTaxDetail.TaxLine`` (*guess*: AST picks rates by
  address; the simulator uses the company's one combined code);
- other companies (UK VAT): every line needs a ``TaxCodeRef`` (its item's default else 6000
  "Make sure all your transactions have a VAT rate before you save."); tax per rate of the
  code's SalesTaxRateList (PurchaseTaxRateList on purchases) = ``round(Σ net × rate / 100, 2)``;
  ``GlobalTaxCalculation`` TaxExcluded (tax on top), TaxInclusive (tax carved out of the
  amounts sent: line ``Amount`` is the net, ``TaxInclusiveAmt`` the gross), NotApplicable;
- ``TotalAmt`` = subtotal + tax (TaxExcluded), ``HomeTotalAmt = round(TotalAmt × ExchangeRate,
  2)`` for another currency (``ExchangeRate``: home units per foreign unit; the harness's day
  rate when none is sent); ``Balance`` = TotalAmt − payments applied.
- DocNumber ≤ 21 characters, unique across Invoice and CreditMemo (6140, Detail naming the
  holder) unless ``include=allowduplicatedocnum``; with ``CustomTxnNumbers`` off QBO numbers
  sales forms itself (last + 1).
- Closed books: a transaction dated on or before ``BookCloseDate`` cannot be created, changed,
  voided or deleted (6210).
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from ...accounting.currencies import daily_rate
from ..wire import money, num, parse_date
from . import errors
from .base import Spec
from .names import adjust_balance

CENT = Decimal("0.01")
SALES = ("Invoice", "CreditMemo")
DOC_NUMBER_MAX = 21


def q(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def today(books, realm):
    tz = dt.timezone(dt.timedelta(hours=books.tz(realm)))
    return dt.datetime.fromtimestamp(books.clock.now(), tz).date()


def check_period(books, realm, *dates):
    close = books.book_close_date(realm)
    if not close:
        return
    close_day = dt.date.fromisoformat(str(close)[:10])
    for day in dates:
        if day and dt.date.fromisoformat(str(day)[:10]) <= close_day:
            raise errors.period_closed()


def _txn_date(books, realm, obj):
    day = parse_date(obj.get("TxnDate"), "TxnDate") or today(books, realm)
    obj["TxnDate"] = day.isoformat()
    return day


def _currency(books, realm, obj, party, day):
    home = books.home_currency(realm)
    code = (obj.get("CurrencyRef") or {}).get("value") or (party.get("CurrencyRef") or {}).get("value") or home
    prefs = books.preferences(realm).get("CurrencyPrefs") or {}
    if code != home and not prefs.get("MultiCurrencyEnabled"):
        raise errors.business("Multicurrency is not enabled for this company: use %s" % home, "CurrencyRef")
    party_code = (party.get("CurrencyRef") or {}).get("value") or home
    if code != party_code:
        raise errors.business("The transaction currency %s must be the currency of %s (%s)"
                              % (code, party.get("DisplayName"), party_code), "CurrencyRef")
    obj["CurrencyRef"] = {"value": code}
    if code == home:
        obj["ExchangeRate"] = 1
        return Decimal(1)
    rate = num(obj.get("ExchangeRate"), "ExchangeRate")
    if rate is None or rate <= 0:
        rate = daily_rate(code, home, day)  # home units per 1 foreign unit
    obj["ExchangeRate"] = float(rate)
    return Decimal(rate)


def _tax_rates(books, realm, code, purchase):
    lst = code.get("PurchaseTaxRateList" if purchase else "SalesTaxRateList") or {}
    out = []
    for detail in lst.get("TaxRateDetail") or []:
        rate = books.get(realm, "TaxRate", detail["TaxRateRef"]["value"])
        if rate is not None:
            out.append(rate)
    return out


def _lines(books, realm, obj, party, purchase):
    """Normalise the detail lines -> [(line, amount Decimal, tax code dict or "TAX"/"NON")]."""
    lines = obj.get("Line")
    if not isinstance(lines, list) or not lines:
        raise errors.required("Line")
    out, n = [], 0
    for raw in lines:
        if not isinstance(raw, dict):
            raise errors.invalid("Line")
        kind = raw.get("DetailType")
        if kind in ("SubTotalLineDetail", "TaxLineDetail"):
            continue  # QBO recomputes these
        n += 1
        line = {"Id": str(n), "LineNum": n, "DetailType": kind}
        if raw.get("Description"):
            line["Description"] = raw["Description"]
        if kind == "DescriptionOnly":
            line["DescriptionLineDetail"] = raw.get("DescriptionLineDetail") or {}
            line["Amount"] = 0.0
            out.append((line, Decimal(0), None))
            continue
        if kind not in ("SalesItemLineDetail", "AccountBasedExpenseLineDetail", "ItemBasedExpenseLineDetail") or (
                purchase == (kind == "SalesItemLineDetail")):
            raise errors.invalid("Line.DetailType")
        detail = dict(raw.get(kind) or {})
        amount = num(raw.get("Amount"), "Amount")
        if amount is None:  # Intuit's API reference marks Line.Amount required
            raise errors.required("Line.Amount")
        item = None
        if kind in ("SalesItemLineDetail", "ItemBasedExpenseLineDetail"):
            item = _item_detail(books, realm, detail, amount)
        else:
            if not detail.get("AccountRef"):
                raise errors.required("AccountRef")
            detail["AccountRef"] = books.ref_of(books.ref(realm, "Account", detail["AccountRef"], "AccountRef"))
        for field, kind_ref in (("ClassRef", "Class"), ("CustomerRef", "Customer")):
            if detail.get(field):
                detail[field] = books.ref_of(books.ref(realm, kind_ref, detail[field], field))
        code = _line_tax_code(books, realm, detail, item, party, purchase)
        line[kind] = detail
        line["Amount"] = float(q(amount))
        out.append((line, q(amount), code))
    return out


def _item_detail(books, realm, detail, amount):
    """An item line's ItemRef, Qty and UnitPrice, checked against its Amount. -> the item."""
    if not detail.get("ItemRef"):
        raise errors.required("ItemRef")
    item = books.ref(realm, "Item", detail["ItemRef"], "ItemRef")
    detail["ItemRef"] = books.ref_of(item)
    # python-quickbooks sends Qty 0 / UnitPrice 0 for a line given only an Amount: as unset
    qty, price = num(detail.get("Qty"), "Qty") or None, num(detail.get("UnitPrice"), "UnitPrice") or None
    if qty is None:
        qty = amount / price if price else Decimal(1)
    if price is None:
        price = amount / qty if qty else amount
    elif q(qty * price) != q(amount):
        raise errors.QboFault(6070, "Amount is not equal to UnitPrice * Qty",
                              "Amount is not equal to UnitPrice * Qty. Supplied value:%s" % amount, "Amount")
    detail["Qty"], detail["UnitPrice"] = float(qty), float(price)
    return item


def _line_tax_code(books, realm, detail, item, party, purchase):
    """-> "TAX" / "NON" (US automated sales tax, sales), the TaxCode (VAT), or None."""
    us_ast = books.company(realm).get("tax_mode") == "us_ast"
    if us_ast and purchase:
        return None
    if us_ast:
        value = (detail.get("TaxCodeRef") or {}).get("value")
        if value not in (None, "TAX", "NON"):
            raise errors.invalid("TaxCodeRef")
        if value is None:
            value = "TAX" if (item or {}).get("Taxable") and party.get("Taxable", True) else "NON"
        detail["TaxCodeRef"] = {"value": value}
        return value
    ref = detail.get("TaxCodeRef") or (item or {}).get("PurchaseTaxCodeRef" if purchase else "SalesTaxCodeRef")
    if not ref:
        raise errors.business("Make sure all your transactions have a VAT rate before you save.", "TaxCodeRef")
    code = books.ref(realm, "TaxCode", ref, "TaxCodeRef")
    detail["TaxCodeRef"] = {"value": code["Id"]}
    return code


def _totals(books, realm, obj, lines, purchase):
    """Fill Line (with the SubTotal line), TxnTaxDetail, TotalAmt; -> TotalAmt (Decimal)."""
    company = books.company(realm)
    subtotal = sum((amount for _, amount, _ in lines), Decimal(0))
    tax_lines, total_tax = [], Decimal(0)
    if company.get("tax_mode") == "us_ast":
        if not purchase:
            taxable = sum((a for _, a, c in lines if c == "TAX"), Decimal(0))
            combined = books.get(realm, "TaxCode", company["ast_taxcode"])
            for rate in _tax_rates(books, realm, combined, False):
                pct = Decimal(str(rate["RateValue"]))
                tax = q(taxable * pct / 100)
                total_tax += tax
                tax_lines.append(_tax_line(rate, pct, tax, taxable))
            obj["TxnTaxDetail"] = {"TxnTaxCodeRef": {"value": combined["Id"], "name": combined["Name"]},
                                   "TotalTax": float(total_tax), "TaxLine": tax_lines}
            obj.pop("GlobalTaxCalculation", None)
        total = subtotal + total_tax
    else:
        mode = obj.get("GlobalTaxCalculation") or "TaxExcluded"
        if mode not in ("TaxExcluded", "TaxInclusive", "NotApplicable"):
            raise errors.invalid("GlobalTaxCalculation")
        obj["GlobalTaxCalculation"] = mode
        groups = {}
        for line, amount, code in lines:
            if code is None or mode == "NotApplicable":
                continue
            rates = _tax_rates(books, realm, code, purchase)
            for rate in rates:
                groups.setdefault(rate["Id"], [rate, Decimal(0)])[1] += amount
            if mode == "TaxInclusive" and rates:  # the amount sent is gross: the line keeps its net
                pct = sum((Decimal(str(r["RateValue"])) for r in rates), Decimal(0))
                detail = line[line["DetailType"]]
                detail["TaxInclusiveAmt"] = float(amount)
                line["Amount"] = float(q(amount * 100 / (100 + pct)))
        for rate, base in groups.values():
            pct = Decimal(str(rate["RateValue"]))
            tax = q(base * pct / (100 + pct)) if mode == "TaxInclusive" else q(base * pct / 100)
            total_tax += tax
            tax_lines.append(_tax_line(rate, pct, tax, base - tax if mode == "TaxInclusive" else base))
        obj["TxnTaxDetail"] = {"TotalTax": float(total_tax), "TaxLine": tax_lines}
        total = subtotal if mode == "TaxInclusive" else subtotal + total_tax
        if mode == "TaxInclusive":
            subtotal = total - total_tax
    out_lines = [line for line, _, _ in lines]
    if not purchase:
        out_lines.append({"Amount": float(q(subtotal)), "DetailType": "SubTotalLineDetail", "SubTotalLineDetail": {}})
    obj["Line"] = out_lines
    obj["TotalAmt"] = float(q(total))
    return q(total)


def _tax_line(rate, pct, tax, base):
    return {"Amount": float(tax), "DetailType": "TaxLineDetail", "TaxLineDetail": {
        "TaxRateRef": {"value": rate["Id"], "name": rate["Name"]}, "PercentBased": True,
        "TaxPercent": float(pct), "NetAmountTaxable": float(q(base))}}


def _doc_number(books, realm, entity, obj):
    include = obj.get("_include") or ()
    if entity in SALES and (not obj.get("DocNumber") and (obj.get("AutoDocNumber")
                                                          or not books.custom_txn_numbers(realm))):
        number = books.next_doc_number(realm)
        while any(books.find(realm, e, "DocNumber", number) for e in SALES):
            number = books.next_doc_number(realm)
        obj["DocNumber"] = number
    number = obj.get("DocNumber")
    if not number:
        return
    number = str(number)
    if len(number) > DOC_NUMBER_MAX:
        raise errors.too_long("DocNumber", DOC_NUMBER_MAX, len(number))
    if entity in SALES and "allowduplicatedocnum" not in include:
        for other in SALES:
            for key in books.find(realm, other, "DocNumber", number):
                if not (other == entity and key == obj.get("Id")):
                    raise errors.duplicate_doc(number, other, key)


def _void_lines(obj):
    for line in obj.get("Line") or []:
        line["Amount"] = 0.0
        detail = line.get(line.get("DetailType") or "", None)
        if isinstance(detail, dict) and "Qty" in detail:
            detail["Qty"] = 0.0
    if obj.get("TxnTaxDetail"):
        obj["TxnTaxDetail"] = dict(obj["TxnTaxDetail"], TotalTax=0.0, TaxLine=[])
    obj["TotalAmt"] = 0.0
    obj["PrivateNote"] = "Voided"


def _void_or_delete(obj):
    """A void or delete of a sales form / bill: refused while payments are applied. -> done?"""
    if not (obj.get("_delete") or obj.get("_void")):
        return False
    if float(obj.get("_paid") or 0):  # *guess* at the wording
        raise errors.business("This transaction has payments applied: delete or void them first")
    if obj.get("_void"):
        _void_lines(obj)
        obj["Balance"] = obj["HomeBalance"] = 0.0
        if "HomeTotalAmt" in obj:
            obj["HomeTotalAmt"] = 0.0
    return True


def _party(books, realm, obj, party_kind):
    ref_field = party_kind + "Ref"
    if not obj.get(ref_field):
        raise errors.required(ref_field)
    party = books.ref(realm, party_kind, obj[ref_field], ref_field)
    obj[ref_field] = books.ref_of(party, "DisplayName")
    return party


def _balances(entity, obj, total, rate):
    if entity in ("Invoice", "Bill", "CreditMemo"):
        paid = Decimal(str(obj.get("_paid") or 0))
        if paid > total:
            raise errors.business("The total cannot be less than the payments applied (%s)" % paid, "TotalAmt")
        obj["Balance"] = float(total - paid)
        if rate != 1 or entity != "CreditMemo":
            obj["HomeBalance"] = money((total - paid) * rate)
    if entity == "CreditMemo":
        obj["RemainingCredit"] = obj["Balance"]
    if entity == "PurchaseOrder":
        obj.setdefault("POStatus", "Open")
    if entity == "Invoice":
        obj.setdefault("EmailStatus", "NotSet")
        obj.setdefault("PrintStatus", "NotSet")
        obj.setdefault("LinkedTxn", [])


def _document(entity, party_kind, purchase):
    def prepare(books, realm, obj, current):
        if current is not None:
            check_period(books, realm, current.get("TxnDate"))
        if _void_or_delete(obj):
            return
        party = _party(books, realm, obj, party_kind)
        day = _txn_date(books, realm, obj)
        check_period(books, realm, day)
        for field in ("DueDate", "ShipDate", "ExpectedDate"):
            if obj.get(field):
                obj[field] = parse_date(obj[field], field).isoformat()
        if entity in ("Invoice", "Bill") and not obj.get("DueDate"):
            obj["DueDate"] = obj["TxnDate"]
        for field, kind in (("ClassRef", "Class"), ("DepartmentRef", "Department")):
            if obj.get(field):
                obj[field] = books.ref_of(books.ref(realm, kind, obj[field], field))
        rate = _currency(books, realm, obj, party, day)
        _doc_number(books, realm, entity, obj)
        total = _totals(books, realm, obj, _lines(books, realm, obj, party, purchase), purchase)
        if rate != 1:
            obj["HomeTotalAmt"] = money(total * rate)
        _balances(entity, obj, total, rate)
    return prepare


def _balance_after(entity, party_kind, sign):
    def after(books, realm, obj, current):
        ref = party_kind + "Ref"
        if current is not None:
            adjust_balance(books, realm, party_kind, current.get(ref), -sign * float(current.get("Balance") or 0))
        if obj is not None:
            adjust_balance(books, realm, party_kind, obj.get(ref), sign * float(obj.get("Balance") or 0))
    return after


# --- payments ---------------------------------------------------------------------------------
def _payment(entity, party_kind, target):
    def prepare(books, realm, obj, current):
        if current is not None:
            check_period(books, realm, current.get("TxnDate"))
        if obj.get("_delete"):
            return
        if obj.get("_void"):
            for line in obj.get("Line") or []:
                line["Amount"] = 0.0
            obj["TotalAmt"] = 0.0
            obj["PrivateNote"] = "Voided"
            if entity == "Payment":
                obj["UnappliedAmt"] = 0.0
            return
        party = _party(books, realm, obj, party_kind)
        total = num(obj.get("TotalAmt"), "TotalAmt")
        if total is None:
            raise errors.required("TotalAmt")
        day = _txn_date(books, realm, obj)
        check_period(books, realm, day)
        rate = _currency(books, realm, obj, party, day)
        _payment_accounts(books, realm, entity, obj)
        applied = _apply_lines(books, realm, obj, current, party_kind, target)
        if applied > total:
            raise errors.business("The amounts applied (%s) are more than the payment's TotalAmt (%s)"
                                  % (applied, total), "TotalAmt")
        obj["TotalAmt"] = float(total)
        if entity == "Payment":
            obj["UnappliedAmt"] = float(total - applied)
            obj.setdefault("ProcessPayment", False)
        if rate != 1:
            obj["HomeTotalAmt"] = money(total * rate)
    return prepare


def _payment_accounts(books, realm, entity, obj):
    if entity == "BillPayment":
        pay_type = obj.get("PayType")
        if pay_type not in ("Check", "CreditCard"):
            raise errors.required("PayType")
        sub, field = ("CheckPayment", "BankAccountRef") if pay_type == "Check" else \
            ("CreditCardPayment", "CCAccountRef")
        detail = dict(obj.get(sub) or {})
        if not detail.get(field):
            raise errors.required(field)
        detail[field] = books.ref_of(books.ref(realm, "Account", detail[field], field))
        obj[sub] = detail
    elif obj.get("DepositToAccountRef"):
        obj["DepositToAccountRef"] = books.ref_of(books.ref(realm, "Account", obj["DepositToAccountRef"],
                                                            "DepositToAccountRef"))


def _apply_lines(books, realm, obj, current, party_kind, target):
    """Check each line's LinkedTxn (same party, same currency, not over its balance). -> applied."""
    ref_field = party_kind + "Ref"
    previous = _applied(current) if current is not None else {}
    applied, lines = Decimal(0), []
    for raw in obj.get("Line") or []:
        amount = num(raw.get("Amount"), "Amount")
        links = raw.get("LinkedTxn") or []
        if amount is None or not links:
            raise errors.required("Line.LinkedTxn" if amount is not None else "Line.Amount")
        link = links[0]
        if link.get("TxnType") != target:
            raise errors.invalid("LinkedTxn.TxnType")
        doc = books.get(realm, target, link.get("TxnId"))
        if doc is None:
            raise errors.invalid_ref(target, link.get("TxnId"), "LinkedTxn")
        if doc[ref_field]["value"] != obj[ref_field]["value"]:
            raise errors.business("The %s %s belongs to another %s" % (target, doc["Id"], party_kind.lower()),
                                  "LinkedTxn")
        if (doc.get("CurrencyRef") or {}).get("value") != obj["CurrencyRef"]["value"]:
            raise errors.business("The payment and the %s must be in the same currency" % target, "CurrencyRef")
        open_amount = Decimal(str(doc.get("Balance") or 0)) + previous.get(doc["Id"], Decimal(0))
        if amount > open_amount:  # *guess* at the wording: QBO refuses paying more than is due
            raise errors.business("The payment amount %s is more than the balance %s of %s %s"
                                  % (amount, open_amount, target, doc.get("DocNumber") or doc["Id"]), "Amount")
        applied += amount
        lines.append({"Amount": float(amount), "LinkedTxn": [{"TxnId": doc["Id"], "TxnType": target}]})
    obj["Line"] = lines
    return applied


def _applied(payment):
    out = {}
    if not payment or payment.get("_void"):
        return out
    for line in payment.get("Line") or []:
        for link in line.get("LinkedTxn") or []:
            out[link["TxnId"]] = out.get(link["TxnId"], Decimal(0)) + Decimal(str(line["Amount"]))
    return out


def _payment_after(entity, target, party_kind):
    def after(books, realm, obj, current):
        before, now = _applied(current), _applied(obj)
        pay_id = (obj or current)["Id"]
        for doc_id in set(before) | set(now):
            delta = now.get(doc_id, Decimal(0)) - before.get(doc_id, Decimal(0))
            doc = books.store.get(target, doc_id, realm)
            if doc is None or (not delta and (doc_id in now) == (doc_id in before)):
                continue
            doc = dict(doc)
            paid = Decimal(str(doc.get("_paid") or 0)) + delta
            doc["_paid"] = float(paid)
            balance = Decimal(str(doc["TotalAmt"])) - paid
            doc["Balance"] = float(balance)
            doc["HomeBalance"] = money(balance * Decimal(str(doc.get("ExchangeRate") or 1)))
            links = [link for link in doc.get("LinkedTxn") or [] if link.get("TxnId") != pay_id]
            if doc_id in now:
                links.append({"TxnId": pay_id, "TxnType": entity})
            doc["LinkedTxn"] = links
            adjust_balance(books, realm, party_kind, doc.get(party_kind + "Ref"), -delta)
            books.touch(realm, target, doc)
    return after


def register(books):
    computed = ("TotalAmt", "HomeTotalAmt", "Balance", "HomeBalance", "RemainingCredit", "TxnTaxDetail")
    for entity, party, purchase, sign in (("Invoice", "Customer", False, 1), ("CreditMemo", "Customer", False, -1),
                                          ("Bill", "Vendor", True, 1), ("PurchaseOrder", "Vendor", True, 0)):
        after = _balance_after(entity, party, sign) if sign else None
        books.register(Spec(entity, _document(entity, party, purchase), after=after, delete=True,
                            void=entity in ("Invoice", "CreditMemo"), computed=computed, transaction=True))
    for entity, party, target in (("Payment", "Customer", "Invoice"), ("BillPayment", "Vendor", "Bill")):
        books.register(Spec(entity, _payment(entity, party, target), after=_payment_after(entity, target, party),
                            delete=True, void=True, computed=("UnappliedAmt", "HomeTotalAmt"), transaction=True))
