"""Files resource group: files users uploaded to chats and projects.

* ``GET /v1/compliance/apps/chats/files/{claude_file_id}`` — metadata.
* ``GET /v1/compliance/apps/chats/files/{claude_file_id}/content`` — the bytes (``download``,
  ``download_stream``, ``download_to_file``).
* ``DELETE /v1/compliance/apps/chats/files/{claude_file_id}`` — hard delete.
"""

from __future__ import annotations

import os
from typing import Unpack

from .._content import Content
from .._request import ByteStream, CallOptions, Download, JsonCall, SaveToFile, delete, get_json
from .._resource import AsyncResource, Endpoint, SyncResource, walk
from ..models import FileMetadata

__all__ = ["AsyncFiles", "Files"]

_FILE = "/apps/chats/files/{claude_file_id}"
_CONTENT = Content(
    _FILE + "/content",
    "a file's content",
    ids=("claude_file_id: The file's ID (``claude_file_…``); project files work too.",),
    missing="the file does not exist or was deleted",
)


def _get(claude_file_id: str, **options: Unpack[CallOptions]) -> JsonCall[FileMetadata]:
    """Fetch a file's metadata: name, MIME type, size, MD5, and the chats/messages it is in.

    Raises:
        NotFoundError: When the file does not exist or was deleted.
        APIError: For any other non-2xx response.
    """
    return get_json(_FILE, FileMetadata.from_dict, claude_file_id=claude_file_id)


@_CONTENT.describes("download")
def _download(
    claude_file_id: str, *, max_bytes: int | None = None, **options: Unpack[CallOptions]
) -> Download:
    return _CONTENT.download(max_bytes, claude_file_id=claude_file_id)


@_CONTENT.describes("stream")
def _download_stream(claude_file_id: str, **options: Unpack[CallOptions]) -> ByteStream:
    return _CONTENT.stream(claude_file_id=claude_file_id)


@_CONTENT.describes("save")
def _download_to_file(
    claude_file_id: str,
    destination: str | os.PathLike[str],
    *,
    overwrite: bool | None = None,
    **options: Unpack[CallOptions],
) -> SaveToFile:
    return _CONTENT.save(destination, overwrite, claude_file_id=claude_file_id)


def _delete(claude_file_id: str, **options: Unpack[CallOptions]) -> JsonCall[None]:
    """Hard-delete a file (chat attachment or project file). A retry that finds it gone succeeds.

    Raises:
        NotFoundError: When the file does not exist or was already deleted.
        APIError: For any other non-2xx response.
    """
    return delete(_FILE, claude_file_id=claude_file_id)


class _FilesEndpoints:
    """The Files endpoints, one table for both clients."""

    get = Endpoint(_get)
    download = Endpoint(_download)
    download_stream = walk(_download_stream)
    download_to_file = Endpoint(_download_to_file)
    delete = Endpoint(_delete)


class Files(SyncResource, _FilesEndpoints):
    """Synchronous client for the Files endpoints."""


class AsyncFiles(AsyncResource, _FilesEndpoints):
    """Asynchronous client for the Files endpoints."""
