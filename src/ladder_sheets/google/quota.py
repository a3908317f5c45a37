"""Staying under Google's quotas: per-minute windows for the Sheets API, and retries with backoff.

Sheets API quotas (https://developers.google.com/sheets/api/limits): 60 read and 60 write
requests per minute per user per project, 300 of each per minute per project, "refilled
every minute"; over them Google answers 429 and "after 1 minute, you can execute requests
again". Reads and writes are counted separately. Drive's per-minute quota is far larger
(12,000 queries per minute), so Drive calls are not paced here, only retried.

Google's 429s usually carry no Retry-After, so the backoff alone must be able to outlast a
full 60 s window: ``RetryPolicy`` uses "equal jitter" (half the exponential step is fixed,
half random), so 8 attempts wait at least 0.5+1+...+32 = 63.5 s in total. When Google does
send Retry-After it is honoured.

Clock and sleep are injectable, so tests of one-minute windows run in milliseconds.
"""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

Clock = Callable[[], float]
Sleep = Callable[[float], None]

SHEETS_PER_USER = 60  # requests per minute per user per project, each of read and write
SHEETS_PER_PROJECT = 300  # requests per minute per project, each of read and write
WINDOW = 60.0


class Window:
    """At most ``limit`` starts in any ``period`` seconds (a sliding log; 0 means unlimited)."""

    def __init__(self, limit: float, period: float = WINDOW) -> None:
        self.limit = int(limit)
        self.period = period
        self._starts: deque[float] = deque()

    def delay(self, now: float) -> float:
        """Seconds to wait before one more start fits; records the start when it is 0."""
        if self.limit <= 0:
            return 0.0
        while self._starts and self._starts[0] <= now - self.period:
            self._starts.popleft()
        if len(self._starts) < self.limit:
            self._starts.append(now)
            return 0.0
        return self._starts[0] + self.period - now

    def saturate(self, now: float) -> None:
        """Google said 429: treat the window as full from now on, so the pacer holds back too."""
        if self.limit > 0:
            self._starts = deque([now] * self.limit)


class SheetsQuota:
    """Paces Sheets API calls: one window for reads and one for writes, each at the tighter of the
    per-user and per-project limits (one process acts as one user of one project). By default a
    little under the per-user limit: Google's minute and this process's need not start together."""

    def __init__(self, per_minute: float = SHEETS_PER_USER - 5, *, per_project: float = SHEETS_PER_PROJECT,
                 period: float = WINDOW, clock: Clock = time.monotonic, sleep: Sleep = time.sleep) -> None:
        limit = min(per_minute, per_project) if per_minute > 0 else 0
        self.windows = {"read": Window(limit, period), "write": Window(limit, period)}
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()
        self.waited = 0.0  # total seconds spent waiting for quota, for reports and benchmarks

    def acquire(self, kind: str) -> None:
        """Block until one more ``kind`` ("read" or "write") request fits in its window."""
        window = self.windows[kind]
        while True:
            with self._lock:
                delay = window.delay(self._clock())
            if delay <= 0:
                return
            self.waited += delay
            self._sleep(delay)

    def exceeded(self, kind: str) -> None:
        with self._lock:
            self.windows[kind].saturate(self._clock())


@dataclass
class RetryPolicy:
    attempts: int = 8
    base: float = 1.0  # seconds; doubles each attempt
    cap: float = 64.0
    sleep: Sleep = time.sleep
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, attempt: int, retry_after: str | None) -> float:
        """Retry-After when the server gives one (seconds form), else equal jitter under the cap."""
        if retry_after and retry_after.strip().isdigit():
            return min(float(retry_after), self.cap)
        step = min(self.cap, self.base * 2.0**attempt)
        return step / 2 + self.rng.uniform(0, step / 2)
