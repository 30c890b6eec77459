"""Claude Code artifacts (hosted sites): list, version download, delete."""

from __future__ import annotations

from typing import Any

from .. import tokens
from ..errors import INVALID_PAGE_MESSAGE, bad_request, not_found
from ..wire import (
    Reply,
    RequestContext,
    download_reply,
    json_reply,
    org_uuids,
    placeholders,
    token_page,
)

ARTIFACT_NOT_FOUND = "Code artifact not found."
VERSION_NOT_FOUND = "Code artifact version not found."


def list_code_artifacts(ctx: RequestContext) -> Reply:
    """Artifacts sorted by id.

    Like the real index, ``next_page`` is set whenever a page is full, so the last page can be
    empty while the one before it said ``has_more``.
    """
    q = ctx.query
    limit = q.limit(20, 100) or 20
    orgs = org_uuids(ctx.store, q.array("organization_ids", 500))
    user_ids = q.array("user_ids", 200)
    updated = q.time_range("updated_at")
    where: list[str] = []
    params: list[Any] = []
    for values, column in ((orgs, "org_uuid"), (user_ids, "owner_user_id")):
        if values:
            where.append(f"{column} IN ({placeholders(values)})")
            params += values
    clauses, values = updated.sql("updated_ts")
    where += clauses
    params += values
    token = q.string("page")
    if token is not None:
        payload = tokens.decode(token)
        if not payload or not isinstance(payload.get("after"), str):
            raise bad_request(INVALID_PAGE_MESSAGE)
        where.append("id > ?")
        params.append(payload["after"])
    rows = ctx.store.query(
        f"SELECT id, data FROM code_artifacts WHERE {' AND '.join(where) or '1'}"
        " ORDER BY id LIMIT ?",
        [*params, limit],
    )
    next_page = tokens.encode({"after": rows[-1][0]}) if len(rows) == limit else None
    return token_page([row[1] for row in rows], next_page is not None, next_page)


def get_code_artifact_version(ctx: RequestContext) -> Reply:
    """Stream the content of one retained version."""
    artifact_id, version_id = ctx.path["artifact_id"], ctx.path["version_id"]
    if ctx.store.scalar("SELECT 1 FROM code_artifacts WHERE id = ?", (artifact_id,)) is None:
        raise not_found(ARTIFACT_NOT_FOUND)
    row = ctx.store.one(
        "SELECT mime_type, content FROM code_artifact_versions"
        " WHERE artifact_id = ? AND version_id = ?",
        (artifact_id, version_id),
    )
    if row is None:
        raise not_found(VERSION_NOT_FOUND)
    return download_reply(bytes(row[1]), f"{version_id}.html", str(row[0]))


def delete_code_artifact(ctx: RequestContext) -> Reply:
    """Delete an artifact and its versions; a repeated delete 404s."""
    artifact_id = ctx.path["artifact_id"]
    with ctx.store.transaction() as conn:
        if conn.execute("DELETE FROM code_artifacts WHERE id = ?", (artifact_id,)).rowcount == 0:
            raise not_found(ARTIFACT_NOT_FOUND)
        conn.execute("DELETE FROM code_artifact_versions WHERE artifact_id = ?", (artifact_id,))
    return json_reply({"id": artifact_id, "type": "code_artifact_deleted"})
