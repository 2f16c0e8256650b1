"""The QBO client against the QBO simulator over real HTTP: OAuth (code, rotating refresh,
lost refresh answer, revoke), query paging, create + sparse update with SyncToken, 5010,
batch with one invalid element, the XML 429, CDC, payments read back, a lost create found
again — each answer in the log entry shape the core's request log stores."""

import datetime as dt
import json

import pytest

from odoo.addons.psa_qbo_connector.qbo import from_qbo, to_qbo
from odoo.addons.psa_qbo_connector.qbo.client import Pacer
from odoo.addons.psa_qbo_connector.qbo.errors import (
    QboAuthError,
    QboNotFound,
    QboRateLimited,
    QboStaleObject,
    QboTransientError,
    QboValidationError,
    duplicate_document,
)

from .conftest import UK, US, Session, ids_by_name

LOG_KEYS = {"operation", "method", "url", "request_headers", "request_body", "redacted", "status", "duration_ms",
            "response_headers", "response_body", "error", "messages", "tenant_id", "idempotency_key"}


def uk_invoice(app, **extra):
    customers, items = ids_by_name(app, UK, "Customer", "DisplayName"), ids_by_name(app, UK, "Item")
    vat = ids_by_name(app, UK, "TaxCode")["20.0% S"]
    return dict({"kind": "out_invoice", "party_id": customers["Acme Dental Group"], "date": "2026-12-01",
                 "currency": "GBP", "base_currency": "GBP", "marker": "[odoo:t:account.move:1]",
                 "lines": [{"description": "Remote support", "quantity": 3, "price_unit": 85, "subtotal": 255,
                            "item_id": items["Remote Support (1hr)"], "tax_code": vat}]}, **extra)


def test_code_flow_then_refresh_keeps_the_value_until_intuit_rotates_it(qbo, admin, us):
    first = us.tokens
    assert first["rotated"] is False and first["hard_expires_at"] > first["refresh_expires_at"] > \
        first["access_expires_at"]
    again = us.client.refresh(first["refresh_token"])
    assert again["refresh_token"] == first["refresh_token"] and again["rotated"] is False
    admin.post("/tokens/rotate-after", {"seconds": 0})
    rotated = us.client.refresh(first["refresh_token"])
    assert rotated["rotated"] is True and rotated["refresh_token"] != first["refresh_token"]
    with pytest.raises(QboAuthError) as refused:  # the old value is dead once rotated: store the new one
        us.client.refresh(first["refresh_token"])
    assert refused.value.grant_refused and refused.value.status == 400
    assert us.client.refresh(rotated["refresh_token"])["access_token"]
    # the log never holds a secret
    text = json.dumps(us.log)
    for secret in (first["refresh_token"], rotated["refresh_token"], rotated["access_token"], "test-qbo-secret"):
        assert secret not in text
    assert us.log[-1]["redacted"] is True and us.log[-1]["request_headers"]["Authorization"] == "***"


def test_a_lost_refresh_answer_does_not_lock_the_company_out(qbo, admin, us):
    admin.fault("lose_response", path="tokens/bearer", method="POST")
    with pytest.raises(QboTransientError) as lost:
        us.client.refresh(us.tokens["refresh_token"])
    assert lost.value.answer_lost
    # Intuit rotates at most daily: sending the same stored value again succeeds
    retried = us.client.refresh(us.tokens["refresh_token"])
    assert retried["refresh_token"] == us.tokens["refresh_token"]
    us.tokens = retried
    assert us.get("CompanyInfo", None)["CompanyName"] == "Northwind IT Services Inc"


def test_revoke_disconnects(qbo, us):
    assert us.client.revoke(us.tokens["refresh_token"]) is True
    with pytest.raises(QboAuthError) as refused:
        us.query("select * from Customer")
    assert refused.value.status == 401 and refused.value.code == "3200"
    assert us.client.revoke(us.tokens["refresh_token"]) is True  # twice: still fine


def test_query_pages_with_startposition_and_maxresults(qbo, us):
    for n in range(5):
        us.save("Customer", to_qbo.party_payload({"name": "Paged %d" % n, "is_company": True}))
    names = [c["DisplayName"] for c in us.query_all("select * from Customer ORDERBY Id", page_size=3)]
    assert len(names) == 8 and names[-5:] == ["Paged %d" % n for n in range(5)]
    pages = [e["url"] for e in us.log if e["operation"] == "query Customer"]
    assert len(pages) == 3
    assert all("minorversion=75" in url for url in pages)
    assert ["STARTPOSITION+%d+MAXRESULTS+3" % s in url for s, url in zip((1, 4, 7), pages, strict=True)] == [True] * 3
    entry = us.log[-1]
    assert LOG_KEYS <= set(entry) and entry["status"] == 200 and entry["tenant_id"] == US
    assert entry["response_body"]["QueryResponse"]["Customer"] and entry["request_headers"]["Authorization"] == "***"


