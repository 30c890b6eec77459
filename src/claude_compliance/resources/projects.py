"""Projects resource group.

Wraps four endpoints under ``/v1/compliance/apps/projects`` (plus collaborators):

* ``GET /v1/compliance/apps/projects`` — offset-paginated project list. Exposed via ``list``
  (one page) and ``iter`` (auto-paginate).
* ``GET /v1/compliance/apps/projects/{project_id}`` — single fetch returning the richer
  [`ProjectDetail`][claude_compliance.ProjectDetail] shape.
* ``DELETE /v1/compliance/apps/projects/{project_id}`` — hard delete. Returns 409 /
  [`ConflictError`][claude_compliance.ConflictError] when the project still has chats attached.
  The SDK does not pre-check; the server is the source of truth.
* ``GET /v1/compliance/apps/projects/{project_id}/attachments`` — offset-paginated list of files
  and documents attached to a project.
* ``GET /v1/compliance/apps/projects/{project_id}/collaborators`` — offset-paginated list of the
  role assignments on a project (users, groups, organizations, organization roles).

Project document content lives on a sibling resource group,
[`ProjectDocuments`][claude_compliance.ProjectDocuments].
"""

from __future__ import annotations

from typing import Unpack

from .._pagination import OffsetPage
from .._request import CallOptions, JsonCall, StrList, delete, get_json, query
from .._resource import AsyncResource, Endpoint, SyncResource, listing
from ..models import Project, ProjectAttachment, ProjectCollaborator, ProjectDetail

__all__ = ["AsyncProjects", "Projects"]

_PROJECT = "/apps/projects/{project_id}"


def _list(
    *,
    organization_ids: StrList | None = None,
    user_ids: StrList | None = None,
    created_at_gte: str | None = None,
    created_at_gt: str | None = None,
    created_at_lte: str | None = None,
    created_at_lt: str | None = None,
    page: str | None = None,
    limit: int | None = None,
    updated_at_gte: str | None = None,
    updated_at_gt: str | None = None,
    updated_at_lte: str | None = None,
    updated_at_lt: str | None = None,
    **options: Unpack[CallOptions],
) -> JsonCall[OffsetPage[Project]]:
    """Fetch one offset-paginated page of projects.

    Projects come in ascending ``created_at`` order.

    Parameters:
        organization_ids: Filter to projects in any of these organisations (``org_…`` or UUID).
        user_ids: Filter to projects owned by any of these users.
        created_at_gte: ``created_at >= value`` (RFC 3339).
        created_at_gt: ``created_at > value`` (RFC 3339).
        created_at_lte: ``created_at <= value`` (RFC 3339).
        created_at_lt: ``created_at < value`` (RFC 3339).
        page: Opaque pagination token from a prior response.
        limit: Maximum results, default 20, max 100.
        updated_at_gte: ``updated_at >= value`` (RFC 3339). Newer API filter.
        updated_at_gt: ``updated_at > value`` (RFC 3339). Newer API filter.
        updated_at_lte: ``updated_at <= value`` (RFC 3339). Newer API filter.
        updated_at_lt: ``updated_at < value`` (RFC 3339). Newer API filter.

    Returns:
        One page: ``data``, ``has_more`` and ``next_page``.

    Raises:
        BadRequestError: For an out-of-range limit, a malformed timestamp or page token.
        APIError: For any other non-2xx response.
    """
    params = query(
        organization_ids=organization_ids,
        user_ids=user_ids,
        created_at_gte=created_at_gte,
        created_at_gt=created_at_gt,
        created_at_lte=created_at_lte,
        created_at_lt=created_at_lt,
        updated_at_gte=updated_at_gte,
        updated_at_gt=updated_at_gt,
        updated_at_lte=updated_at_lte,
        updated_at_lt=updated_at_lt,
        limit=limit,
        page=page,
    )
    return get_json("/apps/projects", OffsetPage.decoder(Project), params)


