"""Every answer of the simulator validated against Intuit's XSDs (../shared/intuit-qbo-xsd),
through the XSD → JSON Schema converter ``tests/qbo/xsd_schema.py`` (the module is skipped, saying
where it looked, when the XSDs are not found: tests/shared_docs.py). Each entity's create / read / update answers,
Faults, QueryResponse, BatchItemResponse, CDCResponse, and the whole body as IntuitResponse."""

import datetime as dt

import pytest

from . import xsd_schema
from .conftest import UK, US, Api, auth_client
from .test_entities import ids, line

xsd_schema.xsd_dir()  # Intuit's XSDs live outside the repository (../shared): else the module is skipped


def check(body, element):
    """``body`` as QBO answers it: {element: {...}, "time": ...}: the envelope and every entity in
    it (Fault, QueryResponse, BatchItemResponse, CDCResponse are IntuitResponse's local elements)."""
    assert xsd_schema.validate_response(body) == element
    if element in {e for e in xsd_schema.global_elements()}:
        xsd_schema.validate(element, body[element])


@pytest.fixture(autouse=True)
def _no_throttling(admin):
    admin.post("/limits", {"enabled": False})  # many calls in a row: not what these tests look at


@pytest.fixture
def answers(qbo, api):
    """(element, body) of every kind of answer, both companies."""
    out = []
    uk = Api(qbo.url, auth_client(qbo.url, UK).access_token, UK)
    for client, realm in ((api, US), (uk, UK)):
        accounts, items = ids(qbo, "Account", realm), ids(qbo, "Item", realm)
        customer = ids(qbo, "Customer", realm, "DisplayName")["Acme Dental Group"]
        vendor = ids(qbo, "Vendor", realm, "DisplayName")["Microsoft"]
        code = {} if realm == US else {"TaxCodeRef": {"value": ids(qbo, "TaxCode", realm)["20.0% S"]}}
        expense = {"DetailType": "AccountBasedExpenseLineDetail", "Amount": 40, "AccountBasedExpenseLineDetail": dict(
            code, AccountRef={"value": accounts["Software Subscriptions"]})}
        creates = [
            ("Customer", {"DisplayName": "Schema Co", "BillAddr": {"Line1": "1 Main St", "City": "Oakland"}}),
            ("Vendor", {"DisplayName": "Schema Supplies"}),
            ("Item", {"Name": "Schema item", "Type": "Service", "UnitPrice": 10,
                      "IncomeAccountRef": {"value": accounts["Services"]}}),
            ("Account", {"Name": "Schema account", "AccountType": "Expense"}),
            ("Class", {"Name": "Schema class"}), ("Department", {"Name": "Schema dept"}),
            ("Invoice", {"CustomerRef": {"value": customer}, "Line": [
                line(items["Onsite Visit"], 2, 120, **code), line(items["Hardware"], 1, 300, **code)]}),
            ("CreditMemo", {"CustomerRef": {"value": customer}, "Line": [line(items["Onsite Visit"], 1, 120, **code)]}),
            ("Bill", {"VendorRef": {"value": vendor}, "Line": [expense]}),
            ("PurchaseOrder", {"VendorRef": {"value": vendor}, "Line": [expense]}),
        ]
        made = {}
        for entity, body in creates:
            resp = client.post(entity.lower(), body).json()
            assert entity in resp, resp
            made[entity] = resp[entity]
            out.append((entity, resp))
            out.append((entity, client.get("%s/%s" % (entity.lower(), resp[entity]["Id"])).json()))
        inv = made["Invoice"]
        pay = client.post("payment", {"CustomerRef": {"value": customer}, "TotalAmt": 50, "Line": [
            {"Amount": 50, "LinkedTxn": [{"TxnId": inv["Id"], "TxnType": "Invoice"}]}]}).json()
        out.append(("Payment", pay))
        bill = made["Bill"]
        out.append(("BillPayment", client.post("billpayment", {
            "VendorRef": {"value": vendor}, "PayType": "Check", "TotalAmt": 40,
            "CheckPayment": {"BankAccountRef": {"value": accounts["Checking"]}},
            "Line": [{"Amount": 40, "LinkedTxn": [{"TxnId": bill["Id"], "TxnType": "Bill"}]}]}).json()))
        out.append(("Invoice", client.get("invoice/" + inv["Id"]).json()))  # with its LinkedTxn
        out.append(("Customer", client.post("customer", {"Id": made["Customer"]["Id"], "SyncToken": "0",
                                                         "sparse": True, "Notes": "updated"}).json()))
        out.append(("CreditMemo", client.post("creditmemo", {"Id": made["CreditMemo"]["Id"], "SyncToken": "0"},
                                              params={"operation": "delete"}).json()))
        fresh = client.post("invoice", {"CustomerRef": {"value": customer},
                                        "Line": [line(items["Onsite Visit"], 1, 120, **code)]}).json()["Invoice"]
        out.append(("Invoice", client.post("invoice", {"Id": fresh["Id"], "SyncToken": "0"},
                                           params={"operation": "void"}).json()))
        for entity in ("TaxCode", "TaxRate"):
            for obj in client.get("query", params={"query": "select * from %s" % entity}).json()[
                    "QueryResponse"][entity]:
                out.append((entity, client.get("%s/%s" % (entity.lower(), obj["Id"])).json()))
        out.append(("CompanyInfo", client.get("companyinfo/" + realm).json()))
        out.append(("Preferences", client.get("preferences").json()))
    return out


def test_entity_answers(answers):
    for element, body in answers:
        check(body, element)


def test_fault_query_batch_and_cdc_answers(qbo, api):
    fault = api.post("customer", {"DisplayName": "Microsoft"}).json()
    check(fault, "Fault")
    query = api.get("query", params={"query": "select * from Customer maxresults 2"}).json()
    check(query, "QueryResponse")
    check(api.get("query", params={"query": "select count(*) from Invoice"}).json(), "QueryResponse")
    batch = api.post("batch", {"BatchItemRequest": [
        {"bId": "1", "operation": "create", "Class": {"Name": "Batch class"}},
        {"bId": "2", "operation": "create", "Class": {"Name": "Batch class"}},
        {"bId": "3", "Query": "select * from Class"}]}).json()
    assert {"Fault", "Class", "QueryResponse"} <= {k for item in batch["BatchItemResponse"] for k in item}
    check(batch, "BatchItemResponse")
    since = dt.datetime.fromtimestamp(qbo.app.clock.now() - 60, dt.timezone.utc).isoformat(timespec="seconds")
    cdc = api.get("cdc", params={"entities": "Class,Invoice", "changedSince": since}).json()
    check(cdc, "CDCResponse")
