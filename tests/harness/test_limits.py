"""Rate limits per tenant and app, their headers, 429 + Retry-After, and the time scale."""

import threading
import time

from harness.clock import Clock
from harness.limits import Limits, RateLimited

from .conftest import ORG_A, ORG_B


def test_headers_on_every_tenant_response(api):
    resp = api.get("/Organisation")
    assert resp.headers["X-MinLimit-Remaining"] == "59"
    assert resp.headers["X-DayLimit-Remaining"] == "4999"
    assert resp.headers["X-AppMinLimit-Remaining"] == "9999"
    assert api.get("/Organisation").headers["X-MinLimit-Remaining"] == "58"


def test_minute_limit_is_per_tenant_and_recovers(api, admin, harness):
    admin.limits(minute=5)
    for _ in range(5):
        assert api.get("/Organisation").status_code == 200
    over = api.get("/Organisation")
    assert over.status_code == 429
    assert over.headers["X-Rate-Limit-Problem"] == "minute"
    assert 1 <= int(over.headers["Retry-After"]) <= 60
    assert over.headers["X-MinLimit-Remaining"] == "0"
    # the other organisation has its own budget
    assert api.get("/Organisation", tenant=ORG_B).status_code == 200
    harness.app.clock.advance(61)
    assert api.get("/Organisation").status_code == 200


def test_day_and_app_limits(api, admin, harness):
    admin.limits(day=3)
    for _ in range(3):
        api.get("/Organisation")
    over = api.get("/Organisation")
    assert over.status_code == 429 and over.headers["X-Rate-Limit-Problem"] == "day"
    assert int(over.headers["Retry-After"]) > 80000
    admin.limits(day=5000, app_minute=2)
    harness.app.limits.reset()
    api.get("/Organisation")
    api.get("/Organisation", tenant=ORG_B)
    over = api.get("/Organisation", tenant=ORG_B)
    assert over.status_code == 429 and over.headers["X-Rate-Limit-Problem"] == "appminute"


def test_concurrent_limit():
    limits = Limits(Clock(), concurrent=2)
    limits.acquire("c", ORG_A)
    limits.acquire("c", ORG_A)
    try:
        limits.acquire("c", ORG_A)
        raise AssertionError("third concurrent call was allowed")
    except RateLimited as exc:
        assert exc.problem == "concurrent"
    limits.release("c", ORG_A)
    limits.acquire("c", ORG_A)


def test_concurrent_limit_over_http(api, admin):
    admin.limits(concurrent=1)
    admin.fault("slow", delay=0.5, count=1, path="/Organisation")
    results = []
    slow = threading.Thread(target=lambda: results.append(api.get("/Organisation").status_code))
    slow.start()
    time.sleep(0.15)
    second = api.__class__(api.base, api.token).get("/Organisation")
    slow.join()
    assert results == [200]
    assert second.status_code == 429 and second.headers["X-Rate-Limit-Problem"] == "concurrent"
    assert api.get("/Organisation").status_code == 200  # the slot is free again


def test_time_scale_shortens_retry_after():
    clock = Clock(scale=60)
    limits = Limits(clock, minute=1)
    limits.acquire("c", ORG_A)
    limits.release("c", ORG_A)
    try:
        limits.acquire("c", ORG_A)
        raise AssertionError("limit not applied")
    except RateLimited as exc:
        assert exc.retry_after == 1  # 60 simulated seconds = 1 real second
    time.sleep(1.05)
    limits.acquire("c", ORG_A)


def test_limits_off(api, admin):
    admin.limits(enabled=False, minute=1)
    for _ in range(5):
        assert api.get("/Organisation").status_code == 200


def test_app_minute_limit_spans_tenants_and_recovers(api, admin, harness):
    """Xero's 10,000 calls a minute per app count every organisation's calls together."""
    admin.limits(app_minute=3, reset=True)
    assert api.get("/Organisation").headers["X-AppMinLimit-Remaining"] == "2"
    assert api.get("/Organisation", tenant=ORG_B).headers["X-AppMinLimit-Remaining"] == "1"
    last = api.get("/Organisation", tenant=ORG_B)
    assert last.status_code == 200 and last.headers["X-AppMinLimit-Remaining"] == "0"
    assert last.headers["X-MinLimit-Remaining"] == "58", "the organisation's own minute is not spent"
    for tenant in (ORG_A, ORG_B):
        over = api.get("/Organisation", tenant=tenant)
        assert over.status_code == 429 and over.headers["X-Rate-Limit-Problem"] == "appminute"
        assert 1 <= int(over.headers["Retry-After"]) <= 60
        assert over.headers["X-AppMinLimit-Remaining"] == "0"
    harness.app.clock.advance(61)
    again = api.get("/Organisation")
    assert again.status_code == 200, "a refused call is not counted: the next minute is whole"
    assert again.headers["X-AppMinLimit-Remaining"] == "2"
