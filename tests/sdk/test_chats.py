"""Chats over real HTTP against the emulator, each test once async and once sync."""

from __future__ import annotations

import json
import operator
from datetime import datetime
from typing import Any

import pytest

from claude_compliance import (
    ArtifactReference,
    BadRequestError,
    Chat,
    ChatMessage,
    ChatMetadata,
    ContentBlock,
    CursorPage,
    FileReference,
    GeneratedFileReference,
    NotFoundError,
    PermissionDeniedError,
    TextBlock,
    ToolResultBlock,
    ToolUseBlock,
    UserReference,
)
from claude_compliance.emulator.server import EmulatorServer

from ..support import ADMIN_KEY, READONLY_KEY, raw_get

OPERATORS = {"gte": operator.ge, "gt": operator.gt, "lte": operator.le, "lt": operator.lt}


def when(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def chats(server: EmulatorServer) -> list[dict[str, Any]]:
    """Every chat's metadata in the list's default order (created_at, then id)."""
    return list(server.store.iter_chats())


def owner(chat: dict[str, Any]) -> str | None:
    return chat["user"]["id"] if chat["user"] else None


def busiest_owner(server: EmulatorServer) -> str:
    counts: dict[str, int] = {}
    for chat in chats(server):
        if owner(chat):
            counts[owner(chat)] = counts.get(owner(chat), 0) + 1  # type: ignore[index]
    return max(counts, key=lambda user: counts[user])


def longest_chat(server: EmulatorServer) -> dict[str, Any]:
    return max(chats(server), key=lambda c: len(server.store.chat_messages(c["id"])))


def big_tool_chat(server: EmulatorServer) -> tuple[str, dict[str, Any]]:
    """A chat with a tool input longer than the default 10 000 character cut."""
    for chat in chats(server):
        for message in server.store.chat_messages(chat["id"]):
            for block in message["content"]:
                if block["type"] == "tool_use" and len(block["input"]) > 10_000:
                    return chat["id"], block
    raise AssertionError("the world has no large tool input")


async def test_list_first_page(api: Any, emulator: EmulatorServer) -> None:
    expected = chats(emulator)
    page = await api.chats.list(limit=10)
    assert isinstance(page, CursorPage)
    assert [c.to_dict() for c in page.data] == expected[:10]
    assert page.has_more and page.first_id and page.last_id
    assert all(isinstance(c, ChatMetadata) for c in page)
    every = await _all(api)
    assert any(c.user is None for c in every)
    assert any(isinstance(c.user, UserReference) and c.user.email_address for c in every)


async def _all(api: Any, **filters: Any) -> list[Any]:
    return [c async for c in api.chats.iter(limit=1000, **filters)]


async def test_iter_walks_many_pages_and_agrees_with_list(
    api: Any, emulator: EmulatorServer
) -> None:
    expected = [c["id"] for c in chats(emulator)]
    assert len(expected) >= 70
    assert [c.id async for c in api.chats.iter(limit=7)] == expected
    listed: list[str] = []
    cursor = None
    while True:
        page = await api.chats.list(limit=9, after_id=cursor)
        listed += [c.id for c in page.data]
        if not page.has_more:
            break
        cursor = page.last_id
    assert listed == expected


async def test_records_round_trip(api: Any, emulator: EmulatorServer) -> None:
    raw = raw_get(emulator, "/apps/chats", limit=1000)["data"]
    assert [c.to_dict() for c in await _all(api)] == raw
    assert all(ChatMetadata.from_dict(r).to_dict() == r for r in raw)
    assert any(r["deleted_at"] for r in raw) and any(r["model"] is None for r in raw)


async def test_order_by_updated_at_and_resume(api: Any, emulator: EmulatorServer) -> None:
    expected = [
        c["id"] for c in sorted(chats(emulator), key=lambda c: (when(c["updated_at"]), c["id"]))
    ]
    assert [c.id async for c in api.chats.iter(order_by="updated_at", limit=11)] == expected
    # An incremental export keeps the last cursor and resumes after it.
    first = await api.chats.list(order_by="updated_at", limit=25)
    saved = first.last_id
    rest = [c.id async for c in api.chats.iter(order_by="updated_at", after_id=saved, limit=10)]
    assert [c.id for c in first.data] + rest == expected


async def test_organization_and_user_filters(api: Any, emulator: EmulatorServer) -> None:
    records = chats(emulator)
    org_uuid, org_id = records[0]["organization_uuid"], records[0]["organization_id"]
    in_org = [c["id"] for c in records if c["organization_uuid"] == org_uuid]
    assert [c.id for c in await _all(api, organization_ids=[org_uuid])] == in_org
    assert [c.id for c in await _all(api, organization_ids=[org_id])] == in_org

    user = busiest_owner(emulator)
    mine = [c["id"] for c in records if owner(c) == user]
    assert [c.id async for c in api.chats.iter(user_ids=[user], limit=2)] == mine
    others = {owner(c) for c in records if owner(c) and owner(c) != user}
    two = [user, sorted(others)[0]]  # type: ignore[type-var]
    assert [c.id for c in await _all(api, user_ids=two)] == [
        c["id"] for c in records if owner(c) in two
    ]


async def test_project_filter(api: Any, emulator: EmulatorServer) -> None:
    records = chats(emulator)
    chat = next(c for c in records if c["project_id"] and owner(c))
    user, project = owner(chat), chat["project_id"]
    expected = [c["id"] for c in records if owner(c) == user and c["project_id"] == project]
    got = await _all(api, user_ids=[user], project_ids=[project])
    assert [c.id for c in got] == expected and all(c.project_id == project for c in got)


async def test_time_filters(api: Any, emulator: EmulatorServer) -> None:
    records = chats(emulator)
    for field in ("created_at", "updated_at"):
        middle = when(sorted(records, key=lambda c: when(c[field]))[len(records) // 2][field])
        order_by = field  # organization-wide, the time filters must match the sort key
        for op, keep in OPERATORS.items():
            got = await _all(api, order_by=order_by, **{f"{field}_{op}": middle})
            expected = {c["id"] for c in records if keep(when(c[field]), middle)}
            assert {c.id for c in got} == expected, (field, op)
            assert 0 < len(got) < len(records)
    # A user-filtered query may combine both.
    user = busiest_owner(emulator)
    mine = [c for c in records if owner(c) == user]
    low = min(when(c["created_at"]) for c in mine)
    got = await _all(api, user_ids=[user], created_at_gt=low, updated_at_gte=low)
    assert [c.id for c in got] == [
        c["id"] for c in mine if when(c["created_at"]) > low and when(c["updated_at"]) >= low
    ]


async def test_user_filtered_walk_backwards(api: Any, emulator: EmulatorServer) -> None:
    user = busiest_owner(emulator)
    mine = [c["id"] for c in chats(emulator) if owner(c) == user]
    assert len(mine) >= 4
    head = await api.chats.list(user_ids=[user], limit=len(mine) - 1)
    walked = [c.id async for c in api.chats.iter(user_ids=[user], before_id=head.last_id, limit=2)]
    assert sorted(walked, key=mine.index) == mine[: len(mine) - 2]
    assert walked[:2] == mine[len(mine) - 4 : len(mine) - 2]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"limit": 0}, "between 1 and 1000"),
        ({"limit": 1001}, "Got 1001"),
        ({"created_at_gte": "2025-01-01"}, "created_at.gte"),
        ({"user_ids": ["user_x"], "order_by": "updated_at"}, "order_by=updated_at"),
        ({"project_ids": ["claude_proj_x"]}, "project_ids"),
        ({"before_id": "claude_chat_x"}, "before_id"),
        ({"updated_at_gte": "2025-01-01T00:00:00Z"}, "created_at"),
        ({"user_ids": [f"user_{n}" for n in range(11)]}, "at most 10"),
        ({"after_id": "bm90IGEgY3Vyc29y"}, "after_id"),
        ({"order_by": "name"}, "order_by"),
    ],
)
async def test_bad_parameters_give_the_servers_400(
    api: Any, params: dict[str, Any], message: str
) -> None:
    with pytest.raises(BadRequestError, match=message) as caught:
        await api.chats.list(**params)
    assert caught.value.status_code == 400


