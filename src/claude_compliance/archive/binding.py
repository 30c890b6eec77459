"""An archive belongs to one parent organization, read from one API origin.

The first sync records both in the archive (``meta``); a later sync with a key of another
parent organization (its organizations share nothing with the archive's) or against another
API origin stops before it writes anything, so two tenants' data never mix in one archive.

Checking costs one listing of organizations, paid only when the key is not the one the archive
last saw: the archive keeps a salted SHA-256 of that key (never the key), so routine syncs with
the same key spend no request on it.
"""

from __future__ import annotations

import hashlib
import json
import secrets

from .._client import AsyncComplianceClient
from .._errors import PermissionDeniedError
from ..common.origin import api_origin
from .store import ArchiveStore

__all__ = ["ArchiveMismatchError", "bind_archive"]

ORIGIN_KEY = "api_origin"
ORGANIZATIONS_KEY = "organizations"
SALT_KEY = "key_fingerprint_salt"
FINGERPRINT_KEY = "key_fingerprint"


class ArchiveMismatchError(RuntimeError):
    """The archive holds another parent organization's data, or came from another API origin."""


async def _organizations(client: AsyncComplianceClient) -> set[str] | None:
    """The organizations the key sees; ``None`` for a key that cannot list them (Admin keys)."""
    try:
        return {org.uuid async for org in client.organizations.iter(limit=1000)}
    except PermissionDeniedError:
        return None


async def bind_archive(client: AsyncComplianceClient, store: ArchiveStore) -> None:
    """Record the archive's origin and organizations on first use; refuse a mismatch later.

    Raises:
        ArchiveMismatchError: Another origin, or organizations disjoint from the archive's.
    """
    origin = api_origin(client.base_url)
    recorded_origin = store.meta(ORIGIN_KEY)
    if recorded_origin is not None and recorded_origin != origin:
        raise ArchiveMismatchError(
            f"this archive was synced from {recorded_origin}, not {origin}; use another folder"
        )
    salt = store.meta(SALT_KEY) or secrets.token_hex(16)
    # The SDK's own client: the key stays inside the package, hashed, never stored.
    key = client._options.api_key.reveal()
    fingerprint = hashlib.sha256(f"{salt}:{key}".encode()).hexdigest()
    if recorded_origin == origin and store.meta(FINGERPRINT_KEY) == fingerprint:
        return  # the key this archive was checked with: same parent organization
    organizations = await _organizations(client)
    recorded = store.meta(ORGANIZATIONS_KEY)
    known: set[str] = set(json.loads(recorded)) if recorded else set()
    if known and organizations is not None and not known & organizations:
        raise ArchiveMismatchError(
            "this archive holds another parent organization's data (none of its "
            f"{len(known)} organizations is visible to this key); use another folder"
        )
    with store.transaction():
        store.set_meta(ORIGIN_KEY, origin)
        store.set_meta(SALT_KEY, salt)
        store.set_meta(FINGERPRINT_KEY, fingerprint)
        if organizations:
            store.set_meta(ORGANIZATIONS_KEY, json.dumps(sorted(known | organizations)))
