"""Organizations, users, user preferences, roles, permissions, settings and groups."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable

from ..errors import ApiError, not_found
from ..wire import Reply, RequestContext, raw_reply, token_page
from .objects import found
from .paging import offset_listing, offset_token, read_offset


def _org_not_found(org_uuid: str) -> ApiError:
    return not_found(
        f'The "{org_uuid}" organization does not exist or the requester is not authorized to '
        "access it."
    )


def _require_org(ctx: RequestContext) -> None:
    org_uuid = ctx.path["org_uuid"]
    if not ctx.store.org_exists(org_uuid):
        raise _org_not_found(org_uuid)


def _children(
    ctx: RequestContext,
    name: str,
    parent_key: str,
    page: Callable[[str, int, int], list[str]],
    require_parent: Callable[[RequestContext], object],
) -> Reply:
    """Up to 500 (default) or 1000 records under the path's parent, after it is found."""
    parent = ctx.path[parent_key]
    fetch = functools.partial(page, parent)
    listing = f"{name}:{parent}"
    return offset_listing(ctx, listing, fetch, 500, 1000, lambda: require_parent(ctx))


def list_organizations(ctx: RequestContext) -> Reply:
    """Organizations under the parent, oldest first (the parent itself first)."""
    return offset_listing(ctx, "organizations", ctx.store.organizations_page, 1000, 1000)


def list_users(ctx: RequestContext) -> Reply:
    """Current members of one organization, by organization join date."""
    return _children(ctx, "users", "org_uuid", ctx.store.users_page, _require_org)


def list_user_preferences(ctx: RequestContext) -> Reply:
    """Members' personal instructions; without ``include_unset`` pages may be short or empty."""
    org_uuid = ctx.path["org_uuid"]
    include_unset = ctx.query.boolean("include_unset", False)
    limit = ctx.query.limit(20, 100) or 20
    listing = f"user_preferences:{org_uuid}:{int(include_unset)}"
    offset = read_offset(ctx, listing)
    _require_org(ctx)
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
    _require_org(ctx)
    return found(ctx.store.role(org_uuid, role_id), "Role not found.")


def list_roles(ctx: RequestContext) -> Reply:
    """RBAC roles of one organization."""
    return _children(ctx, "roles", "org_uuid", ctx.store.roles_page, _require_org)


def get_role(ctx: RequestContext) -> Reply:
    """One RBAC role."""
    return raw_reply(_role_row(ctx))


def list_role_permissions(ctx: RequestContext) -> Reply:
    """Permissions granted by one role."""
    return _children(ctx, "permissions", "role_id", ctx.store.permissions_page, _role_row)


def get_settings(ctx: RequestContext) -> Reply:
    """Effective settings of one organization (bare UUID in the path)."""
    org_uuid = ctx.path["organization_id"]
    missing = f"organization `{org_uuid}` not found in this organization's hierarchy"
    return raw_reply(found(ctx.store.settings(org_uuid), missing))


def list_groups(ctx: RequestContext) -> Reply:
    """Groups of the parent organization, optionally filtered by name prefix."""
    prefix = ctx.query.string("name_prefix")
    listing = "groups" if prefix is None else f"groups:{prefix}"
    fetch = functools.partial(ctx.store.groups_page, prefix)
    return offset_listing(ctx, listing, fetch, 500, 1000)


def _group_row(ctx: RequestContext) -> str:
    return found(ctx.store.group(ctx.path["group_id"]), "Group not found.")


def get_group(ctx: RequestContext) -> Reply:
    """One group."""
    return raw_reply(_group_row(ctx))


def list_group_members(ctx: RequestContext) -> Reply:
    """Members of one group."""
    return _children(ctx, "members", "group_id", ctx.store.group_members_page, _group_row)
