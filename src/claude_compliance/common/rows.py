"""Database rows as dataclasses, field by field from the columns of the same names."""

from __future__ import annotations

import dataclasses
import sqlite3
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

__all__ = ["from_row"]

D = TypeVar("D", bound="DataclassInstance")


def from_row(cls: type[D], row: sqlite3.Row, **given: Any) -> D:
    """A ``cls`` whose fields are the row's columns of the same names, except those ``given``
    (a column decoded first, say).

    Raises:
        IndexError: When the row has no column for a field not given.
    """
    return cls(
        **{
            field.name: given[field.name] if field.name in given else row[field.name]
            for field in dataclasses.fields(cls)
        }
    )
