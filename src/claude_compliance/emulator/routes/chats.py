"""Chats: the org-wide / per-user list, one chat with its messages, and hard delete."""

from __future__ import annotations

import functools
import json

from .. import tokens
from ..errors import ApiError, bad_request, not_found
from ..timeutil import iso_z, parse_any_iso
from ..wire import Reply, RequestContext, dumps, raw_reply
from .objects import delete_reply
from .paging import cursor_listing

MAX_STRING_CHARS = 1024 * 1024
"""The ~1 MiB per-string bound; ``-1`` on a truncation parameter means this."""
DEFAULT_TOOL_CHARS = 10_000
"""Default of ``tool_use_input_max_chars`` / ``tool_result_max_chars`` (unstated by the API;
the emulator uses the session endpoints' documented default)."""


def chat_not_found(chat_id: str) -> ApiError:
    """404 with the API's wording."""
    return not_found(f"Chat {chat_id} not found.")


def chat_cursor(order_by: str, key_us: int, chat_id: str) -> str:
    """Cursor bound to the sort key it was issued under."""
    return tokens.encode({"k": order_by, "t": iso_z(key_us), "id": chat_id})


def _chat_position(ctx: RequestContext, name: str, value: str, order_by: str) -> tuple[int, str]:
    if value.startswith("claude_chat_"):
        found = ctx.store.chat_sort_key(value, order_by)
        if found is None:
            raise bad_request(f'Invalid `{name}`. No chat found for `{name}` "{value}"')
        return found, value
    payload = tokens.decode(value)
    if not payload or not isinstance(payload.get("id"), str) or "t" not in payload:
        raise bad_request(f'Invalid `{name}`. No chat found for `{name}` "{value}"')
    if payload.get("k") != order_by:
        raise bad_request(
            f"The `{name}` cursor was issued for order_by={payload.get('k')} and cannot be used "
            f"with order_by={order_by}."
        )
    try:
        return parse_any_iso(str(payload["t"])), payload["id"]
    except ValueError:
        raise bad_request(f'Invalid `{name}`. No chat found for `{name}` "{value}"') from None


def list_chats(ctx: RequestContext) -> Reply:
    """Chat metadata, ascending by ``order_by`` then id; cursor pagination."""
    q = ctx.query
    q.exclusive("after_id", "before_id")
    limit = q.limit(100, 1000) or 100
    user_ids = q.array("user_ids", 10)
    orgs = ctx.store.org_uuids(q.array("organization_ids", 500))
    project_ids = q.array("project_ids")
    order_by = q.choice("order_by", ("created_at", "updated_at"), "created_at")
    created = q.time_range("created_at")
    updated = q.time_range("updated_at")
    after, before = q.string("after_id"), q.string("before_id")
    if project_ids and not user_ids:
        raise bad_request("`project_ids[]` can only be used together with `user_ids[]`.")
    if user_ids and order_by == "updated_at":
        raise bad_request(
            "`order_by=updated_at` is only supported for organization-wide queries "
            "(without `user_ids[]`)."
        )
    if not user_ids:
        if (order_by == "created_at" and updated) or (order_by == "updated_at" and created):
            raise bad_request(
                f"Organization-wide queries ordered by `{order_by}` only accept "
                f"`{order_by}.*` time filters."
            )
        if before:
            raise bad_request("`before_id` is only supported for user-filtered queries.")

    position = None
    if after or before:
        name = "after_id" if after else "before_id"
        position = _chat_position(ctx, name, after or before or "", order_by)
    rows = ctx.store.chats_page(
        order_by=order_by,
        user_ids=user_ids,
        org_uuids=orgs,
        project_ids=project_ids,
        created=created.bounds,
        updated=updated.bounds,
        after=position if after else None,
        before=position if before else None,
        limit=limit + 1,
    )
    return cursor_listing(rows, limit, bool(before), functools.partial(chat_cursor, order_by))


def _truncate_message(text: str, tool_use_max: int, tool_result_max: int) -> str:
    """Apply the truncation parameters to one stored message (untouched when nothing is long)."""
    if len(text) <= min(tool_use_max, tool_result_max):
        return text
    message = json.loads(text)
    changed = False
    for block in message["content"]:
        if block["type"] == "tool_use" and len(block["input"]) > tool_use_max:
            block["input"] = block["input"][:tool_use_max]
            block["truncated"] = changed = True
        elif block["type"] == "tool_result":
            for item in block["content"]:
                if len(item["text"]) > tool_result_max:
                    item["text"] = item["text"][:tool_result_max]
                    block["truncated"] = changed = True
    return dumps(message) if changed else text


def _message_cursor(cursor_uuid: str) -> str:
    return tokens.encode({"msg_uuid": cursor_uuid})


def _message_position(ctx: RequestContext, chat_id: str, name: str, value: str) -> int:
    if value.startswith("claude_chat_msg_"):
        seq = ctx.store.message_seq(chat_id, message_id=value)
    else:
        payload = tokens.decode(value)
        cursor_uuid = payload.get("msg_uuid") if payload else None
        seq = ctx.store.message_seq(chat_id, cursor_uuid=str(cursor_uuid))
    if seq is None:
        raise bad_request(f'Invalid `{name}`. No message found for `{name}` "{value}"')
    return seq


def get_chat_messages(ctx: RequestContext) -> Reply:
    """One chat (soft-deleted ones too) with its messages; all of them when ``limit`` is absent."""
    q = ctx.query
    chat_id = ctx.path["claude_chat_id"]
    q.exclusive("after_id", "before_id")
    limit = q.limit(None, 1000)
    order = q.choice("order", ("asc", "desc"), "asc")
    created = q.time_range("created_at")
    updated = q.time_range("updated_at")
    tool_use_max = q.truncation("tool_use_input_max_chars", DEFAULT_TOOL_CHARS, MAX_STRING_CHARS)
    tool_result_max = q.truncation("tool_result_max_chars", DEFAULT_TOOL_CHARS, MAX_STRING_CHARS)
    after, before = q.string("after_id"), q.string("before_id")
    chat = ctx.store.chat(chat_id)
    if chat is None:
        raise chat_not_found(chat_id)

    ascending = order == "asc"
    seq = None
    if after or before:
        name = "after_id" if after else "before_id"
        seq = _message_position(ctx, chat_id, name, after or before or "")
    toward_later = ascending == bool(after)
    rows = ctx.store.messages_page(
        chat_id,
        # Messages never change after they are written, so both time filters apply to creation.
        created=(created.bounds, updated.bounds),
        after_seq=seq if toward_later else None,
        before_seq=None if toward_later else seq,
        ascending=ascending != bool(before),
        limit=None if limit is None else limit + 1,
    )
    has_more = limit is not None and len(rows) > limit
    rows = rows[:limit] if limit is not None else rows
    if before:
        rows.reverse()
    messages = [_truncate_message(data, tool_use_max, tool_result_max) for _, data in rows]
    first = _message_cursor(rows[0][0]) if rows else None
    last = _message_cursor(rows[-1][0]) if rows else None
    tail = dumps({"has_more": has_more, "first_id": first, "last_id": last})
    body = chat[:-1] + ',"chat_messages":[' + ",".join(messages) + "]," + tail[1:]
    return raw_reply(body)


def delete_chat(ctx: RequestContext) -> Reply:
    """Hard delete: the chat, its messages, uploads, generated files and artifacts."""
    return delete_reply(
        ctx, "claude_chat_id", ctx.store.delete_chat, "claude_chat_deleted", chat_not_found
    )
