"""Projects with their documents, files (in ``files``) and collaborators."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Literal

from .database import Database, Where

__all__ = ["ProjectTables"]

_COLLABORATORS = "SELECT data FROM collaborators WHERE project_id = ? ORDER BY ts, assignment_uuid"
_PROJECT_TABLES = ("project_docs", "files", "collaborators")


class ProjectTables(Database):
    """Projects as the project endpoints read and delete them."""

    def projects_page(
        self,
        *,
        org_uuids: Sequence[str],
        user_ids: Sequence[str],
        created: Mapping[str, int],
        updated: Mapping[str, int],
        after: tuple[int, str] | None,
        limit: int,
    ) -> list[tuple[int, str, str]]:
        """``(created, id, data)`` by creation then id, after the ``(created, id)`` position."""
        where = Where().among("org_uuid", org_uuids).among("user_id", user_ids)
        where.within("ts", created).within("updated_ts", updated)
        if after is not None:
            where.add("(ts, id) > (?, ?)", *after)
        sql = f"SELECT ts, id, data FROM projects WHERE {where} ORDER BY ts, id LIMIT ?"
        return [(int(a), str(b), str(c)) for a, b, c in self.query(sql, [*where.params, limit])]

    def project(self, project_id: str) -> tuple[str, str] | None:
        """The list record and the detail-only fields of one project."""
        row = self.one("SELECT data, detail FROM projects WHERE id = ?", (project_id,))
        return None if row is None else (str(row[0]), str(row[1]))

    def project_exists(self, project_id: str) -> bool:
        return self.scalar("SELECT 1 FROM projects WHERE id = ?", (project_id,)) is not None

    def project_counts(self, project_id: str) -> tuple[int, int]:
        """How many chats and attachments (files and documents) the project has."""
        chats = self.scalar("SELECT COUNT(*) FROM chats WHERE project_id = ?", (project_id,))
        attachments = self.scalar(
            "SELECT (SELECT COUNT(*) FROM files WHERE project_id = ?)"
            " + (SELECT COUNT(*) FROM project_docs WHERE project_id = ?)",
            (project_id, project_id),
        )
        return int(chats), int(attachments)

    def delete_project(self, project_id: str) -> Literal["deleted", "missing", "has_chats"]:
        """Delete a project with its documents, files and collaborators, unless chats use it."""
        with self.transaction() as conn:
            if (
                conn.execute("SELECT 1 FROM projects WHERE id = ?", (project_id,)).fetchone()
                is None
            ):
                return "missing"
            if conn.execute("SELECT 1 FROM chats WHERE project_id = ?", (project_id,)).fetchone():
                return "has_chats"
            conn.execute("DELETE FROM projects WHERE id = ?", (project_id,))
            for table in _PROJECT_TABLES:
                conn.execute(f"DELETE FROM {table} WHERE project_id = ?", (project_id,))
        return "deleted"

    def attachments_page(self, project_id: str, limit: int, offset: int) -> list[tuple[str, str]]:
        """``(kind, data)`` of project files and documents, by creation then id."""
        rows = self.query(
            "SELECT 'project_file', ts, id, data FROM files WHERE project_id = ?"
            " UNION ALL SELECT 'project_doc', ts, id, data FROM project_docs WHERE project_id = ?"
            " ORDER BY 2, 3 LIMIT ? OFFSET ?",
            (project_id, project_id, limit, offset),
        )
        return [(str(row[0]), str(row[3])) for row in rows]

    def collaborators_page(self, project_id: str, limit: int, offset: int) -> list[str]:
        return self._page(_COLLABORATORS, (project_id,), limit, offset)

    def document(self, document_id: str) -> tuple[str, str] | None:
        """Metadata and text of one project document."""
        row = self.one("SELECT data, content FROM project_docs WHERE id = ?", (document_id,))
        return None if row is None else (str(row[0]), str(row[1]))

    def document_metadata(self, document_id: str) -> str | None:
        return self.text("SELECT data FROM project_docs WHERE id = ?", (document_id,))

    def delete_document(self, document_id: str) -> bool:
        return self.execute("DELETE FROM project_docs WHERE id = ?", (document_id,)) > 0

    # -- inspection (tests check what clients got against these) ----------------------------

    def iter_projects(self) -> Iterator[dict[str, Any]]:
        """Every project as the projects list serves it, oldest first."""
        return self._records("SELECT data FROM projects ORDER BY ts, id")

    def iter_project_documents(self) -> Iterator[dict[str, Any]]:
        """Every project document, with its ``content``, as the document endpoint serves it."""
        for data, content in self.query("SELECT data, content FROM project_docs ORDER BY id"):
            record: dict[str, Any] = json.loads(data)
            yield {**record, "content": content}

    def project_collaborators(self, project_id: str) -> list[dict[str, Any]]:
        """Role assignments of one project, by ``granted_at``."""
        return list(self._records(_COLLABORATORS, (project_id,)))