def test_create_then_sparse_update_with_synctoken_and_5010_on_a_stale_one(qbo, uk):
    created = uk.save("Customer", to_qbo.party_payload({"name": "Sync Co", "is_company": True, "email": "a@s.ex",
                                                        "city": "York"}), request_id="create-sync-co")
    assert created["SyncToken"] == "0"
    updated = uk.sparse_update("Customer", created["Id"], created["SyncToken"], {"PrimaryEmailAddr": {
        "Address": "b@s.ex"}})
    assert updated["SyncToken"] == "1" and updated["PrimaryEmailAddr"]["Address"] == "b@s.ex"
    assert updated["BillAddr"]["City"] == "York"  # sparse: what was not sent stays
    with pytest.raises(QboStaleObject) as stale:  # someone else's change since we read token 0
        uk.save("Customer", to_qbo.party_payload({"name": "Sync Co", "email": "c@s.ex"}, remote_id=created["Id"],
                                                 sync_token="0"))
    assert stale.value.code == "5010" and stale.value.status == 400
    assert stale.value.messages[0].startswith("Stale Object Error")
    assert uk.log[-1]["messages"] == stale.value.messages and uk.log[-1]["status"] == 400
    # the answer to 5010: re-read, re-apply, send again
    current = uk.get("Customer", created["Id"])
    again = uk.save("Customer", to_qbo.party_payload({"name": "Sync Co", "email": "c@s.ex"}, remote_id=current["Id"],
                                                     sync_token=current["SyncToken"]))
    assert again["SyncToken"] == "2" and again["PrimaryEmailAddr"]["Address"] == "c@s.ex"
    with pytest.raises(QboNotFound):
        uk.get("Customer", "999999")


def test_uk_invoice_totals_equal_and_us_sales_tax_difference_named(qbo, uk, us):
    _, payload = to_qbo.document_payload(uk_invoice(qbo.app))
    invoice = uk.save("Invoice", payload)
    assert invoice["TotalAmt"] == 306.0 and invoice["DocNumber"]  # 255 + 20 % VAT, numbered by QBO
    assert to_qbo.totals_differ("306.00", invoice) is None
    items = ids_by_name(qbo.app, US, "Item")
    customer = ids_by_name(qbo.app, US, "Customer", "DisplayName")["Harbour Logistics"]
    _, payload = to_qbo.document_payload({"kind": "out_invoice", "party_id": customer, "us_ast": True,
                                          "date": "2026-12-01", "lines": [
                                              {"quantity": 1, "price_unit": 300, "subtotal": 300,
                                               "item_id": items["Hardware"], "tax_code": "TAX"},
                                              {"quantity": 2, "price_unit": 85, "subtotal": 170,
                                               "item_id": items["Remote Support (1hr)"], "tax_code": "NON"}]})
    us_invoice = us.save("Invoice", payload)
    diff = to_qbo.totals_differ("494.00", us_invoice, odoo_tax="24.00")  # Odoo guessed 8 %, QBO's rate is 8.25 %
    assert diff["qbo"] == 494.75 and str(diff["difference"]) == "0.75"
    assert "at 494.75 where Odoo totals 494.00 (+0.75): tax 24.75 in QuickBooks, 24.00 in Odoo" in diff["message"]


def test_duplicate_docnumber_names_the_holder(qbo, admin, uk):
    admin.post("/preferences", {"realmId": UK, "SalesFormsPrefs": {"CustomTxnNumbers": True}})
    _, payload = to_qbo.document_payload(uk_invoice(qbo.app, number="INV-77", custom_numbers=True))
    first = uk.save("Invoice", payload)
    with pytest.raises(QboValidationError) as dup:
        uk.save("Invoice", payload)
    assert dup.value.code == "6140"
    assert duplicate_document(dup.value) == {"number": "INV-77", "txn_type": "Invoice", "txn_id": first["Id"]}


def test_batch_one_invalid_element_the_others_succeed_each_answer_by_bid(qbo, uk):
    good = to_qbo.party_payload({"name": "Batch One", "is_company": True})
    bad = to_qbo.party_payload({"name": "Acme Dental Group", "is_company": True})  # 6240: name taken
    items = [{"bId": "p1", "operation": "create", "Customer": good},
             {"bId": "p2", "operation": "create", "Customer": bad},
             {"bId": "p3", "operation": "create", "Vendor": to_qbo.party_payload({"name": "Batch Vendor"}, "Vendor")}]
    answers = uk.batch(items, request_id="batch-0001")
    assert set(answers) == {"p1", "p2", "p3"}
    assert answers["p1"]["entity"] == "Customer" and answers["p1"]["object"]["DisplayName"] == "Batch One"
    assert answers["p3"]["entity"] == "Vendor" and answers["p3"]["object"]["Id"]
    error = answers["p2"]["error"]
    assert isinstance(error, QboValidationError) and error.code == "6240" and answers["p2"]["object"] is None
    assert "already exists" in error.messages[0]
    # the same requestid again: QBO's first answer, nothing created twice
    again = uk.batch(items, request_id="batch-0001")
    assert again["p1"]["object"]["Id"] == answers["p1"]["object"]["Id"]
    assert len([c for c in qbo.app.store.all("Customer", UK) if c["DisplayName"] == "Batch One"]) == 1
    with pytest.raises(ValueError, match="1 to 36 characters"):
        uk.batch(items, request_id="x" * 37)
    with pytest.raises(ValueError, match="1 to 30 items"):
        uk.batch([dict(items[0], bId=str(n)) for n in range(31)])


