"""The drift report's comparison (xero/drift.py, no server): every kind of difference, the
snapshot a re-run lays changes over, and reading paged lists as the harness pages them."""

from decimal import Decimal

from odoo.addons.psa_xero_connector.xero import drift

from harness.accounting import query

INV = "0b1e3f6a-8c1d-4e55-9a7b-2f4d6c8e0a11"
BILL = "1b1e3f6a-8c1d-4e55-9a7b-2f4d6c8e0a12"
CN = "2b1e3f6a-8c1d-4e55-9a7b-2f4d6c8e0a13"
PO = "3b1e3f6a-8c1d-4e55-9a7b-2f4d6c8e0a14"
CONTACT = "4b1e3f6a-8c1d-4e55-9a7b-2f4d6c8e0a15"
OTHER = "5b1e3f6a-8c1d-4e55-9a7b-2f4d6c8e0a16"


def snapshot(*pairs):
    return dict(drift.xero_entry(collection, record) for collection, record in pairs)


def invoice(remote_id=INV, number="INV/2026/00001", total="120.00", status="AUTHORISED", type_="ACCREC", **kw):
    return "Invoices", dict({"InvoiceID": remote_id, "InvoiceNumber": number, "Type": type_, "Total": total,
                             "Status": status}, **kw)


def contact(name="Tyrell Corp", email="et@tyrell.example", vat="GB123", status="ACTIVE"):
    return "Contacts", {"ContactID": CONTACT, "Name": name, "EmailAddress": email, "TaxNumber": vat,
                        "ContactStatus": status}


def doc(key=1, kind="invoice", name="INV/2026/00001", remote_id=INV, total=120, status="open", queued=False):
    return {"key": ("account.move", key), "kind": kind, "name": name, "remote_id": remote_id, "total": total,
            "status": status, "queued": queued}


def partner(name="Tyrell Corp", email="et@tyrell.example", vat="GB123", remote_id=CONTACT):
    return {"key": ("res.partner", 7), "kind": "contact", "name": name, "email": email, "vat": vat,
            "remote_id": remote_id, "queued": False}


def kinds(found):
    return sorted(d["kind"] for d in found)


def test_entries_from_each_collection():
    assert drift.xero_entry(*invoice()) == (INV, ["invoice", "INV/2026/00001", "120.00", "AUTHORISED"])
    # a bill's number is the supplier's: Odoo's name is its Reference
    assert drift.xero_entry(*invoice(BILL, "SUP-77", type_="ACCPAY", Reference="BILL/2026/11/0001"))[1] == [
        "bill", "BILL/2026/11/0001", "120.00", "AUTHORISED"]
    assert drift.xero_entry("CreditNotes", {"CreditNoteID": CN.upper(), "CreditNoteNumber": "RINV/1",
                                            "Total": 10, "Status": "PAID", "Type": "ACCRECCREDIT"}) == (
        CN, ["credit_note", "RINV/1", "10.00", "PAID"])
    assert drift.xero_entry("PurchaseOrders", {"PurchaseOrderID": PO, "PurchaseOrderNumber": "P00001",
                                               "Total": "99.5", "Status": "BILLED"})[1][2] == "99.50"
    assert drift.xero_entry(*contact())[1] == ["contact", "Tyrell Corp", "et@tyrell.example", "GB123", "ACTIVE"]
    assert drift.xero_entry("Invoices", {"Total": 1}) is None


def test_agreement_is_no_difference():
    xero = snapshot(invoice(), contact())
    assert drift.compare([doc(), partner()], xero) == []
    # Xero's AUTHORISED, SUBMITTED, DRAFT (and BILLED) all mean "open"; a cent's rounding is no difference
    xero = snapshot(invoice(status="SUBMITTED", total="120.004"))
    assert drift.compare([doc(total=Decimal("119.996"))], xero) == []


