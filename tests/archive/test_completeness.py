"""A sync holds every record and every content byte the emulator serves, exactly as served."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from claude_compliance.emulator.server import EmulatorServer

from ..support import ADMIN_KEY, ANCHOR, READONLY_KEY
from .conftest import SMALL_WORLD, assert_archive_matches, blob_bytes, live, records, sha256, sync

BLOB_KINDS = {
    "file": "file",
    "generated_file": "generated_file",
    "project_document": "project_document",
    "artifact_version": "artifact_version",
    "code_artifact_version": "code_artifact_version",
}


@pytest.fixture(scope="module")
def archived(tmp_path_factory: pytest.TempPathFactory) -> tuple[EmulatorServer, Path]:
    from claude_compliance.emulator.config import EmulatorConfig

    server = EmulatorServer(
        EmulatorConfig(anchor=ANCHOR, seed=11, rpm=0, access_activities=False, **SMALL_WORLD)
    )
    server.start()
    root = tmp_path_factory.mktemp("archive")
    result = sync(server, root)
    assert result.ok, result.stats.errors
    yield server, root
    server.stop()


def test_every_record_is_archived_as_served(archived: tuple[EmulatorServer, Path]) -> None:
    server, root = archived
    assert_archive_matches(server, root)


def test_every_content_byte_is_archived_and_verified(
    archived: tuple[EmulatorServer, Path],
) -> None:
    server, root = archived
    held = 0
    for blob in server.store.iter_blobs():
        row = records(root, BLOB_KINDS[blob.kind])[blob.id]
        assert row["blob_sha256"] == sha256(blob.content), (blob.kind, blob.id)
        assert blob_bytes(root, row["blob_sha256"]) == blob.content
        held += 1
    assert held > 20


def test_a_second_sync_fetches_nothing_new(archived: tuple[EmulatorServer, Path]) -> None:
    server, root = archived
    result = sync(server, root)
    assert result.ok
    assert result.stats.downloads == 0
    changed = {
        kind: counts
        for kind, counts in result.stats.records.items()
        if counts.get("new") or counts.get("changed") or counts.get("gone")
    }
    assert changed == {}
    # Only listings: no chat, session or content is fetched again.
    assert result.stats.requests < 60


def test_a_readonly_key_archives_everything_too(
    make_emulator: Callable[..., EmulatorServer], tmp_path: Path
) -> None:
    server = make_emulator(**SMALL_WORLD)
    result = sync(server, tmp_path, key=READONLY_KEY)
    assert result.ok and not result.stats.skipped
    assert len(live(tmp_path, "chat")) == len(list(server.store.iter_chats()))


def test_an_admin_key_archives_the_feed_and_skips_the_rest(
    make_emulator: Callable[..., EmulatorServer], tmp_path: Path
) -> None:
    server = make_emulator(**SMALL_WORLD)
    result = sync(server, tmp_path, key=ADMIN_KEY)
    assert result.ok
    assert len(live(tmp_path, "activity")) == len(list(server.store.iter_activities()))
    assert {"chats", "projects", "organizations", "groups"} <= set(result.stats.skipped)
    assert live(tmp_path, "chat") == {}
