"""Incremental walks: the high-water mark a listing resumes from, and the objects (chats,
projects) re-read only when they changed.

A walk lists what changed since its high-water mark, less an overlap (late index updates and
clock skew must not hide a change), and moves the mark only past objects it archived
completely: one failure freezes it, so the next run comes back for what failed.
"""

from __future__ import annotations

import abc
import asyncio
from collections.abc import Iterable
from typing import Any, ClassVar, Protocol

from ..common.timestamps import later, shifted
from .context import SyncContext

__all__ = ["HighWaterMark", "UpdatedObjects"]


class _Listed(Protocol):
    """What a listing says of an object: its id and when it last changed."""

    @property
    def id(self) -> str: ...

    @property
    def updated_at(self) -> object: ...


class HighWaterMark:
    """The newest ``field`` time among what a walk archived completely, kept in checkpoint
    ``name`` of the archive.

    Attributes:
        value: The mark as served (``None`` before the first complete page).
    """

    def __init__(self, ctx: SyncContext, name: str, field: str = "updated_at") -> None:
        self._ctx = ctx
        self._name = name
        self._field = field
        self.value: str | None = (ctx.store.checkpoint(name) or {}).get(field)

    def since(self) -> str | None:
        """Where the next listing starts: the mark less the overlap (``None``: the start)."""
        if not self.value:
            return None
        return shifted(self.value, -self._ctx.options.overlap_seconds)

    def advance(self, records: Iterable[Any]) -> None:
        """Move the mark past these records, all archived (a time that is not text is
        ignored)."""
        for record in records:
            moment = getattr(record, self._field)
            self.value = later(self.value, moment if isinstance(moment, str) else None)

    def save(self) -> None:
        """Save the mark, in the open transaction of the records it covers."""
        if self.value:
            self._ctx.store.save_checkpoint(self._name, {self._field: self.value})

    def commit(self, records: Iterable[Any]) -> None:
        """Advance past ``records``, archived in earlier transactions, and save the mark."""
        self.advance(records)
        if self.value:
            with self._ctx.store.transaction():
                self.save()


class UpdatedObjects(abc.ABC):
    """Objects of one kind archived whole when new, when their ``updated_at`` moved, or when
    the Activity Feed flagged them; the ones a complete listing no longer returns are gone.

    A subclass names its ``kind`` and ``collection`` (the progress area, the sweep and the
    high-water checkpoint), lists in :meth:`walk`, archives one object in :meth:`sync_one`
    and marks vanished ones in :meth:`forget`.
    """

    kind: ClassVar[str]
    collection: ClassVar[str]

    def __init__(self, ctx: SyncContext) -> None:
        self.ctx = ctx
        self.held = ctx.store.updated_at_of(self.kind)
        self.dirty = ctx.store.dirty_keys(self.kind)
        self.high_water = HighWaterMark(ctx, self.collection)

    @classmethod
    async def sync(cls, ctx: SyncContext) -> None:
        """The walk (from the start when a sweep is due), then what the feed flagged."""
        objects = cls(ctx)
        await objects.walk(full=ctx.sweeps.due(cls.collection))
        await objects.flagged()

    @abc.abstractmethod
    async def walk(self, *, full: bool) -> None:
        """List and archive what changed; everything when ``full`` (then :meth:`swept`)."""

    @abc.abstractmethod
    async def sync_one(self, object_id: str) -> None:
        """Archive one object whole (forget it when the API no longer has it)."""

    @abc.abstractmethod
    async def forget(self, object_ids: list[str]) -> None:
        """Mark objects the API no longer returns gone, with what went with them."""

    def needs(self, listed: _Listed) -> bool:
        """Whether a listed object must be read: new, gone before, flagged, or updated."""
        held = self.held.get(listed.id)
        if held is None or held[1] or listed.id in self.dirty:
            return True
        return not isinstance(listed.updated_at, str) or held[0] != listed.updated_at

    def reason(self, object_id: str) -> str:
        """Why an object is read (logged with ``-v``)."""
        held = self.held.get(object_id)
        if held is None or held[1]:
            return "new"
        return "changed (feed)" if object_id in self.dirty else "changed"

    def unit(self, object_id: str) -> asyncio.Task[None]:
        """The run's unit archiving ``object_id`` (started once per run)."""
        return self.ctx.once(self.kind, object_id, lambda: self.sync_one(object_id))

    async def archive(self, object_ids: list[str]) -> bool:
        """Archive these objects concurrently; True when every one succeeded."""
        ctx = self.ctx
        object_ids = [i for i in object_ids if not ctx.started(self.kind, i)]
        ctx.progress.add(self.collection, len(object_ids))
        results = await asyncio.gather(
            *(ctx.attempt(f"{self.kind} {i}", self._counted(i)) for i in object_ids)
        )
        return all(result is not None for result in results)

    async def _counted(self, object_id: str) -> bool:
        await self.unit(object_id)
        self.ctx.progress.advance(self.collection)
        return True

    async def swept(self, listed: set[str]) -> None:
        """After a complete listing: what it no longer returned is gone, and the sweep done."""
        vanished = sorted(self.ctx.store.live_keys(self.kind) - listed)
        if vanished:
            await self.forget(vanished)
        self.ctx.sweeps.drop_unfound_flags(self.kind, listed)
        self.ctx.sweeps.done(self.collection)

    async def flagged(self) -> None:
        """Objects the Activity Feed flagged that the walk has not re-read."""
        pending = sorted(self.ctx.store.dirty_keys(self.kind))
        if pending:
            await self.archive(pending)
