"""QuickBooks Online JSON → neutral dicts, as pure functions (no Odoo import): the rows the
import matches against Odoo (tax codes and rates, accounts, customers, vendors, items,
classes, departments), and what a document's payments say (``document_state``, the shape the
Xero provider's settlement yields, so the core registers payments the same way).

QBO tells us *that* a payment changed (webhook or CDC), never what: we fetch the document and
its payments and compare with what Odoo recorded (keyed by the Payment's Id). Applying the
same state twice changes nothing.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# Account.AccountType (Finance.xsd AccountTypeEnum) -> Odoo's account_type
ACCOUNT_TYPES = {
    "Bank": "asset_cash", "Accounts Receivable": "asset_receivable", "Other Current Asset": "asset_current",
    "Fixed Asset": "asset_fixed", "Other Asset": "asset_non_current", "Accounts Payable": "liability_payable",
    "Credit Card": "liability_credit_card", "Other Current Liability": "liability_current",
    "Long Term Liability": "liability_non_current", "Equity": "equity", "Income": "income",
    "Other Income": "income_other", "Cost of Goods Sold": "expense_direct_cost", "Expense": "expense",
    "Other Expense": "expense",
}
PAYMENT_TARGETS = {"Payment": ("Invoice", "CreditMemo"), "BillPayment": ("Bill",)}


def amount(value):
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError, TypeError):
        return Decimal("0")


def parse_date(value):
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _ref(obj, field):
    return ((obj or {}).get(field) or {}).get("value") or None


# --- the import's rows -----------------------------------------------------------------------
def tax_rate_row(rate):
    return {"id": rate["Id"], "name": rate.get("Name") or "", "rate": Decimal(str(rate.get("RateValue") or 0)),
            "active": rate.get("Active", True), "agency_id": _ref(rate, "AgencyRef"),
            "description": rate.get("Description") or ""}


def tax_code_row(code, rates):
    """``rates``: {TaxRate Id: TaxRate JSON}. -> the code with its sales and purchase rates
    (percent, summed for a group such as a US combined code)."""
    out = {"id": code["Id"], "name": code.get("Name") or "", "description": code.get("Description") or "",
           "active": code.get("Active", True), "taxable": code.get("Taxable"), "group": code.get("TaxGroup", False)}
    for side, field in (("sales", "SalesTaxRateList"), ("purchase", "PurchaseTaxRateList")):
        found = [tax_rate_row(rates[d["TaxRateRef"]["value"]])
                 for d in (code.get(field) or {}).get("TaxRateDetail") or ()
                 if d.get("TaxRateRef", {}).get("value") in rates]
        out[side + "_rates"] = found
        out[side + "_rate"] = sum((r["rate"] for r in found), Decimal(0)) if found else None
    return out


def account_row(account):
    return {"id": account["Id"], "name": account.get("Name") or "", "code": account.get("AcctNum") or "",
            "type": account.get("AccountType"), "sub_type": account.get("AccountSubType"),
            "classification": account.get("Classification"),
            "odoo_type": ACCOUNT_TYPES.get(account.get("AccountType"), "asset_current"),
            "currency": _ref(account, "CurrencyRef"), "active": account.get("Active", True),
            "full_name": account.get("FullyQualifiedName") or account.get("Name") or ""}


def party_row(obj, role):
    """A Customer or Vendor -> {id, sync_token, role (customer / supplier), name, company_name,
    person_name, email, phone, mobile, website, street, street2, city, zip, state_code,
    country_code, currency, vat, ref, active}."""
    address = obj.get("BillAddr") or {}
    person = " ".join(p for p in (obj.get("GivenName"), obj.get("FamilyName")) if p)
    return {"id": obj["Id"], "sync_token": obj.get("SyncToken"), "role": role,
            "name": obj.get("DisplayName") or obj.get("CompanyName") or person,
            "company_name": obj.get("CompanyName") or "", "person_name": person,
            "email": (obj.get("PrimaryEmailAddr") or {}).get("Address") or "",
            "phone": (obj.get("PrimaryPhone") or {}).get("FreeFormNumber") or "",
            "mobile": (obj.get("Mobile") or {}).get("FreeFormNumber") or "",
            "website": (obj.get("WebAddr") or {}).get("URI") or "",
            "street": address.get("Line1") or "", "street2": address.get("Line2") or "",
            "city": address.get("City") or "", "zip": address.get("PostalCode") or "",
            "state_code": address.get("CountrySubDivisionCode") or "",
            "country_code": address.get("CountryCode") or address.get("Country") or "",
            "currency": _ref(obj, "CurrencyRef"), "vat": obj.get("TaxIdentifier") or "",
            "ref": obj.get("AcctNum") or "", "active": obj.get("Active", True)}


def item_row(item):
    return {"id": item["Id"], "sync_token": item.get("SyncToken"), "name": item.get("Name") or "",
            "code": item.get("Sku") or "", "type": item.get("Type"), "description": item.get("Description") or "",
            "purchase_description": item.get("PurchaseDesc") or "",
            "list_price": Decimal(str(item.get("UnitPrice") or 0)),
            "standard_price": Decimal(str(item.get("PurchaseCost") or 0)),
            "income_account_id": _ref(item, "IncomeAccountRef"), "expense_account_id": _ref(item, "ExpenseAccountRef"),
            "sales_tax_code_id": _ref(item, "SalesTaxCodeRef"),
            "purchase_tax_code_id": _ref(item, "PurchaseTaxCodeRef"),
            "sale_ok": bool(_ref(item, "IncomeAccountRef")), "purchase_ok": bool(_ref(item, "ExpenseAccountRef")),
            "taxable": item.get("Taxable"), "active": item.get("Active", True),
            "goods": item.get("Type") in ("NonInventory", "Inventory")}


def tracking_row(obj, kind):
    """A Class or Department (QBO's tracking) -> {id, kind (class / department), name,
    full_name, parent_id, active} for an analytic account of the mapped plan."""
    return {"id": obj["Id"], "kind": kind, "name": obj.get("Name") or "",
            "full_name": obj.get("FullyQualifiedName") or obj.get("Name") or "",
            "parent_id": _ref(obj, "ParentRef"), "active": obj.get("Active", True)}


# --- payments back ------------------------------------------------------------------------------
def payment_links(payment):
    """A Payment / BillPayment -> [(TxnType, TxnId, amount)] of the documents it settles: the
    documents to fetch when an event names the payment."""
    out = []
    for line in payment.get("Line") or ():
        for link in line.get("LinkedTxn") or ():
            out.append((link.get("TxnType"), str(link.get("TxnId")), amount(line.get("Amount"))))
    return out


def _voided(obj):
    return amount(obj.get("TotalAmt")) == 0 and (obj.get("PrivateNote") or "").startswith("Voided")


def document_state(doc, payments=()):
    """A QBO Invoice, CreditMemo or Bill and the Payment / BillPayment objects that name it ->
    {id, kind (invoice / credit_note / bill), number, type, status (AUTHORISED, PAID, VOIDED:
    the values the Xero provider yields), currency, total, amount_due, payments: {Id: {id,
    amount applied to this document, date, reference, account, rate}}, allocations: [{id,
    amount, other_id}] (credit memos applied through a payment)}. A voided payment (amounts
    zeroed) or one no longer naming the document is not among the payments."""
    entity = "Bill" if "VendorRef" in doc else ("CreditMemo" if "RemainingCredit" in doc else "Invoice")
    doc_id = str(doc["Id"])
    total, due = amount(doc.get("TotalAmt")), amount(doc.get("RemainingCredit") if entity == "CreditMemo"
                                                     else doc.get("Balance"))
    found, allocations = {}, []
    for payment in payments:
        if _voided(payment):
            continue
        links = payment_links(payment)
        mine = sum((a for t, i, a in links if t == entity and i == doc_id), Decimal(0))
        if not mine:
            continue
        others = [(t, i, a) for t, i, a in links if (t, i) != (entity, doc_id) and t in ("Invoice", "CreditMemo")
                  and t != entity]
        if others:  # an invoice settled by a credit memo through a (zero) payment
            for _t, other_id, applied in others:
                allocations.append({"id": str(payment["Id"]), "amount": applied, "other_id": other_id})
            cash = amount(payment.get("TotalAmt"))
            if not cash:
                continue
            mine = min(mine, cash)
        pay_id = str(payment["Id"])
        exchange = Decimal(str(payment.get("ExchangeRate") or 0))
        account = payment.get("DepositToAccountRef") or (payment.get("CheckPayment") or {}).get("BankAccountRef") \
            or (payment.get("CreditCardPayment") or {}).get("CCAccountRef") or {}
        found[pay_id] = {"id": pay_id, "amount": mine, "date": parse_date(payment.get("TxnDate")),
                         "reference": payment.get("PaymentRefNum") or payment.get("DocNumber") or "",
                         "account": {"id": account.get("value"), "name": account.get("name")},
                         # Xero's sense (document units per 1 home unit), so the core's base_amount applies
                         "rate": (1 / exchange) if exchange > 0 and exchange != 1 else None}
    status = "AUTHORISED"
    if _voided(doc):
        status = "VOIDED"
    elif total and not due:
        status = "PAID"
    return {"id": doc_id, "kind": {"Invoice": "invoice", "CreditMemo": "credit_note", "Bill": "bill"}[entity],
            "number": doc.get("DocNumber"), "type": entity, "status": status,
            "currency": _ref(doc, "CurrencyRef"), "total": total, "amount_due": due, "payments": found,
            "allocations": allocations, "sync_token": doc.get("SyncToken")}


def payment_changes(state, recorded):
    """``recorded``: {payment Id: status Odoo last saw} of the payments Odoo holds for this
    document. -> (new payments to register, payment Ids gone in QBO since: voided or deleted)."""
    new = [p for pid, p in sorted(state["payments"].items(), key=lambda kv: (kv[1]["date"] or dt.date.min, kv[0]))
           if pid not in recorded]
    gone = sorted(pid for pid, status in recorded.items() if status != "DELETED" and pid not in state["payments"])
    return new, gone


def cdc_changes(cdc):
    """The client's ``cdc`` answer ({entity: [objects]}) -> (changed {entity: [objects]},
    deleted {entity: [Ids]})."""
    changed, deleted = {}, {}
    for entity, objs in cdc.items():
        for obj in objs:
            if obj.get("status") == "Deleted":
                deleted.setdefault(entity, []).append(str(obj["Id"]))
            else:
                changed.setdefault(entity, []).append(obj)
    return changed, deleted
