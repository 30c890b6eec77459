"""Activities resource group: the Activity Feed.

* ``GET /v1/compliance/activities`` — cursor-paginated events, newest first by default. Exposed
  via ``list`` (one page) and ``iter`` (every page).

The feed is at-least-once: dedupe on ``Activity.id``. To follow it, keep the ``first_id`` of the
newest page and resume with ``before_id=`` (catch-up); to backfill, keep ``last_id`` and resume
with ``after_id=``. Every Compliance API call is itself recorded as a
``compliance_api_accessed`` activity; leave those out with
``exclude_activity_types=["compliance_api_accessed"]``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Unpack

from .._pagination import CursorPage
from .._request import CallOptions, JsonCall, StrList, exclusive, get_json, query
from .._resource import AsyncResource, SyncResource, listing
from ..models import Activity

__all__ = ["Activities", "AsyncActivities"]

_decode_page = CursorPage.decoder(Activity)


def _list(
    *,
    activity_types: StrList | None = None,
    exclude_activity_types: StrList | None = None,
    actor_ids: StrList | None = None,
    user_ids: StrList | None = None,
    organization_ids: StrList | None = None,
    created_at_gte: str | datetime | None = None,
    created_at_gt: str | datetime | None = None,
    created_at_lte: str | datetime | None = None,
    created_at_lt: str | datetime | None = None,
    order: Literal["asc", "desc"] | None = None,
    after_id: str | None = None,
    before_id: str | None = None,
    limit: int | None = None,
    **options: Unpack[CallOptions],
) -> JsonCall[CursorPage[Activity]]:
    """Fetch one page of the Activity Feed.

    Activities come sorted by ``created_at`` in ``order`` (newest first by default), ties by ID.

    Parameters:
        activity_types: Only these activity types. Cannot be combined with
            ``exclude_activity_types``.
        exclude_activity_types: Every type except these.
        actor_ids: Only activities by these users (``user_…``).
        user_ids: Alias of ``actor_ids``; when both are given the lists are merged.
        organization_ids: Only these organizations (``org_…`` or UUID).
        created_at_gte: ``created_at >= value`` (RFC 3339 string or aware ``datetime``).
        created_at_gt: ``created_at > value``.
        created_at_lte: ``created_at <= value``.
        created_at_lt: ``created_at < value``.
        order: ``"desc"`` (default, newest first) or ``"asc"``; cursors follow this order.
        after_id: Continue after this cursor (a page's ``last_id``): further in ``order``.
        before_id: Continue before this cursor (a page's ``first_id``): back against
            ``order``. Cannot be combined with ``after_id``.
        limit: Page size, 1-5000 (server default 100).

    Returns:
        One page: ``data``, ``has_more``, ``first_id`` and ``last_id``.

    Raises:
        ValueError: When both ``activity_types`` and ``exclude_activity_types``, or both
            ``after_id`` and ``before_id``, are given (nothing is sent).
        BadRequestError: For an out-of-range limit, a malformed timestamp or an unknown cursor.
        PermissionDeniedError: When the key lacks ``read:compliance_activities``.
        APIError: For any other non-2xx response.
    """
    exclusive(activity_types=activity_types, exclude_activity_types=exclude_activity_types)
    exclusive(after_id=after_id, before_id=before_id)
    params = query(
        activity_types=activity_types,
        exclude_activity_types=exclude_activity_types,
        actor_ids=actor_ids,
        user_ids=user_ids,
        organization_ids=organization_ids,
        created_at_gte=created_at_gte,
        created_at_gt=created_at_gt,
        created_at_lte=created_at_lte,
        created_at_lt=created_at_lt,
        order=order,
        after_id=after_id,
        before_id=before_id,
        limit=limit,
    )
    return get_json("/activities", _decode_page, params)


class _ActivitiesEndpoints:
    """The Activities endpoints, one table for both clients."""

    list, iter = listing(_list)


class Activities(SyncResource, _ActivitiesEndpoints):
    """Synchronous client for the Activity Feed."""


class AsyncActivities(AsyncResource, _ActivitiesEndpoints):
    """Asynchronous client for the Activity Feed."""
