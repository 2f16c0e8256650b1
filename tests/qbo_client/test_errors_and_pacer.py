"""QBO's Faults → our error kinds (no server; the same bodies are met over HTTP in
test_client.py), and the per-realm pacer on a fake clock."""

import pytest

from odoo.addons.psa_qbo_connector.qbo import errors
from odoo.addons.psa_qbo_connector.qbo.client import Pacer

from harness.qbo.wire import throttle_xml

STALE = {"Fault": {"Error": [{"Message": "Stale Object Error", "Detail": "Stale Object Error : You and root were "
                              "working on this at the same time.", "code": "5010", "element": "SyncToken"}],
                   "type": "ValidationFault"}, "time": "2026-12-07T11:54:07.123-08:00"}


def fault(code, message, detail="", element="", type_="ValidationFault"):
    error = {"Message": message, "Detail": detail, "code": code}
    if element:
        error["element"] = element
    return {"Fault": {"Error": [error], "type": type_}}


def test_stale_synctoken_is_its_own_kind_never_auth_or_validation():
    exc = errors.error_for(400, STALE)
    assert type(exc) is errors.QboStaleObject
    assert exc.code == "5010" and exc.element == "SyncToken"
    assert exc.messages == ["Stale Object Error : You and root were working on this at the same time."]
    assert exc.errors == STALE["Fault"]["Error"]


def test_xml_429_is_rate_limited_with_qbos_words():
    exc = errors.error_for(429, throttle_xml(1_800_000_000), {"Content-Type": "application/xml"})
    assert type(exc) is errors.QboRateLimited
    assert exc.retry_after == 60 and exc.scope == "realm" and exc.code == "3001"
    assert exc.fault_type == "SERVICE"
    assert str(exc) == ("message=ThrottleExceeded; errorCode=003001; statusCode=429: "
                        "The request limit was reached.  Try again later")
    batch = errors.error_for(429, throttle_xml(1_800_000_000), {"Retry-After": "7"}, scope="batch")
    assert (batch.retry_after, batch.scope) == (7, "batch")
    assert type(errors.error_for(429, "", {})) is errors.QboRateLimited  # no body at all


@pytest.mark.parametrize("status, body, kind", [
    (400, fault("6140", "Duplicate Document Number Error", "x"), errors.QboValidationError),
    (400, fault("6210", "Account Period Closed, Cannot Update Through Services API", "closed"),
     errors.QboValidationError),
    (200, fault("6000", "A business validation error has occurred", "Business Validation Error: x"),
     errors.QboValidationError),  # a 200 can carry a Fault
    (400, fault("610", "Object Not Found", "inactive", element="CustomerRef"), errors.QboValidationError),
    (400, fault("610", "Object Not Found", "gone", element="Id"), errors.QboNotFound),
    (400, fault("610", "Object Not Found", "gone"), errors.QboNotFound),
    (401, fault("3200", "message=AuthenticationFailed; errorCode=003200; statusCode=401", "Token expired",
                type_="AuthenticationFault"), errors.QboAuthError),
    (401, {"fault": {"error": [{"message": "message=AuthenticationFailed; errorCode=003200; statusCode=401",
                                "detail": "Token expired: 0", "code": "3200"}], "type": "SERVICE"}},
     errors.QboAuthError),  # Intuit's gateway: lower-case keys
    (403, fault("3100", "message=ApplicationAuthorizationFailed", type_="AuthorizationFault"), errors.QboAuthError),
    (500, fault("10000", "An application error has occurred", "System Failure Error", type_="SystemFault"),
     errors.QboTransientError),
    (503, "<html>Service Unavailable</html>", errors.QboTransientError),
])
def test_fault_kinds(status, body, kind):
    exc = errors.error_for(status, body)
    assert type(exc) is kind
    if isinstance(body, dict):
        assert exc.errors and exc.messages[0]


def test_no_fault_is_no_error_and_the_gateway_fault_keeps_its_words():
    assert errors.error_for(200, {"Invoice": {"Id": "1"}}) is None
    exc = errors.error_for(401, {"fault": {"error": [{"message": "AuthenticationFailed", "detail": "Token expired: 0",
                                                      "code": "3200"}], "type": "SERVICE"}})
    assert exc.errors == [{"code": "3200", "Message": "AuthenticationFailed", "Detail": "Token expired: 0"}]
    assert str(exc) == "AuthenticationFailed: Token expired: 0"


def test_duplicate_document_names_the_holder():
    exc = errors.error_for(400, fault("6140", "Duplicate Document Number Error",
                                      "Duplicate Document Number Error : You must specify a different number. This "
                                      "number has already been used. DocNumber=1042 is assigned to TxnType=Credit Memo "
                                      "with TxnId=111", element="DocNumber"))
    assert errors.duplicate_document(exc) == {"number": "1042", "txn_type": "Credit Memo", "txn_id": "111"}
    assert errors.duplicate_document(errors.error_for(400, STALE)) is None


class FakeTime:
    def __init__(self):
        self.now, self.slept = 1000.0, []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(round(seconds, 3))
        self.now += seconds


def test_pacer_keeps_each_realm_inside_10_per_second_and_500_per_minute():
    t = FakeTime()
    pacer = Pacer(headroom=1.0, clock=t.clock, sleep=t.sleep)
    for _ in range(10):
        assert pacer.acquire("r1") == 0
    assert pacer.delay("r1") == pytest.approx(1.0)
    assert pacer.delay("r2") == 0  # another realm counts apart
    assert pacer.acquire("r1") == pytest.approx(1.0)
    # 500 in a minute: spread at 10/s they take 50 s; the 501st waits for the first to leave the window
    for _ in range(489):
        pacer.acquire("r1")
    assert t.now - 1000 < 60
    assert pacer.delay("r1") == pytest.approx(1060 - t.now)


def test_pacer_batches_and_pause_after_429():
    t = FakeTime()
    pacer = Pacer(headroom=1.0, clock=t.clock, sleep=t.sleep)
    for _ in range(40):
        t.now += 0.2
        pacer.acquire("r1", batch=True)
    assert pacer.delay("r1", batch=True) > 50 and pacer.delay("r1") == 0  # the 41st batch of the minute waits
    pacer.pause("r1", 60)
    assert pacer.delay("r1") == pytest.approx(60)
    assert Pacer(clock=t.clock).limits == ((1.0, 9), (60.0, 450))  # default headroom 90 %
