"""Claude Code artifacts (hosted sites): list, version download, delete."""

from __future__ import annotations

from .. import tokens
from ..errors import INVALID_PAGE_MESSAGE, bad_request, not_found
from ..wire import Reply, RequestContext, download_reply, token_page
from .objects import delete_reply

ARTIFACT_NOT_FOUND = "Code artifact not found."
VERSION_NOT_FOUND = "Code artifact version not found."


def list_code_artifacts(ctx: RequestContext) -> Reply:
    """Artifacts sorted by id.

    Like the real index, ``next_page`` is set whenever a page is full, so the last page can be
    empty while the one before it said ``has_more``.
    """
    q = ctx.query
    limit = q.limit(20, 100) or 20
    orgs = ctx.store.org_uuids(q.array("organization_ids", 500))
    user_ids = q.array("user_ids", 200)
    updated = q.time_range("updated_at")
    token = q.string("page")
    after_id = None
    if token is not None:
        payload = tokens.decode(token)
        if not payload or not isinstance(payload.get("after"), str):
            raise bad_request(INVALID_PAGE_MESSAGE)
        after_id = payload["after"]
    rows = ctx.store.code_artifacts_page(
        org_uuids=orgs, owner_ids=user_ids, updated=updated.bounds, after_id=after_id, limit=limit
    )
    next_page = tokens.encode({"after": rows[-1][0]}) if len(rows) == limit else None
    return token_page([row[1] for row in rows], next_page is not None, next_page)


def get_code_artifact_version(ctx: RequestContext) -> Reply:
    """Stream the content of one retained version."""
    artifact_id, version_id = ctx.path["artifact_id"], ctx.path["version_id"]
    if not ctx.store.code_artifact_exists(artifact_id):
        raise not_found(ARTIFACT_NOT_FOUND)
    version = ctx.store.code_artifact_version(artifact_id, version_id)
    if version is None:
        raise not_found(VERSION_NOT_FOUND)
    mime_type, content = version
    return download_reply(content, f"{version_id}.html", mime_type)


def delete_code_artifact(ctx: RequestContext) -> Reply:
    """Delete an artifact and its versions; a repeated delete 404s."""
    delete = ctx.store.delete_code_artifact
    return delete_reply(ctx, "artifact_id", delete, "code_artifact_deleted", ARTIFACT_NOT_FOUND)
