"""Generated Files resource group: files the assistant produced in chats through tool use.

* ``GET /v1/compliance/apps/chats/generated-files/{claude_gen_file_id}`` — metadata.
* ``GET /v1/compliance/apps/chats/generated-files/{claude_gen_file_id}/content`` — the bytes
  (``download``, ``download_stream``, ``download_to_file``).

There is no delete: generated files live in a separate per-conversation store.
"""

from __future__ import annotations

import os
from typing import Unpack

from .._content import Content
from .._request import ByteStream, CallOptions, Download, JsonCall, SaveToFile, get_json
from .._resource import AsyncResource, Endpoint, SyncResource, walk
from ..models import GeneratedFileMetadata

__all__ = ["AsyncGeneratedFiles", "GeneratedFiles"]

_FILE = "/apps/chats/generated-files/{claude_gen_file_id}"
_CONTENT = Content(
    _FILE + "/content",
    "a generated file's content",
    ids=("claude_gen_file_id: The generated file's ID (``claude_gen_file_…``).",),
    missing="the file does not exist or its content has expired",
)


def _get(
    claude_gen_file_id: str, **options: Unpack[CallOptions]
) -> JsonCall[GeneratedFileMetadata]:
    """Fetch a generated file's metadata: its chat, name, MIME type, size and MD5.

    Parameters:
        claude_gen_file_id: The generated file's ID (``claude_gen_file_…``), as listed in
            ``ChatMessage.generated_files``.

    Returns:
        The file's [`GeneratedFileMetadata`][claude_compliance.GeneratedFileMetadata].

    Raises:
        NotFoundError: When the file does not exist.
        PermissionDeniedError: When the key lacks ``read:compliance_user_data``.
        APIError: For any other non-2xx response.
    """
    return get_json(_FILE, GeneratedFileMetadata.from_dict, claude_gen_file_id=claude_gen_file_id)


@_CONTENT.describes("download")
def _download(
    claude_gen_file_id: str, *, max_bytes: int | None = None, **options: Unpack[CallOptions]
) -> Download:
    return _CONTENT.download(max_bytes, claude_gen_file_id=claude_gen_file_id)


@_CONTENT.describes("stream")
def _download_stream(claude_gen_file_id: str, **options: Unpack[CallOptions]) -> ByteStream:
    return _CONTENT.stream(claude_gen_file_id=claude_gen_file_id)


@_CONTENT.describes("save")
def _download_to_file(
    claude_gen_file_id: str,
    destination: str | os.PathLike[str],
    *,
    overwrite: bool | None = None,
    **options: Unpack[CallOptions],
) -> SaveToFile:
    return _CONTENT.save(destination, overwrite, claude_gen_file_id=claude_gen_file_id)


class _GeneratedFilesEndpoints:
    """The GeneratedFiles endpoints, one table for both clients."""

    get = Endpoint(_get)
    download = Endpoint(_download)
    download_stream = walk(_download_stream)
    download_to_file = Endpoint(_download_to_file)


class GeneratedFiles(SyncResource, _GeneratedFilesEndpoints):
    """Synchronous client for the Generated Files endpoints."""


class AsyncGeneratedFiles(AsyncResource, _GeneratedFilesEndpoints):
    """Asynchronous client for the Generated Files endpoints."""
