"""Code Artifacts resource group: sites published via Claude Code.

* ``GET /v1/compliance/apps/code/artifacts`` — artifacts, sorted by ID (``list``, ``iter``).
* ``GET /v1/compliance/apps/code/artifacts/{artifact_id}/versions/{version_id}`` — one
  version's content (``download_version``, ``download_version_stream``,
  ``download_version_to_file``).
* ``DELETE /v1/compliance/apps/code/artifacts/{artifact_id}`` — delete (content is removed
  asynchronously).

The list follows ``next_page`` until it is ``None``: a page may be empty while more follow.
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import Unpack

from .._content import Content
from .._pagination import OffsetPage, PageStyle
from .._request import (
    ByteStream,
    CallOptions,
    Download,
    JsonCall,
    SaveToFile,
    StrList,
    delete,
    get_json,
    query,
)
from .._resource import AsyncResource, Endpoint, SyncResource, listing, walk
from ..models import CodeArtifact

__all__ = ["AsyncCodeArtifacts", "CodeArtifacts"]

_ARTIFACT = "/apps/code/artifacts/{artifact_id}"
_CONTENT = Content(
    _ARTIFACT + "/versions/{version_id}",
    "one version's content",
    ids=(
        "artifact_id: The artifact's ID (``cart_…``).",
        "version_id: The version's ID, from ``CodeArtifact.versions``.",
    ),
    missing="the artifact or version is unknown, or the version rotated out (list again)",
    raises=("InternalServerError: 503 while the version's upload is in flight (after retries).",),
    save_method="download_version_to_file",
)


def _list(
    *,
    organization_ids: StrList | None = None,
    user_ids: StrList | None = None,
    updated_at_gte: str | datetime | None = None,
    updated_at_gt: str | datetime | None = None,
    updated_at_lte: str | datetime | None = None,
    updated_at_lt: str | datetime | None = None,
    limit: int | None = None,
    page: str | None = None,
    **options: Unpack[CallOptions],
) -> JsonCall[OffsetPage[CodeArtifact]]:
    """Fetch one page of code artifacts, sorted by artifact ID.

    A page may be short or empty while ``next_page`` is set; the list ends only when
    ``next_page`` is ``None`` (``iter`` follows this rule).

    Parameters:
        organization_ids: Only these organizations (``org_…`` or UUID; at most 500).
        user_ids: Only artifacts owned by these users (at most 200).
        updated_at_gte: ``updated_at >= value`` (RFC 3339 string or aware ``datetime``).
            Artifacts published before ``updated_at`` existed never match a time filter.
        updated_at_gt: ``updated_at > value``.
        updated_at_lte: ``updated_at <= value``.
        updated_at_lt: ``updated_at < value``.
        limit: Page size, 1-100 (server default 20).
        page: Token from a previous page's ``next_page``.

    Returns:
        One page: ``data``, ``has_more`` and ``next_page``.

    Raises:
        BadRequestError: For an out-of-range limit, a malformed timestamp or page token.
        PermissionDeniedError: When the key lacks the read scope.
        APIError: For any other non-2xx response.
    """
    params = query(
        organization_ids=organization_ids,
        user_ids=user_ids,
        updated_at_gte=updated_at_gte,
        updated_at_gt=updated_at_gt,
        updated_at_lte=updated_at_lte,
        updated_at_lt=updated_at_lt,
        limit=limit,
        page=page,
    )
    return get_json(
        "/apps/code/artifacts", OffsetPage.decoder(CodeArtifact, style=PageStyle.TOKEN), params
    )


@_CONTENT.describes("download")
def _download_version(
    artifact_id: str,
    version_id: str,
    *,
    max_bytes: int | None = None,
    **options: Unpack[CallOptions],
) -> Download:
    return _CONTENT.download(max_bytes, artifact_id=artifact_id, version_id=version_id)


@_CONTENT.describes("stream")
def _download_version_stream(
    artifact_id: str, version_id: str, **options: Unpack[CallOptions]
) -> ByteStream:
    return _CONTENT.stream(artifact_id=artifact_id, version_id=version_id)


@_CONTENT.describes("save")
def _download_version_to_file(
    artifact_id: str,
    version_id: str,
    destination: str | os.PathLike[str],
    *,
    overwrite: bool | None = None,
    **options: Unpack[CallOptions],
) -> SaveToFile:
    return _CONTENT.save(destination, overwrite, artifact_id=artifact_id, version_id=version_id)


def _delete(artifact_id: str, **options: Unpack[CallOptions]) -> JsonCall[None]:
    """Delete a code artifact; its content is removed asynchronously.

    A retry that finds the artifact already gone (after an attempt that may have reached the
    server) is a success.

    Parameters:
        artifact_id: The artifact's ID (``cart_…``).

    Returns:
        ``None``; the server's confirmation is discarded.

    Raises:
        NotFoundError: When the artifact does not exist or was already deleted.
        PermissionDeniedError: When the key lacks the delete scope.
        APIError: For any other non-2xx response.
    """
    return delete(_ARTIFACT, artifact_id=artifact_id)


class _CodeArtifactsEndpoints:
    """The CodeArtifacts endpoints, one table for both clients."""

    list, iter = listing(_list)
    download_version = Endpoint(_download_version)
    download_version_stream = walk(_download_version_stream)
    download_version_to_file = Endpoint(_download_version_to_file)
    delete = Endpoint(_delete)


class CodeArtifacts(SyncResource, _CodeArtifactsEndpoints):
    """Synchronous client for the Code Artifacts endpoints."""


class AsyncCodeArtifacts(AsyncResource, _CodeArtifactsEndpoints):
    """Asynchronous client for the Code Artifacts endpoints."""
