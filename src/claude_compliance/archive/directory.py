"""Archiving the directories in full: organizations, settings, users, preferences, roles and
permissions, groups and members.

Each listing is read completely and stored in one transaction together with the marks for
whatever it no longer contains, so a listing is either wholly applied or not at all.

The directory is read again only when it may have changed: when the Activity Feed shows a
change to it (a user joining, a group edited, a setting changed: see
:func:`~claude_compliance.archive.feed.directory_areas`), or when its sweep is due (see
:mod:`.sweeps`), which also catches what the feed does not show. A run with nothing new spends
no request on it. Its two areas — ``organizations`` (with settings, users, preferences, roles)
and ``groups`` (with members) — are decided separately; the feed's flag is cleared only once
the whole area has been read.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from .context import SyncContext
from .store import RecordRow, content_key

__all__ = ["save_listing", "sync_groups", "sync_organizations"]

ORG_CHILD_KINDS = ("organization_settings", "user", "user_preferences", "role")
PAGE = 1000
PREFERENCES_PAGE = 100


def _needs_reading(ctx: SyncContext, area: str) -> bool:
    """Whether the feed flagged ``area`` or its sweep is due (logged with ``-v``)."""
    if ctx.store.is_dirty("directory", area):
        ctx.why("changed (feed)", area)
        return True
    if ctx.sweeps.due(area):
        ctx.why("sweep", area)
        return True
    return False


def _read(ctx: SyncContext, area: str) -> None:
    """The whole area was read: its flag is served and its sweep done."""
    with ctx.store.transaction():
        ctx.store.clear_dirty("directory", area)
    ctx.sweeps.done(area)


def save_listing(
    ctx: SyncContext, kind: str, rows: Iterable[RecordRow], *, parent_key: str | None = None
) -> None:
    """Store a complete listing and mark what it no longer contains as gone.

    Args:
        ctx: The run.
        kind: The records' kind.
        rows: Every record the listing returned.
        parent_key: The listing's scope (an organization's users); ``None`` for top-level
            listings, which cover every record of the kind.
    """
    rows = list(rows)
    with ctx.store.transaction():
        for row in rows:
            ctx.stats.count(kind, ctx.store.upsert(row).outcome)
        gone = ctx.store.mark_missing(
            kind, {row.key for row in rows}, parent_key=parent_key, scoped=parent_key is not None
        )
    ctx.stats.count(kind, "gone", gone)


async def sync_organizations(ctx: SyncContext) -> None:
    """Organizations, then for each: settings, users, preferences, roles and permissions."""
    if not _needs_reading(ctx, "organizations"):
        return
    errors = len(ctx.stats.errors)
    organizations = await ctx.collect(
        lambda: ctx.client.organizations.iter(limit=PAGE), kind="organization"
    )
    rows = [
        RecordRow("organization", org.uuid, org.to_dict(), id=org.uuid) for org in organizations
    ]
    vanished = sorted(ctx.store.live_keys("organization") - {row.key for row in rows})
    save_listing(ctx, "organization", rows)
    if vanished:
        with ctx.store.transaction():
            for kind in ORG_CHILD_KINDS:
                ctx.stats.count(kind, "gone", ctx.store.mark_gone_under(kind, vanished))
    ctx.progress.add("organizations", len(organizations))
    ctx.progress.listed("organizations")
    await asyncio.gather(*(_organization(ctx, org.uuid) for org in organizations))
    if len(ctx.stats.errors) == errors and not _skipped_any(ctx, _ORG_AREAS):
        _read(ctx, "organizations")


_ORG_AREAS = ("organization settings", "users", "user preferences", "roles")


def _skipped_any(ctx: SyncContext, areas: tuple[str, ...]) -> bool:
    return any(area in ctx.stats.skipped for area in areas)


async def _organization(ctx: SyncContext, uuid: str) -> None:
    await asyncio.gather(
        ctx.area("organization settings", _settings(ctx, uuid)),
        ctx.area("users", _users(ctx, uuid)),
        ctx.area("user preferences", _preferences(ctx, uuid)),
        ctx.area("roles", _roles(ctx, uuid)),
    )
    ctx.progress.advance("organizations")


async def _settings(ctx: SyncContext, uuid: str) -> None:
    settings = await ctx.call(ctx.client.organizations.get_settings, uuid)
    row = RecordRow("organization_settings", uuid, settings.to_dict(), parent_key=uuid, id=uuid)
    save_listing(ctx, "organization_settings", [row], parent_key=uuid)


async def _users(ctx: SyncContext, uuid: str) -> None:
    users = await ctx.collect(
        lambda: ctx.client.organizations.iter_users(uuid, limit=PAGE), kind="user", parent_key=uuid
    )
    rows = [RecordRow("user", f"{uuid}/{u.id}", u.to_dict(), parent_key=uuid) for u in users]
    save_listing(ctx, "user", rows, parent_key=uuid)


async def _preferences(ctx: SyncContext, uuid: str) -> None:
    listing = await ctx.collect(
        lambda: ctx.client.organizations.iter_user_preferences(
            uuid, include_unset=True, limit=PREFERENCES_PAGE
        ),
        kind="user_preferences",
        parent_key=uuid,
    )
    rows = []
    for preference in listing:
        record = preference.to_dict()
        user_id = record.get("user_id")
        key = f"{uuid}/{user_id}" if isinstance(user_id, str) else content_key(uuid, record)
        rows.append(RecordRow("user_preferences", key, record, parent_key=uuid, id=user_id))
    save_listing(ctx, "user_preferences", rows, parent_key=uuid)


async def _roles(ctx: SyncContext, uuid: str) -> None:
    roles = await ctx.collect(
        lambda: ctx.client.roles.iter(uuid, limit=PAGE), kind="role", parent_key=uuid
    )
    rows = [RecordRow("role", f"{uuid}/{r.id}", r.to_dict(), parent_key=uuid) for r in roles]
    vanished = sorted(
        ctx.store.live_keys("role", parent_key=uuid, scoped=True) - {row.key for row in rows}
    )
    save_listing(ctx, "role", rows, parent_key=uuid)
    if vanished:
        with ctx.store.transaction():
            gone = ctx.store.mark_gone_under("role_permission", vanished)
        ctx.stats.count("role_permission", "gone", gone)
    await asyncio.gather(*(_permissions(ctx, uuid, role.id) for role in roles))


async def _permissions(ctx: SyncContext, uuid: str, role_id: str) -> None:
    role_key = f"{uuid}/{role_id}"
    permissions = await ctx.collect(
        lambda: ctx.client.roles.iter_permissions(uuid, role_id, limit=PAGE),
        kind="role_permission",
        parent_key=role_key,
    )
    rows = [
        RecordRow(
            "role_permission", content_key(role_key, p.to_dict()), p.to_dict(), parent_key=role_key
        )
        for p in permissions
    ]
    save_listing(ctx, "role_permission", rows, parent_key=role_key)


async def sync_groups(ctx: SyncContext) -> None:
    """Groups, and the members of each."""
    if not _needs_reading(ctx, "groups"):
        return
    errors = len(ctx.stats.errors)
    groups = await ctx.collect(lambda: ctx.client.groups.iter(limit=PAGE), kind="group")
    rows = [RecordRow("group", g.id, g.to_dict()) for g in groups]
    vanished = sorted(ctx.store.live_keys("group") - {row.key for row in rows})
    save_listing(ctx, "group", rows)
    if vanished:
        with ctx.store.transaction():
            gone = ctx.store.mark_gone_under("group_member", vanished)
        ctx.stats.count("group_member", "gone", gone)
    ctx.progress.add("groups", len(groups))
    ctx.progress.listed("groups")
    await asyncio.gather(*(ctx.area("group members", _members(ctx, g.id)) for g in groups))
    if len(ctx.stats.errors) == errors and not _skipped_any(ctx, ("group members",)):
        _read(ctx, "groups")


async def _members(ctx: SyncContext, group_id: str) -> None:
    members = await ctx.collect(
        lambda: ctx.client.groups.iter_members(group_id, limit=PAGE),
        kind="group_member",
        parent_key=group_id,
    )
    rows = [
        RecordRow(
            "group_member",
            f"{group_id}/{m.user_id}",
            m.to_dict(),
            parent_key=group_id,
            id=m.user_id,
        )
        for m in members
    ]
    save_listing(ctx, "group_member", rows, parent_key=group_id)
    ctx.progress.advance("groups")
