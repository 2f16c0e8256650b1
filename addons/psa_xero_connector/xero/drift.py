"""The drift report's comparison: what Odoo says should be in Xero against what Xero has, as
pure functions over plain dicts (no Odoo import, no HTTP).

Xero's side is a *snapshot*: one compact entry per Xero document or contact, made from its
list pages (``xero_entry``). A full run makes it from every page; a later run asks Xero only
for what changed since (``If-Modified-Since``: a deleted or voided document counts as
changed) and ``merge`` lays the changes over the last snapshot, so that every Odoo record is
still compared with Xero's latest state while only the changes travel.

Odoo's side is one dict per record that should be in Xero (``expected``): a posted invoice,
bill or credit note, a confirmed purchase order, or a partner — linked to a Xero record, or
queued for one.
"""

from decimal import Decimal, InvalidOperation

KINDS = ("missing_ledger", "missing_odoo", "total", "status", "contact")
DOCUMENT_KINDS = ("invoice", "bill", "credit_note", "purchase_order")
# Xero's document statuses, by what they mean for the comparison
STATUS_CLASS = {"DRAFT": "open", "SUBMITTED": "open", "AUTHORISED": "open", "BILLED": "open",
                "PAID": "paid", "VOIDED": "voided", "DELETED": "deleted"}
GONE = ("deleted", "voided")
CENT = Decimal("0.005")
MAX_PAGE_SIZE = 1000  # Xero's pageSize ceiling (shared/xero-facts.md: "1000 likely max")


def _money(value):
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        return None


def _text(value):
    return " ".join(str(value or "").split()).casefold()


def xero_entry(collection, record):
    """A Xero list element -> (remote_id, compact entry) for the snapshot, or None without an ID.
    Entries are lists (JSON-friendly, small): documents [kind, number (Odoo's name: a bill's
    Reference), total, status],
    contacts ["contact", name, email, tax number, status]."""
    if collection == "Contacts":
        remote_id = record.get("ContactID")
        entry = ["contact", record.get("Name") or "", record.get("EmailAddress") or "",
                 record.get("TaxNumber") or "", record.get("ContactStatus") or "ACTIVE"]
    else:
        if collection == "Invoices":
            remote_id, number = record.get("InvoiceID"), record.get("InvoiceNumber")
            kind = "bill" if record.get("Type") == "ACCPAY" else "invoice"
        elif collection == "CreditNotes":
            remote_id, number, kind = record.get("CreditNoteID"), record.get("CreditNoteNumber"), "credit_note"
        elif collection == "PurchaseOrders":
            remote_id, number, kind = record.get("PurchaseOrderID"), record.get("PurchaseOrderNumber"), "purchase_order"
        else:
            raise ValueError("not a collection the drift report reads: %s" % collection)
        if record.get("Type") in ("ACCPAY", "ACCPAYCREDIT") and record.get("Reference"):
            number = record["Reference"]  # a bill's number is the supplier's; Odoo's name is its Reference
        total = _money(record.get("Total"))
        entry = [kind, number or "", str(total) if total is not None else None, record.get("Status") or ""]
    return (remote_id.lower(), entry) if remote_id else None


def merge(snapshot, changes):
    """The last snapshot with the changed entries laid over it (a new dict). A record that
    disappeared from Xero altogether cannot be seen by If-Modified-Since: only a full run
    forgets it."""
    merged = dict(snapshot or {})
    merged.update(changes)
    return merged


def read_pages(get_page, collection, page_size=MAX_PAGE_SIZE):
    """Every record of a paged Xero list: ``get_page(page)`` -> the answer's body. -> (entries
    {remote_id: entry}, calls made)."""
    entries, page = {}, 1
    while True:
        data = get_page(page) or {}
        records = data.get(collection) or []
        for record in records:
            found = xero_entry(collection, record)
            if found:
                entries[found[0]] = found[1]
        if not pages_needed(page, page_size, len(records), data.get("pagination")):
            return entries, page
        page += 1


def pages_needed(page, page_size, received, pagination):
    """After ``page`` (1-based) brought ``received`` records: is there another page? Xero's
    ``pagination.pageCount`` when it sends one, else a full page means maybe."""
    if pagination and pagination.get("pageCount") is not None:
        return page < int(pagination["pageCount"])
    return received >= page_size


def _difference(kind, odoo=None, remote_id=None, entry=None, odoo_value="", remote_value="", candidate=None):
    odoo = odoo or {}
    return {"kind": kind, "key": odoo.get("key"), "name": odoo.get("name") or (entry[1] if entry else ""),
            "entity": odoo.get("kind") or (entry[0] if entry else None), "remote_id": remote_id,
            "number": entry[1] if entry else "", "odoo_value": odoo_value, "remote_value": remote_value,
            "candidate": candidate}


