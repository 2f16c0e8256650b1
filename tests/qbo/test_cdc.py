"""Change data capture: changes since a time per entity, deleted objects marked, 30 days at
most, 1,000 objects per answer; python-quickbooks' change_data_capture helper reads it."""

import datetime as dt

import pytest
from quickbooks.cdc import change_data_capture
from quickbooks.exceptions import QuickbooksException
from quickbooks.objects.customer import Customer
from quickbooks.objects.invoice import Invoice
from quickbooks.objects.payment import Payment

from .test_entities import invoice


def iso(qbo, seconds_ago=0):
    return dt.datetime.fromtimestamp(qbo.app.clock.now() - seconds_ago, dt.timezone.utc).isoformat(timespec="seconds")


def test_changes_since_with_deleted_marked(qb, qbo, admin, api):
    admin.post("/clock/advance", {"seconds": 10})
    since = iso(qbo, 1)
    kept = invoice(qbo, qb)
    gone = invoice(qbo, qb)
    gone.delete(qb=qb)
    body = api.get("cdc", params={"entities": "Invoice,Customer", "changedSince": since}).json()
    invoice_resp, customer_resp = body["CDCResponse"][0]["QueryResponse"]
    by_id = {i["Id"]: i for i in invoice_resp["Invoice"]}
    assert by_id[kept.Id]["TotalAmt"] == 494.75 and "status" not in by_id[kept.Id]
    assert by_id[gone.Id]["status"] == "Deleted"
    assert customer_resp == {}  # seeded before `since`: nothing changed
    cdc = change_data_capture([Invoice, Payment, Customer], since, qb=qb)
    assert {i.Id for i in cdc.Invoice} == {kept.Id, gone.Id}


def test_thirty_days_at_most(qb, qbo):
    with pytest.raises(QuickbooksException) as err:
        change_data_capture([Invoice], iso(qbo, 31 * 86400), qb=qb)
    assert "30 days" in err.value.detail


def test_at_most_1000_objects(qb, qbo, api):
    since = iso(qbo, 1)
    with qbo.app.store.transaction():
        for n in range(1005):
            qbo.app.books.write("9130355555555551", "Class", {"Name": "C%04d" % n})
    body = api.get("cdc", params={"entities": "Class", "changedSince": since}).json()
    assert len(body["CDCResponse"][0]["QueryResponse"][0]["Class"]) == 1000
