"""Uploaded files, assistant-generated files and chat artifacts: metadata, content, delete."""

from __future__ import annotations

import json

from ..errors import ApiError, not_found
from ..wire import Reply, RequestContext, download_reply, raw_reply
from .objects import delete_reply, found

FILE_NOT_FOUND = "No file found with provided id, or it has already been deleted."
GENERATED_FILE_NOT_FOUND = "No generated file found with provided id, or it has expired."
ARTIFACT_NOT_FOUND = "No artifact version found with provided id."


def _download(row: tuple[str, bytes | None], missing: str) -> Reply:
    """The content of an upload or generated file (404 ``missing`` when it has none)."""
    data, content = row
    if content is None:
        raise not_found(missing)
    record = json.loads(data)
    return download_reply(bytes(content), record["filename"] or record["id"], record["mime_type"])


def _file_row(ctx: RequestContext) -> tuple[str, bytes | None]:
    return found(ctx.store.file(ctx.path["claude_file_id"]), FILE_NOT_FOUND)


def get_file(ctx: RequestContext) -> Reply:
    """Metadata of a chat attachment or project file."""
    return raw_reply(_file_row(ctx)[0])


def get_file_content(ctx: RequestContext) -> Reply:
    """The bytes of a chat attachment or project file."""
    return _download(_file_row(ctx), FILE_NOT_FOUND)


def delete_file(ctx: RequestContext) -> Reply:
    """Hard delete of a chat attachment or project file."""
    return delete_reply(
        ctx, "claude_file_id", ctx.store.delete_file, "claude_file_deleted", FILE_NOT_FOUND
    )


def _generated_row(ctx: RequestContext) -> tuple[str, bytes | None]:
    row = ctx.store.generated_file(ctx.path["claude_gen_file_id"])
    return found(row, GENERATED_FILE_NOT_FOUND)


def get_generated_file(ctx: RequestContext) -> Reply:
    """Metadata of an assistant-generated file (``size_bytes``/``md5`` null once expired)."""
    return raw_reply(_generated_row(ctx)[0])


def get_generated_file_content(ctx: RequestContext) -> Reply:
    """The bytes of an assistant-generated file; 404 once it has expired."""
    return _download(_generated_row(ctx), GENERATED_FILE_NOT_FOUND)


def _artifact_row(ctx: RequestContext) -> tuple[str, str]:
    return found(ctx.store.artifact_version(ctx.path["artifact_version_id"]), ARTIFACT_NOT_FOUND)


def artifact_not_found() -> ApiError:
    """404 for an unknown artifact version id (including a stable artifact id passed by mistake)."""
    return not_found(ARTIFACT_NOT_FOUND)


def get_artifact(ctx: RequestContext) -> Reply:
    """Metadata of one chat artifact version."""
    return raw_reply(_artifact_row(ctx)[0])


def get_artifact_content(ctx: RequestContext) -> Reply:
    """The full text of one chat artifact version."""
    data, text = _artifact_row(ctx)
    record = json.loads(data)
    filename = record["title"] or record["version_id"]
    return download_reply(text.encode(), filename, "text/plain; charset=utf-8")
