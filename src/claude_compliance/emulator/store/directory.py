"""Organizations, users and memberships, roles, settings and groups."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from .database import Database

__all__ = ["DirectoryTables", "MemberRow"]

MemberRow = tuple[str, str, str, str]
"""A current member: user id, email, organization UUID, tagged organization id."""

_ORGS = "SELECT data FROM orgs ORDER BY ts, seq"
_USERS = "SELECT data FROM memberships WHERE org_uuid = ? ORDER BY joined_ts, user_id"
_PREFERENCES = "SELECT preferences FROM memberships WHERE org_uuid = ? ORDER BY joined_ts, user_id"
_ROLES = "SELECT data FROM roles WHERE org_uuid = ? ORDER BY seq, id"
_PERMISSIONS = "SELECT data FROM role_permissions WHERE role_id = ? ORDER BY seq"
_GROUPS = "SELECT data FROM groups ORDER BY seq"
_GROUP_MEMBERS = "SELECT data FROM group_members WHERE group_id = ? ORDER BY seq"
_MEMBERS = (
    "SELECT m.user_id, u.email, m.org_uuid, o.tagged_id FROM memberships m"
    " JOIN users u ON u.id = m.user_id JOIN orgs o ON o.uuid = m.org_uuid"
)


class DirectoryTables(Database):
    """Reads of the directory (the world generator writes it in bulk)."""

    def org_exists(self, org_uuid: str) -> bool:
        return self.scalar("SELECT 1 FROM orgs WHERE uuid = ?", (org_uuid,)) is not None

    def org_uuids(self, values: Sequence[str]) -> list[str]:
        """Map ``organization_ids[]`` values (``org_…`` or UUID) to UUIDs (unknown: no match)."""
        result = []
        for value in values:
            if value.startswith("org_"):
                found = self.scalar("SELECT uuid FROM orgs WHERE tagged_id = ?", (value,))
                result.append(str(found) if found else value)
            else:
                result.append(value.lower())
        return result

    def organizations_page(self, limit: int, offset: int) -> list[str]:
        return self._page(_ORGS, (), limit, offset)

    def users_page(self, org_uuid: str, limit: int, offset: int) -> list[str]:
        return self._page(_USERS, (org_uuid,), limit, offset)

    def preferences_page(self, org_uuid: str, limit: int, offset: int) -> list[str]:
        return self._page(_PREFERENCES, (org_uuid,), limit, offset)

    def role(self, org_uuid: str, role_id: str) -> str | None:
        sql = "SELECT data FROM roles WHERE id = ? AND org_uuid = ?"
        return self.text(sql, (role_id, org_uuid))

    def roles_page(self, org_uuid: str, limit: int, offset: int) -> list[str]:
        return self._page(_ROLES, (org_uuid,), limit, offset)

    def permissions_page(self, role_id: str, limit: int, offset: int) -> list[str]:
        return self._page(_PERMISSIONS, (role_id,), limit, offset)

    def settings(self, org_uuid: str) -> str | None:
        return self.text("SELECT data FROM org_settings WHERE org_uuid = ?", (org_uuid,))

    def groups_page(self, name_prefix: str | None, limit: int, offset: int) -> list[str]:
        if name_prefix is None:
            return self._page(_GROUPS, (), limit, offset)
        sql = "SELECT data FROM groups WHERE substr(name, 1, ?) = ? ORDER BY seq"
        return self._page(sql, (len(name_prefix), name_prefix), limit, offset)

    def group(self, group_id: str) -> str | None:
        return self.text("SELECT data FROM groups WHERE id = ?", (group_id,))

    def group_members_page(self, group_id: str, limit: int, offset: int) -> list[str]:
        return self._page(_GROUP_MEMBERS, (group_id,), limit, offset)

    def member(self, user_id: str) -> MemberRow | None:
        """The user's earliest membership, if the user is a current member."""
        row = self.one(_MEMBERS + " WHERE m.user_id = ? ORDER BY m.joined_ts LIMIT 1", (user_id,))
        return None if row is None else (str(row[0]), str(row[1]), str(row[2]), str(row[3]))

    def members(self) -> list[MemberRow]:
        """Every membership, in a stable order."""
        rows = self.query(_MEMBERS + " ORDER BY m.user_id, m.org_uuid")
        return [(str(a), str(b), str(c), str(d)) for a, b, c, d in rows]

    # -- inspection (tests check what clients got against these) ----------------------------

    def iter_organizations(self) -> Iterator[dict[str, Any]]:
        """Organizations as the organizations list serves them."""
        return self._records(_ORGS)

    def iter_users(self, org_uuid: str) -> Iterator[dict[str, Any]]:
        """Current members of one organization as the users list serves them."""
        return self._records(_USERS, (org_uuid,))

    def iter_user_preferences(self, org_uuid: str) -> Iterator[dict[str, Any]]:
        """Every current member's preferences in one organization (set or not)."""
        return self._records(_PREFERENCES, (org_uuid,))

    def iter_roles(self, org_uuid: str) -> Iterator[dict[str, Any]]:
        """RBAC roles of one organization."""
        return self._records(_ROLES, (org_uuid,))

    def role_permissions(self, role_id: str) -> list[dict[str, Any]]:
        """Permissions of one role."""
        return list(self._records(_PERMISSIONS, (role_id,)))

    def org_settings(self, org_uuid: str) -> dict[str, Any] | None:
        """Effective settings of one organization."""
        data = self.settings(org_uuid)
        return None if data is None else dict(json.loads(data))

    def iter_groups(self) -> Iterator[dict[str, Any]]:
        """Every group."""
        return self._records(_GROUPS)

    def group_members(self, group_id: str) -> list[dict[str, Any]]:
        """Members of one group."""
        return list(self._records(_GROUP_MEMBERS, (group_id,)))
