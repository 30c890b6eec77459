"""``archive sync``, ``verify``, ``digest``, ``activities tail`` and ``export ediscovery`` against
every record shape the emulator serves, and a record no model can read kept as served."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from claude_compliance.emulator.config import SHAPES
from claude_compliance.emulator.server import EmulatorServer

from ..cli.conftest import invoke_cli
from ..support import control, raw_get
from .conftest import SMALL_WORLD, digest, live, records, sync


def _wire(record: Any) -> str:
    """A record as the wire spells it: keys in the served order."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def _served_chats(server: EmulatorServer) -> list[dict[str, Any]]:
    return list(raw_get(server, "/apps/chats", limit=1000)["data"])


@pytest.fixture(params=SHAPES)
def shaped(
    request: pytest.FixtureRequest, make_emulator: Callable[..., EmulatorServer]
) -> Iterator[EmulatorServer]:
    yield make_emulator(shapes=request.param, **SMALL_WORLD)


def test_archive_sync_verify_and_digest_in_every_shape(
    shaped: EmulatorServer, tmp_path: Path
) -> None:
    first = sync(shaped, tmp_path)
    assert first.ok, first.stats.errors
    assert not any("kept raw" in counts for counts in first.stats.records.values())
    verify = invoke_cli(shaped, "archive", "verify", "--to", str(tmp_path))
    assert verify.exit_code == 0, verify.stdout + verify.stderr
    held = digest(tmp_path)

    # What the archive holds is what was served.
    chats = {c["id"]: c for c in _served_chats(shaped)}
    assert live(tmp_path, "chat") == chats
    feed = raw_get(shaped, "/activities", limit=5000, order="asc")["data"]
    assert set(live(tmp_path, "activity")) >= {a["id"] for a in feed}
    local = raw_get(shaped, "/apps/sessions/local")["data"]
    assert [live(tmp_path, "local_session")[s["id"]] for s in local] == local

    second = sync(shaped, tmp_path)
    assert second.ok, second.stats.errors
    fetched_new = {
        kind: dict(counts)
        for kind, counts in second.stats.records.items()
        if counts.get("new") or counts.get("changed")
    }
    assert fetched_new == {}  # a second run fetches nothing new
    assert digest(tmp_path) == held


def test_the_archive_keeps_the_served_key_order(
    make_emulator: Callable[..., EmulatorServer], tmp_path: Path
) -> None:
    server = make_emulator(shapes="sparse", **SMALL_WORLD)
    assert sync(server, tmp_path).ok
    connection = sqlite3.connect(tmp_path / "archive.sqlite3")
    try:
        rows = dict(connection.execute("SELECT key, data FROM records WHERE kind = 'chat'"))
    finally:
        connection.close()
    for chat in _served_chats(server):
        assert rows[chat["id"]] == _wire(chat)


def test_tail_emits_each_activity_exactly_as_served(shaped: EmulatorServer, tmp_path: Path) -> None:
    out = tmp_path / "feed.jsonl"
    result = invoke_cli(shaped, "activities", "tail", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    served = raw_get(shaped, "/activities", limit=5000, order="asc")["data"]
    lines = out.read_text().splitlines()
    assert lines[: len(served)] == [_wire(a) for a in served]


def test_export_writes_records_as_served(shaped: EmulatorServer, tmp_path: Path) -> None:
    chats = _served_chats(shaped)
    owner = next(c["user"]["id"] for c in chats if c.get("user"))
    out = tmp_path / "bundle"
    result = invoke_cli(shaped, "export", "ediscovery", "--user", owner, "--out", str(out))
    assert result.exit_code == 0, result.stderr
    for chat in (c for c in chats if (c.get("user") or {}).get("id") == owner):
        body = raw_get(
            shaped,
            f"/apps/chats/{chat['id']}/messages",
            tool_use_input_max_chars=-1,
            tool_result_max_chars=-1,
        )
        exported = json.loads(
            (out / "users" / owner / "chats" / chat["id"] / "chat.json").read_text()
        )
        page_fields = ("chat_messages", "has_more", "first_id", "last_id")
        expected = {k: v for k, v in body.items() if k not in page_fields}
        expected["chat_messages"] = body["chat_messages"]
        assert list(exported) == list(expected) and exported == expected
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["counts"]["kept_raw"] == 0


UNREADABLE = [{"created_at": "2026-01-01T00:00:00Z", "type": "mystery"}, "not an object"]


def test_a_record_no_model_can_read_is_archived_tailed_and_exported_as_served(
    make_emulator: Callable[..., EmulatorServer], tmp_path: Path
) -> None:
    server = make_emulator(**SMALL_WORLD)
    page = raw_get(server, "/activities", limit=5000, order="asc")
    readable = page["data"]
    page["data"] = [readable[0], UNREADABLE[0], *readable[1:], UNREADABLE[1]]
    page["has_more"] = False

    def script() -> None:
        control(
            server,
            "POST",
            "/faults",
            {
                "method": "GET",
                "path": "/v1/compliance/activities",
                "responses": [{"status": 200, "body": page}],
            },
        )

    script()
    result = sync(server, tmp_path / "archive")
    assert result.ok, result.stats.errors
    assert result.stats.records["activity"]["kept raw"] == 2
    held = [row["data"] for row in records(tmp_path / "archive", "activity").values()]
    assert all(record in held for record in UNREADABLE)
    assert {a["id"] for a in readable} <= {
        r["id"] for r in held if isinstance(r, dict) and "id" in r
    }
    verify = invoke_cli(server, "archive", "verify", "--to", str(tmp_path / "archive"))
    assert verify.exit_code == 0

    script()
    out = tmp_path / "feed.jsonl"
    tail = invoke_cli(server, "activities", "tail", "--out", str(out))
    assert tail.exit_code == 0, tail.stderr
    assert "2 kept raw" in tail.stderr
    assert out.read_text().splitlines() == [
        _wire(r) for r in [readable[0], *readable[1:], *UNREADABLE]
    ]
