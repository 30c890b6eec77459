"""What changed in an archive between runs: new, changed, gone, or deleted by the user.

Every record carries when it was first archived (``archived_at``), last changed
(``changed_at``) and found gone (``gone_at``); ``history`` keeps each replaced version with
when it was replaced. So the changes after a moment need no log of their own: a record is

- ``gone`` when the API stopped returning it since then (deleted through the API, by
  retention, or out of the key's reach);
- ``deleted`` when the user deleted it in the product since then: it is still served, with
  ``deleted_at`` set, and the version held at that moment had none (or it is new and
  already deleted);
- ``new`` when it was first archived since then;
- ``changed`` when a different version replaced the one held at that moment.

Each record is listed once, under the first of these that applies. A record that went away
and came back unchanged is not listed (nothing about it differs from before).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from datetime import UTC
from typing import Any

from ..common.rows import from_row
from ..common.timestamps import parse_timestamp
from .reader import ArchiveReader

__all__ = ["CHANGES", "Change", "NoSuchRunError", "changes_query", "changes_since", "run_boundary"]

CHANGES = ("new", "changed", "deleted", "gone")


class NoSuchRunError(ValueError):
    """The archive has no run with that number (or no run at all)."""


@dataclasses.dataclass(frozen=True)
class Change:
    """One record's change: what happened (:data:`CHANGES`) and when the archive saw it."""

    change: str
    kind: str
    key: str
    id: str | None
    name: str | None
    user_id: str | None
    organization: str | None
    parent_key: str | None
    at: str

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def _bookkeeping_time(text: str) -> str:
    """A time in the form of the archive's bookkeeping columns, so text order is time order
    (``…00Z`` sorts after ``…00.5Z`` as text)."""
    moment = parse_timestamp(text).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def run_boundary(reader: ArchiveReader, since_run: int | None) -> str:
    """The moment after which changes count: when the run after ``since_run`` started.

    ``None`` means "what the last run did": the last run's start. A run that is the last one
    leaves nothing after it, so the boundary is its end (or its start if it never finished).

    Raises:
        NoSuchRunError: The archive has no such run, or no run at all.
    """
    runs = reader.query("SELECT id, started_at, finished_at FROM runs ORDER BY id")
    if not runs:
        raise NoSuchRunError("the archive has no runs yet")
    if since_run is None:
        return str(runs[-1][1])
    numbers = [number for number, _, _ in runs]
    if since_run not in numbers:
        raise NoSuchRunError(
            f"the archive has no run {since_run} (runs {numbers[0]} to {numbers[-1]})"
        )
    later = [started for number, started, _ in runs if number > since_run]
    if later:
        return str(later[0])
    _, started, finished = runs[numbers.index(since_run)]
    return str(finished or started)


# One pass over the records: each row's change is the first that applies (see module doc).
_CHANGES_SQL = """
SELECT kind, key, id, name, user_id, organization, parent_key, change, at FROM (
    SELECT r.*,
        CASE
            WHEN r.gone_at >= ?1 THEN 'gone'
            WHEN json_extract(r.data, '$.deleted_at') IS NOT NULL AND (
                r.archived_at >= ?1 OR (
                    SELECT json_extract(h.data, '$.deleted_at') IS NULL FROM history AS h
                    WHERE h.kind = r.kind AND h.key = r.key AND h.replaced_at >= ?1
                    ORDER BY h.replaced_at LIMIT 1
                )
            ) THEN 'deleted'
            WHEN r.archived_at >= ?1 THEN 'new'
            WHEN r.changed_at >= ?1 THEN 'changed'
        END AS change,
        CASE
            WHEN r.gone_at >= ?1 THEN r.gone_at
            WHEN r.archived_at >= ?1 THEN r.archived_at
            ELSE r.changed_at
        END AS at
    FROM records AS r
    -- changed_at >= archived_at always: new records are found through changed_at's index.
    WHERE (r.changed_at >= ?1 OR r.gone_at >= ?1) {kinds}
)
WHERE change IS NOT NULL
ORDER BY at, kind, key
"""


def changes_since(
    reader: ArchiveReader, since: str, *, kinds: Sequence[str] = ()
) -> Iterator[Change]:
    """Every record that changed after ``since`` (RFC 3339), oldest change first.

    Args:
        reader: The archive.
        since: The boundary (see :func:`run_boundary`, or any time).
        kinds: Only these record kinds (all when empty).
    """
    for row in reader.rows(*changes_query(since, kinds)):
        yield from_row(Change, row)


def changes_query(since: str, kinds: Sequence[str] = ()) -> tuple[str, list[str]]:
    """The SQL of :func:`changes_since` and its parameters (to run, or to explain)."""
    params = [_bookkeeping_time(since), *kinds]
    kind_filter = ""
    if kinds:
        # "+r.kind": not by the primary key (every record of a kind) but by the time indexes
        # (what changed after a moment is a small part of an archive).
        kind_filter = f"AND +r.kind IN ({', '.join(f'?{n + 2}' for n in range(len(kinds)))})"
    return _CHANGES_SQL.format(kinds=kind_filter), params
