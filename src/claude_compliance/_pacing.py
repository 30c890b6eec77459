"""Client-side pacing from the server's rate-limit headers.

The Compliance API allows a fixed budget per parent organisation (600 requests a minute) and
reports it on every response (``anthropic-ratelimit-requests-remaining`` / ``-reset``). One
[`RateLimitPacer`][claude_compliance.RateLimitPacer] is shared by a client, its
``with_options`` copies and every concurrent request among them: it counts requests as they
leave, and once the budget it knows of is spent it holds new requests until the window resets,
so bulk work uses the whole budget without running into 429s. Requests still in flight when a
count arrives are subtracted from it: the server may not have counted them yet, and sending into
that gap is what causes 429s under concurrency.

Other processes on the machine spend the same budget: unless told otherwise the pacer also draws
on the machine-wide budget of `claude_compliance._budget` (opened on the first request), and
falls back to pacing alone when that is unavailable.

Long jobs say what they wait for: a pacer's ``on_wait`` observer hears of every hold (and every
429 pause) with its length, and [`RateLimitWaits`][claude_compliance.RateLimitWaits] turns those
into the wall-clock time the job spent waiting (concurrent holds for the same window count once).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Mapping
from datetime import datetime

from ._budget import RateBudget, SharedBudget, open_shared_budget

__all__ = ["RateLimitPacer", "RateLimitWaits", "WaitObserver"]

logger = logging.getLogger("claude_compliance.budget")

WaitObserver = Callable[[float], None]
"""Called with the seconds a request is about to be held for the rate-limit window."""


def _parse_reset(value: str | None, now: float) -> float | None:
    """Turn ``-reset`` (RFC 3339, or seconds as some gateways send) into a monotonic deadline."""
    if not value:
        return None
    try:
        wall = datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        try:
            return now + max(0.0, float(value))
        except ValueError:
            return None
    return now + max(0.0, wall - time.time())


class RateLimitPacer:
    """Shared, thread-safe knowledge of the remaining request budget.

    Attributes:
        limit: The window's budget as last reported, or ``None`` before the first response.
        remaining: Requests the pacer believes are left in the current window.
        waited: Total seconds requests were held back (for diagnostics and benchmarks;
            concurrent holds add up, so this can exceed the wall-clock time).
        on_wait: Told the length of every hold for the rate-limit window and of every pause
            a 429 imposes, before the wait starts (progress displays, summaries).
    """

    def __init__(
        self,
        *,
        enabled: bool = True,
        origin: str | None = None,
        budget: RateBudget | None = None,
    ) -> None:
        self.enabled = enabled
        self.budget = budget or RateBudget(shared=False)
        self._origin = origin
        self._shared: SharedBudget | None = None
        self._shared_opened = origin is None or not self.budget.shared
        self.limit: int | None = None
        self.remaining: int | None = None
        self.waited = 0.0
        self.in_flight = 0
        self.on_wait: WaitObserver | None = None
        self._reset_at: float | None = None
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Reserve one request; return how long the caller must wait before sending it.

        A zero means the request may go now and counts as in flight until :meth:`observe` (its
        response) or :meth:`release` (no response) is called for it.
        """
        if not self.enabled:
            return 0.0
        delay = self._hold()
        if delay > 0 and self.on_wait is not None:
            self.on_wait(delay)
        return delay

    def _hold(self) -> float:
        shared = self.shared
        if shared is not None:
            try:
                delay = shared.acquire()
            except (sqlite3.Error, OSError) as error:
                self._drop_shared(error)
            else:
                with self._lock:
                    if delay > 0:
                        self.waited += delay
                    else:
                        self.in_flight += 1
                return delay
        with self._lock:
            now = time.monotonic()
            if self._reset_at is not None and now >= self._reset_at:
                # The window has rolled over: the next response will tell us the new budget.
                self.remaining, self._reset_at = None, None
            if self.remaining is None:
                self.in_flight += 1
                return 0.0
            if self.remaining > 0:
                self.remaining -= 1
                self.in_flight += 1
                return 0.0
            delay = (self._reset_at - now) if self._reset_at is not None else 1.0
            # Later requests queue behind this one instead of all waking at the same instant.
            self.waited += delay
            return max(0.0, delay)

    @property
    def shared(self) -> SharedBudget | None:
        """The machine-wide budget this pacer draws on, if any (opened on first use)."""
        if not self._shared_opened:
            with self._lock:
                if not self._shared_opened:
                    assert self._origin is not None
                    self._shared = open_shared_budget(self._origin, self.budget)
                    self._shared_opened = True
        return self._shared

    def _drop_shared(self, error: Exception) -> None:
        logger.warning("the shared rate budget failed (%s); pacing this client alone", error)
        shared, self._shared = self._shared, None
        if shared is not None:
            shared.close()

    def close(self) -> None:
        """Leave the machine-wide budget (this job's spent requests stay counted)."""
        shared, self._shared = self._shared, None
        self._shared_opened = True
        if shared is not None:
            shared.close()

    def release(self) -> None:
        """A request granted by :meth:`acquire` ended without a response."""
        with self._lock:
            self.in_flight = max(0, self.in_flight - 1)

    def observe(self, headers: Mapping[str, str]) -> None:
        """Learn the budget from a response's ``anthropic-ratelimit-requests-*`` headers."""
        with self._lock:
            # The server counted this request; the others still in flight it may not have yet.
            others = max(0, self.in_flight - 1)
            self.in_flight = max(0, self.in_flight - 1)
        remaining = headers.get("anthropic-ratelimit-requests-remaining")
        limit = headers.get("anthropic-ratelimit-requests-limit")
        now = time.monotonic()
        reset_at = _parse_reset(headers.get("anthropic-ratelimit-requests-reset"), now)
        self._tell_shared(limit, remaining, reset_at, now)
        if remaining is None:
            return
        try:
            left = int(remaining) - others
        except ValueError:
            return
        with self._lock:
            if limit is not None and limit.isdigit():
                self.limit = int(limit)
            new_window = reset_at is not None and (
                self._reset_at is None or reset_at > self._reset_at + 0.5
            )
            if new_window:
                self._reset_at = reset_at
                self.remaining = max(0, left)
            elif self.remaining is None or left < self.remaining:
                # Responses arrive out of order under concurrency: trust the smallest count.
                self.remaining = max(0, left)

    def _tell_shared(
        self, limit: str | None, remaining: str | None, reset_at: float | None, now: float
    ) -> None:
        shared = self._shared
        if shared is None:
            return
        try:
            if limit and limit.isdigit() and remaining and remaining.isdigit() and reset_at:
                shared.observe(int(limit), int(remaining), time.time() + (reset_at - now))
            else:
                shared.answered()
        except (sqlite3.Error, OSError) as error:
            self._drop_shared(error)

    def exhausted_until(self, retry_after: float) -> None:
        """Record a 429: nothing more may go out for ``retry_after`` seconds."""
        shared = self._shared
        if shared is not None:
            try:
                shared.exhausted_until(time.time() + retry_after)
            except (sqlite3.Error, OSError) as error:
                self._drop_shared(error)
        with self._lock:
            self.remaining = 0
            self._reset_at = time.monotonic() + retry_after
        if self.on_wait is not None:
            self.on_wait(retry_after)


