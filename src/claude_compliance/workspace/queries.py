"""What the workspace's pages read from the archive: one function per page, paginated.

Every query goes through a read-only :class:`~claude_compliance.archive.reader.ArchiveReader`
and uses the archive's indexes (by kind and key, by parent, by user, by creation time), so a
page costs the same on an archive of a thousand messages as on one of millions.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from ..archive.reader import ArchiveReader, created_between

__all__ = [
    "CONTENT_KINDS",
    "Page",
    "Record",
    "activity_feed",
    "archive_status",
    "content_record",
    "conversation",
    "people",
    "person",
    "person_items",
    "project",
]

PAGE_SIZE = 50
BY_PARENT = "INDEXED BY records_by_parent"
"""Without statistics SQLite may walk every record of a kind by primary key instead (seconds
on a million messages); the archive's indexes are named so each page uses the right one."""
CONTENT_KINDS = (
    "file",
    "generated_file",
    "artifact_version",
    "project_document",
    "code_artifact_version",
)
"""Record kinds that hold downloadable content."""
CONVERSATION_KINDS = {
    "chat": "chat_message",
    "local_session": "local_session_message",
    "remote_session": "remote_session_message",
}
TIMELINE = {
    "chats": ("chat",),
    "projects": ("project",),
    "sessions": ("local_session", "remote_session"),
    "activities": ("activity",),
}


@dataclasses.dataclass(frozen=True)
class Record:
    """One archived record as pages use it."""

    kind: str
    key: str
    id: str | None
    parent_key: str | None
    type: str | None
    user_id: str | None
    organization: str | None
    created_at: str | None
    name: str | None
    data: dict[str, Any]
    blob_sha256: str | None
    gone_at: str | None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Record:
        """From a row of :data:`COLUMNS` (the fields are named after the columns)."""
        values = {field.name: row[field.name] for field in dataclasses.fields(cls)}
        data = json.loads(values["data"])
        values["data"] = data if isinstance(data, dict) else {"value": data}
        return cls(**values)


@dataclasses.dataclass(frozen=True)
class Page:
    """One page of a longer list."""

    items: list[Any]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def _page(items: Sequence[Any], number: int, size: int = PAGE_SIZE) -> Page:
    return Page(list(items[:size]), number, len(items) > size)


def _offset(number: int, size: int = PAGE_SIZE) -> int:
    return (max(number, 1) - 1) * size


COLUMNS = ", ".join(field.name for field in dataclasses.fields(Record))


def _records(reader: ArchiveReader, sql: str, params: Sequence[Any]) -> list[Record]:
    return [Record.from_row(row) for row in reader.rows(f"SELECT {COLUMNS} {sql}", params)]


def get(reader: ArchiveReader, kind: str, key: str) -> Record | None:
    found = _records(reader, "FROM records WHERE kind = ? AND key = ?", (kind, key))
    return found[0] if found else None


# -- people -------------------------------------------------------------------------------------


def people(reader: ArchiveReader, number: int) -> Page:
    """Users (one row per user id across organizations) with their counts, by email."""
    rows = reader.rows(
        "SELECT id, MIN(name) AS email, MIN(json_extract(data, '$.full_name')) AS full_name, "
        "COUNT(*) AS organizations, MIN(gone_at IS NOT NULL) AS gone FROM records "
        "WHERE kind = 'user' GROUP BY id ORDER BY email, id LIMIT ? OFFSET ?",
        (PAGE_SIZE + 1, _offset(number)),
    )
    items = []
    for row in rows[:PAGE_SIZE]:
        counts = dict(
            reader.query(
                "SELECT kind, COUNT(*) FROM records INDEXED BY records_by_user WHERE user_id = ? "
                "AND kind IN ('chat', 'project', 'activity') GROUP BY kind",
                (row["id"],),
            )
        )
        items.append({**dict(row), "counts": counts})
    return Page(items, number, len(rows) > PAGE_SIZE)


def person(reader: ArchiveReader, user_id: str) -> dict[str, Any] | None:
    """A user's memberships and the counts of what they own."""
    memberships = _records(reader, "FROM records WHERE kind = 'user' AND id = ?", (user_id,))
    counts = dict(
        reader.query(
            "SELECT kind, COUNT(*) FROM records INDEXED BY records_by_user WHERE user_id = ? "
            "GROUP BY kind",
            (user_id,),
        )
    )
    if not memberships and not counts:
        return None
    email = memberships[0].name if memberships else None
    if email is None:
        owned = reader.query(
            "SELECT json_extract(data, '$.user.email_address') FROM records "
            "WHERE user_id = ? AND kind = 'chat' LIMIT 1",
            (user_id,),
        )
        email = owned[0][0] if owned else None
    return {"id": user_id, "email": email, "memberships": memberships, "counts": counts}


def person_items(reader: ArchiveReader, user_id: str, show: str, number: int) -> Page:
    """One part of a person's timeline (chats, projects, sessions, activities), newest first."""
    kinds = TIMELINE[show]
    marks = ",".join("?" * len(kinds))
    found = _records(
        reader,
        f"FROM records INDEXED BY records_by_user WHERE user_id = ? AND kind IN ({marks}) "
        "ORDER BY created_at DESC, key LIMIT ? OFFSET ?",
        (user_id, *kinds, PAGE_SIZE + 1, _offset(number)),
    )
    return _page(found, number)


# -- conversations and content ------------------------------------------------------------------


