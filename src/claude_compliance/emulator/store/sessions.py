"""Claude Code sessions (local and remote) with their messages, and code artifacts."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Literal

from .database import Database, Where

__all__ = ["SessionTables"]

_MESSAGE_TABLES = {"local": "local_messages", "remote": "remote_messages"}


class SessionTables(Database):
    """Sessions and code artifacts as their endpoints read and delete them."""

    def local_session(self, session_id: str) -> str | None:
        return self.text("SELECT data FROM local_sessions WHERE id = ?", (session_id,))

    def local_sessions_page(
        self,
        *,
        created: Mapping[str, int],
        updated: Mapping[str, int],
        after: tuple[int, int] | None,
        limit: int,
    ) -> list[tuple[int, int, str]]:
        """``(created, seq, data)`` newest first, after the ``(created, seq)`` position."""
        where = Where().within("ts", created).within("updated_ts", updated)
        if after is not None:
            where.add("(ts < ? OR (ts = ? AND seq > ?))", after[0], after[0], after[1])
        sql = f"SELECT ts, seq, data FROM local_sessions WHERE {where}"
        sql += " ORDER BY ts DESC, seq LIMIT ?"
        return [(int(a), int(b), str(c)) for a, b, c in self.query(sql, [*where.params, limit])]

    def remote_session(self, session_id: str) -> tuple[str, str] | None:
        """Status and data of one remote session."""
        row = self.one("SELECT status, data FROM remote_sessions WHERE id = ?", (session_id,))
        return None if row is None else (str(row[0]), str(row[1]))

    def remote_sessions_page(
        self,
        *,
        org_uuids: Sequence[str],
        user_ids: Sequence[str],
        created: Mapping[str, int],
        after: tuple[int, str] | None,
        limit: int,
    ) -> list[tuple[int, str, str]]:
        """``(created, id, data)`` newest first, after the ``(created, id)`` position."""
        where = Where().among("org_uuid", org_uuids).among("user_id", user_ids)
        where.within("ts", created)
        if after is not None:
            where.add("(ts, id) < (?, ?)", *after)
        sql = (
            f"SELECT ts, id, data FROM remote_sessions WHERE {where}"
            " ORDER BY ts DESC, id DESC LIMIT ?"
        )
        return [(int(a), str(b), str(c)) for a, b, c in self.query(sql, [*where.params, limit])]

    def session_messages_page(
        self,
        kind: Literal["local", "remote"],
        session_id: str,
        *,
        descending: bool,
        limit: int,
        offset: int,
    ) -> list[str]:
        """One offset page of a session's messages in call order (or reversed)."""
        sql = f"SELECT data FROM {_MESSAGE_TABLES[kind]} WHERE session_id = ?"
        sql += f" ORDER BY seq {'DESC' if descending else 'ASC'}"
        return self._page(sql, (session_id,), limit, offset)

    # -- code artifacts ---------------------------------------------------------------------

    def code_artifacts_page(
        self,
        *,
        org_uuids: Sequence[str],
        owner_ids: Sequence[str],
        updated: Mapping[str, int],
        after_id: str | None,
        limit: int,
    ) -> list[tuple[str, str]]:
        """``(id, data)`` by id, after ``after_id``."""
        where = Where().among("org_uuid", org_uuids).among("owner_user_id", owner_ids)
        where.within("updated_ts", updated)
        if after_id is not None:
            where.add("id > ?", after_id)
        sql = f"SELECT id, data FROM code_artifacts WHERE {where} ORDER BY id LIMIT ?"
        return [(str(a), str(b)) for a, b in self.query(sql, [*where.params, limit])]

    def code_artifact_exists(self, artifact_id: str) -> bool:
        sql = "SELECT 1 FROM code_artifacts WHERE id = ?"
        return self.scalar(sql, (artifact_id,)) is not None

    def code_artifact_version(self, artifact_id: str, version_id: str) -> tuple[str, bytes] | None:
        """MIME type and bytes of one retained version."""
        row = self.one(
            "SELECT mime_type, content FROM code_artifact_versions"
            " WHERE artifact_id = ? AND version_id = ?",
            (artifact_id, version_id),
        )
        return None if row is None else (str(row[0]), bytes(row[1]))

    def delete_code_artifact(self, artifact_id: str) -> bool:
        """Delete an artifact and its versions."""
        with self.transaction() as conn:
            sql = "DELETE FROM code_artifacts WHERE id = ?"
            if conn.execute(sql, (artifact_id,)).rowcount == 0:
                return False
            conn.execute("DELETE FROM code_artifact_versions WHERE artifact_id = ?", (artifact_id,))
        return True

    # -- inspection (tests check what clients got against these) ----------------------------

    def iter_local_sessions(self) -> Iterator[dict[str, Any]]:
        """Every local session, newest first."""
        return self._records("SELECT data FROM local_sessions ORDER BY ts DESC, seq")

    def iter_remote_sessions(self) -> Iterator[dict[str, Any]]:
        """Every remote session, newest first."""
        return self._records("SELECT data FROM remote_sessions ORDER BY ts DESC, id DESC")

    def iter_code_artifacts(self) -> Iterator[dict[str, Any]]:
        """Every code artifact, by id."""
        return self._records("SELECT data FROM code_artifacts ORDER BY id")

    def local_session_messages(self, session_id: str) -> list[dict[str, Any]]:
        """All messages of one local session, untruncated, in call order."""
        sql = "SELECT data FROM local_messages WHERE session_id = ? ORDER BY seq"
        return list(self._records(sql, (session_id,)))

    def remote_session_messages(self, session_id: str) -> list[dict[str, Any]]:
        """All messages of one remote session, untruncated, in order."""
        sql = "SELECT data FROM remote_messages WHERE session_id = ? ORDER BY seq"
        return list(self._records(sql, (session_id,)))
