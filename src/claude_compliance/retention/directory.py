"""People and organisations as the archive knows them: emails to user ids, org ids to UUIDs.

Holds and retention rules name people by ``user_…`` id or email and organisations by ``org_…``
id or UUID. They are resolved against the archived directory (no API call), so a plan depends on
the archive alone; a name the archive does not know is an error, never a silent empty selection.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..archive.store import ArchiveStore

__all__ = ["Directory", "UnknownNameError"]


class UnknownNameError(ValueError):
    """A person, group or organisation the archive does not know."""


class Directory:
    """Lookups over one archive's directory records (users, groups, organisations)."""

    def __init__(self, store: ArchiveStore) -> None:
        self._users_by_email: dict[str, set[str]] = {}
        self._emails: dict[str, str] = {}
        for user_id, email in store.query(
            "SELECT json_extract(data, '$.id'), json_extract(data, '$.email') FROM records "
            "WHERE kind = 'user'"
        ):
            if isinstance(user_id, str) and isinstance(email, str):
                self._users_by_email.setdefault(email.casefold(), set()).add(user_id)
                self._emails[user_id] = email
        # Content records name their owner as {id, email_address}: known people even when the
        # directory scope was missing or the person has left.
        for user_id, email in store.query(
            "SELECT DISTINCT user_id, json_extract(data, '$.user.email_address') FROM records "
            "WHERE user_id IS NOT NULL AND kind IN ('chat', 'project', 'code_artifact')"
        ):
            if isinstance(user_id, str) and isinstance(email, str):
                self._users_by_email.setdefault(email.casefold(), set()).add(user_id)
                self._emails.setdefault(user_id, email)
        self._org_alias: dict[str, str] = {}
        for (uuid,) in store.query("SELECT key FROM records WHERE kind = 'organization'"):
            self._org_alias[str(uuid)] = str(uuid)
        for org_id, uuid in store.query(
            "SELECT DISTINCT json_extract(data, '$.organization_id'), "
            "json_extract(data, '$.organization_uuid') FROM records WHERE kind IN "
            "('chat', 'project') AND json_extract(data, '$.organization_id') IS NOT NULL"
        ):
            if isinstance(org_id, str) and isinstance(uuid, str):
                self._org_alias.setdefault(org_id, uuid)
                self._org_alias.setdefault(uuid, uuid)
        self._groups: dict[str, set[str]] = {}
        for group_id, user_id in store.query(
            "SELECT parent_key, id FROM records WHERE kind = 'group_member' AND gone_at IS NULL"
        ):
            self._groups.setdefault(str(group_id), set()).add(str(user_id))

    def users(self, names: Iterable[str]) -> set[str]:
        """User ids for ``user_…`` ids and email addresses.

        Raises:
            UnknownNameError: For an email address no archived record carries.
        """
        found: set[str] = set()
        for name in names:
            if "@" in name:
                ids = self._users_by_email.get(name.strip().casefold())
                if not ids:
                    raise UnknownNameError(f"no user with email {name!r} in the archive")
                found.update(ids)
            else:
                found.add(name.strip())
        return found

    def group_members(self, group_ids: Iterable[str]) -> set[str]:
        """The archived members of these groups.

        Raises:
            UnknownNameError: For a group the archive does not hold.
        """
        members: set[str] = set()
        for group_id in group_ids:
            if group_id not in self._groups:
                raise UnknownNameError(f"no group {group_id!r} (with members) in the archive")
            members |= self._groups[group_id]
        return members

    def organization(self, name: str) -> str:
        """The UUID for an ``org_…`` id or a UUID (a UUID the archive lacks passes through)."""
        return self._org_alias.get(name.strip(), name.strip())

    def email_of(self, user_id: str | None) -> str | None:
        """The email address archived for a user id, if any."""
        return None if user_id is None else self._emails.get(user_id)
