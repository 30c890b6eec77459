"""Destructive commands: confirmation, --yes, --dry-run, per-id results; missing scope."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from claude_compliance.cli import params
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
    monkeypatch.setattr(params, "interactive", lambda: True)
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
    assert result.exit_code == 1
    rows = {row["id"]: row["result"] for row in jsonl(result)}
    assert rows == {chats[0]: "deleted", chats[1]: "deleted", "claude_chat_nope": "failed"}
    assert "1 of 3 chats could not be deleted" in result.stderr
    assert not set(chats) & set(_chat_ids(world))


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
