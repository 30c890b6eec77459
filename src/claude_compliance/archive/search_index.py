"""The archive's full-text index: SQLite FTS5 tables inside ``archive.sqlite3``.

What is indexed (one *search document* per record): chat names; message text, tool-use inputs
and tool results; project names, descriptions and instructions; project documents; the names of
files, generated files, chat artifacts and code artifacts, and the text of those whose content is
text-like (plain text, Markdown, CSV, JSON, source code...; other types by name only); local and
remote session transcripts, one message at a time; and the Activity Feed.

How it keeps in step: triggers on ``records`` queue the ``(kind, key)`` of every record stored
or changed in ``search_pending``, inside the very transaction that writes the record. After a
sync, :func:`catch_up` indexes what is queued and empties the queue, a batch per transaction. A
sync killed at any point therefore leaves a queue that the next run (or ``archive index``)
finishes; nothing is missed and nothing is indexed twice. Whether a record is gone at the
source is read from ``records`` at query time, so marking it gone needs no re-indexing.

Index text never contains the two control characters the snippets use as highlight markers
(:data:`MARK_START`, :data:`MARK_END`), so a reader can escape a snippet first and turn the
markers into highlighting after.
"""

from __future__ import annotations

import dataclasses
import json
import re
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

from .blobs import BlobStore
from .store import ArchiveStore

__all__ = [
    "MARK_END",
    "MARK_START",
    "RECORD_KINDS",
    "SEARCH_KINDS",
    "IndexResult",
    "Reader",
    "catch_up",
    "ensure_index_tables",
    "index_is_built",
    "pending_count",
    "rebuild",
    "start_index",
]

INDEX_VERSION = "1"
META_KEY = "search_index_version"
MARK_START = "\x02"
MARK_END = "\x03"
TEXT_LIMIT = 1 << 20
"""Characters of one blob's text that are indexed (the rest of a huge log file is not)."""
BATCH = 2000
ALONGSIDE_BATCH = 200
"""Records indexed at a time while a sync runs: a few milliseconds of its event loop."""

RECORD_KINDS: dict[str, str] = {
    "chat": "chat",
    "chat_message": "message",
    "project": "project",
    "project_document": "document",
    "file": "file",
    "generated_file": "file",
    "artifact_version": "file",
    "code_artifact_version": "file",
    "local_session_message": "session",
    "remote_session_message": "session",
    "activity": "activity",
}
"""Which archived record kinds are indexed, and the search kind each is found under."""

SEARCH_KINDS = ("chat", "message", "project", "document", "file", "session", "activity")

TEXT_MIME_TYPES = {
    "application/json",
    "application/xml",
    "application/x-yaml",
    "application/yaml",
    "application/javascript",
    "application/x-sh",
    "application/sql",
    "application/toml",
    "application/vnd.ant.react",
    "application/vnd.ant.mermaid",
    "application/vnd.ant.code",
    "image/svg+xml",
}
TEXT_EXTENSIONS = {
    ".txt", ".md", ".markdown", ".csv", ".tsv", ".json", ".jsonl", ".xml", ".yaml", ".yml",
    ".toml", ".ini", ".cfg", ".log", ".py", ".js", ".jsx", ".ts", ".tsx", ".java", ".go", ".rs",
    ".rb", ".php", ".c", ".h", ".cpp", ".hpp", ".cs", ".swift", ".kt", ".sql", ".sh", ".html",
    ".htm", ".css", ".svg", ".mmd", ".tex", ".rst",
}  # fmt: skip

