"""``export ediscovery --from-archive``: the live export's bundle, from the archive alone."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from claude_compliance import ComplianceClient
from claude_compliance.archive.digest import archive_digest
from claude_compliance.archive.reader import ArchiveReader
from claude_compliance.emulator.server import EmulatorServer
from claude_compliance.export.bundle_index import render_index

from ..archive.conftest import SMALL_WORLD, sync
from ..cli.conftest import invoke_cli
from ..support import FULL_KEY
from .test_export import _busiest_user, _tree


@pytest.fixture
def world(make_emulator: Callable[..., EmulatorServer]) -> EmulatorServer:
    return make_emulator(**SMALL_WORLD)


def _export(*args: str) -> dict[str, Any]:
    # No key and no API address: the export cannot call the API even if it tried.
    result = invoke_cli(None, "--format", "json", "export", "ediscovery", *args, key=None)
    assert result.exit_code == 0, result.output
    summary: dict[str, Any] = json.loads(result.stdout)
    return summary


def test_the_archive_bundle_matches_the_live_one(world: EmulatorServer, tmp_path: Path) -> None:
    root = tmp_path / "archive"
    sync(world, root)
    user = _busiest_user(world)
    live = tmp_path / "live"
    result = invoke_cli(world, "export", "ediscovery", "--user", user["email"], "--out", str(live))
    assert result.exit_code == 0, result.output
    archived = tmp_path / "archived"
    summary = _export("--from-archive", str(root), "--user", user["email"], "--out", str(archived))
    assert summary["chats"] > 0 and summary["files"] > 0
    live_files = _tree(live)
    archived_files = _tree(archived)
    shared = {p: c for p, c in archived_files.items() if "/sessions/" not in p}
    del shared["manifest.json"], shared["index.html"]
    del live_files["manifest.json"]
    assert shared == live_files  # same paths, same bytes

    manifest = json.loads(archived_files["manifest.json"])
    with ArchiveReader(root) as reader:
        assert manifest["source"]["archive_digest"] == archive_digest(reader)
    assert manifest["source"]["selection"]["users"] == [user["email"]]
    assert manifest["query"]["resolved_user_ids"] == [user["id"]]
    for entry in manifest["files"]:
        content = archived_files[entry["path"]]
        assert entry["sha256"] == hashlib.sha256(content).hexdigest()
    index = archived_files["index.html"].decode()
    assert "<script" not in index.lower() and "Content-Security-Policy" in index


def test_activities_about_a_user_that_others_performed_stay_out(
    world: EmulatorServer, tmp_path: Path
) -> None:
    # The live export asks the feed for the user's activities by actor (actor_ids[]); an
    # activity about the user performed by someone else (a SCIM sync deleting them, a service
    # account adding them) is not theirs. The bundle from the archive must hold the same lines.
    root = tmp_path / "archive"
    sync(world, root)
    with ArchiveReader(root) as reader:
        subjects = reader.query(
            "SELECT json_extract(data, '$.user_id') FROM records WHERE kind = 'activity' "
            "AND json_extract(data, '$.user_id') IS NOT NULL "
            "AND json_extract(data, '$.actor.user_id') IS NOT json_extract(data, '$.user_id') "
            "ORDER BY key LIMIT 1"
        )
    assert subjects, "the world has no activity about a user performed by another actor"
    user_id = subjects[0][0]
    live = tmp_path / "live"
    result = invoke_cli(world, "export", "ediscovery", "--user", user_id, "--out", str(live))
    assert result.exit_code == 0, result.output
    archived = tmp_path / "archived"
    _export("--from-archive", str(root), "--user", user_id, "--out", str(archived))
    path = f"users/{user_id}/activities.jsonl"
    live_lines = _tree(live)[path].decode().splitlines()
    assert live_lines and _tree(archived)[path].decode().splitlines() == live_lines


def test_select_by_query_by_ids_and_by_dates(world: EmulatorServer, tmp_path: Path) -> None:
    root = tmp_path / "archive"
    chat = world.world.add_chat(name="Project Falcon kickoff", messages=2)
    world.world.append_message(chat["id"], text="Falcon budget is confidential")
    sync(world, root)
    by_query = _export(
        "--from-archive", str(root), "--query", "falcon", "--out", str(tmp_path / "q.zip")
    )
    assert by_query["chats"] == 1 and by_query["chat_messages"] == 3
    with zipfile.ZipFile(tmp_path / "q.zip") as bundle:
        manifest = json.loads(bundle.read("manifest.json"))
        names = bundle.namelist()
    assert manifest["source"]["selection"]["query"] == "falcon"
    assert f"users/{chat['user']['id']}/chats/{chat['id']}/transcript.md" in names

    message_id = chat["message_ids"][0]
    by_ids = _export(
        "--from-archive",
        str(root),
        "--id",
        message_id,
        "--id",
        chat["file"]["id"],
        "--out",
        str(tmp_path / "ids"),
    )
    assert by_ids["chats"] == 1  # the message and the file both bring their chat, once
    session = next(iter(world.store.iter_local_sessions()))
    project = next(iter(world.store.iter_projects()))
    activity = next(iter(world.store.iter_activities()))
    mixed = _export(
        "--from-archive",
        str(root),
        "--id",
        session["id"],
        "--id",
        project["id"],
        "--id",
        activity["id"],
        "--out",
        str(tmp_path / "mixed"),
    )
    assert mixed["sessions"] == 1 and mixed["projects"] == 1 and mixed["activities"] == 1

    dated = _export(
        "--from-archive",
        str(root),
        "--user",
        chat["user"]["id"],
        "--from",
        "2000-01-01",
        "--to",
        "2000-01-02",
        "--out",
        str(tmp_path / "dated"),
    )
    assert dated["users"] == 1 and dated["chats"] == 0


def test_records_gone_at_the_source_are_exported_and_listed(
    world: EmulatorServer, tmp_path: Path
) -> None:
    root = tmp_path / "archive"
    chat = world.world.add_chat(name="Later deleted", messages=2)
    sync(world, root)
    with ComplianceClient(api_key=FULL_KEY, base_url=world.url) as client:
        client.chats.delete(chat["id"])
    sync(world, root, sweep="always")
    out = tmp_path / "bundle"
    summary = _export("--from-archive", str(root), "--id", chat["id"], "--out", str(out))
    assert summary["chats"] == 1
    manifest = json.loads((out / "manifest.json").read_text())
    assert {"kind": "chat", "id": chat["id"]}.items() <= manifest["gone_at_source"][0].items()
    assert "gone at the source" in (out / "index.html").read_text()


def test_bad_selections(world: EmulatorServer, tmp_path: Path) -> None:
    root = tmp_path / "archive"
    sync(world, root)

    def run(*args: str) -> Any:
        return invoke_cli(None, "export", "ediscovery", *args, "--out", str(tmp_path / "x"))

    assert run("--from-archive", str(root)).exit_code == 2
    assert run("--from-archive", str(root), "--query", "a AND (").exit_code == 2
    assert run("--from-archive", str(root), "--user", "nobody@example.com").exit_code == 2
    unknown = run("--from-archive", str(root), "--id", "claude_chat_nope")
    assert unknown.exit_code == 1 and "claude_chat_nope" in unknown.stderr
    assert run("--query", "falcon").exit_code == 2  # needs --from-archive
    assert run().exit_code == 2
    assert run("--from-archive", str(tmp_path)).exit_code == 2
    no_archive = run("--from-archive", str(tmp_path), "--id", "x")
    assert no_archive.exit_code == 1 and "no archive" in no_archive.stderr


def test_the_bundle_reader_lists_files_without_content() -> None:
    index = {
        "users": [
            {
                "id": "user_1",
                "email": None,
                "folder": "users/user_1",
                "chats": [
                    {
                        "id": "c",
                        "name": "<b>x</b>",
                        "created_at": None,
                        "gone": True,
                        "messages": [],
                        "transcript": "t.md",
                        "files": [{"name": "a b#?.txt", "metadata": "m.json"}],
                    }
                ],
                "projects": [],
                "sessions": [],
                "activities": 0,
            }
        ]
    }
    summary = {
        "source": {"archive_digest": "sha256:0", "selection": {}},
        "counts": {"chats": 1},
        "gone_at_source": [],
    }
    page = render_index(index, summary)
    assert "&lt;b&gt;x&lt;/b&gt;" in page and "a b#?.txt" in page and "content</a>" not in page
