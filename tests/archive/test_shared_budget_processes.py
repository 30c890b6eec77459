"""Several processes, one rate budget: the feed tail stays live while bulk jobs run.

Each test starts real ``claude-compliance`` processes against one emulator with a small budget
and a two-second window (so a dozen windows pass in seconds), and checks at the emulator that no
window was asked for more requests than it holds, that no process failed, and that the tail
delivered the activities created while the bulk jobs ran, during them. Three such tests cost
about a minute on two cores; they are the only ones here that start several CLI processes.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from claude_compliance._budget import CACHE_DIR_VARIABLE, budget_path
from claude_compliance.emulator.server import EmulatorServer

from ..support import FULL_KEY, control
from .conftest import SMALL_WORLD

RPM = 40
WINDOW_S = 2
TAIL_INTERVAL = 0.4


class Processes:
    """CLI processes started by one test; whatever still runs at the end is killed."""

    def __init__(self, server: EmulatorServer, cache: Path) -> None:
        self.env = {
            **os.environ,
            "ANTHROPIC_COMPLIANCE_ACCESS_KEY": FULL_KEY,
            "ANTHROPIC_COMPLIANCE_BASE_URL": server.url,
            CACHE_DIR_VARIABLE: str(cache),
        }
        self.logs = cache.parent / "logs"
        self.logs.mkdir(exist_ok=True)
        self.started: list[subprocess.Popen[str]] = []

    def start(self, *args: str) -> subprocess.Popen[str]:
        # stderr to a file: with -v a process logs every request, more than a pipe holds.
        log = (self.logs / f"{len(self.started)}.log").open("w")
        process = subprocess.Popen(
            [sys.executable, "-m", "claude_compliance.cli", *args],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        log.close()
        self.started.append(process)
        return process

    def stderr(self, process: subprocess.Popen[str]) -> str:
        return (self.logs / f"{self.started.index(process)}.log").read_text()

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.kill()
            process.communicate()


@pytest.fixture
def world(make_emulator: Callable[..., EmulatorServer]) -> EmulatorServer:
    return make_emulator(rpm=RPM, rate_window_s=WINDOW_S, **SMALL_WORLD)


@pytest.fixture
def processes(world: EmulatorServer, tmp_path: Path) -> Iterator[Processes]:
    running = Processes(world, tmp_path / "cache")
    yield running
    running.stop_all()


def _start_tail(processes: Processes, out: Path) -> subprocess.Popen[str]:
    since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return processes.start(
        "-v", "activities", "tail", "--follow", "--interval", str(TAIL_INTERVAL),
        "--since", since, "--out", str(out),
    )  # fmt: skip


def _delivered(out: Path) -> dict[str, float]:
    """Activity id -> when its line was first seen in the tail's output."""
    if not out.exists():
        return {}
    return {json.loads(line)["id"]: 0.0 for line in out.read_text().splitlines() if line}


def _feed_while(
    world: EmulatorServer, out: Path, running: Callable[[], bool]
) -> tuple[list[str], dict[str, float]]:
    """Create an activity every half second while ``running()``; note when each is delivered."""
    created: list[str] = []
    seen: dict[str, float] = {}
    while running():
        created += control(world, "POST", "/activities", {"count": 1})["ids"]
        time.sleep(0.5)
        now = time.monotonic()
        for key in _delivered(out):
            seen.setdefault(key, now)
    return created, seen


