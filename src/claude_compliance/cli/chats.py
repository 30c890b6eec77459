"""``chats list|get|delete``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import click

from ..common.served import json_items
from ..export.transcript import chat_transcript
from ..models import Chat
from .app import CliState, command_group, pass_state
from .deletion import Deleter, add_delete
from .listing import ORG, PROJECT, USER, Listing, add_list, every_time
from .params import examples, format_option

__all__ = ["chats"]

CHAT_COLUMNS = ["id", "name", "user.email_address", "created_at", "updated_at", "project_id"]
PAGE_FIELDS = ("chat_messages", "has_more", "first_id", "last_id")


chats = command_group("chats", "Chats: list metadata, read one with its messages, delete.")


CHAT_LIST = Listing(
    "list",
    "chats",
    "List chats (metadata only), in ascending order of --order-by.",
    columns=CHAT_COLUMNS,
    options=(
        USER,
        ORG,
        PROJECT,
        click.option(
            "--order-by",
            type=click.Choice(["created_at", "updated_at"]),
            help="Sort key (updated_at only without --user).",
        ),
    ),
    times=every_time("created_at", "updated_at"),
    cursor=True,
    max_limit=1000,
    examples=(
        "claude-compliance chats list --user alice@example.com --since 30d",
        "claude-compliance chats list --org org_01… --until 2026-06-30 --all --format jsonl",
    ),
)
add_list(chats, CHAT_LIST)


def _message_preview(message: dict[str, Any]) -> str:
    texts = [b.get("text", "") for b in message.get("content") or [] if b.get("type") == "text"]
    text = " ".join(" ".join(texts).split())
    return text[:100] + ("…" if len(text) > 100 else "")


@examples(
    "claude-compliance chats get claude_chat_01…",
    "claude-compliance chats get claude_chat_01… --markdown > transcript.md",
    "claude-compliance chats get claude_chat_01… --format json --truncated",
)
@chats.command("get")
@click.argument("chat_id")
@click.option("--markdown", is_flag=True, help="Write a readable Markdown transcript instead.")
@click.option(
    "--untruncated/--truncated",
    default=True,
    help="Ask for whole tool inputs and results (the server cuts them by default).",
)
@format_option
@pass_state
def get_chat(state: CliState, chat_id: str, markdown: bool, untruncated: bool) -> None:
    """Show one chat with all its messages."""
    limits: dict[str, Any] = (
        {"tool_use_input_max_chars": -1, "tool_result_max_chars": -1} if untruncated else {}
    )
    client = state.client()
    chat: Chat = client.chats.get(chat_id, **limits)
    record = chat.to_dict()
    messages = json_items(record.get("chat_messages"))
    while chat.has_more and isinstance(chat.last_id, str):
        chat = client.chats.get(chat_id, after_id=chat.last_id, limit=1000, **limits)
        messages.extend(json_items(chat.to_dict().get("chat_messages")))
    record = {k: v for k, v in record.items() if k not in PAGE_FIELDS}
    if markdown:
        readable = [m for m in messages if isinstance(m, Mapping)]
        state.output.stdout.write(chat_transcript(record, readable))
        return
    if state.output.format == "table":
        state.output.one(record)
        rows = [{**m, "text": _message_preview(m)} for m in messages]
        state.output.many(rows, columns=["id", "role", "created_at", "text"], title="messages")
        return
    state.output.one({**record, "chat_messages": messages})


def _chat_summary(chats_resource: Any) -> Any:
    def describe(chat_id: str) -> dict[str, Any]:
        chat = chats_resource.get(chat_id, limit=1)
        return {k: v for k, v in chat.to_dict().items() if k not in PAGE_FIELDS}

    return describe


add_delete(
    chats,
    Deleter(
        "chats",
        "chats",
        "Permanently delete chats with their messages and files: by id, or every chat a "
        "selection matches.",
        describe=_chat_summary,
        selection=CHAT_LIST,
        examples=(
            "claude-compliance chats delete claude_chat_01… --dry-run",
            "claude-compliance chats delete --user alice@example.com --until 2025-12-31",
            "cut -f1 chats.tsv | claude-compliance chats delete - --yes --receipt receipts.jsonl",
        ),
    ),
)
