"""Files resource group: files users uploaded to chats and projects.

* ``GET /v1/compliance/apps/chats/files/{claude_file_id}`` — metadata.
* ``GET /v1/compliance/apps/chats/files/{claude_file_id}/content`` — the bytes (``download``,
  ``download_stream``, ``download_to_file``).
* ``DELETE /v1/compliance/apps/chats/files/{claude_file_id}`` — hard delete.
"""

from __future__ import annotations

import os
from typing import Unpack

from .._request import ByteStream, CallOptions, Download, JsonCall, Request, SaveToFile, path
from .._resource import AsyncResource, Endpoint, SyncResource, walk
from ..models import FileMetadata

__all__ = ["AsyncFiles", "Files"]

_FILE = "/apps/chats/files/{claude_file_id}"


def content_request(template: str, **ids: str) -> Request:
    """The GET request for a download endpoint (shared by every resource with content)."""
    url, subject = path(template, **ids)
    return Request("GET", url, resource_id=subject)


def _get(claude_file_id: str, **options: Unpack[CallOptions]) -> JsonCall[FileMetadata]:
    """Fetch a file's metadata: name, MIME type, size, MD5, and the chats/messages it is in.

    Raises:
        NotFoundError: When the file does not exist or was deleted.
        APIError: For any other non-2xx response.
    """
    url, subject = path(_FILE, claude_file_id=claude_file_id)
    return JsonCall(Request("GET", url, resource_id=subject), FileMetadata.from_dict)


def _download(
    claude_file_id: str, *, max_bytes: int | None = None, **options: Unpack[CallOptions]
) -> Download:
    """Download a file's content into memory.

    The bytes are checked against the server's ``Content-MD5`` and ``Content-Length``.

    Parameters:
        claude_file_id: The file's ID (``claude_file_…``); project files work too.
        max_bytes: Refuse more than this many bytes (default: the client's
            ``max_download_bytes``, 100 MiB). Use ``download_to_file`` for large files.

    Raises:
        DownloadTooLargeError: When the content exceeds the cap.
        ContentIntegrityError: When the bytes do not match ``Content-MD5`` after retries.
        NotFoundError: When the file does not exist or was deleted.
    """
    return Download(content_request(_FILE + "/content", claude_file_id=claude_file_id), max_bytes)


def _download_stream(claude_file_id: str, **options: Unpack[CallOptions]) -> ByteStream:
    """Stream a file's content chunk by chunk, without holding it in memory.

    The ``Content-MD5`` is verified when the last chunk has been read; a mismatch raises
    [`ContentIntegrityError`][claude_compliance.ContentIntegrityError] then.
    """
    return ByteStream(content_request(_FILE + "/content", claude_file_id=claude_file_id))


def _download_to_file(
    claude_file_id: str,
    destination: str | os.PathLike[str],
    *,
    overwrite: bool | None = None,
    **options: Unpack[CallOptions],
) -> SaveToFile:
    """Download a file's content to disk, atomically.

    The bytes stream into a temporary file in the target folder, are verified against
    ``Content-MD5`` when the server sends it, and the file is then renamed into place. A failed
    or truncated download leaves no partial file.

    Parameters:
        claude_file_id: The file's ID.
        destination: A file path, or a folder — an existing one, or a path ending in a
            separator, created if missing. The server's filename is then used, reduced to a
            plain name so it can never land outside that folder.
        overwrite: ``True`` replaces an existing file at the final path, ``False``
            refuses any, ``None`` (default) replaces only a file with the same content.

    Returns:
        The path of the written file.
    """
    request = content_request(_FILE + "/content", claude_file_id=claude_file_id)
    return SaveToFile.to(request, destination, overwrite)


def _delete(claude_file_id: str, **options: Unpack[CallOptions]) -> JsonCall[None]:
    """Hard-delete a file (chat attachment or project file). A retry that finds it gone succeeds.

    Raises:
        NotFoundError: When the file does not exist or was already deleted.
        APIError: For any other non-2xx response.
    """
    url, subject = path(_FILE, claude_file_id=claude_file_id)
    return JsonCall(Request("DELETE", url, resource_id=subject), lambda body: None)


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
