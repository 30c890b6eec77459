"""``activities tail``: JSON Lines, oldest first, every activity exactly once across restarts."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from claude_compliance.emulator.server import EmulatorServer
from claude_compliance.tail.activity_tail import TailCheckpoint

from ..archive.conftest import run_cli
from ..cli.conftest import invoke_cli
from ..support import ADMIN_KEY, FULL_KEY, control


def _ids(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text().splitlines() if line]


def _all_activity_ids(server: EmulatorServer) -> set[str]:
    return {a["id"] for a in server.store.iter_activities(include_invisible=False)}


@pytest.fixture
def world(make_emulator: Callable[..., EmulatorServer]) -> EmulatorServer:
    return make_emulator(activities=120, chats=6, users=6, projects=3)


def test_tail_writes_the_feed_oldest_first_then_only_what_is_new(
    world: EmulatorServer, tmp_path: Path
) -> None:
    out, checkpoint = tmp_path / "feed.jsonl", tmp_path / "feed.checkpoint"
    args = ("activities", "tail", "--out", str(out), "--checkpoint", str(checkpoint))
    first = invoke_cli(world, *args, "--page-size", "50")
    assert first.exit_code == 0, first.stderr
    expected = [a["id"] for a in reversed(list(world.store.iter_activities()))]
    assert _ids(out) == expected
    assert "120 activities written" in first.stderr
    assert invoke_cli(world, *args).exit_code == 0
    assert _ids(out) == expected  # nothing new: nothing written
    added = control(world, "POST", "/activities", {"count": 4})["ids"]
    assert invoke_cli(world, *args).exit_code == 0
    assert _ids(out) == expected + added
    saved = TailCheckpoint.load(checkpoint)
    assert saved.out_offset == out.stat().st_size and set(added) <= set(saved.recent)


def test_tail_to_stdout_from_since_with_type_filters(world: EmulatorServer) -> None:
    activities = list(reversed(list(world.store.iter_activities())))
    since = activities[60]["created_at"]
    result = invoke_cli(world, "activities", "tail", "--since", since)
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["id"] for a in lines] == [a["id"] for a in activities if a["created_at"] >= since]
    kind = activities[0]["type"]
    only = invoke_cli(world, "activities", "tail", "--type", kind).stdout.splitlines()
    assert only and all(json.loads(line)["type"] == kind for line in only)
    rest = invoke_cli(world, "activities", "tail", "--exclude-type", kind).stdout.splitlines()
    assert len(only) + len(rest) == len(activities)


def test_follow_polls_until_stopped(world: EmulatorServer, tmp_path: Path) -> None:
    out = tmp_path / "feed.jsonl"
    result = invoke_cli(
        world, "activities", "tail", "--follow", "--interval", "0.05", "--polls", "3",
        "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0
    assert len(_ids(out)) == 120


def test_tail_needs_the_activities_scope(world: EmulatorServer) -> None:
    assert invoke_cli(world, "activities", "tail", key=ADMIN_KEY).exit_code == 0
    no_scope = invoke_cli(world, "activities", "tail", key="sk-ant-api01-emulator-revoked")
    assert no_scope.exit_code == 1 and "401" in no_scope.stderr


def test_a_kill_after_the_flush_and_before_the_checkpoint_repeats_nothing(
    world: EmulatorServer, tmp_path: Path
) -> None:
    out, checkpoint = tmp_path / "feed.jsonl", tmp_path / "feed.checkpoint"
    args = ("activities", "tail", "--out", str(out), "--checkpoint", str(checkpoint),
            "--page-size", "25")  # fmt: skip
    killed = run_cli(*args, server=world, crash=("tail-checkpoint", 3))
    assert killed.returncode == -signal.SIGKILL
    assert len(_ids(out)) == 75  # three batches out, the third never checkpointed
    # A kill in the middle of a write leaves half a line: it was never emitted.
    with out.open("a") as handle:
        handle.write('{"id":"activity_torn","created_at":"2025-')
    resumed = run_cli(*args, server=world)
    assert resumed.returncode == 0, resumed.stderr
    ids = _ids(out)
    assert len(ids) == len(set(ids)) == 120
    assert set(ids) == _all_activity_ids(world)


def test_tail_killed_and_restarted_emits_every_activity_exactly_once(
    make_emulator: Callable[..., EmulatorServer], tmp_path: Path
) -> None:
    # Access activities with an ingestion delay: the tail's own requests become activities that
    # appear late, behind the newest one already written. The overlap window catches them.
    server = make_emulator(
        activities=150, chats=6, users=6, projects=3, access_activities=True,
        ingestion_delay_s=0.3,
    )  # fmt: skip
    out, checkpoint = tmp_path / "feed.jsonl", tmp_path / "feed.checkpoint"
    command = [
        sys.executable, "-m", "claude_compliance.cli", "-q", "activities", "tail", "--follow",
        "--interval", "0.1", "--page-size", "20", "--out", str(out), "--checkpoint",
        str(checkpoint),
    ]  # fmt: skip
    env = {
        "ANTHROPIC_COMPLIANCE_ACCESS_KEY": FULL_KEY,
        "ANTHROPIC_COMPLIANCE_BASE_URL": server.url,
        "PATH": "/usr/bin:/bin",
    }
    rng = random.Random(5)
    for round_ in range(6):
        process = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + rng.uniform(0.5, 1.2)
        while time.monotonic() < deadline:
            control(server, "POST", "/activities", {"count": rng.randint(1, 6)})
            time.sleep(0.05)
        process.kill() if round_ % 2 else process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    # Let the late ones become visible, then catch up once more without following.
    time.sleep(0.4)
    once = [part for part in command if part != "--follow"]
    final = subprocess.run(once, env=env, timeout=60, check=False)
    assert final.returncode == 0
    ids = _ids(out)
    assert len(ids) == len(set(ids)), "an activity was written twice"
    visible = _all_activity_ids(server)
    assert visible - set(ids) <= _recent_access(server, 0.6), "an activity was skipped"


def _recent_access(server: EmulatorServer, seconds: float) -> set[str]:
    """Access activities of the very last requests, which may still be invisible."""
    rows: list[Any] = server.store.query(
        "SELECT id FROM activities WHERE type = 'compliance_api_accessed' "
        "AND visible_at > strftime('%s','now') - ?",
        (seconds,),
    )
    return {row[0] for row in rows}


def test_the_tail_says_where_it_starts_and_warns_about_a_shorter_file(
    world: EmulatorServer, tmp_path: Path
) -> None:
    out, checkpoint = tmp_path / "feed.jsonl", tmp_path / "feed.ckpt"
    args = ("activities", "tail", "--out", str(out), "--checkpoint", str(checkpoint))
    first = invoke_cli(world, *args)
    assert "starting at the oldest activity" in first.stderr
    newest = _ids(out)[-1]
    again = invoke_cli(world, *args)
    assert f"resuming after {newest} from {checkpoint}; 120 written so far" in again.stderr
    out.write_bytes(out.read_bytes()[:500])
    shorter = invoke_cli(world, *args)
    assert shorter.exit_code == 0
    assert "Warning:" in shorter.stderr and "the checkpoint says" in shorter.stderr


def test_follow_with_v_logs_a_heartbeat(world: EmulatorServer, tmp_path: Path) -> None:
    result = invoke_cli(world, "-v", "activities", "tail", "-f", "--interval", "0.05",
                        "--polls", "2", "--out", str(tmp_path / "feed.jsonl"))  # fmt: skip
    beats = [line for line in result.stderr.splitlines() if "heartbeat" in line]
    assert len(beats) == 2
    assert "poll 1: 120 new, 120 written this run; newest " in beats[0]
    assert "poll 2: 0 new" in beats[1] and "behind now" in beats[1]
