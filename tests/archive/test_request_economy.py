"""Every request a sync makes is one it needs: no metadata the references already carry,
maximum page sizes, one walk per list, only what changed — and deletions the Activity Feed
does not show are still found, within the sweep schedule."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx2
import pytest

from claude_compliance import ComplianceClient
from claude_compliance.archive.context import SyncOptions
from claude_compliance.archive.store import ArchiveStore
from claude_compliance.archive.sweeps import SWEEP_INTERVALS, Sweeps
from claude_compliance.archive.sync import (
    RequestCounter,
    SyncResult,
    archive_client,
    endpoint_family,
    sync_archive,
)
from claude_compliance.common.timestamps import parse_timestamp
from claude_compliance.emulator.server import EmulatorServer

from ..support import FULL_KEY, control
from .conftest import SMALL_WORLD, assert_archive_matches, records, sync

# The spec's maximum page size of every list the archive walks (section 3).
MAXIMUM_PAGE = {
    "activities": 5000,
    "apps/chats": 1000,
    "apps/projects": 100,
    "apps/projects/{id}/attachments": 100,
    "apps/projects/{id}/collaborators": 100,
    "apps/code/artifacts": 100,
    "apps/sessions/local": 500,
    "apps/sessions/remote": 500,
    "apps/sessions/local/{id}/messages": 1000,
    "apps/sessions/remote/{id}/messages": 1000,
    "organizations": 1000,
    "organizations/{id}/users": 1000,
    "organizations/{id}/user_preferences": 100,
    "organizations/{id}/roles": 1000,
    "organizations/{id}/roles/{id}/permissions": 1000,
    "groups": 1000,
    "groups/{id}/members": 1000,
}


class UrlRecorder(RequestCounter):
    """Also keeps every URL sent."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[httpx2.URL] = []

    async def on_request(self, request: httpx2.Request) -> None:
        await super().on_request(request)
        self.urls.append(request.url)


def recorded_sync(
    server: EmulatorServer, root: Path, **options: Any
) -> tuple[SyncResult, UrlRecorder]:
    async def run() -> tuple[SyncResult, UrlRecorder]:
        recorder = UrlRecorder()
        async with archive_client(
            api_key=FULL_KEY, base_url=server.url, counter=recorder
        ) as client:
            result = await sync_archive(
                client, root, options=SyncOptions(**options), counter=recorder
            )
        return result, recorder

    return asyncio.run(run())


@contextlib.contextmanager
def archive(root: Path) -> Iterator[ArchiveStore]:
    store = ArchiveStore(root)
    try:
        yield store
    finally:
        store.close()


@pytest.fixture
def world(make_emulator: Callable[..., EmulatorServer]) -> EmulatorServer:
    return make_emulator(**SMALL_WORLD)


def test_a_first_sync_asks_only_for_what_nothing_else_carries(
    make_emulator: Callable[..., EmulatorServer], tmp_path: Path
) -> None:
    # Enough chats for expired generated files and projects without attachments.
    world = make_emulator(**{**SMALL_WORLD, "chats": 48, "projects": 12})
    result, recorder = recorded_sync(world, tmp_path)
    assert result.ok, result.stats.errors
    assert_archive_matches(world, tmp_path)
    spent = result.stats.requests_by_endpoint
    store = world.store
    # Files and documents: content only; their metadata comes from references and the text.
    assert "apps/chats/files/{id}" not in spent
    assert "apps/projects/documents/{id}/metadata" not in spent
    assert spent["apps/chats/files/{id}/content"] == len(list(store.iter_files()))
    assert spent["apps/projects/documents/{id}"] == len(list(store.iter_project_documents()))
    # Generated files: metadata once (only it has created_at); no download of expired content.
    generated = list(store.iter_generated_files())
    assert spent["apps/chats/generated-files/{id}"] == len(generated)
    with_content = [g for g in generated if g["md5"] is not None]
    assert len(with_content) < len(generated)
    assert spent["apps/chats/generated-files/{id}/content"] == len(with_content)
    # Pending remote sessions are not asked for messages they cannot have yet.
    readable = [s for s in store.iter_remote_sessions() if s["status"] != "pending"]
    assert spent["apps/sessions/remote/{id}/messages"] == len(readable)
    # Projects without attachments are not asked for them.
    projects = [p["id"] for p in store.iter_projects()]
    with_attachments = {key.split("/", 1)[0] for key in records(tmp_path, "project_attachment")}
    assert spent["apps/projects/{id}/attachments"] == len(with_attachments) < len(projects)
    # One walk of each list, at the maximum page size.
    assert spent["apps/chats"] == spent["apps/projects"] == spent["groups"] == 1
    for url in recorder.urls:
        family = endpoint_family(url.path)
        if family in MAXIMUM_PAGE:
            limit = parse_qs(urlsplit(str(url)).query).get("limit")
            assert limit == [str(MAXIMUM_PAGE[family])], (family, limit)
    assert sum(spent.values()) == result.stats.requests