_kinds_sql = ", ".join(f"'{kind}'" for kind in RECORD_KINDS)
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS search_documents (
    rowid INTEGER PRIMARY KEY,
    record_kind TEXT NOT NULL,
    record_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    container TEXT,
    owner TEXT,
    owner_email TEXT,
    organization TEXT,
    time TEXT,
    title TEXT,
    UNIQUE (record_kind, record_key)
);
CREATE INDEX IF NOT EXISTS search_documents_by_owner ON search_documents (owner, time);
CREATE VIRTUAL TABLE IF NOT EXISTS search_text USING fts5(
    title, body, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE IF NOT EXISTS search_pending (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    PRIMARY KEY (kind, key)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS search_queue_new AFTER INSERT ON records
WHEN new.kind IN ({_kinds_sql})
BEGIN INSERT OR IGNORE INTO search_pending VALUES (new.kind, new.key); END;
CREATE TRIGGER IF NOT EXISTS search_queue_changed
AFTER UPDATE OF data, blob_sha256, parent_key ON records
WHEN new.kind IN ({_kinds_sql})
BEGIN INSERT OR IGNORE INTO search_pending VALUES (new.kind, new.key); END;
"""

_MARKERS = re.compile(f"[{MARK_START}{MARK_END}]")


class Reader(Protocol):
    """Anything that runs a read query: an :class:`ArchiveStore` or an ``ArchiveReader``."""

    def query(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]: ...


@dataclasses.dataclass(frozen=True)
class SearchDocument:
    """What one record contributes to the index."""

    kind: str
    container: str | None
    owner: str | None
    owner_email: str | None
    organization: str | None
    time: str | None
    title: str
    body: str


@dataclasses.dataclass(frozen=True)
class IndexResult:
    """What an indexing pass did.

    Attributes:
        indexed: Records (re)indexed.
        rebuilt: Whether the whole index was built from scratch.
    """

    indexed: int
    rebuilt: bool


def ensure_index_tables(store: ArchiveStore) -> None:
    """Create the index tables and the triggers that queue changed records (idempotent)."""
    store.execute_script(SCHEMA)


def index_is_built(store: Reader) -> bool:
    """Whether a complete index exists (a rebuild finished at least once)."""
    rows = store.query("SELECT value FROM meta WHERE key = ?", (META_KEY,))
    return bool(rows) and rows[0][0] == INDEX_VERSION


def pending_count(store: Reader) -> int:
    """Records stored or changed since the index was last brought up to date."""
    return int(store.query("SELECT COUNT(*) FROM search_pending")[0][0])


def _clean(text: str) -> str:
    return _MARKERS.sub(" ", text)


def _user(data: Mapping[str, Any]) -> tuple[str | None, str | None]:
    for holder in ("user", "actor"):
        nested = data.get(holder)
        if isinstance(nested, Mapping):
            user_id = nested.get("id") or nested.get("user_id")
            email = nested.get("email_address") or nested.get("email")
            return (
                user_id if isinstance(user_id, str) else None,
                email if isinstance(email, str) else None,
            )
    owner = data.get("owner_user_id") or data.get("user_id")
    return (owner if isinstance(owner, str) else None), None


def blocks_text(blocks: Any) -> str:
    """The words of message content blocks: text, tool names, tool inputs and results."""
    parts: list[str] = []
    for block in blocks if isinstance(blocks, list) else []:
        if not isinstance(block, Mapping):
            continue
        for field in ("text", "name", "input", "integration_name"):
            value = block.get(field)
            if isinstance(value, str) and value:
                parts.append(value)
        content = block.get("content")
        if isinstance(content, list):
            parts.append(blocks_text(content))
        elif isinstance(content, str):
            parts.append(content)
    return "\n".join(part for part in parts if part)


def is_text_like(mime_type: str | None, name: str | None) -> bool:
    """Whether content of this type (or, failing that, this file name) is worth indexing."""
    mime = (mime_type or "").split(";")[0].strip().lower()
    if mime.startswith("text/") or mime in TEXT_MIME_TYPES or mime.endswith(("+json", "+xml")):
        return True
    return PurePosixPath((name or "").replace("\\", "/")).suffix.lower() in TEXT_EXTENSIONS


def _flatten(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _flatten(item)
    elif isinstance(value, list):
        for item in value:
            yield from _flatten(item)


class _Context:
    """Looks up what a record needs from its relatives (owner of a message's chat...), cached."""

    def __init__(self, store: ArchiveStore, blobs: BlobStore) -> None:
        self.store = store
        self.blobs = blobs
        self._owners: dict[tuple[str, str], tuple[str | None, str | None, str | None]] = {}
        self._file_projects: dict[str, str] | None = None

    def owner_of(self, kind: str, key: str | None) -> tuple[str | None, str | None, str | None]:
        """``(user id, email, organization)`` of a chat, project, session or code artifact."""
        if key is None:
            return None, None, None
        cached = self._owners.get((kind, key))
        if cached is not None:
            return cached
        row = self.store.query(
            "SELECT data, organization FROM records WHERE kind = ? AND key = ?", (kind, key)
        )
        found: tuple[str | None, str | None, str | None] = (None, None, None)
        if row:
            user_id, email = _user(json.loads(row[0][0]))
            found = (user_id, email, row[0][1])
        if len(self._owners) > 200_000:
            self._owners.clear()
        self._owners[(kind, key)] = found
        return found

    def project_of_file(self, file_id: str) -> str | None:
        if self._file_projects is None:
            self._file_projects = {
                str(file_id): str(parent)
                for file_id, parent in self.store.query(
                    "SELECT id, parent_key FROM records WHERE kind = 'project_attachment'"
                )
            }
        return self._file_projects.get(file_id)

    def blob_text(self, sha256: str | None, mime_type: Any, name: str | None) -> str:
        if not sha256 or not is_text_like(mime_type if isinstance(mime_type, str) else None, name):
            return ""
        path = self.blobs.path_for(sha256)
        try:
            with path.open("rb") as handle:
                raw = handle.read(TEXT_LIMIT * 4)
        except OSError:
            return ""
        return raw.decode("utf-8", errors="replace")[:TEXT_LIMIT]


def _document(ctx: _Context, row: sqlite3.Row) -> SearchDocument | None:
    kind: str = row["kind"]
    data = json.loads(row["data"])
    if not isinstance(data, Mapping):
        return None
    search_kind = RECORD_KINDS[kind]
    time = row["created_at"]
    parent = row["parent_key"]
    owner, email = _user(data)
    organization = row["organization"]
    title = ""
    body = ""
    container: str | None = None
    name = row["name"]
    if kind == "chat":
        title = str(data.get("name") or "")
    elif kind == "chat_message":
        container = parent
        owner, email, organization = ctx.owner_of("chat", parent)
        body = blocks_text(data.get("content"))
    elif kind == "project":
        title = str(data.get("name") or "")
        body = "\n".join(str(data.get(f) or "") for f in ("description", "instructions"))
    elif kind == "project_document":
        container = parent
        if owner is None:
            owner, email, organization = ctx.owner_of("project", parent)
        title = str(name or "")
        body = ctx.blob_text(row["blob_sha256"], data.get("mime_type") or "text/plain", title)
    elif kind in ("file", "generated_file", "artifact_version"):
        chat_ids = data.get("claude_chat_ids")
        container = parent or (chat_ids[0] if isinstance(chat_ids, list) and chat_ids else None)
        if container is None and kind == "file":
            container = ctx.project_of_file(row["key"])
            owner, email, organization = ctx.owner_of("project", container)
        else:
            owner, email, organization = ctx.owner_of("chat", container)
        title = str(name or "")
        mime = data.get("mime_type") or data.get("artifact_type")
        body = ctx.blob_text(row["blob_sha256"], mime, title if kind != "artifact_version" else "")
    elif kind == "code_artifact_version":
        container = parent
        owner, email, organization = ctx.owner_of("code_artifact", parent)
        title = str(name or "")
        body = ctx.blob_text(row["blob_sha256"], "text/html", None)
    elif kind in ("local_session_message", "remote_session_message"):
        container = parent
        owner, email, organization = ctx.owner_of(kind.removesuffix("_message"), parent)
        body = blocks_text(data.get("content"))
    elif kind == "activity":
        title = str(data.get("type") or "")
        body = " ".join(_flatten({k: v for k, v in data.items() if k not in ("type", "id")}))
    return SearchDocument(
        search_kind,
        container,
        owner,
        email,
        organization,
        time,
        _clean(title),
        _clean(body),
    )


def _write(store: ArchiveStore, kind: str, key: str, document: SearchDocument | None) -> None:
    existing = store.query(
        "SELECT rowid FROM search_documents WHERE record_kind = ? AND record_key = ?", (kind, key)
    )
    if existing:
        rowid = existing[0][0]
        store.execute("DELETE FROM search_text WHERE rowid = ?", (rowid,))
        store.execute("DELETE FROM search_documents WHERE rowid = ?", (rowid,))
    _write_new(store, kind, key, document)


def _rows(store: ArchiveStore, keys: Iterable[tuple[str, str]]) -> list[sqlite3.Row]:
    found = []
    for kind, key in keys:
        row = store.get(kind, key)
        if row is not None:
            found.append(row)
    return found


def start_index(store: ArchiveStore) -> None:
    """Make sure records stored from now on are queued for the index (before a sync writes).

    An archive with nothing indexable yet has a complete (empty) index at once, so a first
    sync indexes as it goes instead of rebuilding at the end.
    """
    ensure_index_tables(store)
    if index_is_built(store):
        return
    kinds = ",".join("?" * len(RECORD_KINDS))
    held = store.query(
        f"SELECT 1 FROM records WHERE kind IN ({kinds}) LIMIT 1", tuple(RECORD_KINDS)
    )
    if not held:
        with store.transaction():
            store.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (META_KEY, INDEX_VERSION))


def catch_up(store: ArchiveStore, root: Path, *, batches: int | None = None) -> IndexResult:
    """Index queued records (or build the whole index if it was never built).

    Args:
        batches: Stop after this many batches (a sync indexes a little between its requests);
            all of the queue if ``None``.
    """
    ensure_index_tables(store)
    if not index_is_built(store):
        if batches is not None:
            return IndexResult(0, rebuilt=False)  # a rebuild waits for the end of the sync
        return rebuild(store, root)
    ctx = _Context(store, BlobStore(root))
    indexed = 0
    size = BATCH if batches is None else ALONGSIDE_BATCH
    while batches is None or batches > 0:
        if batches is not None:
            batches -= 1
        queued = store.query("SELECT kind, key FROM search_pending LIMIT ?", (size,))
        if not queued:
            break
        rows = {(row["kind"], row["key"]): row for row in _rows(store, queued)}
        with store.transaction():
            for kind, key in queued:
                row = rows.get((kind, key))
                _write(store, kind, key, None if row is None else _document(ctx, row))
                store.execute("DELETE FROM search_pending WHERE kind = ? AND key = ?", (kind, key))
        indexed += len(queued)
    return IndexResult(indexed, rebuilt=False)


def rebuild(store: ArchiveStore, root: Path) -> IndexResult:
    """Build the index from every record the archive holds (a batch per transaction).

    The index counts as built only once the last batch is in, so an interrupted rebuild is
    started over by the next sync or ``archive index``.
    """
    ensure_index_tables(store)
    with store.transaction():
        store.execute("DELETE FROM meta WHERE key = ?", (META_KEY,))
        store.execute("DELETE FROM search_text")
        store.execute("DELETE FROM search_documents")
        store.execute("DELETE FROM search_pending")
    ctx = _Context(store, BlobStore(root))
    indexed = 0
    for kind in RECORD_KINDS:
        after = ""
        while True:
            cursor_rows = store.rows(
                "SELECT * FROM records WHERE kind = ? AND key > ? ORDER BY key LIMIT ?",
                (kind, after, BATCH),
            )
            if not cursor_rows:
                break
            with store.transaction():
                for row in cursor_rows:
                    _write_new(store, kind, row["key"], _document(ctx, row))
            indexed += len(cursor_rows)
            after = cursor_rows[-1]["key"]
    with store.transaction():
        store.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (META_KEY, INDEX_VERSION))
    return IndexResult(indexed, rebuilt=True)


def _write_new(store: ArchiveStore, kind: str, key: str, document: SearchDocument | None) -> None:
    # A rebuild starts from empty tables: no earlier entry to remove.
    if document is None:
        return
    store.execute(
        "INSERT INTO search_documents (record_kind, record_key, kind, container, owner, "
        "owner_email, organization, time, title) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            kind,
            key,
            document.kind,
            document.container,
            document.owner,
            document.owner_email,
            document.organization,
            document.time,
            document.title,
        ),
    )
    store.execute(
        "INSERT INTO search_text (rowid, title, body) VALUES (last_insert_rowid(), ?, ?)",
        (document.title, document.body),
    )
