"""The emulator's SQLite store: schema, bulk loading and in-process read access.

Every record keeps the exact JSON the API serves (column ``data``) next to the few columns the
endpoints filter and sort on, so a response is assembled from stored strings without re-encoding
and is byte-for-byte what the generator produced. Content (file bytes, document text, artifact
text) lives in its own columns.

One connection serves the server thread and in-process readers (tests); a re-entrant lock
serialises them, which is plenty for an emulator and keeps SQLite's threading rules simple.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS orgs (
    uuid TEXT PRIMARY KEY, tagged_id TEXT NOT NULL UNIQUE, seq INTEGER NOT NULL,
    ts INTEGER NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY, email TEXT NOT NULL, full_name TEXT NOT NULL, deleted INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS memberships (
    org_uuid TEXT NOT NULL, user_id TEXT NOT NULL, joined_ts INTEGER NOT NULL,
    data TEXT NOT NULL, preferences TEXT NOT NULL, PRIMARY KEY (org_uuid, user_id));
CREATE INDEX IF NOT EXISTS memberships_by_join ON memberships (org_uuid, joined_ts, user_id);
CREATE TABLE IF NOT EXISTS roles (
    id TEXT PRIMARY KEY, org_uuid TEXT NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS role_permissions (
    role_id TEXT NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (role_id, seq));
CREATE TABLE IF NOT EXISTS org_settings (org_uuid TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS groups (
    id TEXT PRIMARY KEY, seq INTEGER NOT NULL, name TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS group_members (
    group_id TEXT NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (group_id, seq));
CREATE TABLE IF NOT EXISTS projects (
    id TEXT PRIMARY KEY, org_uuid TEXT NOT NULL, user_id TEXT, ts INTEGER NOT NULL,
    updated_ts INTEGER NOT NULL, data TEXT NOT NULL, detail TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS projects_by_created ON projects (ts, id);
CREATE TABLE IF NOT EXISTS project_docs (
    id TEXT PRIMARY KEY, project_id TEXT NOT NULL, ts INTEGER NOT NULL,
    data TEXT NOT NULL, content TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS project_docs_by_project ON project_docs (project_id, ts, id);
CREATE TABLE IF NOT EXISTS collaborators (
    project_id TEXT NOT NULL, ts INTEGER NOT NULL, assignment_uuid TEXT NOT NULL,
    data TEXT NOT NULL, PRIMARY KEY (project_id, ts, assignment_uuid));
CREATE TABLE IF NOT EXISTS files (
    id TEXT PRIMARY KEY, chat_id TEXT, project_id TEXT, ts INTEGER NOT NULL,
    data TEXT NOT NULL, content BLOB);
CREATE INDEX IF NOT EXISTS files_by_chat ON files (chat_id);
CREATE INDEX IF NOT EXISTS files_by_project ON files (project_id, ts, id);
CREATE TABLE IF NOT EXISTS generated_files (
    id TEXT PRIMARY KEY, chat_id TEXT NOT NULL, data TEXT NOT NULL, content BLOB);
CREATE INDEX IF NOT EXISTS generated_files_by_chat ON generated_files (chat_id);
CREATE TABLE IF NOT EXISTS artifact_versions (
    version_id TEXT PRIMARY KEY, artifact_id TEXT NOT NULL, chat_id TEXT NOT NULL,
    data TEXT NOT NULL, content TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS artifact_versions_by_chat ON artifact_versions (chat_id);
CREATE TABLE IF NOT EXISTS chats (
    id TEXT PRIMARY KEY, org_uuid TEXT NOT NULL, user_id TEXT, project_id TEXT,
    ts INTEGER NOT NULL, updated_ts INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS chats_by_created ON chats (ts, id);
CREATE INDEX IF NOT EXISTS chats_by_updated ON chats (updated_ts, id);
CREATE INDEX IF NOT EXISTS chats_by_user ON chats (user_id, ts, id);
CREATE INDEX IF NOT EXISTS chats_by_project ON chats (project_id);
CREATE TABLE IF NOT EXISTS messages (
    id TEXT PRIMARY KEY, chat_id TEXT NOT NULL, seq INTEGER NOT NULL, ts INTEGER NOT NULL,
    cursor_uuid TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS messages_by_chat ON messages (chat_id, seq);
CREATE TABLE IF NOT EXISTS local_sessions (
    id TEXT PRIMARY KEY, seq INTEGER NOT NULL, ts INTEGER NOT NULL, updated_ts INTEGER NOT NULL,
    data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS local_sessions_by_created ON local_sessions (ts, seq);
CREATE TABLE IF NOT EXISTS local_messages (
    session_id TEXT NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (session_id, seq));
CREATE TABLE IF NOT EXISTS remote_sessions (
    id TEXT PRIMARY KEY, org_uuid TEXT NOT NULL, user_id TEXT, ts INTEGER NOT NULL,
    status TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS remote_sessions_by_created ON remote_sessions (ts, id);
CREATE TABLE IF NOT EXISTS remote_messages (
    session_id TEXT NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (session_id, seq));
CREATE TABLE IF NOT EXISTS code_artifacts (
    id TEXT PRIMARY KEY, org_uuid TEXT NOT NULL, owner_user_id TEXT, updated_ts INTEGER,
    data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS code_artifact_versions (
    artifact_id TEXT NOT NULL, version_id TEXT NOT NULL, mime_type TEXT NOT NULL,
    content BLOB NOT NULL, PRIMARY KEY (artifact_id, version_id));
CREATE TABLE IF NOT EXISTS activities (
    id TEXT PRIMARY KEY, ts INTEGER NOT NULL, type TEXT NOT NULL, actor_id TEXT,
    org_uuid TEXT, visible_at REAL NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS activities_by_time ON activities (ts, id);
"""

