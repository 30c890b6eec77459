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

Built for queries that stay fast when a word is in a fifth of a million documents:

- a document's rowid encodes its creation time (:func:`time_rowid`: microseconds since 1970,
  times 1024, plus a sequence number), so rowid order is time order: "the newest matches" are
  the highest rowids, and a time filter is a rowid range FTS5 seeks to directly;
- its kind, owner and organization are tokens of a third column, ``tags`` (see
  :func:`kind_tag`, :func:`owner_tag`, :func:`organization_tag`), so a filter is one more
  term FTS5 intersects in its doclists instead of a check on every match afterwards.

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
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

from ..common.timestamps import parse_timestamp, parse_timestamp_or_none
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
    "kind_tag",
    "organization_tag",
    "owner_tag",
    "pending_count",
    "rebuild",
    "start_index",
    "time_rowid",
]

INDEX_VERSION = "2"
"""Version 2: time-ordered rowids and the ``tags`` column (an older index is rebuilt)."""
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
    title, body, tags, tokenize = 'unicode61 remove_diacritics 2'
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

SEQUENCE_BITS = 10
"""Rowids of documents created in the same microsecond: 1024 before they spill into the next."""
LATEST_MICROSECOND = (1 << (63 - SEQUENCE_BITS)) - (1 << 20)
"""Times are clamped below this (the year 2255) so that rowids fit in 64 bits."""
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def time_rowid(time: str | datetime) -> int:
    """The lowest rowid of a document created at ``time`` (RFC 3339 or a datetime).

    Documents with a time have rowids from 1 upwards in time order; those without one have
    negative rowids (older than everything), so any time filter leaves them out.

    Raises:
        ValueError: When ``time`` is not an RFC 3339 timestamp.
    """
    moment = parse_timestamp(time) if isinstance(time, str) else time
    microseconds = (moment - EPOCH) // timedelta(microseconds=1)
    return (min(max(microseconds, 0), LATEST_MICROSECOND) + 1) << SEQUENCE_BITS


def _tag(prefix: str, value: str) -> str:
    # One token whatever the value holds: its UTF-8 bytes in hex (an id like ``user_01ab`` would
    # otherwise be split in two), behind a letter that keeps the kinds of tag apart.
    return prefix + value.encode().hex()


def kind_tag(kind: str) -> str:
    """The ``tags`` token of a search kind (``chat``, ``message``...)."""
    return _tag("k", kind)


def owner_tag(user_id: str) -> str:
    """The ``tags`` token of an owner's user id."""
    return _tag("u", user_id)


def organization_tag(organization: str) -> str:
    """The ``tags`` token of an organization uuid."""
    return _tag("o", organization)


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

    @property
    def tags(self) -> str:
        """What the filters find this document by (see :func:`kind_tag` and the others)."""
        tags = [kind_tag(self.kind)]
        if self.owner:
            tags.append(owner_tag(self.owner))
        if self.organization:
            tags.append(organization_tag(self.organization))
        return " ".join(tags)


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


def _drop_index_tables(store: ArchiveStore) -> None:
    # An index of an older version has other columns: a rebuild starts from new tables.
    with store.transaction():
        store.execute("DELETE FROM meta WHERE key = ?", (META_KEY,))
        store.execute("DROP TABLE IF EXISTS search_text")
        store.execute("DROP TABLE IF EXISTS search_documents")
        store.execute("DELETE FROM search_pending")


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


def _remove(store: ArchiveStore, keys: Iterable[tuple[str, str]]) -> None:
    """Take records' documents out of the index (lowest rowid first: see :func:`_write_new`)."""
    rowids = sorted(
        rowid
        for kind, key in keys
        for (rowid,) in store.query(
            "SELECT rowid FROM search_documents WHERE record_kind = ? AND record_key = ?",
            (kind, key),
        )
    )
    for rowid in rowids:
        store.execute("DELETE FROM search_text WHERE rowid = ?", (rowid,))
        store.execute("DELETE FROM search_documents WHERE rowid = ?", (rowid,))


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
        rows = _rows(store, queued)
        with store.transaction():
            _remove(store, queued)
            _write_new(store, [(row["kind"], row["key"], _document(ctx, row)) for row in rows])
            for kind, key in queued:
                store.execute("DELETE FROM search_pending WHERE kind = ? AND key = ?", (kind, key))
        indexed += len(queued)
    return IndexResult(indexed, rebuilt=False)


