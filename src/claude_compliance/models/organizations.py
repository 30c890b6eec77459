"""Models of the Organizations resource group: organizations, members, preferences, settings."""

from __future__ import annotations

import dataclasses
from typing import Any

from .._models import Model, UnionModel

__all__ = [
    "BooleanSetting",
    "ComplianceApiKey",
    "DataRetentionSetting",
    "IntegerSetting",
    "Organization",
    "OrganizationSetting",
    "OrganizationSettings",
    "OrganizationUser",
    "ProvisioningModeSetting",
    "StringListSetting",
    "StringSetting",
    "UserPreferences",
]


@dataclasses.dataclass(kw_only=True)
class Organization(Model):
    """An organization under the key's parent organization.

    Attributes:
        uuid: The organization's bare UUID (what org-scoped paths take).
        name: Display name.
        created_at: RFC 3339 creation time.
        extra: Any additional fields the API adds in a later revision.
    """

    uuid: str
    name: str | None = None
    created_at: str | None = None


@dataclasses.dataclass(kw_only=True)
class OrganizationUser(Model):
    """A current member of an organization.

    Attributes:
        id: User ID (``user_…``).
        created_at: RFC 3339 time the *account* was created (not when it joined).
        email: Email address.
        full_name: Full name.
        organization_role: Built-in organization role: ``admin``, ``billing``,
            ``claude_code_user``, ``developer``, ``managed``, ``membership_admin``, ``owner``,
            ``primary_owner`` or ``user`` (new values pass through).
        extra: Any additional fields the API adds in a later revision.
    """

    id: str
    created_at: str | None = None
    email: str | None = None
    full_name: str | None = None
    # Added to the API after Rev J: optional so that records from older servers still parse.
    organization_role: str | None = None


@dataclasses.dataclass(kw_only=True)
class UserPreferences(Model):
    """A member's personal preferences: "Instructions for Claude" and Cowork instructions.

    The API reference does not name these fields; the names below are those the service is
    understood to send, all optional, and whatever else arrives is kept in ``extra``.

    Attributes:
        user_id: The member's user ID (``user_…``).
        email: The member's email address.
        conversation_preferences: Account-level "Instructions for Claude", or ``None`` if unset.
        cowork_global_instructions: Cowork "Global instructions", or ``None`` if unset.
        extra: Any other fields, kept as sent.
    """

    user_id: str | None = None
    email: str | None = None
    conversation_preferences: str | None = None
    cowork_global_instructions: str | None = None


@dataclasses.dataclass(kw_only=True)
class ComplianceApiKey(Model):
    """A Compliance API key on the organization hierarchy (never its secret).

    Attributes:
        id: Key ID.
        name: Display name.
        scopes: Scopes granted to the key.
        is_active: False once the key is deactivated.
        created_at: RFC 3339 creation time.
        created_by_id: ID of the user who created it, or ``None``.
        type: ``"compliance_api_key"`` when sent.
        expires_at: RFC 3339 expiry, or ``None`` (keys do not expire by default).
        extra: Any additional fields the API adds in a later revision.
    """

    id: str
    name: str | None = None
    scopes: list[str] | None = None
    is_active: bool | None = None
    created_at: str | None = None
    created_by_id: str | None = None
    type: str | None = None
    expires_at: str | None = None


@dataclasses.dataclass(kw_only=True)
class OrganizationSetting(UnionModel):
    """One effective organization setting, discriminated by ``type``.

    Known variants: [`BooleanSetting`][claude_compliance.BooleanSetting],
    [`IntegerSetting`][claude_compliance.IntegerSetting],
    [`StringSetting`][claude_compliance.StringSetting],
    [`StringListSetting`][claude_compliance.StringListSetting],
    [`ProvisioningModeSetting`][claude_compliance.ProvisioningModeSetting] and
    [`DataRetentionSetting`][claude_compliance.DataRetentionSetting]. A setting of an unknown type
    parses as this base class, its ``value`` (and anything else) kept in ``extra``.

    Attributes:
        type: The value's type, e.g. ``"boolean"``.
        name: The setting's name, e.g. ``"web_search_enabled"``.
        extra: Fields this SDK does not model, kept as sent.
    """

    type: str
    name: str | None = None


@dataclasses.dataclass(kw_only=True)
class BooleanSetting(OrganizationSetting, discriminator="boolean"):
    """An on/off setting (``type == "boolean"``).

    Attributes:
        value: Whether the setting is on.
    """

    value: bool | None = None


@dataclasses.dataclass(kw_only=True)
class IntegerSetting(OrganizationSetting, discriminator="integer"):
    """A numeric setting such as ``account_session_duration_seconds`` (``type == "integer"``).

    Attributes:
        value: The number, or ``None`` for no limit.
    """

    value: int | None = None


@dataclasses.dataclass(kw_only=True)
class StringSetting(OrganizationSetting, discriminator="string"):
    """A text setting (``type == "string"``).

    Attributes:
        value: The text, or ``None`` when unset.
    """

    value: str | None = None


@dataclasses.dataclass(kw_only=True)
class StringListSetting(OrganizationSetting, discriminator="string_list"):
    """A list-of-strings setting such as ``allowed_invite_domains`` (``"string_list"``).

    Attributes:
        value: The strings.
    """

    value: list[str] | None = None


@dataclasses.dataclass(kw_only=True)
class ProvisioningModeSetting(OrganizationSetting, discriminator="provisioning_mode"):
    """How accounts are provisioned (``type == "provisioning_mode"``).

    Attributes:
        value: ``"jit_advanced"``, ``"jit_permissive"``, ``"login_only"``, ``"scim_advanced"``
            or ``"scim_permissive"`` (new values pass through).
    """

    value: str | None = None


@dataclasses.dataclass(kw_only=True)
class DataRetentionSetting(OrganizationSetting, discriminator="data_retention"):
    """Data retention periods per data type (``type == "data_retention"``).

    Attributes:
        value: Map of data-type key (``all`` is exclusive) to a period:
            ``{"type": "fixed", "duration": n, "timescale": "day" | "month"}`` or
            ``{"type": "indefinite"}``. A missing key means no organization-level period.
    """

    value: dict[str, Any] | None = None


@dataclasses.dataclass(kw_only=True)
class OrganizationSettings(Model):
    """The effective settings of one organization, and the Compliance API keys on its hierarchy.

    Attributes:
        organization_id: The organization's bare UUID.
        api_keys: Compliance API keys, oldest first (deactivated ones included).
        settings: The effective settings, each name at most once.
        type: ``"effective_organization_settings"`` when sent.
        extra: Any additional fields the API adds in a later revision.
    """

    organization_id: str | None = None
    settings: list[OrganizationSetting] | None = None
    # Added 2026-07-01: optional so that settings from older servers still parse.
    api_keys: list[ComplianceApiKey] | None = None
    type: str | None = None