CONTENT_TABLES = ("files", "generated_files", "project_docs", "artifact_versions")

COUNTED_TABLES = (
    "orgs",
    "users",
    "memberships",
    "roles",
    "role_permissions",
    "groups",
    "group_members",
    "projects",
    "project_docs",
    "collaborators",
    "files",
    "generated_files",
    "artifact_versions",
    "chats",
    "messages",
    "local_sessions",
    "local_messages",
    "remote_sessions",
    "remote_messages",
    "code_artifacts",
    "code_artifact_versions",
    "activities",
)

# Column order used for a stable fingerprint of every table.
_FINGERPRINT_ORDER = {
    "orgs": "uuid",
    "users": "id",
    "memberships": "org_uuid, user_id",
    "roles": "id",
    "role_permissions": "role_id, seq",
    "org_settings": "org_uuid",
    "groups": "id",
    "group_members": "group_id, seq",
    "projects": "id",
    "project_docs": "id",
    "collaborators": "project_id, ts, assignment_uuid",
    "files": "id",
    "generated_files": "id",
    "artifact_versions": "version_id",
    "chats": "id",
    "messages": "id",
    "local_sessions": "id",
    "local_messages": "session_id, seq",
    "remote_sessions": "id",
    "remote_messages": "session_id, seq",
    "code_artifacts": "id",
    "code_artifact_versions": "artifact_id, version_id",
    "activities": "id",
}


@dataclass(frozen=True)
class Blob:
    """One piece of content the server can serve, with the checksums a download must match."""

    kind: str
    """``file`` (chat or project upload), ``generated_file``, ``project_document``,
    ``artifact_version`` or ``code_artifact_version``."""
    id: str
    """The id the content is downloaded by (for code artifact versions ``<artifact>/<version>``)."""
    content: bytes

    @property
    def md5_hex(self) -> str:
        """Lower-hex MD5 of the content, as metadata ``md5`` fields carry it."""
        return hashlib.md5(self.content).hexdigest()

    @property
    def size_bytes(self) -> int:
        """Length of the content in bytes."""
        return len(self.content)


