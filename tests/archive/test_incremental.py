"""Incremental runs after the world changes: new and edited records arrive, deleted ones are
kept and marked gone, and content already held is not downloaded again."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from claude_compliance import ComplianceClient
from claude_compliance.emulator.server import EmulatorServer

from ..support import FULL_KEY, control
from .conftest import SMALL_WORLD, assert_archive_matches, live, records, sync


def test_incremental_sync_follows_changes_and_never_forgets(
    make_emulator: Callable[..., EmulatorServer], tmp_path: Path
) -> None:
    # Access activities on: Compliance API deletes then show up in the feed, as in production.
    server = make_emulator(**SMALL_WORLD, access_activities=True)
    first = sync(server, tmp_path)
    assert first.ok, first.stats.errors
    chats = list(server.store.iter_chats())
    plain = [c for c in chats if c["project_id"] is None]
    edited, soft_deleted, deleted = plain[0]["id"], plain[1]["id"], plain[2]["id"]
    deleted_messages = set(records(tmp_path, "chat_message")) & {
        m["id"] for m in server.store.chat_messages(deleted)
    }
    project_chats = {c["project_id"] for c in chats}
    project_gone = next(
        p["id"] for p in server.store.iter_projects() if p["id"] not in project_chats
    )
    documents = [
        d for d in server.store.iter_project_documents() if d["claude_project_id"] != project_gone
    ]
    document_gone = documents[0]["id"]
    project_file = next(
        f["id"]
        for f in server.store.iter_files()
        if not f.get("claude_chat_ids")
        and f["id"]
        in {
            k.split("/", 1)[1]
            for k, r in records(tmp_path, "project_attachment").items()
            if r["parent_key"] != project_gone
        }
    )

    new_activities = control(server, "POST", "/activities", {"count": 5})["ids"]
    new_chat = control(server, "POST", "/chats", {"messages": 3, "with_file": True})
    control(server, "POST", f"/chats/{edited}/messages", {"text": "one more thing"})
    control(server, "POST", f"/chats/{soft_deleted}/soft-delete")
    new_project = control(server, "POST", "/projects", {"name": "Fresh project"})
    with ComplianceClient(api_key=FULL_KEY, base_url=server.url) as client:
        client.chats.delete(deleted)
        client.project_documents.delete(document_gone)
        client.files.delete(project_file)
        client.projects.delete(project_gone)

    second = sync(server, tmp_path)
    assert second.ok, second.stats.errors

    # New things arrived, content downloaded once: the new chat's file, the new project's
    # document and file.
    assert set(new_activities) <= set(live(tmp_path, "activity"))
    assert new_chat["id"] in live(tmp_path, "chat")
    assert set(new_chat["message_ids"]) <= set(live(tmp_path, "chat_message"))
    assert new_project["id"] in live(tmp_path, "project")
    assert second.stats.downloads == 3
    # The edited chat has its new message, and its previous version is kept.
    assert live(tmp_path, "chat")[edited]["updated_at"] > plain[0]["updated_at"]
    assert second.stats.records["chat"]["changed"] >= 2
    # The user's soft delete is just a change: the chat stays readable.
    assert live(tmp_path, "chat")[soft_deleted]["deleted_at"] is not None
    # Hard deletes: kept, marked gone, with what went with them.
    all_chats = records(tmp_path, "chat")
    assert all_chats[deleted]["gone_at"] is not None
    messages = records(tmp_path, "chat_message")
    assert deleted_messages and all(messages[m]["gone_at"] for m in deleted_messages)
    assert records(tmp_path, "project")[project_gone]["gone_at"] is not None
    attachments = records(tmp_path, "project_attachment")
    assert all(r["gone_at"] for r in attachments.values() if r["parent_key"] == project_gone)
    assert records(tmp_path, "project_document")[document_gone]["gone_at"] is not None
    assert records(tmp_path, "file")[project_file]["gone_at"] is not None
    # And everything still served matches the server exactly.
    assert_archive_matches(server, tmp_path, activities=False)

    third = sync(server, tmp_path)
    assert third.ok and third.stats.downloads == 0
    assert not any(c.get("changed") or c.get("gone") for c in third.stats.records.values())


def test_history_keeps_replaced_versions(
    make_emulator: Callable[..., EmulatorServer], tmp_path: Path
) -> None:
    import sqlite3

    server = make_emulator(**SMALL_WORLD)
    sync(server, tmp_path)
    chat = next(server.store.iter_chats())["id"]
    control(server, "POST", f"/chats/{chat}/messages", {"text": "later"})
    assert sync(server, tmp_path).ok
    connection = sqlite3.connect(tmp_path / "archive.sqlite3")
    try:
        versions = connection.execute(
            "SELECT COUNT(*) FROM history WHERE kind = 'chat' AND key = ?", (chat,)
        ).fetchone()[0]
    finally:
        connection.close()
    assert versions == 1


def test_without_the_sweep_the_walks_still_see_changes(
    make_emulator: Callable[..., EmulatorServer], tmp_path: Path
) -> None:
    server = make_emulator(**SMALL_WORLD)
    assert sync(server, tmp_path, sweep="weekly").ok
    chat = control(server, "POST", "/chats", {"messages": 2, "with_file": False})
    project = control(server, "POST", "/projects", {})
    result = sync(server, tmp_path, sweep="weekly", overlap_seconds=0)
    assert result.ok
    assert chat["id"] in live(tmp_path, "chat") and project["id"] in live(tmp_path, "project")