def test_missing_in_xero():
    # linked, but Xero no longer has it (a full run: removed altogether)
    [found] = drift.compare([doc()], {})
    assert found["kind"] == "missing_ledger" and found["key"] == ("account.move", 1)
    assert found["remote_value"] == "not found"
    # never sent (no link, not queued)
    [found] = drift.compare([doc(remote_id=None)], {})
    assert found["kind"] == "missing_ledger" and found["remote_value"] == "never sent" and found["candidate"] is None
    # queued: on its way, not a difference
    assert drift.compare([doc(remote_id=None, queued=True)], {}) == []
    # a contact too
    assert kinds(drift.compare([partner()], {})) == ["missing_ledger"]


def test_missing_in_odoo_and_the_pair_of_a_lost_link():
    xero = snapshot(invoice(OTHER, "INV-0042", "50.00"))
    [found] = drift.compare([], xero)
    assert found["kind"] == "missing_odoo" and found["remote_id"] == OTHER and found["number"] == "INV-0042"
    # linked to something else (e.g. a payment or an item): not missing
    assert drift.compare([], xero, linked_ids=[OTHER.upper()]) == []
    # deleted or voided in Xero: nothing to bring into Odoo
    assert drift.compare([], snapshot(invoice(OTHER, status="DELETED"))) == []
    assert drift.compare([], snapshot(invoice(OTHER, status="VOIDED"))) == []
    # an Odoo document without a link and a Xero one with its number: each names the other
    xero = snapshot(invoice(OTHER, "INV/2026/00001"))
    found = {d["kind"]: d for d in drift.compare([doc(remote_id=None)], xero)}
    assert found["missing_ledger"]["candidate"] == OTHER
    assert found["missing_odoo"]["candidate"] == ("account.move", 1)
    # same number, other kind: no pair
    xero = snapshot(invoice(OTHER, "INV/2026/00001", type_="ACCPAY"))
    assert all(d["candidate"] is None for d in drift.compare([doc(remote_id=None)], xero))


def test_a_document_deleted_in_odoo_but_live_in_xero_is_missing_in_odoo():
    """A dangling link (its Odoo document deleted, its void not on its way) claims nothing: the
    Xero document is reported, saying it was deleted in Odoo; once voided it is not."""
    xero = snapshot(invoice(OTHER, "INV/2026/00009", "75.00"))
    [found] = drift.compare([], xero, linked_ids=[], deleted={OTHER.upper(): "INV/2026/00009"})
    assert (found["kind"], found["remote_id"], found["odoo_value"]) == (
        "missing_odoo", OTHER, "deleted in Odoo (INV/2026/00009)")
    assert drift.compare([], snapshot(invoice(OTHER, status="VOIDED")), deleted={OTHER: "INV/2026/00009"}) == []


def test_total_differs():
    [found] = drift.compare([doc(total=120)], snapshot(invoice(total="150.00")))
    assert (found["kind"], found["odoo_value"], found["remote_value"]) == ("total", "120.00", "150.00")
    # a document back in draft in Odoo (status None) is not compared
    assert drift.compare([doc(total=1, status=None)], snapshot(invoice())) == []
    # an update on its way: compared once it has arrived
    assert drift.compare([doc(total=1, queued=True)], snapshot(invoice())) == []


def test_status_differs():
    for odoo, xero in (("open", "PAID"), ("paid", "AUTHORISED"), ("open", "VOIDED"), ("open", "DELETED"),
                       ("voided", "AUTHORISED")):
        [found] = drift.compare([doc(status=odoo)], snapshot(invoice(status=xero)))
        assert (found["kind"], found["odoo_value"], found["remote_value"]) == ("status", odoo, xero)
    # voided on both sides, paid on both sides: agreement
    assert drift.compare([doc(status="voided")], snapshot(invoice(status="VOIDED"))) == []
    assert drift.compare([doc(status="paid")], snapshot(invoice(status="PAID"))) == []
    # deleted in Xero with another total: only the status is reported
    assert kinds(drift.compare([doc()], snapshot(invoice(status="DELETED", total="1")))) == ["status"]
    # paid in Xero and another total: both
    assert kinds(drift.compare([doc()], snapshot(invoice(status="PAID", total="1")))) == ["status", "total"]


