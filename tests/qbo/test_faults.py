"""requestid (the first answer replayed, per company), fault injection shared with the Xero
simulator (5xx, lost answers, token expiry) and the Faults python-quickbooks raises."""

import uuid

import pytest
import requests
from quickbooks.exceptions import AuthorizationException, SevereException
from quickbooks.objects.customer import Customer
from quickbooks.objects.invoice import Invoice

from .conftest import UK, US, Api, auth_client
from .test_batch import invoice_body
from .test_entities import invoice, make


def test_requestid_returns_the_first_answer_and_creates_once(qb, qbo, api):
    rid = str(uuid.uuid4())
    first = make(qb, Customer, {"DisplayName": "Once Ltd"}, request_id=rid)
    again = make(qb, Customer, {"DisplayName": "Once Ltd"}, request_id=rid)  # no 6240: the first answer
    assert again.Id == first.Id and again.SyncToken == "0"
    assert len(Customer.where("DisplayName = 'Once Ltd'", qb=qb)) == 1
    fault = api.post("customer", {"DisplayName": "Once Ltd"})  # a new request: the duplicate name
    assert fault.status_code == 400 and fault.json()["Fault"]["Error"][0]["code"] == "6240"


def test_requestid_is_per_company(qbo, api):
    rid = "same-id-in-two-companies"
    uk = auth_client(qbo.url, UK)
    a = api.post("class", {"Name": "Support"}, params={"requestid": rid}).json()
    b = Api(qbo.url, uk.access_token, UK).post("class", {"Name": "Support"}, params={"requestid": rid}).json()
    assert a["Class"]["Name"] == b["Class"]["Name"] == "Support"
    assert {c["Name"] for c in qbo.app.store.all("Class", UK)} >= {"Support"}  # not US's answer replayed
    assert api.post("class", {"Name": "Support"}, params={"requestid": rid}).json() == a  # US's replayed


def test_lost_answer_then_retry_with_requestid_creates_one_invoice(qbo, admin, api, qb):
    admin.post("/faults", {"kind": "lose_response", "mode": "reset", "method": "POST", "path": "/invoice"})
    rid = str(uuid.uuid4())
    with pytest.raises(requests.ConnectionError):
        api.post("invoice", invoice_body(qbo), params={"requestid": rid})
    retried = api.post("invoice", invoice_body(qbo), params={"requestid": rid})
    assert retried.status_code == 200
    assert Invoice.count(qb=qb) == 1 and retried.json()["Invoice"]["DocNumber"] == "1001"


def test_injected_5xx_is_a_system_fault(qb, admin):
    admin.post("/faults", {"kind": "status", "status": 503, "path": "/query"})
    with pytest.raises(SevereException) as err:
        Customer.all(qb=qb)
    assert err.value.error_code == 10000
    assert Customer.all(qb=qb)  # the rule fired once


def test_token_expiry_mid_run(qbo, admin, qb, auth):
    from .conftest import quickbooks
    invoice(qbo, qb)
    admin.post("/tokens/expire", {})
    with pytest.raises(AuthorizationException) as err:
        Invoice.count(qb=qb)
    assert err.value.error_code == 401
    auth.refresh()
    assert Invoice.count(qb=quickbooks(qbo.url, auth)) == 1


def test_minorversion_below_75_or_none_is_answered_as_75(api, admin):
    api.get("companyinfo/" + US, params={"minorversion": "4"})
    api.get("companyinfo/" + US)
    api.get("companyinfo/" + US, params={"minorversion": "76"})
    seen = [r["minorversion"] for r in admin.get("/requests") if r["path"].startswith("/v3/")][:3]
    assert seen == [76, 75, 75]


def test_injected_429_bursts_answer_the_xml_fault(api, admin):
    admin.post("/faults", {"kind": "rate_limit", "rate": 1, "burst": 2, "count": 2, "path": "/companyinfo"})
    answers = [api.get("companyinfo/" + US) for _ in range(3)]
    assert [a.status_code for a in answers] == [429, 429, 200]
    assert answers[0].headers["Content-Type"].startswith("application/xml") and b'code="3001"' in answers[0].content


def test_deleting_a_payment_reopens_the_invoice(qb, qbo):
    from quickbooks.objects.payment import Payment
    inv = invoice(qbo, qb)
    pay = make(qb, Payment, {"CustomerRef": {"value": inv.CustomerRef.value}, "TotalAmt": 494.75,
                             "Line": [{"Amount": 494.75, "LinkedTxn": [{"TxnId": inv.Id, "TxnType": "Invoice"}]}]})
    assert Invoice.get(inv.Id, qb=qb).Balance == 0
    pay.delete(qb=qb)
    reopened = Invoice.get(inv.Id, qb=qb)
    assert reopened.Balance == 494.75 and reopened.LinkedTxn == []
