"""Content units: one object's record and its bytes, stored together.

Files, generated files, chat artifact versions and project documents are each archived by a
unit that puts the bytes in the blob store (fsynced and renamed into place first) and then
writes the record pointing at them in one transaction. An object the API answers 404 for is
marked gone; its record and content stay.

Every request a unit makes is one it needs:

* A unit started from a reference (a message's file, generated file or artifact; a project's
  attachment) takes the object's facts from that reference. Content the archive already holds
  for the same id with the same MD5 and size is never asked for again, nor is content known to
  be absent (an expired generated file, an upload without downloadable content).
* Uploaded files need no metadata request at all: the reference carries every field of the
  file's metadata but ``message_ids`` and ``claude_chat_ids``, which are the messages and the
  chat holding the reference. The download's ``Content-MD5`` (checked by the SDK against the
  bytes) vouches for the content, and is compared with the reference's ``md5``;
  ``Content-Type`` and ``Content-Disposition`` repeat the reference's ``mime_type`` and
  ``filename``. Project documents neither: their text comes with ``filename``, ``created_at`` and
  ``user``, and the rest of the metadata is the project's id, ``text/plain``, and the MD5 and
  size of the UTF-8 text.
* Generated files and artifact versions are fetched with their metadata once, when new: only
  the metadata says ``created_at`` (and, for artifact versions, ``md5`` and ``size_bytes``).
* An object the Activity Feed flagged (changed or deleted) is read through its metadata, since
  the reference in hand may be older than the change.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

from .._client import AsyncComplianceClient
from .._errors import NotFoundError
from .blobs import BlobInfo
from .context import SyncContext
from .store import RecordRow

__all__ = [
    "DIRTY_UNITS",
    "document_unit",
    "download_blob",
    "file_record",
    "file_unit",
    "message_content_unit",
]

Record = dict[str, Any]

FILE_REF_FIELDS = ("id", "filename", "mime_type", "size_bytes", "md5", "created_at")
"""The uploaded file's metadata fields a reference (message file, project file) carries."""


def file_record(
    reference: Mapping[str, Any], message_ids: list[str], chat_ids: list[str]
) -> Record:
    """An uploaded file's metadata, composed from a reference and where the reference is.

    Args:
        reference: The message's file reference or the project's ``project_file`` attachment.
        message_ids: The messages carrying the reference (none for a project file).
        chat_ids: The chat of those messages (none for a project file).
    """
    record = {field: reference.get(field) for field in FILE_REF_FIELDS}
    record["message_ids"] = list(message_ids)
    record["claude_chat_ids"] = list(chat_ids)
    return record


def _held_blob(
    ctx: SyncContext, kind: str, key: str, md5: str | None, size: int | None = None
) -> BlobInfo | None:
    """The content already archived for ``(kind, key)`` if it still matches ``md5``/``size``."""
    row = ctx.store.get(kind, key)
    if row is None or row["blob_sha256"] is None:
        return None
    sha256 = str(row["blob_sha256"])
    held_md5 = ctx.store.blob_md5(sha256)
    if held_md5 is None or not ctx.blobs.has(sha256):
        return None
    if isinstance(md5, str) and md5.lower() != held_md5:
        return None
    held_size = ctx.blobs.path_for(sha256).stat().st_size
    if size is not None and size != held_size:
        return None
    return BlobInfo(sha256, held_md5, held_size)


def _held_record(ctx: SyncContext, kind: str, key: str) -> Record | None:
    """The live record archived for ``(kind, key)``, or ``None``."""
    row = ctx.store.get(kind, key)
    if row is None or row["gone_at"] is not None:
        return None
    data: Record = json.loads(row["data"])
    return data


def _flagged(ctx: SyncContext, kind: str, key: str) -> bool:
    """Whether the Activity Feed says ``(kind, key)`` changed since it was archived (a flag on
    an object not archived yet is served by reading it as new)."""
    return ctx.store.is_dirty(kind, key)


def _reason(ctx: SyncContext, kind: str, key: str, held: Record | None) -> str:
    """Why an object is read (logged with ``-v``)."""
    if held is None:
        return "new"
    return "changed (feed)" if _flagged(ctx, kind, key) else "changed"


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
    record: Mapping[str, Any],
    fetch: Callable[[], Awaitable[BlobInfo | None]],
) -> BlobInfo | None:
    """The content for a record: held (same MD5 and size), or fetched."""
    md5, size = record.get("md5"), record.get("size_bytes")
    held = _held_blob(ctx, kind, key, md5 if isinstance(md5, str) else None)
    if held is not None and (not isinstance(size, int) or size == held.size):
        ctx.stats.reused += 1
        return held
    info = await fetch()
    if info is not None and isinstance(md5, str) and info.md5 != md5.lower():
        # Content-MD5 (checked by the SDK) is authoritative; metadata can lag behind it.
        ctx.stats.warnings.append(
            f"{kind} {key}: content MD5 {info.md5} differs from its metadata's {md5}"
        )
    return info