def test_contact_details_differ():
    for changed, label in (({"name": "Tyrell Corporation"}, "name"), ({"email": "x@tyrell.example"}, "email"),
                           ({"vat": "GB999"}, "VAT")):
        [found] = drift.compare([partner(**changed)], snapshot(contact()))
        assert found["kind"] == "contact" and found["odoo_value"].startswith(label + ":"), found
    # case and spacing are not differences; an archived contact is
    assert drift.compare([partner(name="TYRELL  corp", email="ET@tyrell.example")], snapshot(contact())) == []
    [found] = drift.compare([partner()], snapshot(contact(status="ARCHIVED")))
    assert found["remote_value"] == "status: archived"
    # several at once: one line naming each
    [found] = drift.compare([partner(email=None, vat="GB9")], snapshot(contact()))
    assert found["odoo_value"] == "email: ; VAT: GB9"
    assert found["remote_value"] == "email: et@tyrell.example; VAT: GB123"


def test_every_kind_at_once():
    expected = [doc(1, remote_id=INV, total=100), doc(2, kind="bill", name="BILL/1", remote_id=BILL),
                doc(3, kind="credit_note", name="RINV/1", remote_id=CN, total=10),
                doc(4, kind="purchase_order", name="P00001", remote_id=PO, total=99.5), partner(vat="GB1")]
    xero = snapshot(invoice(total="150"), ("CreditNotes", {"CreditNoteID": CN, "CreditNoteNumber": "RINV/1",
                                                           "Total": 10, "Status": "VOIDED"}),
                    ("PurchaseOrders", {"PurchaseOrderID": PO, "PurchaseOrderNumber": "P00001", "Total": 99.5,
                                        "Status": "AUTHORISED"}), contact(), invoice(OTHER, "INV-0099"))
    assert kinds(drift.compare(expected, xero)) == ["contact", "missing_ledger", "missing_odoo", "status", "total"]


def test_a_rerun_lays_the_changes_over_the_snapshot():
    first = snapshot(invoice(), invoice(OTHER, "INV/2026/00002"))
    # If-Modified-Since brings only what changed: the deleted one
    changes = snapshot(invoice(OTHER, "INV/2026/00002", status="DELETED"))
    merged = drift.merge(first, changes)
    assert merged[INV] == first[INV] and merged[OTHER][3] == "DELETED"
    assert first[OTHER][3] == "AUTHORISED"  # the last snapshot is not changed in place
    found = drift.compare([doc(), doc(2, name="INV/2026/00002", remote_id=OTHER)], merged)
    assert [(d["kind"], d["remote_id"]) for d in found] == [("status", OTHER)]


def test_paged_lists_read_as_xero_pages_them():
    records = [invoice("%08d-0000-4000-8000-000000000000" % i, "INV-%05d" % i)[1] for i in range(2345)]
    asked = []

    def get_page(page, size=1000, with_pagination=True):
        asked.append(page)
        chunk, pagination = query.paginate(records, page, size)  # the harness's paging, as Xero's
        return {"Invoices": chunk, **({"pagination": pagination} if with_pagination else {})}

    entries, calls = drift.read_pages(get_page, "Invoices", 1000)
    assert len(entries) == 2345 and calls == 3 and asked == [1, 2, 3]
    # without Xero's pagination object: a short page is the last
    asked.clear()
    entries, calls = drift.read_pages(lambda p: get_page(p, with_pagination=False), "Invoices", 1000)
    assert len(entries) == 2345 and calls == 3
    # exactly a full page and no pagination object: one more call finds the end
    del records[2000:]
    entries, calls = drift.read_pages(lambda p: get_page(p, with_pagination=False), "Invoices", 1000)
    assert len(entries) == 2000 and calls == 3
    entries, calls = drift.read_pages(get_page, "Invoices", 1000)
    assert len(entries) == 2000 and calls == 2
    # nothing at all: one call
    assert drift.read_pages(lambda p: {"Invoices": []}, "Invoices") == ({}, 1)