class Store:
    """A thread-safe SQLite store holding one emulated world.

    ``path=None`` keeps the database in memory; a path makes it a file (use one for large
    worlds so the page cache, not the Python heap, holds the data).
    """

    def __init__(self, path: str | None = None) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(
            path or ":memory:", check_same_thread=False, isolation_level=None
        )
        self._conn.execute("PRAGMA synchronous = OFF")
        self._conn.execute("PRAGMA temp_store = MEMORY")
        self._conn.execute("PRAGMA cache_size = -65536")
        if path:
            self._conn.execute("PRAGMA journal_mode = WAL")
        self._conn.executescript(SCHEMA)

    # -- low-level access used by the generator, the routes and the mutations ------------------

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run a read query and return every row."""
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        """Run a read query and return its first row, if any."""
        with self._lock:
            row: tuple[Any, ...] | None = self._conn.execute(sql, params).fetchone()
            return row

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run a query returning one value (``None`` when there is no row)."""
        row = self.one(sql, params)
        return None if row is None else row[0]

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one write statement; returns the number of rows changed."""
        with self._lock:
            return self._conn.execute(sql, params).rowcount

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Hold the lock and a transaction; commits on success, rolls back on error."""
        with self._lock:
            self._conn.execute("BEGIN")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def insert_rows(self, table: str, rows: Iterable[Sequence[Any]], batch: int = 5000) -> int:
        """Bulk-insert rows in batches (one transaction per batch) without materialising them."""
        total = 0
        pending: list[Sequence[Any]] = []
        sql: str | None = None
        for row in rows:
            if sql is None:
                sql = f"INSERT INTO {table} VALUES ({', '.join('?' * len(row))})"
            pending.append(row)
            if len(pending) >= batch:
                total += self._flush(sql, pending)
                pending = []
        if pending and sql is not None:
            total += self._flush(sql, pending)
        return total

    def _flush(self, sql: str, rows: list[Sequence[Any]]) -> int:
        with self.transaction() as conn:
            conn.executemany(sql, rows)
        return len(rows)

    def get_meta(self, key: str) -> str | None:
        """A value of the ``meta`` table (world signature, counters)."""
        value = self.scalar("SELECT value FROM meta WHERE key = ?", (key,))
        return None if value is None else str(value)

    def set_meta(self, key: str, value: str) -> None:
        """Store a value in the ``meta`` table."""
        self.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def close(self) -> None:
        """Close the connection (the in-memory world is gone afterwards)."""
        with self._lock:
            self._conn.close()

    # -- in-process inspection (tests verify archives against these) ----------------------------

    def counts(self) -> dict[str, int]:
        """Row counts of every table that holds records."""
        return {
            table: int(self.scalar(f"SELECT COUNT(*) FROM {table}")) for table in COUNTED_TABLES
        }

    def _records(self, sql: str, params: Sequence[Any] = ()) -> Iterator[dict[str, Any]]:
        for (data,) in self.query(sql, params):
            yield json.loads(data)

    def iter_organizations(self) -> Iterator[dict[str, Any]]:
        """Organizations as the organizations list serves them."""
        return self._records("SELECT data FROM orgs ORDER BY ts, seq")

    def iter_users(self, org_uuid: str) -> Iterator[dict[str, Any]]:
        """Current members of one organization as the users list serves them."""
        return self._records(
            "SELECT data FROM memberships WHERE org_uuid = ? ORDER BY joined_ts, user_id",
            (org_uuid,),
        )

    def iter_activities(self, include_invisible: bool = True) -> Iterator[dict[str, Any]]:
        """Every activity, newest first (the feed's default order)."""
        where = "" if include_invisible else "WHERE visible_at <= strftime('%s','now')"
        return self._records(f"SELECT data FROM activities {where} ORDER BY ts DESC, id DESC")

    def iter_chats(self) -> Iterator[dict[str, Any]]:
        """Every chat's metadata (incl. user-soft-deleted chats), oldest first."""
        return self._records("SELECT data FROM chats ORDER BY ts, id")

    def chat_messages(self, chat_id: str) -> list[dict[str, Any]]:
        """All messages of one chat, untruncated, in order."""
        return list(
            self._records("SELECT data FROM messages WHERE chat_id = ? ORDER BY seq", (chat_id,))
        )

    def iter_projects(self) -> Iterator[dict[str, Any]]:
        """Every project as the projects list serves it, oldest first."""
        return self._records("SELECT data FROM projects ORDER BY ts, id")

    def iter_project_documents(self) -> Iterator[dict[str, Any]]:
        """Every project document, with its ``content``, as the document endpoint serves it."""
        for data, content in self.query("SELECT data, content FROM project_docs ORDER BY id"):
            record: dict[str, Any] = json.loads(data)
            yield {**record, "content": content}

    def iter_files(self) -> Iterator[dict[str, Any]]:
        """Metadata of every uploaded file (chat attachments and project files)."""
        return self._records("SELECT data FROM files ORDER BY id")

    def iter_generated_files(self) -> Iterator[dict[str, Any]]:
        """Metadata of every assistant-generated file."""
        return self._records("SELECT data FROM generated_files ORDER BY id")

    def iter_artifact_versions(self) -> Iterator[dict[str, Any]]:
        """Metadata of every chat artifact version."""
        return self._records("SELECT data FROM artifact_versions ORDER BY version_id")

    def iter_local_sessions(self) -> Iterator[dict[str, Any]]:
        """Every local session, newest first."""
        return self._records("SELECT data FROM local_sessions ORDER BY ts DESC, seq")

    def iter_remote_sessions(self) -> Iterator[dict[str, Any]]:
        """Every remote session, newest first."""
        return self._records("SELECT data FROM remote_sessions ORDER BY ts DESC, id DESC")

    def iter_code_artifacts(self) -> Iterator[dict[str, Any]]:
        """Every code artifact, by id."""
        return self._records("SELECT data FROM code_artifacts ORDER BY id")

    def iter_user_preferences(self, org_uuid: str) -> Iterator[dict[str, Any]]:
        """Every current member's preferences in one organization (set or not)."""
        return self._records(
            "SELECT preferences FROM memberships WHERE org_uuid = ? ORDER BY joined_ts, user_id",
            (org_uuid,),
        )

    def iter_roles(self, org_uuid: str) -> Iterator[dict[str, Any]]:
        """RBAC roles of one organization."""
        return self._records(
            "SELECT data FROM roles WHERE org_uuid = ? ORDER BY seq, id", (org_uuid,)
        )

    def role_permissions(self, role_id: str) -> list[dict[str, Any]]:
        """Permissions of one role."""
        sql = "SELECT data FROM role_permissions WHERE role_id = ? ORDER BY seq"
        return list(self._records(sql, (role_id,)))

    def org_settings(self, org_uuid: str) -> dict[str, Any] | None:
        """Effective settings of one organization."""
        data = self.scalar("SELECT data FROM org_settings WHERE org_uuid = ?", (org_uuid,))
        return None if data is None else dict(json.loads(data))

    def iter_groups(self) -> Iterator[dict[str, Any]]:
        """Every group."""
        return self._records("SELECT data FROM groups ORDER BY seq")

    def group_members(self, group_id: str) -> list[dict[str, Any]]:
        """Members of one group."""
        sql = "SELECT data FROM group_members WHERE group_id = ? ORDER BY seq"
        return list(self._records(sql, (group_id,)))

    def project_collaborators(self, project_id: str) -> list[dict[str, Any]]:
        """Role assignments of one project, by ``granted_at``."""
        sql = "SELECT data FROM collaborators WHERE project_id = ? ORDER BY ts, assignment_uuid"
        return list(self._records(sql, (project_id,)))

    def local_session_messages(self, session_id: str) -> list[dict[str, Any]]:
        """All messages of one local session, untruncated, in call order."""
        sql = "SELECT data FROM local_messages WHERE session_id = ? ORDER BY seq"
        return list(self._records(sql, (session_id,)))

    def remote_session_messages(self, session_id: str) -> list[dict[str, Any]]:
        """All messages of one remote session, untruncated, in order."""
        sql = "SELECT data FROM remote_messages WHERE session_id = ? ORDER BY seq"
        return list(self._records(sql, (session_id,)))

    def iter_blobs(self) -> Iterator[Blob]:
        """Every piece of downloadable content the server holds, with its kind and id."""
        for file_id, content in self.query(
            "SELECT id, content FROM files WHERE content IS NOT NULL ORDER BY id"
        ):
            yield Blob("file", file_id, bytes(content))
        for file_id, content in self.query(
            "SELECT id, content FROM generated_files WHERE content IS NOT NULL ORDER BY id"
        ):
            yield Blob("generated_file", file_id, bytes(content))
        for doc_id, content in self.query("SELECT id, content FROM project_docs ORDER BY id"):
            yield Blob("project_document", doc_id, str(content).encode())
        for version_id, content in self.query(
            "SELECT version_id, content FROM artifact_versions ORDER BY version_id"
        ):
            yield Blob("artifact_version", version_id, str(content).encode())
        for artifact_id, version_id, content in self.query(
            "SELECT artifact_id, version_id, content FROM code_artifact_versions"
            " ORDER BY artifact_id, version_id"
        ):
            yield Blob("code_artifact_version", f"{artifact_id}/{version_id}", bytes(content))

    def fingerprint(self, include_activities: bool = True) -> str:
        """SHA-256 over every stored record and byte; equal worlds have equal fingerprints."""
        digest = hashlib.sha256()
        for table, order in _FINGERPRINT_ORDER.items():
            if table == "activities" and not include_activities:
                continue
            digest.update(table.encode())
            with self._lock:
                cursor = self._conn.execute(f"SELECT * FROM {table} ORDER BY {order}")
                for row in cursor:
                    digest.update(repr(row).encode())
        return digest.hexdigest()