async def test_cursor_is_bound_to_its_sort_key(api: Any) -> None:
    page = await api.chats.list(limit=3)
    with pytest.raises(BadRequestError, match="order_by"):
        await api.chats.list(order_by="updated_at", after_id=page.last_id)


async def test_conflicting_cursors_fail_before_any_request(api: Any) -> None:
    with pytest.raises(ValueError, match="after_id and before_id"):
        await api.chats.list(after_id="a", before_id="b")
    with pytest.raises(ValueError, match="after_id and before_id"):
        api.chats.iter(after_id="a", before_id="b")
    with pytest.raises(ValueError, match="after_id and before_id"):
        await api.chats.get("claude_chat_x", after_id="a", before_id="b")


async def test_get_every_chat_round_trips(api: Any, emulator: EmulatorServer) -> None:
    for record in chats(emulator):
        chat = await api.chats.get(record["id"])
        raw = raw_get(emulator, f"/apps/chats/{record['id']}/messages")
        assert isinstance(chat, Chat) and chat.to_dict() == raw
        assert Chat.from_dict(raw).to_dict() == raw
        assert {k: v for k, v in chat.to_dict().items() if k in record} == record
        stored = emulator.store.chat_messages(record["id"])
        assert [m.id for m in chat.chat_messages] == [m["id"] for m in stored]
        assert chat.has_more is False and all(
            isinstance(m, ChatMessage) for m in chat.chat_messages
        )
        for message in raw["chat_messages"]:
            assert ChatMessage.from_dict(message).to_dict() == message


