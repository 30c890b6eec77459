"""Database rows read into dataclasses by column name."""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest

from claude_compliance.common.rows import from_row


@dataclasses.dataclass(frozen=True)
class _Pair:
    key: str
    data: object


def test_a_row_becomes_a_dataclass_by_column_name() -> None:
    db = sqlite3.connect(":memory:")
    db.row_factory = sqlite3.Row
    row = db.execute("SELECT '[1]' AS data, 'k' AS key, 3 AS unused").fetchone()
    assert from_row(_Pair, row) == _Pair(key="k", data="[1]")
    assert from_row(_Pair, row, data=[1]) == _Pair(key="k", data=[1])
    with pytest.raises(IndexError):
        from_row(_Pair, db.execute("SELECT 'k' AS key").fetchone())
