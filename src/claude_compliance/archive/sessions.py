"""Archiving local and remote sessions with their transcripts.

Both lists are read in full (they are token-paginated, newest first, with no deletion feed), and
a session's messages are fetched again only when its ``updated_at`` moved. Each session is
stored with its messages in one transaction; sessions no longer listed are marked gone.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

from .._errors import NotFoundError
from .context import SyncContext
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
) -> None:
    sessions = await ctx.collect(listing)
    held = ctx.store.updated_at_of(kind)
    message_kind = f"{kind}_message"
    changed = [s for s in sessions if (h := held.get(s.id)) is None or h[1] or h[0] != s.updated_at]
    ctx.stats.count(kind, "unchanged", len(sessions) - len(changed))
    ctx.progress.add("sessions", len(changed))

    async def archive(session: Any) -> bool:
        try:
            transcript = await ctx.collect(lambda: messages(session.id))
        except NotFoundError:
            # A pending remote session has no transcript yet; it is fetched once it changes.
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
        ctx.progress.advance("sessions")
        return True

    await asyncio.gather(*(ctx.attempt(f"{kind} {s.id}", archive(s)) for s in changed))
    vanished = sorted(ctx.store.live_keys(kind) - {s.id for s in sessions})
    if vanished:
        with ctx.store.transaction():
            ctx.stats.count(kind, "gone", ctx.store.mark_gone(kind, vanished))
            ctx.stats.count(message_kind, "gone", ctx.store.mark_gone_under(message_kind, vanished))


async def sync_local_sessions(ctx: SyncContext) -> None:
    """Local sessions (Claude Code, Cowork... on users' machines) and their transcripts."""
    local = ctx.client.local_sessions
    await _sync_sessions(
        ctx,
        kind="local_session",
        listing=lambda: local.iter(limit=LIST_PAGE),
        messages=lambda session_id: local.iter_messages(
            session_id, limit=MESSAGE_PAGE, **UNTRUNCATED
        ),
    )


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
    )
