"""The Faults QBO answers, with its codes and wording (developer.intuit.com error-codes and the
answers quoted in ../shared/qbo-facts.md). Lines marked *guess* have no public source."""

from ..wire import QboFault

INACTIVE_DETAIL = ("Object Not Found : Something you're trying to use has been made inactive. "
                   "Check the fields with accounts, customers, items, vendors or employees.")


def not_found(element=""):
    return QboFault(610, "Object Not Found", INACTIVE_DETAIL, element)


def required(field):
    return QboFault(2020, "Required param missing, need to supply the required value for the API",
                    "Required parameter %s is missing in the request" % field, field)


def invalid(field):
    return QboFault(2010, "Request has invalid or unsupported property",
                    "Property Name:%s specified is unsupported or invalid" % field, field)


def invalid_ref(kind, ref_id, element):
    # *guess* at the Detail's wording; the code and Message are QBO's
    return QboFault(2500, "Invalid Reference Id", "Invalid Reference Id : %s element id %s not found"
                    % (kind, ref_id), element)


def stale():
    return QboFault(5010, "Stale Object Error", "Stale Object Error : You and root were working on this at the "
                    "same time. root finished before you did, so your work was not saved.", "SyncToken")


def duplicate_name(holder_id):
    return QboFault(6240, "Duplicate Name Exists Error", "The name supplied already exists. : Id=%s" % holder_id)


TXN_TYPE_LABEL = {"Invoice": "Invoice", "CreditMemo": "Credit Memo"}


def duplicate_doc(number, entity, holder_id):
    # Detail as seen in real answers (Clio's support page, Stack Overflow, Intuit's community)
    return QboFault(6140, "Duplicate Document Number Error",
                    "Duplicate Document Number Error : You must specify a different number. This number has "
                    "already been used. DocNumber=%s is assigned to TxnType=%s with TxnId=%s"
                    % (number, TXN_TYPE_LABEL.get(entity, entity), holder_id), "DocNumber")


def period_closed():
    return QboFault(6210, "Account Period Closed, Cannot Update Through Services API",
                    "The account period has closed and the account books cannot be updated through the QBO "
                    "Services API. Please use the QBO website to make these changes.")


def business(detail, element=""):
    return QboFault(6000, "A business validation error has occurred while processing your request",
                    "Business Validation Error: %s" % detail, element)


def too_long(field, limit, got):
    return QboFault(2050, "String length is either shorter or longer than supported by specification",
                    "String length specified does not match the supported length. Min:0 Max:%d supported. "
                    "Supplied length:%d" % (limit, got), field)


def unsupported(operation):
    return QboFault(500, "Unsupported Operation", "Operation %s is not supported." % operation)