class RateLimitWaits:
    """The wall-clock time a job spent waiting for the rate-limit window.

    Use an instance as a pacer's ``on_wait`` observer. Holds that overlap (eight concurrent
    requests held for the same window) count once; a wait cut short (the job was stopped)
    counts only up to now.

    Args:
        on_start: Told the length of each new wait (one that does not overlap the current
            one), to show it ("waiting 12 s for the rate-limit window").
    """

    def __init__(self, on_start: WaitObserver | None = None) -> None:
        self.on_start = on_start
        self.count = 0
        self._closed = 0.0
        self._start = self._end = 0.0
        self._lock = threading.Lock()

    def __call__(self, delay: float) -> None:
        now = time.monotonic()
        end = now + max(0.0, delay)
        with self._lock:
            fresh = now >= self._end
            if fresh:
                self._closed += self._end - self._start
                self._start, self._end = now, end
                self.count += 1
            else:
                self._end = max(self._end, end)
        if fresh and self.on_start is not None:
            self.on_start(delay)

    @property
    def seconds(self) -> float:
        """Seconds spent waiting so far (the current wait up to now)."""
        now = time.monotonic()
        with self._lock:
            return self._closed + max(0.0, min(now, self._end) - self._start)

    @property
    def left(self) -> float:
        """Seconds left in the current wait (zero when none is under way)."""
        with self._lock:
            return max(0.0, self._end - time.monotonic())
