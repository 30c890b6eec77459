"""Actor objects of the Activity Feed (spec section 7.1), one builder per ``actor.type``."""

from __future__ import annotations

import random
from typing import Any

from .content import IP_ADDRESSES, USER_AGENTS
from .timeutil import iso_z

Actor = dict[str, Any]

ACTOR_TYPES = (
    "user_actor",
    "api_actor",
    "unauthenticated_user_actor",
    "anthropic_actor",
    "scim_directory_sync_actor",
    "admin_api_key_actor",
    "system_actor",
    "service_account_actor",
    "federated_identity_actor",
    "federated_actor",
    "attested_device_actor",
)


def _calling_from(rng: random.Random, user_agent: str | None) -> dict[str, str | None]:
    """Where a non-browser client called from: a random address, and its own user agent."""
    return {"ip_address": rng.choice(IP_ADDRESSES), "user_agent": user_agent}


def user_actor(rng: random.Random, user_id: str, email: str) -> Actor:
    """A signed-in claude.ai / Console user."""
    return {
        "type": "user_actor",
        "email_address": email,
        "user_id": user_id,
        "ip_address": rng.choice(IP_ADDRESSES),
        "user_agent": rng.choice(USER_AGENTS[:3]),
    }


def api_actor(api_key_id: str, ip_address: str, user_agent: str) -> Actor:
    """A customer API key, including every Compliance API call."""
    return {
        "type": "api_actor",
        "api_key_id": api_key_id,
        "ip_address": ip_address,
        "user_agent": user_agent,
    }


def unauthenticated_user_actor(rng: random.Random, email: str | None) -> Actor:
    """Someone before sign-in completes."""
    return {
        "type": "unauthenticated_user_actor",
        "unauthenticated_email_address": email,
        "ip_address": rng.choice(IP_ADDRESSES),
        "user_agent": rng.choice(USER_AGENTS[:2]),
    }


def anthropic_actor() -> Actor:
    """Anthropic staff or Anthropic-side processing (email always null, as in Rev J)."""
    return {"type": "anthropic_actor", "email_address": None}


def scim_directory_sync_actor(rng: random.Random) -> Actor:
    """An identity-provider directory sync."""
    return {
        "type": "scim_directory_sync_actor",
        "workos_event_id": f"event_{rng.randrange(16**20):020x}",
        "directory_id": "directory_01HZX4QK3B8TQ0V6N9W2Y5R7SE",
        "idp_connection_type": rng.choice(("OktaSCIMV2", "AzureSCIMV2", None)),
    }


def admin_api_key_actor(rng: random.Random, admin_api_key_id: str) -> Actor:
    """An Admin API key operation."""
    return {
        "type": "admin_api_key_actor",
        "admin_api_key_id": admin_api_key_id,
        **_calling_from(rng, "anthropic-python/0.52.0"),
    }


def system_actor(service: str | None) -> Actor:
    """Automated Anthropic background processing."""
    return {"type": "system_actor", "service": service}


def service_account_actor(rng: random.Random, service_account_id: str) -> Actor:
    """A service account."""
    return {
        "type": "service_account_actor",
        "service_account_id": service_account_id,
        **_calling_from(rng, "terraform-provider-anthropic/1.2.0"),
    }


def federated_identity_actor(rng: random.Random) -> Actor:
    """A workload authenticated with a verified OIDC token."""
    return {
        "type": "federated_identity_actor",
        "issuer": "https://token.actions.githubusercontent.com",
        "subject": f"repo:acme/platform:ref:refs/heads/main#{rng.randrange(1000)}",
        "audience": ["https://api.anthropic.com"],
        **_calling_from(rng, None),
    }


def federated_actor(rng: random.Random) -> Actor:
    """An identity asserted by a cloud gateway or a customer federation issuer."""
    provider: dict[str, Any] = rng.choice(
        (
            {
                "type": "aws",
                "account_id": "123456789012",
                "signed_principal": "arn:aws:iam::123456789012:role/claude-gateway",
            },
            {"type": "azure", "subscription_id": "00000000-0000-4000-8000-000000000042"},
            {"type": "gcp", "project_number": "845123456789"},
            {"type": "oidc", "issuer": None},
        )
    )
    return {
        "type": "federated_actor",
        "provider": provider,
        "subject": f"svc-{rng.randrange(100)}",
        **_calling_from(rng, None),
    }


def attested_device_actor(rng: random.Random) -> Actor:
    """An Apple App Attest device."""
    return {
        "type": "attested_device_actor",
        "external_client_id": f"com.acme.claude-client.{rng.randrange(10)}",
        "kid_hash": f"{rng.randrange(16**32):032x}",
        **_calling_from(rng, "Claude/1.0 (iOS 18.1)"),
    }


def activity_record(
    activity_id: str,
    ts: int,
    org: tuple[str, str] | None,
    actor: Actor,
    activity_type: str,
    fields: dict[str, Any],
) -> dict[str, Any]:
    """An Activity Feed record: the common envelope (``org`` is the tagged id and the UUID),
    then the fields of its type."""
    return {
        "id": activity_id,
        "created_at": iso_z(ts),
        "organization_id": org[0] if org else None,
        "organization_uuid": org[1] if org else None,
        "actor": actor,
        "type": activity_type,
        **fields,
    }
