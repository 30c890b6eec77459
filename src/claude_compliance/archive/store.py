"""The archive's SQLite database: schema, record upserts, disappearance marks and checkpoints.

Every record the API served is one row of ``records``: its exact wire JSON (``data``) beside a
few columns worth querying (organization, user, times, name), keyed by ``(kind, key)``. When a
record's content changes, the version it replaces moves to ``history``; when a complete listing
no longer returns it, ``gone_at`` says since when. Nothing is ever deleted.

Checkpoints live in the same database and are written in the same transaction as the records
they cover (:meth:`ArchiveStore.transaction`), so after a crash the database holds either both
or neither: that is what makes a killed sync resume exactly.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..common.closing import Closeable
from ..common.files import open_private, private_dir
from ..common.served import RAW_MARK, canonical_json, content_key, is_raw_key, record_key

__all__ = [
    "DATABASE_NAME",
    "RAW_MARK",
    "ArchiveQueries",
    "ArchiveStore",
    "ForeignDatabaseError",
    "RecordRow",
    "Upsert",
    "canonical_json",
    "check_archive_database",
    "content_key",
    "is_raw_key",
    "now_iso",
    "record_key",
]

DATABASE_NAME = "archive.sqlite3"
SCHEMA_VERSION = "1"
# Written into the SQLite header of every archive (``PRAGMA application_id``): "CCAR".
APPLICATION_ID = 0x43434152


class ForeignDatabaseError(RuntimeError):
    """The folder's ``archive.sqlite3`` is not an archive of this tool (or of another schema);
    it was left exactly as it was."""


def check_archive_database(path: Path) -> None:
    """Refuse, without writing a byte, a database file this tool did not create.

    Our archives carry :data:`APPLICATION_ID` (older ones: a ``meta`` table with our schema
    version); an empty file is a new archive.
    """
    if path.stat().st_size == 0:
        return
    try:
        probe = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise ForeignDatabaseError(f"{path} cannot be opened: {error}") from None
    try:
        application_id = probe.execute("PRAGMA application_id").fetchone()[0]
        tables = {row[0] for row in probe.execute("SELECT name FROM sqlite_master")}
        version = (
            probe.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if "meta" in tables
            else None
        )
    except sqlite3.DatabaseError as error:
        raise ForeignDatabaseError(f"{path} is not an archive database: {error}") from None
    finally:
        probe.close()
    if application_id not in (0, APPLICATION_ID) or (tables and version is None):
        raise ForeignDatabaseError(
            f"{path} is not an archive of this tool; choose another folder (nothing was changed)"
        )
    if version is not None and version[0] != SCHEMA_VERSION:
        raise ForeignDatabaseError(
            f"{path} holds archive schema {version[0]}, this tool writes schema "
            f"{SCHEMA_VERSION}; nothing was changed"
        )


SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    id TEXT,
    parent_key TEXT,
    position INTEGER,
    type TEXT,
    organization TEXT,
    user_id TEXT,
    created_at TEXT,
    updated_at TEXT,
    name TEXT,
    data TEXT NOT NULL,
    blob_sha256 TEXT,
    archived_at TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    gone_at TEXT,
    PRIMARY KEY (kind, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS records_by_parent ON records (kind, parent_key);
CREATE INDEX IF NOT EXISTS records_by_user ON records (user_id, kind);
CREATE INDEX IF NOT EXISTS records_by_created ON records (kind, created_at);
CREATE INDEX IF NOT EXISTS records_by_blob ON records (blob_sha256);
-- What changed after a moment (archive changes, the resume line): changed_at starts equal to
-- archived_at and only moves forward, so these two cover new, changed, deleted and gone.
-- Archives made before they existed get them the next time they are opened for writing.
CREATE INDEX IF NOT EXISTS records_by_changed ON records (changed_at);
CREATE INDEX IF NOT EXISTS records_by_gone ON records (gone_at);
CREATE TABLE IF NOT EXISTS history (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    data TEXT NOT NULL,
    blob_sha256 TEXT,
    replaced_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS history_by_record ON history (kind, key);
CREATE TABLE IF NOT EXISTS blobs (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    md5 TEXT NOT NULL,
    stored_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS checkpoints (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dirty (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (kind, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,
    summary TEXT
);
"""

