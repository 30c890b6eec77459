"""Local sessions (list, retrieve, messages) and remote sessions (list, messages).

These endpoints use the page-token-only style: ``data`` and ``next_page``, no ``has_more``, and
a page may end early (size budget) without being the last one.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any, Literal

from .. import tokens
from ..errors import EXPIRED_PAGE_MESSAGE, INVALID_PAGE_MESSAGE, bad_request, not_found
from ..ids import is_wellformed_local_session_id, is_wellformed_remote_session_id
from ..wire import Reply, RequestContext, dumps, raw_reply, token_only_page
from .objects import found
from .paging import newest_first_listing, newest_first_position

MAX_TOOL_BYTES = 1024 * 1024
DEFAULT_TOOL_BYTES = 10_000
PAGE_BYTE_BUDGET = 256 * 1024
"""Message pages stop early once this many bytes are collected, as real pages may."""
MESSAGE_PAGE_TTL_S = 24 * 3600
LOCAL_NOT_FOUND = "Local session not found."
LOCAL_UNAVAILABLE = "Local sessions are not available."
REMOTE_NOT_FOUND = "Remote session not found."


def _cut_utf8(text: str, max_bytes: int) -> str:
    # Cut on a code-point boundary: dropping a partial trailing sequence is what "ignore" does.
    return text.encode()[:max_bytes].decode("utf-8", "ignore")


def _truncate_blocks(text: str, tool_use_max: int, tool_result_max: int) -> str:
    if len(text) <= min(tool_use_max, tool_result_max) // 4:
        return text
    message = json.loads(text)
    changed = False
    for block in message["content"]:
        if block["type"] == "tool_use" and len(block["input"].encode()) > tool_use_max:
            block["input"] = _cut_utf8(block["input"], tool_use_max)
            block["truncated"] = changed = True
        elif block["type"] == "tool_result":
            for item in block["content"]:
                if len(item["text"].encode()) > tool_result_max:
                    item["text"] = _cut_utf8(item["text"], tool_result_max)
                    block["truncated"] = changed = True
    return dumps(message) if changed else text


def _walk_position(ctx: RequestContext, walk: str) -> tuple[int, float]:
    """Offset and walk start of a message-page token bound to ``walk`` (session + order)."""
    token = ctx.query.string("page")
    if token is None:
        return 0, time.time()
    payload = tokens.decode_page(token)
    if not payload or payload.get("walk") != walk or not isinstance(payload.get("offset"), int):
        raise bad_request(INVALID_PAGE_MESSAGE)
    started = payload.get("started", 0)
    if not isinstance(started, int | float) or isinstance(started, bool):
        raise bad_request(INVALID_PAGE_MESSAGE)
    if time.time() - started > MESSAGE_PAGE_TTL_S:
        raise bad_request(EXPIRED_PAGE_MESSAGE)
    return int(payload["offset"]), started


@dataclass(frozen=True)
class _MessageQuery:
    """The validated parameters of a transcript page (checked before the session is looked
    up: a bad parameter is a 400 even for a session that does not exist)."""

    order: str
    limit: int
    tool_use_max: int
    tool_result_max: int
    walk: str
    offset: int
    started: float


def _message_query(ctx: RequestContext, session_id: str) -> _MessageQuery:
    q = ctx.query
    order = q.choice("order", ("asc", "desc"), "asc")
    limit = q.limit(100, 1000) or 100
    tool_use_max = q.truncation("tool_use_input_max_bytes", DEFAULT_TOOL_BYTES, MAX_TOOL_BYTES)
    tool_result_max = q.truncation("tool_result_max_bytes", DEFAULT_TOOL_BYTES, MAX_TOOL_BYTES)
    walk = f"{session_id}:{order}"
    offset, started = _walk_position(ctx, walk)
    return _MessageQuery(order, limit, tool_use_max, tool_result_max, walk, offset, started)


def _message_page(
    ctx: RequestContext,
    kind: Literal["local", "remote"],
    session_id: str,
    session: str,
    query: _MessageQuery,
) -> Reply:
    order, limit, offset = query.order, query.limit, query.offset
    tool_use_max, tool_result_max = query.tool_use_max, query.tool_result_max
    walk, started = query.walk, query.started
    rows = ctx.store.session_messages_page(
        kind, session_id, descending=order == "desc", limit=limit + 1, offset=offset
    )
    page: list[str] = []
    size = 0
    for data in rows[:limit]:
        if page and size > PAGE_BYTE_BUDGET:
            break
        text = _truncate_blocks(data, tool_use_max, tool_result_max)
        page.append(text)
        size += len(text)
    more = len(rows) > len(page)
    next_page = None
    if more:
        next_page = tokens.encode_page(
            {"walk": walk, "offset": offset + len(page), "started": started}
        )
    return token_only_page(page, next_page, {"session": session})


# -- local sessions ---------------------------------------------------------------------------


def _require_local_sessions(ctx: RequestContext) -> None:
    # Temporary on the real service: clients should keep their queued ids and retry later.
    if not ctx.config.local_sessions_available:
        raise not_found(LOCAL_UNAVAILABLE)


def _local_session_id(ctx: RequestContext) -> str:
    _require_local_sessions(ctx)
    session_id = ctx.path["local_session_id"]
    if not is_wellformed_local_session_id(session_id):
        raise bad_request(f'The local session id "{session_id}" is malformed.')
    return session_id


def _local_session(ctx: RequestContext) -> dict[str, Any]:
    session_id = _local_session_id(ctx)
    record: dict[str, Any] = json.loads(found(ctx.store.local_session(session_id), LOCAL_NOT_FOUND))
    return record


def list_local_sessions(ctx: RequestContext) -> Reply:
    """Every readable local session, newest first; forward-only ``page_`` tokens."""
    _require_local_sessions(ctx)
    q = ctx.query
    limit = q.limit(100, 500) or 100
    created = q.time_range("created_at", ("gte", "lt"))
    updated = q.time_range("updated_at", ("gte",))
    low, high = created.bounds.get("gte"), created.bounds.get("lt")
    if low is not None and high is not None and high <= low:
        raise bad_request("created_at.lt must be strictly after created_at.gte.")
    position = newest_first_position(ctx, "seq")
    rows = ctx.store.local_sessions_page(
        created=created.bounds, updated=updated.bounds, after=position, limit=limit + 1
    )
    return newest_first_listing(rows, limit, "seq")


def get_local_session(ctx: RequestContext) -> Reply:
    """One local session (user email resolved)."""
    return raw_reply(dumps(_local_session(ctx)))


def list_local_session_messages(ctx: RequestContext) -> Reply:
    """Messages of one local session in call order; the ``session`` carries no email."""
    query = _message_query(ctx, _local_session_id(ctx))
    session = _local_session(ctx)
    session["user"] = {**session["user"], "email_address": None}
    return _message_page(ctx, "local", session["id"], dumps(session), query)


# -- remote sessions --------------------------------------------------------------------------


def list_remote_sessions(ctx: RequestContext) -> Reply:
    """Remote sessions, newest first; ``user_ids[]`` excludes agent-owned sessions."""
    q = ctx.query
    limit = q.limit(100, 500) or 100
    orgs = ctx.store.org_uuids(q.array("organization_ids", 500))
    user_ids = q.array("user_ids", 10)
    created = q.time_range("created_at")
    position = newest_first_position(ctx, "id")
    rows = ctx.store.remote_sessions_page(
        org_uuids=orgs,
        user_ids=user_ids,
        created=created.bounds,
        after=None if position is None else (position[0], str(position[1])),
        limit=limit + 1,
    )
    return newest_first_listing(rows, limit, "id")


def list_remote_session_messages(ctx: RequestContext) -> Reply:
    """Messages of one remote session; pending sessions 404 until they start."""
    session_id = ctx.path["claude_remote_session_id"]
    if not is_wellformed_remote_session_id(session_id):
        raise bad_request(f'The remote session id "{session_id}" is malformed.')
    query = _message_query(ctx, session_id)
    row = ctx.store.remote_session(session_id)
    if row is None or row[0] == "pending":
        raise not_found(REMOTE_NOT_FOUND)
    session = json.loads(row[1])
    if session["user"] is not None:
        session["user"] = {**session["user"], "email_address": None}
    session["started_by_user"] = None
    session["claude_project_id"] = None
    return _message_page(ctx, "remote", session_id, dumps(session), query)
