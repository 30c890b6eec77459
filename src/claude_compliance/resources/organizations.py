"""Organizations resource group: the organizations under the key, their members and settings.

* ``GET /v1/compliance/organizations`` — organizations, oldest first.
* ``GET /v1/compliance/organizations/{org_uuid}/users`` — current members, by join date.
* ``GET /v1/compliance/organizations/{org_uuid}/user_preferences`` — members' personal
  instructions (token-paged: pages may be short or empty before the end).
* ``GET /v1/compliance/organizations/{organization_id}/settings`` — effective settings and the
  Compliance API keys of the hierarchy.

RBAC roles of an organization live on the sibling group [`Roles`][claude_compliance.Roles].
"""

from __future__ import annotations

from typing import Unpack

from .._pagination import OffsetPage, PageStyle
from .._request import CallOptions, JsonCall, get_json, query
from .._resource import AsyncResource, Endpoint, SyncResource, listing
from ..models import Organization, OrganizationSettings, OrganizationUser, UserPreferences

__all__ = ["AsyncOrganizations", "Organizations"]

_ORGANIZATION = "/organizations/{org_uuid}"


def _list(
    *,
    limit: int | None = None,
    page: str | None = None,
    **options: Unpack[CallOptions],
) -> JsonCall[OffsetPage[Organization]]:
    """Fetch one page of the organizations the key can read, oldest first.

    Parameters:
        limit: Page size, 1-1000 (server default 1000).
        page: Token from a previous page's ``next_page``.

    Returns:
        One page: ``data``, ``has_more`` and ``next_page``.

    Raises:
        BadRequestError: For an out-of-range limit or a malformed page token.
        PermissionDeniedError: When the key lacks ``read:compliance_org_data``.
        APIError: For any other non-2xx response.
    """
    params = query(limit=limit, page=page)
    return get_json("/organizations", OffsetPage.decoder(Organization), params)


def _list_users(
    org_uuid: str,
    *,
    limit: int | None = None,
    page: str | None = None,
    **options: Unpack[CallOptions],
) -> JsonCall[OffsetPage[OrganizationUser]]:
    """Fetch one page of an organization's current members, by organization join date.

    Parameters:
        org_uuid: The organization's bare UUID (``Organization.uuid``).
        limit: Page size, 1-1000 (server default 500).
        page: Token from a previous page's ``next_page``.

    Returns:
        One page: ``data``, ``has_more`` and ``next_page``.

    Raises:
        NotFoundError: When the organization does not exist or is out of the key's reach.
        BadRequestError: For an out-of-range limit or a malformed page token.
        PermissionDeniedError: When the key lacks ``read:compliance_user_data``.
        APIError: For any other non-2xx response.
    """
    params = query(limit=limit, page=page)
    decode = OffsetPage.decoder(OrganizationUser)
    return get_json(_ORGANIZATION + "/users", decode, params, org_uuid=org_uuid)


def _list_user_preferences(
    org_uuid: str,
    *,
    include_unset: bool | None = None,
    limit: int | None = None,
    page: str | None = None,
    **options: Unpack[CallOptions],
) -> JsonCall[OffsetPage[UserPreferences]]:
    """Fetch one page of members' personal preferences, oldest membership first.

    A page may be short or even empty while ``next_page`` is still set: the list ends only when
    ``next_page`` is ``None`` (``iter_user_preferences`` follows this rule).

    Parameters:
        org_uuid: The organization's bare UUID.
        include_unset: List every current member, with ``None`` for unset values (by default
            only members with at least one value set are listed).
        limit: Page size, 1-100 (server default 20).
        page: Token from a previous page's ``next_page``.

    Returns:
        One page: ``data`` and ``next_page``.

    Raises:
        NotFoundError: When the organization does not exist or is out of the key's reach.
        BadRequestError: For an out-of-range limit or a malformed page token.
        PermissionDeniedError: When the key lacks ``read:compliance_user_data``.
        APIError: For any other non-2xx response.
    """
    params = query(include_unset=include_unset, limit=limit, page=page)
    decode = OffsetPage.decoder(UserPreferences, style=PageStyle.TOKEN)
    return get_json(_ORGANIZATION + "/user_preferences", decode, params, org_uuid=org_uuid)


def _get_settings(
    organization_id: str, **options: Unpack[CallOptions]
) -> JsonCall[OrganizationSettings]:
    """Fetch an organization's effective settings and the Compliance API keys of its hierarchy.

    Settings reflect what is enforced (after regulatory restrictions, availability and
    dependencies); settings admins cannot change are left out.

    Parameters:
        organization_id: The organization's bare UUID (not the ``org_…`` ID).

    Returns:
        The settings (a typed union per setting type) and API keys (never their secrets).

    Raises:
        NotFoundError: When the organization is not in the key's hierarchy, the ID is not a
            UUID, or the endpoint is not enabled yet (deliberately indistinguishable).
        PermissionDeniedError: When the key lacks ``read:compliance_org_data``.
        APIError: For any other non-2xx response.
    """
    return get_json(
        "/organizations/{organization_id}/settings",
        OrganizationSettings.from_dict,
        organization_id=organization_id,
    )


class _OrganizationsEndpoints:
    """The Organizations endpoints, one table for both clients."""

    list, iter = listing(_list)
    list_users, iter_users = listing(_list_users)
    list_user_preferences, iter_user_preferences = listing(_list_user_preferences)
    get_settings = Endpoint(_get_settings)


class Organizations(SyncResource, _OrganizationsEndpoints):
    """Synchronous client for the Organizations endpoints."""


class AsyncOrganizations(AsyncResource, _OrganizationsEndpoints):
    """Asynchronous client for the Organizations endpoints."""
