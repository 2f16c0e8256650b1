"""Faults on demand: 5xx, timeouts, 429 bursts, and "applied but the response was lost"."""

import pytest
import requests

from .conftest import ORG_A


def bill(cid):
    return {"Invoices": [{"Type": "ACCPAY", "Contact": {"ContactID": cid}, "InvoiceNumber": "B-1",
                          "LineItems": [{"Description": "x", "Quantity": 1, "UnitAmount": 5}]}]}


@pytest.fixture
def cid(api):
    return api.put("/Contacts", {"Contacts": [{"Name": "Fault Co"}]}).json()["Contacts"][0]["ContactID"]


def bills(admin):
    return [i for i in admin.records("invoice", ORG_A) if i["Type"] == "ACCPAY"]


def test_status_fault_changes_nothing(api, admin, cid):
    admin.fault("status", status=503, count=2, method="PUT", path="/Invoices")
    assert api.put("/Invoices", bill(cid)).status_code == 503
    assert api.put("/Invoices", bill(cid)).status_code == 503
    assert bills(admin) == []
    assert api.put("/Invoices", bill(cid)).status_code == 200


def test_rate_limit_burst(api, admin):
    admin.fault("rate_limit", count=3, retry_after=7, problem="minute")
    codes = [api.get("/Organisation") for _ in range(4)]
    assert [r.status_code for r in codes] == [429, 429, 429, 200]
    assert codes[0].headers["Retry-After"] == "7" and codes[0].headers["X-Rate-Limit-Problem"] == "minute"


def test_timeout(api, admin):
    admin.fault("timeout", delay=0.6, count=1)
    with pytest.raises(requests.Timeout):
        api.request("GET", "/Organisation", timeout=0.2)


@pytest.mark.parametrize("mode", ["reset", "504"])
def test_lost_response_is_applied_and_idempotency_saves_the_retry(api, admin, cid, mode):
    admin.fault("lose_response", mode=mode, count=1, method="PUT", path="/Invoices")
    key = {"Idempotency-Key": "retry-safe-%s" % mode}
    if mode == "reset":
        with pytest.raises(requests.ConnectionError):
            api.put("/Invoices", bill(cid), headers=key)
    else:
        assert api.put("/Invoices", bill(cid), headers=key).status_code == 504
    assert len(bills(admin)) == 1          # Xero applied it
    retry = api.put("/Invoices", bill(cid), headers=key)
    assert retry.status_code == 200
    assert len(bills(admin)) == 1          # the retry did not duplicate it
    assert retry.json()["Invoices"][0]["InvoiceID"] == bills(admin)[0]["InvoiceID"]


def test_expire_tokens_and_revoke_connection(api, admin, harness, token):
    admin.post("/tokens/expire")
    assert "TokenExpired" in api.get("/Organisation").json()["Detail"]
    conn = harness.app.store.all("connection")[0]
    admin.post("/connections/%s/revoke" % conn["id"])
    assert len(harness.app.store.all("connection")) == 1
