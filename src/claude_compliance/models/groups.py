"""Models of the Groups resource group: groups of users and their members."""

from __future__ import annotations

import dataclasses

from .._models import Model

__all__ = ["Group", "GroupMember"]


@dataclasses.dataclass(kw_only=True)
class Group(Model):
    """A group of users, created in claude.ai or synced from an identity provider.

    Attributes:
        id: Group ID (``rbac_group_…``).
        name: Display name.
        description: Description (may be empty).
        source_type: ``"direct"`` (created in claude.ai) or ``"scim"`` (IdP-synced).
        roles: IDs of the RBAC roles the group holds (``rbac_role_…``), or ``None``.
        created_at: ISO 8601 creation time (often without a zone), or ``None``.
        updated_at: ISO 8601 last-update time, or ``None``.
        extra: Any additional fields the API adds in a later revision.
    """

    id: str
    name: str | None = None
    description: str | None = None
    source_type: str | None = None
    roles: list[str] | None = None
    created_at: str | None = None
    updated_at: str | None = None


@dataclasses.dataclass(kw_only=True)
class GroupMember(Model):
    """A member of a group.

    Attributes:
        user_id: The member's user ID (``user_…``).
        email: The member's email address.
        created_at: ISO 8601 time the membership began, or ``None``.
        updated_at: ISO 8601 last-update time, or ``None``.
        extra: Any additional fields the API adds in a later revision.
    """

    user_id: str
    email: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
