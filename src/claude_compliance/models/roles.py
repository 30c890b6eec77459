"""Models of the Roles resource group: RBAC roles of an organization and their permissions."""

from __future__ import annotations

import dataclasses

from .._models import Model

__all__ = ["Role", "RolePermission"]


@dataclasses.dataclass(kw_only=True)
class Role(Model):
    """An RBAC role of an organization.

    Attributes:
        id: Role ID (``rbac_role_…``).
        name: Display name.
        description: Description (may be empty).
        created_at: ISO 8601 creation time (often without a zone), or ``None``.
        updated_at: ISO 8601 last-update time, or ``None``.
        extra: Any additional fields the API adds in a later revision.
    """

    id: str
    name: str | None = None
    description: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


@dataclasses.dataclass(kw_only=True)
class RolePermission(Model):
    """One permission a role grants.

    Attributes:
        action: What is allowed, e.g. ``"claude_code"``.
        resource_id: The resource it applies to (e.g. an organization UUID).
        resource_type: The kind of resource, e.g. ``"organization"``.
        extra: Any additional fields the API adds in a later revision.
    """

    action: str | None = None
    resource_id: str | None = None
    resource_type: str | None = None
