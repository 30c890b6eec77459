"""Remote Sessions resource group (beta): Cowork sessions run in Anthropic-managed cloud.

* ``GET /v1/compliance/apps/sessions/remote`` — sessions, newest first, forward only.
* ``GET /v1/compliance/apps/sessions/remote/{claude_remote_session_id}/messages`` — a transcript.

Both lists page by token only: follow ``next_page`` until it is ``None`` — a short or empty page
is not the end. These endpoints have a second request budget on top of the shared one; its 429s
carry ``retry-after: 1`` and the client waits them out like any other.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Unpack

from .._pagination import TokenPage
from .._request import CallOptions, JsonCall, Request, StrList, get_json, path, query
from .._resource import AsyncResource, Endpoint, SyncResource, listing, walk
from ..models import RemoteSession, RemoteSessionMessagePage

__all__ = ["AsyncRemoteSessions", "RemoteSessions"]


def _list(
    *,
    organization_ids: StrList | None = None,
    user_ids: StrList | None = None,
    created_at_gte: str | datetime | None = None,
    created_at_gt: str | datetime | None = None,
    created_at_lte: str | datetime | None = None,
    created_at_lt: str | datetime | None = None,
    limit: int | None = None,
    page: str | None = None,
    **options: Unpack[CallOptions],
) -> JsonCall[TokenPage[RemoteSession]]:
    """Fetch one page of remote sessions, newest first.

    Sessions still ``pending`` are listed; deleted ones never are. The page may be short or
    empty while ``next_page`` is set; the list ends only when ``next_page`` is ``None``.

    Parameters:
        organization_ids: Only these organizations (at most 500; default all readable ones).
        user_ids: Only sessions owned by these users (1-10); excludes agent-owned sessions.
        created_at_gte: ``created_at >= value`` (RFC 3339 string or aware ``datetime``).
        created_at_gt: ``created_at > value``.
        created_at_lte: ``created_at <= value``.
        created_at_lt: ``created_at < value``.
        limit: Page size, 1-500 (server default 100).
        page: Token from a previous page's ``next_page`` (do not store it long-term).

    Returns:
        One page: ``data`` and ``next_page``.

    Raises:
        BadRequestError: For an out-of-range limit, a malformed timestamp or page token.
        PermissionDeniedError: When the key lacks ``read:compliance_user_data``.
        APIError: For any other non-2xx response.
    """
    params = query(
        organization_ids=organization_ids,
        user_ids=user_ids,
        created_at_gte=created_at_gte,
        created_at_gt=created_at_gt,
        created_at_lte=created_at_lte,
        created_at_lt=created_at_lt,
        limit=limit,
        page=page,
    )
    return get_json("/apps/sessions/remote", TokenPage.decoder(RemoteSession), params)


def _list_messages(
    claude_remote_session_id: str,
    *,
    order: Literal["asc", "desc"] | None = None,
    limit: int | None = None,
    page: str | None = None,
    tool_use_input_max_bytes: int | None = None,
    tool_result_max_bytes: int | None = None,
    **options: Unpack[CallOptions],
) -> JsonCall[RemoteSessionMessagePage]:
    """Fetch one page of a remote session's transcript, with the session.

    Parameters:
        claude_remote_session_id: The session's ID (``cse_…``).
        order: ``"asc"`` (default) or ``"desc"``.
        limit: Messages per page, 1-1000 (server default 100).
        page: Token from a previous page's ``next_page``.
        tool_use_input_max_bytes: Cut each ``tool_use`` input to this many bytes (default
            10000; ``-1`` = the server maximum; ``0`` is rejected).
        tool_result_max_bytes: Cut each tool-result text item to this many bytes (same rules).

    Returns:
        One page: ``data``, ``next_page`` and ``session``.

    Raises:
        NotFoundError: When the session is unknown, deleted, out of reach, or still
            ``pending`` (retry later for those).
        BadRequestError: For an out-of-range limit or truncation bound, a malformed ID or page
            token.
        PermissionDeniedError: When the key lacks ``read:compliance_user_data``.
        APIError: For any other non-2xx response.
    """
    url, subject = path(
        "/apps/sessions/remote/{claude_remote_session_id}/messages",
        claude_remote_session_id=claude_remote_session_id,
    )
    params = query(
        order=order,
        limit=limit,
        page=page,
        tool_use_input_max_bytes=tool_use_input_max_bytes,
        tool_result_max_bytes=tool_result_max_bytes,
    )
    return JsonCall(
        Request("GET", url, params, resource_id=subject), RemoteSessionMessagePage.decode
    )


class _RemoteSessionsEndpoints:
    """The RemoteSessions endpoints, one table for both clients."""

    list, iter = listing(_list)
    list_messages = Endpoint(_list_messages)
    iter_messages = walk(_list_messages)


class RemoteSessions(SyncResource, _RemoteSessionsEndpoints):
    """Synchronous client for the Remote Sessions endpoints."""


class AsyncRemoteSessions(AsyncResource, _RemoteSessionsEndpoints):
    """Asynchronous client for the Remote Sessions endpoints."""
