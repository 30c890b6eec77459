"""When to try a request again, and how long to wait first (no I/O here).

Retried: connection errors, timeouts, and statuses 408, 429, 500, 502, 503, 504, 529 — unless the
server says ``x-should-retry: false`` (or forces a retry with ``true``). The wait honours
``retry-after`` (capped at `MAX_RETRY_AFTER` seconds), otherwise grows exponentially from
`INITIAL_BACKOFF` with jitter, capped at `MAX_BACKOFF`.
"""

from __future__ import annotations

import random
from collections.abc import Mapping

from ._errors import parse_retry_after

__all__ = ["RETRYABLE_STATUSES", "RetryPolicy"]

RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504, 529})
INITIAL_BACKOFF = 0.5
MAX_BACKOFF = 8.0
MAX_RETRY_AFTER = 60.0


class RetryPolicy:
    """Decides whether attempt ``n`` (0-based) may be followed by another, and after what wait.

    Attributes:
        max_retries: How many retries follow the first attempt (0 disables retrying).
    """

    def __init__(self, max_retries: int, *, rng: random.Random | None = None) -> None:
        if max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        self.max_retries = max_retries
        self._rng = rng or random.Random()

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with full jitter over the upper half of the interval."""
        ceiling = min(MAX_BACKOFF, INITIAL_BACKOFF * 2.0**attempt)
        jitter: float = self._rng.random()
        return ceiling * (0.5 + jitter / 2)

    def after_status(self, attempt: int, status: int, headers: Mapping[str, str]) -> float | None:
        """Seconds to wait before retrying a response, or ``None`` not to retry."""
        if attempt >= self.max_retries:
            return None
        should = headers.get("x-should-retry", "").lower()
        if should == "false":
            return None
        if should != "true" and status not in RETRYABLE_STATUSES:
            return None
        retry_after = self.retry_after(headers)
        return retry_after if retry_after is not None else self.backoff(attempt)

    @staticmethod
    def retry_after(headers: Mapping[str, str]) -> float | None:
        """The server's ``retry-after`` in seconds (capped at `MAX_RETRY_AFTER`), if it sent one."""
        retry_after = parse_retry_after(headers.get("retry-after"))
        return None if retry_after is None else min(retry_after, MAX_RETRY_AFTER)

    def after_exception(self, attempt: int) -> float | None:
        """Seconds to wait before retrying after a transport failure, or ``None``."""
        if attempt >= self.max_retries:
            return None
        return self.backoff(attempt)
