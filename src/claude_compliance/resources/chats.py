"""Chats resource group: claude.ai conversations.

* ``GET /v1/compliance/apps/chats`` — chat metadata, cursor-paginated (``list``, ``iter``).
* ``GET /v1/compliance/apps/chats/{claude_chat_id}/messages`` — one chat with its messages
  (``get``; ``iter_messages`` walks the messages page by page).
* ``DELETE /v1/compliance/apps/chats/{claude_chat_id}`` — hard delete with messages and files.

Files attached to messages are read through [`Files`][claude_compliance.Files], files the assistant
generated through [`GeneratedFiles`][claude_compliance.GeneratedFiles], and artifacts through
[`Artifacts`][claude_compliance.Artifacts].
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Unpack

from .._pagination import CursorPage, PageStyle, set_aside
from .._request import CallOptions, JsonCall, StrList, delete, exclusive, get_json, query
from .._resource import AsyncResource, Endpoint, SyncResource, listing, walk
from ..models import Chat, ChatMessage, ChatMetadata

__all__ = ["AsyncChats", "Chats"]

_CHAT = "/apps/chats/{claude_chat_id}"


def _list(
    *,
    user_ids: StrList | None = None,
    organization_ids: StrList | None = None,
    project_ids: StrList | None = None,
    created_at_gte: str | datetime | None = None,
    created_at_gt: str | datetime | None = None,
    created_at_lte: str | datetime | None = None,
    created_at_lt: str | datetime | None = None,
    updated_at_gte: str | datetime | None = None,
    updated_at_gt: str | datetime | None = None,
    updated_at_lte: str | datetime | None = None,
    updated_at_lt: str | datetime | None = None,
    order_by: Literal["created_at", "updated_at"] | None = None,
    after_id: str | None = None,
    before_id: str | None = None,
    limit: int | None = None,
    **options: Unpack[CallOptions],
) -> JsonCall[CursorPage[ChatMetadata]]:
    """Fetch one page of chat metadata (no messages).

    Chats come in ascending order of ``order_by`` (``created_at`` by default), ties by ID.
    Without ``user_ids`` the query is organization-wide. For an incremental export use an
    organization-wide query with ``order_by="updated_at"``, keep the last ``last_id`` and
    resume with ``after_id``: modified chats come again, so process them idempotently by ID.

    Parameters:
        user_ids: Only chats of these users (at most 10).
        organization_ids: Only these organizations (``org_…`` or UUID).
        project_ids: Only chats in these projects (``claude_proj_…``); needs ``user_ids``.
        created_at_gte: ``created_at >= value`` (RFC 3339 string or aware ``datetime``).
        created_at_gt: ``created_at > value``.
        created_at_lte: ``created_at <= value``.
        created_at_lt: ``created_at < value``.
        updated_at_gte: ``updated_at >= value``.
        updated_at_gt: ``updated_at > value``.
        updated_at_lte: ``updated_at <= value``.
        updated_at_lt: ``updated_at < value``.
        order_by: ``"created_at"`` (default) or ``"updated_at"`` (organization-wide queries
            only). Organization-wide, time filters must match the sort key. Cursors are bound
            to it.
        after_id: Continue after this cursor (a page's ``last_id``).
        before_id: Continue before this cursor (a page's ``first_id``); user-filtered queries
            only. Cannot be combined with ``after_id``.
        limit: Page size, 1-1000 (server default 100).

    Returns:
        One page: ``data``, ``has_more``, ``first_id`` and ``last_id``.

    Raises:
        ValueError: When both ``after_id`` and ``before_id`` are given (nothing is sent).
        BadRequestError: For an out-of-range limit, a malformed timestamp, a cursor from
            another ``order_by``, or a combination the server does not allow.
        PermissionDeniedError: When the key lacks ``read:compliance_user_data``.
        APIError: For any other non-2xx response.
    """
    exclusive(after_id=after_id, before_id=before_id)
    params = query(
        user_ids=user_ids,
        organization_ids=organization_ids,
        project_ids=project_ids,
        created_at_gte=created_at_gte,
        created_at_gt=created_at_gt,
        created_at_lte=created_at_lte,
        created_at_lt=created_at_lt,
        updated_at_gte=updated_at_gte,
        updated_at_gt=updated_at_gt,
        updated_at_lte=updated_at_lte,
        updated_at_lt=updated_at_lt,
        order_by=order_by,
        after_id=after_id,
        before_id=before_id,
        limit=limit,
    )
    return get_json("/apps/chats", CursorPage.decoder(ChatMetadata), params)


def _get(
    claude_chat_id: str,
    *,
    order: Literal["asc", "desc"] | None = None,
    limit: int | None = None,
    after_id: str | None = None,
    before_id: str | None = None,
    created_at_gte: str | datetime | None = None,
    created_at_gt: str | datetime | None = None,
    created_at_lte: str | datetime | None = None,
    created_at_lt: str | datetime | None = None,
    updated_at_gte: str | datetime | None = None,
    updated_at_gt: str | datetime | None = None,
    updated_at_lte: str | datetime | None = None,
    updated_at_lt: str | datetime | None = None,
    tool_use_input_max_chars: int | None = None,
    tool_result_max_chars: int | None = None,
    **options: Unpack[CallOptions],
) -> JsonCall[Chat]:
    """Fetch a chat with its messages (the only way to read one chat).

    Without ``limit`` the server returns every message in one response. With a ``limit`` it
    returns one page: continue with ``after_id=chat.last_id`` while ``chat.has_more``, or let
    ``iter_messages`` do it. User-soft-deleted chats stay readable (``deleted_at`` is set).

    Parameters:
        claude_chat_id: The chat's ID (``claude_chat_…``).
        order: ``"asc"`` (default, oldest first) or ``"desc"``.
        limit: Messages per page, 1-1000; omit for all of them.
        after_id: Continue after this message cursor (a previous ``last_id``).
        before_id: Continue before this message cursor (a previous ``first_id``). Cannot be
            combined with ``after_id``.
        created_at_gte: Only messages with ``created_at >= value`` (RFC 3339 or ``datetime``).
        created_at_gt: Only messages with ``created_at > value``.
        created_at_lte: Only messages with ``created_at <= value``.
        created_at_lt: Only messages with ``created_at < value``.
        updated_at_gte: Only messages with ``updated_at >= value``.
        updated_at_gt: Only messages with ``updated_at > value``.
        updated_at_lte: Only messages with ``updated_at <= value``.
        updated_at_lt: Only messages with ``updated_at < value``.
        tool_use_input_max_chars: Cut each ``tool_use`` input to this many characters of JSON
            (``-1`` disables cutting); cut blocks have ``truncated=True``.
        tool_result_max_chars: Cut each tool-result text item to this many characters (``-1``
            disables cutting).

    Returns:
        The chat's metadata with ``chat_messages``, ``has_more``, ``first_id`` and ``last_id``.

    Raises:
        ValueError: When both ``after_id`` and ``before_id`` are given (nothing is sent).
        NotFoundError: When the chat does not exist, was deleted, or is out of the key's reach.
        BadRequestError: For an out-of-range limit, a malformed timestamp or cursor.
        PermissionDeniedError: When the key lacks ``read:compliance_user_data``.
        APIError: For any other non-2xx response.
    """
    exclusive(after_id=after_id, before_id=before_id)
    params = query(
        order=order,
        limit=limit,
        after_id=after_id,
        before_id=before_id,
        created_at_gte=created_at_gte,
        created_at_gt=created_at_gt,
        created_at_lte=created_at_lte,
        created_at_lt=created_at_lt,
        updated_at_gte=updated_at_gte,
        updated_at_gt=updated_at_gt,
        updated_at_lte=updated_at_lte,
        updated_at_lt=updated_at_lt,
        tool_use_input_max_chars=tool_use_input_max_chars,
        tool_result_max_chars=tool_result_max_chars,
    )
    return get_json(_CHAT + "/messages", Chat.from_dict, params, claude_chat_id=claude_chat_id)


def _chat_messages(chat: Chat) -> list[ChatMessage]:
    """Iterate a chat's messages, ``limit`` at a time (all at once when ``limit`` is omitted)."""
    messages = []
    for message in chat.chat_messages or []:
        if isinstance(message, ChatMessage):
            messages.append(message)
        else:  # kept raw by the model: a message without its id, or not an object
            set_aside(message, "a chat message that is not a readable object")
    return messages


def _delete(claude_chat_id: str, **options: Unpack[CallOptions]) -> JsonCall[None]:
    """Permanently delete a chat with its messages and files; it then 404s and leaves lists.

    Deletion is immediate and cannot be undone. A retry that finds the chat already gone (after
    an attempt that may have reached the server) is a success.

    Parameters:
        claude_chat_id: The chat's ID (``claude_chat_…``).

    Returns:
        ``None``; the server's confirmation is discarded.

    Raises:
        NotFoundError: When the chat does not exist or was already deleted.
        PermissionDeniedError: When the key lacks ``delete:compliance_user_data``.
        APIError: For any other non-2xx response.
    """
    return delete(_CHAT, claude_chat_id=claude_chat_id)


class _ChatsEndpoints:
    """The Chats endpoints, one table for both clients."""

    list, iter = listing(_list)
    get = Endpoint(_get)
    iter_messages = walk(_get, items=_chat_messages, style=PageStyle.CURSOR)
    delete = Endpoint(_delete)


class Chats(SyncResource, _ChatsEndpoints):
    """Synchronous client for the Chats endpoints."""


class AsyncChats(AsyncResource, _ChatsEndpoints):
    """Asynchronous client for the Chats endpoints."""
