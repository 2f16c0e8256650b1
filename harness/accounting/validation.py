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
# xeroizer PR #380 (the API's XML answer to a contact sent with a ContactNumber and no Name)
CONTACT_NAME_REQUIRED = "Contact Name cannot be empty."
CONTACT_NOT_FOUND = "Contact with ContactID {id} could not be found."  # (guess)
INVOICE_NUMBER_TAKEN = "Invoice # must be unique."
ORDER_NUMBER_TAKEN = "Order number must be unique"
CREDIT_NOTE_NUMBER_TAKEN = "Credit Note # must be unique."  # (guess, by analogy)
ITEM_CODE_INVALID = "Item code '{code}' is not valid"
# Xero's OpenAPI createItems example (xero_accounting.yaml) and XeroAPI/Xero-Java's AccountingApiItemsTest
ITEM_CODE_TAKEN = "Price List Item with Code '{code}' already exists"
ITEM_CODE_REQUIRED = "Item code must be specified."  # (guess)
ACCOUNT_CODE_INVALID = "Account code '{code}' has been removed as it does not match a recognised account."
# community.xero.com/developer/discussion/141447324 (API Explorer, answered by Xero staff);
# support.approvalmax.com "Business validation errors" (Xero)
ACCOUNT_CODE_REQUIRED = "Account code or ID must be specified"
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
# actionstep.atlassian.net wiki (Xero API exception #1 beside PAYMENT_TOO_BIG); help.kennelbooker.com;
# garagehive/garagehive.github.io docs/xero-errors.md
PAYMENT_NOT_AUTHORISED = "Payments can only be made against Authorised documents."
PAYMENT_ACCOUNT_INVALID = (
    "Payments can only be made to accounts of type BANK or accounts with payments enabled."  # (guess)
)
DOCUMENT_LOCKED = "This document cannot be edited as it has a payment or credit note allocated to it."
STATUS_CHANGE_INVALID = "Invoice not of valid status for modification"  # Xero-NetStandard#79 (a Xero developer)
LINE_ITEMS_REQUIRED = "At least one line item must be specified for an approved document."  # (guess)
DUE_DATE_REQUIRED = "The document DueDate field must be specified."  # xeroizer#290
TYPE_INVALID = "Invalid document type {type}."  # (guess)
# Invoice.Url: "URL link to a source document – shown as “Go to [appName]” in the Xero app"
# (xero_accounting.yaml); Xero takes only an absolute http(s) address there (the wording a guess).
URL_INVALID = "The Url must be a valid absolute URL (http or https)."  # (guess)
# Xero words both the same: over the invoice's amount due (xeroizer#320, an invoice already paid)
# and over the credit left on the credit note (calcinai/xero-php#251, an allocation sent twice).
ALLOCATION_TOO_BIG = "Credit Note cannot be allocated as amount is greater than amount outstanding"
CREDIT_TOO_SMALL = ALLOCATION_TOO_BIG
# Tracking (issue #12). The option message is Xero's (quoted in calcinai/xero-php#920), the
# unknown-category one too (support.approvalmax.com "Business validation errors" (Xero): no name in
# it); Xero's wording of the others is not public.
TRACKING_OPTION_NAME_TAKEN = "For each specified tracking option the name must be unique."
TRACKING_OPTION_NAME_REQUIRED = "Tracking option name must be specified."  # (guess)
TRACKING_CATEGORY_NAME_REQUIRED = "Tracking category name must be specified."  # (guess)
TRACKING_CATEGORY_NAME_TAKEN = "A tracking category named '{name}' already exists."  # (guess)
TRACKING_CATEGORY_LIMIT = "You can only have 2 active tracking categories."  # (guess)
TRACKING_IN_USE = "The tracking category or option is in use and cannot be deleted; archive it instead."  # (guess)
TRACKING_NOT_A_LIST = "Tracking must be a list of tracking categories with an option each."  # (guess)
TRACKING_TOO_MANY = "A line item can have at most two tracking categories."  # (guess)
TRACKING_CATEGORY_INVALID = (
    "Unknown tracking details. A Tracking Category did not match a known active Tracking Category."
)
TRACKING_OPTION_INVALID = "Tracking option '{option}' does not exist or is not active in category '{name}'."  # (guess)
TRACKING_CATEGORY_TWICE = "A line item can have only one option of tracking category '{name}'."  # (guess)
# A currency the organisation has not added, or an unknown code: n8n-io/n8n PR #19499 quotes
# "Organisation is not subscribed to currency British Pound" (a description sent as the code).
CURRENCY_NOT_ENABLED = "Organisation is not subscribed to currency {code}"
CURRENCY_RATE_INVALID = "The currency rate must be greater than zero."  # (guess)
CURRENCY_MISMATCH = "The currencies of the two documents (or the bank account) must match."  # (guess)


# Xero-Net#285 (a new account with a longer Code); the general wording below is not public.
ACCOUNT_CODE_TOO_LONG = "Account Code is too long. Maximum of 10 characters allowed"


def too_long(field, limit):
    return f"The {field} field must be {limit} characters or less."  # (guess)


class Errors(list):
    """ValidationErrors for one element: a list of {"Message": ...}."""

    def add(self, message):
        self.append({"Message": message})


def text(element, field, errors, limit=None, required=False, required_message=None, long_message=None):
    value = element.get(field)
    if value is None or value == "":
        if required:
            errors.add(required_message or f"{field} must be specified.")
        return value
    if not isinstance(value, str):
        errors.add(f"{field} must be a string.")  # (guess)
        return None
    if limit and len(value) > limit:
        errors.add(long_message or too_long(field, limit))
    return value


def number(element, field, errors):
    try:
        return to_decimal(element.get(field), field)
    except ValueError as exc:
        errors.add(str(exc))
        return None