def test_runs_after_it_touch_only_what_changed(world: EmulatorServer, tmp_path: Path) -> None:
    assert sync(world, tmp_path).ok
    idle = sync(world, tmp_path)
    assert idle.ok
    # One page of each list that can say what changed; the whole (small) remote-session list;
    # nothing of the directory, which the feed shows unchanged.
    assert idle.stats.requests_by_endpoint == {
        "activities": 1,
        "apps/chats": 1,
        "apps/code/artifacts": 1,
        "apps/projects": 1,
        "apps/sessions/local": 1,
        "apps/sessions/remote": 1,
    }
    chats = list(world.store.iter_chats())
    in_project = next(c for c in chats if c["project_id"])
    control(world, "POST", f"/chats/{in_project['id']}/messages", {"text": "later"})
    changed = sync(world, tmp_path)
    assert changed.ok
    spent = changed.stats.requests_by_endpoint
    # The chat is read again; its project, files and generated files are not.
    assert spent["apps/chats/{id}/messages"] == 1
    assert not any(family.startswith("apps/projects/") for family in spent)
    assert not any("files" in family or "artifacts/{id}" in family for family in spent)
    assert changed.stats.records["chat"]["changed"] == 1
    assert changed.stats.requests_per_object is not None
    assert_archive_matches(world, tmp_path, activities=False)


def test_a_directory_change_in_the_feed_rereads_the_directory(
    make_emulator: Callable[..., EmulatorServer], tmp_path: Path
) -> None:
    server = make_emulator(**SMALL_WORLD)
    assert sync(server, tmp_path).ok
    with archive(tmp_path) as store, store.transaction():
        store.mark_dirty([("directory", "groups", "group_updated activity_x")])
    result = sync(server, tmp_path)
    spent = result.stats.requests_by_endpoint
    assert spent["groups"] == 1 and "organizations" not in spent
    assert "groups" not in sync(server, tmp_path).stats.requests_by_endpoint


def _age_sweeps(root: Path, by: timedelta) -> None:
    """Pretend the last sweeps were ``by`` earlier."""
    with archive(root) as store:
        names = [
            n for (n,) in store.query("SELECT name FROM checkpoints WHERE name LIKE 'sweep:%'")
        ]
        with store.transaction():
            for name in names:
                at = parse_timestamp(store.checkpoint(name)["at"]) - by
                store.save_checkpoint(name, {"at": at.isoformat().replace("+00:00", "Z")})


@pytest.mark.parametrize("schedule", ["always", "daily", "weekly"])
def test_a_deletion_the_feed_does_not_show_is_found_within_the_sweep_schedule(
    make_emulator: Callable[..., EmulatorServer], tmp_path: Path, schedule: str
) -> None:
    # No access activities: a Compliance API delete leaves no trace in the feed, like a chat
    # removed by a retention period.
    server = make_emulator(**SMALL_WORLD)
    assert sync(server, tmp_path, sweep=schedule).ok
    chat = next(c["id"] for c in server.store.iter_chats())
    with ComplianceClient(api_key=FULL_KEY, base_url=server.url) as client:
        client.chats.delete(chat)
    interval = SWEEP_INTERVALS[schedule]

    def gone() -> bool:
        return records(tmp_path, "chat")[chat]["gone_at"] is not None

    if interval:
        # Just before the interval has passed since the last sweep: not noticed yet...
        _age_sweeps(tmp_path, interval - timedelta(minutes=5))
        assert sync(server, tmp_path, sweep=schedule).ok
        assert not gone()
        _age_sweeps(tmp_path, timedelta(minutes=5))
    # ...and noticed by the first run once it has.
    result = sync(server, tmp_path, sweep=schedule)
    assert result.ok and gone()
    assert result.stats.records["chat"]["gone"] == 1
    assert_archive_matches(server, tmp_path, activities=False)


