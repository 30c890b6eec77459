"""Record shapes: the same world rendered as the API sends it today, sparsely, or as in Rev J.

Real records are looser than the newest reference (spec §11 items 23-25), and clients must read
them all. ``--shapes`` picks how records leave the emulator:

* ``current`` — the newest reference: every field present, absent values as ``null``.
* ``sparse`` — what the guides' examples and many captured bodies show: fields whose value is
  ``null`` are omitted, the deprecated ``organization_id`` is not sent on chats, chat messages
  bodies, projects and project detail, local sessions have no ``updated_at``, and admin-key
  actors carry only ``admin_api_key_id``.
* ``rev-j`` — the Rev J (2026-04-20) shapes: optional fields omitted rather than ``null`` in
  activities, admin-key actors with only ``admin_api_key_id``; chats without ``model``/``href``;
  a chat body whose messages fit in one response has no ``has_more``/``first_id``/``last_id``
  (messages were not paginated); messages without ``generated_files``, file references with only
  ``id``, ``filename`` and ``mime_type``, text blocks with only ``type`` and ``text``; projects
  without ``deleted_at``/``organization_uuid``, project files without ``md5``/``size_bytes``;
  users without ``organization_role``, groups without ``roles``; an organizations list that is
  a bare ``data`` when it fits one page; downloads name the file with a plain
  ``filename="…"`` as well as ``filename*``.

Reshaping happens once, on the way out (`reshape`), so handlers and the store know only the
current shape. Errors are never reshaped: every mode sends the full platform envelope.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from .config import RecordShapes
from .wire import Reply, dumps

__all__ = ["reshape"]

Json = Any
Transform = Callable[[Json], Json]


def _without_nulls(value: Json) -> Json:
    """Every ``null`` member of every object omitted (lists keep their items)."""
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(item) for item in value]
    return value


def _drop(record: Json, *fields: str) -> Json:
    if isinstance(record, dict):
        for name in fields:
            record.pop(name, None)
    return record


def _keep(record: Json, *fields: str) -> Json:
    if not isinstance(record, dict):
        return record
    return {k: v for k, v in record.items() if k in fields}


def _admin_actor_id_only(activity: Json) -> Json:
    actor = activity.get("actor") if isinstance(activity, dict) else None
    if isinstance(actor, dict) and actor.get("type") == "admin_api_key_actor":
        activity["actor"] = _keep(actor, "type", "admin_api_key_id")
    return activity


# -- sparse -------------------------------------------------------------------------------------


def _sparse_activity(record: Json) -> Json:
    return _admin_actor_id_only(_without_nulls(record))


def _sparse_deprecated(record: Json) -> Json:
    return _drop(_without_nulls(record), "organization_id")


def _sparse_local_session(record: Json) -> Json:
    return _drop(_without_nulls(record), "updated_at")


def _sparse_local_page(body: Json) -> Json:
    body = _each(_without_nulls)(body)
    body["session"] = _drop(body.get("session"), "updated_at")
    return body


# -- rev-j ---------------------------------------------------------------------------------------


def _rev_j_activity(record: Json) -> Json:
    return _admin_actor_id_only(_without_nulls(record))


def _rev_j_chat(record: Json) -> Json:
    return _drop(record, "model", "href")


def _rev_j_message(message: Json) -> Json:
    if not isinstance(message, dict):
        return message
    _drop(message, "generated_files")
    if isinstance(message.get("files"), list):
        message["files"] = [_keep(f, "id", "filename", "mime_type") for f in message["files"]]
    if isinstance(message.get("content"), list):
        message["content"] = [
            _keep(block, "type", "text")
            if isinstance(block, dict) and block.get("type") == "text"
            else block
            for block in message["content"]
        ]
    return message


def _rev_j_chat_body(body: Json) -> Json:
    _rev_j_chat(body)
    if isinstance(body.get("chat_messages"), list):
        body["chat_messages"] = [_rev_j_message(m) for m in body["chat_messages"]]
    if body.get("has_more") is False:
        _drop(body, "has_more", "first_id", "last_id")
    return body


def _rev_j_project(record: Json) -> Json:
    return _drop(record, "deleted_at", "organization_uuid")


def _rev_j_attachment(record: Json) -> Json:
    if isinstance(record, dict) and record.get("type") == "project_file":
        _drop(record, "md5", "size_bytes")
    return record


def _rev_j_organizations(body: Json) -> Json:
    return {"data": body["data"]} if not body.get("has_more") else body


# -- plumbing ------------------------------------------------------------------------------------


def _each(transform: Transform) -> Transform:
    """A page transform applying ``transform`` to every record of ``data``."""

    def page(body: Json) -> Json:
        if isinstance(body.get("data"), list):
            body["data"] = [transform(record) for record in body["data"]]
        return body

    return page


_SPARSE: dict[str, Transform] = {
    "/activities": _each(_sparse_activity),
    "/apps/chats": _each(_sparse_deprecated),
    "/apps/chats/{claude_chat_id}/messages": _sparse_deprecated,
    "/apps/projects": _each(_sparse_deprecated),
    "/apps/projects/{project_id}": _sparse_deprecated,
    "/apps/sessions/local": _each(_sparse_local_session),
    "/apps/sessions/local/{local_session_id}": _sparse_local_session,
    "/apps/sessions/local/{local_session_id}/messages": _sparse_local_page,
}

_REV_J: dict[str, Transform] = {
    "/activities": _each(_rev_j_activity),
    "/apps/chats": _each(_rev_j_chat),
    "/apps/chats/{claude_chat_id}/messages": _rev_j_chat_body,
    "/apps/projects": _each(_rev_j_project),
    "/apps/projects/{project_id}": _rev_j_project,
    "/apps/projects/{project_id}/attachments": _each(_rev_j_attachment),
    "/organizations": _rev_j_organizations,
    "/organizations/{org_uuid}/users": _each(lambda r: _drop(r, "organization_role")),
    "/groups": _each(lambda r: _drop(r, "roles")),
    "/groups/{group_id}": lambda r: _drop(r, "roles"),
}

_DOWNLOADS = (
    "/apps/chats/files/{claude_file_id}/content",
    "/apps/chats/generated-files/{claude_gen_file_id}/content",
    "/apps/artifacts/{artifact_version_id}/content",
    "/apps/code/artifacts/{artifact_id}/versions/{version_id}",
)


def _plain_filename(reply: Reply) -> Reply:
    """Put the Rev J ``filename="…"`` before the extended ``filename*`` (printable ASCII only:
    quotes and backslashes escaped, anything else ``_``)."""
    disposition = reply.headers.get("content-disposition", "")
    prefix = "attachment; filename*=utf-8''"
    if not disposition.startswith(prefix):
        return reply
    name = unquote(disposition[len(prefix) :])
    plain = "".join(c if 32 <= ord(c) < 127 else "_" for c in name)
    plain = plain.replace("\\", "\\\\").replace('"', '\\"')
    extended = disposition.removeprefix("attachment; ")
    reply.headers["content-disposition"] = f'attachment; filename="{plain}"; {extended}'
    return reply


def reshape(shapes: RecordShapes, path: str, reply: Reply) -> Reply:
    """Render a successful reply of the endpoint at ``path`` (its template, without the
    ``/v1/compliance`` prefix) in the ``shapes`` mode."""
    if shapes == "current" or not 200 <= reply.status < 300:
        return reply
    if shapes == "rev-j" and path in _DOWNLOADS:
        return _plain_filename(reply)
    transform = (_SPARSE if shapes == "sparse" else _REV_J).get(path)
    if transform is None or reply.streamed:
        return reply
    body = transform(json.loads(reply.body))
    return Reply(reply.status, dumps(body).encode(), reply.headers, reply.streamed)
