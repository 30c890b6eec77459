"""``archive sync|verify|stats|digest`` through the CLI, and what verify catches."""

from __future__ import annotations

import fcntl
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from claude_compliance import ComplianceClient
from claude_compliance.emulator.server import EmulatorServer

from ..cli.conftest import invoke_cli, jsonl
from ..support import FULL_KEY, REVOKED_KEY, control
from .conftest import SMALL_WORLD, records, run_cli


@pytest.fixture
def world(make_emulator: Callable[..., EmulatorServer]) -> EmulatorServer:
    return make_emulator(**SMALL_WORLD)


def test_sync_prints_a_summary_and_the_companions_work(
    world: EmulatorServer, tmp_path: Path
) -> None:
    result = invoke_cli(world, "archive", "sync", "--to", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert "chat_message" in result.stdout and "downloaded" in result.stderr
    again = invoke_cli(world, "--format", "json", "archive", "sync", "--to", str(tmp_path))
    summary = json.loads(again.stdout)
    assert summary["downloads"] == 0 and summary["errors"] == []
    # Only the walk's overlap window is listed again, and nothing in it is new.
    assert set(summary["records"]["chat"]) == {"unchanged"}
    assert summary["requests"] == sum(summary["requests_by_endpoint"].values())
    assert summary["requests_per_object"] is None and summary["archived_objects"] == 0
    assert "requests by endpoint: activities" in result.stderr

    verify = invoke_cli(world, "archive", "verify", "--to", str(tmp_path))
    assert verify.exit_code == 0 and "ok" in verify.stdout

    stats = invoke_cli(world, "--format", "json", "archive", "stats", "--to", str(tmp_path))
    body = json.loads(stats.stdout)
    kinds = {row["kind"]: row for row in body["kinds"]}
    assert kinds["chat"]["live"] == len(list(world.store.iter_chats()))
    assert body["runs"] == 2 and body["last_run"]["status"] == "completed"
    table = invoke_cli(world, "archive", "stats", "--to", str(tmp_path))
    assert "chat_message" in table.stdout and "2 runs" in table.stderr

    digest = invoke_cli(world, "archive", "digest", "--to", str(tmp_path)).stdout
    assert digest.startswith("sha256:") and len(digest.strip().splitlines()) == 1
    other = tmp_path / "other"
    assert invoke_cli(world, "-q", "archive", "sync", "--to", str(other)).exit_code == 0
    assert invoke_cli(world, "archive", "digest", "--to", str(other)).stdout == digest


def test_verify_reports_corrupt_and_missing_blobs(world: EmulatorServer, tmp_path: Path) -> None:
    assert invoke_cli(world, "-q", "archive", "sync", "--to", str(tmp_path)).exit_code == 0
    blobs = sorted(
        {r["blob_sha256"] for r in records(tmp_path, "file").values() if r["blob_sha256"]}
    )
    first, second = (tmp_path / "blobs" / "sha256" / b[:2] / b for b in blobs[:2])
    first.write_bytes(b"tampered")
    second.unlink()
    result = invoke_cli(world, "--format", "json", "archive", "verify", "--to", str(tmp_path))
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["corrupt"] == 1 and report["missing"] == 1 and report["ok"] is False
    assert f"corrupt: {blobs[0]}" in result.stderr and f"missing: {blobs[1]}" in result.stderr
    # --repair flags the records; the next sync downloads their content again.
    repair = invoke_cli(world, "archive", "verify", "--repair", "--to", str(tmp_path))
    assert repair.exit_code == 1 and "2 records flagged" in repair.stderr
    assert invoke_cli(world, "-q", "archive", "sync", "--to", str(tmp_path)).exit_code == 0
    second_check = invoke_cli(world, "archive", "verify", "--to", str(tmp_path))
    assert second_check.exit_code == 0, second_check.stderr


def test_companions_refuse_a_folder_without_an_archive(tmp_path: Path) -> None:
    for command in ("verify", "stats", "digest"):
        result = invoke_cli(None, "archive", command, "--to", str(tmp_path))
        assert result.exit_code == 1 and "no archive" in result.stderr


def test_sync_errors(world: EmulatorServer, tmp_path: Path) -> None:
    rejected = invoke_cli(world, "archive", "sync", "--to", str(tmp_path), key=REVOKED_KEY)
    assert rejected.exit_code == 1
    assert rejected.stderr.splitlines()[-1].startswith("Error: 401")
    assert REVOKED_KEY not in rejected.stderr
    tmp_path.mkdir(exist_ok=True)
    with (tmp_path / ".lock").open("w") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        busy = invoke_cli(world, "archive", "sync", "--to", str(tmp_path))
    assert busy.exit_code == 1 and "another sync" in busy.stderr
    assert invoke_cli(world, "archive", "sync", "--to", str(tmp_path), key=None).exit_code == 2


def test_a_failing_unit_is_reported_and_retried_next_run(
    world: EmulatorServer, tmp_path: Path
) -> None:
    from ..support import control

    chat = next(world.store.iter_chats())["id"]
    # The chat's message endpoint fails past every retry: that chat alone is missing.
    control(world, "POST", "/faults", {
        "method": "GET", "path": f"/v1/compliance/apps/chats/{chat}/messages",
        "responses": [{"status": 500, "headers": {"x-should-retry": "false"}}],
    })  # fmt: skip
    failed = invoke_cli(world, "archive", "sync", "--to", str(tmp_path))
    assert failed.exit_code == 1
    assert f"chat {chat}" in failed.stderr and "run archive sync again" in failed.stderr
    assert chat not in records(tmp_path, "chat")
    retried = invoke_cli(world, "archive", "sync", "--to", str(tmp_path))
    assert retried.exit_code == 0, retried.stderr
    assert chat in records(tmp_path, "chat")
    assert os.listdir(tmp_path / "blobs" / "tmp") == []


def test_sync_takes_a_sweep_schedule(world: EmulatorServer, tmp_path: Path) -> None:
    unknown = invoke_cli(world, "archive", "sync", "--to", str(tmp_path), "--sweep", "hourly")
    assert unknown.exit_code == 2 and "hourly" in unknown.stderr
    assert invoke_cli(world, "-q", "archive", "sync", "--to", str(tmp_path)).exit_code == 0
    args = ("--format", "json", "archive", "sync", "--to", str(tmp_path), "--sweep")
    # Right after a sweep: a daily schedule lists nothing in full; `always` lists everything.
    daily = json.loads(invoke_cli(world, *args, "daily").stdout)["requests_by_endpoint"]
    always = json.loads(invoke_cli(world, *args, "always").stdout)["requests_by_endpoint"]
    assert "organizations" not in daily and "groups" not in daily
    assert always["organizations"] == always["groups"] == 1


def test_sync_says_where_it_starts_and_resumes(world: EmulatorServer, tmp_path: Path) -> None:
    first = invoke_cli(world, "archive", "sync", "--to", str(tmp_path))
    assert first.stderr.startswith("downloaded ")  # a new archive: straight to the summary
    assert "requests per minute" in first.stderr
    second = invoke_cli(world, "archive", "sync", "--to", str(tmp_path))
    assert "updating the archive last synced by run 1" in second.stderr
    killed = run_cli("archive", "sync", "--to", str(tmp_path / "other"), server=world,
                     crash=("archive-commit", 8))  # fmt: skip
    assert killed.returncode != 0
    resumed = invoke_cli(world, "archive", "sync", "--to", str(tmp_path / "other"))
    assert resumed.exit_code == 0, resumed.stderr
    assert "resuming: run 1 (started " in resumed.stderr and "did not finish" in resumed.stderr
    # It says where: what the killed run committed, and where each walk picks up again.
    line = next(x for x in resumed.stderr.splitlines() if x.startswith("resuming: run 1"))
    committed = re.search(r"it committed ([\d,]+) objects \((\w+) ([\d,]+)", line)
    assert committed and int(committed.group(1).replace(",", "")) > 0, line
    with sqlite3.connect(tmp_path / "other" / "archive.sqlite3") as db:
        marks = dict(db.execute("SELECT name, value FROM checkpoints"))
    newest = json.loads(marks["activities"])["created_at"]
    assert f"resuming the Activity Feed after {newest}" in line, line


def test_ctrl_c_saves_progress_and_says_how_to_resume(
    make_emulator: Callable[..., EmulatorServer], tmp_path: Path
) -> None:
    slow = make_emulator(**SMALL_WORLD, latency_ms=150)  # still running when interrupted
    env = {**os.environ, "ANTHROPIC_COMPLIANCE_ACCESS_KEY": FULL_KEY,
           "ANTHROPIC_COMPLIANCE_BASE_URL": slow.url}  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-m", "claude_compliance.cli", "archive", "sync", "--to", str(tmp_path)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    time.sleep(1.5)
    process.send_signal(signal.SIGINT)
    _, error = process.communicate(timeout=60)
    assert process.returncode == 130, error
    assert "progress saved; run the same command to resume" in error
    assert "Traceback" not in error
    again = invoke_cli(slow, "archive", "sync", "--to", str(tmp_path))
    assert again.exit_code == 0 and "resuming: run 1" in again.stderr


def test_sync_leaves_out_excluded_activity_types(
    make_emulator: Callable[..., EmulatorServer], tmp_path: Path
) -> None:
    # Every request the sync makes is recorded as a compliance_api_accessed activity.
    server = make_emulator(**SMALL_WORLD, access_activities=True)
    plain, excluding = tmp_path / "plain", tmp_path / "excluding"
    assert invoke_cli(server, "-q", "archive", "sync", "--to", str(plain)).exit_code == 0
    exclude = ("--exclude-type", "compliance_api_accessed", "--exclude-type", "claude_chat_viewed")
    result = invoke_cli(server, "-q", "archive", "sync", "--to", str(excluding), *exclude)
    assert result.exit_code == 0, result.stderr

    def types(root: Path) -> set[str]:
        return {str(r["data"].get("type")) for r in records(root, "activity").values()}

    assert {"compliance_api_accessed", "claude_chat_viewed"} <= types(plain)
    kept = types(excluding)
    assert kept and not kept & {"compliance_api_accessed", "claude_chat_viewed"}
    assert kept == types(plain) - {"compliance_api_accessed", "claude_chat_viewed"}
    # The rest of the archive is the same.
    assert records(excluding, "chat").keys() == records(plain, "chat").keys()


def test_changes_lists_what_happened_between_runs(
    make_emulator: Callable[..., EmulatorServer], tmp_path: Path
) -> None:
    server = make_emulator(**SMALL_WORLD, access_activities=True)
    assert invoke_cli(server, "-q", "archive", "sync", "--to", str(tmp_path)).exit_code == 0
    chats = [
        c for c in server.store.iter_chats() if c["project_id"] is None and not c["deleted_at"]
    ]
    edited, soft_deleted, deleted = chats[0]["id"], chats[1]["id"], chats[2]["id"]
    new_chat = control(server, "POST", "/chats", {"messages": 2})
    control(server, "POST", f"/chats/{edited}/messages", {"text": "one more thing"})
    control(server, "POST", f"/chats/{soft_deleted}/soft-delete")
    with ComplianceClient(api_key=FULL_KEY, base_url=server.url) as client:
        client.chats.delete(deleted)
    assert invoke_cli(server, "-q", "archive", "sync", "--to", str(tmp_path)).exit_code == 0
    assert invoke_cli(server, "-q", "archive", "sync", "--to", str(tmp_path)).exit_code == 0

    def changes(*args: str, output: str = "json") -> list[dict[str, Any]]:
        result = invoke_cli(
            server, "--format", output, "archive", "changes", "--to", str(tmp_path), *args
        )
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout) if output == "json" else jsonl(result)

    between = {(c["kind"], c["id"]): c["change"] for c in changes("--since-run", "1")}
    assert between[("chat", new_chat["id"])] == "new"
    assert between[("chat", edited)] == "changed"
    assert between[("chat", soft_deleted)] == "deleted"
    assert between[("chat", deleted)] == "gone"
    assert all(between[("chat_message", m)] == "new" for m in new_chat["message_ids"])
    assert {change for (kind, _), change in between.items() if kind == "chat"} == {
        "new",
        "changed",
        "deleted",
        "gone",
    }
    # --kind narrows; every format carries the same rows.
    only_chats = changes("--since-run", "1", "--kind", "chat", output="jsonl")
    assert {(c["kind"], c["id"]): c["change"] for c in only_chats} == {
        key: change for key, change in between.items() if key[0] == "chat"
    }
    since_first = ("archive", "changes", "--to", str(tmp_path), "--since-run", "1")
    csv = invoke_cli(server, "--format", "csv", *since_first, "--kind", "chat")
    assert (
        csv.stdout.splitlines()[0].startswith("change,kind,key,id,name")
        and soft_deleted in csv.stdout
    )
    table = invoke_cli(server, *since_first)
    assert edited in table.stdout and "1 changed, 1 deleted" in table.stderr
    # By default: what the last run did — the third run found nothing new among the chats.
    assert not [c for c in changes() if c["kind"] == "chat"]
    assert changes("--since-run", "3") == []  # nothing after the last run
    # A time boundary before the first run: every chat is new, already deleted, or gone.
    everything = {c["id"]: c["change"] for c in changes("--since", "2000-01-01", "--kind", "chat")}
    assert everything.keys() == records(tmp_path, "chat").keys()
    assert everything[deleted] == "gone" and everything[new_chat["id"]] == "new"
    assert set(everything.values()) == {"new", "deleted", "gone"}

    wrong = invoke_cli(server, "archive", "changes", "--to", str(tmp_path), "--since-run", "9")
    assert wrong.exit_code == 1 and "no run 9" in wrong.stderr
    both = invoke_cli(
        server, "archive", "changes", "--to", str(tmp_path), "--since-run", "1", "--since", "1d"
    )
    assert both.exit_code == 2 and "cannot be combined" in both.stderr


def test_changes_reads_by_the_time_indexes_which_older_archives_get_on_open(
    make_emulator: Callable[..., EmulatorServer], tmp_path: Path
) -> None:
    import sqlite3

    from claude_compliance.archive.changes import changes_query

    server = make_emulator(**SMALL_WORLD)
    assert invoke_cli(server, "-q", "archive", "sync", "--to", str(tmp_path)).exit_code == 0
    database = tmp_path / "archive.sqlite3"
    with sqlite3.connect(database) as db:  # as an archive from before the indexes
        db.execute("DROP INDEX records_by_changed")
        db.execute("DROP INDEX records_by_gone")
    result = invoke_cli(server, "archive", "changes", "--to", str(tmp_path), "--since", "1d")
    assert result.exit_code == 0, result.stderr
    with sqlite3.connect(database) as db:
        for kinds in ((), ("chat", "project")):
            sql, params = changes_query("2026-01-01T00:00:00Z", kinds)
            plan = " | ".join(row[-1] for row in db.execute("EXPLAIN QUERY PLAN " + sql, params))
            assert "records_by_changed (changed_at>?)" in plan, plan
            assert "records_by_gone (gone_at>?)" in plan, plan
            assert "SCAN r" not in plan and "SCAN records" not in plan, plan
