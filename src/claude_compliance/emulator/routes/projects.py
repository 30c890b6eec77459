"""Projects with their attachments, collaborators and documents."""

from __future__ import annotations

import json
from typing import Any

from .. import tokens
from ..errors import INVALID_PAGE_MESSAGE, bad_request, conflict, not_found
from ..timeutil import iso_z, parse_any_iso
from ..wire import (
    Reply,
    RequestContext,
    dumps,
    json_reply,
    org_uuids,
    placeholders,
    raw_reply,
    token_page,
)
from .paging import offset_token, read_offset

PROJECT_NOT_FOUND = "No project is found with the provided id."
DOCUMENT_NOT_FOUND = "No project document found with provided id, or it has already been deleted."


def list_projects(ctx: RequestContext) -> Reply:
    """Projects ascending by ``created_at`` (ties by id); ``page_`` tokens."""
    q = ctx.query
    limit = q.limit(20, 100) or 20
    orgs = org_uuids(ctx.store, q.array("organization_ids", 500))
    user_ids = q.array("user_ids")
    created = q.time_range("created_at")
    updated = q.time_range("updated_at")
    page = q.string("page")
    where: list[str] = []
    params: list[Any] = []
    for values, column in ((orgs, "org_uuid"), (user_ids, "user_id")):
        if values:
            where.append(f"{column} IN ({placeholders(values)})")
            params += values
    for time_range, column in ((created, "ts"), (updated, "updated_ts")):
        clauses, values = time_range.sql(column)
        where += clauses
        params += values
    if page is not None:
        payload = tokens.decode_page(page) or {}
        try:
            position = (parse_any_iso(str(payload["created_at"])), str(payload["uuid"]))
        except (KeyError, ValueError):
            raise bad_request(INVALID_PAGE_MESSAGE) from None
        where.append("(ts, id) > (?, ?)")
        params += list(position)
    rows = ctx.store.query(
        f"SELECT ts, id, data FROM projects WHERE {' AND '.join(where) or '1'} "
        "ORDER BY ts, id LIMIT ?",
        [*params, limit + 1],
    )
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_page = None
    if has_more:
        next_page = tokens.encode_page({"created_at": iso_z(rows[-1][0]), "uuid": rows[-1][1]})
    return token_page([row[2] for row in rows], has_more, next_page)


def _project(ctx: RequestContext) -> tuple[str, str]:
    row = ctx.store.one("SELECT data, detail FROM projects WHERE id = ?", (ctx.path["project_id"],))
    if row is None:
        raise not_found(PROJECT_NOT_FOUND)
    return str(row[0]), str(row[1])


def get_project(ctx: RequestContext) -> Reply:
    """Project detail: the list record plus description, instructions and counts."""
    project_id = ctx.path["project_id"]
    data, detail = _project(ctx)
    extra = json.loads(detail)
    extra["chats_count"] = ctx.store.scalar(
        "SELECT COUNT(*) FROM chats WHERE project_id = ?", (project_id,)
    )
    extra["attachments_count"] = ctx.store.scalar(
        "SELECT (SELECT COUNT(*) FROM files WHERE project_id = ?)"
        " + (SELECT COUNT(*) FROM project_docs WHERE project_id = ?)",
        (project_id, project_id),
    )
    return raw_reply(data[:-1] + "," + dumps(extra)[1:])


def delete_project(ctx: RequestContext) -> Reply:
    """Hard delete; 409 while any chat (even a user-deleted one) is still attached."""
    project_id = ctx.path["project_id"]
    with ctx.store.transaction() as conn:
        if conn.execute("SELECT 1 FROM projects WHERE id = ?", (project_id,)).fetchone() is None:
            raise not_found(PROJECT_NOT_FOUND)
        if conn.execute("SELECT 1 FROM chats WHERE project_id = ?", (project_id,)).fetchone():
            raise conflict(
                f'The "{project_id}" project cannot be deleted as it has chats attached to it. '
                "Delete or detach all chats, and try deleting the project again."
            )
        conn.execute("DELETE FROM projects WHERE id = ?", (project_id,))
        for table in ("project_docs", "files", "collaborators"):
            conn.execute(f"DELETE FROM {table} WHERE project_id = ?", (project_id,))
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
    limit = ctx.query.limit(20, 100) or 20
    listing = f"attachments:{project_id}"
    offset = read_offset(ctx, listing)
    _project(ctx)
    rows = ctx.store.query(
        "SELECT 'project_file', ts, id, data FROM files WHERE project_id = ?"
        " UNION ALL SELECT 'project_doc', ts, id, data FROM project_docs WHERE project_id = ?"
        " ORDER BY 2, 3 LIMIT ? OFFSET ?",
        (project_id, project_id, limit + 1, offset),
    )
    has_more = len(rows) > limit
    next_page = offset_token(listing, offset + limit) if has_more else None
    return token_page([_attachment(row[0], row[3]) for row in rows[:limit]], has_more, next_page)


def list_collaborators(ctx: RequestContext) -> Reply:
    """Active role assignments, by ``granted_at`` then assignment UUID."""
    project_id = ctx.path["project_id"]
    limit = ctx.query.limit(20, 100) or 20
    listing = f"collaborators:{project_id}"
    offset = read_offset(ctx, listing)
    _project(ctx)
    rows = ctx.store.query(
        "SELECT data FROM collaborators WHERE project_id = ? ORDER BY ts, assignment_uuid"
        " LIMIT ? OFFSET ?",
        (project_id, limit + 1, offset),
    )
    has_more = len(rows) > limit
    next_page = offset_token(listing, offset + limit) if has_more else None
    return token_page([row[0] for row in rows[:limit]], has_more, next_page)


def _document(ctx: RequestContext) -> tuple[dict[str, Any], str]:
    row = ctx.store.one(
        "SELECT data, content FROM project_docs WHERE id = ?", (ctx.path["document_id"],)
    )
    if row is None:
        raise not_found(DOCUMENT_NOT_FOUND)
    return json.loads(row[0]), str(row[1])


def get_document(ctx: RequestContext) -> Reply:
    """A project document with its full text."""
    record, content = _document(ctx)
    keys = ("id", "filename")
    document = {key: record[key] for key in keys}
    document |= {"content": content, "created_at": record["created_at"], "user": record["user"]}
    return json_reply(document)


def get_document_metadata(ctx: RequestContext) -> Reply:
    """A project document's metadata (md5 and size over its UTF-8 text)."""
    row = ctx.store.one("SELECT data FROM project_docs WHERE id = ?", (ctx.path["document_id"],))
    if row is None:
        raise not_found(DOCUMENT_NOT_FOUND)
    return raw_reply(str(row[0]))


def delete_document(ctx: RequestContext) -> Reply:
    """Hard delete of a project document."""
    document_id = ctx.path["document_id"]
    if ctx.store.execute("DELETE FROM project_docs WHERE id = ?", (document_id,)) == 0:
        raise not_found(DOCUMENT_NOT_FOUND)
    return json_reply({"id": document_id, "type": "claude_project_document_deleted"})
