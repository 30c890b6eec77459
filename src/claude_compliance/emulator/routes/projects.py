"""Projects with their attachments, collaborators and documents."""

from __future__ import annotations

import functools
import json
from typing import Any

from .. import tokens
from ..errors import INVALID_PAGE_MESSAGE, bad_request, conflict, not_found
from ..timeutil import iso_z, parse_any_iso
from ..wire import Reply, RequestContext, dumps, json_reply, raw_reply, token_page
from .objects import delete_reply, found
from .paging import offset_listing

PROJECT_NOT_FOUND = "No project is found with the provided id."
DOCUMENT_NOT_FOUND = "No project document found with provided id, or it has already been deleted."


def list_projects(ctx: RequestContext) -> Reply:
    """Projects ascending by ``created_at`` (ties by id); ``page_`` tokens."""
    q = ctx.query
    limit = q.limit(20, 100) or 20
    orgs = ctx.store.org_uuids(q.array("organization_ids", 500))
    user_ids = q.array("user_ids")
    created = q.time_range("created_at")
    updated = q.time_range("updated_at")
    page = q.string("page")
    position = None
    if page is not None:
        payload = tokens.decode_page(page) or {}
        try:
            position = (parse_any_iso(str(payload["created_at"])), str(payload["uuid"]))
        except (KeyError, ValueError):
            raise bad_request(INVALID_PAGE_MESSAGE) from None
    rows = ctx.store.projects_page(
        org_uuids=orgs,
        user_ids=user_ids,
        created=created.bounds,
        updated=updated.bounds,
        after=position,
        limit=limit + 1,
    )
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_page = None
    if has_more:
        next_page = tokens.encode_page({"created_at": iso_z(rows[-1][0]), "uuid": rows[-1][1]})
    return token_page([row[2] for row in rows], has_more, next_page)


def _project(ctx: RequestContext) -> tuple[str, str]:
    return found(ctx.store.project(ctx.path["project_id"]), PROJECT_NOT_FOUND)


def get_project(ctx: RequestContext) -> Reply:
    """Project detail: the list record plus description, instructions and counts."""
    project_id = ctx.path["project_id"]
    data, detail = _project(ctx)
    extra = json.loads(detail)
    extra["chats_count"], extra["attachments_count"] = ctx.store.project_counts(project_id)
    return raw_reply(data[:-1] + "," + dumps(extra)[1:])


def delete_project(ctx: RequestContext) -> Reply:
    """Hard delete; 409 while any chat (even a user-deleted one) is still attached."""
    project_id = ctx.path["project_id"]
    outcome = ctx.store.delete_project(project_id)
    if outcome == "missing":
        raise not_found(PROJECT_NOT_FOUND)
    if outcome == "has_chats":
        raise conflict(
            f'The "{project_id}" project cannot be deleted as it has chats attached to it. '
            "Delete or detach all chats, and try deleting the project again."
        )
    return json_reply({"id": project_id, "type": "claude_project_deleted"})


def _attachment(kind: str, data: str) -> str:
    record = json.loads(data)
    if kind == "project_file":
        entry = {
            "type": "project_file",
            "id": record["id"],
            "filename": record["filename"],
            "created_at": record["created_at"],
            "mime_type": record["mime_type"] or "application/octet-stream",
            "size_bytes": record["size_bytes"],
            "md5": record["md5"],
        }
    else:
        entry = {
            "type": "project_doc",
            "id": record["id"],
            "filename": record["filename"],
            "created_at": record["created_at"],
            "mime_type": "text/plain",
            "updated_at": None,
        }
    return dumps(entry)


def list_attachments(ctx: RequestContext) -> Reply:
    """Project files and documents, by ``created_at`` then id."""
    project_id = ctx.path["project_id"]

    def fetch(limit: int, offset: int) -> list[str]:
        rows = ctx.store.attachments_page(project_id, limit, offset)
        return [_attachment(kind, data) for kind, data in rows]

    listing = f"attachments:{project_id}"
    return offset_listing(ctx, listing, fetch, 20, 100, lambda: _project(ctx))


def list_collaborators(ctx: RequestContext) -> Reply:
    """Active role assignments, by ``granted_at`` then assignment UUID."""
    project_id = ctx.path["project_id"]
    fetch = functools.partial(ctx.store.collaborators_page, project_id)
    listing = f"collaborators:{project_id}"
    return offset_listing(ctx, listing, fetch, 20, 100, lambda: _project(ctx))


def _document(ctx: RequestContext) -> tuple[dict[str, Any], str]:
    data, content = found(ctx.store.document(ctx.path["document_id"]), DOCUMENT_NOT_FOUND)
    return json.loads(data), content


def get_document(ctx: RequestContext) -> Reply:
    """A project document with its full text."""
    record, content = _document(ctx)
    keys = ("id", "filename")
    document = {key: record[key] for key in keys}
    document |= {"content": content, "created_at": record["created_at"], "user": record["user"]}
    return json_reply(document)


def get_document_metadata(ctx: RequestContext) -> Reply:
    """A project document's metadata (md5 and size over its UTF-8 text)."""
    data = ctx.store.document_metadata(ctx.path["document_id"])
    return raw_reply(found(data, DOCUMENT_NOT_FOUND))


def delete_document(ctx: RequestContext) -> Reply:
    """Hard delete of a project document."""
    return delete_reply(
        ctx,
        "document_id",
        ctx.store.delete_document,
        "claude_project_document_deleted",
        DOCUMENT_NOT_FOUND,
    )
