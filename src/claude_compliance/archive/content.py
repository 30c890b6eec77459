"""Content units: one object's metadata and its bytes, stored together.

Files, generated files, chat artifact versions and project documents are each archived by a
unit that fetches the metadata, downloads the content unless the archive already holds it (same
object, same MD5), puts the bytes in the blob store (fsynced and renamed into place first) and
then writes the record pointing at them in one transaction. An object the API answers 404 for
is marked gone; its record and content stay.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from .._errors import NotFoundError
from .blobs import BlobInfo
from .context import SyncContext
from .store import RecordRow

__all__ = ["artifact_unit", "document_unit", "download_blob", "file_unit", "generated_file_unit"]


def _held_blob(ctx: SyncContext, kind: str, key: str, md5: str | None) -> BlobInfo | None:
    """The content already archived for ``(kind, key)`` if it still matches ``md5``."""
    row = ctx.store.get(kind, key)
    if row is None or row["blob_sha256"] is None:
        return None
    sha256 = str(row["blob_sha256"])
    held_md5 = ctx.store.blob_md5(sha256)
    if held_md5 is None or not ctx.blobs.has(sha256):
        return None
    if md5 is not None and md5.lower() != held_md5:
        return None
    return BlobInfo(sha256, held_md5, ctx.blobs.path_for(sha256).stat().st_size)


async def download_blob(
    ctx: SyncContext, save: Callable[[Path], Awaitable[Any]]
) -> BlobInfo | None:
    """Download into a temporary file (``save`` writes it) and adopt it into the blob store.

    Returns ``None`` when the server has no content for the object (404).
    """
    temporary = ctx.blobs.temporary_path()
    try:
        await ctx.call(save, temporary)
        info = await asyncio.to_thread(ctx.blobs.adopt, temporary)
    except NotFoundError:
        return None
    finally:
        temporary.unlink(missing_ok=True)
    ctx.stats.downloads += 1
    ctx.stats.downloaded_bytes += info.size
    ctx.progress.advance("downloads")
    return info


async def _content(
    ctx: SyncContext,
    kind: str,
    key: str,
    md5: str | None,
    fetch: Callable[[], Awaitable[BlobInfo | None]],
) -> BlobInfo | None:
    held = _held_blob(ctx, kind, key, md5)
    if held is not None:
        ctx.stats.reused += 1
        return held
    info = await fetch()
    if info is not None and md5 is not None and info.md5 != md5.lower():
        # Content-MD5 (checked by the SDK) is authoritative; metadata can lag behind it.
        ctx.stats.warnings.append(
            f"{kind} {key}: content MD5 {info.md5} differs from its metadata's {md5}"
        )
    return info


def _store(
    ctx: SyncContext,
    kind: str,
    key: str,
    record: dict[str, Any],
    blob: BlobInfo | None,
    parent_key: str | None = None,
) -> None:
    with ctx.store.transaction():
        if blob is not None:
            ctx.store.add_blob(blob.sha256, blob.size, blob.md5)
        outcome = ctx.store.upsert(
            RecordRow(
                kind, key, record, parent_key=parent_key, blob_sha256=blob.sha256 if blob else None
            )
        )
        ctx.store.clear_dirty(kind, key)
    ctx.stats.count(kind, outcome.outcome)


def mark_gone(ctx: SyncContext, kind: str, key: str) -> None:
    """Record that the API no longer returns ``(kind, key)`` (and forget its dirty mark)."""
    with ctx.store.transaction():
        gone = ctx.store.mark_gone(kind, [key])
        ctx.store.clear_dirty(kind, key)
    ctx.stats.count(kind, "gone", gone)


async def _sync_downloadable(
    ctx: SyncContext, kind: str, resource: Any, object_id: str, parent_field: str | None
) -> None:
    """Archive one object whose resource has ``get`` (metadata with ``md5``) and
    ``download_to_file``: uploaded files, generated files and chat artifact versions."""
    try:
        metadata = await ctx.call(resource.get, object_id)
    except NotFoundError:
        mark_gone(ctx, kind, object_id)
        return

    async def fetch() -> BlobInfo | None:
        return await download_blob(ctx, lambda path: resource.download_to_file(object_id, path))

    blob = await _content(ctx, kind, object_id, metadata.md5, fetch)
    record = metadata.to_dict()
    parent = record.get(parent_field) if parent_field else None
    _store(ctx, kind, object_id, record, blob, parent)


def file_unit(ctx: SyncContext, file_id: str) -> asyncio.Task[None]:
    """Archive an uploaded file (chat attachment or project file)."""
    return ctx.once(
        "file",
        file_id,
        lambda: _sync_downloadable(ctx, "file", ctx.client.files, file_id, None),
    )


def generated_file_unit(ctx: SyncContext, file_id: str) -> asyncio.Task[None]:
    """Archive a file the assistant generated."""
    return ctx.once(
        "generated_file",
        file_id,
        lambda: _sync_downloadable(
            ctx, "generated_file", ctx.client.generated_files, file_id, "claude_chat_id"
        ),
    )


def artifact_unit(ctx: SyncContext, version_id: str) -> asyncio.Task[None]:
    """Archive one version of a chat artifact (by its ``version_id``)."""
    return ctx.once(
        "artifact_version",
        version_id,
        lambda: _sync_downloadable(
            ctx, "artifact_version", ctx.client.artifacts, version_id, "claude_chat_id"
        ),
    )


async def _sync_document(ctx: SyncContext, document_id: str) -> None:
    documents = ctx.client.project_documents
    try:
        metadata = await ctx.call(documents.get_metadata, document_id)
    except NotFoundError:
        mark_gone(ctx, "project_document", document_id)
        return

    async def fetch() -> BlobInfo | None:
        try:
            document = await ctx.call(documents.get, document_id)
        except NotFoundError:
            return None
        info = await asyncio.to_thread(ctx.blobs.put_bytes, document.content.encode("utf-8"))
        ctx.stats.downloads += 1
        ctx.stats.downloaded_bytes += info.size
        return info

    blob = await _content(ctx, "project_document", document_id, metadata.md5, fetch)
    record = metadata.to_dict()
    _store(ctx, "project_document", document_id, record, blob, record.get("claude_project_id"))


def document_unit(ctx: SyncContext, document_id: str) -> asyncio.Task[None]:
    """Archive a project document: its metadata, and its text as a blob."""
    return ctx.once("project_document", document_id, lambda: _sync_document(ctx, document_id))


DIRTY_UNITS: dict[str, Callable[[SyncContext, str], asyncio.Task[None]]] = {
    "file": file_unit,
    "generated_file": generated_file_unit,
    "artifact_version": artifact_unit,
    "project_document": document_unit,
}
"""Content kinds the Activity Feed can flag as changed, and the unit that re-fetches each."""
