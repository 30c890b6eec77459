"""Archiving the Activity Feed, and learning from it what else changed.

Activities are read oldest first from the saved high-water mark minus an overlap window (the
feed ingests asynchronously, so an activity can appear behind the mark); ones already held are
skipped by id. Each page is stored with the advanced mark in one transaction.

New activities also say which chats, projects, files and documents changed — including hard
deletes made through the Compliance API, which leave no other trace a listing could show. Those
objects are flagged (in the same transaction) for the other areas to re-fetch.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ..common.served import KEPT_RAW
from .context import SyncContext
from .incremental import HighWaterMark
from .store import RAW_MARK, RecordRow, content_key

__all__ = ["change_hints", "directory_areas", "sync_activities"]

PAGE = 5000

_ID_FIELDS = {
    "claude_chat_id": "chat",
    "claude_project_id": "project",
    "claude_file_id": "file",
    "claude_project_document_id": "project_document",
}
# Reading something changes nothing.
_PASSIVE = ("_viewed", "_accessed", "_downloaded", "_exported", "_failed", "_truncated")
# Activity types that change the directory (organizations, settings, users, preferences, roles
# and permissions, groups and members), by prefix (spec 7.3: Accounts, API keys, Groups, Roles,
# Organization Settings, SCIM, SSO and directory sync, User Settings). Missing one only delays
# the change to the next sweep.
_DIRECTORY_PREFIXES = (
    "api_key_created",  # settings list the organization's Compliance API keys
    "scoped_api_key_",
    "role_assignment_",
    "org_",
    "organization_",
    "claude_organization_settings_",
    "claude_user_",
    "primary_owner_",
    "owned_projects_access_",
    "end_user_invite_",
)
_DIRECTORY_PASSIVE = ("_listed", "_viewed", "_exported", "_accessed", "_started", "_failed")
_DELETE_PATHS = [
    (re.compile(r"/v1/compliance/apps/chats/files/([^/?]+)$"), "file"),
    (re.compile(r"/v1/compliance/apps/projects/documents/([^/?]+)$"), "project_document"),
    (re.compile(r"/v1/compliance/apps/chats/([^/?]+)$"), "chat"),
    (re.compile(r"/v1/compliance/apps/projects/([^/?]+)$"), "project"),
]


def _deleted_by_api(activity: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    if activity.get("request_method") != "DELETE":
        return
    url = str(activity.get("url") or "")
    path = re.sub(r"^[a-z]+://[^/]+", "", url).split("?", 1)[0]
    for pattern, kind in _DELETE_PATHS:
        match = pattern.search(path)
        if match:
            yield kind, match.group(1)
            return


def _touches_project(activity_type: str, activity: Mapping[str, Any]) -> bool:
    """Whether an activity naming a project changed the project itself.

    Chat activities carry the chat's project too; a chat updated inside a project changes the
    chat only. A chat created in (or deleted from) it changes the project's ``chats_count``, and
    a file uploaded to the project (no chat named) its attachments.
    """
    if activity_type.startswith("claude_project_"):
        return True
    if activity_type in ("claude_chat_created", "claude_chat_deleted"):
        return True
    return activity_type.startswith("claude_file_") and not activity.get("claude_chat_id")


def directory_areas(activity_type: str) -> tuple[str, ...]:
    """The directory areas an activity type changes: ``organizations`` (organizations,
    settings, users, preferences, roles and permissions) and/or ``groups`` (groups, members)."""
    if activity_type.endswith(_DIRECTORY_PASSIVE):
        return ()
    if activity_type.startswith("group_"):
        return ("groups",)
    if activity_type.startswith(("rbac_", "scim_", "account_deleted")):
        return ("organizations", "groups")  # roles of groups, members of groups
    if activity_type.startswith(_DIRECTORY_PREFIXES):
        return ("organizations",)
    return ()


def change_hints(activities: Iterable[Any]) -> set[tuple[str, str, str]]:
    """``(kind, key, reason)`` of objects these activities say were created, changed or deleted.

    Directory changes are flagged per area as ``("directory", area, reason)``.
    """
    hints: set[tuple[str, str, str]] = set()
    for activity in activities:
        if not isinstance(activity, Mapping):
            continue  # kept raw: it names nothing
        activity_type = str(activity.get("type") or "")
        reason = f"{activity_type} {activity.get('id')}"
        if activity_type == "compliance_api_accessed":
            hints.update((kind, key, reason) for kind, key in _deleted_by_api(activity))
            continue
        if activity_type.endswith(_PASSIVE):
            continue
        hints.update(("directory", area, reason) for area in directory_areas(activity_type))
        for field, kind in _ID_FIELDS.items():
            value = activity.get(field)
            if kind == "project" and not _touches_project(activity_type, activity):
                continue
            if isinstance(value, str) and value:
                hints.add((kind, value, reason))
    return hints


async def sync_activities(ctx: SyncContext) -> None:
    """Archive new activities, page by page, each page with its checkpoint."""
    high_water = HighWaterMark(ctx, "activities", field="created_at")
    filters: dict[str, Any] = {"order": "asc", "limit": PAGE}
    if ctx.options.exclude_types:
        filters["exclude_activity_types"] = list(ctx.options.exclude_types)
    if high_water.value:
        filters["created_at_gte"] = high_water.since()
    after: str | None = None
    while True:
        page = await ctx.call(ctx.client.activities.list, after_id=after, **filters)
        # Every activity as served: the ones the model read, and the ones it set aside.
        records = [activity.to_dict() for activity in page.data] + page.unreadable
        raw_keys = [content_key(None, r, mark=RAW_MARK) for r in page.unreadable]
        keys = [str(activity.id) for activity in page.data] + raw_keys
        held = ctx.store.existing_keys("activity", keys)
        fresh = [(key, r) for key, r in zip(keys, records, strict=True) if key not in held]
        high_water.advance(page.data)
        with ctx.store.transaction():
            ctx.store.insert_new(RecordRow("activity", key, r) for key, r in fresh)
            ctx.store.mark_dirty(sorted(change_hints(r for _, r in fresh)))
            high_water.save()
        fresh_readable = sum(1 for key, _ in fresh if key not in set(raw_keys))
        ctx.stats.count("activity", "new", fresh_readable)
        ctx.stats.count("activity", "unchanged", len(page.data) - fresh_readable)
        ctx.stats.count("activity", KEPT_RAW, len(raw_keys))
        ctx.progress.advance("activities", len(records))
        if not page.has_more or not records or not page.last_id:
            return
        after = page.last_id
