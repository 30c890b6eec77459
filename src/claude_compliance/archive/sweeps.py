"""When a sync lists a whole collection again to notice deletions (the *sweep schedule*).

Most deletions reach the archive without a sweep: the Activity Feed records a user's delete
(``claude_chat_deleted``...) and every Compliance API delete (``compliance_api_accessed`` with
``DELETE``), and the sync re-reads what it names. What the feed does not show — content removed
by a retention period, an organization leaving the key's reach — only a complete listing
reveals. Listing everything on every run would make a run cost as much as the company is large;
so complete listings run on a schedule, one per collection:

* ``always``: every run lists everything (a deletion the feed misses is noticed by the next run);
* ``daily`` (the default): at most one complete listing per collection a day — such a deletion is
  noticed within a day (by the first run 24 hours after the last sweep);
* ``weekly``: within a week, for the fewest requests.

A complete listing is not extra work on top of the incremental one: when a sweep is due the
incremental walk simply starts from the beginning, so each list is walked once per run.
The first run of an archive is always a sweep.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ..common.timestamps import parse_timestamp, rfc3339
from .store import ArchiveStore

__all__ = ["DEFAULT_SWEEP", "SWEEP_INTERVALS", "Sweeps"]

SWEEP_INTERVALS = {
    "always": timedelta(0),
    "daily": timedelta(days=1),
    "weekly": timedelta(days=7),
}
DEFAULT_SWEEP = "daily"
_CHECKPOINT = "sweep:"


class Sweeps:
    """Which collections are due for a complete listing in this run, and recording them.

    Args:
        store: The archive (last sweep times are checkpoints in it).
        schedule: A key of :data:`SWEEP_INTERVALS`.
        now: The run's start (a sweep counts from when its run started, so a run that takes
            hours does not stretch the interval).
    """

    def __init__(self, store: ArchiveStore, schedule: str, now: datetime | None = None) -> None:
        if schedule not in SWEEP_INTERVALS:
            raise ValueError(f"unknown sweep schedule {schedule!r}")
        self.store = store
        self.interval = SWEEP_INTERVALS[schedule]
        self.now = now or datetime.now(UTC)
        self.completed: set[str] = set()

    def last(self, collection: str) -> datetime | None:
        """When ``collection`` was last listed completely (``None``: never)."""
        saved = self.store.checkpoint(_CHECKPOINT + collection) or {}
        at = saved.get("at")
        return parse_timestamp(at) if isinstance(at, str) else None

    def due(self, collection: str) -> bool:
        """Whether this run lists ``collection`` completely."""
        last = self.last(collection)
        return last is None or self.now - last >= self.interval

    def done(self, collection: str) -> None:
        """Record a complete listing of ``collection`` made by this run."""
        with self.store.transaction():
            self.store.save_checkpoint(_CHECKPOINT + collection, {"at": rfc3339(self.now)})
        self.completed.add(collection)

    def drop_unfound_flags(self, kind: str, listed: set[str]) -> int:
        """After a complete listing of ``kind`` (that began after the feed was read): flags on
        objects neither listed nor live in the archive are about objects gone before the
        archive saw them. Reading them would only answer 404; the flags are dropped."""
        live = self.store.live_keys(kind)
        unfound = sorted(self.store.dirty_keys(kind) - listed - live)
        if unfound:
            with self.store.transaction():
                for key in unfound:
                    self.store.clear_dirty(kind, key)
        return len(unfound)