async def test_every_content_variant_is_typed(api: Any, emulator: EmulatorServer) -> None:
    blocks: dict[type, int] = {}
    references: dict[type, int] = {}
    nulls = {"files": 0, "generated_files": 0, "artifacts": 0}
    redacted = 0
    for record in chats(emulator):
        chat = await api.chats.get(record["id"], tool_use_input_max_chars=-1)
        for message in chat.chat_messages:
            assert message.role in ("user", "assistant")
            for block in message.content:
                blocks[type(block)] = blocks.get(type(block), 0) + 1
                if isinstance(block, ToolResultBlock):
                    assert all(type(item) is TextBlock for item in block.content)
                    assert block.tool_use_id and block.tool_use_id.startswith("toolu_")
                if isinstance(block, ToolUseBlock):
                    json.loads(block.input)  # complete JSON when not cut
                    assert not block.truncated
                if isinstance(block, TextBlock):
                    redacted += block.thinking_redacted
            for name in nulls:
                value = getattr(message, name)
                if value is None:
                    nulls[name] += 1
                for reference in value or []:
                    references[type(reference)] = references.get(type(reference), 0) + 1
    assert set(blocks) == {TextBlock, ToolUseBlock, ToolResultBlock}
    assert set(references) == {FileReference, GeneratedFileReference, ArtifactReference}
    assert all(nulls.values()) and redacted


def test_unknown_block_type_is_preserved() -> None:
    record = {
        "id": "claude_chat_msg_x",
        "role": "assistant",
        "created_at": "2026-01-01T00:00:00Z",
        "content": [
            {"type": "image", "source": {"media_type": "image/png"}},
            {"type": "text", "text": "hi", "thinking_redacted": False, "truncated": False},
        ],
        "files": None,
        "generated_files": None,
        "artifacts": None,
        "reactions": ["+1"],
    }
    message = ChatMessage.from_dict(record)
    image, text = message.content
    assert type(image) is ContentBlock and image.extra == {"source": {"media_type": "image/png"}}
    assert isinstance(text, TextBlock) and text.text == "hi"
    assert message.extra == {"reactions": ["+1"]}
    assert message.to_dict() == record


async def test_get_pages_through_messages(api: Any, emulator: EmulatorServer) -> None:
    chat_id = longest_chat(emulator)["id"]
    expected = [m["id"] for m in emulator.store.chat_messages(chat_id)]
    assert len(expected) >= 5
    first = await api.chats.get(chat_id, limit=2)
    assert [m.id for m in first.chat_messages] == expected[:2] and first.has_more
    second = await api.chats.get(chat_id, limit=2, after_id=first.last_id)
    assert [m.id for m in second.chat_messages] == expected[2:4]
    back = await api.chats.get(chat_id, limit=2, before_id=second.first_id)
    assert [m.id for m in back.chat_messages] == expected[:2] and not back.has_more
    newest = await api.chats.get(chat_id, order="desc", limit=3)
    assert [m.id for m in newest.chat_messages] == expected[::-1][:3]


async def test_iter_messages(api: Any, emulator: EmulatorServer) -> None:
    chat_id = longest_chat(emulator)["id"]
    expected = [m["id"] for m in emulator.store.chat_messages(chat_id)]
    for limit in (1, 2, 3, None):
        walked = [m.id async for m in api.chats.iter_messages(chat_id, limit=limit)]
        assert walked == expected, limit
    backwards = [m.id async for m in api.chats.iter_messages(chat_id, order="desc", limit=2)]
    assert backwards == expected[::-1]
    assert all(
        isinstance(m, ChatMessage) for m in [m async for m in api.chats.iter_messages(chat_id)]
    )


