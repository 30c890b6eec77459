"""Append-only, hash-chained logs inside the archive database.

The legal-hold log and the deletion journal are each a chain: every entry stores the SHA-256 of
the previous entry's hash followed by its own canonical JSON text, so editing, reordering or
removing an entry in the middle breaks every hash after it. (Cutting entries off the end leaves a
valid shorter chain: quote the head hash that ``retention report`` prints to pin a chain's length
outside the archive.)

Entries are written only inside the caller's archive transaction, so an entry and the state it
records (an object marked deleted, a hold added) commit together or not at all.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterator, Mapping
from typing import Any

from ..archive.store import ArchiveStore, canonical_json

__all__ = ["GENESIS", "ChainBreak", "ChainEntry", "HashChain"]

GENESIS = "0" * 64
"""The "previous hash" of a chain's first entry."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS chained_log (
    chain TEXT NOT NULL,
    seq INTEGER NOT NULL,
    entry TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (chain, seq)
) WITHOUT ROWID;
"""


def link(prev_hash: str, entry_text: str) -> str:
    """The hash of one entry: SHA-256 over the previous hash, a newline, and the entry."""
    return hashlib.sha256(f"{prev_hash}\n{entry_text}".encode()).hexdigest()


@dataclasses.dataclass(frozen=True)
class ChainEntry:
    """One entry as stored: its position, its data and its hash."""

    seq: int
    data: dict[str, Any]
    hash: str


@dataclasses.dataclass(frozen=True)
class ChainBreak:
    """Where a chain stops verifying, and why."""

    seq: int
    reason: str


class HashChain:
    """One named chain (``holds``, ``deletions``) in an archive's database."""

    def __init__(self, store: ArchiveStore, name: str) -> None:
        self.store = store
        self.name = name
        store.execute_script(SCHEMA)

    def append(self, data: Mapping[str, Any]) -> ChainEntry:
        """Add an entry at the end; must run inside the store's transaction."""
        assert self.store.in_transaction, "chain append outside a transaction"
        last = self.store.query(
            "SELECT seq, hash FROM chained_log WHERE chain = ? ORDER BY seq DESC LIMIT 1",
            (self.name,),
        )
        seq, prev_hash = (last[0][0] + 1, str(last[0][1])) if last else (1, GENESIS)
        text = canonical_json(dict(data))
        digest = link(prev_hash, text)
        self.store.execute(
            "INSERT INTO chained_log VALUES (?, ?, ?, ?, ?)",
            (self.name, seq, text, prev_hash, digest),
        )
        return ChainEntry(seq, json.loads(text), digest)

    def entries(self) -> Iterator[ChainEntry]:
        """Every entry, oldest first (as stored; :meth:`verify` says whether to trust them)."""
        for seq, text, digest in self.store.query(
            "SELECT seq, entry, hash FROM chained_log WHERE chain = ? ORDER BY seq", (self.name,)
        ):
            yield ChainEntry(int(seq), json.loads(text), str(digest))

    def head(self) -> str:
        """The last entry's hash (``GENESIS`` for an empty chain)."""
        last = self.store.query(
            "SELECT hash FROM chained_log WHERE chain = ? ORDER BY seq DESC LIMIT 1", (self.name,)
        )
        return str(last[0][0]) if last else GENESIS

    def verify(self) -> tuple[int, ChainBreak | None]:
        """Recompute every link: ``(entries checked, first break or None)``."""
        expected_prev = GENESIS
        expected_seq = 1
        checked = 0
        for seq, text, prev_hash, digest in self.store.query(
            "SELECT seq, entry, prev_hash, hash FROM chained_log WHERE chain = ? ORDER BY seq",
            (self.name,),
        ):
            if seq != expected_seq:
                return checked, ChainBreak(int(seq), f"entry {expected_seq} is missing")
            if prev_hash != expected_prev:
                return checked, ChainBreak(int(seq), "does not follow the entry before it")
            if link(str(prev_hash), str(text)) != digest:
                return checked, ChainBreak(int(seq), "its content does not match its hash")
            expected_prev = str(digest)
            expected_seq += 1
            checked += 1
        return checked, None
