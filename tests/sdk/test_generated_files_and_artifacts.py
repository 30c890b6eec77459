"""Generated files and chat artifacts over real HTTP: metadata and every download form."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from claude_compliance import (
    ArtifactMetadata,
    DownloadTooLargeError,
    GeneratedFileMetadata,
    NotFoundError,
    PermissionDeniedError,
)
from claude_compliance.emulator.server import EmulatorServer

from ..support import ADMIN_KEY, raw_get


def generated(server: EmulatorServer) -> list[dict[str, Any]]:
    return list(server.store.iter_generated_files())


def generated_content(server: EmulatorServer) -> dict[str, bytes]:
    return {b.id: b.content for b in server.store.iter_blobs() if b.kind == "generated_file"}


def artifact_versions(server: EmulatorServer) -> list[dict[str, Any]]:
    return list(server.store.iter_artifact_versions())


def artifact_content(server: EmulatorServer) -> dict[str, bytes]:
    return {b.id: b.content for b in server.store.iter_blobs() if b.kind == "artifact_version"}


async def test_generated_file_metadata(api: Any, emulator: EmulatorServer) -> None:
    records = generated(emulator)
    assert len(records) >= 3
    for record in records:
        meta = await api.generated_files.get(record["id"])
        assert isinstance(meta, GeneratedFileMetadata) and meta.to_dict() == record
        raw = raw_get(emulator, f"/apps/chats/generated-files/{record['id']}")
        assert raw == record and GeneratedFileMetadata.from_dict(raw).to_dict() == raw
    # Every generated file is referenced by a message of its chat.
    record = records[0]
    chat = await api.chats.get(record["claude_chat_id"])
    refs = [g for m in chat.chat_messages for g in m.generated_files or []]
    assert record["id"] in {g.id for g in refs}


async def test_generated_file_downloads(api: Any, emulator: EmulatorServer, tmp_path: Path) -> None:
    contents = generated_content(emulator)
    for record in generated(emulator):
        if record["id"] not in contents:
            continue
        expected = contents[record["id"]]
        data = await api.generated_files.download(record["id"])
        assert data == expected and hashlib.md5(data).hexdigest() == record["md5"]
        assert len(data) == record["size_bytes"]
        chunks = [c async for c in api.generated_files.download_stream(record["id"])]
        assert b"".join(chunks) == expected
        target = tmp_path / f"{record['id']}.bin"
        written = await api.generated_files.download_to_file(record["id"], target)
        assert written == target and target.read_bytes() == expected
    folder = tmp_path / "folder"
    folder.mkdir()
    record = next(r for r in generated(emulator) if r["id"] in contents)
    written = await api.generated_files.download_to_file(record["id"], folder)
    assert written == folder / record["filename"] and written.read_bytes() == contents[record["id"]]
    with pytest.raises(FileExistsError):
        await api.generated_files.download_to_file(record["id"], written, overwrite=False)
    with pytest.raises(DownloadTooLargeError):
        await api.generated_files.download(record["id"], max_bytes=10)


async def test_expired_generated_file(api: Any, emulator: EmulatorServer, tmp_path: Path) -> None:
    expired = next(r for r in generated(emulator) if r["size_bytes"] is None)
    meta = await api.generated_files.get(expired["id"])
    assert meta.size_bytes is None and meta.md5 is None
    with pytest.raises(NotFoundError, match=expired["id"]):
        await api.generated_files.download(expired["id"])
    with pytest.raises(NotFoundError):
        await api.generated_files.download_to_file(expired["id"], tmp_path)
    assert list(tmp_path.iterdir()) == []  # nothing partial left behind


async def test_unknown_generated_file(api: Any) -> None:
    with pytest.raises(NotFoundError, match="claude_gen_file_nope") as caught:
        await api.generated_files.get("claude_gen_file_nope")
    assert caught.value.resource_id == "claude_gen_file_nope"
    with pytest.raises(NotFoundError, match="claude_gen_file_nope"):
        [c async for c in api.generated_files.download_stream("claude_gen_file_nope")]
    with pytest.raises(ValueError, match="claude_gen_file_id"):
        await api.generated_files.get("..")


async def test_artifact_metadata(api: Any, emulator: EmulatorServer) -> None:
    records = artifact_versions(emulator)
    assert len(records) >= 3
    for record in records:
        meta = await api.artifacts.get(record["version_id"])
        assert isinstance(meta, ArtifactMetadata) and meta.to_dict() == record
        raw = raw_get(emulator, f"/apps/artifacts/{record['version_id']}")
        assert ArtifactMetadata.from_dict(raw).to_dict() == raw == record
    # Several versions of one artifact share its stable id.
    by_artifact: dict[str, int] = {}
    for record in records:
        by_artifact[record["id"]] = by_artifact.get(record["id"], 0) + 1
    assert max(by_artifact.values()) >= 2


async def test_artifact_downloads(api: Any, emulator: EmulatorServer, tmp_path: Path) -> None:
    contents = artifact_content(emulator)
    for record in artifact_versions(emulator):
        expected = contents[record["version_id"]]
        text = await api.artifacts.download(record["version_id"])
        assert text == expected and hashlib.md5(text).hexdigest() == record["md5"]
        assert len(text) == record["size_bytes"]
        chunks = [c async for c in api.artifacts.download_stream(record["version_id"])]
        assert b"".join(chunks) == expected
    record = artifact_versions(emulator)[0]
    written = await api.artifacts.download_to_file(record["version_id"], tmp_path)
    assert written.parent == tmp_path and written.read_bytes() == contents[record["version_id"]]
    explicit = await api.artifacts.download_to_file(record["version_id"], tmp_path / "a.txt")
    assert explicit == tmp_path / "a.txt"


async def test_artifact_by_stable_id_is_not_found(api: Any, emulator: EmulatorServer) -> None:
    record = artifact_versions(emulator)[0]
    with pytest.raises(NotFoundError, match=record["id"]):
        await api.artifacts.get(record["id"])  # the artifact id, not the version id
    with pytest.raises(NotFoundError, match="claude_artifact_version_nope"):
        await api.artifacts.download("claude_artifact_version_nope")


async def test_scopes(make_api: Any, emulator: EmulatorServer) -> None:
    admin = make_api(key=ADMIN_KEY)
    with pytest.raises(PermissionDeniedError, match="read:compliance_user_data"):
        await admin.generated_files.get(generated(emulator)[0]["id"])
    with pytest.raises(PermissionDeniedError, match="read:compliance_user_data"):
        await admin.artifacts.download(artifact_versions(emulator)[0]["version_id"])
