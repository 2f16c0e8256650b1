"""When a resent request is answered "already exists": how to find the record Xero has.

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


def lookup(entity, element):
    """-> (collection, params) of the GET that finds the record ``element`` would have
    created, or None when it has no unique value to look it up by (a bill, whose number is
    the supplier's and need not be unique: its Idempotency-Key is what protects it)."""
    collection, field, _id = UNIQUE.get(entity, (None, None, None))
    value = element.get(field) if field else None
    if not value:
        return None
    if entity == "invoice":
        if element.get("Type") != "ACCREC":
            return None
        return collection, {"InvoiceNumbers": value}
    if entity == "credit_note" and element.get("Type") != "ACCRECCREDIT":
        return None
    return collection, {"where": "%s==%s" % (field, _quoted(value))}


def match(entity, element, found):
    """The record in ``found`` (Xero's answer to ``lookup``) that ``element`` created: same
    unique value, same type and contact, not deleted or voided. -> dict or None."""
    _collection, field, _id = UNIQUE[entity]
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
