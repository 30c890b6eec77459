"""Models of the Chats resource group: chat metadata, messages and their content blocks.

Content blocks are a union discriminated by ``type``:
[`TextBlock`][claude_compliance.TextBlock], [`ToolUseBlock`][claude_compliance.ToolUseBlock] and
[`ToolResultBlock`][claude_compliance.ToolResultBlock]. A block of a type this SDK does not know
parses as the base [`ContentBlock`][claude_compliance.ContentBlock] with its fields in
``extra``. Session transcripts use the same blocks.
"""

from __future__ import annotations

import dataclasses

from .._models import Model, UnionModel
from .common import UserReference

__all__ = [
    "ArtifactReference",
    "Chat",
    "ChatMessage",
    "ChatMetadata",
    "ContentBlock",
    "FileReference",
    "GeneratedFileReference",
    "TextBlock",
    "ToolResultBlock",
    "ToolUseBlock",
]


@dataclasses.dataclass(kw_only=True)
class ContentBlock(UnionModel):
    """One block of a message's content, discriminated by ``type``.

    Attributes:
        type: ``"text"``, ``"tool_use"``, ``"tool_result"``, or a type added later.
        extra: Fields this SDK does not model, kept as sent.
    """

    type: str


@dataclasses.dataclass(kw_only=True)
class TextBlock(ContentBlock, discriminator="text"):
    """Text written by the user or the assistant (``type == "text"``).

    Also the shape of the text items inside a
    [`ToolResultBlock`][claude_compliance.ToolResultBlock], which carry only
    ``type`` and ``text``.

    Attributes:
        text: The text.
        truncated: True when the text was cut at the server's size bound (or, in session
            transcripts, when citations were dropped or a non-text block is stood in for).
        thinking_redacted: True when internal-reasoning content was stripped (chats only).
    """

    text: str | None = None
    truncated: bool = False
    thinking_redacted: bool = False


@dataclasses.dataclass(kw_only=True)
class ToolUseBlock(ContentBlock, discriminator="tool_use"):
    """A tool call made by the assistant (``type == "tool_use"``).

    Attributes:
        id: Tool-use ID (``toolu_…``), or ``None``.
        name: The tool's name.
        input: The tool input, JSON-encoded; invalid JSON when ``truncated``.
        truncated: True when ``input`` was cut to the requested maximum.
        integration_name: The integration the tool belongs to, or ``None`` (chats only).
        mcp_server_url: The MCP server the tool was served by, or ``None`` (chats only).
    """

    name: str | None = None
    input: str | None = None
    id: str | None = None
    truncated: bool = False
    integration_name: str | None = None
    mcp_server_url: str | None = None


@dataclasses.dataclass(kw_only=True)
class ToolResultBlock(ContentBlock, discriminator="tool_result"):
    """The result of a tool call (``type == "tool_result"``).

    Attributes:
        name: The tool's name.
        is_error: True when the tool reported an error.
        content: The result's text items (images and links are omitted by the API).
        tool_use_id: ID of the [`ToolUseBlock`][claude_compliance.ToolUseBlock] answered, or
            ``None``.
        truncated: True when a text item was cut to the requested maximum.
        integration_name: The integration the tool belongs to, or ``None`` (chats only).
        mcp_server_url: The MCP server the tool was served by, or ``None`` (chats only).
    """

    name: str | None = None
    is_error: bool | None = None
    content: list[ContentBlock] | None = None
    tool_use_id: str | None = None
    truncated: bool = False
    integration_name: str | None = None
    mcp_server_url: str | None = None


@dataclasses.dataclass(kw_only=True)
class FileReference(Model):
    """A file the user uploaded to a message; download it with ``client.files``.

    Attributes:
        id: File ID (``claude_file_…``).
        filename: Display name.
        created_at: RFC 3339 upload time.
        mime_type: MIME type, or ``None``.
        size_bytes: Size in bytes, or ``None`` for old uploads.
        md5: Lower-hex MD5 of the downloadable content, or ``None``.
        extra: Any additional fields the API adds in a later revision.
    """

    id: str
    filename: str | None = None
    created_at: str | None = None
    mime_type: str | None = None
    size_bytes: int | None = None
    md5: str | None = None


