"""Models of the Code Artifacts resource group (hosted sites published via Claude Code)."""

from __future__ import annotations

import dataclasses

from .._models import Model
from .common import UserReference

__all__ = ["CodeArtifact", "CodeArtifactVersion"]


@dataclasses.dataclass(kw_only=True)
class CodeArtifactVersion(Model):
    """One retained version of a code artifact (about the 20 most recent are kept).

    Attributes:
        id: Version ID (opaque, e.g. ``"1741803761-9f3a"``).
        name: Title (falls back to the ID).
        created_at: RFC 3339 creation time, or ``None``.
        extra: Any additional fields the API adds in a later revision.
    """

    id: str
    name: str | None = None
    created_at: str | None = None


@dataclasses.dataclass(kw_only=True)
class CodeArtifact(Model):
    """A site published via Claude Code.

    Attributes:
        id: Artifact ID (``cart_…``).
        organization_uuid: The child organization's bare UUID.
        read_mode: Who can read it: ``"owner"``, ``"users"``, ``"org"`` or ``"public"``.
        versions: The retained versions, newest first; a listed version can later 404.
        owner_user_id: The owner's user ID, or ``None`` when an agent session published it.
        user: The owner, or ``None``.
        published_version_id: The version currently published, or ``None``.
        updated_at: RFC 3339 last-update time, or ``None`` for artifacts published before the
            field existed.
        extra: Any additional fields the API adds in a later revision.
    """

    id: str
    organization_uuid: str | None = None
    read_mode: str | None = None
    versions: list[CodeArtifactVersion] | None = None
    owner_user_id: str | None = None
    user: UserReference | None = None
    published_version_id: str | None = None
    updated_at: str | None = None
