"""``chats list|get|delete``."""

from __future__ import annotations

from typing import Any

import click

from ..export.transcript import chat_transcript
from ..models import Chat
from .app import CliState, pass_state
from .deletion import delete_each
from .listing import ORG, PROJECT, USER, Listing, add_list, every_time
from .params import destructive_options, format_option

__all__ = ["chats"]

CHAT_COLUMNS = ["id", "name", "user.email_address", "created_at", "updated_at", "project_id"]
PAGE_FIELDS = ("chat_messages", "has_more", "first_id", "last_id")


@click.group()
def chats() -> None:
    """Chats: list metadata, read one with its messages, delete."""


add_list(
    chats,
    Listing(
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
    ),
)


def _message_preview(message: dict[str, Any]) -> str:
    texts = [b.get("text", "") for b in message.get("content") or [] if b.get("type") == "text"]
    text = " ".join(" ".join(texts).split())
    return text[:100] + ("…" if len(text) > 100 else "")


@chats.command("get")
@click.argument("chat_id")
@click.option("--markdown", is_flag=True, help="Write a readable Markdown transcript instead.")
@click.option(
    "--untruncated/--truncated",
    default=True,
    show_default=True,
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
    messages = [m.to_dict() for m in chat.chat_messages]
    while chat.has_more and chat.last_id:
        chat = client.chats.get(chat_id, after_id=chat.last_id, limit=1000, **limits)
        messages.extend(m.to_dict() for m in chat.chat_messages)
    record = {k: v for k, v in chat.to_dict().items() if k not in PAGE_FIELDS}
    if markdown:
        state.output.stdout.write(chat_transcript(record, messages))
        return
    if state.output.format == "table":
        state.output.one(record)
        rows = [{**m, "text": _message_preview(m)} for m in messages]
        state.output.many(rows, columns=["id", "role", "created_at", "text"], title="messages")
        return
    state.output.one({**record, "chat_messages": messages})


@chats.command("delete")
@click.argument("chat_ids", nargs=-1, required=True)
@destructive_options
@pass_state
def delete_chats(state: CliState, chat_ids: tuple[str, ...], yes: bool, dry_run: bool) -> None:
    """Permanently delete chats with their messages and files."""
    client = state.client()

    def describe(chat_id: str) -> dict[str, Any]:
        chat = client.chats.get(chat_id, limit=1)
        return {k: v for k, v in chat.to_dict().items() if k not in PAGE_FIELDS}

    delete_each(
        state,
        what="chats",
        ids=list(chat_ids),
        delete=client.chats.delete,
        describe=describe,
        yes=yes,
        dry_run=dry_run,
    )
