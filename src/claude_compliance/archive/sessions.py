"""Archiving local and remote sessions with their transcripts.

A session's messages are fetched only when its ``updated_at`` moved (never for a ``pending``
remote session: it has none to serve yet, and is read once it changes). Each session is stored
with its messages in one transaction.

Local sessions are listed incrementally (``updated_at.gte`` the saved high-water mark minus the
overlap), and completely only when their deletion sweep is due (see :mod:`.sweeps`). Remote
sessions have no ``updated_at`` filter, so every run lists them all — which also tells, every
run, which are gone. Sessions no longer in a complete listing are marked gone.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

from .._errors import NotFoundError
from .context import SyncContext
from .incremental import HighWaterMark
from .store import RecordRow

__all__ = ["sync_local_sessions", "sync_remote_sessions"]

LIST_PAGE = 500
MESSAGE_PAGE = 1000
# Transcripts are archived whole: no cutting of tool inputs or results.
UNTRUNCATED: dict[str, Any] = {"tool_use_input_max_bytes": -1, "tool_result_max_bytes": -1}


async def _sync_sessions(
    ctx: SyncContext,
    *,
    kind: str,
    listing: Callable[[], AsyncIterator[Any]],
    messages: Callable[[str], AsyncIterator[Any]],
    complete: bool,
) -> tuple[list[Any], bool]:
    """Archive what ``listing`` returns; when it is ``complete``, the sessions it lacks are gone.
    Returns the listed sessions, and whether every changed one was archived."""
    sessions = await ctx.collect(listing, kind=kind)
    held = ctx.store.updated_at_of(kind)
    message_kind = f"{kind}_message"
    # A session without an updated_at (older shapes) cannot say it is unchanged: re-read it.
    changed = [
        s
        for s in sessions
        if (h := held.get(s.id)) is None
        or h[1]
        or not isinstance(s.updated_at, str)
        or h[0] != s.updated_at
    ]
    ctx.stats.count(kind, "unchanged", len(sessions) - len(changed))
    area = kind.replace("_", " ") + "s"
    ctx.progress.add(area, len(changed))
    ctx.progress.listed(area)

    async def archive(session: Any) -> bool:
        transcript: list[Any] = []
        if getattr(session, "status", None) != "pending":
            ctx.why("new" if session.id not in held else "changed", f"{kind} {session.id}")
            try:
                transcript = await ctx.collect(
                    lambda: messages(session.id), kind=message_kind, parent_key=session.id
                )
            except NotFoundError:
                # Not readable (yet): it is fetched again once it changes.
                transcript = []
        rows = [
            RecordRow(message_kind, m.id, m.to_dict(), parent_key=session.id, position=n)
            for n, m in enumerate(transcript)
        ]
        with ctx.store.transaction():
            ctx.stats.count(
                kind, ctx.store.upsert(RecordRow(kind, session.id, session.to_dict())).outcome
            )
            for row in rows:
                ctx.stats.count(message_kind, ctx.store.upsert(row).outcome)
            gone = ctx.store.mark_missing(
                message_kind, {row.key for row in rows}, parent_key=session.id, scoped=True
            )
        ctx.stats.count(message_kind, "gone", gone)
        ctx.progress.advance(area)
        return True

    results = await asyncio.gather(*(ctx.attempt(f"{kind} {s.id}", archive(s)) for s in changed))
    archived = all(results)
    if not complete:
        return sessions, archived
    vanished = sorted(ctx.store.live_keys(kind) - {s.id for s in sessions})
    if vanished:
        with ctx.store.transaction():
            ctx.stats.count(kind, "gone", ctx.store.mark_gone(kind, vanished))
            ctx.stats.count(message_kind, "gone", ctx.store.mark_gone_under(message_kind, vanished))
    return sessions, archived


async def sync_local_sessions(ctx: SyncContext) -> None:
    """Local sessions (Claude Code, Cowork... on users' machines) and their transcripts."""
    local = ctx.client.local_sessions
    high_water = HighWaterMark(ctx, "local_sessions")
    full = ctx.sweeps.due("local_sessions") or not high_water.value
    since = None if full else high_water.since()
    sessions, archived = await _sync_sessions(
        ctx,
        kind="local_session",
        listing=lambda: local.iter(updated_at_gte=since, limit=LIST_PAGE),
        messages=lambda session_id: local.iter_messages(
            session_id, limit=MESSAGE_PAGE, **UNTRUNCATED
        ),
        complete=full,
    )
    if not archived:
        return  # the high-water mark must not move past a session that failed
    high_water.commit(sessions)
    if full:
        ctx.sweeps.done("local_sessions")


async def sync_remote_sessions(ctx: SyncContext) -> None:
    """Remote (cloud) sessions and their transcripts."""
    remote = ctx.client.remote_sessions
    await _sync_sessions(
        ctx,
        kind="remote_session",
        listing=lambda: remote.iter(limit=LIST_PAGE),
        messages=lambda session_id: remote.iter_messages(
            session_id, limit=MESSAGE_PAGE, **UNTRUNCATED
        ),
        complete=True,
    )