def rebuild(store: ArchiveStore, root: Path) -> IndexResult:
    """Build the index from every record the archive holds (a batch per transaction).

    The index counts as built only once the last batch is in, so an interrupted rebuild is
    started over by the next sync or ``archive index``.
    """
    ensure_index_tables(store)
    _drop_index_tables(store)
    ensure_index_tables(store)
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
                _write_new(store, [(kind, row["key"], _document(ctx, row)) for row in cursor_rows])
            indexed += len(cursor_rows)
            after = cursor_rows[-1]["key"]
    with store.transaction():
        store.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (META_KEY, INDEX_VERSION))
    return IndexResult(indexed, rebuilt=True)


def _next_free_rowid(store: ArchiveStore, start: int) -> int:
    """The next rowid from ``start`` no document holds: the next of its microsecond (or of
    the next ones, if more than a thousand documents share it)."""
    while True:
        end = start + (1 << SEQUENCE_BITS)
        (highest,) = store.query(
            "SELECT MAX(rowid) FROM search_documents WHERE rowid >= ? AND rowid < ?", (start, end)
        )[0]
        if highest is None:
            return start
        if highest + 1 < end:
            return int(highest) + 1
        start = end


def _moment(time: str | None) -> datetime | None:
    # Times from the API are ISO 8601 with a zone, which datetime reads at C speed (a rebuild
    # reads a million); anything else goes through the careful reader.
    if time:
        try:
            moment = datetime.fromisoformat(time)
        except ValueError:
            return parse_timestamp_or_none(time)
        if moment.tzinfo is not None:
            return moment
    return parse_timestamp_or_none(time)


def _write_new(
    store: ArchiveStore, documents: Iterable[tuple[str, str, SearchDocument | None]]
) -> None:
    """Add documents of records not in the index (``None``: nothing to index), oldest first.

    FTS5 writes what a transaction adds as one segment only while rowids keep growing (a
    smaller one makes it flush what it holds), so the batch goes in rowid order: documents
    without a time first, below every rowid in use, then the others by time.
    """
    timed: list[tuple[datetime, str, str, SearchDocument]] = []
    untimed: list[tuple[str, str, SearchDocument]] = []
    for kind, key, document in documents:
        if document is None:
            continue
        moment = _moment(document.time)
        if moment is None:
            untimed.append((kind, key, document))
        else:
            timed.append((moment, kind, key, document))
    if untimed:
        lowest = min(store.query("SELECT MIN(rowid) FROM search_documents")[0][0] or 0, 0)
        for offset, (kind, key, document) in enumerate(untimed):
            _insert(store, lowest - len(untimed) + offset, kind, key, document)
    timed.sort(key=lambda item: item[0])
    for moment, kind, key, document in timed:
        _insert(store, time_rowid(moment), kind, key, document)


def _insert(store: ArchiveStore, rowid: int, kind: str, key: str, document: SearchDocument) -> None:
    """Index one document at ``rowid``, or at the next free one if another holds it (the first
    try is free almost always: no query to look for a free one first)."""
    row = (
        kind,
        key,
        document.kind,
        document.container,
        document.owner,
        document.owner_email,
        document.organization,
        document.time,
        document.title,
    )
    insert = (
        "INSERT INTO search_documents (rowid, record_kind, record_key, kind, container, owner, "
        "owner_email, organization, time, title) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    )
    if not store.execute(f"{insert} ON CONFLICT (rowid) DO NOTHING", (rowid, *row)):
        rowid = _next_free_rowid(store, rowid)
        store.execute(insert, (rowid, *row))
    store.execute(
        "INSERT INTO search_text (rowid, title, body, tags) VALUES (?, ?, ?, ?)",
        (rowid, document.title, document.body, document.tags),
    )
