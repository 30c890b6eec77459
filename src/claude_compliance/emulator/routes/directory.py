"""Organizations, users, user preferences, roles, permissions, settings and groups."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable

from ..errors import ApiError, not_found
from ..wire import Reply, RequestContext, raw_reply, token_page
from .paging import offset_token, read_offset


def _org_not_found(org_uuid: str) -> ApiError:
    return not_found(
        f'The "{org_uuid}" organization does not exist or the requester is not authorized to '
        "access it."
    )


def _require_org(ctx: RequestContext, org_uuid: str) -> None:
    if not ctx.store.org_exists(org_uuid):
        raise _org_not_found(org_uuid)


def _offset_listing(
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


def list_organizations(ctx: RequestContext) -> Reply:
    """Organizations under the parent, oldest first (the parent itself first)."""
    return _offset_listing(ctx, "organizations", ctx.store.organizations_page, 1000, 1000)


def list_users(ctx: RequestContext) -> Reply:
    """Current members of one organization, by organization join date."""
    org_uuid = ctx.path["org_uuid"]
    return _offset_listing(
        ctx,
        f"users:{org_uuid}",
        functools.partial(ctx.store.users_page, org_uuid),
        500,
        1000,
        lambda: _require_org(ctx, org_uuid),
    )


def list_user_preferences(ctx: RequestContext) -> Reply:
    """Members' personal instructions; without ``include_unset`` pages may be short or empty."""
    org_uuid = ctx.path["org_uuid"]
    include_unset = ctx.query.boolean("include_unset", False)
    limit = ctx.query.limit(20, 100) or 20
    listing = f"user_preferences:{org_uuid}:{int(include_unset)}"
    offset = read_offset(ctx, listing)
    _require_org(ctx, org_uuid)
    rows = ctx.store.preferences_page(org_uuid, limit + 1, offset)
    has_more = len(rows) > limit
    items = []
    for text in rows[:limit]:
        # Filtering after the page is cut is what makes real pages short; kept on purpose.
        record = json.loads(text)
        if (
            include_unset
            or record["conversation_preferences"]
            or record["cowork_global_instructions"]
        ):
            items.append(text)
    next_page = offset_token(listing, offset + limit) if has_more else None
    return token_page(items, has_more, next_page)


def _role_row(ctx: RequestContext) -> str:
    org_uuid, role_id = ctx.path["org_uuid"], ctx.path["role_id"]
    _require_org(ctx, org_uuid)
    data = ctx.store.role(org_uuid, role_id)
    if data is None:
        raise not_found("Role not found.")
    return data


def list_roles(ctx: RequestContext) -> Reply:
    """RBAC roles of one organization."""
    org_uuid = ctx.path["org_uuid"]
    return _offset_listing(
        ctx,
        f"roles:{org_uuid}",
        functools.partial(ctx.store.roles_page, org_uuid),
        500,
        1000,
        lambda: _require_org(ctx, org_uuid),
    )


def get_role(ctx: RequestContext) -> Reply:
    """One RBAC role."""
    return raw_reply(_role_row(ctx))


def list_role_permissions(ctx: RequestContext) -> Reply:
    """Permissions granted by one role."""
    role_id = ctx.path["role_id"]
    fetch = functools.partial(ctx.store.permissions_page, role_id)
    return _offset_listing(ctx, f"permissions:{role_id}", fetch, 500, 1000, lambda: _role_row(ctx))


def get_settings(ctx: RequestContext) -> Reply:
    """Effective settings of one organization (bare UUID in the path)."""
    org_uuid = ctx.path["organization_id"]
    data = ctx.store.settings(org_uuid)
    if data is None:
        raise not_found(f"organization `{org_uuid}` not found in this organization's hierarchy")
    return raw_reply(data)


def list_groups(ctx: RequestContext) -> Reply:
    """Groups of the parent organization, optionally filtered by name prefix."""
    prefix = ctx.query.string("name_prefix")
    listing = "groups" if prefix is None else f"groups:{prefix}"
    fetch = functools.partial(ctx.store.groups_page, prefix)
    return _offset_listing(ctx, listing, fetch, 500, 1000)


def _group_row(ctx: RequestContext) -> str:
    data = ctx.store.group(ctx.path["group_id"])
    if data is None:
        raise not_found("Group not found.")
    return data


def get_group(ctx: RequestContext) -> Reply:
    """One group."""
    return raw_reply(_group_row(ctx))


def list_group_members(ctx: RequestContext) -> Reply:
    """Members of one group."""
    group_id = ctx.path["group_id"]
    fetch = functools.partial(ctx.store.group_members_page, group_id)
    return _offset_listing(ctx, f"members:{group_id}", fetch, 500, 1000, lambda: _group_row(ctx))
