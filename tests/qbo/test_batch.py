"""/batch: bIds echoed, items applied in order, each on its own, not seeing objects created
earlier in the same batch; a query item; the size limit (30, configurable); python-quickbooks'
batch helpers; requestid replaying a whole batch."""

import uuid

from quickbooks.batch import batch_create
from quickbooks.objects.customer import Customer
from quickbooks.objects.invoice import Invoice

from .conftest import US
from .test_entities import ids, line


def invoice_body(qbo, customer="Acme Dental Group", **extra):
    return dict(extra, CustomerRef={"value": ids(qbo, "Customer", field="DisplayName")[customer]},
                Line=[line(ids(qbo, "Item")["Onsite Visit"], 1, 120)])


def test_python_quickbooks_batch_create(qb):
    customers = [Customer.from_json({"DisplayName": "Batch %d" % n}) for n in range(3)]
    customers.append(Customer.from_json({"DisplayName": "Batch 1"}))  # duplicate: its item fails alone
    result = batch_create(customers, qb=qb)
    assert sorted(c.DisplayName for c in result.successes) == ["Batch 0", "Batch 1", "Batch 2"]
    assert len(result.faults) == 1 and result.faults[0].Error[0].code == "6240"


def test_items_in_order_not_seeing_each_other(api, qbo):
    probe = api.post("class", {"Name": "Probe"}).json()["Class"]["Id"]  # Ids are sequential per company
    inv_id_next = str(int(probe) + 1)
    body = {"BatchItemRequest": [
        {"bId": "a", "operation": "create", "Invoice": invoice_body(qbo, DocNumber="B-1")},
        {"bId": "b", "operation": "create", "Payment": {
            "CustomerRef": {"value": ids(qbo, "Customer", field="DisplayName")["Acme Dental Group"]},
            "TotalAmt": 10, "Line": [{"Amount": 10, "LinkedTxn": [{"TxnId": inv_id_next, "TxnType": "Invoice"}]}]}},
        {"bId": "c", "Query": "select * from Invoice where DocNumber = 'B-1'"},
        {"bId": "d", "operation": "create", "Invoice": invoice_body(qbo, DocNumber="B-1")},
    ]}
    resp = api.post("batch", body)
    assert resp.status_code == 200
    items = resp.json()["BatchItemResponse"]
    assert [i["bId"] for i in items] == ["a", "b", "c", "d"]
    assert items[0]["Invoice"]["Id"] == inv_id_next
    assert items[1]["Fault"]["Error"][0]["code"] == "2500"  # the invoice of item a is not visible to b
    assert items[2]["QueryResponse"] == {}                   # nor to a query in the same batch
    assert items[3]["Fault"]["Error"][0]["code"] == "6140"   # but document numbers stay unique
    assert api.get("invoice/" + inv_id_next).json()["Invoice"]["DocNumber"] == "B-1"


def test_size_limit_default_30_and_configurable(api, qbo, admin):
    item = {"operation": "create", "Class": {"Name": "x"}}
    too_many = {"BatchItemRequest": [dict(item, bId=str(n), Class={"Name": "C%d" % n}) for n in range(31)]}
    resp = api.post("batch", too_many)
    assert resp.status_code == 400 and resp.json()["Fault"]["type"] == "ValidationFault"
    assert not [c for c in qbo.app.store.all("Class", US) if c["Name"].startswith("C")]
    too_many["BatchItemRequest"].pop()
    assert api.post("batch", too_many).status_code == 200
    admin.post("/batch-limit", {"max": 10})
    eleven = {"BatchItemRequest": [dict(item, bId=str(n), Class={"Name": "D%d" % n}) for n in range(11)]}
    assert api.post("batch", eleven).status_code == 400


def test_requestid_replays_a_batch(api, qbo, qb):
    rid = str(uuid.uuid4())
    body = {"BatchItemRequest": [{"bId": "1", "operation": "create", "Invoice": invoice_body(qbo)}]}
    first = api.post("batch", body, params={"requestid": rid})
    again = api.post("batch", body, params={"requestid": rid})
    assert again.json() == first.json()
    assert Invoice.count(qb=qb) == 1
    assert api.post("batch", body, params={"requestid": str(uuid.uuid4())}).status_code == 200
    assert Invoice.count(qb=qb) == 2
