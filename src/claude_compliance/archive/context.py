"""What every part of a sync shares: the client, the stores, the request slots, the tallies.

A sync runs many small *units* concurrently (one chat with its messages, one file with its
content, one project with its attachments). Each unit fetches what it needs, then writes it in
one transaction. :class:`SyncContext` bounds how many requests are in flight, starts each
content unit at most once per run, and turns failures into counted errors instead of aborting
the whole run.
"""

from __future__ import annotations

import asyncio
import collections
import dataclasses
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from typing import Any, Protocol, TypeVar

from .._client import AsyncComplianceClient
from .._errors import APIError, AuthenticationError, NotFoundError, PermissionDeniedError
from .._pagination import unreadable_records
from ..common.served import KEPT_RAW
from .blobs import BlobStore
from .store import RAW_MARK, ArchiveStore, RecordRow, content_key
from .sweeps import DEFAULT_SWEEP, Sweeps

__all__ = [
    "NullProgress",
    "Progress",
    "SyncContext",
    "SyncOptions",
    "SyncStats",
]

T = TypeVar("T")

logger = logging.getLogger("claude_compliance.archive")


@dataclasses.dataclass(frozen=True)
class SyncOptions:
    """How a sync behaves.

    Attributes:
        concurrency: Requests in flight at once (the rate budget is shared by all of them).
        overlap_seconds: How far behind a saved time cursor each run starts again, so records
            ingested late (the Activity Feed lags by up to a minute) are not missed.
        sweep: How often each collection is listed completely to notice deletions the
            Activity Feed does not show: ``always``, ``daily`` or ``weekly`` (see
            :mod:`~claude_compliance.archive.sweeps` for the trade-off).
        index: Keep the full-text search index in step (``archive search``).
        exclude_types: Activity types not archived (asked of the server, so they cost no
            request). Excluding ``compliance_api_accessed`` also hides the deletions made
            through the Compliance API from the feed: the sweeps still notice them.
    """

    concurrency: int = 8
    overlap_seconds: float = 600.0
    sweep: str = DEFAULT_SWEEP
    index: bool = True
    exclude_types: tuple[str, ...] = ()


class Progress(Protocol):
    """Where a sync reports how far it has got."""

    def add(self, area: str, total: int = 0) -> None:
        """More work is known in ``area`` (``total`` more units)."""

    def listed(self, area: str) -> None:
        """The listing of ``area`` has ended: the work known so far is all of it (the API's
        lists carry no totals, so a bar has none before this)."""

    def advance(self, area: str, count: int = 1) -> None:
        """``count`` units of ``area`` are done."""


class NullProgress:
    """Reports nothing (not a terminal, or ``--quiet``)."""

    def add(self, area: str, total: int = 0) -> None:
        pass

    def listed(self, area: str) -> None:
        pass

    def advance(self, area: str, count: int = 1) -> None:
        pass


