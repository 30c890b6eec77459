"""The request budget of the parent organization (spec section 8.3).

One fixed one-minute window shared by every key (the real budget is per parent organization,
and the emulator is one parent organization). Tests may shorten the window (``rate_window_s``)
so that several windows pass in seconds; the budget then applies per window of that length.
Every window's allowed and rejected requests are counted, so a test can check that the clients
sharing the budget never asked for more than it holds. The remote-session endpoints also draw on a
secondary budget: a token bucket refilled at ``remote_sessions_rpm / 60`` per second that holds
up to ten seconds' worth, so short bursts pass and a client that waits the ``retry-after: 1`` the
real service always sends finds tokens again.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from .timeutil import iso_z

WINDOW_S = 60
UNLIMITED_RPM = 1_000_000
"""The limit announced when rate limiting is off (``--rpm 0``): the headers still come with
every authenticated response, as the spec says, and never hold a client back."""


@dataclass(frozen=True)
class Decision:
    """The outcome of taking one unit from the shared budget."""

    allowed: bool
    limit: int
    remaining: int
    reset_at: float
    """Epoch seconds when the window refills."""
    retry_after: int

    def headers(self) -> dict[str, str]:
        """The ``anthropic-ratelimit-requests-*`` headers (sent on every authenticated
        response, with a large limit when rate limiting is off)."""
        return {
            "anthropic-ratelimit-requests-limit": str(self.limit),
            "anthropic-ratelimit-requests-remaining": str(self.remaining),
            "anthropic-ratelimit-requests-reset": iso_z(int(self.reset_at) * 1_000_000),
        }


class RateLimiter:
    """Counts requests per fixed window; thread-safe."""

    def __init__(
        self,
        rpm: int,
        remote_rpm: int,
        clock: Callable[[], float] = time.time,
        window_s: int = WINDOW_S,
    ) -> None:
        self.rpm = rpm
        self.window_s = window_s
        self.remote_per_second = remote_rpm / 60 if remote_rpm > 0 else 0.0
        self.remote_capacity = max(1.0, self.remote_per_second * 10)
        self.clock = clock
        self._lock = threading.Lock()
        self._window = -1
        self._used = 0
        self._remote_tokens = self.remote_capacity
        self._remote_checked = clock()
        self._history: dict[int, list[int]] = {}

    def take(self) -> Decision:
        """Take one unit of the shared budget (or learn that there is none left)."""
        now = self.clock()
        window = int(now // self.window_s)
        reset_at = float((window + 1) * self.window_s)
        limit = self.rpm if self.rpm > 0 else UNLIMITED_RPM
        with self._lock:
            if window != self._window:
                self._window, self._used = window, 0
                self._forget_old_windows(window)
            counts = self._history.setdefault(window, [0, 0])
            if self.rpm > 0 and self._used >= self.rpm:
                counts[1] += 1
                retry_after = max(1, math.ceil(reset_at - now))
                return Decision(False, self.rpm, 0, reset_at, retry_after)
            self._used += 1
            counts[0] += 1
            return Decision(True, limit, max(0, limit - self._used), reset_at, 0)

    def _forget_old_windows(self, current: int) -> None:
        """Keep an hour's worth of windows (of the configured length) for ``windows()``."""
        keep = max(60, 3600 // self.window_s)
        for window in [w for w in self._history if w <= current - keep]:
            del self._history[window]

    def windows(self) -> list[dict[str, int]]:
        """Requests allowed and rejected in each recent window, oldest first.

        ``start`` is the window's start in epoch seconds.
        """
        with self._lock:
            return [
                {"start": window * self.window_s, "allowed": allowed, "rejected": rejected}
                for window, (allowed, rejected) in sorted(self._history.items())
            ]

    def take_remote(self) -> bool:
        """Take one unit of the remote-session budget; False means 429 with retry-after 1."""
        if self.remote_per_second <= 0:
            return True
        now = self.clock()
        with self._lock:
            elapsed = max(0.0, now - self._remote_checked)
            self._remote_checked = now
            refilled = self._remote_tokens + elapsed * self.remote_per_second
            self._remote_tokens = min(self.remote_capacity, refilled)
            if self._remote_tokens < 1:
                return False
            self._remote_tokens -= 1
            return True

    def reset(self) -> None:
        """Forget all usage (control API), so a test starts with a full budget."""
        with self._lock:
            self._window, self._used = -1, 0
            self._history.clear()
            self._remote_tokens = self.remote_capacity
