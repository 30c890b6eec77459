"""The archive's building blocks on their own: store outcomes, digest rules, change hints,
progress."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from claude_compliance.archive.digest import archive_digest
from claude_compliance.archive.feed import change_hints, directory_areas
from claude_compliance.archive.progress import RichProgress
from claude_compliance.archive.store import ArchiveStore, RecordRow


@pytest.fixture
def store(tmp_path: Path) -> ArchiveStore:
    archive = ArchiveStore(tmp_path / "a")
    yield archive
    archive.close()


def test_upsert_outcomes_history_and_gone(store: ArchiveStore) -> None:
    row = RecordRow("chat", "c1", {"id": "c1", "name": "first"})
    with store.transaction():
        assert store.upsert(row).outcome == "new"
        assert store.upsert(row).outcome == "unchanged"
        assert store.upsert(RecordRow("chat", "c1", {"name": "first", "id": "c1"})).outcome == (
            "unchanged"
        )
        assert store.upsert(RecordRow("chat", "c1", {"id": "c1", "name": "second"})).outcome == (
            "changed"
        )
        assert store.mark_missing("chat", set()) == 1
        assert store.mark_missing("chat", set()) == 0
        assert store.upsert(RecordRow("chat", "c1", {"id": "c1", "name": "second"})).outcome == (
            "returned"
        )
    assert store.query("SELECT data FROM history") == [('{"id":"c1","name":"first"}',)]
    found = store.get("chat", "c1")
    assert found is not None and found["name"] == "second" and found["gone_at"] is None


def test_a_failed_transaction_leaves_nothing(store: ArchiveStore) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.upsert(RecordRow("chat", "c1", {"id": "c1"}))
        store.save_checkpoint("chats", {"updated_at": "2025-01-01T00:00:00Z"})
        raise RuntimeError("crash")
    assert store.get("chat", "c1") is None and store.checkpoint("chats") is None


def test_the_digest_ignores_times_and_bookkeeping(tmp_path: Path) -> None:
    digests = []
    for name in ("one", "two"):
        archive = ArchiveStore(tmp_path / name)
        archive.start_run()
        with archive.transaction():
            archive.upsert(RecordRow("chat", "c1", {"id": "c1", "b": 1, "a": 2}))
            archive.save_checkpoint("chats", {"updated_at": name})
        digests.append(archive_digest(archive))
        with archive.transaction():
            archive.upsert(RecordRow("chat", "c1", {"id": "c1", "b": 1, "a": 3}))
        digests.append(archive_digest(archive))
        archive.close()
    assert digests[0] == digests[2] and digests[1] == digests[3] and digests[0] != digests[1]


def test_change_hints_from_activities() -> None:
    hints = change_hints(
        [
            {"id": "a1", "type": "claude_chat_updated", "claude_chat_id": "c1"},
            {"id": "a2", "type": "claude_chat_viewed", "claude_chat_id": "c2"},
            {
                "id": "a3",
                "type": "compliance_api_accessed",
                "request_method": "DELETE",
                "url": "https://api.anthropic.com/v1/compliance/apps/projects/documents/d1?x=1",
            },
            {
                "id": "a4",
                "type": "compliance_api_accessed",
                "request_method": "GET",
                "url": "/v1/compliance/apps/chats/c3",
            },
            {"id": "a5", "type": "claude_project_document_uploaded", "claude_project_id": "p1"},
            # A chat updated inside a project changes the chat, not the project...
            {
                "id": "a6",
                "type": "claude_chat_updated",
                "claude_chat_id": "c4",
                "claude_project_id": "p2",
            },
            # ...a chat created in it changes its chats_count.
            {
                "id": "a7",
                "type": "claude_chat_created",
                "claude_chat_id": "c5",
                "claude_project_id": "p3",
            },
            {"id": "a8", "type": "group_member_added", "group_id": "g1"},
            {"id": "a9", "type": "claude_organization_settings_updated"},
            {"id": "a10", "type": "org_users_listed"},
            {"id": "a11", "type": "sso_login_succeeded"},
        ]
    )
    assert {(kind, key) for kind, key, _ in hints} == {
        ("chat", "c1"),
        ("project_document", "d1"),
        ("project", "p1"),
        ("chat", "c4"),
        ("chat", "c5"),
        ("project", "p3"),
        ("directory", "groups"),
        ("directory", "organizations"),
    }
    assert directory_areas("rbac_role_created") == ("organizations", "groups")
    assert directory_areas("claude_chat_viewed") == ()


def test_rich_progress_draws_counts() -> None:
    stream = io.StringIO()
    console = Console(file=stream, force_terminal=True, width=120)
    with RichProgress(console) as progress:
        progress.add("chats", 3)
        progress.advance("chats", 2)
        progress.advance("activities", 50)
        progress.add("chats", 1)
    text = stream.getvalue()
    assert "chats" in text and "2/4" in text and "activities" in text
