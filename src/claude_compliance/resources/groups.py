"""Groups resource group: groups of users (created in claude.ai or synced by SCIM).

* ``GET /v1/compliance/groups`` — groups, optionally by name prefix.
* ``GET /v1/compliance/groups/{group_id}`` — one group.
* ``GET /v1/compliance/groups/{group_id}/members`` — its members.
"""

from __future__ import annotations

from typing import Unpack

from .._pagination import OffsetPage
from .._request import CallOptions, JsonCall, get_json, query
from .._resource import AsyncResource, Endpoint, SyncResource, listing
from ..models import Group, GroupMember

__all__ = ["AsyncGroups", "Groups"]

_GROUP = "/groups/{group_id}"


def _list(
    *,
    name_prefix: str | None = None,
    limit: int | None = None,
    page: str | None = None,
    **options: Unpack[CallOptions],
) -> JsonCall[OffsetPage[Group]]:
    """Fetch one page of groups.

    Parameters:
        name_prefix: Only groups whose name starts with this.
        limit: Page size, 1-1000 (server default 500).
        page: Token from a previous page's ``next_page``.

    Returns:
        One page: ``data``, ``has_more`` and ``next_page``.

    Raises:
        BadRequestError: For an out-of-range limit or a malformed page token.
        PermissionDeniedError: When the key lacks ``read:compliance_org_data``.
        APIError: For any other non-2xx response.
    """
    params = query(name_prefix=name_prefix, limit=limit, page=page)
    return get_json("/groups", OffsetPage.decoder(Group), params)


def _get(group_id: str, **options: Unpack[CallOptions]) -> JsonCall[Group]:
    """Fetch one group.

    Parameters:
        group_id: The group's ID (``rbac_group_…``).

    Returns:
        The [`Group`][claude_compliance.Group].

    Raises:
        NotFoundError: When the group does not exist.
        PermissionDeniedError: When the key lacks ``read:compliance_org_data``.
        APIError: For any other non-2xx response.
    """
    return get_json(_GROUP, Group.from_dict, group_id=group_id)


def _list_members(
    group_id: str,
    *,
    limit: int | None = None,
    page: str | None = None,
    **options: Unpack[CallOptions],
) -> JsonCall[OffsetPage[GroupMember]]:
    """Fetch one page of a group's members.

    Parameters:
        group_id: The group's ID (``rbac_group_…``).
        limit: Page size, 1-1000 (server default 500).
        page: Token from a previous page's ``next_page``.

    Returns:
        One page: ``data``, ``has_more`` and ``next_page``.

    Raises:
        NotFoundError: When the group does not exist.
        BadRequestError: For an out-of-range limit or a malformed page token.
        PermissionDeniedError: When the key lacks ``read:compliance_user_data``.
        APIError: For any other non-2xx response.
    """
    params = query(limit=limit, page=page)
    return get_json(_GROUP + "/members", OffsetPage.decoder(GroupMember), params, group_id=group_id)


class _GroupsEndpoints:
    """The Groups endpoints, one table for both clients."""

    list, iter = listing(_list)
    get = Endpoint(_get)
    list_members, iter_members = listing(_list_members)


class Groups(SyncResource, _GroupsEndpoints):
    """Synchronous client for the Groups endpoints."""


class AsyncGroups(AsyncResource, _GroupsEndpoints):
    """Asynchronous client for the Groups endpoints."""
