"""When a resent request is answered "already exists", or is resent after Xero's idempotency
window: how to find the record Xero has.

A batch whose earlier send may have reached Xero (a lost answer, a worker killed mid-call)
is resent with the same Idempotency-Key, and Xero replays its first answer. Past Xero's
idempotency window, or when the batch had to be built again, the resend is refused instead
("Invoice # must be unique.", "The contact name … is already assigned to another contact"):
the record is there, created by our own earlier attempt. These pure functions say which
refusals mean that, how to ask Xero for the record, and which answer is ours.
"""

# Xero's messages that say "a record with this unique value exists already".
TAKEN_MARKERS = ("must be unique", "is already assigned to another contact", "already exists")

# entity -> (collection, unique field of the element, id field)
UNIQUE = {
    "contact": ("Contacts", "Name", "ContactID"),
    "item": ("Items", "Code", "ItemID"),
    "invoice": ("Invoices", "InvoiceNumber", "InvoiceID"),
    "credit_note": ("CreditNotes", "CreditNoteNumber", "CreditNoteID"),
    "purchase_order": ("PurchaseOrders", "PurchaseOrderNumber", "PurchaseOrderID"),
}


def says_taken(messages):
    """True when Xero refused an element only because its unique value is taken."""
    messages = [m for m in messages or () if m]
    return bool(messages) and all(any(marker in m for marker in TAKEN_MARKERS) for m in messages)


def _quoted(value):
    return '"%s"' % str(value).replace("\\", "\\\\").replace('"', '\\"')


# Bills and supplier credit notes carry the supplier's number, which need not be unique; Odoo's
# own name — unique in its company — goes in Reference: with the type and the contact, that
# finds the bill our earlier attempt created.
PURCHASE_TYPES = ("ACCPAY", "ACCPAYCREDIT")


def _key_field(entity, element):
    if element.get("Type") in PURCHASE_TYPES:
        return "Reference"
    return UNIQUE[entity][1]


def lookup(entity, element):
    """-> (collection, params) of the GET that finds the record ``element`` would have
    created, or None when it has nothing to look it up by."""
    if entity not in UNIQUE:
        return None
    collection = UNIQUE[entity][0]
    field = _key_field(entity, element)
    value = element.get(field)
    if not value:
        return None
    if element.get("Type") in PURCHASE_TYPES:
        contact = (element.get("Contact") or {}).get("ContactID")
        if not contact:
            return None
        return collection, {"where": 'Type=="%s" AND Reference==%s AND Contact.ContactID==guid("%s")' % (
            element["Type"], _quoted(value), contact)}
    if entity == "invoice":
        return collection, {"InvoiceNumbers": value}
    return collection, {"where": "%s==%s" % (field, _quoted(value))}


def match(entity, element, found):
    """The record in ``found`` (Xero's answer to ``lookup``) that ``element`` created: same
    unique value, same type and contact, not deleted or voided. -> dict or None."""
    field = _key_field(entity, element)
    want = str(element.get(field) or "").strip().lower()
    contact = (element.get("Contact") or {}).get("ContactID")
    for record in found or ():
        if str(record.get(field) or "").strip().lower() != want:
            continue
        if element.get("Type") and record.get("Type") and record["Type"] != element["Type"]:
            continue
        if contact and ((record.get("Contact") or {}).get("ContactID") or "").lower() != contact.lower():
            continue
        if record.get("Status") in ("DELETED", "VOIDED") or record.get("ContactStatus") == "ARCHIVED":
            continue
        return record
    return None