def _store(
    ctx: SyncContext,
    kind: str,
    key: str,
    record: Mapping[str, Any],
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


def _unchanged(ctx: SyncContext, kind: str, record: Mapping[str, Any], key: str) -> bool:
    """Whether the archive holds exactly ``record`` for ``(kind, key)`` with all its content:
    the blob when the record has an MD5, none needed when it has neither MD5 nor size (content
    known to be absent)."""
    row = ctx.store.get(kind, key)
    if row is None or row["gone_at"] is not None or json.loads(row["data"]) != dict(record):
        return False
    if row["blob_sha256"] is None:
        return record.get("md5") is None
    return ctx.blobs.has(str(row["blob_sha256"]))


def mark_gone(ctx: SyncContext, kind: str, key: str) -> None:
    """Record that the API no longer returns ``(kind, key)`` (and forget its dirty mark)."""
    with ctx.store.transaction():
        gone = ctx.store.mark_gone(kind, [key])
        ctx.store.clear_dirty(kind, key)
    ctx.stats.count(kind, "gone", gone)


def _without_content(record: Mapping[str, Any]) -> bool:
    """Metadata saying there is nothing to download (an expired generated file: no MD5, no
    size, spec 4.9)."""
    return record.get("md5") is None and record.get("size_bytes") is None


async def _sync_from_metadata(
    ctx: SyncContext,
    kind: str,
    resource: Any,
    object_id: str,
    parent_field: str | None,
    reason: str,
) -> None:
    """Archive one object through its metadata (``get``) and ``download_to_file``: uploaded
    files, generated files and chat artifact versions."""
    ctx.why(reason, f"{kind} {object_id} metadata")
    try:
        metadata = await ctx.call(resource.get, object_id)
    except NotFoundError:
        mark_gone(ctx, kind, object_id)
        return
    record = metadata.to_dict()

    async def fetch() -> BlobInfo | None:
        if _without_content(record):
            return None
        ctx.why(reason, f"{kind} {object_id} content")
        return await download_blob(ctx, lambda path: resource.download_to_file(object_id, path))

    blob = await _content(ctx, kind, object_id, record, fetch)
    parent = record.get(parent_field) if parent_field else None
    _store(ctx, kind, object_id, record, blob, parent if isinstance(parent, str) else None)


async def _sync_referenced_file(ctx: SyncContext, file_id: str, record: Record) -> None:
    if _flagged(ctx, "file", file_id) and _held_record(ctx, "file", file_id) is not None:
        # Changed or deleted since archived: the reference in hand may predate that.
        await _sync_from_metadata(ctx, "file", ctx.client.files, file_id, None, "changed (feed)")
        return
    if _unchanged(ctx, "file", record, file_id):
        ctx.stats.count("file", "unchanged")
        return
    files = ctx.client.files
    reason = _reason(ctx, "file", file_id, _held_record(ctx, "file", file_id))

    async def fetch() -> BlobInfo | None:
        if record.get("md5") is None and record.get("mime_type") is None:
            return None  # an upload without downloadable content (spec 4.11)
        ctx.why(reason, f"file {file_id} content")
        return await download_blob(ctx, lambda path: files.download_to_file(file_id, path))

    blob = await _content(ctx, "file", file_id, record, fetch)
    if blob is None and record.get("md5") is not None:
        # No content where the reference promised some: deleted since, or never downloadable.
        # Only the metadata can tell.
        await _sync_from_metadata(ctx, "file", files, file_id, None, "content missing")
        return
    _store(ctx, "file", file_id, record, blob)


def file_unit(
    ctx: SyncContext, file_id: str, record: Record | None = None, reason: str = "changed (feed)"
) -> asyncio.Task[None]:
    """Archive an uploaded file (chat attachment or project file).

    Args:
        ctx: The run.
        file_id: The file.
        record: Its metadata composed by :func:`file_record`, when a reference is in hand;
            without one the file is read through its metadata.
        reason: Why it is read without a reference (logged with ``-v``).
    """
    if record is None:
        return ctx.once(
            "file",
            file_id,
            lambda: _sync_from_metadata(ctx, "file", ctx.client.files, file_id, None, reason),
        )
    return ctx.once("file", file_id, lambda: _sync_referenced_file(ctx, file_id, record))


def _matches_reference(held: Record | None, reference: Mapping[str, Any] | None) -> bool:
    """Whether every field of ``reference`` has the same value in ``held``."""
    if held is None or reference is None:
        return False
    return all(held.get(field) == value for field, value in reference.items())


_READ_WITH_METADATA: dict[str, Callable[[AsyncComplianceClient], Any]] = {
    "generated_file": lambda client: client.generated_files,
    "artifact_version": lambda client: client.artifacts,
}
"""Content a chat message refers to that is read with its metadata once, when new (only the
metadata says ``created_at``), and the client resource serving it."""


def message_content_unit(
    ctx: SyncContext,
    kind: str,
    key: str,
    reference: Mapping[str, Any] | None = None,
    reason: str | None = None,
) -> asyncio.Task[None]:
    """Archive a file the assistant generated (``kind`` ``generated_file``, by id) or a
    version of a chat artifact (``artifact_version``, by ``version_id``; a version never
    changes, so a held one is never read again).

    Args:
        ctx: The run.
        kind: ``generated_file`` or ``artifact_version``.
        key: Its id.
        reference: The message's reference to it, when in hand: a held record with the same
            fields is not read again.
        reason: Why it is read (logged with ``-v``; default: new or changed).
    """
    resource = _READ_WITH_METADATA[kind](ctx.client)

    async def sync() -> None:
        held = _held_record(ctx, kind, key)
        if (
            not _flagged(ctx, kind, key)
            and _matches_reference(held, reference)
            and held is not None
            and _unchanged(ctx, kind, held, key)
        ):
            ctx.stats.count(kind, "unchanged")
            return
        why = reason or _reason(ctx, kind, key, held)
        await _sync_from_metadata(ctx, kind, resource, key, "claude_chat_id", why)

    return ctx.once(kind, key, sync)


async def _sync_document(ctx: SyncContext, document_id: str, project_id: str | None) -> None:
    documents = ctx.client.project_documents
    flagged = _flagged(ctx, "project_document", document_id)
    held = _held_record(ctx, "project_document", document_id)
    if not flagged and held is not None and _unchanged(ctx, "project_document", held, document_id):
        ctx.stats.count("project_document", "unchanged")
        return
    if project_id is None:
        project_id = None if held is None else held.get("claude_project_id")
    if project_id is None:
        # Flagged by the feed, not held: only the metadata names the project.
        ctx.why("changed (feed)", f"project_document {document_id} metadata")
        try:
            project_id = (await ctx.call(documents.get_metadata, document_id)).claude_project_id
        except NotFoundError:
            mark_gone(ctx, "project_document", document_id)
            return
    reason = _reason(ctx, kind="project_document", key=document_id, held=held)
    ctx.why(reason, f"project_document {document_id} content")
    try:
        document = await ctx.call(documents.get, document_id)
    except NotFoundError:
        mark_gone(ctx, "project_document", document_id)
        return
    served = document.to_dict()
    text = (document.content if isinstance(document.content, str) else "").encode("utf-8")
    md5 = hashlib.md5(text, usedforsecurity=False).hexdigest()
    record = {
        "id": document.id,
        "claude_project_id": project_id,
        "filename": served.get("filename"),
        "mime_type": "text/plain",
        "size_bytes": len(text),
        "md5": md5,
        "created_at": served.get("created_at"),
        "user": served.get("user"),
    }
    blob = _held_blob(ctx, "project_document", document_id, md5, len(text))
    if blob is None:
        blob = await asyncio.to_thread(ctx.blobs.put_bytes, text)
        ctx.stats.downloads += 1
        ctx.stats.downloaded_bytes += blob.size
    else:
        ctx.stats.reused += 1
    _store(ctx, "project_document", document_id, record, blob, project_id)


def document_unit(
    ctx: SyncContext, document_id: str, project_id: str | None = None
) -> asyncio.Task[None]:
    """Archive a project document: its text as a blob, and its metadata (composed)."""
    return ctx.once(
        "project_document", document_id, lambda: _sync_document(ctx, document_id, project_id)
    )


DIRTY_UNITS: dict[str, Callable[[SyncContext, str, str], asyncio.Task[None]]] = {
    "file": lambda ctx, key, reason: file_unit(ctx, key, reason=reason),
    "generated_file": lambda ctx, key, reason: message_content_unit(
        ctx, "generated_file", key, reason=reason
    ),
    "artifact_version": lambda ctx, key, reason: message_content_unit(
        ctx, "artifact_version", key, reason=reason
    ),
    "project_document": lambda ctx, key, reason: document_unit(ctx, key),
}
"""Content kinds the Activity Feed can flag as changed, and the unit that re-reads each
without a reference in hand (given why, for ``-v``)."""
