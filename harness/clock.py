"""Simulated time.

Everything time-based in the harness (token lifetimes, rate-limit windows, webhook retries,
UpdatedDateUTC) reads this clock. ``scale`` makes simulated time run N x faster than real
time so that a benchmark "minute" takes seconds; ``advance`` jumps ahead for tests.
"""

import threading
import time


class Clock:
    def __init__(self, scale=1.0):
        if scale <= 0:
            raise ValueError("time scale must be > 0")
        self.scale = float(scale)
        self._lock = threading.Lock()
        self._real_start = time.monotonic()
        self._sim_start = time.time()
        self._offset = 0.0

    def now(self):
        """Simulated UNIX time, in seconds."""
        elapsed = time.monotonic() - self._real_start
        return self._sim_start + elapsed * self.scale + self._offset

    def advance(self, seconds):
        with self._lock:
            self._offset += float(seconds)

    def to_real(self, sim_seconds):
        """How many real seconds a span of simulated seconds lasts."""
        return sim_seconds / self.scale

    def sleep(self, sim_seconds):
        time.sleep(max(0.0, self.to_real(sim_seconds)))
