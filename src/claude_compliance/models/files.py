"""Models of the Files resource group (uploads in chats and projects)."""

from __future__ import annotations

import dataclasses

from .._models import Model

__all__ = ["FileMetadata"]


@dataclasses.dataclass(kw_only=True)
class FileMetadata(Model):
    """Metadata of an uploaded file (chat attachment or project file).

    Attributes:
        id: File identifier (``claude_file_...``).
        filename: Display name, or ``None``.
        mime_type: MIME type, or ``None`` (e.g. code-interpreter outputs with no download).
        size_bytes: Size in bytes, or ``None`` for old uploads.
        md5: Lower-hex MD5 of the downloadable content, or ``None``.
        created_at: RFC 3339 upload time.
        message_ids: Chat messages the file is attached to (a file can be on several).
        claude_chat_ids: Chats the file appears in.
        extra: Any additional fields the API adds in a later revision.
    """

    id: str
    filename: str | None = None
    mime_type: str | None = None
    size_bytes: int | None = None
    md5: str | None = None
    created_at: str | None = None
    message_ids: list[str] | None = None
    claude_chat_ids: list[str] | None = None
