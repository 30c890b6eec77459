"""The CLI's side of the shared rate budget: bulk-command options, the tail riding out 429s,
and the sync summary's rate figures."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from claude_compliance.emulator.server import EmulatorServer

from .conftest import invoke_cli

STORM = [{"status": 429, "headers": {"retry-after": "1"}}] * 4


@pytest.fixture
def world(make_emulator: Callable[..., EmulatorServer]) -> EmulatorServer:
    return make_emulator(activities=30, chats=4, users=4, projects=2, rpm=600)


def test_follow_waits_out_429s_past_the_retry_limit(world: EmulatorServer, tmp_path: Path) -> None:
    out = tmp_path / "feed.jsonl"
    world.script_faults("GET", "/v1/compliance/activities", *STORM)
    result = invoke_cli(
        world, "activities", "tail", "--follow", "--interval", "0.05", "--polls", "2",
        "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert len(out.read_text().splitlines()) == len(list(world.store.iter_activities()))
    waits = re.findall(r"rate limited \(request-id (req_\w+)\): waiting 1\.0s", result.stderr)
    assert len(waits) == 1  # three 429s spent the SDK's retries; the tail waited and went on


def test_without_follow_the_retry_limit_stands(world: EmulatorServer) -> None:
    world.script_faults("GET", "/v1/compliance/activities", *STORM)
    result = invoke_cli(world, "activities", "tail")
    assert result.exit_code == 1
    assert "429" in result.stderr and "request-id" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("archive", "sync", "--to", "A"),
        ("export", "ediscovery", "--user", "u", "--out", "B"),
        ("retention", "apply", "P", "--to", "A"),
    ],
)
def test_bulk_commands_reject_a_bad_share_or_cap(args: tuple[str, ...]) -> None:
    share = invoke_cli(None, *args, "--budget-share", "0")
    assert share.exit_code == 2 and "--budget-share" in share.stderr
    cap = invoke_cli(None, *args, "--max-rpm", "0")
    assert cap.exit_code == 2 and "--max-rpm" in cap.stderr


def test_sync_summary_reports_requests_per_minute_and_429s(
    world: EmulatorServer, tmp_path: Path
) -> None:
    world.script_faults(
        "GET", "/v1/compliance/groups", {"status": 429, "headers": {"retry-after": "1"}}
    )
    root = tmp_path / "archive"
    result = invoke_cli(world, "archive", "sync", "--to", str(root), "--max-rpm", "500")
    assert result.exit_code == 0, result.stderr
    assert re.search(r"\d+ requests, 1 rate-limited \(retried\)", result.stderr)
    assert re.search(r"\d+ requests per minute \(peak \d+ in a minute\)", result.stderr)
    as_json = invoke_cli(
        world, "--format", "json", "archive", "sync", "--to", str(root), "--budget-share", "0.5"
    )
    summary = json.loads(as_json.stdout)
    assert summary["rate_limited"] == 0
    assert sum(summary["requests_per_minute"].values()) == summary["requests"]
