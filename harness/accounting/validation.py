"""Validation helpers and the messages Xero really sends.

Messages quoted in shared/xero-facts.md are copied verbatim. Where Xero's wording is not
public, the message is our best rendering and is marked "(guess)" here so it can be
corrected without hunting.
"""

from ..xerojson import to_decimal

CONTACT_NAME_TAKEN = (
    "The contact name {name} is already assigned to another contact. "
    "The contact name must be unique across all active contacts."
)
CONTACT_ARCHIVED = (
    "The contact with the specified contact details has been archived. "
    "The contact must be unarchived before it can be used."
)
CONTACT_NAME_REQUIRED = "The contact name must be specified."  # (guess)
CONTACT_NOT_FOUND = "Contact with ContactID {id} could not be found."  # (guess)
INVOICE_NUMBER_TAKEN = "Invoice # must be unique."
ORDER_NUMBER_TAKEN = "Order number must be unique"
CREDIT_NOTE_NUMBER_TAKEN = "Credit Note # must be unique."  # (guess, by analogy)
ITEM_CODE_INVALID = "Item code '{code}' is not valid"
ITEM_CODE_TAKEN = "Item code '{code}' already exists."  # (guess)
ITEM_CODE_REQUIRED = "Item code must be specified."  # (guess)
ACCOUNT_CODE_INVALID = "Account code '{code}' has been removed as it does not match a recognised account."
ACCOUNT_CODE_REQUIRED = "Account code must be specified."  # (guess)
# Xero's answers for an archived account, an account a document cannot use (a bank account, a
# system account such as Accounts Receivable) and a tax rate the account's class may not carry
# (TaxRate.CanApplyTo*: developer.xero.com "Tax Rate Constraints"), as connectors' users quote them.
ACCOUNT_CODE_ARCHIVED = (
    "Account code '{code}' has been archived, or has been deleted. Each line item must reference a valid account."
)
ACCOUNT_CODE_NOT_FOR_DOCUMENT = "Account code '{code}' is not a valid code for this document."
TAX_TYPE_NOT_FOR_ACCOUNT = "The TaxType code '{tax}' cannot be used with account code '{code}'."
# Lock dates (Organisation.PeriodLockDate / EndOfYearLockDate), as Xero words them (quoted in
# xeroizer issue #92 and connectors' support pages); the date as "31-Jul-2013".
PERIOD_LOCKED = "The document date cannot be before the period lock date, currently set at {date}"
END_OF_YEAR_LOCKED = "The document date cannot be before the end of year lock date, currently set at {date}"
ACCOUNT_CODE_TAKEN = "Please enter a unique Code."  # (guess)
TAX_TYPE_INVALID = "The TaxType code {code} does not exist or cannot be used for this type of transaction."
PAYMENT_TOO_BIG = "Payment amount exceeds the amount outstanding on this document"
PAYMENT_NOT_AUTHORISED = "Payment can only be made against Authorised documents."  # (guess)
PAYMENT_ACCOUNT_INVALID = (
    "Payments can only be made to accounts of type BANK or accounts with payments enabled."  # (guess)
)
DOCUMENT_LOCKED = "This document cannot be edited as it has a payment or credit note allocated to it."
STATUS_CHANGE_INVALID = "Invoice not of valid status for modification"  # (guess)
LINE_ITEMS_REQUIRED = "At least one line item must be specified for an approved document."  # (guess)
DUE_DATE_REQUIRED = "Due Date is required."  # (guess)
TYPE_INVALID = "Invalid document type {type}."  # (guess)
ALLOCATION_TOO_BIG = "The amount allocated exceeds the amount outstanding on the invoice."  # (guess)
CREDIT_TOO_SMALL = "The amount allocated exceeds the remaining credit on the credit note."  # (guess)
# Tracking (issue #12). The option message is Xero's (quoted in calcinai/xero-php#920); Xero's
# wording of the others is not public.
TRACKING_OPTION_NAME_TAKEN = "For each specified tracking option the name must be unique."
TRACKING_OPTION_NAME_REQUIRED = "Tracking option name must be specified."  # (guess)
TRACKING_CATEGORY_NAME_REQUIRED = "Tracking category name must be specified."  # (guess)
TRACKING_CATEGORY_NAME_TAKEN = "A tracking category named '{name}' already exists."  # (guess)
TRACKING_CATEGORY_LIMIT = "You can only have 2 active tracking categories."  # (guess)
TRACKING_IN_USE = "The tracking category or option is in use and cannot be deleted; archive it instead."  # (guess)
TRACKING_NOT_A_LIST = "Tracking must be a list of tracking categories with an option each."  # (guess)
TRACKING_TOO_MANY = "A line item can have at most two tracking categories."  # (guess)
TRACKING_CATEGORY_INVALID = "Tracking category '{name}' does not exist or is not active."  # (guess)
TRACKING_OPTION_INVALID = "Tracking option '{option}' does not exist or is not active in category '{name}'."  # (guess)
TRACKING_CATEGORY_TWICE = "A line item can have only one option of tracking category '{name}'."  # (guess)
# Not in Xero's public docs: the wording users of other connectors quote ("Currency Not
# Subscribed", Link My Books' help) for a currency the organisation has not added. (guess)
CURRENCY_NOT_ENABLED = "Organisation is not subscribed to currency {code}"
CURRENCY_RATE_INVALID = "The currency rate must be greater than zero."  # (guess)
CURRENCY_MISMATCH = "The currencies of the two documents (or the bank account) must match."  # (guess)


def too_long(field, limit):
    return f"The {field} field must be {limit} characters or less."  # (guess)


class Errors(list):
    """ValidationErrors for one element: a list of {"Message": ...}."""

    def add(self, message):
        self.append({"Message": message})


def text(element, field, errors, limit=None, required=False, required_message=None):
    value = element.get(field)
    if value is None or value == "":
        if required:
            errors.add(required_message or f"{field} must be specified.")
        return value
    if not isinstance(value, str):
        errors.add(f"{field} must be a string.")  # (guess)
        return None
    if limit and len(value) > limit:
        errors.add(too_long(field, limit))
    return value


def number(element, field, errors):
    try:
        return to_decimal(element.get(field), field)
    except ValueError as exc:
        errors.add(str(exc))
        return None
