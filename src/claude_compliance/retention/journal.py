"""The deletion journal: every deletion this tool made, hash-chained, in the archive.

Each entry records when, which plan and rule, the object (kind, id, organisation, owners), the
request id of the DELETE, the outcome (``deleted``, or ``already_absent`` when the API had no such
object any more), and the hashes of the archived record and of every blob the deletion destroyed
at the source. Entries form a hash chain (:mod:`.chain`); ``retention verify-journal`` recomputes
it. The archived record itself stays, marked gone and listed in ``policy_deletions``.

Exactly once: an *attempt* row is committed before each DELETE is sent, and the journal entry is
committed together with the ``policy_deletions`` row that makes the object done. A run killed in
between finds the attempt on its next run; the object then reads 404 and is journalled as
deleted, once (``policy_deletions`` has one row per object, by its primary key).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..archive.store import ArchiveStore, now_iso
from ..common.timestamps import parse_timestamp
from .chain import ChainEntry, HashChain

__all__ = ["DeletionJournal"]

CHAIN = "deletions"
SCHEMA = """
CREATE TABLE IF NOT EXISTS policy_deletions (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    plan_sha256 TEXT NOT NULL,
    journal_seq INTEGER NOT NULL,
    deleted_at TEXT NOT NULL,
    PRIMARY KEY (kind, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS deletion_attempts (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    plan_sha256 TEXT NOT NULL,
    started_at TEXT NOT NULL,
    PRIMARY KEY (kind, id)
) WITHOUT ROWID;
"""
GONE_WITH = {"chat": ("chat_message",), "project": ("project_attachment", "project_collaborator")}
"""Archived children that a deletion at the source takes with the object."""


class DeletionJournal:
    """The journal of one archive."""

    def __init__(self, store: ArchiveStore) -> None:
        self.store = store
        store.execute_script(SCHEMA)
        self.chain = HashChain(store, CHAIN)

    def done(self) -> set[tuple[str, str]]:
        """``(kind, id)`` of every object already deleted by policy."""
        return {
            (str(k), str(i)) for k, i in self.store.query("SELECT kind, id FROM policy_deletions")
        }

    def attempted(self, kind: str, object_id: str) -> bool:
        """Whether a DELETE for this object may have been sent by an earlier run."""
        return bool(
            self.store.query(
                "SELECT 1 FROM deletion_attempts WHERE kind = ? AND id = ?", (kind, object_id)
            )
        )

    def attempt(self, kind: str, object_id: str, plan_sha256: str) -> None:
        """Commit, before sending a DELETE, that it is about to be sent."""
        with self.store.transaction():
            self.store.execute(
                "INSERT OR IGNORE INTO deletion_attempts VALUES (?, ?, ?, ?)",
                (kind, object_id, plan_sha256, now_iso()),
            )

    def record(self, entry: Mapping[str, Any]) -> ChainEntry | None:
        """Journal one deletion and mark the archived object gone, in one transaction.

        Returns ``None`` if the object was journalled already (nothing is written twice).
        """
        kind, object_id = str(entry["kind"]), str(entry["id"])
        with self.store.transaction():
            if (kind, object_id) in self._done_now(kind, object_id):
                return None
            stamped = {"at": now_iso(), **entry}
            written = self.chain.append(stamped)
            self.store.execute(
                "INSERT INTO policy_deletions VALUES (?, ?, ?, ?, ?)",
                (kind, object_id, str(entry["plan"]), written.seq, stamped["at"]),
            )
            self.store.mark_gone(kind, [object_id])
            for child in GONE_WITH.get(kind, ()):
                self.store.mark_gone_under(child, [object_id])
        return written

    def _done_now(self, kind: str, object_id: str) -> set[tuple[str, str]]:
        rows = self.store.query(
            "SELECT kind, id FROM policy_deletions WHERE kind = ? AND id = ?", (kind, object_id)
        )
        return {(str(k), str(i)) for k, i in rows}

    def entries(self, *, since: str | None = None) -> list[dict[str, Any]]:
        """Journal entries, oldest first (only those at or after ``since``, if given)."""
        start = parse_timestamp(since) if since else None
        return [
            {"seq": e.seq, **e.data, "hash": e.hash}
            for e in self.chain.entries()
            if start is None or parse_timestamp(str(e.data["at"])) >= start
        ]
