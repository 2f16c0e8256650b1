"""Xero's rate limits, per app and tenant: 5 concurrent calls, 60 per minute, 5,000 per day,
and 10,000 per minute per app across tenants. Windows slide in simulated time.

Every tenant response carries X-DayLimit-Remaining / X-MinLimit-Remaining /
X-AppMinLimit-Remaining; a refused call gets 429 with Retry-After and X-Rate-Limit-Problem.
Under ``--time-scale N`` Retry-After is given in real seconds (rounded up), so a client that
obeys it waits the right wall-clock time.
"""

import math
import threading
from collections import defaultdict, deque

MINUTE = 60.0
DAY = 86400.0


class RateLimited(Exception):
    def __init__(self, problem, retry_after, headers):
        super().__init__(problem)
        self.problem, self.retry_after, self.headers = problem, retry_after, headers


class Limits:
    def __init__(self, clock, enabled=True, concurrent=5, minute=60, day=5000, app_minute=10000):
        self.clock = clock
        self.enabled = enabled
        self.concurrent, self.minute, self.day, self.app_minute = concurrent, minute, day, app_minute
        self._lock = threading.Lock()
        self._minute = defaultdict(deque)   # (client, tenant) -> call times
        self._day = defaultdict(deque)
        self._app = defaultdict(deque)      # client -> call times
        self._running = defaultdict(int)

    def configure(self, **settings):
        with self._lock:
            for key in ("enabled", "concurrent", "minute", "day", "app_minute"):
                if key in settings and settings[key] is not None:
                    setattr(self, key, type(getattr(self, key))(settings[key]))

    def reset(self):
        with self._lock:
            self._minute.clear()
            self._day.clear()
            self._app.clear()
            self._running.clear()

    @staticmethod
    def _trim(times, now, span):
        while times and times[0] <= now - span:
            times.popleft()

    def _headers(self, key, client):
        return {
            "X-DayLimit-Remaining": str(max(0, self.day - len(self._day[key]))),
            "X-MinLimit-Remaining": str(max(0, self.minute - len(self._minute[key]))),
            "X-AppMinLimit-Remaining": str(max(0, self.app_minute - len(self._app[client]))),
        }

    def acquire(self, client, tenant):
        """Count one call; -> headers for the response. Raises RateLimited (nothing counted)."""
        now = self.clock.now()
        key = (client, tenant)
        with self._lock:
            minute, day, app = self._minute[key], self._day[key], self._app[client]
            self._trim(minute, now, MINUTE)
            self._trim(day, now, DAY)
            self._trim(app, now, MINUTE)
            if self.enabled:
                problem = wait = None
                if self._running[key] >= self.concurrent:
                    problem, wait = "concurrent", 1.0
                elif len(day) >= self.day:
                    problem, wait = "day", day[0] + DAY - now
                elif len(app) >= self.app_minute:
                    problem, wait = "appminute", app[0] + MINUTE - now
                elif len(minute) >= self.minute:
                    problem, wait = "minute", minute[0] + MINUTE - now
                if problem:
                    real = self.clock.to_real(max(wait, 0.0)) if problem != "concurrent" else 1.0
                    headers = self._headers(key, client)
                    raise RateLimited(problem, max(1, math.ceil(real)), headers)
            minute.append(now)
            day.append(now)
            app.append(now)
            self._running[key] += 1
            return self._headers(key, client)

    def release(self, client, tenant):
        with self._lock:
            key = (client, tenant)
            self._running[key] = max(0, self._running[key] - 1)

    def snapshot(self):
        with self._lock:
            return {"enabled": self.enabled, "concurrent": self.concurrent, "minute": self.minute,
                    "day": self.day, "app_minute": self.app_minute,
                    "used": {"%s/%s" % k: {"minute": len(v), "day": len(self._day[k])}
                             for k, v in self._minute.items()}}
