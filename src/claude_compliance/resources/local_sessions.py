"""Local Sessions resource group (beta): sessions that ran on users' machines.

* ``GET /v1/compliance/apps/sessions/local`` — sessions, newest first, forward only.
* ``GET /v1/compliance/apps/sessions/local/{local_session_id}`` — one session.
* ``GET /v1/compliance/apps/sessions/local/{local_session_id}/messages`` — its transcript.

Both lists page by token only: there is no ``has_more``, and a short or even empty page is not
the end — follow ``next_page`` until it is ``None`` (``iter`` and ``iter_messages`` do). Finish a
walk within 24 hours; transcript tokens are bound to the session and the order. While the
feature is unavailable to the organization every call answers 404 ``Local sessions are not
available.``: keep the IDs and retry later.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Unpack

from .._pagination import TokenPage
from .._request import CallOptions, JsonCall, Request, get_json, path, query
from .._resource import AsyncResource, Endpoint, SyncResource, listing, walk
from ..models import LocalSession, LocalSessionMessagePage

__all__ = ["AsyncLocalSessions", "LocalSessions"]

_SESSION = "/apps/sessions/local/{local_session_id}"


def _list(
    *,
    created_at_gte: str | datetime | None = None,
    created_at_lt: str | datetime | None = None,
    updated_at_gte: str | datetime | None = None,
    limit: int | None = None,
    page: str | None = None,
    **options: Unpack[CallOptions],
) -> JsonCall[TokenPage[LocalSession]]:
    """Fetch one page of local sessions across every organization the key can read.

    Sessions come newest first by ``created_at``. The page may be short or empty while
    ``next_page`` is still set; the list ends only when ``next_page`` is ``None``.

    Parameters:
        created_at_gte: Sessions whose first retained call is at or after this (RFC 3339 with
            a zone, or an aware ``datetime``).
        created_at_lt: Sessions whose first retained call is before this; must be strictly
            after ``created_at_gte`` when both are given.
        updated_at_gte: Sessions whose last call is at or after this (a filter only: it does
            not change the order).
        limit: Page size, 1-500 (server default 100).
        page: Token from a previous page's ``next_page``.

    Returns:
        One page: ``data`` and ``next_page``.

    Raises:
        BadRequestError: For an out-of-range limit, a malformed timestamp, an empty time range,
            or an invalid or expired page token.
        NotFoundError: While local sessions are not available to the organization.
        PermissionDeniedError: When the key lacks ``read:compliance_user_data``.
        APIError: For any other non-2xx response.
    """
    params = query(
        created_at_gte=created_at_gte,
        created_at_lt=created_at_lt,
        updated_at_gte=updated_at_gte,
        limit=limit,
        page=page,
    )
    return get_json("/apps/sessions/local", TokenPage.decoder(LocalSession), params)


def _get(local_session_id: str, **options: Unpack[CallOptions]) -> JsonCall[LocalSession]:
    """Fetch one local session (with the user's email address resolved).

    Parameters:
        local_session_id: The session's ID (``clls_…``).

    Returns:
        The [`LocalSession`][claude_compliance.LocalSession].

    Raises:
        NotFoundError: When the session is unknown, out of reach, not captured or fully aged
            out (indistinguishable), or while local sessions are not available.
        BadRequestError: For a malformed ``clls_`` ID.
        PermissionDeniedError: When the key lacks ``read:compliance_user_data``.
        APIError: For any other non-2xx response.
    """
    return get_json(_SESSION, LocalSession.from_dict, local_session_id=local_session_id)


def _list_messages(
    local_session_id: str,
    *,
    order: Literal["asc", "desc"] | None = None,
    limit: int | None = None,
    page: str | None = None,
    tool_use_input_max_bytes: int | None = None,
    tool_result_max_bytes: int | None = None,
    **options: Unpack[CallOptions],
) -> JsonCall[LocalSessionMessagePage]:
    """Fetch one page of a local session's transcript, with the session.

    Messages come in call order; a page can end early (size budget) and a boundary can split a
    call. The list ends only when ``next_page`` is ``None``.

    Parameters:
        local_session_id: The session's ID (``clls_…``).
        order: ``"asc"`` (default) or ``"desc"``; page tokens are bound to it.
        limit: Messages per page, 1-1000 (server default 100).
        page: Token from a previous page's ``next_page`` (expires 24 h after the first page).
        tool_use_input_max_bytes: Cut each ``tool_use`` input to this many bytes (default
            10000; ``-1`` = the server maximum; ``0`` is rejected).
        tool_result_max_bytes: Cut each tool-result text item to this many bytes (same rules).

    Returns:
        One page: ``data``, ``next_page`` and ``session``.

    Raises:
        NotFoundError: When the session is unknown or out of reach.
        BadRequestError: For an out-of-range limit or truncation bound, a malformed ID, or an
            invalid or expired page token.
        PermissionDeniedError: When the key lacks ``read:compliance_user_data``.
        APIError: For any other non-2xx response.
    """
    url, subject = path(_SESSION + "/messages", local_session_id=local_session_id)
    params = query(
        order=order,
        limit=limit,
        page=page,
        tool_use_input_max_bytes=tool_use_input_max_bytes,
        tool_result_max_bytes=tool_result_max_bytes,
    )
    return JsonCall(
        Request("GET", url, params, resource_id=subject), LocalSessionMessagePage.decode
    )


class _LocalSessionsEndpoints:
    """The LocalSessions endpoints, one table for both clients."""

    list, iter = listing(_list)
    get = Endpoint(_get)
    list_messages = Endpoint(_list_messages)
    iter_messages = walk(_list_messages)


class LocalSessions(SyncResource, _LocalSessionsEndpoints):
    """Synchronous client for the Local Sessions endpoints."""


class AsyncLocalSessions(AsyncResource, _LocalSessionsEndpoints):
    """Asynchronous client for the Local Sessions endpoints."""
