"""The connection under every table of the store, and the few primitives the tables use.

One connection serves the server thread and in-process readers (tests); a re-entrant lock
serialises them, which is plenty for an emulator and keeps SQLite's threading rules simple.

:class:`Where` builds the ``WHERE`` clause of the list endpoints' filtered queries.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from .schema import COUNTED_TABLES, FINGERPRINT_ORDER, SCHEMA

__all__ = ["Database", "Where"]

_OPERATORS = {"gte": ">=", "gt": ">", "lte": "<=", "lt": "<"}


class Where:
    """The AND-ed conditions of one query and their parameters, in order."""

    def __init__(self, clause: str | None = None, *params: Any) -> None:
        self.clauses: list[str] = []
        self.params: list[Any] = []
        if clause is not None:
            self.add(clause, *params)

    def add(self, clause: str, *params: Any) -> Where:
        """One condition with its ``?`` parameters."""
        self.clauses.append(clause)
        self.params += params
        return self

    def among(self, column: str, values: Sequence[Any], *, negate: bool = False) -> Where:
        """``column IN (values)`` (``NOT IN`` with ``negate``); no condition for no values."""
        if values:
            marks = ", ".join("?" * len(values))
            self.add(f"{column} {'NOT IN' if negate else 'IN'} ({marks})", *values)
        return self

    def within(self, column: str, bounds: Mapping[str, int]) -> Where:
        """A time range's ``gte``/``gt``/``lte``/``lt`` bounds on ``column``."""
        for operator, value in bounds.items():
            self.add(f"{column} {_OPERATORS[operator]} ?", value)
        return self

    def __str__(self) -> str:
        return " AND ".join(self.clauses) or "1"


class Database:
    """A thread-safe SQLite connection with the schema of one emulated world.

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

    # -- primitives: the table modules build on these; tests may inspect the world with them --

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

    def text(self, sql: str, params: Sequence[Any] = ()) -> str | None:
        """Run a query returning one text value (a record's JSON), ``None`` without a row."""
        value = self.scalar(sql, params)
        return None if value is None else str(value)

    def number(self, sql: str, params: Sequence[Any] = ()) -> int | None:
        """Run a query returning one integer (a time, a position), ``None`` without a row."""
        value = self.scalar(sql, params)
        return None if value is None else int(value)

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

    def insert_together(self, *rows: tuple[str, Sequence[Any]]) -> None:
        """Insert ``(table, row)`` pairs in one transaction (a new chat with its messages)."""
        with self.transaction() as conn:
            for table, row in rows:
                conn.execute(f"INSERT INTO {table} VALUES ({', '.join('?' * len(row))})", row)

    def _flush(self, sql: str, rows: list[Sequence[Any]]) -> int:
        with self.transaction() as conn:
            conn.executemany(sql, rows)
        return len(rows)

    def get_meta(self, key: str) -> str | None:
        """A value of the ``meta`` table (world signature, counters)."""
        return self.text("SELECT value FROM meta WHERE key = ?", (key,))

    def set_meta(self, key: str, value: str) -> None:
        """Store a value in the ``meta`` table."""
        self.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def close(self) -> None:
        """Close the connection (the in-memory world is gone afterwards)."""
        with self._lock:
            self._conn.close()

    # -- the whole world --------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Row counts of every table that holds records."""
        return {
            table: int(self.scalar(f"SELECT COUNT(*) FROM {table}")) for table in COUNTED_TABLES
        }

    def _records(self, sql: str, params: Sequence[Any] = ()) -> Iterator[dict[str, Any]]:
        for (data,) in self.query(sql, params):
            yield json.loads(data)

    def _page(self, sql: str, params: Sequence[Any], limit: int, offset: int) -> list[str]:
        """The ``data`` column of one offset page of ``sql``."""
        rows = self.query(f"{sql} LIMIT ? OFFSET ?", (*params, limit, offset))
        return [str(row[0]) for row in rows]

    def fingerprint(self, include_activities: bool = True) -> str:
        """SHA-256 over every stored record and byte; equal worlds have equal fingerprints."""
        digest = hashlib.sha256()
        for table, order in FINGERPRINT_ORDER.items():
            if table == "activities" and not include_activities:
                continue
            digest.update(table.encode())
            with self._lock:
                cursor = self._conn.execute(f"SELECT * FROM {table} ORDER BY {order}")
                for row in cursor:
                    digest.update(repr(row).encode())
        return digest.hexdigest()
