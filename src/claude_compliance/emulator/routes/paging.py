"""Offset page tokens for the directory endpoints (page token + ``has_more`` style).

A token names the listing it belongs to, so a token from another endpoint or another parent
resource is rejected with the API's "not a valid cursor" 400 instead of paging something else.
"""

from __future__ import annotations

from .. import tokens
from ..errors import INVALID_PAGE_MESSAGE, bad_request
from ..wire import RequestContext


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
