"""Models of the Artifacts resource group (versioned documents the assistant wrote in chats)."""

from __future__ import annotations

import dataclasses

from .._models import Model

__all__ = ["ArtifactMetadata"]


@dataclasses.dataclass(kw_only=True)
class ArtifactMetadata(Model):
    """Metadata of one version of a chat artifact.

    Attributes:
        id: Artifact ID (``claude_artifact_…``), stable across versions.
        version_id: This version's ID (``claude_artifact_version_…``).
        claude_chat_id: The chat the artifact belongs to.
        created_at: RFC 3339 creation time of this version.
        md5: Lower-hex MD5 of the version's UTF-8 text.
        size_bytes: Size of the version's UTF-8 text in bytes.
        title: Title, or ``None``.
        artifact_type: MIME-like type such as ``"text/markdown"``, or ``None``.
        extra: Any additional fields the API adds in a later revision.
    """

    id: str
    version_id: str | None = None
    claude_chat_id: str | None = None
    created_at: str | None = None
    md5: str | None = None
    size_bytes: int | None = None
    title: str | None = None
    artifact_type: str | None = None
