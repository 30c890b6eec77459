"""A chat as a readable Markdown transcript (for people; the JSON stays the record).

The rendering depends only on the chat's wire JSON, so the same chat always gives the same
bytes — which keeps eDiscovery exports reproducible.

Everything in a chat is untrusted: headings, turns and header lines come only from the
structure, never from content. Values on a line are escaped (``markdown_inline``), identifiers
are code spans, and message text sits in fenced blocks that no line of it can close.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .._inert import markdown_code, markdown_fence, markdown_inline

__all__ = ["chat_transcript"]


def _line(label: str, value: Any, render: Callable[[Any], str] = markdown_inline) -> str | None:
    if value is None or value == "":
        return None
    return f"- **{label}:** {render(value)}"


def _user(chat: Mapping[str, Any]) -> str | None:
    user = chat.get("user")
    if not isinstance(user, Mapping):
        return None
    email = markdown_inline(user.get("email_address") or "unknown")
    return f"{email} ({markdown_code(user.get('id'))})"


def _block(block: Mapping[str, Any]) -> list[str]:
    kind = block.get("type")
    if kind == "text":
        text = str(block.get("text", ""))
        notes = []
        if block.get("thinking_redacted"):
            notes.append("_(internal reasoning removed by the service)_")
        if block.get("truncated"):
            notes.append("_(truncated by the service)_")
        return [*markdown_fence(text), *notes]
    if kind == "tool_use":
        where = block.get("integration_name") or block.get("mcp_server_url")
        head = f"**Tool use:** {markdown_code(block.get('name'))}" + (
            f" via {markdown_inline(where)}" if where else ""
        )
        body = str(block.get("input", ""))
        with contextlib.suppress(ValueError):  # not JSON (cut short): shown as sent
            body = json.dumps(json.loads(body), indent=2, ensure_ascii=False, sort_keys=True)
        return [head, *markdown_fence(body, "json")]
    if kind == "tool_result":
        status = " (error)" if block.get("is_error") else ""
        texts = [
            str(item.get("text", ""))
            for item in block.get("content") or []
            if isinstance(item, Mapping)
        ]
        head = f"**Tool result:** {markdown_code(block.get('name'))}{status}"
        return [head, *markdown_fence("\n".join(texts))]
    return [f"_(a block of type {markdown_code(kind)}: see chat.json)_"]


def _references(message: Mapping[str, Any]) -> list[str]:
    lines = []
    for ref in message.get("files") or []:
        size = ref.get("size_bytes")
        size_note = f", {markdown_inline(size)} bytes" if size is not None else ""
        name, ident = markdown_inline(ref.get("filename")), markdown_code(ref.get("id"))
        lines.append(f"- Attached file: {name} ({ident}{size_note})")
    for ref in message.get("generated_files") or []:
        name, ident = markdown_inline(ref.get("filename")), markdown_code(ref.get("id"))
        lines.append(f"- Generated file: {name} ({ident})")
    for ref in message.get("artifacts") or []:
        title = markdown_inline(ref.get("title") or "untitled")
        lines.append(f"- Artifact: {title} ({markdown_code(ref.get('version_id'))})")
    return lines


def chat_transcript(chat: Mapping[str, Any], messages: Iterable[Mapping[str, Any]]) -> str:
    """Render a chat and its messages (wire JSON) as Markdown."""
    header = [
        _line("Chat", chat.get("id"), markdown_code),
        _line("User", _user(chat), str),
        _line("Organization", chat.get("organization_id")),
        _line("Project", chat.get("project_id")),
        _line("Model", chat.get("model")),
        _line("Created", chat.get("created_at")),
        _line("Updated", chat.get("updated_at")),
        _line("Deleted by the user", chat.get("deleted_at")),
        _line("Link", chat.get("href")),
    ]
    title = markdown_inline(chat.get("name") or "Untitled chat")
    parts = [f"# {title}", "", *[h for h in header if h], ""]
    for message in messages:
        role = markdown_inline(str(message.get("role", "unknown")).capitalize())
        parts += ["---", "", f"## {role} · {markdown_inline(message.get('created_at'))}", ""]
        for block in message.get("content") or []:
            if isinstance(block, Mapping):
                parts += [*_block(block), ""]
        references = _references(message)
        if references:
            parts += [*references, ""]
    return "\n".join(parts).rstrip("\n") + "\n"