def _wait_delivered(out: Path, ids: list[str], timeout: float = 15.0) -> set[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        missing = set(ids) - set(_delivered(out))
        if not missing:
            return missing
        time.sleep(0.2)
    return set(ids) - set(_delivered(out))


def _stop_tail(processes: Processes, tail: subprocess.Popen[str]) -> str:
    tail.send_signal(signal.SIGINT)
    tail.communicate(timeout=20)
    stderr = processes.stderr(tail)
    assert tail.returncode == 0, stderr
    return stderr


def _assert_budget_never_exceeded(world: EmulatorServer) -> list[dict[str, Any]]:
    windows: list[dict[str, Any]] = control(world, "GET", "/ratelimit")["windows"]
    assert windows
    asked = [w["allowed"] + w["rejected"] for w in windows]
    assert max(asked) <= RPM, windows
    return windows


def _finish(
    processes: Processes, process: subprocess.Popen[str], timeout: float = 120
) -> tuple[str, str]:
    stdout, _ = process.communicate(timeout=timeout)
    stderr = processes.stderr(process)
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr
    return stdout, stderr


def _busiest_user(world: EmulatorServer) -> str:
    counts: dict[str, int] = {}
    for chat in world.store.iter_chats():
        if chat["user"]:
            counts[chat["user"]["id"]] = counts.get(chat["user"]["id"], 0) + 1
    return max(sorted(counts), key=lambda user: counts[user])


def test_tail_and_sync_share_the_budget(
    world: EmulatorServer, processes: Processes, tmp_path: Path
) -> None:
    out = tmp_path / "feed.jsonl"
    tail = _start_tail(processes, out)
    sync = processes.start("-v", "--format", "json", "archive", "sync", "--to", str(tmp_path / "a"))
    created, seen = _feed_while(world, out, lambda: sync.poll() is None)
    sync_end = time.monotonic()
    stdout, sync_log = _finish(processes, sync)
    assert _wait_delivered(out, created) == set()
    tail_log = _stop_tail(processes, tail)

    summary = json.loads(stdout)
    assert summary["rate_limited"] == 0
    assert summary["requests"] > RPM * 2  # the sync spans several windows
    during = [key for key in created if seen.get(key, sync_end + 1) <= sync_end]
    assert len(during) >= len(created) // 2, "the tail kept delivering while the sync ran"
    windows = _assert_budget_never_exceeded(world)
    assert sum(w["rejected"] for w in windows) == 0
    # -v shows each job's share of every window.
    assert "rate budget, window to" in sync_log
    assert "archive sync" in sync_log and "activities tail" in sync_log
    assert "rate budget, window to" in tail_log


def test_tail_sync_and_export_share_the_budget(
    world: EmulatorServer, processes: Processes, tmp_path: Path
) -> None:
    out = tmp_path / "feed.jsonl"
    tail = _start_tail(processes, out)
    sync = processes.start("--format", "json", "archive", "sync", "--to", str(tmp_path / "a"))
    export = processes.start(
        "--format", "json", "export", "ediscovery", "--user", _busiest_user(world),
        "--out", str(tmp_path / "bundle"), "--budget-share", "0.5",
    )  # fmt: skip
    created, seen = _feed_while(world, out, lambda: sync.poll() is None or export.poll() is None)
    end = time.monotonic()
    sync_out, _ = _finish(processes, sync)
    _finish(processes, export)
    assert _wait_delivered(out, created) == set()
    _stop_tail(processes, tail)

    assert json.loads(sync_out)["rate_limited"] == 0
    assert (tmp_path / "bundle" / "manifest.json").is_file()
    during = [key for key in created if seen.get(key, end + 1) <= end]
    assert len(during) >= len(created) // 2
    _assert_budget_never_exceeded(world)


def test_a_job_killed_while_holding_budget_does_not_starve_the_others(
    world: EmulatorServer, processes: Processes, tmp_path: Path
) -> None:
    cache = Path(processes.env[CACHE_DIR_VARIABLE])
    # An interactive listing a page at a time fills every window and waits for the next one:
    # bulk jobs let it go first, for as long as its waiting lease lives.
    lister = processes.start("activities", "list", "--all", "--limit", "1", "--format", "jsonl")
    path = cache / budget_path(world.url).name
    deadline = time.monotonic() + 30
    waiting = False
    while not waiting and time.monotonic() < deadline:
        time.sleep(0.1)
        if path.exists():
            with sqlite3.connect(path) as db:
                rows = db.execute("SELECT 1 FROM leases WHERE waiting = 1").fetchall()
            waiting = bool(rows)
    assert waiting, "the listing never waited for the budget"
    lister.send_signal(signal.SIGKILL)
    lister.wait()

    out = tmp_path / "feed.jsonl"
    tail = _start_tail(processes, out)
    sync = processes.start("--format", "json", "archive", "sync", "--to", str(tmp_path / "a"))
    created, _ = _feed_while(world, out, lambda: sync.poll() is None)
    stdout, _ = _finish(processes, sync, timeout=90)
    missing = _wait_delivered(out, created)
    tail_log = _stop_tail(processes, tail)
    assert missing == set(), tail_log
    assert json.loads(stdout)["rate_limited"] == 0
    _assert_budget_never_exceeded(world)
