"""Local sessions (beta) over real HTTP: token-only paging, transcripts, provenance, errors."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta
from typing import Any

import pytest

from claude_compliance import (
    BadRequestError,
    LocalSession,
    LocalSessionMessage,
    LocalSessionMessagePage,
    MessageProvenance,
    NotFoundError,
    PermissionDeniedError,
    TextBlock,
    TokenPage,
    ToolResultBlock,
    ToolUseBlock,
    UserReference,
)
from claude_compliance.emulator.server import EmulatorServer

from ..support import ADMIN_KEY, raw_get

LIST_PATH = "/v1/compliance/apps/sessions/local"
UNKNOWN_SESSION = "clls_" + base64.urlsafe_b64encode(b'{"v":1,"s":"nobody"}').decode().rstrip("=")


def when(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def sessions(server: EmulatorServer) -> list[dict[str, Any]]:
    """Every local session, newest first (the list's order)."""
    return list(server.store.iter_local_sessions())


def messages(server: EmulatorServer, session_id: str) -> list[dict[str, Any]]:
    rows = server.store.query(
        "SELECT data FROM local_messages WHERE session_id = ? ORDER BY seq", (session_id,)
    )
    return [json.loads(data) for (data,) in rows]


def longest(server: EmulatorServer) -> str:
    return max((s["id"] for s in sessions(server)), key=lambda i: len(messages(server, i)))


async def test_list_is_token_paged(api: Any, emulator: EmulatorServer) -> None:
    expected = sessions(emulator)
    assert len(expected) >= 10
    page = await api.local_sessions.list()
    assert isinstance(page, TokenPage) and not hasattr(page, "has_more")
    assert [s.to_dict() for s in page.data] == expected and page.next_page is None
    first = await api.local_sessions.list(limit=5)
    assert len(first.data) == 5 and first.next_page and first.next_page.startswith("page_")
    walked: list[str] = []
    token = None
    while True:
        current = await api.local_sessions.list(limit=4, page=token)
        walked += [s.id for s in current.data]
        if current.next_page is None:
            break
        token = current.next_page
    assert walked == [s["id"] for s in expected]
    assert [s.id async for s in api.local_sessions.iter(limit=3)] == walked


async def test_records_round_trip(api: Any, emulator: EmulatorServer) -> None:
    raw = raw_get(emulator, "/apps/sessions/local")["data"]
    parsed = [s async for s in api.local_sessions.iter()]
    assert [s.to_dict() for s in parsed] == raw
    assert all(LocalSession.from_dict(r).to_dict() == r for r in raw)
    assert all(isinstance(s.user, UserReference) and s.user.email_address for s in parsed)
    assert any(s.product_surface is None for s in parsed)
    assert any(s.workspace_id for s in parsed) and any(s.workspace_id is None for s in parsed)
    # Unknown product surfaces pass through untouched.
    assert "claude_in_chrome" in {s.product_surface for s in parsed}


async def test_time_filters(api: Any, emulator: EmulatorServer) -> None:
    records = sessions(emulator)
    created = sorted(when(s["created_at"]) for s in records)
    low, high = created[2], created[-3]
    got = [s.id async for s in api.local_sessions.iter(created_at_gte=low, limit=2)]
    assert got == [s["id"] for s in records if when(s["created_at"]) >= low]
    got = [s.id async for s in api.local_sessions.iter(created_at_lt=high)]
    assert got == [s["id"] for s in records if when(s["created_at"]) < high]
    both = [s.id async for s in api.local_sessions.iter(created_at_gte=low, created_at_lt=high)]
    assert both == [s["id"] for s in records if low <= when(s["created_at"]) < high]
    updated = sorted(when(s["updated_at"]) for s in records)[len(records) // 2]
    got = [s.id async for s in api.local_sessions.iter(updated_at_gte=updated)]
    assert got == [s["id"] for s in records if when(s["updated_at"]) >= updated]
    with pytest.raises(BadRequestError, match=r"created_at\.lt must be strictly after"):
        await api.local_sessions.list(created_at_gte=high, created_at_lt=high)
    with pytest.raises(BadRequestError, match=r"created_at\.lt must be strictly after"):
        await api.local_sessions.list(created_at_gte=high, created_at_lt=high - timedelta(days=1))


async def test_short_and_empty_pages_are_not_the_end(make_api: Any, make_emulator: Any) -> None:
    server = make_emulator()
    api = make_api(server=server)
    expected = [s["id"] for s in sessions(server)]
    token = (await api.local_sessions.list(limit=5)).next_page
    # The index answers with an empty page, then a short one, before the real second page.
    server.script_faults(
        "GET",
        LIST_PATH,
        {"status": 200, "body": {"data": [], "next_page": "page_first"}},
        {"status": 200, "body": {"data": [sessions(server)[0]], "next_page": token}},
    )
    walked = [s.id async for s in api.local_sessions.iter(limit=5)]
    assert walked == [expected[0], *expected[5:]]


async def test_get(api: Any, emulator: EmulatorServer) -> None:
    for record in sessions(emulator):
        session = await api.local_sessions.get(record["id"])
        assert isinstance(session, LocalSession) and session.to_dict() == record
        assert session.type == "compliance_local_session"


async def test_transcripts(api: Any, emulator: EmulatorServer) -> None:
    for record in sessions(emulator):
        stored = messages(emulator, record["id"])
        page = await api.local_sessions.list_messages(record["id"])
        assert isinstance(page, LocalSessionMessagePage) and page.next_page is None
        assert page.session.id == record["id"] and page.session.user.email_address is None
        raw = raw_get(emulator, f"/apps/sessions/local/{record['id']}/messages")
        assert [m.to_dict() for m in page.data] == raw["data"]
        assert page.session.to_dict() == raw["session"]
        assert [m["id"] for m in raw["data"]] == [m["id"] for m in stored]
        for message in raw["data"]:
            assert LocalSessionMessage.from_dict(message).to_dict() == message
        walked = [m async for m in api.local_sessions.iter_messages(record["id"], limit=2)]
        assert [m.to_dict() for m in walked] == raw["data"]


async def test_message_paging_and_order(api: Any, emulator: EmulatorServer) -> None:
    session_id = longest(emulator)
    expected = [m["id"] for m in messages(emulator, session_id)]
    first = await api.local_sessions.list_messages(session_id, limit=3)
    assert [m.id for m in first.data] == expected[:3] and first.next_page
    second = await api.local_sessions.list_messages(session_id, limit=3, page=first.next_page)
    assert [m.id for m in second.data] == expected[3:6]
    backwards = [m.id async for m in api.local_sessions.iter_messages(session_id, order="desc")]
    assert backwards == expected[::-1]
    # A transcript token is bound to its session and its order.
    with pytest.raises(BadRequestError, match="not a valid cursor"):
        await api.local_sessions.list_messages(session_id, order="desc", page=first.next_page)
    other = next(s["id"] for s in sessions(emulator) if s["id"] != session_id)
    with pytest.raises(BadRequestError, match="not a valid cursor"):
        await api.local_sessions.list_messages(other, page=first.next_page)


async def test_provenance_and_blocks(api: Any, emulator: EmulatorServer) -> None:
    provenance: dict[str, set[str | None]] = {}
    blocks: set[type] = set()
    for record in sessions(emulator):
        async for message in api.local_sessions.iter_messages(record["id"]):
            assert message.role in ("user", "assistant")
            blocks.update(type(b) for b in message.content)
            if message.provenance is None:
                assert message.model or message.role == "user"
                continue
            assert isinstance(message.provenance, MessageProvenance)
            assert message.model is None
            provenance.setdefault(message.provenance.type, set()).add(message.provenance.reason)
            if message.provenance.type == "content_unavailable":
                assert message.content == []
    assert set(provenance) == {"content_unavailable", "client_asserted", "synthetic_marker"}
    assert {"retention_elapsed", "cmek_key_revoked"} <= provenance["content_unavailable"]
    assert blocks == {TextBlock, ToolUseBlock, ToolResultBlock}


async def test_tool_truncation_in_bytes(api: Any, emulator: EmulatorServer) -> None:
    def tool_uses(items: list[LocalSessionMessage]) -> list[ToolUseBlock]:
        return [b for m in items for b in m.content if isinstance(b, ToolUseBlock)]

    big = None
    for record in sessions(emulator):
        for message in messages(emulator, record["id"]):
            for block in message["content"]:
                if block["type"] == "tool_use" and len(block["input"].encode()) > 10_000:
                    big = (record["id"], block)
    assert big, "the world has a large tool input"
    session_id, stored = big
    full = [
        m async for m in api.local_sessions.iter_messages(session_id, tool_use_input_max_bytes=-1)
    ]
    assert stored["input"] in {b.input for b in tool_uses(full)}
    default = [m async for m in api.local_sessions.iter_messages(session_id)]
    cut = next(b for b in tool_uses(default) if b.id == stored["id"])
    assert cut.truncated and len(cut.input.encode()) <= 10_000
    small = await api.local_sessions.list_messages(
        session_id, tool_use_input_max_bytes=40, tool_result_max_bytes=10
    )
    assert all(len(b.input.encode()) <= 40 for b in tool_uses(small.data))
    results = [b for m in small.data for b in m.content if isinstance(b, ToolResultBlock)]
    assert all(len(i.text.encode()) <= 10 for b in results for i in b.content)  # type: ignore[attr-defined]
    with pytest.raises(BadRequestError, match="tool_result_max_bytes"):
        await api.local_sessions.list_messages(session_id, tool_result_max_bytes=0)


async def test_not_found_and_malformed(api: Any) -> None:
    with pytest.raises(NotFoundError, match="Local session not found") as caught:
        await api.local_sessions.get(UNKNOWN_SESSION)
    assert caught.value.resource_id == UNKNOWN_SESSION and UNKNOWN_SESSION in str(caught.value)
    with pytest.raises(NotFoundError, match="Local session not found"):
        [m async for m in api.local_sessions.iter_messages(UNKNOWN_SESSION)]
    with pytest.raises(BadRequestError, match="malformed"):
        await api.local_sessions.get("clls_not-base64-json")
    with pytest.raises(ValueError, match="local_session_id"):
        await api.local_sessions.get("clls_x/../../chats")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"limit": 0}, r"between 1 and 500, inclusive\. Got 0"),
        ({"limit": 501}, "Got 501"),
        ({"page": "page_garbage"}, "not a valid cursor"),
        ({"created_at_gte": "2026-01-01"}, r"created_at\.gte"),
        ({"updated_at_gte": "soon"}, r"updated_at\.gte"),
    ],
)
async def test_bad_list_parameters(api: Any, params: dict[str, Any], message: str) -> None:
    with pytest.raises(BadRequestError, match=message):
        await api.local_sessions.list(**params)


async def test_feature_unavailable(make_api: Any, make_emulator: Any) -> None:
    server = make_emulator(local_sessions_available=False)
    api = make_api(server=server)
    known = sessions(server)[0]["id"]
    for call in (
        api.local_sessions.list(),
        api.local_sessions.get(known),
        api.local_sessions.list_messages(known),
    ):
        with pytest.raises(NotFoundError, match="Local sessions are not available"):
            await call


async def test_scope(make_api: Any) -> None:
    with pytest.raises(PermissionDeniedError, match="read:compliance_user_data"):
        await make_api(key=ADMIN_KEY).local_sessions.list()
