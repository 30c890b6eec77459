"""``retention apply`` killed with SIGKILL at any moment and run again finishes the plan: the
same final world as an uninterrupted run, and a journal with each deletion exactly once. Under a
20% fault rate, the same."""

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

from claude_compliance.emulator.server import EmulatorServer

from ..archive.conftest import run_cli, sync
from ..support import FULL_KEY
from .conftest import EVERY_KIND, WORLD, World, split_point

SLOW = {"latency_ms": 15}
"""Each request takes a little while, so a kill lands in the middle of the run."""


def _world(make_emulator: Callable[..., EmulatorServer], root: Path, **config: Any) -> World:
    server = make_emulator(**WORLD, **config)
    assert sync(server, root).ok
    return World(server, root, split_point(root))


def _plan(world: World, tmp_path: Path) -> Path:
    world.plan(world.policy(tmp_path / "policy.toml", EVERY_KIND), tmp_path / "plan.json")
    return tmp_path / "plan.json"


def _apply_args(world: World, plan: Path) -> list[str]:
    return [
        "retention",
        "apply",
        str(plan),
        "--to",
        str(world.root),
        "--yes",
        "--format",
        "json",
        "--concurrency",
        "2",
    ]


def _counts(root: Path) -> tuple[int, int]:
    """``(attempts committed, deletions journalled)`` as another process sees them."""
    try:
        with sqlite3.connect(f"file:{root / 'archive.sqlite3'}?mode=ro", uri=True) as db:
            attempts = db.execute("SELECT COUNT(*) FROM deletion_attempts").fetchone()[0]
            done = db.execute("SELECT COUNT(*) FROM policy_deletions").fetchone()[0]
            return int(attempts), int(done)
    except sqlite3.OperationalError:  # the tables do not exist yet
        return 0, 0


def _kill_when(world: World, plan: Path, ready: Callable[[int, int], bool]) -> None:
    environment = {
        **os.environ,
        "ANTHROPIC_COMPLIANCE_ACCESS_KEY": FULL_KEY,
        "ANTHROPIC_COMPLIANCE_BASE_URL": world.server.url,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "claude_compliance.cli", *_apply_args(world, plan)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not ready(*_counts(world.root)):
            assert process.poll() is None, "apply finished before the kill point: slow it down"
            assert time.monotonic() < deadline
            time.sleep(0.002)
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=10) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()


def _journal(world: World) -> list[dict[str, Any]]:
    result = world.cli("retention", "report", "--to", str(world.root), "--format", "json")
    assert result.exit_code == 0, result.output
    entries: list[dict[str, Any]] = json.loads(result.stdout)
    return entries


@pytest.fixture
def reference(
    make_emulator: Callable[..., EmulatorServer], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[dict[str, set[str]], list[tuple[str, str]]]]:
    """The world and journal an uninterrupted apply ends with."""
    folder = tmp_path_factory.mktemp("reference")
    world = _world(make_emulator, folder / "archive")
    result = world.apply(_plan(world, folder), "--yes")
    assert result.exit_code == 0, result.output
    yield world.source_ids(), sorted((e["kind"], e["id"]) for e in _journal(world))


KILL_POINTS = {
    "after the first deletion": lambda attempts, done: done >= 1,
    "with a delete in flight": lambda attempts, done: attempts > done >= 5,
    "late in the run": lambda attempts, done: done >= 25,
}


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_sigkill_then_rerun_finishes_the_plan_once(
    make_emulator: Callable[..., EmulatorServer],
    tmp_path: Path,
    reference: tuple[dict[str, set[str]], list[tuple[str, str]]],
    point: str,
) -> None:
    world = _world(make_emulator, tmp_path / "archive", **SLOW)
    plan = _plan(world, tmp_path)
    _kill_when(world, plan, KILL_POINTS[point])
    _kill_when(world, plan, lambda attempts, done: attempts > done or done >= 30)
    finished = run_cli(*_apply_args(world, plan), server=world.server)
    assert finished.returncode == 0, finished.stderr
    assert "resuming:" in finished.stderr
    final_world, final_journal = reference
    assert world.source_ids() == final_world
    journal = _journal(world)
    identities = [(e["kind"], e["id"]) for e in journal]
    assert len(identities) == len(set(identities))
    assert sorted(identities) == final_journal
    verified = world.cli("retention", "verify-journal", "--to", str(world.root))
    assert verified.exit_code == 0, verified.output


def test_under_faults_the_same(
    make_emulator: Callable[..., EmulatorServer],
    tmp_path: Path,
    reference: tuple[dict[str, set[str]], list[tuple[str, str]]],
) -> None:
    world = _world(make_emulator, tmp_path / "archive")
    plan = _plan(world, tmp_path)
    world.server.state.faults.rate = 0.2  # after the archive is built: faults hit apply only
    finished = run_cli(*_apply_args(world, plan), server=world.server)
    assert finished.returncode == 0, finished.stderr
    assert world.source_ids() == reference[0]
    assert sorted((e["kind"], e["id"]) for e in _journal(world)) == reference[1]
