"""What Xero will refuse in a document, found before it is sent (pure functions, no Odoo import).

Xero checks each line of an approved invoice, bill or credit note against the organisation's
chart and tax rates, and refuses a ledger document dated on or before a lock date. These
functions make the same checks against what the import keeps of the organisation (the
catalogue: ledger.account, ledger.tax.rate, ledger.item) and return *problems* — what is wrong and
on which line — so that the model can say it in the user's language, naming the Odoo
document, line and record and the screen that fixes it, instead of Xero's bare sentence.

What is not in the catalogue is not judged (an organisation whose accounts were never
imported is left to Xero). Other checks (a currency not enabled in the organisation) add
their problems through the same list: see ``account.move._xero_presend_problems``.
"""

from datetime import date, timedelta

# Xero's system accounts a document line cannot use (harness/accounting/refs.py mirrors it);
# bank accounts neither. The rounding account stays usable for rounding lines.
SYSTEM_NOT_ON_DOCUMENTS = frozenset({
    "DEBTORS", "CREDITORS", "GST", "GSTONIMPORTS", "HISTORICAL", "RETAINEDEARNINGS", "TRACKINGTRANSFERS",
    "UNPAIDEXPCLM", "WAGEPAYABLES", "BANKCURRENCYGAIN", "REALISEDCURRENCYGAIN", "UNREALISEDCURRENCYGAIN",
})
SALES_KINDS = ("out_invoice", "out_refund")
LEDGER_KINDS = ("out_invoice", "in_invoice", "out_refund", "in_refund")  # a purchase order posts nothing

# Problem kinds (the model has one sentence for each).
NO_ACCOUNT = "no_account"                      # neither an account code nor an item that has one
ACCOUNT_UNKNOWN = "account_unknown"            # not in the organisation's chart as last imported
ACCOUNT_ARCHIVED = "account_archived"
ACCOUNT_NOT_FOR_DOCUMENT = "account_not_for_document"  # a bank or system account
TAX_ARCHIVED = "tax_archived"
TAX_NOT_FOR_ACCOUNT = "tax_not_for_account"    # TaxRate.CanApplyTo<Class> is false


class Problem(dict):
    """{kind, line (1-based), label, source ("line" | "item"), account_code, tax_type, item_code, ...}"""

    @property
    def kind(self):
        return self["kind"]


def line_account(kind, line, items):
    """-> (account code Xero will use, where it comes from: "line", "item" or None)."""
    if line.get("account_code"):
        return line["account_code"], "line"
    item = items.get(line.get("item_code") or "")
    code = item and (item.get("sales_account_code") if kind in SALES_KINDS else item.get("purchase_account_code"))
    return (code, "item") if code else (None, None)


def check_lines(doc, catalog):
    """``doc``: {kind, status, lines: [{label, item_code, account_code, tax_type}]};
    ``catalog``: {"accounts": {code: {active, type, class, system_account}},
    "tax_rates": {tax type: {active, can_apply: {class: bool}}},
    "items": {code: {sales_account_code, purchase_account_code}}}. -> [Problem]"""
    accounts, rates, items = catalog.get("accounts") or {}, catalog.get("tax_rates") or {}, catalog.get("items") or {}
    approved = doc.get("status", "AUTHORISED") == "AUTHORISED" and doc["kind"] in LEDGER_KINDS
    problems = []
    for number, line in enumerate(doc.get("lines") or (), start=1):
        base = {"line": number, "label": line.get("label") or "", "item_code": line.get("item_code") or None}
        code, source = line_account(doc["kind"], line, items)
        base.update(account_code=code, source=source)
        if not code:
            if approved:  # Xero: "Account code or ID must be specified" (drafts may go without)
                problems.append(Problem(base, kind=NO_ACCOUNT))
            continue
        account = accounts.get(code)
        if account is None:
            if accounts:
                problems.append(Problem(base, kind=ACCOUNT_UNKNOWN))
            continue
        if not account.get("active", True):
            problems.append(Problem(base, kind=ACCOUNT_ARCHIVED))
            continue
        if account.get("type") == "BANK" or account.get("system_account") in SYSTEM_NOT_ON_DOCUMENTS:
            problems.append(Problem(base, kind=ACCOUNT_NOT_FOR_DOCUMENT, account_type=account.get("type"),
                                    system_account=account.get("system_account")))
            continue
        tax_type = line.get("tax_type") or "NONE"
        rate = rates.get(tax_type)
        if rate is None:
            continue
        if not rate.get("active", True):
            problems.append(Problem(base, kind=TAX_ARCHIVED, tax_type=tax_type))
        elif (rate.get("can_apply") or {}).get(account.get("class")) is False:
            problems.append(Problem(base, kind=TAX_NOT_FOR_ACCOUNT, tax_type=tax_type,
                                    account_class=account.get("class")))
    return problems


# --- lock dates ------------------------------------------------------------------------------------
def lock_date(period_lock, end_of_year_lock, adviser=False):
    """The last locked day for this connection: the end of year lock binds everyone, the
    period lock everyone but advisers (Xero's rules). -> (date, "period" | "end_of_year") or
    (None, None)."""
    found = []
    if period_lock and not adviser:
        found.append((period_lock, "period"))
    if end_of_year_lock:
        found.append((end_of_year_lock, "end_of_year"))
    # the later date wins; on a tie, the end of year lock (advisers cannot lift it)
    return max(found, key=lambda f: (f[0], f[1] == "end_of_year")) if found else (None, None)


def locked(kind, status, day, lock):
    """Whether Xero refuses a document of ``kind`` in ``status`` dated ``day`` under ``lock``
    (a date or None): ledger documents, approved, dated on or before it."""
    return bool(lock and day and kind in LEDGER_KINDS and status == "AUTHORISED" and day <= lock)


def first_open_day(lock):
    """The first day Xero accepts documents on: the day after the lock date."""
    return lock + timedelta(days=1)


def redate(values, lock):
    """Document values moved to the first open day: -> (new values, the new date). The due
    date follows when it would fall before the new date."""
    new_date = first_open_day(lock)
    out = dict(values, date=new_date)
    due = values.get("due_date")
    if due and isinstance(due, date) and due < new_date:
        out["due_date"] = new_date
    return out, new_date
