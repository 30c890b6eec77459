"""Roles resource group: an organization's RBAC roles and the permissions they grant.

* ``GET /v1/compliance/organizations/{org_uuid}/roles`` — roles.
* ``GET /v1/compliance/organizations/{org_uuid}/roles/{role_id}`` — one role.
* ``GET /v1/compliance/organizations/{org_uuid}/roles/{role_id}/permissions`` — its permissions.
"""

from __future__ import annotations

from typing import Unpack

from .._pagination import OffsetPage
from .._request import CallOptions, JsonCall, get_json, query
from .._resource import AsyncResource, Endpoint, SyncResource, listing
from ..models import Role, RolePermission

__all__ = ["AsyncRoles", "Roles"]

_ROLES = "/organizations/{org_uuid}/roles"
_ROLE = _ROLES + "/{role_id}"


def _list(
    org_uuid: str,
    *,
    limit: int | None = None,
    page: str | None = None,
    **options: Unpack[CallOptions],
) -> JsonCall[OffsetPage[Role]]:
    """Fetch one page of an organization's RBAC roles.

    Parameters:
        org_uuid: The organization's bare UUID.
        limit: Page size, 1-1000 (server default 500).
        page: Token from a previous page's ``next_page``.

    Returns:
        One page: ``data``, ``has_more`` and ``next_page``.

    Raises:
        NotFoundError: When the organization does not exist or is out of the key's reach.
        BadRequestError: For an out-of-range limit or a malformed page token.
        PermissionDeniedError: When the key lacks ``read:compliance_org_data``.
        APIError: For any other non-2xx response.
    """
    params = query(limit=limit, page=page)
    return get_json(_ROLES, OffsetPage.decoder(Role), params, org_uuid=org_uuid)


def _get(org_uuid: str, role_id: str, **options: Unpack[CallOptions]) -> JsonCall[Role]:
    """Fetch one RBAC role.

    Parameters:
        org_uuid: The organization's bare UUID.
        role_id: The role's ID (``rbac_role_…``).

    Returns:
        The [`Role`][claude_compliance.Role].

    Raises:
        NotFoundError: When the role (or the organization) does not exist.
        PermissionDeniedError: When the key lacks ``read:compliance_org_data``.
        APIError: For any other non-2xx response.
    """
    return get_json(_ROLE, Role.from_dict, org_uuid=org_uuid, role_id=role_id)


def _list_permissions(
    org_uuid: str,
    role_id: str,
    *,
    limit: int | None = None,
    page: str | None = None,
    **options: Unpack[CallOptions],
) -> JsonCall[OffsetPage[RolePermission]]:
    """Fetch one page of the permissions a role grants.

    Parameters:
        org_uuid: The organization's bare UUID.
        role_id: The role's ID (``rbac_role_…``).
        limit: Page size, 1-1000 (server default 500).
        page: Token from a previous page's ``next_page``.

    Returns:
        One page: ``data``, ``has_more`` and ``next_page``.

    Raises:
        NotFoundError: When the role (or the organization) does not exist.
        BadRequestError: For an out-of-range limit or a malformed page token.
        PermissionDeniedError: When the key lacks ``read:compliance_org_data``.
        APIError: For any other non-2xx response.
    """
    params = query(limit=limit, page=page)
    decode = OffsetPage.decoder(RolePermission)
    return get_json(_ROLE + "/permissions", decode, params, org_uuid=org_uuid, role_id=role_id)


class _RolesEndpoints:
    """The Roles endpoints, one table for both clients."""

    list, iter = listing(_list)
    get = Endpoint(_get)
    list_permissions, iter_permissions = listing(_list_permissions)


class Roles(SyncResource, _RolesEndpoints):
    """Synchronous client for the Roles endpoints."""


class AsyncRoles(AsyncResource, _RolesEndpoints):
    """Asynchronous client for the Roles endpoints."""
