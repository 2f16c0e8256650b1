"""Faults on demand, for testing a client's resilience.

A fault rule says what matching requests get:
- ``status``: answer 500 / 503 / 502 (or any code) without touching state;
- ``rate_limit``: 429 with Retry-After (``retry_after`` seconds) and X-Rate-Limit-Problem;
- ``timeout``: hold the request ``delay`` seconds (past the client's timeout), then 504;
- ``lose_response``: APPLY the request, then drop the connection ("reset": no response at
  all) or answer 504 ("504") — the case that only an Idempotency-Key makes safe;
- ``slow``: apply normally after ``delay`` seconds.

Which requests: rules match on method, a path regular expression and tenant. A rule fires
for the next ``count`` matching requests (default 1) — or, with ``rate`` (0 < rate <= 1), on
a random fraction of them drawn from its own ``seed``-ed generator, so a run is repeatable
for the same sequence of requests; ``count`` then caps how many times it fires (default:
unbounded). ``burst`` (default 1): once a rule fires, it also fires for the next ``burst - 1``
matching requests (429 bursts, a 5xx storm). Rules are tried in order; a rate rule that does
not fire lets the next rule try, so "5 % 5xx, 2 % lost responses, 429 bursts" are three rules.

Every firing is remembered (``log``: the last 1,000, and totals per kind), so a test knows
that the harness is now holding a ``slow`` request, and a benchmark how much it injected.

``TokenExpiry`` expires every access token periodically (simulated seconds, so it follows
``--time-scale``): real Xero tokens live 30 minutes, and a client must also survive one that
expires early (clock skew, a revoked session), refreshing and carrying on.
"""

import itertools
import random
import re
import threading
import time
from collections import Counter, deque

KINDS = ("status", "rate_limit", "timeout", "lose_response", "slow")


class Fault:
    _ids = itertools.count(1)

    def __init__(self, kind, count=None, status=500, delay=0.0, retry_after=1, mode="reset",
                 method=None, path=None, tenant=None, problem="minute", rate=None, seed=0, burst=1):
        if kind not in KINDS:
            raise ValueError("kind must be one of %s" % ", ".join(KINDS))
        if rate is not None:
            rate = float(rate)
            if not 0 < rate <= 1:
                raise ValueError("rate must be in (0, 1]")
        if mode not in ("reset", "504"):
            raise ValueError("mode must be reset or 504")
        self.id = next(self._ids)
        self.kind, self.rate = kind, rate
        # without a rate a rule fires once unless told; with a rate, until removed unless told
        self.count = (1 if rate is None else None) if count is None else int(count)
        self.status, self.delay, self.retry_after = int(status), float(delay), int(retry_after)
        self.mode, self.problem = mode, problem
        self.burst = max(1, int(burst))
        self.seed = seed
        self._random = random.Random(seed)
        self._burst_left = 0
        self.method = method.upper() if method else None
        self.path = re.compile(path, re.I) if path else None
        self.tenant = tenant.lower() if tenant else None
        self.fired = 0
        self.seen = 0

    def matches(self, method, path, tenant):
        return ((self.count is None or self.count > 0) and (self.method is None or self.method == method)
                and (self.path is None or self.path.search(path))
                and (self.tenant is None or self.tenant == (tenant or "").lower()))

    def roll(self):
        """This matching request: does the rule fire? (called under the rules' lock)"""
        self.seen += 1
        if self._burst_left > 0:
            self._burst_left -= 1
            return True
        if self.rate is not None and self._random.random() >= self.rate:
            return False
        self._burst_left = self.burst - 1
        return True

    def exhausted(self):
        return self.count is not None and self.count <= 0

    def describe(self):
        return {"id": self.id, "kind": self.kind, "remaining": self.count, "fired": self.fired,
                "seen": self.seen, "rate": self.rate, "seed": self.seed, "burst": self.burst,
                "status": self.status, "delay": self.delay, "mode": self.mode,
                "retry_after": self.retry_after, "problem": self.problem,
                "method": self.method, "path": self.path.pattern if self.path else None,
                "tenant": self.tenant}


class Faults:
    def __init__(self):
        self._lock = threading.Lock()
        self._rules = []
        self._log = deque(maxlen=1000)
        self._totals = Counter()

    def add(self, **spec):
        fault = Fault(**spec)
        with self._lock:
            self._rules.append(fault)
        return fault

    def remove(self, fault_id):
        with self._lock:
            before = len(self._rules)
            self._rules = [f for f in self._rules if f.id != int(fault_id)]
            return before != len(self._rules)

    def clear(self):
        with self._lock:
            self._rules.clear()

    def take(self, method, path, tenant):
        """The fault this request gets (consuming one of its count), or None."""
        with self._lock:
            for fault in list(self._rules):
                if not fault.matches(method, path, tenant) or not fault.roll():
                    continue
                fault.fired += 1
                if fault.count is not None:
                    fault.count -= 1
                    if fault.count <= 0:
                        self._rules.remove(fault)
                self._totals[fault.kind] += 1
                self._log.append({"rule": fault.id, "kind": fault.kind, "method": method, "path": path,
                                  "tenant": tenant, "at": time.time()})
                return fault
        return None

    def describe(self):
        with self._lock:
            return [f.describe() for f in self._rules]

    def log(self):
        """-> {fired: the last 1,000 firings, oldest first, totals: {kind: n} since start}."""
        with self._lock:
            return {"fired": list(self._log), "totals": dict(self._totals)}


class TokenExpiry:
    """Expire every access token each ``every`` simulated seconds, from a background thread."""

    def __init__(self, identity, clock):
        self.identity, self.clock = identity, clock
        self.every = None
        self.client_id = None
        self.expired = 0
        self.rounds = 0
        self._stop = None
        self._lock = threading.Lock()

    def configure(self, every=None, client_id=None):
        with self._lock:
            if self._stop is not None:
                self._stop.set()
                self._stop = None
            self.every = float(every) if every else None
            self.client_id = client_id
            if self.every:
                if self.every <= 0:
                    raise ValueError("every must be > 0")
                self._stop = threading.Event()
                threading.Thread(target=self._run, args=(self._stop,), name="harness-token-expiry",
                                 daemon=True).start()
        return self.describe()

    def _run(self, stop):
        while not stop.wait(self.clock.to_real(self.every)):
            self.expired += self.identity.expire_tokens(self.client_id)
            self.rounds += 1

    def describe(self):
        return {"every": self.every, "client_id": self.client_id, "rounds": self.rounds, "expired": self.expired}

    def stop(self):
        self.configure(None)
