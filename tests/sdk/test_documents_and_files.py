"""Project documents and files over real HTTP: metadata, content, downloads, deletes."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from claude_compliance import (
    DownloadTooLargeError,
    FileMetadata,
    NotFoundError,
    ProjectDocument,
    ProjectDocumentMetadata,
)
from claude_compliance.emulator.server import EmulatorServer

from ..support import raw_get


def documents(server: EmulatorServer) -> list[dict[str, Any]]:
    return list(server.store.iter_project_documents())


def files(server: EmulatorServer) -> dict[str, bytes]:
    return {b.id: b.content for b in server.store.iter_blobs() if b.kind == "file"}


def file_records(server: EmulatorServer) -> list[dict[str, Any]]:
    return list(server.store.iter_files())


async def test_document_get_and_metadata(api: Any, emulator: EmulatorServer) -> None:
    for record in documents(emulator)[:5]:
        document = await api.project_documents.get(record["id"])
        assert isinstance(document, ProjectDocument)
        assert document.content == record["content"]
        assert document.to_dict() == raw_get(emulator, f"/apps/projects/documents/{record['id']}")
        meta = await api.project_documents.get_metadata(record["id"])
        assert isinstance(meta, ProjectDocumentMetadata)
        encoded = record["content"].encode()
        assert meta.md5 == hashlib.md5(encoded).hexdigest()
        assert meta.size_bytes == len(encoded)
        assert meta.mime_type == "text/plain"
        assert meta.to_dict() == raw_get(
            emulator, f"/apps/projects/documents/{record['id']}/metadata"
        )


async def test_document_not_found(api: Any) -> None:
    with pytest.raises(NotFoundError, match="claude_proj_doc_missing"):
        await api.project_documents.get("claude_proj_doc_missing")
    with pytest.raises(NotFoundError, match="claude_proj_doc_missing"):
        await api.project_documents.get_metadata("claude_proj_doc_missing")


async def test_document_delete_then_404(make_api: Any, make_emulator: Any) -> None:
    server = make_emulator()
    api = make_api(server=server)
    doc_id = documents(server)[0]["id"]
    assert await api.project_documents.delete(doc_id) is None
    with pytest.raises(NotFoundError):
        await api.project_documents.get(doc_id)
    with pytest.raises(NotFoundError):
        await api.project_documents.delete(doc_id)


async def test_file_metadata(api: Any, emulator: EmulatorServer) -> None:
    for record in file_records(emulator)[:8]:
        meta = await api.files.get(record["id"])
        assert isinstance(meta, FileMetadata)
        assert meta.to_dict() == raw_get(emulator, f"/apps/chats/files/{record['id']}")


async def test_file_download_forms(api: Any, emulator: EmulatorServer, tmp_path: Path) -> None:
    contents = files(emulator)
    for file_id, content in list(contents.items())[:6]:
        assert await api.files.download(file_id) == content
        chunks = [c async for c in api.files.download_stream(file_id)]
        assert b"".join(chunks) == content
        target = tmp_path / f"{file_id}.bin"
        written = await api.files.download_to_file(file_id, target)
        assert written == target and target.read_bytes() == content
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


async def test_download_into_folder_uses_a_safe_server_filename(
    api: Any, emulator: EmulatorServer, tmp_path: Path
) -> None:
    contents = files(emulator)
    folder = tmp_path / "downloads"
    folder.mkdir()
    names = []
    for record in file_records(emulator):
        if record["id"] not in contents:
            continue
        path = await api.files.download_to_file(record["id"], folder)
        assert path.parent == folder, f"{record['filename']!r} escaped to {path}"
        assert path.read_bytes() == contents[record["id"]]
        names.append(path.name)
    assert names
    assert all("/" not in n and n not in (".", "..") for n in names)
    assert not (tmp_path / "etc").exists()


async def test_download_cap(api: Any, emulator: EmulatorServer) -> None:
    file_id, content = max(files(emulator).items(), key=lambda item: len(item[1]))
    with pytest.raises(DownloadTooLargeError, match="exceeds the cap"):
        await api.files.download(file_id, max_bytes=len(content) - 1)
    assert await api.files.download(file_id, max_bytes=len(content)) == content


async def test_client_wide_download_cap(make_api: Any, emulator: EmulatorServer) -> None:
    file_id, content = max(files(emulator).items(), key=lambda item: len(item[1]))
    api = make_api(max_download_bytes=max(1, len(content) // 2))
    with pytest.raises(DownloadTooLargeError):
        await api.files.download(file_id)


async def test_download_to_file_refuses_to_overwrite_when_asked(
    api: Any, emulator: EmulatorServer, tmp_path: Path
) -> None:
    file_id = next(iter(files(emulator)))
    target = tmp_path / "keep.bin"
    target.write_bytes(b"precious")
    with pytest.raises(FileExistsError):
        await api.files.download_to_file(file_id, target, overwrite=False)
    assert target.read_bytes() == b"precious"


async def test_download_to_file_never_silently_replaces_a_different_file(
    api: Any, emulator: EmulatorServer, tmp_path: Path
) -> None:
    file_id, content = next(iter(files(emulator).items()))
    target = tmp_path / "report.bin"
    target.write_bytes(b"someone else's file")
    with pytest.raises(FileExistsError, match="different content"):
        await api.files.download_to_file(file_id, target)
    assert target.read_bytes() == b"someone else's file"
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind
    await api.files.download_to_file(file_id, target, overwrite=True)
    assert target.read_bytes() == content
    assert await api.files.download_to_file(file_id, target) == target  # same bytes: fine


async def test_download_to_a_folder_that_does_not_exist_yet(
    api: Any, emulator: EmulatorServer, tmp_path: Path
) -> None:
    held = files(emulator)
    wanted = list(held)[:2]
    paths = [
        await api.files.download_to_file(file_id, f"{tmp_path}/new/downloads/")
        for file_id in wanted
    ]
    assert all(p.parent == tmp_path / "new" / "downloads" for p in paths)
    assert [p.read_bytes() for p in paths] == [held[i] for i in wanted]
    paths[1].write_bytes(b"a different file under the same name")
    renamed = await api.files.download_to_file(wanted[1], f"{tmp_path}/new/downloads/")
    assert renamed.name == f"{paths[1].stem} (2){paths[1].suffix}"
    assert renamed.read_bytes() == held[wanted[1]]
    assert paths[1].read_bytes() == b"a different file under the same name"


async def test_file_not_found(api: Any, tmp_path: Path) -> None:
    for call in (api.files.get, api.files.download):
        with pytest.raises(NotFoundError, match="claude_file_missing"):
            await call("claude_file_missing")
    with pytest.raises(NotFoundError):
        await api.files.download_to_file("claude_file_missing", tmp_path)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(NotFoundError):
        async for _ in api.files.download_stream("claude_file_missing"):
            pass


async def test_file_delete_then_404(make_api: Any, make_emulator: Any) -> None:
    server = make_emulator()
    api = make_api(server=server)
    file_id = next(iter(files(server)))
    assert await api.files.delete(file_id) is None
    with pytest.raises(NotFoundError):
        await api.files.get(file_id)
    with pytest.raises(NotFoundError):
        await api.files.download(file_id)