@dataclasses.dataclass
class SyncStats:
    """What one run did, for the summary table and the exit status.

    Attributes:
        records: Per kind, how many records were new, changed, unchanged, gone or returned.
        downloads: Content downloads made.
        downloaded_bytes: Bytes of content downloaded.
        reused: Content already held, not downloaded again.
        skipped: Areas not archived, with the reason (a scope the key lacks...).
        errors: Units that failed (they are retried by the next run).
        warnings: Oddities that did not stop the run (metadata MD5 disagreeing with content).
        requests: HTTP requests sent (retries included).
        requests_by_endpoint: The same, by endpoint family (``apps/chats/{id}/messages``...).
        rate_limited: 429 responses received (each retried by the SDK after waiting).
        rate_limited_by_endpoint: Where those 429s came from.
        requests_per_minute: Requests sent in each wall-clock minute (epoch seconds as text).
        rate_limit_wait_seconds: Wall-clock seconds spent waiting for the rate-limit window
            (holds before sending and pauses after 429s; concurrent holds count once).
    """

    records: dict[str, collections.Counter[str]] = dataclasses.field(
        default_factory=lambda: collections.defaultdict(collections.Counter)
    )
    downloads: int = 0
    downloaded_bytes: int = 0
    reused: int = 0
    skipped: dict[str, str] = dataclasses.field(default_factory=dict)
    errors: list[str] = dataclasses.field(default_factory=list)
    warnings: list[str] = dataclasses.field(default_factory=list)
    requests: int = 0
    requests_by_endpoint: dict[str, int] = dataclasses.field(default_factory=dict)
    rate_limited: int = 0
    rate_limited_by_endpoint: dict[str, int] = dataclasses.field(default_factory=dict)
    requests_per_minute: dict[str, int] = dataclasses.field(default_factory=dict)
    rate_limit_wait_seconds: float = 0.0

    def count(self, kind: str, outcome: str, amount: int = 1) -> None:
        if amount:
            self.records[kind][outcome] += amount

    @property
    def archived_objects(self) -> int:
        """Records this run stored or marked: new, changed, returned or gone."""
        return sum(
            counts[outcome]
            for counts in self.records.values()
            for outcome in ("new", "changed", "returned", "gone")
        )

    @property
    def requests_per_object(self) -> float | None:
        """Requests spent per archived object (``None`` when nothing was archived)."""
        archived = self.archived_objects
        return round(self.requests / archived, 3) if archived else None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready summary (kept in the run's bookkeeping row)."""
        return {
            "records": {kind: dict(counts) for kind, counts in sorted(self.records.items())},
            "downloads": self.downloads,
            "downloaded_bytes": self.downloaded_bytes,
            "reused": self.reused,
            "skipped": dict(self.skipped),
            "errors": list(self.errors),
            "warnings": list(self.warnings),
            "requests": self.requests,
            "requests_by_endpoint": dict(self.requests_by_endpoint),
            "archived_objects": self.archived_objects,
            "requests_per_object": self.requests_per_object,
            "rate_limited": self.rate_limited,
            "rate_limited_by_endpoint": dict(self.rate_limited_by_endpoint),
            "requests_per_minute": dict(self.requests_per_minute),
            "rate_limit_wait_seconds": self.rate_limit_wait_seconds,
        }


def describe(error: BaseException) -> str:
    """One line for a failure, with the request id when the server gave one."""
    return str(error).replace("\n", " ") if str(error) else type(error).__name__


class SyncContext:
    """Shared state of one sync run.

    Args:
        client: An async client (its pacing is shared by every request of the run).
        store: The archive database.
        blobs: The archive's content store.
        options: Behaviour switches.
        progress: Where progress goes.
    """

    def __init__(
        self,
        client: AsyncComplianceClient,
        store: ArchiveStore,
        blobs: BlobStore,
        options: SyncOptions,
        progress: Progress | None = None,
    ) -> None:
        self.client = client
        self.store = store
        self.blobs = blobs
        self.options = options
        self.progress: Progress = progress or NullProgress()
        self.stats = SyncStats()
        self.sweeps = Sweeps(store, options.sweep)
        self._slots = asyncio.Semaphore(max(1, options.concurrency))
        self._units: dict[tuple[str, str], asyncio.Task[Any]] = {}

    async def call(self, method: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
        """One request (or download), holding one of the concurrency slots."""
        async with self._slots:
            return await method(*args, **kwargs)

    async def collect(
        self,
        listing: Callable[[], AsyncIterator[T]],
        *,
        kind: str,
        parent_key: str | None = None,
    ) -> list[T]:
        """Every readable record of an auto-paginating listing, pages fetched one after
        another. Records no model could read are archived as served right away (see
        `keep_raw`); the walk goes on past them.
        """
        async with self._slots:
            with unreadable_records() as skipped:
                items = [item async for item in listing()]
        self.keep_raw(kind, skipped, parent_key=parent_key)
        return items

    def keep_raw(self, kind: str, records: list[Any], *, parent_key: str | None = None) -> None:
        """Archive records no model could read, exactly as served, counted as "kept raw"."""
        if not records:
            return
        with self.store.transaction():
            for record in records:
                key = content_key(parent_key, record, mark=RAW_MARK)
                self.store.upsert(RecordRow(kind, key, record, parent_key=parent_key))
        self.stats.count(kind, KEPT_RAW, len(records))

    def why(self, reason: str, what: str) -> None:
        """Log (``-v``) why a request other than a listing is made: new, changed, sweep..."""
        logger.info("read %s: %s", what, reason)

    def once(
        self, kind: str, key: str, start: Callable[[], Coroutine[Any, Any, T]]
    ) -> asyncio.Task[T]:
        """The unit archiving ``(kind, key)`` in this run, started on first request.

        Many chats can refer to one file; it is fetched (and its content downloaded) once.
        """
        task = self._units.get((kind, key))
        if task is None:
            task = asyncio.ensure_future(start())
            self._units[(kind, key)] = task
        return task

    def started(self, kind: str, key: str) -> bool:
        """Whether the unit for ``(kind, key)`` has already been started in this run."""
        return (kind, key) in self._units

    async def attempt(self, label: str, work: Awaitable[T]) -> T | None:
        """Run one unit; a failure is counted (the next run retries it) and gives ``None``.

        A rejected key stops the whole run: nothing else would work either.
        """
        try:
            return await work
        except AuthenticationError:
            raise
        except (APIError, OSError, ValueError) as error:
            self._error(label, error)
            return None

    async def area(self, name: str, work: Awaitable[None]) -> None:
        """Run one area of the archive; a scope the key lacks skips it with a note."""
        try:
            await work
        except PermissionDeniedError as error:
            self.stats.skipped[name] = f"the key cannot read it ({error.message})"
        except NotFoundError as error:
            if "not available" in error.message:
                self.stats.skipped[name] = error.message
            else:
                self._error(name, error)
        except AuthenticationError:
            raise
        except (APIError, OSError) as error:
            self._error(name, error)

    def _error(self, name: str, error: BaseException) -> None:
        message = f"{name}: {describe(error)}"
        logger.warning("%s", message)
        self.stats.errors.append(message)
