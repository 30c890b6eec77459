"""Archiving chats: an incremental walk by ``updated_at``, then a sweep for deletions.

The walk is the spec's incremental export: an organization-wide listing ordered by
``updated_at``, started a little before the saved high-water mark (so late index updates are not
missed); a chat whose ``updated_at`` matches the archived one is skipped. The high-water mark is
saved after each page whose chats are all archived, in the transaction of the last of them; one
failed chat freezes it for the rest of the run, so the next run comes back for that chat.

When a deletion sweep is due (see :mod:`.sweeps`) the same walk starts from the beginning
instead: it then lists every chat (1000 per request), so it also tells which chats are gone —
one walk of the list per run either way.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from .._errors import NotFoundError
from ..common.served import KEPT_RAW, json_items, json_objects
from ..models import Chat
from .content import DIRTY_UNITS, file_record, file_unit, message_content_unit
from .context import SyncContext
from .incremental import UpdatedObjects
from .store import RAW_MARK, RecordRow, content_key, record_key

__all__ = ["sync_chats"]

PAGE = 1000
MESSAGE_PAGE = 1000
_PAGE_FIELDS = ("chat_messages", "has_more", "first_id", "last_id")


def _chat_record(chat: Chat) -> dict[str, Any]:
    """The chat's metadata as the list serves it (the message page's fields removed)."""
    record = chat.to_dict()
    for field in _PAGE_FIELDS:
        record.pop(field, None)
    return record


def _messages_of(chat: Chat) -> list[Any]:
    """The page's messages as served (a message no model could read stays as it came)."""
    return json_items(chat.to_dict().get("chat_messages"))


def _refs(message: Any, field: str, key: str) -> list[dict[str, Any]]:
    """The references of one kind a message (as served) carries that name their object."""
    if not isinstance(message, dict):
        return []
    return [dict(ref) for ref in json_objects(message.get(field)) if isinstance(ref.get(key), str)]


def _content_units(ctx: SyncContext, chat_id: str, messages: list[Any]) -> list[asyncio.Task[None]]:
    """The content the chat's messages refer to, each unit given its reference."""
    files: dict[str, dict[str, Any]] = {}
    carriers: dict[str, list[str]] = {}
    units: list[asyncio.Task[None]] = []
    for message in messages:
        for ref in _refs(message, "files", "id"):
            files.setdefault(ref["id"], ref)
            carriers.setdefault(ref["id"], []).append(str(message.get("id")))
        for ref in _refs(message, "generated_files", "id"):
            units.append(message_content_unit(ctx, "generated_file", ref["id"], ref))
        for ref in _refs(message, "artifacts", "version_id"):
            units.append(message_content_unit(ctx, "artifact_version", ref["version_id"], ref))
    for file_id, ref in files.items():
        units.append(file_unit(ctx, file_id, file_record(ref, carriers[file_id], [chat_id])))
    return units


def _referenced_keys(ctx: SyncContext, chat_id: str, kind: str) -> list[str]:
    """Keys of ``kind`` the archived messages of a chat refer to."""
    field, key = {
        "file": ("files", "id"),
        "generated_file": ("generated_files", "id"),
        "artifact_version": ("artifacts", "version_id"),
    }.get(kind, ("", ""))
    keys: list[str] = []
    for row in ctx.store.children("chat_message", chat_id) if field else []:
        for ref in _refs(json.loads(row["data"]), field, key):
            if ref[key] not in keys:
                keys.append(ref[key])
    return keys


