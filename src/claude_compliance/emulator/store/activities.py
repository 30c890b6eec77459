"""The Activity Feed: generated activities, access records and control-API activities."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from .database import Database, Where

__all__ = ["ActivityTables"]


class ActivityTables(Database):
    """Activities as the feed endpoint reads them and the app records them."""

    def activity_created(self, activity_id: str) -> int | None:
        """An activity's ``created_at`` in microseconds, if it exists."""
        return self.number("SELECT ts FROM activities WHERE id = ?", (activity_id,))

    def activities_page(
        self,
        *,
        visible_at: float,
        types: Sequence[str],
        excluded_types: Sequence[str],
        actor_ids: Sequence[str],
        org_uuids: Sequence[str],
        created: Mapping[str, int],
        older_than: tuple[int, str] | None = None,
        newer_than: tuple[int, str] | None = None,
        newest_first: bool,
        limit: int,
    ) -> list[tuple[int, str, str]]:
        """``(created, id, data)`` of activities visible by ``visible_at``, by time then id."""
        where = Where("visible_at <= ?", visible_at).among("type", types)
        where.among("type", excluded_types, negate=True).among("actor_id", actor_ids)
        where.among("org_uuid", org_uuids).within("ts", created)
        if older_than is not None:
            where.add("(ts, id) < (?, ?)", *older_than)
        if newer_than is not None:
            where.add("(ts, id) > (?, ?)", *newer_than)
        direction = "DESC" if newest_first else "ASC"
        sql = (
            f"SELECT ts, id, data FROM activities WHERE {where} "
            f"ORDER BY ts {direction}, id {direction} LIMIT ?"
        )
        return [(int(a), str(b), str(c)) for a, b, c in self.query(sql, [*where.params, limit])]

    def add_activity(
        self,
        activity_id: str,
        created: int,
        activity_type: str,
        actor_id: str | None,
        org_uuid: str | None,
        visible_at: float,
        data: str,
    ) -> None:
        """Record one activity, visible in the feed from ``visible_at`` (a Unix time)."""
        self.execute(
            "INSERT INTO activities VALUES (?, ?, ?, ?, ?, ?, ?)",
            (activity_id, created, activity_type, actor_id, org_uuid, visible_at, data),
        )

    # -- inspection (tests check what clients got against these) ----------------------------

    def iter_activities(self, include_invisible: bool = True) -> Iterator[dict[str, Any]]:
        """Every activity, newest first (the feed's default order)."""
        where = "" if include_invisible else "WHERE visible_at <= strftime('%s','now')"
        return self._records(f"SELECT data FROM activities {where} ORDER BY ts DESC, id DESC")
