"""Models of the Generated Files resource group (files the assistant produced)."""

from __future__ import annotations

import dataclasses

from .._models import Model

__all__ = ["GeneratedFileMetadata"]


@dataclasses.dataclass(kw_only=True)
class GeneratedFileMetadata(Model):
    """Metadata of a file the assistant produced through tool use.

    Find the producing message by matching ``ChatMessage.generated_files[].id`` in the chat.

    Attributes:
        id: Generated-file ID (``claude_gen_file_…``, opaque).
        claude_chat_id: The chat it was produced in.
        filename: Display name.
        mime_type: MIME type, or ``None``.
        size_bytes: Size in bytes, or ``None`` when expired or unknown.
        md5: Lower-hex MD5 of the content, or ``None``.
        created_at: RFC 3339 creation time, or ``None``.
        extra: Any additional fields the API adds in a later revision.
    """

    id: str
    claude_chat_id: str | None = None
    filename: str | None = None
    mime_type: str | None = None
    size_bytes: int | None = None
    md5: str | None = None
    created_at: str | None = None
