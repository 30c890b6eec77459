"""Models of the Activity Feed: one [`Activity`][claude_compliance.Activity] per event, with a
typed [`Actor`][claude_compliance.Actor].

An activity carries six common fields (typed here) and the fields of its ``type`` (over five
hundred types, each with its own fields; they stay in ``Activity.extra``, untouched). The
actor is a union discriminated by ``actor.type``: one class per actor type of the spec, and an
actor of a type this SDK does not know yet parses as the base [`Actor`][claude_compliance.Actor].
"""

from __future__ import annotations

import dataclasses
from typing import Any

from .._models import Model, UnionModel

__all__ = [
    "Activity",
    "Actor",
    "AdminApiKeyActor",
    "AnthropicActor",
    "ApiActor",
    "AttestedDeviceActor",
    "FederatedActor",
    "FederatedIdentityActor",
    "ScimDirectorySyncActor",
    "ServiceAccountActor",
    "SystemActor",
    "UnauthenticatedUserActor",
    "UserActor",
]


@dataclasses.dataclass(kw_only=True)
class Actor(UnionModel):
    """Who performed an activity, discriminated by ``type``.

    Each known actor type parses into its own subclass ([`UserActor`][claude_compliance.UserActor],
    [`ApiActor`][claude_compliance.ApiActor],
    …); an actor of a type this SDK does not know parses as a plain ``Actor`` with its fields in
    ``extra``.

    Attributes:
        type: The actor type, e.g. ``"user_actor"`` or ``"api_actor"``.
        extra: Fields this SDK does not model, kept as sent.
    """

    type: str


@dataclasses.dataclass(kw_only=True)
class UserActor(Actor, discriminator="user_actor"):
    """A signed-in claude.ai or Console user (``type == "user_actor"``).

    Attributes:
        email_address: The user's email address.
        user_id: The user's ID (``user_…``).
        ip_address: Client IP address.
        user_agent: Client user agent.
    """

    email_address: str | None = None
    user_id: str | None = None
    ip_address: str | None = None
    user_agent: str | None = None


@dataclasses.dataclass(kw_only=True)
class ApiActor(Actor, discriminator="api_actor"):
    """A customer API key, including every Compliance API call (``type == "api_actor"``).

    Attributes:
        api_key_id: ID of the key used (``apikey_…``).
        ip_address: Client IP address.
        user_agent: Client user agent.
    """

    api_key_id: str | None = None
    ip_address: str | None = None
    user_agent: str | None = None


@dataclasses.dataclass(kw_only=True)
class UnauthenticatedUserActor(Actor, discriminator="unauthenticated_user_actor"):
    """Someone acting before sign-in completed (``type == "unauthenticated_user_actor"``).

    Attributes:
        unauthenticated_email_address: The email address given, when known.
        ip_address: Client IP address.
        user_agent: Client user agent.
    """

    ip_address: str | None = None
    user_agent: str | None = None
    unauthenticated_email_address: str | None = None


@dataclasses.dataclass(kw_only=True)
class AnthropicActor(Actor, discriminator="anthropic_actor"):
    """Anthropic staff or Anthropic-side processing (``type == "anthropic_actor"``).

    Attributes:
        email_address: Usually ``None``.
    """

    email_address: str | None = None


@dataclasses.dataclass(kw_only=True)
class ScimDirectorySyncActor(Actor, discriminator="scim_directory_sync_actor"):
    """An identity-provider directory sync (``type == "scim_directory_sync_actor"``).

    Attributes:
        workos_event_id: The directory-sync event ID.
        directory_id: The synced directory's ID.
        idp_connection_type: The IdP connection, e.g. ``"OktaSCIMV2"``, when known.
    """

    workos_event_id: str | None = None
    directory_id: str | None = None
    idp_connection_type: str | None = None


