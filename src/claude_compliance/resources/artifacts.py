"""Artifacts resource group: versioned documents the assistant wrote in chats.

* ``GET /v1/compliance/apps/artifacts/{artifact_version_id}`` — metadata of one version.
* ``GET /v1/compliance/apps/artifacts/{artifact_version_id}/content`` — its full text
  (``download``, ``download_stream``, ``download_to_file``).

Both take the *version* ID (``ArtifactReference.version_id``), not the stable artifact ID. There
is no list (find versions in ``ChatMessage.artifacts``) and no delete.
"""

from __future__ import annotations

import os
from typing import Unpack

from .._content import Content
from .._request import ByteStream, CallOptions, Download, JsonCall, SaveToFile, get_json
from .._resource import AsyncResource, Endpoint, SyncResource, walk
from ..models import ArtifactMetadata

__all__ = ["Artifacts", "AsyncArtifacts"]

_VERSION = "/apps/artifacts/{artifact_version_id}"
_CONTENT = Content(
    _VERSION + "/content",
    "the full text of one artifact version (UTF-8 bytes)",
    ids=("artifact_version_id: The version's ID (``claude_artifact_version_…``).",),
    missing="the version does not exist",
)


def _get(artifact_version_id: str, **options: Unpack[CallOptions]) -> JsonCall[ArtifactMetadata]:
    """Fetch the metadata of one artifact version: chat, title, type, size and MD5 of its text.

    Parameters:
        artifact_version_id: The version's ID (``claude_artifact_version_…``).

    Returns:
        The version's [`ArtifactMetadata`][claude_compliance.ArtifactMetadata].

    Raises:
        NotFoundError: When the version does not exist.
        PermissionDeniedError: When the key lacks ``read:compliance_user_data``.
        APIError: For any other non-2xx response.
    """
    return get_json(_VERSION, ArtifactMetadata.from_dict, artifact_version_id=artifact_version_id)


@_CONTENT.describes("download")
def _download(
    artifact_version_id: str, *, max_bytes: int | None = None, **options: Unpack[CallOptions]
) -> Download:
    return _CONTENT.download(max_bytes, artifact_version_id=artifact_version_id)


@_CONTENT.describes("stream")
def _download_stream(artifact_version_id: str, **options: Unpack[CallOptions]) -> ByteStream:
    return _CONTENT.stream(artifact_version_id=artifact_version_id)


@_CONTENT.describes("save")
def _download_to_file(
    artifact_version_id: str,
    destination: str | os.PathLike[str],
    *,
    overwrite: bool | None = None,
    **options: Unpack[CallOptions],
) -> SaveToFile:
    return _CONTENT.save(destination, overwrite, artifact_version_id=artifact_version_id)


class _ArtifactsEndpoints:
    """The Artifacts endpoints, one table for both clients."""

    get = Endpoint(_get)
    download = Endpoint(_download)
    download_stream = walk(_download_stream)
    download_to_file = Endpoint(_download_to_file)


class Artifacts(SyncResource, _ArtifactsEndpoints):
    """Synchronous client for the Artifacts endpoints."""


class AsyncArtifacts(AsyncResource, _ArtifactsEndpoints):
    """Asynchronous client for the Artifacts endpoints."""
