"""Destructive commands: confirmation, --yes, --dry-run, per-id results; missing scope."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from claude_compliance.cli import deletion
from claude_compliance.emulator.server import EmulatorServer

from ..support import READONLY_KEY, raw_get
from .conftest import invoke_cli, jsonl

SMALL = {"chats": 12, "projects": 6, "activities": 50, "users": 8}


@pytest.fixture
def world(make_emulator: Callable[..., EmulatorServer]) -> EmulatorServer:
    return make_emulator(**SMALL)


def _chat_ids(server: EmulatorServer) -> list[str]:
    return [c["id"] for c in server.store.iter_chats()]


def test_delete_refuses_without_confirmation_when_not_interactive(world: EmulatorServer) -> None:
    chat = _chat_ids(world)[0]
    result = invoke_cli(world, "chats", "delete", chat)
    assert result.exit_code == 2 and "--yes" in result.stderr
    assert chat in _chat_ids(world)


def test_delete_asks_and_respects_the_answer(
    world: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(deletion, "interactive", lambda: True)
    chat = _chat_ids(world)[0]
    declined = invoke_cli(world, "chats", "delete", chat, input="n\n")
    assert declined.exit_code == 1 and chat in _chat_ids(world)
    accepted = invoke_cli(world, "chats", "delete", chat, input="y\n")
    assert accepted.exit_code == 0, accepted.stderr
    assert chat not in _chat_ids(world)


def test_dry_run_shows_and_deletes_nothing(world: EmulatorServer) -> None:
    chats = _chat_ids(world)[:2]
    result = invoke_cli(world, "--format", "jsonl", "chats", "delete", *chats, "--dry-run")
    assert result.exit_code == 0
    assert [c["id"] for c in jsonl(result)] == chats
    assert "nothing was deleted" in result.stderr
    assert _chat_ids(world)[:2] == chats
    missing = invoke_cli(world, "chats", "delete", "claude_chat_nope", "--dry-run")
    assert missing.exit_code == 1 and "404" in missing.stderr
    partly = invoke_cli(world, "chats", "delete", chats[0], "claude_chat_nope", "--dry-run")
    assert partly.exit_code == 1 and "1 of 2 chats could not be found" in partly.stderr


def test_delete_several_reports_each_and_fails_if_any_failed(world: EmulatorServer) -> None:
    chats = _chat_ids(world)[:2]
    result = invoke_cli(
        world, "--format", "jsonl", "chats", "delete", *chats, "claude_chat_nope", "--yes"
    )
    assert result.exit_code == 0, result.stderr  # already gone counts as done
    rows = {row["id"]: row["result"] for row in jsonl(result)}
    assert rows == {chats[0]: "deleted", chats[1]: "deleted", "claude_chat_nope": "already gone"}
    assert not set(chats) & set(_chat_ids(world))
    project_chats = {c["project_id"] for c in world.store.iter_chats()}
    free = next(p["id"] for p in world.store.iter_projects() if p["id"] not in project_chats)
    busy = next(p for p in project_chats if p)
    mixed = invoke_cli(world, "--format", "jsonl", "projects", "delete", busy, free, "--yes")
    assert mixed.exit_code == 1 and "1 of 2 projects could not be deleted" in mixed.stderr
    assert {r["id"]: r["result"] for r in jsonl(mixed)} == {busy: "failed", free: "deleted"}


def test_delete_projects_documents_files_and_code_artifacts(world: EmulatorServer) -> None:
    project_chats = {c["project_id"] for c in world.store.iter_chats()}
    free = next(p["id"] for p in world.store.iter_projects() if p["id"] not in project_chats)
    busy = next(p for p in project_chats if p)
    conflict = invoke_cli(world, "projects", "delete", busy, "--yes")
    assert conflict.exit_code == 1 and "409 conflict_error" in conflict.stderr
    shown = invoke_cli(world, "--format", "json", "projects", "delete", free, "--dry-run")
    assert json.loads(shown.stdout)[0]["id"] == free
    assert invoke_cli(world, "projects", "delete", free, "-y").exit_code == 0
    assert free not in {p["id"] for p in world.store.iter_projects()}

    document = next(world.store.iter_project_documents())["id"]
    assert invoke_cli(world, "documents", "delete", document, "--dry-run").exit_code == 0
    assert invoke_cli(world, "documents", "delete", document, "--yes").exit_code == 0
    assert invoke_cli(world, "documents", "get", document).exit_code == 1

    file_id = next(world.store.iter_files())["id"]
    assert invoke_cli(world, "files", "delete", file_id, "--dry-run").exit_code == 0
    assert invoke_cli(world, "files", "delete", file_id, "--yes").exit_code == 0
    assert invoke_cli(world, "files", "get", file_id).exit_code == 1

    artifact = next(world.store.iter_code_artifacts())["id"]
    dry = invoke_cli(world, "--format", "jsonl", "code-artifacts", "delete", artifact, "--dry-run")
    assert jsonl(dry) == [{"id": artifact, "result": "would delete"}]
    assert invoke_cli(world, "code-artifacts", "delete", artifact, "--yes").exit_code == 0
    listed = raw_get(world, "/apps/code/artifacts", limit=100)["data"]
    assert artifact not in {a["id"] for a in listed}


def test_a_read_only_key_cannot_delete(world: EmulatorServer) -> None:
    chat = _chat_ids(world)[0]
    result = invoke_cli(world, "chats", "delete", chat, "--yes", key=READONLY_KEY)
    assert result.exit_code == 1
    assert "403 permission_error" in result.stderr and "request-id" in result.stderr
    assert chat in _chat_ids(world)


def test_delete_a_selection_with_the_dry_run_table_first(world: EmulatorServer) -> None:
    chats = list(world.store.iter_chats())
    owner = next(c["user"] for c in chats if c["user"] and c["user"]["email_address"])
    until = sorted(c["created_at"] for c in chats)[-1][:10]
    selected = [c["id"] for c in chats if c["user"] and c["user"]["id"] == owner["id"]]
    args = ("chats", "delete", "--user", owner["email_address"], "--until", until)
    dry = invoke_cli(world, "--format", "jsonl", *args, "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert sorted(c["id"] for c in jsonl(dry)) == sorted(selected)
    done = invoke_cli(world, "--format", "jsonl", *args, "--yes")
    assert done.exit_code == 0, done.stderr
    assert sorted(r["id"] for r in jsonl(done)) == sorted(selected)
    assert not set(selected) & set(_chat_ids(world))
    none_left = invoke_cli(world, *args, "--yes")
    assert none_left.exit_code == 0 and "nothing selected" in none_left.stderr
    assert invoke_cli(world, "chats", "delete").exit_code == 2  # nothing named at all


def test_ids_from_stdin_and_a_receipt(world: EmulatorServer, tmp_path: Path) -> None:
    chats = _chat_ids(world)[:3]
    receipt = tmp_path / "receipts.jsonl"
    stdin = "\n".join([chats[0], "", "# a comment", chats[1], chats[2]]) + "\n"
    result = invoke_cli(world, "chats", "delete", "-", "--yes", "--receipt", str(receipt),
                        "--reason", "DLP-42", input=stdin)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in receipt.read_text().splitlines()]
    assert [line["id"] for line in lines] == chats
    assert all(line["reason"] == "DLP-42" and line["result"] == "deleted" for line in lines)
    assert all(line["request_id"].startswith("req_") and line["time"] for line in lines)


def test_more_than_ten_are_confirmed_by_typing_the_count(
    world: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(deletion, "interactive", lambda: True)
    chats = _chat_ids(world)[:11]
    wrong = invoke_cli(world, "chats", "delete", *chats, input="y\n")
    assert wrong.exit_code == 1 and "Type 11" in wrong.stderr
    assert chats[0] in wrong.stderr  # the table came before the question
    assert set(chats) <= set(_chat_ids(world))
    right = invoke_cli(world, "chats", "delete", *chats, input="11\n")
    assert right.exit_code == 0, right.stderr
    assert not set(chats) & set(_chat_ids(world))


def test_the_first_scope_error_stops_the_run(world: EmulatorServer) -> None:
    chats = _chat_ids(world)[:3]
    result = invoke_cli(world, "chats", "delete", *chats, "--yes", key=READONLY_KEY)
    assert result.exit_code == 1
    assert result.stderr.count("403") == 1 and "stopped after 0 of 3 chats" in result.stderr
    assert set(chats) <= set(_chat_ids(world))