class _Chats(UpdatedObjects):
    kind = "chat"
    collection = "chats"

    async def _fetch(self, chat_id: str) -> tuple[Chat, list[Any]] | None:
        chats = self.ctx.client.chats
        untruncated = {"tool_use_input_max_chars": -1, "tool_result_max_chars": -1}
        try:
            chat = await self.ctx.call(chats.get, chat_id, **untruncated)
            messages = _messages_of(chat)
            page = chat
            while page.has_more and isinstance(page.last_id, str):
                page = await self.ctx.call(
                    chats.get, chat_id, after_id=page.last_id, limit=1000, **untruncated
                )
                messages.extend(_messages_of(page))
        except NotFoundError:
            return None
        return chat, messages

    async def sync_one(self, chat_id: str) -> None:
        ctx = self.ctx
        ctx.why(self.reason(chat_id), f"chat {chat_id}")
        fetched = await self._fetch(chat_id)
        if fetched is None:
            await self.forget([chat_id])
            return
        chat, messages = fetched
        content = _content_units(ctx, chat_id, messages)
        # Content first, in its own transactions: a chat row implies all its content is held.
        await asyncio.gather(*content)
        rows = []
        for n, message in enumerate(messages):
            # A message is keyed by its id; one without is kept raw, under its chat.
            key, raw = record_key(message)
            if raw:
                key = content_key(chat_id, message, mark=RAW_MARK)
            row = RecordRow("chat_message", key, message, parent_key=chat_id, position=n)
            rows.append((row, raw))
        with ctx.store.transaction():
            outcome = ctx.store.upsert(RecordRow("chat", chat_id, _chat_record(chat)))
            for row, raw in rows:
                stored = ctx.store.upsert(row).outcome
                ctx.stats.count("chat_message", KEPT_RAW if raw else stored)
            gone = ctx.store.mark_missing(
                "chat_message", {row.key for row, _ in rows}, parent_key=chat_id, scoped=True
            )
            ctx.store.clear_dirty("chat", chat_id)
        ctx.stats.count("chat", outcome.outcome)
        ctx.stats.count("chat_message", "gone", gone)

    def mark_gone(self, chat_ids: list[str]) -> None:
        """Chats the API no longer returns: mark them and their messages gone."""
        with self.ctx.store.transaction():
            gone = self.ctx.store.mark_gone("chat", chat_ids)
            messages = self.ctx.store.mark_gone_under("chat_message", chat_ids)
            for chat_id in chat_ids:
                self.ctx.store.clear_dirty("chat", chat_id)
        self.ctx.stats.count("chat", "gone", gone)
        self.ctx.stats.count("chat_message", "gone", messages)

    async def walk(self, *, full: bool) -> None:
        """The walk by ``updated_at``: from the saved high-water mark, or from the start when
        ``full`` — then it lists every chat, and the ones no longer listed are gone."""
        ctx = self.ctx
        filters: dict[str, Any] = {"order_by": "updated_at", "limit": PAGE}
        if not full and self.high_water.value:
            filters["updated_at_gte"] = self.high_water.since()
        after: str | None = None
        healthy = True
        listed: set[str] = set()
        while True:
            page = await ctx.call(ctx.client.chats.list, after_id=after, **filters)
            ctx.keep_raw("chat", page.unreadable)
            listed.update(chat.id for chat in page.data)
            todo = [chat.id for chat in page.data if self.needs(chat)]
            ctx.stats.count("chat", "unchanged", len(page.data) - len(todo))
            last = not page.has_more or not (page.data or page.unreadable) or not page.last_id
            if last:
                # An incremental run's changes usually fit one page: its bar has a total at once.
                ctx.progress.listed("chats")
            healthy = await self.archive(todo) and healthy
            if healthy and page.data:
                self.high_water.commit(page.data)
            if last:
                break
            after = page.last_id
        if full:
            await self.swept(listed)

    async def forget(self, chat_ids: list[str]) -> None:
        """Mark vanished chats gone, and re-check the content their messages referred to
        (deleting a chat deletes its files)."""
        ctx = self.ctx
        referenced = [
            unit(ctx, key, "its chat is gone")
            for chat_id in chat_ids
            for kind, unit in DIRTY_UNITS.items()
            for key in _referenced_keys(ctx, chat_id, kind)
        ]
        # Content first: should the run stop in between, the chats are still live in the
        # archive and the next run comes back here.
        await asyncio.gather(*referenced)
        self.mark_gone(chat_ids)


async def sync_chats(ctx: SyncContext) -> None:
    """Archive every chat the key can read, with messages and their content."""
    await _Chats.sync(ctx)
