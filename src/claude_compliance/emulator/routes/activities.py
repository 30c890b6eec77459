"""GET /v1/compliance/activities: the Activity Feed with both cursor directions."""

from __future__ import annotations

import time

from .. import tokens
from ..activity_types import ACTIVITY_TYPES
from ..errors import bad_request
from ..timeutil import iso_z, parse_any_iso
from ..wire import Reply, RequestContext
from .paging import cursor_listing


def activity_cursor(created_at_us: int, activity_id: str) -> str:
    """The opaque cursor of one activity (base64 JSON, as the real service issues)."""
    return tokens.encode({"created_at": iso_z(created_at_us), "id": activity_id})


def _resolve_cursor(ctx: RequestContext, name: str, value: str) -> tuple[int, str]:
    """(created_at, id) of a cursor; raw activity ids are accepted as well."""
    error = bad_request(f'Invalid `{name}`. No activity found for `{name}` "{value}"')
    if value.startswith("activity_"):
        found = ctx.store.activity_created(value)
        if found is None:
            raise error
        return found, value
    payload = tokens.decode(value)
    if not payload or not isinstance(payload.get("id"), str):
        raise error
    try:
        return parse_any_iso(str(payload["created_at"])), payload["id"]
    except (KeyError, ValueError):
        raise error from None


def _types(ctx: RequestContext, name: str) -> list[str]:
    values = ctx.query.array(name)
    for value in values:
        if value not in ACTIVITY_TYPES:
            raise bad_request(
                f'The `{name}[]` parameter contains an unknown activity type "{value}".'
            )
    return values


def list_activities(ctx: RequestContext) -> Reply:
    """Activities of the tenant, sorted by ``created_at`` (``order``), ties by id."""
    q = ctx.query
    q.exclusive("activity_types[]", "exclude_activity_types[]")
    q.exclusive("after_id", "before_id")
    limit = q.limit(100, 5000) or 100
    order = q.choice("order", ("asc", "desc"), "desc")
    include = _types(ctx, "activity_types")
    exclude = _types(ctx, "exclude_activity_types")
    actors = q.array("actor_ids") + q.array("user_ids")
    orgs = ctx.store.org_uuids(q.array("organization_ids", 500))
    created = q.time_range("created_at")
    after, before = q.string("after_id"), q.string("before_id")

    # Walking "forward" in result order means older items for desc, newer for asc; a before_id
    # walks the other way, so it is queried in reverse and flipped back.
    newest_first = order == "desc"
    backwards = before is not None
    moving_to_older = newest_first != backwards
    position = None
    if after or before:
        name = "after_id" if after else "before_id"
        position = _resolve_cursor(ctx, name, after or before or "")
    rows = ctx.store.activities_page(
        visible_at=time.time(),
        types=include,
        excluded_types=exclude,
        actor_ids=list(dict.fromkeys(actors)),
        org_uuids=orgs,
        created=created.bounds,
        older_than=position if moving_to_older else None,
        newer_than=None if moving_to_older else position,
        newest_first=moving_to_older,
        limit=limit + 1,
    )
    return cursor_listing(rows, limit, backwards, activity_cursor)