def test_sweeps_record_when_each_collection_was_listed(tmp_path: Path) -> None:
    with archive(tmp_path) as store:
        sweeps = Sweeps(store, "daily")
        assert sweeps.due("chats") and sweeps.last("chats") is None
        sweeps.done("chats")
        assert not sweeps.due("chats") and sweeps.due("projects")
        later = Sweeps(store, "daily", now=sweeps.now + timedelta(days=1))
        assert later.due("chats")
        assert not Sweeps(store, "weekly", now=later.now).due("chats")
        with pytest.raises(ValueError, match="unknown sweep schedule"):
            Sweeps(store, "hourly")


def test_verbose_logs_say_why_each_object_is_read(
    world: EmulatorServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="claude_compliance.archive"):
        assert sync(world, tmp_path).ok
    messages = [r.getMessage() for r in caplog.records]
    assert any(m.startswith("read chat ") and m.endswith(": new") for m in messages)
    assert any(m.startswith("read file ") and m.endswith(": new") for m in messages)
    assert any(m == "read groups: sweep" or m == "read groups: changed (feed)" for m in messages)
    caplog.clear()
    chat = next(world.store.iter_chats())["id"]
    control(world, "POST", f"/chats/{chat}/messages", {"text": "later"})
    with caplog.at_level(logging.INFO, logger="claude_compliance.archive"):
        assert sync(world, tmp_path).ok
    assert [r.getMessage() for r in caplog.records] == [f"read chat {chat}: changed (feed)"]


def test_flagged_objects_are_read_through_their_metadata(
    world: EmulatorServer, tmp_path: Path
) -> None:
    assert sync(world, tmp_path).ok
    file_id = next(f["id"] for f in world.store.iter_files() if f["claude_chat_ids"])
    document = next(world.store.iter_project_documents())
    with archive(tmp_path) as store, store.transaction():
        store.mark_dirty(
            [
                ("file", file_id, "claude_file_viewed_and_more activity_1"),
                ("project_document", document["id"], "updated activity_2"),
                ("project_document", "claude_proj_doc_01unknown", "uploaded activity_3"),
                ("generated_file", "claude_gen_file_01unknown", "made activity_4"),
            ]
        )
    result = sync(world, tmp_path)
    assert result.ok, result.stats.errors
    spent = result.stats.requests_by_endpoint
    # The held file: its metadata (the reference may be older than the change); content held.
    assert spent["apps/chats/files/{id}"] == 1 and result.stats.downloads == 0
    # The held document: its text again; the unknown one: only its metadata names its project.
    assert spent["apps/projects/documents/{id}"] == 1
    assert spent["apps/projects/documents/{id}/metadata"] == 1
    assert spent["apps/chats/generated-files/{id}"] == 1
    with archive(tmp_path) as store:
        assert not store.dirty_keys("file") and not store.dirty_keys("project_document")
    assert_archive_matches(world, tmp_path, activities=False)


def test_an_upload_deleted_before_it_was_archived_is_not_an_error(
    world: EmulatorServer, tmp_path: Path
) -> None:
    upload = next(f for f in world.store.iter_files() if f["claude_chat_ids"])
    with ComplianceClient(api_key=FULL_KEY, base_url=world.url) as client:
        client.files.delete(upload["id"])
    result = sync(world, tmp_path)
    assert result.ok, result.stats.errors
    # The chat still refers to it: the download and then the metadata answer 404.
    assert result.stats.requests_by_endpoint["apps/chats/files/{id}"] == 1
    assert upload["id"] not in records(tmp_path, "file")
    assert upload["claude_chat_ids"][0] in records(tmp_path, "chat")


def test_what_was_deleted_before_the_first_sync_costs_no_request(
    world: EmulatorServer, tmp_path: Path
) -> None:
    # The feed still tells of the chat and its uploads; a complete listing shows it is gone.
    chat = next(
        c
        for c in world.store.iter_chats()
        if any(f["claude_chat_ids"] == [c["id"]] for f in world.store.iter_files())
    )
    with ComplianceClient(api_key=FULL_KEY, base_url=world.url) as client:
        client.chats.delete(chat["id"])
    result = sync(world, tmp_path)
    assert result.ok, result.stats.errors
    spent = result.stats.requests_by_endpoint
    assert spent["apps/chats/{id}/messages"] == len(list(world.store.iter_chats()))
    assert "apps/chats/files/{id}" not in spent
    with archive(tmp_path) as store:
        assert not any(store.dirty_keys(kind) for kind in ("chat", "file", "project"))
    assert_archive_matches(world, tmp_path)
