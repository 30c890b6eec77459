"""A chat as a readable Markdown transcript (for people; the JSON stays the record).

The rendering depends only on the chat's wire JSON, so the same chat always gives the same
bytes — which keeps eDiscovery exports reproducible.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["chat_transcript"]

_FENCE = "````"  # four backticks: tool inputs often contain triple-backtick code blocks


def _line(label: str, value: Any) -> str | None:
    if value is None or value == "":
        return None
    return f"- **{label}:** {value}"


def _user(chat: Mapping[str, Any]) -> str | None:
    user = chat.get("user")
    if not isinstance(user, Mapping):
        return None
    return f"{user.get('email_address') or 'unknown'} ({user.get('id')})"


def _block(block: Mapping[str, Any]) -> list[str]:
    kind = block.get("type")
    if kind == "text":
        text = str(block.get("text", ""))
        notes = []
        if block.get("thinking_redacted"):
            notes.append("_(internal reasoning removed by the service)_")
        if block.get("truncated"):
            notes.append("_(truncated by the service)_")
        return [text, *notes]
    if kind == "tool_use":
        where = block.get("integration_name") or block.get("mcp_server_url")
        head = f"**Tool use:** `{block.get('name')}`" + (f" via {where}" if where else "")
        body = str(block.get("input", ""))
        with contextlib.suppress(ValueError):  # not JSON (cut short): shown as sent
            body = json.dumps(json.loads(body), indent=2, ensure_ascii=False, sort_keys=True)
        return [head, f"{_FENCE}json", body, _FENCE]
    if kind == "tool_result":
        status = " (error)" if block.get("is_error") else ""
        lines = [f"**Tool result:** `{block.get('name')}`{status}", _FENCE]
        for item in block.get("content") or []:
            if isinstance(item, Mapping):
                lines.append(str(item.get("text", "")))
        return [*lines, _FENCE]
    return [f"_(a block of type `{kind}`: see chat.json)_"]


def _references(message: Mapping[str, Any]) -> list[str]:
    lines = []
    for ref in message.get("files") or []:
        size = f", {ref.get('size_bytes')} bytes" if ref.get("size_bytes") is not None else ""
        lines.append(f"- Attached file: {ref.get('filename')} (`{ref.get('id')}`{size})")
    for ref in message.get("generated_files") or []:
        lines.append(f"- Generated file: {ref.get('filename')} (`{ref.get('id')}`)")
    for ref in message.get("artifacts") or []:
        title = ref.get("title") or "untitled"
        lines.append(f"- Artifact: {title} (`{ref.get('version_id')}`)")
    return lines


def chat_transcript(chat: Mapping[str, Any], messages: Iterable[Mapping[str, Any]]) -> str:
    """Render a chat and its messages (wire JSON) as Markdown."""
    header = [
        _line("Chat", f"`{chat.get('id')}`"),
        _line("User", _user(chat)),
        _line("Organization", chat.get("organization_id")),
        _line("Project", chat.get("project_id")),
        _line("Model", chat.get("model")),
        _line("Created", chat.get("created_at")),
        _line("Updated", chat.get("updated_at")),
        _line("Deleted by the user", chat.get("deleted_at")),
        _line("Link", chat.get("href")),
    ]
    parts = [f"# {chat.get('name') or 'Untitled chat'}", "", *[h for h in header if h], ""]
    for message in messages:
        role = str(message.get("role", "unknown")).capitalize()
        parts += ["---", "", f"## {role} · {message.get('created_at')}", ""]
        for block in message.get("content") or []:
            if isinstance(block, Mapping):
                parts += [*_block(block), ""]
        references = _references(message)
        if references:
            parts += [*references, ""]
    return "\n".join(parts).rstrip("\n") + "\n"
