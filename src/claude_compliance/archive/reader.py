"""A read-only view of an archive's database, for the people reading it.

Search and the browser workspace never write: they open ``archive.sqlite3`` with SQLite's
``mode=ro`` and ``PRAGMA query_only``, so not even a bug could change what the archive holds.
One reader per thread (SQLite connections are not shared across threads here).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .store import DATABASE_NAME, REFERENCED_BLOBS

__all__ = ["ArchiveReader", "NoArchiveError"]


class NoArchiveError(FileNotFoundError):
    """The folder holds no archive database."""


class ArchiveReader:
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

    def query(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows as tuples."""
        return self._conn.execute(sql, tuple(params)).fetchall()

    def rows(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        """Rows with columns by name."""
        cursor = self._conn.execute(sql, tuple(params))
        cursor.row_factory = sqlite3.Row
        return list(cursor)

    def has_table(self, name: str) -> bool:
        return bool(
            self.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
        )

    def referenced_blobs(self) -> dict[str, int | None]:
        """Every blob a record or a replaced version points at, with its registered size."""
        return {sha: size for sha, size in self.query(REFERENCED_BLOBS)}

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> ArchiveReader:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