def _get(project_id: str, **options: Unpack[CallOptions]) -> JsonCall[ProjectDetail]:
    """Fetch the detail view of one project.

    Returns the richer [`ProjectDetail`][claude_compliance.ProjectDetail] (``description``,
    ``instructions``, ``chats_count``, ``attachments_count``) in addition to every
    [`Project`][claude_compliance.Project] field.

    Raises:
        NotFoundError: When ``project_id`` does not exist.
        APIError: For any other non-2xx response.
    """
    return get_json(_PROJECT, ProjectDetail.from_dict, project_id=project_id)


def _delete(project_id: str, **options: Unpack[CallOptions]) -> JsonCall[None]:
    """Hard-delete a project and all its associated data.

    The project must have no attached chats — the server returns 409 /
    [`ConflictError`][claude_compliance.ConflictError] otherwise. Detach or delete the chats first.

    Returns ``None`` on success; the server's confirmation payload is discarded. A retry that
    finds the project already gone (after an attempt that may have reached the server) is a
    success too.

    Raises:
        ConflictError: When chats are still attached.
        NotFoundError: When ``project_id`` does not exist.
        APIError: For any other non-2xx response.
    """
    return delete(_PROJECT, project_id=project_id)


def _list_attachments(
    project_id: str,
    *,
    limit: int | None = None,
    page: str | None = None,
    **options: Unpack[CallOptions],
) -> JsonCall[OffsetPage[ProjectAttachment]]:
    """Fetch one offset-paginated page of attachments for a project.

    Items are [`ProjectFileAttachment`][claude_compliance.ProjectFileAttachment]
    (``type == "project_file"``) or
    [`ProjectDocAttachment`][claude_compliance.ProjectDocAttachment] (``type == "project_doc"``),
    sorted by ``created_at``.

    Raises:
        NotFoundError: When ``project_id`` does not exist.
        APIError: For any other non-2xx response.
    """
    params = query(limit=limit, page=page)
    decode = OffsetPage.decoder(ProjectAttachment)
    return get_json(_PROJECT + "/attachments", decode, params, project_id=project_id)


def _list_collaborators(
    project_id: str,
    *,
    limit: int | None = None,
    page: str | None = None,
    **options: Unpack[CallOptions],
) -> JsonCall[OffsetPage[ProjectCollaborator]]:
    """Fetch one page of a project's collaborators: one entry per active role assignment.

    Items are [`UserCollaborator`][claude_compliance.UserCollaborator],
    [`GroupCollaborator`][claude_compliance.GroupCollaborator],
    [`OrganizationCollaborator`][claude_compliance.OrganizationCollaborator] or
    [`OrganizationRoleCollaborator`][claude_compliance.OrganizationRoleCollaborator] (by
    ``type``), sorted by ``granted_at``.

    Parameters:
        project_id: The project's ID (``claude_proj_…``).
        limit: Page size, 1-100 (server default 20).
        page: Token from a previous page's ``next_page``.

    Returns:
        One page: ``data``, ``has_more`` and ``next_page``.

    Raises:
        NotFoundError: When ``project_id`` does not exist.
        BadRequestError: For an out-of-range limit or a malformed page token.
        APIError: For any other non-2xx response.
    """
    params = query(limit=limit, page=page)
    decode = OffsetPage.decoder(ProjectCollaborator)
    return get_json(_PROJECT + "/collaborators", decode, params, project_id=project_id)


class _ProjectsEndpoints:
    """The Projects endpoints, one table for both clients."""

    list, iter = listing(_list)
    get = Endpoint(_get)
    delete = Endpoint(_delete)
    list_attachments, iter_attachments = listing(_list_attachments)
    list_collaborators, iter_collaborators = listing(_list_collaborators)


class Projects(SyncResource, _ProjectsEndpoints):
    """Synchronous client for the Projects endpoints."""


class AsyncProjects(AsyncResource, _ProjectsEndpoints):
    """Asynchronous client for the Projects endpoints."""
