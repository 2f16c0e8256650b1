"""Faults for chaos runs: rules that fire on a seeded random fraction of requests, in bursts,
a log of what fired, and access tokens that expire periodically (in simulated time)."""

import time

import pytest
import requests

from harness.faults import Faults

from .conftest import ORG_A


def codes(api, n, path="/Organisation"):
    return [api.get(path).status_code for _ in range(n)]


def test_rate_rule_fires_on_a_seeded_fraction_and_stays():
    picks = []
    for _ in range(2):
        faults = Faults()
        faults.add(kind="status", status=503, rate=0.05, seed=7)
        picks.append([faults.take("GET", "/api.xro/2.0/Invoices", ORG_A) is not None for _ in range(4000)])
    assert picks[0] == picks[1]                       # same seed, same requests -> same faults
    assert 0.035 < sum(picks[0]) / 4000 < 0.065        # about 5 %
    assert Faults().add(kind="status", rate=0.05).describe()["remaining"] is None  # unbounded


def test_rate_rules_compose_and_count_caps_them():
    faults = Faults()
    faults.add(kind="status", status=500, rate=0.05, seed=1)
    faults.add(kind="lose_response", rate=0.02, seed=2, method="PUT")
    faults.add(kind="slow", rate=0.5, seed=3, count=3, path="Contacts")
    fired = [faults.take("PUT", "/api.xro/2.0/Invoices", ORG_A) for _ in range(5000)]
    kinds = [f.kind for f in fired if f]
    assert 0.035 * 5000 < kinds.count("status") < 0.065 * 5000
    assert 0.01 * 5000 < kinds.count("lose_response") < 0.03 * 5000   # of those the 5xx rule let through
    slow = [faults.take("GET", "/api.xro/2.0/Contacts", ORG_A) for _ in range(200)]
    assert sum(1 for f in slow if f and f.kind == "slow") == 3          # count caps a rate rule
    log = faults.log()
    assert log["totals"]["status"] == kinds.count("status") + sum(1 for f in slow if f and f.kind == "status")
    assert log["fired"][-1]["method"] == "GET"


def test_burst_fires_on_the_next_matching_requests():
    faults = Faults()
    faults.add(kind="rate_limit", rate=0.01, seed=5, burst=4)
    fired = [faults.take("GET", "/x", None) is not None for _ in range(3000)]
    runs, run = [], 0
    for hit in fired + [False]:
        if hit:
            run += 1
        elif run:
            runs.append(run)
            run = 0
    assert runs and all(r % 4 == 0 for r in runs)      # whole bursts of 4 (two may touch)


def test_invalid_rules_are_refused(admin):
    for spec in ({"kind": "status", "rate": 0}, {"kind": "status", "rate": 1.5}, {"kind": "nope"},
                 {"kind": "lose_response", "mode": "sometimes"}):
        with pytest.raises(RuntimeError, match="400"):
            admin.post("/faults", spec)


def test_rate_limit_bursts_over_http_look_like_xero(api, admin):
    rule = admin.fault("rate_limit", rate=1, burst=3, count=3, retry_after=2, problem="minute")
    assert rule["remaining"] == 3 and rule["burst"] == 3
    answers = [api.get("/Organisation") for _ in range(4)]
    assert [r.status_code for r in answers] == [429, 429, 429, 200]
    assert answers[0].headers["Retry-After"] == "2" and answers[0].headers["X-Rate-Limit-Problem"] == "minute"
    log = admin.get("/faults/log")
    assert log["totals"] == {"rate_limit": 3}
    assert [e["path"] for e in log["fired"]] == ["/api.xro/2.0/Organisation"] * 3


def test_random_5xx_and_lost_responses_over_http(api, admin):
    cid = api.put("/Contacts", {"Contacts": [{"Name": "Chaos Co"}]}).json()["Contacts"][0]["ContactID"]
    admin.fault("status", status=503, rate=0.3, seed=11, method="PUT", path="/Invoices")
    admin.fault("lose_response", rate=0.3, seed=12, mode="504", method="PUT", path="/Invoices")
    statuses = []
    for n in range(40):
        statuses.append(api.put("/Invoices", {"Invoices": [{
            "Type": "ACCPAY", "Contact": {"ContactID": cid}, "Reference": "R-%d" % n,
            "LineItems": [{"Description": "x", "Quantity": 1, "UnitAmount": 5, "AccountCode": "300"}]}]}).status_code)
    bills = [i for i in admin.records("invoice", ORG_A) if i["Type"] == "ACCPAY"]
    assert statuses.count(503) > 3 and statuses.count(504) > 3 and statuses.count(200) > 3
    # a 503 applied nothing, a lost response (504 here) was applied
    assert len(bills) == statuses.count(200) + statuses.count(504)
    assert sorted(admin.get("/faults/log")["totals"]) == ["lose_response", "status"]
    rules = admin.get("/faults")
    admin.delete("/faults/%d" % rules[0]["id"])
    assert [r["id"] for r in admin.get("/faults")] == [rules[1]["id"]]


def test_a_held_slow_request_shows_in_the_log_before_it_is_answered(api, admin, harness):
    import threading
    admin.fault("slow", delay=0.8, method="GET", path="/Organisation")
    done = []
    thread = threading.Thread(target=lambda: done.append(api.get("/Organisation").status_code))
    thread.start()
    deadline = time.time() + 5
    while not admin.get("/faults/log")["fired"] and time.time() < deadline:
        time.sleep(0.02)
    assert admin.get("/faults/log")["fired"][0]["kind"] == "slow" and not done  # held, not answered
    thread.join()
    assert done == [200]


def test_tokens_expire_periodically(api, admin, harness, token):
    assert api.get("/Organisation").status_code == 200
    state = admin.post("/tokens/expire-every", {"every": 0.4})
    assert state["every"] == 0.4
    time.sleep(1.0)
    answer = api.get("/Organisation")
    assert answer.status_code == 401 and "TokenExpired" in answer.json()["Detail"]
    fresh = requests.post(harness.url + "/identity/connect/token", timeout=30, data={
        "grant_type": "refresh_token", "refresh_token": token["refresh_token"],
        "client_id": "test-client", "client_secret": "test-secret"}).json()
    api.token = fresh
    assert api.get("/Organisation").status_code == 200   # a refreshed token works until the next round
    assert admin.get("/tokens/expire-every")["rounds"] >= 2
    admin.post("/tokens/expire-every", {"every": None})
    rounds = admin.get("/tokens/expire-every")["rounds"]
    time.sleep(0.6)
    assert admin.get("/tokens/expire-every")["rounds"] == rounds   # stopped


def test_token_expiry_period_is_in_simulated_time():
    from harness.clock import Clock
    from harness.faults import TokenExpiry

    class Identity:
        calls = 0

        def expire_tokens(self, client_id=None):
            Identity.calls += 1
            return 1
    expiry = TokenExpiry(Identity(), Clock(scale=600))   # 5 simulated minutes = 0.5 s
    expiry.configure(every=300)
    time.sleep(1.25)
    expiry.stop()
    assert 2 <= Identity.calls <= 3 and expiry.describe()["expired"] == Identity.calls
