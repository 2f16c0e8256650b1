"""History notes on a record (``GET/PUT /{Collection}/{id}/History``) and the customer's online
invoice link (``GET /Invoices/{id}/OnlineInvoice``).

Shapes from Xero's OpenAPI (``HistoryRecords``, ``OnlineInvoices``); the rules from Xero's
"History and notes" and Invoices pages: a note is added to an existing record, its
``Details`` are required; an online invoice exists for sales invoices that are approved
(not drafts, not deleted — Xero shows the customer approved invoices only).
"""

import hashlib

from ..xerojson import iso_utc, msdate

# Collections whose records take notes (the spec's /{Collection}/{id}/History routes the connector uses).
HISTORY_COLLECTIONS = ("invoices", "creditnotes", "purchaseorders", "contacts", "items")
MAX_DETAILS = 2500  # unverified: the length Xero's web app allows a note; longer ones are refused here
ONLINE_STATUSES = ("AUTHORISED", "PAID")
NOTE_REQUIRED = "The Details of a history note are required."
NOTE_TOO_LONG = "The Details of a history note must not exceed %d characters." % MAX_DETAILS
NO_ONLINE_INVOICE = ("An online invoice is only available for approved sales invoices "
                     "(Type ACCREC, Status AUTHORISED or PAID).")


def _key(entity, record_id):
    return "%s:%s" % (entity.kind, record_id.lower())


def history(books, tenant, entity, record):
    """The record's notes, oldest first, as Xero renders them."""
    stored = books.store.get("history", _key(entity, record[entity.id_field]), tenant) or {}
    return [dict(note) for note in stored.get("records", [])]


def add_notes(books, tenant, entity, record, notes, user):
    """-> [(ok, rendered note or the note with its ValidationErrors)]: valid notes are saved."""
    key = _key(entity, record[entity.id_field])
    stored = books.store.get("history", key, tenant) or {"records": []}
    results = []
    now = books.clock.now()
    for note in notes:
        details = note.get("Details") if isinstance(note, dict) else None
        errors = []
        if not isinstance(details, str) or not details.strip():
            errors.append(NOTE_REQUIRED)
        elif len(details) > MAX_DETAILS:
            errors.append(NOTE_TOO_LONG)
        if errors:
            out = dict(note if isinstance(note, dict) else {}, ValidationErrors=[{"Message": m} for m in errors])
            results.append((False, out))
            continue
        saved = {"Changes": "Note", "DateUTCString": iso_utc(now)[:19], "DateUTC": msdate(now),
                 "User": user, "Details": details}
        stored["records"].append(saved)
        results.append((True, dict(saved, ValidationErrors=[])))
    if any(ok for ok, _ in results):
        books.store.put("history", key, stored, tenant, now)
    return results


def online_invoice_token(tenant, invoice_id):
    """A stable, unguessable path for the invoice's online page (Xero's are random per invoice)."""
    return hashlib.sha256(("%s:%s" % (tenant, invoice_id.lower())).encode()).hexdigest()[:40]


def online_invoice(books, tenant, record, public_url):
    """-> (url, None) or (None, message) when Xero offers no online invoice for it."""
    if record.get("Type") != "ACCREC" or record.get("Status") not in ONLINE_STATUSES:
        return None, NO_ONLINE_INVOICE
    token = online_invoice_token(tenant, record["InvoiceID"])
    books.store.put("onlineinvoice", token, {"tenant": tenant, "InvoiceID": record["InvoiceID"]})
    return "%s/ui/online/%s" % (public_url, token), None
