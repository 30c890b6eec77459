"""Generated Files resource group: files the assistant produced in chats through tool use.

* ``GET /v1/compliance/apps/chats/generated-files/{claude_gen_file_id}`` — metadata.
* ``GET /v1/compliance/apps/chats/generated-files/{claude_gen_file_id}/content`` — the bytes
  (``download``, ``download_stream``, ``download_to_file``).

There is no delete: generated files live in a separate per-conversation store.
"""

from __future__ import annotations

import os
from typing import Unpack

from .._request import ByteStream, CallOptions, Download, JsonCall, Request, SaveToFile, path
from .._resource import AsyncResource, Endpoint, SyncResource, walk
from ..models import GeneratedFileMetadata
from .files import content_request

__all__ = ["AsyncGeneratedFiles", "GeneratedFiles"]

_FILE = "/apps/chats/generated-files/{claude_gen_file_id}"


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
    url, subject = path(_FILE, claude_gen_file_id=claude_gen_file_id)
    return JsonCall(Request("GET", url, resource_id=subject), GeneratedFileMetadata.from_dict)


def _download(
    claude_gen_file_id: str, *, max_bytes: int | None = None, **options: Unpack[CallOptions]
) -> Download:
    """Download a generated file's content into memory.

    The bytes are checked against the server's ``Content-MD5`` and ``Content-Length``.

    Parameters:
        claude_gen_file_id: The generated file's ID.
        max_bytes: Refuse more than this many bytes (default: the client's
            ``max_download_bytes``). Use ``download_to_file`` for large files.

    Returns:
        The file's content.

    Raises:
        DownloadTooLargeError: When the content exceeds the cap.
        ContentIntegrityError: When the bytes do not match ``Content-MD5`` after retries.
        NotFoundError: When the file does not exist or its content has expired.
    """
    request = content_request(_FILE + "/content", claude_gen_file_id=claude_gen_file_id)
    return Download(request, max_bytes)


def _download_stream(claude_gen_file_id: str, **options: Unpack[CallOptions]) -> ByteStream:
    """Stream a generated file's content chunk by chunk, without holding it in memory.

    The ``Content-MD5`` is verified when the last chunk has been read; a mismatch raises
    [`ContentIntegrityError`][claude_compliance.ContentIntegrityError] then.

    Parameters:
        claude_gen_file_id: The generated file's ID.

    Returns:
        An iterator over chunks of the file's content.
    """
    return ByteStream(content_request(_FILE + "/content", claude_gen_file_id=claude_gen_file_id))


def _download_to_file(
    claude_gen_file_id: str,
    destination: str | os.PathLike[str],
    *,
    overwrite: bool | None = None,
    **options: Unpack[CallOptions],
) -> SaveToFile:
    """Download a generated file's content to disk, atomically and verified.

    Parameters:
        claude_gen_file_id: The generated file's ID.
        destination: A file path, or a folder — an existing one, or a path ending in a
            separator, created if missing. The server's filename is then used, reduced to a
            plain name so it can never land outside that folder.
        overwrite: ``True`` replaces an existing file at the final path, ``False``
            refuses any, ``None`` (default) replaces only a file with the same content.

    Returns:
        The path of the written file.
    """
    request = content_request(_FILE + "/content", claude_gen_file_id=claude_gen_file_id)
    return SaveToFile.to(request, destination, overwrite)


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
