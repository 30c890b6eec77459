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

from .._request import ByteStream, CallOptions, Download, JsonCall, Request, SaveToFile, path
from .._resource import AsyncResource, Endpoint, SyncResource, walk
from ..models import ArtifactMetadata
from .files import content_request

__all__ = ["Artifacts", "AsyncArtifacts"]

_VERSION = "/apps/artifacts/{artifact_version_id}"


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
    url, subject = path(_VERSION, artifact_version_id=artifact_version_id)
    return JsonCall(Request("GET", url, resource_id=subject), ArtifactMetadata.from_dict)


def _download(
    artifact_version_id: str, *, max_bytes: int | None = None, **options: Unpack[CallOptions]
) -> Download:
    """Download the full text of one artifact version into memory (as UTF-8 bytes).

    Parameters:
        artifact_version_id: The version's ID.
        max_bytes: Refuse more than this many bytes (default: the client's
            ``max_download_bytes``).

    Returns:
        The version's text as UTF-8 bytes.

    Raises:
        DownloadTooLargeError: When the content exceeds the cap.
        ContentIntegrityError: When the bytes do not match ``Content-MD5`` after retries.
        NotFoundError: When the version does not exist.
    """
    request = content_request(_VERSION + "/content", artifact_version_id=artifact_version_id)
    return Download(request, max_bytes)


def _download_stream(artifact_version_id: str, **options: Unpack[CallOptions]) -> ByteStream:
    """Stream the text of one artifact version chunk by chunk.

    Parameters:
        artifact_version_id: The version's ID.

    Returns:
        An iterator over chunks of the version's text (UTF-8 bytes).
    """
    return ByteStream(
        content_request(_VERSION + "/content", artifact_version_id=artifact_version_id)
    )


def _download_to_file(
    artifact_version_id: str,
    destination: str | os.PathLike[str],
    *,
    overwrite: bool | None = None,
    **options: Unpack[CallOptions],
) -> SaveToFile:
    """Download the text of one artifact version to disk, atomically and verified.

    Parameters:
        artifact_version_id: The version's ID.
        destination: A file path, or an existing folder — the server's filename (or the
            version ID) is then used, reduced to a plain name.
        overwrite: ``True`` replaces an existing file at the final path, ``False``
            refuses any, ``None`` (default) replaces only a file with the same content.

    Returns:
        The path of the written file.
    """
    request = content_request(_VERSION + "/content", artifact_version_id=artifact_version_id)
    return SaveToFile.to(request, destination, overwrite)


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
