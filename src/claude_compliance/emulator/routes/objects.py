"""What the routes of single objects share: the object or a 404, and the hard delete."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from ..errors import ApiError, not_found
from ..wire import Reply, RequestContext, json_reply

T = TypeVar("T")


def found(row: T | None, message: str) -> T:
    """``row``, or a 404 with the API's ``message`` when the store has no such object."""
    if row is None:
        raise not_found(message)
    return row


def delete_reply(
    ctx: RequestContext,
    key: str,
    delete: Callable[[str], bool],
    deleted_type: str,
    missing: str | Callable[[str], ApiError],
) -> Reply:
    """Hard delete of the object the path's ``key`` names: ``{id, type: deleted_type}``, or a
    404 (``missing``: its message, or the error for that id) when there is none."""
    object_id = ctx.path[key]
    if not delete(object_id):
        raise not_found(missing) if isinstance(missing, str) else missing(object_id)
    return json_reply({"id": object_id, "type": deleted_type})
