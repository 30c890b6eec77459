"""A read-only view of an archive's database, for the people reading it.

Search and the browser workspace never write: they open ``archive.sqlite3`` with SQLite's
``mode=ro`` and ``PRAGMA query_only``, so not even a bug could change what the archive holds.
One reader per thread (SQLite connections are not shared across threads here).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

from .store import DATABASE_NAME, ArchiveQueries

__all__ = ["ArchiveReader", "NoArchiveError", "created_between"]


class NoArchiveError(FileNotFoundError):
    """The folder holds no archive database."""


def created_between(time_from: str | None, time_to: str | None) -> tuple[list[str], list[str]]:
    """SQL conditions on ``created_at`` (and their parameters) for records created at or
    after ``time_from`` and before ``time_to``; a missing bound adds no condition."""
    conditions: list[str] = []
    params: list[str] = []
    for bound, condition in ((time_from, "created_at >= ?"), (time_to, "created_at < ?")):
        if bound:
            conditions.append(condition)
            params.append(bound)
    return conditions, params


class ArchiveReader(ArchiveQueries):
    """Read-only queries over ``<root>/archive.sqlite3``.

    Raises:
        NoArchiveError: When the folder has no archive.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        path = self.root / DATABASE_NAME
        if not path.is_file():
            raise NoArchiveError(f"no archive in {self.root}")
        self._conn = sqlite3.connect(
            f"file:{quote(str(path.resolve()))}?mode=ro", uri=True, check_same_thread=False
        )
        self._conn.execute("PRAGMA query_only = ON")

    def has_table(self, name: str) -> bool:
        return bool(
            self.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
        )
