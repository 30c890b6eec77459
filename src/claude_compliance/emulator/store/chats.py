"""Chats with their messages, and the content they hold: uploads, generated files, artifacts."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from .database import Database, Where

__all__ = ["ChatTables"]

_SORT_COLUMNS = {"created_at": "ts", "updated_at": "updated_ts"}
_CHAT_TABLES = ("messages", "files", "generated_files", "artifact_versions")


class ChatTables(Database):
    """Chats, messages and chat content as the endpoints and the control API use them."""

    def chat(self, chat_id: str) -> str | None:
        return self.text("SELECT data FROM chats WHERE id = ?", (chat_id,))

    def chat_sort_key(self, chat_id: str, order_by: str) -> int | None:
        """The chat's ``created_at`` or ``updated_at`` in microseconds, if it exists."""
        column = _SORT_COLUMNS[order_by]
        return self.number(f"SELECT {column} FROM chats WHERE id = ?", (chat_id,))

    def chats_page(
        self,
        *,
        order_by: str,
        user_ids: Sequence[str],
        org_uuids: Sequence[str],
        project_ids: Sequence[str],
        created: Mapping[str, int],
        updated: Mapping[str, int],
        after: tuple[int, str] | None = None,
        before: tuple[int, str] | None = None,
        limit: int,
    ) -> list[tuple[int, str, str]]:
        """``(sort key, id, data)`` ascending by ``order_by`` then id, from a position.

        With ``before`` the rows come nearest first (descending); the caller flips them.
        """
        column = _SORT_COLUMNS[order_by]
        where = Where().among("user_id", user_ids).among("org_uuid", org_uuids)
        where.among("project_id", project_ids).within("ts", created).within("updated_ts", updated)
        if after is not None:
            where.add(f"({column}, id) > (?, ?)", *after)
        if before is not None:
            where.add(f"({column}, id) < (?, ?)", *before)
        direction = "DESC" if before is not None else "ASC"
        sql = (
            f"SELECT {column}, id, data FROM chats WHERE {where} "
            f"ORDER BY {column} {direction}, id {direction} LIMIT ?"
        )
        return [(int(a), str(b), str(c)) for a, b, c in self.query(sql, [*where.params, limit])]

    def message_seq(
        self, chat_id: str, *, message_id: str | None = None, cursor_uuid: str | None = None
    ) -> int | None:
        """Position of a message in its chat, found by its id or by its cursor UUID."""
        column = "id" if message_id is not None else "cursor_uuid"
        sql = f"SELECT seq FROM messages WHERE {column} = ? AND chat_id = ?"
        return self.number(sql, (message_id if message_id is not None else cursor_uuid, chat_id))

    def messages_page(
        self,
        chat_id: str,
        *,
        created: Sequence[Mapping[str, int]],
        after_seq: int | None = None,
        before_seq: int | None = None,
        ascending: bool,
        limit: int | None,
    ) -> list[tuple[str, str]]:
        """``(cursor UUID, data)`` of a chat's messages in ``seq`` order (descending if not
        ``ascending``), strictly after ``after_seq`` / before ``before_seq``, every time range
        applying to their creation."""
        where = Where("chat_id = ?", chat_id)
        for bounds in created:
            where.within("ts", bounds)
        if after_seq is not None:
            where.add("seq > ?", after_seq)
        if before_seq is not None:
            where.add("seq < ?", before_seq)
        sql = f"SELECT cursor_uuid, data FROM messages WHERE {where} "
        sql += f"ORDER BY seq {'ASC' if ascending else 'DESC'}"
        params = list(where.params)
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [(str(a), str(b)) for a, b in self.query(sql, params)]

    def delete_chat(self, chat_id: str) -> bool:
        """Delete a chat with its messages, uploads, generated files and artifacts."""
        with self.transaction() as conn:
            if conn.execute("DELETE FROM chats WHERE id = ?", (chat_id,)).rowcount == 0:
                return False
            for table in _CHAT_TABLES:
                conn.execute(f"DELETE FROM {table} WHERE chat_id = ?", (chat_id,))
        return True

    # -- the control API's changes ----------------------------------------------------------

    def chat_and_owner(self, chat_id: str) -> tuple[str, str | None] | None:
        """A chat's data and its user's id."""
        row = self.one("SELECT data, user_id FROM chats WHERE id = ?", (chat_id,))
        return None if row is None else (str(row[0]), None if row[1] is None else str(row[1]))

    def owned_chats(self) -> list[tuple[str, str, str | None]]:
        """``(chat id, user id, project id)`` of every chat with a user, by id."""
        rows = self.query(
            "SELECT id, user_id, project_id FROM chats WHERE user_id IS NOT NULL ORDER BY id"
        )
        return [(str(a), str(b), None if c is None else str(c)) for a, b, c in rows]

    def next_message_seq(self, chat_id: str) -> int:
        sql = "SELECT COALESCE(MAX(seq), -1) + 1 FROM messages WHERE chat_id = ?"
        return int(self.scalar(sql, (chat_id,)))

    def update_chat(
        self, chat_id: str, updated_ts: int, data: str, *, message: Sequence[Any] | None = None
    ) -> None:
        """Replace a chat's record and ``updated_at`` (with a new message row, atomically)."""
        with self.transaction() as conn:
            if message is not None:
                conn.execute("INSERT INTO messages VALUES (?, ?, ?, ?, ?, ?)", message)
            conn.execute(
                "UPDATE chats SET updated_ts = ?, data = ? WHERE id = ?",
                (updated_ts, data, chat_id),
            )

    # -- uploads, generated files and artifact versions ---------------------------------------

    def file(self, file_id: str) -> tuple[str, bytes | None] | None:
        """Metadata and bytes of an upload (chat attachment or project file)."""
        row = self.one("SELECT data, content FROM files WHERE id = ?", (file_id,))
        return None if row is None else (str(row[0]), row[1])

    def file_metadata(self, file_id: str) -> str | None:
        return self.text("SELECT data FROM files WHERE id = ?", (file_id,))

    def set_file_metadata(self, file_id: str, data: str) -> None:
        self.execute("UPDATE files SET data = ? WHERE id = ?", (data, file_id))

    def delete_file(self, file_id: str) -> bool:
        return self.execute("DELETE FROM files WHERE id = ?", (file_id,)) > 0

    def generated_file(self, file_id: str) -> tuple[str, bytes | None] | None:
        """Metadata and bytes (``None`` once expired) of an assistant-generated file."""
        row = self.one("SELECT data, content FROM generated_files WHERE id = ?", (file_id,))
        return None if row is None else (str(row[0]), row[1])

    def artifact_version(self, version_id: str) -> tuple[str, str] | None:
        """Metadata and text of one chat artifact version."""
        sql = "SELECT data, content FROM artifact_versions WHERE version_id = ?"
        row = self.one(sql, (version_id,))
        return None if row is None else (str(row[0]), str(row[1]))

    # -- inspection (tests check what clients got against these) ----------------------------

    def iter_chats(self) -> Iterator[dict[str, Any]]:
        """Every chat's metadata (incl. user-soft-deleted chats), oldest first."""
        return self._records("SELECT data FROM chats ORDER BY ts, id")

    def chat_messages(self, chat_id: str) -> list[dict[str, Any]]:
        """All messages of one chat, untruncated, in order."""
        sql = "SELECT data FROM messages WHERE chat_id = ? ORDER BY seq"
        return list(self._records(sql, (chat_id,)))

    def iter_files(self) -> Iterator[dict[str, Any]]:
        """Metadata of every uploaded file (chat attachments and project files)."""
        return self._records("SELECT data FROM files ORDER BY id")

    def iter_generated_files(self) -> Iterator[dict[str, Any]]:
        """Metadata of every assistant-generated file."""
        return self._records("SELECT data FROM generated_files ORDER BY id")

    def iter_artifact_versions(self) -> Iterator[dict[str, Any]]:
        """Metadata of every chat artifact version."""
        return self._records("SELECT data FROM artifact_versions ORDER BY version_id")
