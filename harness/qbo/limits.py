"""QBO's throttles (developer.intuit.com limits-and-throttles; qbo-facts "Limits"): 500 requests
per minute per realm, 10 per second per realm and app, 40 batch requests per minute per realm.
Over one: 429 with the XML ThrottleExceeded fault (app.py), whatever the client asked for.
Windows slide in simulated time (``--time-scale``). Nothing counts a refused request.
"""

import threading
from collections import defaultdict, deque


class Throttled(Exception):
    def __init__(self, problem):
        super().__init__(problem)
        self.problem = problem


class Limits:
    def __init__(self, clock, enabled=True, minute=500, second=10, batch_minute=40):
        self.clock, self.enabled = clock, enabled
        self.minute, self.second, self.batch_minute = minute, second, batch_minute
        self._lock = threading.Lock()
        self._minute = defaultdict(deque)   # realm -> times
        self._second = defaultdict(deque)   # (client, realm) -> times
        self._batch = defaultdict(deque)    # realm -> times

    def configure(self, **settings):
        with self._lock:
            for key in ("enabled", "minute", "second", "batch_minute"):
                if settings.get(key) is not None:
                    setattr(self, key, type(getattr(self, key))(settings[key]))

    def reset(self):
        with self._lock:
            self._minute.clear()
            self._second.clear()
            self._batch.clear()

    @staticmethod
    def _trim(times, now, span):
        while times and times[0] <= now - span:
            times.popleft()

    def acquire(self, client, realm, batch=False):
        now = self.clock.now()
        with self._lock:
            minute, second, batches = self._minute[realm], self._second[(client, realm)], self._batch[realm]
            self._trim(minute, now, 60.0)
            self._trim(second, now, 1.0)
            self._trim(batches, now, 60.0)
            if self.enabled:
                if len(second) >= self.second:
                    raise Throttled("second")
                if len(minute) >= self.minute:
                    raise Throttled("minute")
                if batch and len(batches) >= self.batch_minute:
                    raise Throttled("batch")
            minute.append(now)
            second.append(now)
            if batch:
                batches.append(now)

    def snapshot(self):
        with self._lock:
            return {"enabled": self.enabled, "minute": self.minute, "second": self.second,
                    "batch_minute": self.batch_minute,
                    "used": {realm: len(times) for realm, times in self._minute.items()}}
