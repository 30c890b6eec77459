"""Paging shared by the list routes: offset listings, cursor pages, newest-first token pages.

An offset token names the listing it belongs to, so a token from another endpoint or another
parent resource is rejected with the API's "not a valid cursor" 400 instead of paging
something else.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .. import tokens
from ..errors import INVALID_PAGE_MESSAGE, bad_request
from ..wire import Reply, RequestContext, cursor_page, token_only_page, token_page


def read_offset(ctx: RequestContext, listing: str) -> int:
    """Offset encoded in the request's ``page`` token for ``listing`` (0 without a token)."""
    token = ctx.query.string("page")
    if token is None:
        return 0
    payload = tokens.decode(token)
    offset = payload.get("offset") if payload else None
    if not payload or payload.get("listing") != listing or not isinstance(offset, int):
        raise bad_request(INVALID_PAGE_MESSAGE)
    if offset < 0:
        raise bad_request(INVALID_PAGE_MESSAGE)
    return offset


def offset_token(listing: str, offset: int) -> str:
    """The ``page`` token that continues ``listing`` at ``offset``."""
    return tokens.encode({"listing": listing, "offset": offset})


def offset_listing(
    ctx: RequestContext,
    listing: str,
    fetch: Callable[[int, int], list[str]],
    default: int,
    maximum: int,
    require: Callable[[], object] | None = None,
) -> Reply:
    """One page of ``fetch(limit, offset)``; parameters are validated before ``require``
    checks existence."""
    limit = ctx.query.limit(default, maximum) or default
    offset = read_offset(ctx, listing)
    if require is not None:
        require()
    rows = fetch(limit + 1, offset)
    has_more = len(rows) > limit
    next_page = offset_token(listing, offset + limit) if has_more else None
    return token_page(rows[:limit], has_more, next_page)


def cursor_listing(
    rows: Sequence[tuple[int, str, str]],
    limit: int,
    backwards: bool,
    cursor: Callable[[int, str], str],
) -> Reply:
    """A cursor page from up to ``limit + 1`` ``(key, id, data)`` rows read in scan order.

    ``backwards`` (a ``before_id`` walk) read them nearest first; they are flipped back.
    """
    has_more = len(rows) > limit
    page = list(rows[:limit])
    if backwards:
        page.reverse()
    if not page:
        return cursor_page([], has_more, None, None)
    first, last = cursor(page[0][0], page[0][1]), cursor(page[-1][0], page[-1][1])
    return cursor_page([row[2] for row in page], has_more, first, last)


def newest_first_listing(rows: Sequence[tuple[int, object, str]], limit: int, tie: str) -> Reply:
    """A token-only page from up to ``limit + 1`` ``(created, tie, data)`` rows; the next
    ``page_`` token holds the last row's position (``ts`` and ``tie``)."""
    page = rows[:limit]
    next_page = None
    if len(rows) > limit:
        next_page = tokens.encode_page({"ts": page[-1][0], tie: page[-1][1]})
    return token_only_page([row[2] for row in page], next_page)


def newest_first_position(ctx: RequestContext, tie: str) -> tuple[int, Any] | None:
    """The ``(created, tie)`` position in the request's ``page_`` token, if any."""
    token = ctx.query.string("page")
    if token is None:
        return None
    payload = tokens.decode_page(token)
    if not payload or not isinstance(payload.get("ts"), int) or tie not in payload:
        raise bad_request(INVALID_PAGE_MESSAGE)
    return payload["ts"], payload[tie]