@dataclasses.dataclass(kw_only=True)
class AdminApiKeyActor(Actor, discriminator="admin_api_key_actor"):
    """An Admin API key operation (``type == "admin_api_key_actor"``).

    Attributes:
        admin_api_key_id: ID of the Admin API key used.
        ip_address: Client IP address.
        user_agent: Client user agent.
    """

    admin_api_key_id: str | None = None
    ip_address: str | None = None
    user_agent: str | None = None


@dataclasses.dataclass(kw_only=True)
class SystemActor(Actor, discriminator="system_actor"):
    """Automated Anthropic background processing (``type == "system_actor"``).

    Attributes:
        service: Name of the background service, when given.
    """

    service: str | None = None


@dataclasses.dataclass(kw_only=True)
class ServiceAccountActor(Actor, discriminator="service_account_actor"):
    """A service account (``type == "service_account_actor"``).

    Attributes:
        service_account_id: The service account's ID.
        ip_address: Client IP address.
        user_agent: Client user agent.
    """

    service_account_id: str | None = None
    ip_address: str | None = None
    user_agent: str | None = None


@dataclasses.dataclass(kw_only=True)
class FederatedIdentityActor(Actor, discriminator="federated_identity_actor"):
    """A workload authenticated with a verified OIDC token (``"federated_identity_actor"``).

    Attributes:
        issuer: The token issuer.
        subject: The token subject.
        audience: The token audiences, when given.
        ip_address: Client IP address, when recorded.
        user_agent: Client user agent, when recorded.
    """

    issuer: str | None = None
    subject: str | None = None
    audience: list[str] | None = None
    ip_address: str | None = None
    user_agent: str | None = None


@dataclasses.dataclass(kw_only=True)
class FederatedActor(Actor, discriminator="federated_actor"):
    """An identity asserted by a cloud gateway or a federation issuer (``"federated_actor"``).

    Attributes:
        provider: The asserting provider, discriminated by its ``type``: ``aws``
            (``account_id``, ``signed_principal``), ``azure`` (``subscription_id``), ``gcp``
            (``project_number``) or ``oidc`` (``issuer``). Kept as a raw dict.
        subject: The asserted subject, when given.
        ip_address: Client IP address, when recorded.
        user_agent: Client user agent, when recorded.
    """

    provider: dict[str, Any] | None = None
    subject: str | None = None
    ip_address: str | None = None
    user_agent: str | None = None


@dataclasses.dataclass(kw_only=True)
class AttestedDeviceActor(Actor, discriminator="attested_device_actor"):
    """An Apple App Attest device (``type == "attested_device_actor"``).

    Attributes:
        external_client_id: The client application's ID.
        kid_hash: Hash of the attested key ID.
        ip_address: Client IP address, when recorded.
        user_agent: Client user agent, when recorded.
    """

    external_client_id: str | None = None
    kid_hash: str | None = None
    ip_address: str | None = None
    user_agent: str | None = None


@dataclasses.dataclass(kw_only=True)
class Activity(Model):
    """One event of the Activity Feed.

    The common fields are typed; the fields specific to the activity's ``type`` (for example
    ``claude_chat_id`` on ``claude_chat_created``) are kept in ``extra`` exactly as sent, so
    ``Activity.from_dict(d).to_dict() == d``.

    Attributes:
        id: Activity ID (``activity_…``); the feed is at-least-once, so dedupe on it.
        created_at: RFC 3339 time of the event.
        type: The activity type, e.g. ``"claude_chat_created"``.
        actor: Who did it (a subclass of [`Actor`][claude_compliance.Actor] per actor type).
        organization_id: Tagged organization ID (``org_…``), or ``None`` for events not tied
            to an organization (sign-ins, Compliance API calls).
        organization_uuid: The same organization as a bare UUID, or ``None``.
        extra: The type-specific fields.
    """

    id: str
    created_at: str | None = None
    type: str | None = None
    actor: Actor | None = None
    organization_id: str | None = None
    organization_uuid: str | None = None