# Read-only conveniences for people querying the archive with sqlite3.
VIEWS = {
    "activities": "json_extract(data, '$.actor.type') AS actor_type",
    "chats": "json_extract(data, '$.project_id') AS project_id, "
    "json_extract(data, '$.user.email_address') AS user_email",
    "chat_messages": "json_extract(data, '$.role') AS role",
    "projects": "json_extract(data, '$.user.email_address') AS user_email",
    "files": "json_extract(data, '$.mime_type') AS mime_type, "
    "json_extract(data, '$.size_bytes') AS size_bytes",
    "users": "json_extract(data, '$.email') AS email",
}
VIEW_KINDS = {
    "activities": "activity",
    "chats": "chat",
    "chat_messages": "chat_message",
    "projects": "project",
    "files": "file",
    "users": "user",
}


REFERENCED_BLOBS = (
    "SELECT r.sha256, b.size FROM (SELECT blob_sha256 AS sha256 FROM records "
    "WHERE blob_sha256 IS NOT NULL UNION SELECT blob_sha256 FROM history "
    "WHERE blob_sha256 IS NOT NULL) AS r LEFT JOIN blobs AS b ON b.sha256 = r.sha256"
)
"""Every blob a record or a history entry points at, with its registered size."""


def now_iso() -> str:
    """Wall-clock UTC time for bookkeeping columns (never part of the digest)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _user_of(data: Mapping[str, Any]) -> str | None:
    for holder in ("user", "actor"):
        nested = data.get(holder)
        if isinstance(nested, Mapping):
            for field in ("id", "user_id"):
                if isinstance(nested.get(field), str):
                    return str(nested[field])
    for field in ("user_id", "owner_user_id"):
        if isinstance(data.get(field), str):
            return str(data[field])
    return None


def _text(data: Mapping[str, Any], *fields: str) -> str | None:
    for field in fields:
        value = data.get(field)
        if isinstance(value, str):
            return value
    return None


@dataclasses.dataclass(frozen=True)
class RecordRow:
    """One record to store.

    Attributes:
        kind: What it is (``chat``, ``chat_message``, ``file``, ``activity``...).
        key: Unique within the kind: the object id, or ``parent/child`` for nested records.
        data: The wire JSON as served (normally an object; any JSON value is kept).
        parent_key: The key of the record this one belongs to (a message's chat).
        position: Order within the parent as served.
        blob_sha256: The content held for this record, if any.
        id: The object's own id (defaults to ``data["id"]``).
    """

    kind: str
    key: str
    data: Any
    parent_key: str | None = None
    position: int | None = None
    blob_sha256: str | None = None
    id: str | None = None

    def serialized(self) -> str:
        """The ``data`` column: the wire JSON, compact, keys in the order served."""
        return json.dumps(self.data, ensure_ascii=False, separators=(",", ":"))

    def columns(self) -> tuple[Any, ...]:
        data = self.data if isinstance(self.data, Mapping) else {}
        return (
            self.id if self.id is not None else _text(data, "id", "uuid", "version_id"),
            self.parent_key,
            self.position,
            _text(data, "type"),
            _text(data, "organization_uuid", "organization_id"),
            _user_of(data),
            _text(data, "created_at", "granted_at"),
            _text(data, "updated_at"),
            _text(data, "name", "filename", "title", "email", "action"),
        )


@dataclasses.dataclass(frozen=True)
class Upsert:
    """What storing one record did: ``new``, ``changed``, ``unchanged`` or ``returned``."""

    outcome: str


class ArchiveQueries(Closeable):
    """Reads over an archive database: what its writer and its read-only readers share."""

    _conn: sqlite3.Connection

    def query(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows of a read query, as tuples."""
        return self._conn.execute(sql, tuple(params)).fetchall()

    def rows(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        """Rows of a read query, columns by name."""
        cursor = self._conn.execute(sql, tuple(params))
        cursor.row_factory = sqlite3.Row
        return list(cursor)

    def referenced_blobs(self) -> dict[str, int | None]:
        """Every blob a record or a replaced version points at, with its registered size."""
        return {sha: size for sha, size in self._conn.execute(REFERENCED_BLOBS)}

    def close(self) -> None:
        self._conn.close()


class ArchiveStore(ArchiveQueries):
    """The archive database at ``<root>/archive.sqlite3``.

    One connection, used from one thread (the sync engine's event loop). Write only inside
    :meth:`transaction`.

    Args:
        root: The archive folder (created if missing).
    """

    def __init__(self, root: Path) -> None:
        self.root = private_dir(Path(root))
        self.path = self.root / DATABASE_NAME
        # Created owner-only before SQLite opens it: its -wal and -shm files copy these bits.
        os.close(open_private(self.path, os.O_RDWR))
        check_archive_database(self.path)
        self._conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode = WAL")
        # WAL + NORMAL never loses a committed transaction to a killed process (only, at worst,
        # the last ones to a power cut), and keeps commits cheap.
        self._conn.execute("PRAGMA synchronous = NORMAL")
        self._conn.execute("PRAGMA foreign_keys = OFF")
        self._conn.executescript(SCHEMA)
        for view, extra in VIEWS.items():
            self._conn.execute(
                f"CREATE VIEW IF NOT EXISTS {view} AS SELECT id, key, parent_key, type, "
                f"organization, user_id, created_at, updated_at, name, {extra}, blob_sha256, "
                f"gone_at, data FROM records WHERE kind = '{VIEW_KINDS[view]}'"
            )
        self._conn.execute(
            "INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,)
        )
        if self._conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            self._conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        self._in_transaction = False

    # -- transactions ---------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes: all of them commit together, or none (also on a crash)."""
        if self._in_transaction:
            yield
            return
        self._conn.execute("BEGIN IMMEDIATE")
        self._in_transaction = True
        try:
            yield
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        finally:
            self._in_transaction = False
        self._conn.execute("COMMIT")

    # -- records --------------------------------------------------------------------------------

    def upsert(self, row: RecordRow) -> Upsert:
        """Store a record; an earlier different version moves to ``history``.

        Must run inside :meth:`transaction`.
        """
        assert self._in_transaction, "upsert outside a transaction"
        data = row.serialized()
        now = now_iso()
        current = self._conn.execute(
            "SELECT data, blob_sha256, gone_at, parent_key, position FROM records "
            "WHERE kind = ? AND key = ?",
            (row.kind, row.key),
        ).fetchone()
        columns = row.columns()
        if current is None:
            self._conn.execute(
                "INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                (row.kind, row.key, *columns, data, row.blob_sha256, now, now),
            )
            return Upsert("new")
        old_data, old_blob, gone_at, old_parent, old_position = current
        same_content = (
            old_data == data or json.loads(old_data) == row.data
        ) and old_blob == row.blob_sha256
        if same_content and old_parent == row.parent_key and old_position == row.position:
            if gone_at is None:
                return Upsert("unchanged")
            self._conn.execute(
                "UPDATE records SET gone_at = NULL WHERE kind = ? AND key = ?", (row.kind, row.key)
            )
            return Upsert("returned")
        if not same_content:
            self._conn.execute(
                "INSERT INTO history VALUES (?, ?, ?, ?, ?)",
                (row.kind, row.key, old_data, old_blob, now),
            )
        self._conn.execute(
            "UPDATE records SET id = ?, parent_key = ?, position = ?, type = ?, organization = ?, "
            "user_id = ?, created_at = ?, updated_at = ?, name = ?, data = ?, blob_sha256 = ?, "
            "changed_at = ?, gone_at = NULL WHERE kind = ? AND key = ?",
            (*columns, data, row.blob_sha256, now, row.kind, row.key),
        )
        return Upsert("changed" if not same_content else "unchanged")

    def insert_new(self, rows: Iterable[RecordRow]) -> int:
        """Store records that never change (activities), skipping keys already held."""
        assert self._in_transaction, "insert outside a transaction"
        now = now_iso()
        before = self._conn.total_changes
        self._conn.executemany(
            "INSERT OR IGNORE INTO records "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
            (
                (
                    row.kind,
                    row.key,
                    *row.columns(),
                    row.serialized(),
                    row.blob_sha256,
                    now,
                    now,
                )
                for row in rows
            ),
        )
        return self._conn.total_changes - before

    def mark_gone(self, kind: str, keys: Iterable[str]) -> int:
        """Mark records the API no longer returns; returns how many were newly marked."""
        return self._mark_gone_where("key", kind, keys)

    def mark_missing(
        self, kind: str, present: set[str], *, parent_key: str | None = None, scoped: bool = False
    ) -> int:
        """Mark every live record of ``kind`` (under ``parent_key`` if ``scoped``) not in
        ``present`` as gone. Used after a complete listing."""
        held = self.live_keys(kind, parent_key=parent_key, scoped=scoped)
        return self.mark_gone(kind, sorted(held - present))

    def mark_gone_under(self, kind: str, parent_keys: Iterable[str]) -> int:
        """Mark the live records of ``kind`` under these parents as gone (a deleted chat's
        messages, a deleted project's attachments)."""
        return self._mark_gone_where("parent_key", kind, parent_keys)

    def _mark_gone_where(self, column: str, kind: str, values: Iterable[str]) -> int:
        """Mark the live records of ``kind`` whose ``column`` is one of ``values`` as gone now;
        returns how many were newly marked."""
        assert self._in_transaction, "marking gone outside a transaction"
        now = now_iso()
        before = self._conn.total_changes
        self._conn.executemany(
            f"UPDATE records SET gone_at = ? WHERE kind = ? AND {column} = ? AND gone_at IS NULL",
            ((now, kind, value) for value in values),
        )
        return self._conn.total_changes - before

    def existing_keys(self, kind: str, keys: Iterable[str]) -> set[str]:
        """Which of ``keys`` the archive already holds for ``kind``."""
        found: set[str] = set()
        batch = list(keys)
        for start in range(0, len(batch), 500):
            chunk = batch[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                key
                for (key,) in self._conn.execute(
                    f"SELECT key FROM records WHERE kind = ? AND key IN ({marks})", (kind, *chunk)
                )
            )
        return found

    def live_keys(
        self, kind: str, *, parent_key: str | None = None, scoped: bool = False
    ) -> set[str]:
        """Keys of records of ``kind`` not marked gone (only under ``parent_key`` if scoped).

        Records kept raw (no id) are left out: no listing can say they went away.
        """
        if scoped:
            rows = self._conn.execute(
                "SELECT key FROM records WHERE kind = ? AND parent_key IS ? AND gone_at IS NULL",
                (kind, parent_key),
            )
        else:
            rows = self._conn.execute(
                "SELECT key FROM records WHERE kind = ? AND gone_at IS NULL", (kind,)
            )
        return {key for (key,) in rows if not is_raw_key(key)}

    def get(self, kind: str, key: str) -> sqlite3.Row | None:
        """One record's row (columns by name), or ``None``."""
        cursor = self._conn.execute("SELECT * FROM records WHERE kind = ? AND key = ?", (kind, key))
        cursor.row_factory = sqlite3.Row
        row: sqlite3.Row | None = cursor.fetchone()
        return row

    def updated_at_of(self, kind: str) -> dict[str, tuple[str | None, bool]]:
        """``key -> (updated_at, is_gone)`` for every record of ``kind``."""
        return {
            key: (updated_at, gone_at is not None)
            for key, updated_at, gone_at in self._conn.execute(
                "SELECT key, updated_at, gone_at FROM records WHERE kind = ?", (kind,)
            )
        }

    def children(self, kind: str, parent_key: str) -> list[sqlite3.Row]:
        """Records of ``kind`` under one parent, in served order."""
        cursor = self._conn.execute(
            "SELECT * FROM records WHERE kind = ? AND parent_key = ? ORDER BY position, key",
            (kind, parent_key),
        )
        cursor.row_factory = sqlite3.Row
        return list(cursor)

    def meta(self, key: str) -> str | None:
        """A value of the archive's own bookkeeping (``meta`` table)."""
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self._conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # -- tables kept beside the records (legal holds, deletion journal) -------------------------

    @property
    def in_transaction(self) -> bool:
        """Whether a :meth:`transaction` is open (writes must happen inside one)."""
        return self._in_transaction

    def execute_script(self, script: str) -> None:
        """Create tables another part keeps in the archive (``CREATE ... IF NOT EXISTS``)."""
        self._conn.executescript(script)

    def execute(self, sql: str, params: Iterable[Any] = ()) -> int:
        """Run one write inside the open transaction; returns the rows it changed."""
        assert self._in_transaction, "write outside a transaction"
        return self._conn.execute(sql, tuple(params)).rowcount

    # -- dirty marks: objects the Activity Feed says changed ------------------------------------

    def mark_dirty(self, marks: Iterable[tuple[str, str, str]]) -> None:
        """Remember ``(kind, key, reason)`` objects to re-fetch (in the activities' transaction)."""
        assert self._in_transaction, "mark_dirty outside a transaction"
        self._conn.executemany("INSERT OR IGNORE INTO dirty VALUES (?, ?, ?)", marks)

    def dirty_keys(self, kind: str) -> set[str]:
        """Keys of ``kind`` waiting to be re-fetched."""
        return {
            key for (key,) in self._conn.execute("SELECT key FROM dirty WHERE kind = ?", (kind,))
        }

    def is_dirty(self, kind: str, key: str) -> bool:
        """Whether ``(kind, key)`` waits to be re-fetched."""
        found = self._conn.execute(
            "SELECT 1 FROM dirty WHERE kind = ? AND key = ?", (kind, key)
        ).fetchone()
        return found is not None

    def clear_dirty(self, kind: str, key: str) -> None:
        """Forget a dirty mark (in the transaction that stores the re-fetched object)."""
        assert self._in_transaction, "clear_dirty outside a transaction"
        self._conn.execute("DELETE FROM dirty WHERE kind = ? AND key = ?", (kind, key))

    # -- blobs ----------------------------------------------------------------------------------

    def blob_md5(self, sha256: str) -> str | None:
        value = self._conn.execute("SELECT md5 FROM blobs WHERE sha256 = ?", (sha256,)).fetchone()
        return None if value is None else str(value[0])

    def add_blob(self, sha256: str, size: int, md5: str) -> None:
        """Register a blob already in place on disk (inside the referencing transaction)."""
        self._conn.execute(
            "INSERT OR IGNORE INTO blobs VALUES (?, ?, ?, ?)", (sha256, size, md5, now_iso())
        )

    # -- checkpoints ----------------------------------------------------------------------------

    def checkpoint(self, name: str) -> dict[str, Any] | None:
        """A saved checkpoint's value, or ``None``."""
        row = self._conn.execute("SELECT value FROM checkpoints WHERE name = ?", (name,)).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def save_checkpoint(self, name: str, value: Mapping[str, Any]) -> None:
        """Save a checkpoint; must be in the transaction of the data it covers."""
        assert self._in_transaction, "checkpoint outside a transaction"
        self._conn.execute(
            "INSERT OR REPLACE INTO checkpoints VALUES (?, ?, ?)",
            (name, canonical_json(value), now_iso()),
        )

    # -- runs -----------------------------------------------------------------------------------

    def start_run(self) -> int:
        """Record a run's start (earlier runs still marked running were interrupted)."""
        with self.transaction():
            self._conn.execute("UPDATE runs SET status = 'interrupted' WHERE status = 'running'")
            cursor = self._conn.execute(
                "INSERT INTO runs (started_at, status) VALUES (?, 'running')", (now_iso(),)
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def finish_run(self, run_id: int, status: str, summary: Mapping[str, Any]) -> None:
        with self.transaction():
            self._conn.execute(
                "UPDATE runs SET finished_at = ?, status = ?, summary = ? WHERE id = ?",
                (now_iso(), status, canonical_json(summary), run_id),
            )

    def runs(self) -> list[tuple[Any, ...]]:
        return self.query(
            "SELECT id, started_at, finished_at, status, summary FROM runs ORDER BY id"
        )
