"""Organizations, users, user preferences, roles, permissions, settings and groups."""

from __future__ import annotations

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
    if ctx.store.scalar("SELECT 1 FROM orgs WHERE uuid = ?", (org_uuid,)) is None:
        raise _org_not_found(org_uuid)


def _offset_listing(
    ctx: RequestContext,
    listing: str,
    sql: str,
    params: tuple[str, ...],
    default: int,
    maximum: int,
    require: Callable[[], object] | None = None,
) -> Reply:
    """One page of ``sql``; parameters are validated before ``require`` checks existence."""
    limit = ctx.query.limit(default, maximum) or default
    offset = read_offset(ctx, listing)
    if require is not None:
        require()
    rows = ctx.store.query(f"{sql} LIMIT ? OFFSET ?", (*params, limit + 1, offset))
    has_more = len(rows) > limit
    next_page = offset_token(listing, offset + limit) if has_more else None
    return token_page([row[0] for row in rows[:limit]], has_more, next_page)


def list_organizations(ctx: RequestContext) -> Reply:
    """Organizations under the parent, oldest first (the parent itself first)."""
    return _offset_listing(
        ctx, "organizations", "SELECT data FROM orgs ORDER BY ts, seq", (), 1000, 1000
    )


def list_users(ctx: RequestContext) -> Reply:
    """Current members of one organization, by organization join date."""
    org_uuid = ctx.path["org_uuid"]
    sql = "SELECT data FROM memberships WHERE org_uuid = ? ORDER BY joined_ts, user_id"
    return _offset_listing(
        ctx, f"users:{org_uuid}", sql, (org_uuid,), 500, 1000, lambda: _require_org(ctx, org_uuid)
    )


def list_user_preferences(ctx: RequestContext) -> Reply:
    """Members' personal instructions; without ``include_unset`` pages may be short or empty."""
    org_uuid = ctx.path["org_uuid"]
    include_unset = ctx.query.boolean("include_unset", False)
    limit = ctx.query.limit(20, 100) or 20
    listing = f"user_preferences:{org_uuid}:{int(include_unset)}"
    offset = read_offset(ctx, listing)
    _require_org(ctx, org_uuid)
    rows = ctx.store.query(
        "SELECT preferences FROM memberships WHERE org_uuid = ? ORDER BY joined_ts, user_id"
        " LIMIT ? OFFSET ?",
        (org_uuid, limit + 1, offset),
    )
    has_more = len(rows) > limit
    items = []
    for (text,) in rows[:limit]:
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
    data = ctx.store.scalar(
        "SELECT data FROM roles WHERE id = ? AND org_uuid = ?", (role_id, org_uuid)
    )
    if data is None:
        raise not_found("Role not found.")
    return str(data)


def list_roles(ctx: RequestContext) -> Reply:
    """RBAC roles of one organization."""
    org_uuid = ctx.path["org_uuid"]
    sql = "SELECT data FROM roles WHERE org_uuid = ? ORDER BY seq, id"
    return _offset_listing(
        ctx, f"roles:{org_uuid}", sql, (org_uuid,), 500, 1000, lambda: _require_org(ctx, org_uuid)
    )


def get_role(ctx: RequestContext) -> Reply:
    """One RBAC role."""
    return raw_reply(_role_row(ctx))


def list_role_permissions(ctx: RequestContext) -> Reply:
    """Permissions granted by one role."""
    role_id = ctx.path["role_id"]
    sql = "SELECT data FROM role_permissions WHERE role_id = ? ORDER BY seq"
    return _offset_listing(
        ctx, f"permissions:{role_id}", sql, (role_id,), 500, 1000, lambda: _role_row(ctx)
    )


def get_settings(ctx: RequestContext) -> Reply:
    """Effective settings of one organization (bare UUID in the path)."""
    org_uuid = ctx.path["organization_id"]
    data = ctx.store.scalar("SELECT data FROM org_settings WHERE org_uuid = ?", (org_uuid,))
    if data is None:
        raise not_found(f"organization `{org_uuid}` not found in this organization's hierarchy")
    return raw_reply(str(data))


def list_groups(ctx: RequestContext) -> Reply:
    """Groups of the parent organization, optionally filtered by name prefix."""
    prefix = ctx.query.string("name_prefix")
    if prefix is None:
        return _offset_listing(ctx, "groups", "SELECT data FROM groups ORDER BY seq", (), 500, 1000)
    sql = "SELECT data FROM groups WHERE substr(name, 1, ?) = ? ORDER BY seq"
    limit = ctx.query.limit(500, 1000) or 500
    listing = f"groups:{prefix}"
    offset = read_offset(ctx, listing)
    rows = ctx.store.query(f"{sql} LIMIT ? OFFSET ?", (len(prefix), prefix, limit + 1, offset))
    has_more = len(rows) > limit
    next_page = offset_token(listing, offset + limit) if has_more else None
    return token_page([row[0] for row in rows[:limit]], has_more, next_page)


def _group_row(ctx: RequestContext) -> str:
    data = ctx.store.scalar("SELECT data FROM groups WHERE id = ?", (ctx.path["group_id"],))
    if data is None:
        raise not_found("Group not found.")
    return str(data)


def get_group(ctx: RequestContext) -> Reply:
    """One group."""
    return raw_reply(_group_row(ctx))


def list_group_members(ctx: RequestContext) -> Reply:
    """Members of one group."""
    group_id = ctx.path["group_id"]
    sql = "SELECT data FROM group_members WHERE group_id = ? ORDER BY seq"
    return _offset_listing(
        ctx, f"members:{group_id}", sql, (group_id,), 500, 1000, lambda: _group_row(ctx)
    )
