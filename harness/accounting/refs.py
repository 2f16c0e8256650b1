"""Checks of references between records: account codes, tax types, contacts, items."""

from .validation import (
    ACCOUNT_CODE_ARCHIVED,
    ACCOUNT_CODE_INVALID,
    ACCOUNT_CODE_NOT_FOR_DOCUMENT,
    CONTACT_ARCHIVED,
    CONTACT_NOT_FOUND,
    ITEM_CODE_INVALID,
    TAX_TYPE_INVALID,
    TAX_TYPE_NOT_FOR_ACCOUNT,
)

# System accounts Xero keeps for its own postings: a document line cannot use them (nor a
# bank account). The rounding account stays usable: Xero documents it for rounding lines.
SYSTEM_NOT_ON_DOCUMENTS = frozenset({
    "DEBTORS", "CREDITORS", "GST", "GSTONIMPORTS", "HISTORICAL", "RETAINEDEARNINGS", "TRACKINGTRANSFERS",
    "UNPAIDEXPCLM", "WAGEPAYABLES", "BANKCURRENCYGAIN", "REALISEDCURRENCYGAIN", "UNREALISEDCURRENCYGAIN",
})
# An account's Class -> the TaxRate flag saying whether the rate may be used with it.
CAN_APPLY = {"REVENUE": "CanApplyToRevenue", "EXPENSE": "CanApplyToExpenses", "ASSET": "CanApplyToAssets",
             "LIABILITY": "CanApplyToLiabilities", "EQUITY": "CanApplyToEquity"}


def account(books, tenant, code, errors):
    """An active account by code, or report Xero's message. None/"" passes (not given)."""
    if code in (None, ""):
        return None
    found = books.accounts.by_code(tenant, str(code))
    if not found:
        errors.add(ACCOUNT_CODE_INVALID.format(code=code))
        return None
    if found.get("Status") != "ACTIVE":
        errors.add(ACCOUNT_CODE_ARCHIVED.format(code=code))
        return None
    return found


def account_on_document(found, errors):
    """A line of an invoice, bill, credit note or purchase order cannot post to a bank
    account or to one of Xero's system accounts. -> False when refused."""
    if found and (found.get("Type") == "BANK" or found.get("SystemAccount") in SYSTEM_NOT_ON_DOCUMENTS):
        errors.add(ACCOUNT_CODE_NOT_FOR_DOCUMENT.format(code=found["Code"]))
        return False
    return True


def tax_with_account(books, tenant, tax_type, found, errors):
    """A tax rate may be used only with the account classes its CanApplyTo* flags allow."""
    if not found or tax_type in (None, "", "NONE"):
        return True
    record = books.taxrates.get(tenant, str(tax_type))
    flag = CAN_APPLY.get(found.get("Class"))
    if record and flag and record.get(flag) is False:
        errors.add(TAX_TYPE_NOT_FOR_ACCOUNT.format(tax=tax_type, code=found["Code"]))
        return False
    return True


def tax_rate(books, tenant, tax_type, errors):
    """-> effective rate (Decimal %) of an active tax type, or report it. None if not given."""
    if tax_type in (None, ""):
        return None
    record, rate = books.taxrates.rate(tenant, str(tax_type))
    if record is None:
        errors.add(TAX_TYPE_INVALID.format(code=tax_type))
        return None
    return rate


def item(books, tenant, code, errors):
    if code in (None, ""):
        return None
    found = books.items.by_code(tenant, str(code))
    if not found:
        errors.add(ITEM_CODE_INVALID.format(code=code))
    return found


def contact(books, tenant, ref, errors, ctx):
    """The contact a document names: by ContactID, ContactNumber or Name.

    An unknown name creates a new contact, as Xero does; an archived contact is refused.
    """
    if not isinstance(ref, dict):
        errors.add("A contact must be specified.")  # (guess)
        return None
    contacts = books.contacts
    found = None
    if ref.get("ContactID"):
        found = contacts.get(tenant, str(ref["ContactID"]))
        if not found:
            errors.add(CONTACT_NOT_FOUND.format(id=ref["ContactID"]))
            return None
    elif ref.get("ContactNumber"):
        found = contacts.by_number(tenant, ref["ContactNumber"])
    if found is None and ref.get("Name"):
        found = contacts.by_name(tenant, ref["Name"], active_only=False)
        if found is None:
            found = contacts.build(tenant, {"Name": ref["Name"]}, None, errors, ctx)
            if found is not None and not errors:
                ctx.extra.append(("contact", found["ContactID"], found, True))
            return found
    if found is None:
        errors.add("A contact must be specified.")  # (guess)
        return None
    if found.get("ContactStatus") == "ARCHIVED":
        errors.add(CONTACT_ARCHIVED)
        return None
    return found