def compare(expected, snapshot, linked_ids=(), deleted=None):
    """-> the differences, one dict each: kind (see KINDS), key ((model, id) of the Odoo record
    or None), name, entity, remote_id, number, odoo_value, remote_value, candidate (the Xero ID —
    or Odoo key — the other side probably is, by number and kind).

    ``expected``: dicts {key, kind (invoice | bill | credit_note | purchase_order | contact),
    name, remote_id (the link's, or None), queued (a send is pending: not a difference yet),
    total (documents), status ("open" | "paid" | "voided" | "deleted", None = not compared), and for
    contacts name / email / vat as Odoo sends them}. ``snapshot``: {remote_id: entry} as made by
    ``xero_entry``. ``linked_ids``: every Xero ID some Odoo record is linked to (beyond
    ``expected``): such a Xero record is not "missing in Odoo". ``deleted``: {remote_id: name}
    of the Xero records whose Odoo document was deleted (a dangling link, nothing on its way
    to void it; the caller leaves them out of ``linked_ids``): still live in Xero, they are
    "missing in Odoo", said so."""
    found = []
    deleted = {x.lower(): name for x, name in (deleted or {}).items()}
    claimed = {x.lower() for x in linked_ids} | {e["remote_id"].lower() for e in expected if e.get("remote_id")}
    # Xero documents nobody is linked to, by (kind, number): the probable other side of an
    # Odoo document that lost its link
    orphans, by_number = [], {}
    for remote_id, entry in snapshot.items():
        if entry[0] in DOCUMENT_KINDS and remote_id not in claimed and STATUS_CLASS.get(entry[3]) not in GONE:
            orphans.append(remote_id)
            by_number.setdefault((entry[0], _text(entry[1])), remote_id)
    paired = {}  # Xero ID -> the key of the Odoo record it probably is
    for odoo in expected:
        remote_id = (odoo.get("remote_id") or "").lower() or None
        entry = snapshot.get(remote_id) if remote_id else None
        if entry is None:
            if odoo.get("queued"):
                continue  # on its way: the outbox shows it
            candidate = by_number.get((odoo["kind"], _text(odoo.get("name")))) if odoo["kind"] != "contact" else None
            if candidate:
                paired[candidate] = odoo["key"]
            found.append(_difference("missing_ledger", odoo, remote_id, None,
                                     odoo_value=odoo.get("name") or "",
                                     remote_value="not found" if remote_id else "never sent",
                                     candidate=candidate))
            continue
        if odoo.get("queued"):
            continue  # an update is on its way: compare once it has arrived
        if odoo["kind"] == "contact":
            found.extend(_contact_differences(odoo, remote_id, entry))
            continue
        found.extend(_document_differences(odoo, remote_id, entry))
    for remote_id in orphans:
        entry = snapshot[remote_id]
        gone = deleted.get(remote_id)
        found.append(_difference("missing_odoo", None, remote_id, entry,
                                 odoo_value="deleted in Odoo (%s)" % gone if gone is not None else "",
                                 remote_value="%s %s" % (entry[1], entry[2] or ""), candidate=paired.get(remote_id)))
    return found


def _document_differences(odoo, remote_id, entry):
    out = []
    xero_status = STATUS_CLASS.get(entry[3], "open")
    if odoo.get("status") and xero_status != odoo["status"]:
        out.append(_difference("status", odoo, remote_id, entry, odoo_value=odoo["status"], remote_value=entry[3]))
        if xero_status in GONE:
            return out  # a deleted or voided document's total says nothing more
    if odoo.get("status") and odoo.get("total") is not None and entry[2] is not None:
        mine, theirs = _money(odoo["total"]), Decimal(entry[2])
        if mine is not None and abs(mine - theirs) >= CENT:
            out.append(_difference("total", odoo, remote_id, entry, odoo_value=str(mine), remote_value=str(theirs)))
    return out


def _contact_differences(odoo, remote_id, entry):
    _kind, name, email, vat, status = entry
    changed = []
    for label, mine, theirs in (("name", odoo.get("name"), name), ("email", odoo.get("email"), email),
                                ("VAT", odoo.get("vat"), vat)):
        if _text(mine) != _text(theirs):
            changed.append((label, mine or "", theirs or ""))
    if status == "ARCHIVED":
        changed.append(("status", "active", "archived"))
    if not changed:
        return []
    return [_difference("contact", odoo, remote_id, ["contact", name], odoo_value="; ".join(
        "%s: %s" % (label, mine) for label, mine, _t in changed), remote_value="; ".join(
        "%s: %s" % (label, theirs) for label, _m, theirs in changed))]
