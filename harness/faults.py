"""Faults on demand, for testing a client's resilience.

A fault rule says what the next ``count`` matching requests get:
- ``status``: answer 500 / 503 / 502 (or any code) without touching state;
- ``rate_limit``: 429 with Retry-After (``retry_after`` seconds) and X-Rate-Limit-Problem;
- ``timeout``: hold the request ``delay`` seconds (past the client's timeout), then 504;
- ``lose_response``: APPLY the request, then drop the connection ("reset": no response at
  all) or answer 504 ("504") — the case that only an Idempotency-Key makes safe;
- ``slow``: apply normally after ``delay`` seconds.
Rules match on method, a path regular expression and tenant; the first live rule wins.
"""

import re
import threading
import itertools

KINDS = ("status", "rate_limit", "timeout", "lose_response", "slow")


class Fault:
    _ids = itertools.count(1)

    def __init__(self, kind, count=1, status=500, delay=0.0, retry_after=1, mode="reset",
                 method=None, path=None, tenant=None, problem="minute"):
        if kind not in KINDS:
            raise ValueError("kind must be one of %s" % ", ".join(KINDS))
        self.id = next(self._ids)
        self.kind, self.count = kind, int(count)
        self.status, self.delay, self.retry_after = int(status), float(delay), int(retry_after)
        self.mode, self.problem = mode, problem
        self.method = method.upper() if method else None
        self.path = re.compile(path, re.I) if path else None
        self.tenant = tenant.lower() if tenant else None
        self.fired = 0

    def matches(self, method, path, tenant):
        return (self.count > 0 and (self.method is None or self.method == method)
                and (self.path is None or self.path.search(path))
                and (self.tenant is None or self.tenant == (tenant or "").lower()))

    def describe(self):
        return {"id": self.id, "kind": self.kind, "remaining": self.count, "fired": self.fired,
                "status": self.status, "delay": self.delay, "mode": self.mode,
                "method": self.method, "path": self.path.pattern if self.path else None,
                "tenant": self.tenant}


class Faults:
    def __init__(self):
        self._lock = threading.Lock()
        self._rules = []

    def add(self, **spec):
        fault = Fault(**spec)
        with self._lock:
            self._rules.append(fault)
        return fault

    def clear(self):
        with self._lock:
            self._rules.clear()

    def take(self, method, path, tenant):
        """The fault this request gets (consuming one of its count), or None."""
        with self._lock:
            for fault in self._rules:
                if fault.matches(method, path, tenant):
                    fault.count -= 1
                    fault.fired += 1
                    if fault.count <= 0:
                        self._rules.remove(fault)
                    return fault
        return None

    def describe(self):
        with self._lock:
            return [f.describe() for f in self._rules]
