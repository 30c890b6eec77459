"""``archive sync``: bring an archive folder up to date with everything the key can read.

Order of work: the Activity Feed first (it also flags what else changed), then projects,
chats, sessions, code artifacts and the directories (organizations, users, roles, groups) side
by side. Each list is walked once per run, incrementally, or in full when its deletion sweep is
due (:mod:`.sweeps`); an object is read only when new, changed, or flagged by the feed.
Everything shares one async client, so one rate budget and one pacing state;
:class:`~claude_compliance.archive.context.SyncOptions` bounds how many requests are in flight.

Why a killed run resumes exactly: every unit of work (an activity page with its checkpoint, one
chat with its messages, one file with its content, one listing with its gone-marks) is written
in a single SQLite transaction, after the content it refers to is durably in the blob store. The
chat and project walks save their high-water marks only once every unit of the page has
committed, so a mark never runs ahead of the records it covers. A run killed at any instant
leaves only whole units behind; the next run skips the units whose records already match the
server and redoes the rest, so it ends in the state an uninterrupted run reaches. Temporary
download files of the killed run are removed at start.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import dataclasses
import functools
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx2

from .._budget import RateBudget
from .._client import AsyncComplianceClient
from .._pacing import RateLimitWaits
from ..common.files import private_dir
from ..common.locks import exclusive_lock
from .binding import bind_archive
from .blobs import BlobStore
from .chats import sync_chats
from .code_artifacts import sync_code_artifacts
from .content import DIRTY_UNITS
from .context import Progress, SyncContext, SyncOptions, SyncStats
from .directory import sync_groups, sync_organizations
from .feed import sync_activities
from .projects import sync_projects
from .search_index import catch_up, start_index
from .sessions import sync_local_sessions, sync_remote_sessions
from .store import DATABASE_NAME, ArchiveStore, check_archive_database

__all__ = [
    "ArchiveBusyError",
    "RequestCounter",
    "SyncResult",
    "archive_client",
    "endpoint_family",
    "sync_archive",
]

LOCK_NAME = ".lock"
INDEX_TICK = 0.05
"""Seconds between two small indexing batches during a sync."""
DEFAULT_MAX_RETRIES = 10
"""Archive runs are long: ride out transient failures (5xx, drops, 429s) rather than fail a
unit. Ten retries with capped backoff survive even a 20% fault rate."""


class ArchiveBusyError(RuntimeError):
    """Another process is syncing the same archive folder."""


@dataclasses.dataclass
class RequestCounter:
    """Counts what goes over the wire (for the summary and the rate-budget benchmark).

    Attributes:
        requests: Requests sent, retries included.
        by_endpoint: The same, by endpoint family (``apps/chats/{id}/messages``...).
        rate_limited: 429 responses received.
        rate_limited_by_endpoint: The same, by endpoint family (``apps/sessions/remote``...).
        per_minute: Requests sent in each wall-clock minute (the budget's window), by the
            minute's start as epoch seconds.
        waits: The time spent waiting for the rate-limit window (the client's pacer tells it
            of every hold; set ``waits.on_start`` to show each wait as it begins).
    """

    requests: int = 0
    by_endpoint: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)
    rate_limited: int = 0
    rate_limited_by_endpoint: collections.Counter[str] = dataclasses.field(
        default_factory=collections.Counter
    )
    per_minute: collections.Counter[int] = dataclasses.field(default_factory=collections.Counter)
    waits: RateLimitWaits = dataclasses.field(default_factory=RateLimitWaits)

    def per_minute_figures(self, elapsed: float) -> str:
        """``412 requests per minute (peak 540 in a minute), 95 s waiting for the rate-limit
        window``: the rate the budget saw, and what holding to it cost."""
        if elapsed <= 0:
            return f"{self.waits.seconds:.1f} s waiting for the rate-limit window"
        peak = max(self.per_minute.values(), default=0)
        return (
            f"{self.requests * 60 / elapsed:.0f} requests per minute (peak {peak} in a minute), "
            f"{self.waits.seconds:.1f} s waiting for the rate-limit window"
        )

    async def on_request(self, request: httpx2.Request) -> None:
        self.requests += 1
        self.by_endpoint[endpoint_family(request.url.path)] += 1
        self.per_minute[int(time.time() // 60) * 60] += 1

    async def on_response(self, response: httpx2.Response) -> None:
        if response.status_code == 429:
            self.rate_limited += 1
            family = []
            for part in response.request.url.path.split("/")[3:6]:
                if any(ch.isdigit() for ch in part):
                    break  # an id: the family is the path before it
                family.append(part)
            self.rate_limited_by_endpoint["/".join(family)] += 1


def endpoint_family(path: str) -> str:
    """A request's endpoint with its ids left out: ``/v1/compliance/apps/chats/claude_chat_1/
    messages`` is ``apps/chats/{id}/messages``. Ids are the segments with a digit in them;
    segments after ``versions`` (code artifact version ids) count as ids too."""
    parts = [part for part in path.split("/") if part][2:]  # without v1/compliance
    family = []
    for n, part in enumerate(parts):
        is_id = any(ch.isdigit() for ch in part) or (n > 0 and parts[n - 1] == "versions")
        family.append("{id}" if is_id else part)
    return "/".join(family)


@contextlib.asynccontextmanager
async def archive_client(
    *,
    api_key: str | None,
    base_url: str | None,
    counter: RequestCounter,
    max_retries: int = DEFAULT_MAX_RETRIES,
    rate_budget: RateBudget | None = None,
) -> AsyncIterator[AsyncComplianceClient]:
    """An async client whose requests (and waits for the rate-limit window) ``counter``
    sees, closed on exit.

    ``rate_budget`` defaults to a bulk job's: 90% of the organisation's budget at most.
    """
    http = httpx2.AsyncClient(
        limits=httpx2.Limits(max_connections=64),
        event_hooks={"request": [counter.on_request], "response": [counter.on_response]},
    )
    try:
        async with AsyncComplianceClient(
            api_key=api_key,
            base_url=base_url,
            max_retries=max_retries,
            http_client=http,
            rate_budget=rate_budget or RateBudget(priority="bulk", job="archive sync"),
        ) as client:
            client.rate_limit.on_wait = counter.waits
            yield client
    finally:
        await http.aclose()


@dataclasses.dataclass
class SyncResult:
    """The outcome of one run.

    Attributes:
        stats: What was stored, downloaded, skipped or failed.
        elapsed: Seconds the run took.
        cleaned: Temporary files of an earlier, killed run that were removed.
        indexed: Records added to (or updated in) the search index.
    """

    stats: SyncStats
    elapsed: float
    cleaned: int
    indexed: int = 0

    @property
    def ok(self) -> bool:
        return not self.stats.errors


async def _flagged_content(ctx: SyncContext) -> None:
    """Files and documents the Activity Feed flagged and no other area re-fetched."""
    if "chats" in ctx.stats.skipped or "projects" in ctx.stats.skipped:
        return  # the key cannot read content (an Admin key): the flags wait for one that can
    if {"chats", "projects"} <= ctx.sweeps.completed and not ctx.stats.errors:
        # Every chat and project was listed after the feed was read, and every new or changed
        # one archived with its content: content flagged but still not archived belongs to
        # nothing that exists (a chat deleted before the archive saw it). No request for it.
        for kind in DIRTY_UNITS:
            ctx.sweeps.drop_unfound_flags(kind, set())
    units = [
        unit(ctx, key, "changed (feed)")
        for kind, unit in DIRTY_UNITS.items()
        for key in sorted(ctx.store.dirty_keys(kind))
    ]
    await asyncio.gather(*(ctx.attempt("flagged content", unit) for unit in units))


async def _feed_then_the_rest(ctx: SyncContext) -> None:
    # The feed first: it says what else changed, the directory included (read only when the
    # feed flags it or its sweep is due, and the flag is cleared by a read that began after it).
    await ctx.area("activities", sync_activities(ctx))
    await asyncio.gather(
        ctx.area("organizations", sync_organizations(ctx)),
        ctx.area("groups", sync_groups(ctx)),
        ctx.area("projects", sync_projects(ctx)),
        ctx.area("chats", sync_chats(ctx)),
        ctx.area("local sessions", sync_local_sessions(ctx)),
        ctx.area("remote sessions", sync_remote_sessions(ctx)),
        ctx.area("code artifacts", sync_code_artifacts(ctx)),
    )
    await _flagged_content(ctx)


async def _index_alongside(store: ArchiveStore, root: Path, done: asyncio.Event) -> int:
    """Index what the sync stores while it waits for the network, a small batch per tick, so
    little is left for the end (a sync is I/O-bound: its event loop is mostly idle)."""
    indexed = 0
    while not done.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), timeout=INDEX_TICK)
        if not done.is_set():
            indexed += catch_up(store, root, batches=1).indexed
    return indexed


async def sync_archive(
    client: AsyncComplianceClient,
    root: Path,
    *,
    options: SyncOptions | None = None,
    progress: Progress | None = None,
    counter: RequestCounter | None = None,
) -> SyncResult:
    """Run one sync of the archive at ``root``.

    Args:
        client: The async client to read with.
        root: The archive folder (created if missing).
        options: Concurrency, overlap window, sweep schedule.
        progress: Where progress goes.
        counter: The counter wired into ``client``'s requests, if any.

    Raises:
        ArchiveBusyError: When another sync holds the folder.
        AuthenticationError: When the key is rejected.
    """
    started = time.monotonic()
    root = Path(root)
    if (root / DATABASE_NAME).is_file():
        check_archive_database(root / DATABASE_NAME)  # before the lock file: change nothing
    private_dir(root)
    busy = functools.partial(ArchiveBusyError, f"another sync is running in {root}")
    with exclusive_lock(root / LOCK_NAME, busy):
        store = ArchiveStore(root)
        try:
            await bind_archive(client, store)
            blobs = BlobStore(root)
            cleaned = blobs.clean_temporary()
            options = options or SyncOptions()
            if options.index:
                start_index(store)  # from now on every stored record is queued
            run_id = store.start_run()
            ctx = SyncContext(client, store, blobs, options, progress)
            status = "failed"
            indexed = 0
            try:
                done = asyncio.Event()
                alongside = (
                    asyncio.create_task(_index_alongside(store, root, done))
                    if options.index
                    else None
                )
                try:
                    await _feed_then_the_rest(ctx)
                finally:
                    done.set()
                    if alongside is not None:
                        indexed += await alongside
                status = "completed" if not ctx.stats.errors else "completed with errors"
                if options.index:
                    indexed += catch_up(store, root).indexed
            finally:
                if counter is not None:
                    ctx.stats.requests = counter.requests
                    ctx.stats.requests_by_endpoint = dict(sorted(counter.by_endpoint.items()))
                    ctx.stats.rate_limited = counter.rate_limited
                    ctx.stats.rate_limited_by_endpoint = dict(counter.rate_limited_by_endpoint)
                    ctx.stats.requests_per_minute = {
                        str(minute): count for minute, count in sorted(counter.per_minute.items())
                    }
                    ctx.stats.rate_limit_wait_seconds = round(counter.waits.seconds, 3)
                store.finish_run(run_id, status, ctx.stats.as_dict())
        finally:
            store.close()
    return SyncResult(ctx.stats, time.monotonic() - started, cleaned, indexed)
