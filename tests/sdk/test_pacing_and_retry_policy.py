"""The pacing and retry decisions themselves (no I/O), at the edges HTTP tests cannot time well."""

from __future__ import annotations

import random
import threading
from datetime import UTC, datetime, timedelta

import pytest

from claude_compliance import RateLimitPacer
from claude_compliance._retry import MAX_BACKOFF, MAX_RETRY_AFTER, RetryPolicy


def headers(remaining: int, reset_in: float, limit: int = 600) -> dict[str, str]:
    reset = datetime.now(UTC) + timedelta(seconds=reset_in)
    return {
        "anthropic-ratelimit-requests-limit": str(limit),
        "anthropic-ratelimit-requests-remaining": str(remaining),
        "anthropic-ratelimit-requests-reset": reset.isoformat().replace("+00:00", "Z"),
    }


def test_unknown_budget_never_holds_requests() -> None:
    pacer = RateLimitPacer()
    assert [pacer.acquire() for _ in range(1000)] == [0.0] * 1000


def test_budget_is_counted_down_then_held_until_reset() -> None:
    pacer = RateLimitPacer()
    pacer.observe(headers(remaining=3, reset_in=30))
    assert pacer.limit == 600
    assert [pacer.acquire() for _ in range(3)] == [0.0, 0.0, 0.0]
    delay = pacer.acquire()
    assert 29 < delay <= 30
    assert pacer.waited >= delay


def test_new_window_restores_the_budget() -> None:
    pacer = RateLimitPacer()
    pacer.observe(headers(remaining=0, reset_in=10))
    assert pacer.acquire() > 9
    pacer.observe(headers(remaining=599, reset_in=70))
    assert pacer.acquire() == 0.0 and pacer.remaining == 598


def test_out_of_order_responses_trust_the_smallest_count() -> None:
    pacer = RateLimitPacer()
    pacer.observe(headers(remaining=10, reset_in=30))
    pacer.observe(headers(remaining=12, reset_in=30))  # a slower, older response
    assert pacer.remaining == 10


def test_window_rollover_forgets_the_old_count() -> None:
    pacer = RateLimitPacer()
    pacer.observe(headers(remaining=0, reset_in=-1))
    assert pacer.acquire() == 0.0 and pacer.remaining is None


def test_429_blocks_until_retry_after() -> None:
    pacer = RateLimitPacer()
    pacer.exhausted_until(2.0)
    assert 1.5 < pacer.acquire() <= 2.0


def test_disabled_pacer_and_odd_headers() -> None:
    pacer = RateLimitPacer(enabled=False)
    pacer.observe(headers(remaining=0, reset_in=30))
    assert pacer.acquire() == 0.0
    odd = RateLimitPacer()
    odd.observe({"anthropic-ratelimit-requests-remaining": "many"})
    odd.observe({})
    assert odd.remaining is None
    odd.observe(
        {"anthropic-ratelimit-requests-remaining": "1", "anthropic-ratelimit-requests-reset": "5"}
    )
    assert odd.acquire() == 0.0 and 4 < odd.acquire() <= 5
    no_reset = RateLimitPacer()
    no_reset.observe(
        {"anthropic-ratelimit-requests-remaining": "0", "anthropic-ratelimit-requests-reset": "?"}
    )
    assert no_reset.acquire() == 1.0  # spent, with no known reset: hold a second at a time


def test_pacer_is_thread_safe() -> None:
    pacer = RateLimitPacer()
    pacer.observe(headers(remaining=500, reset_in=60))
    granted = []

    def worker() -> None:
        granted.extend(d for d in (pacer.acquire() for _ in range(100)) if d == 0.0)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(granted) == 500  # never more than the budget, under contention


def test_retry_policy_decisions() -> None:
    policy = RetryPolicy(3, rng=random.Random(1))
    assert policy.after_status(0, 503, {}) is not None
    assert policy.after_status(0, 400, {}) is None
    assert policy.after_status(0, 404, {}) is None
    assert policy.after_status(0, 400, {"x-should-retry": "true"}) is not None
    assert policy.after_status(0, 503, {"x-should-retry": "false"}) is None
    assert policy.after_status(3, 503, {}) is None
    assert policy.after_status(0, 429, {"retry-after": "7"}) == 7
    assert policy.after_status(0, 429, {"retry-after": "3600"}) == MAX_RETRY_AFTER
    assert policy.after_status(0, 429, {"retry-after": "soon"}) is not None
    assert policy.after_exception(2) is not None and policy.after_exception(3) is None
    delays = [policy.backoff(n) for n in range(10)]
    assert all(0 < d <= MAX_BACKOFF for d in delays)
    assert delays[0] < delays[3]
    with pytest.raises(ValueError):
        RetryPolicy(-1)


def test_requests_in_flight_are_not_spent_twice() -> None:
    pacer = RateLimitPacer()
    for _ in range(4):
        assert pacer.acquire() == 0.0
    assert pacer.in_flight == 4
    # The first response says 10 are left; three requests it may not have counted are still out.
    pacer.observe(headers(remaining=10, reset_in=30))
    assert pacer.remaining == 7 and pacer.in_flight == 3
    pacer.release()  # one of them failed without a response
    assert pacer.in_flight == 2
    granted = sum(1 for _ in range(20) if pacer.acquire() == 0.0)
    assert granted == 7


def test_the_wait_observer_hears_every_hold_and_429_pause() -> None:
    from claude_compliance import RateLimitWaits

    started: list[float] = []
    waits = RateLimitWaits(on_start=started.append)
    pacer = RateLimitPacer()
    pacer.on_wait = waits
    pacer.observe(headers(remaining=0, reset_in=30))
    first, second = pacer.acquire(), pacer.acquire()  # two requests held for one window
    assert 29 < first <= 30 and 29 < second <= 30
    assert started == [first]  # the overlapping hold is the same wait
    assert waits.count == 1 and 29 < waits.left <= 30
    assert 0 <= waits.seconds < 1  # counted as it passes, not ahead
    pacer.exhausted_until(45)  # a 429 pushes the window out: still the same wait
    assert waits.count == 1 and 44 < waits.left <= 45


def test_waits_count_wall_clock_time_once_for_overlapping_holds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from claude_compliance import RateLimitWaits, _pacing

    clock = [100.0]
    monkeypatch.setattr(_pacing.time, "monotonic", lambda: clock[0])
    waits = RateLimitWaits()
    waits(10)  # 100..110
    clock[0] = 104
    waits(10)  # overlaps: 100..114
    clock[0] = 120
    waits(5)  # a new wait: 120..125
    clock[0] = 122
    assert waits.count == 2 and waits.seconds == pytest.approx(14 + 2)
    clock[0] = 200
    assert waits.seconds == pytest.approx(19) and waits.left == 0