def test_the_throttles_xml_429_is_rate_limited_and_pauses_the_realm(qbo, admin, uk):
    admin.limits(second=2)
    pacer = Pacer(per_second=100, per_minute=1000, headroom=1.0)  # lets us overrun the simulator's 2/s
    uk.client.pacer = pacer
    with pytest.raises(QboRateLimited) as throttled:
        for _ in range(5):
            uk.query("select * from Item")
    exc = throttled.value
    assert exc.status == 429 and exc.retry_after == 60 and exc.code == "3001" and exc.scope == "realm"
    assert "ThrottleExceeded" in str(exc)
    entry = uk.log[-1]
    assert entry["status"] == 429 and entry["response_body"].startswith("<?xml")
    assert entry["messages"] == exc.messages
    assert pacer.delay(UK) > 59 and pacer.delay(US) == 0  # the realm rests, others carry on


def test_cdc_reports_changes_and_deletions(qbo, uk):
    since = qbo_time(qbo, -1)
    assert from_qbo.cdc_changes(uk.cdc(["Invoice"], since)) == ({}, {})  # the seed has no invoice
    _, payload = to_qbo.document_payload(uk_invoice(qbo.app))
    doomed = uk.save("Invoice", payload)
    kept = uk.save("Invoice", payload)
    uk.delete("Invoice", doomed["Id"], doomed["SyncToken"])
    changed, deleted = from_qbo.cdc_changes(uk.cdc(["Invoice", "Payment"], since))
    assert [i["Id"] for i in changed["Invoice"]] == [kept["Id"]] and deleted == {"Invoice": [doomed["Id"]]}
    assert "entities=Invoice%2CPayment" in uk.log[-1]["url"] and "changedSince=" in uk.log[-1]["url"]


def qbo_time(qbo, offset):
    return dt.datetime.fromtimestamp(qbo.app.clock.now() + offset, dt.UTC).isoformat()


def test_payment_read_back_into_the_settlement_state(qbo, admin, uk):
    _, payload = to_qbo.document_payload(uk_invoice(qbo.app))
    invoice = uk.save("Invoice", payload)
    admin.post("/payments", {"realmId": UK, "InvoiceId": invoice["Id"], "Amount": 100})
    invoice = uk.get("Invoice", invoice["Id"])
    payment_ids = [link["TxnId"] for link in invoice["LinkedTxn"] if link["TxnType"] == "Payment"]
    payments = [uk.get("Payment", pid) for pid in payment_ids]
    state = from_qbo.document_state(invoice, payments)
    assert state["status"] == "AUTHORISED" and str(state["amount_due"]) == "206.00"
    assert [str(p["amount"]) for p in state["payments"].values()] == ["100.00"]
    new, gone = from_qbo.payment_changes(state, {})
    assert len(new) == 1 and gone == []


def test_a_lost_create_is_found_again_and_its_requestid_never_duplicates(qbo, admin, uk):
    _, payload = to_qbo.document_payload(uk_invoice(qbo.app, marker="[odoo:t:account.move:55]"))
    admin.fault("lose_response", path="/invoice$", method="POST")
    with pytest.raises(QboTransientError) as lost:
        uk.save("Invoice", payload, request_id="move-55-create")
    assert lost.value.answer_lost
    found = [i for i in uk.query_all(to_qbo.lost_create_query("Invoice", payload))
             if to_qbo.carries_marker(i, "[odoo:t:account.move:55]")]
    assert len(found) == 1
    replay = uk.save("Invoice", payload, request_id="move-55-create")
    assert replay["Id"] == found[0]["Id"]
    assert len([i for i in qbo.app.store.all("Invoice", UK) if "account.move:55]" in i.get("PrivateNote", "")]) == 1


def test_base_url_and_minorversion_are_settings(qbo):
    session = Session(qbo.url, UK)
    session.client.minorversion = 80
    session.query("select * from TaxCode")
    assert "minorversion=80" in session.log[-1]["url"] and session.log[-1]["url"].startswith(qbo.url + "/v3/company/")
    with pytest.raises(ValueError, match="not an entity this client writes"):
        session.save("Payment", {})
