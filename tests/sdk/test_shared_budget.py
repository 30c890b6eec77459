"""The machine-wide request budget: several jobs, one window, priorities, leases, fallback.

Decisions are tested with a controlled clock over a real budget file (each `SharedBudget` is
what one process holds); the clients' use of it runs over loopback against the emulator with a
short rate window, so several windows pass in seconds.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from claude_compliance import AsyncComplianceClient, ComplianceClient, RateBudget, RateLimitPacer
from claude_compliance._budget import (
    CACHE_DIR_VARIABLE,
    EDGE_S,
    MAX_BLOCK,
    PROBE_S,
    SharedBudget,
    budget_path,
    cache_dir,
    format_window,
    open_shared_budget,
)
from claude_compliance.emulator.server import EmulatorServer

from ..support import FULL_KEY, control


class Clock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def job(tmp_path: Path, clock: Clock) -> Iterator[Callable[..., SharedBudget]]:
    """Open handles on one budget file, as separate processes would; closed after the test."""
    opened: list[SharedBudget] = []

    def open_job(**config: object) -> SharedBudget:
        budget = SharedBudget(tmp_path / "budget.sqlite3", RateBudget(**config), clock=clock)  # type: ignore[arg-type]
        opened.append(budget)
        return budget

    yield open_job
    for budget in opened:
        budget.close()


def grants(budget: SharedBudget, count: int) -> int:
    """How many of ``count`` requests are granted now."""
    return sum(1 for _ in range(count) if budget.acquire() == 0.0)


def window(budget: SharedBudget, clock: Clock, *, limit: int, remaining: int, end: float) -> None:
    budget.observe(limit, remaining, end)
    clock.now += 0.001


def test_jobs_share_one_window_and_bulk_leaves_headroom(
    job: Callable[..., SharedBudget], clock: Clock
) -> None:
    tail = job(job="tail")
    sync = job(job="sync", priority="bulk")
    end = clock.now + 30
    assert tail.acquire() == 0.0
    window(tail, clock, limit=100, remaining=99, end=end)
    # The bulk job stops at 90 of 100 requests, counting the tail's.
    assert grants(sync, 200) == 89
    wait = sync.acquire()
    assert 29 < wait <= 30.1
    # The tail may still use the rest, and no more.
    assert grants(tail, 50) == 10
    assert tail.acquire() > 29


def test_share_and_max_rpm_cap_a_job(job: Callable[..., SharedBudget], clock: Clock) -> None:
    half = job(job="export", priority="bulk", share=0.5)
    capped = job(job="retention", priority="bulk", max_rpm=12)
    assert half.acquire() == 0.0
    window(half, clock, limit=100, remaining=99, end=clock.now + 60)
    assert grants(capped, 50) == 12
    assert grants(half, 100) == 50 - 1 - 12  # the org reaches half its budget
    assert half.acquire() > 0


def test_requests_of_other_tools_count_against_the_budget(
    job: Callable[..., SharedBudget], clock: Clock
) -> None:
    sync = job(priority="bulk")
    assert grants(sync, 1) == 1
    sync.observe(100, 99, clock.now + 30)
    assert grants(sync, 9) == 9
    # The server counted 60: 50 came from somewhere else (another machine, another tool).
    for _ in range(9):
        sync.observe(100, 40, clock.now + 30)
    assert grants(sync, 100) == 30  # 90% of 100, minus the 60 spent
    assert sync.acquire() > 0


def test_one_request_finds_out_the_budget_before_the_others_go(
    job: Callable[..., SharedBudget], clock: Clock
) -> None:
    first, second = job(), job(priority="bulk")
    assert first.acquire() == 0.0
    assert 0 < second.acquire() < 0.1  # waits for the first answer
    clock.now += PROBE_S + 0.1  # the prober died: another request goes
    assert second.acquire() == 0.0
    assert 0 < first.acquire() < 0.1
    second.answered()  # a server announcing no budget: nobody waits any more
    assert grants(first, 100) == 100
    assert grants(second, 100) == 100


def _spent(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute("SELECT COALESCE(SUM(used), 0) FROM spend").fetchone()[0])


def test_a_busy_job_counts_requests_in_blocks_and_returns_what_it_did_not_send(
    job: Callable[..., SharedBudget], clock: Clock, tmp_path: Path
) -> None:
    busy, slow = job(priority="bulk"), job()
    path = tmp_path / "budget.sqlite3"
    assert grants(busy, 1) == 1
    window(busy, clock, limit=1000, remaining=999, end=clock.now + 50)
    assert grants(busy, 40) == 40
    assert 40 < _spent(path) <= 41 + MAX_BLOCK  # counted ahead, a block at a time
    for _ in range(5):  # one request every two seconds: never more counted than sent
        clock.now += 2
        before = _spent(path)
        assert grants(slow, 1) == 1
        assert _spent(path) == before + 1
    busy.close()
    assert _spent(path) == 46


def test_window_length_is_learned_and_counts_start_over(
    job: Callable[..., SharedBudget], clock: Clock
) -> None:
    sync = job(priority="bulk")
    start = clock.now
    assert grants(sync, 1) == 1
    window(sync, clock, limit=10, remaining=9, end=start + 5)
    assert grants(sync, 20) == 8
    clock.now = start + 5.1
    assert grants(sync, 1) == 1
    window(sync, clock, limit=10, remaining=9, end=start + 10)  # the server's next window
    assert grants(sync, 20) == 8
    clock.now = start + 10.1
    assert grants(sync, 20) == 9  # the window ending at +15: its length was learned
    shares = sync.window_shares()
    assert [round(end - start, 1) for end, _, _ in shares] == [5.0, 10.0]
    assert [sum(jobs.values()) for _, _, jobs in shares] == [9, 9]


def test_requests_at_a_window_edge_count_in_the_next_window_too(
    job: Callable[..., SharedBudget], clock: Clock
) -> None:
    tail = job()
    start = clock.now
    assert grants(tail, 1) == 1
    window(tail, clock, limit=10, remaining=9, end=start + 5)
    clock.now = start + 5 - EDGE_S / 2
    assert grants(tail, 3) == 3  # may reach the server after the boundary
    clock.now = start + 5.1
    window(tail, clock, limit=10, remaining=9, end=start + 10)
    assert grants(tail, 20) == 7


def test_news_of_the_next_window_just_after_the_boundary(
    job: Callable[..., SharedBudget], clock: Clock
) -> None:
    tail = job()
    start = clock.now
    assert grants(tail, 1) == 1
    window(tail, clock, limit=10, remaining=9, end=start + 5)
    clock.now = start + 5 - EDGE_S / 2
    assert grants(tail, 2) == 2
    clock.now = start + 5.01  # before this job's clock rolled the window
    tail.observe(10, 9, start + 10)
    assert grants(tail, 20) == 8  # the two edge requests count here, the window before not
    assert [sum(jobs.values()) for _, _, jobs in tail.window_shares()] == [3]


def test_a_429_holds_every_job_until_the_server_allows(
    job: Callable[..., SharedBudget], clock: Clock
) -> None:
    tail, sync = job(), job(priority="bulk")
    assert grants(sync, 1) == 1
    sync.exhausted_until(clock.now + 7)
    assert 6.9 < tail.acquire() <= 7
    clock.now += 7.01
    assert tail.acquire() == 0.0


def test_bulk_lets_a_waiting_interactive_job_go_first(
    job: Callable[..., SharedBudget], clock: Clock
) -> None:
    tail, sync = job(job="tail"), job(job="sync", priority="bulk")
    start = clock.now
    assert grants(tail, 1) == 1
    window(tail, clock, limit=10, remaining=9, end=start + 5)
    assert grants(sync, 20) == 8
    assert grants(tail, 2) == 1  # the window is full: the tail waits for the next one
    clock.now = start + 5.1
    assert 0 < sync.acquire() < 0.1  # the tail goes first
    assert tail.acquire() == 0.0
    assert sync.acquire() == 0.0


def test_a_killed_waiting_job_stops_holding_the_others_back(
    job: Callable[..., SharedBudget], clock: Clock
) -> None:
    tail, sync = job(job="tail"), job(job="sync", priority="bulk")
    start = clock.now
    assert grants(tail, 1) == 1
    window(tail, clock, limit=10, remaining=9, end=start + 5)
    assert grants(tail, 20) == 9
    assert tail.acquire() > 0  # waiting, then killed: it never asks again
    clock.now = start + 5.1
    assert sync.acquire() > 0  # its turn first, while its lease lasts
    clock.now = start + 8
    assert sync.acquire() == 0.0  # the lease ran out: the others carry on


def test_reports_show_each_jobs_share(
    job: Callable[..., SharedBudget], clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    tail, sync = job(job="tail"), job(job="sync", priority="bulk")
    start = clock.now
    assert grants(tail, 1) == 1
    window(tail, clock, limit=20, remaining=19, end=start + 5)
    assert grants(sync, 10) == 10
    for remaining in range(14, 4, -1):  # the server counted 4 more than our jobs sent
        sync.observe(20, remaining, start + 5)
    assert grants(tail, 1) == 1
    assert grants(sync, 5) == 2  # up to 90%: 14 of ours and 4 of others
    with caplog.at_level(logging.INFO, logger="claude_compliance.budget"):
        clock.now = start + 5.1
        assert grants(sync, 1) == 1
    line = f"{sync.name} 12 (60.0%), {tail.name} 2 (10.0%), other clients 4 (20.0%)"
    assert caplog.messages == [
        f"rate budget, window to {_hms(start + 5)}: 18 of 20 (90.0%): {line}"
    ]
    assert sync.report_last_window() == caplog.messages[0]


def _hms(epoch: float) -> str:
    import time

    return time.strftime("%H:%M:%S", time.localtime(epoch))


def test_report_without_a_known_limit() -> None:
    assert format_window(0, None, 0, [("a", 3)]).endswith(": 3 requests: a 3")


def test_budget_options_are_validated() -> None:
    with pytest.raises(ValueError, match="share"):
        RateBudget(share=0)
    with pytest.raises(ValueError, match="share"):
        RateBudget(share=1.5)
    with pytest.raises(ValueError, match="max_rpm"):
        RateBudget(max_rpm=0)
    with pytest.raises(ValueError, match="priority"):
        RateBudget(priority="urgent")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="rate_budget"):
        ComplianceClient(api_key=FULL_KEY, rate_budget=0.5)  # type: ignore[arg-type]
    assert RateBudget(priority="bulk").effective_share == 0.9
    assert RateBudget().effective_share == 1.0


def test_budget_files_are_per_origin_and_organisation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_DIR_VARIABLE, "/somewhere")
    assert cache_dir() == Path("/somewhere")
    a = budget_path("https://api.anthropic.com")
    assert a == budget_path("https://api.anthropic.com/")
    assert a != budget_path("https://api.anthropic.com", "acme")
    assert a != budget_path("http://127.0.0.1:9")
    monkeypatch.delenv(CACHE_DIR_VARIABLE)
    monkeypatch.setenv("XDG_CACHE_HOME", "/xdg")
    assert cache_dir() == Path("/xdg/claude-compliance")


def test_without_a_usable_folder_a_client_paces_alone(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    make_emulator: Callable[..., EmulatorServer],
    caplog: pytest.LogCaptureFixture,
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv(CACHE_DIR_VARIABLE, str(blocker / "cache"))
    assert open_shared_budget("http://x", RateBudget(shared=False)) is None
    server = make_emulator(rpm=100)
    with (
        caplog.at_level(logging.WARNING, logger="claude_compliance.budget"),
        ComplianceClient(api_key=FULL_KEY, base_url=server.url) as client,
    ):
        client.groups.list()
        assert client.rate_limit.shared is None
        assert client.rate_limit.remaining is not None
    assert any("paces itself alone" in message for message in caplog.messages)


def test_a_failing_budget_file_falls_back_to_pacing_alone(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    pacer = RateLimitPacer(origin="http://x", budget=RateBudget())
    assert pacer.shared is not None
    pacer.shared._db.close()  # the file becomes unusable mid-run
    with caplog.at_level(logging.WARNING, logger="claude_compliance.budget"):
        assert pacer.acquire() == 0.0
    assert pacer.shared is None
    assert any("pacing this client alone" in message for message in caplog.messages)
    pacer.exhausted_until(1.0)
    pacer.close()


def test_a_failing_budget_file_on_a_429_falls_back_too() -> None:
    pacer = RateLimitPacer(origin="http://y", budget=RateBudget())
    assert pacer.shared is not None
    pacer.shared._db.close()
    pacer.exhausted_until(0.5)
    assert pacer.shared is None
    assert 0 < pacer.acquire() <= 0.5


def _windows(server: EmulatorServer) -> list[dict[str, int]]:
    return list(control(server, "GET", "/ratelimit")["windows"])


def test_sync_and_async_clients_share_the_budget_without_429s(
    make_emulator: Callable[..., EmulatorServer],
) -> None:
    server = make_emulator(rpm=12, rate_window_s=2)
    rejected: list[int] = []

    def interactive() -> None:
        with ComplianceClient(
            api_key=FULL_KEY, base_url=server.url, rate_budget=RateBudget(job="tail")
        ) as client:
            for _ in range(12):
                client.groups.list()

    async def bulk() -> None:
        async with AsyncComplianceClient(
            api_key=FULL_KEY,
            base_url=server.url,
            rate_budget=RateBudget(priority="bulk", job="sync"),
        ) as client:
            copy = client.with_options(max_retries=5)
            await asyncio.gather(*(copy.groups.list() for _ in range(24)))

    thread = threading.Thread(target=interactive)
    thread.start()
    asyncio.run(bulk())
    thread.join()
    windows = _windows(server)
    rejected = [w["rejected"] for w in windows]
    assert sum(w["allowed"] for w in windows) == 36
    assert rejected == [0] * len(windows)
    assert all(w["allowed"] <= 12 for w in windows)


def test_an_emulator_window_counts_allowed_and_rejected(
    make_emulator: Callable[..., EmulatorServer],
) -> None:
    server = make_emulator(rpm=2, rate_window_s=30)
    with ComplianceClient(
        api_key=FULL_KEY, base_url=server.url, max_retries=0, rate_budget=RateBudget(shared=False)
    ) as client:
        client.groups.list()
        client.groups.list()
        client.rate_limit.remaining = None  # forget, so the next request reaches the server
        with pytest.raises(Exception, match="429"):
            client.groups.list()
    windows = _windows(server)
    assert [(w["allowed"], w["rejected"]) for w in windows][-1] == (2, 1)
    assert windows[-1]["start"] % 30 == 0
    control(server, "DELETE", "/ratelimit")
    assert _windows(server) == []


def test_budget_survives_a_closed_sibling_and_sqlite_locks(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "b.sqlite3"
    first = SharedBudget(path, RateBudget(job="a"), clock=clock)
    second = SharedBudget(path, RateBudget(job="b"), clock=clock)
    first.close()
    assert second.acquire() == 0.0
    rows = sqlite3.connect(path).execute("SELECT name FROM leases").fetchall()
    assert [row[0] for row in rows] == [second.name]
    second.close()