async def test_message_time_filters(api: Any, emulator: EmulatorServer) -> None:
    chat_id = longest_chat(emulator)["id"]
    stored = emulator.store.chat_messages(chat_id)
    middle = stored[len(stored) // 2]["created_at"]
    later = [m["id"] for m in stored if when(m["created_at"]) >= when(middle)]
    chat = await api.chats.get(chat_id, created_at_gte=middle)
    assert [m.id for m in chat.chat_messages] == later
    earlier = [m.id async for m in api.chats.iter_messages(chat_id, created_at_lt=middle, limit=1)]
    assert earlier == [m["id"] for m in stored if when(m["created_at"]) < when(middle)]


async def test_tool_truncation(api: Any, emulator: EmulatorServer) -> None:
    chat_id, stored_block = big_tool_chat(emulator)

    def tool_uses(chat: Chat) -> list[ToolUseBlock]:
        return [b for m in chat.chat_messages for b in m.content if isinstance(b, ToolUseBlock)]

    full = next(b for b in tool_uses(await api.chats.get(chat_id, tool_use_input_max_chars=-1)))
    assert full.input == stored_block["input"] and not full.truncated
    default = next(b for b in tool_uses(await api.chats.get(chat_id)) if b.id == full.id)
    assert default.truncated and len(default.input) == 10_000
    cut = await api.chats.get(chat_id, tool_use_input_max_chars=50, tool_result_max_chars=20)
    for block in tool_uses(cut):
        assert len(block.input) <= 50
    results = [b for m in cut.chat_messages for b in m.content if isinstance(b, ToolResultBlock)]
    assert results and all(len(item.text) <= 20 for b in results for item in b.content)  # type: ignore[attr-defined]
    assert any(b.truncated for b in results)
    walked = [m async for m in api.chats.iter_messages(chat_id, tool_use_input_max_chars=50)]
    assert all(len(b.input) <= 50 for m in walked for b in m.content if isinstance(b, ToolUseBlock))
    with pytest.raises(BadRequestError, match="tool_use_input_max_chars"):
        await api.chats.get(chat_id, tool_use_input_max_chars=0)


async def test_soft_deleted_chats_stay_readable(api: Any, emulator: EmulatorServer) -> None:
    record = next(c for c in chats(emulator) if c["deleted_at"])
    chat = await api.chats.get(record["id"])
    assert chat.deleted_at == record["deleted_at"] and chat.chat_messages


async def test_unknown_chat_names_the_id(api: Any) -> None:
    with pytest.raises(NotFoundError, match="Chat claude_chat_nope not found") as caught:
        await api.chats.get("claude_chat_nope")
    assert caught.value.resource_id == "claude_chat_nope"
    assert caught.value.error_type == "not_found_error"
    with pytest.raises(NotFoundError, match="claude_chat_nope"):
        [m async for m in api.chats.iter_messages("claude_chat_nope")]
    with pytest.raises(ValueError, match="claude_chat_id"):
        await api.chats.get("../files")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"limit": 0}, "between 1 and 1000"),
        ({"limit": 1001}, "Got 1001"),
        ({"order": "random"}, "order"),
        ({"created_at_gte": "yesterday"}, "created_at.gte"),
        ({"after_id": "bm9wZQ=="}, "after_id"),
        ({"tool_result_max_chars": -2}, "tool_result_max_chars"),
    ],
)
async def test_get_bad_parameters(
    api: Any, emulator: EmulatorServer, params: dict[str, Any], message: str
) -> None:
    with pytest.raises(BadRequestError, match=message):
        await api.chats.get(chats(emulator)[0]["id"], **params)


async def test_delete_then_404(make_api: Any, make_emulator: Any) -> None:
    server = make_emulator()
    api = make_api(server=server)
    record = next(
        c
        for c in chats(server)
        if any(m["files"] or m["generated_files"] for m in server.store.chat_messages(c["id"]))
    )
    messages = server.store.chat_messages(record["id"])
    file_ids = [f["id"] for m in messages for f in m["files"] or []]
    generated = [g["id"] for m in messages for g in m["generated_files"] or []]
    assert await api.chats.delete(record["id"]) is None
    with pytest.raises(NotFoundError, match=f"Chat {record['id']} not found"):
        await api.chats.get(record["id"])
    assert record["id"] not in {c.id async for c in api.chats.iter(limit=1000)}
    for file_id in file_ids:  # the chat's uploads went with it
        with pytest.raises(NotFoundError):
            await api.files.get(file_id)
    for gen_id in generated:
        with pytest.raises(NotFoundError):
            await api.generated_files.get(gen_id)
    with pytest.raises(NotFoundError, match=record["id"]):
        await api.chats.delete(record["id"])


async def test_delete_needs_the_delete_scope(make_api: Any, emulator: EmulatorServer) -> None:
    chat_id = chats(emulator)[0]["id"]
    with pytest.raises(PermissionDeniedError, match="delete:compliance_user_data"):
        await make_api(key=READONLY_KEY).chats.delete(chat_id)
    with pytest.raises(PermissionDeniedError, match="read:compliance_user_data"):
        await make_api(key=ADMIN_KEY).chats.get(chat_id)
    assert (await make_api(key=READONLY_KEY).chats.get(chat_id)).id == chat_id