def conversation(
    reader: ArchiveReader, kind: str, key: str, number: int, size: int = PAGE_SIZE
) -> tuple[Record, Page] | None:
    """A chat or session and one page of its messages, in the order served."""
    head = get(reader, kind, key)
    if head is None:
        return None
    messages = _records(
        reader,
        f"FROM records {BY_PARENT} WHERE kind = ? AND parent_key = ? ORDER BY position, key "
        "LIMIT ? OFFSET ?",
        (CONVERSATION_KINDS[kind], key, size + 1, _offset(number, size)),
    )
    return head, _page(messages, number, size)


def page_of_message(reader: ArchiveReader, kind: str, key: str) -> int:
    """The page of its conversation a message is on (1 if unknown)."""
    found = reader.query(
        "SELECT COUNT(*) FROM records AS m JOIN records AS target "
        "ON target.kind = ? AND target.key = ? "
        "WHERE m.kind = ? AND m.parent_key = target.parent_key "
        "AND (m.position < target.position OR (m.position = target.position AND m.key < ?))",
        (kind, key, kind, key),
    )
    return found[0][0] // PAGE_SIZE + 1 if found else 1


def content_record(reader: ArchiveReader, kind: str, key: str) -> Record | None:
    """A file, generated file, artifact version, project document or code artifact version."""
    return get(reader, kind, key) if kind in CONTENT_KINDS else None


def chat_content(reader: ArchiveReader, chat_id: str) -> dict[str, Record]:
    """The archived content records a chat's messages refer to, by id."""
    found = _records(
        reader,
        f"FROM records {BY_PARENT} WHERE kind IN ('generated_file', 'artifact_version') "
        "AND parent_key = ?",
        (chat_id,),
    )
    return {record.key: record for record in found}


def project(reader: ArchiveReader, project_id: str, number: int = 1) -> dict[str, Any] | None:
    """A project with its attachments, documents, collaborators and a page of its chats."""
    head = get(reader, "project", project_id)
    if head is None:
        return None
    children = {
        kind: _records(
            reader,
            f"FROM records {BY_PARENT} WHERE kind = ? AND parent_key = ? ORDER BY position, key",
            (kind, project_id),
        )
        for kind in ("project_attachment", "project_document", "project_collaborator")
    }
    chats = _records(
        reader,
        "FROM records WHERE kind = 'chat' AND json_extract(data, '$.project_id') = ? "
        "ORDER BY created_at DESC, key LIMIT ? OFFSET ?",
        (project_id, PAGE_SIZE + 1, _offset(number)),
    )
    return {"project": head, **children, "chats": _page(chats, number)}


# -- activity feed ------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class FeedFilters:
    """The Activity Feed page's filters (empty means any)."""

    type: str = ""
    actor: str = ""
    organization: str = ""
    time_from: str = ""
    time_to: str = ""


def activity_feed(reader: ArchiveReader, filters: FeedFilters, number: int) -> Page:
    """Activities matching ``filters``, newest first."""
    clauses = ["kind = 'activity'"]
    params: list[Any] = []
    if filters.type:
        clauses.append("type = ?")
        params.append(filters.type)
    if filters.actor:
        clauses.append("(user_id = ? OR json_extract(data, '$.actor.email_address') = ?)")
        params += [filters.actor, filters.actor]
    if filters.organization:
        clauses.append("(organization = ? OR json_extract(data, '$.organization_id') = ?)")
        params += [filters.organization, filters.organization]
    times, bounds = created_between(filters.time_from, filters.time_to)
    clauses += times
    params += bounds
    found = _records(
        reader,
        f"FROM records INDEXED BY records_by_created WHERE {' AND '.join(clauses)} "
        "ORDER BY created_at DESC, key "
        "LIMIT ? OFFSET ?",
        (*params, PAGE_SIZE + 1, _offset(number)),
    )
    return _page(found, number)


def activity_types(reader: ArchiveReader) -> list[str]:
    return [
        str(t)
        for (t,) in reader.query(
            "SELECT DISTINCT type FROM records WHERE kind = 'activity' AND type IS NOT NULL "
            "ORDER BY type"
        )
    ]


# -- status -------------------------------------------------------------------------------------


def archive_status(reader: ArchiveReader) -> dict[str, Any]:
    """Counts per kind, content held, the runs, and the state of the search index."""
    kinds = reader.rows(
        "SELECT kind, SUM(gone_at IS NULL) AS live, SUM(gone_at IS NOT NULL) AS gone, "
        "COUNT(blob_sha256) AS with_content FROM records GROUP BY kind ORDER BY kind"
    )
    blobs, blob_bytes = reader.query("SELECT COUNT(*), COALESCE(SUM(size), 0) FROM blobs")[0]
    runs = reader.rows(
        "SELECT id, started_at, finished_at, status FROM runs ORDER BY id DESC LIMIT 10"
    )
    indexed = (
        reader.query("SELECT COUNT(*) FROM search_documents")[0][0]
        if reader.has_table("search_documents")
        else None
    )
    pending = (
        reader.query("SELECT COUNT(*) FROM search_pending")[0][0]
        if reader.has_table("search_pending")
        else None
    )
    return {
        "kinds": [dict(row) for row in kinds],
        "blobs": blobs,
        "blob_bytes": blob_bytes,
        "runs": [dict(row) for row in runs],
        "indexed": indexed,
        "pending": pending,
    }