@dataclasses.dataclass(kw_only=True)
class GeneratedFileReference(Model):
    """A file the assistant produced through tool use; download it with
    ``client.generated_files``.

    Attributes:
        id: Generated-file ID (``claude_gen_file_…``, opaque).
        filename: Display name.
        mime_type: MIME type, or ``None``.
        size_bytes: Size in bytes, or ``None`` when expired or unknown.
        md5: Lower-hex MD5 of the content, or ``None``.
        extra: Any additional fields the API adds in a later revision.
    """

    id: str
    filename: str | None = None
    mime_type: str | None = None
    size_bytes: int | None = None
    md5: str | None = None


@dataclasses.dataclass(kw_only=True)
class ArtifactReference(Model):
    """A versioned document the assistant created or updated; fetch it with
    ``client.artifacts`` by ``version_id``.

    Attributes:
        id: Artifact ID (``claude_artifact_…``), stable across versions.
        version_id: This version's ID (``claude_artifact_version_…``).
        title: Title, or ``None``.
        artifact_type: MIME-like type such as ``"text/markdown"``, or ``None``.
        extra: Any additional fields the API adds in a later revision.
    """

    id: str
    version_id: str | None = None
    title: str | None = None
    artifact_type: str | None = None


@dataclasses.dataclass(kw_only=True)
class ChatMessage(Model):
    """One message of a chat.

    Attributes:
        id: Message ID (``claude_chat_msg_…``).
        role: ``"user"`` or ``"assistant"``.
        created_at: RFC 3339 time (user: when sent; assistant: when the last block completed).
        content: The content blocks.
        files: Files the user uploaded with the message, or ``None``.
        generated_files: Files the assistant produced, or ``None``.
        artifacts: Artifact versions the assistant created or updated, or ``None``.
        extra: Any additional fields the API adds in a later revision.
    """

    id: str
    role: str | None = None
    created_at: str | None = None
    content: list[ContentBlock] | None = None
    files: list[FileReference] | None = None
    generated_files: list[GeneratedFileReference] | None = None
    artifacts: list[ArtifactReference] | None = None


@dataclasses.dataclass(kw_only=True)
class ChatMetadata(Model):
    """A chat without its messages, as the chat list returns it.

    Attributes:
        id: Chat ID (``claude_chat_…``).
        name: Title (may be empty).
        created_at: RFC 3339 creation time.
        updated_at: RFC 3339 last-update time.
        organization_id: Tagged organization ID (``org_…``). Deprecated by the API; may be
            absent (then ``None``).
        organization_uuid: The organization's bare UUID.
        href: The chat's claude.ai URL.
        deleted_at: RFC 3339 time the *user* soft-deleted the chat in claude.ai, or ``None``
            (such chats stay readable).
        project_id: The project the chat belongs to, or ``None``.
        model: The model the chat used, or ``None`` for legacy chats.
        user: The chat's owner, or ``None`` when the account was deleted or is out of reach.
        extra: Any additional fields the API adds in a later revision.
    """

    id: str
    name: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    organization_id: str | None = None
    organization_uuid: str | None = None
    href: str | None = None
    deleted_at: str | None = None
    project_id: str | None = None
    model: str | None = None
    user: UserReference | None = None


@dataclasses.dataclass(kw_only=True)
class Chat(ChatMetadata):
    """A chat with (a page of) its messages, returned by ``client.chats.get``.

    Without a ``limit`` the server returns every message at once; with one, continue from
    ``last_id`` (``after_id=``) while ``has_more``, or use ``client.chats.iter_messages``.

    Attributes:
        chat_messages: The messages, in the requested order.
        has_more: Whether more messages follow in that order.
        first_id: Cursor of the first message returned (pass as ``before_id=``), or ``None``.
        last_id: Cursor of the last message returned (pass as ``after_id=``), or ``None``.
    """

    chat_messages: list[ChatMessage] | None = None
    has_more: bool | None = None
    first_id: str | None = None
    last_id: str | None = None
