"""Remote sessions (beta) over real HTTP: token-only paging, filters and transcripts."""

from __future__ import annotations

import json
import time
from datetime import datetime
from typing import Any

import pytest

from claude_compliance import (
    BadRequestError,
    NotFoundError,
    PermissionDeniedError,
    RemoteSession,
    RemoteSessionMessage,
    RemoteSessionMessagePage,
    TextBlock,
    TokenPage,
    UserReference,
)
from claude_compliance.emulator.server import EmulatorServer

from ..support import ADMIN_KEY, raw_get

LIST_PATH = "/v1/compliance/apps/sessions/remote"


def when(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def sessions(server: EmulatorServer) -> list[dict[str, Any]]:
    """Every remote session, newest first (the list's order)."""
    return list(server.store.iter_remote_sessions())


def messages(server: EmulatorServer, session_id: str) -> list[dict[str, Any]]:
    rows = server.store.query(
        "SELECT data FROM remote_messages WHERE session_id = ? ORDER BY seq", (session_id,)
    )
    return [json.loads(data) for (data,) in rows]


def started(server: EmulatorServer) -> list[dict[str, Any]]:
    return [s for s in sessions(server) if s["status"] != "pending"]


async def test_list_is_token_paged(api: Any, emulator: EmulatorServer) -> None:
    expected = sessions(emulator)
    assert len(expected) >= 8
    page = await api.remote_sessions.list()
    assert isinstance(page, TokenPage) and not hasattr(page, "has_more")
    assert [s.to_dict() for s in page.data] == expected and page.next_page is None
    walked: list[str] = []
    token = None
    while True:
        current = await api.remote_sessions.list(limit=3, page=token)
        walked += [s.id for s in current.data]
        if current.next_page is None:
            break
        token = current.next_page
    assert walked == [s["id"] for s in expected]
    assert [s.id async for s in api.remote_sessions.iter(limit=4)] == walked


async def test_records_round_trip(api: Any, emulator: EmulatorServer) -> None:
    raw = raw_get(emulator, "/apps/sessions/remote")["data"]
    parsed = [s async for s in api.remote_sessions.iter()]
    assert [s.to_dict() for s in parsed] == raw
    assert all(RemoteSession.from_dict(r).to_dict() == r for r in raw)
    agent_owned = [s for s in parsed if s.agent_id]
    assert agent_owned and all(s.user is None for s in agent_owned)
    assert any(isinstance(s.started_by_user, UserReference) for s in agent_owned)
    assert all(isinstance(s.user, UserReference) for s in parsed if not s.agent_id)
    assert "pending" in {s.status for s in parsed}
    assert any(s.claude_project_id for s in parsed)


async def test_filters(api: Any, emulator: EmulatorServer) -> None:
    records = sessions(emulator)
    org = records[0]["organization_uuid"]
    tagged = emulator.store.scalar("SELECT tagged_id FROM orgs WHERE uuid = ?", (org,))
    expected = [s["id"] for s in records if s["organization_uuid"] == org]
    assert [s.id async for s in api.remote_sessions.iter(organization_ids=[org])] == expected
    assert [s.id async for s in api.remote_sessions.iter(organization_ids=[tagged])] == expected

    owned = [s for s in records if s["user"]]
    user = owned[0]["user"]["id"]
    mine = [s["id"] for s in owned if s["user"]["id"] == user]
    assert [s.id async for s in api.remote_sessions.iter(user_ids=[user], limit=1)] == mine
    # Asking for the user who started an agent-owned run does not return that run.
    starter = next(s for s in records if s["started_by_user"])
    by_starter = {
        s.id async for s in api.remote_sessions.iter(user_ids=[starter["started_by_user"]["id"]])
    }
    assert starter["id"] not in by_starter

    middle = when(records[len(records) // 2]["created_at"])
    for name, keep in {
        "created_at_gte": lambda t: t >= middle,
        "created_at_gt": lambda t: t > middle,
        "created_at_lte": lambda t: t <= middle,
        "created_at_lt": lambda t: t < middle,
    }.items():
        got = [s.id async for s in api.remote_sessions.iter(**{name: middle})]
        assert got == [s["id"] for s in records if keep(when(s["created_at"]))], name


async def test_short_and_empty_pages_are_not_the_end(make_api: Any, make_emulator: Any) -> None:
    server = make_emulator()
    api = make_api(server=server)
    expected = [s["id"] for s in sessions(server)]
    token = (await api.remote_sessions.list(limit=4)).next_page
    server.script_faults(
        "GET",
        LIST_PATH,
        {"status": 200, "body": {"data": [], "next_page": "page_a"}},
        {"status": 200, "body": {"data": [], "next_page": "page_b"}},
        {"status": 200, "body": {"data": [sessions(server)[1]], "next_page": token}},
    )
    walked = [s.id async for s in api.remote_sessions.iter(limit=4)]
    assert walked == [expected[1], *expected[4:]]


@pytest.fixture
def unthrottled(make_emulator: Any) -> EmulatorServer:
    """A private emulator without the remote-session budget, for raw reads that do not retry."""
    server: EmulatorServer = make_emulator(remote_sessions_rpm=0)
    return server


async def test_transcripts(make_api: Any, unthrottled: EmulatorServer) -> None:
    api, emulator = make_api(server=unthrottled), unthrottled
    unavailable = 0
    for record in started(emulator):
        stored = messages(emulator, record["id"])
        page = await api.remote_sessions.list_messages(record["id"])
        assert isinstance(page, RemoteSessionMessagePage) and page.next_page is None
        raw = raw_get(emulator, f"/apps/sessions/remote/{record['id']}/messages")
        assert [m.to_dict() for m in page.data] == raw["data"]
        assert page.session.to_dict() == raw["session"]
        assert page.session.started_by_user is None and page.session.claude_project_id is None
        assert page.session.user is None or page.session.user.email_address is None
        assert [m["id"] for m in raw["data"]] == [m["id"] for m in stored]
        for message in raw["data"]:
            assert RemoteSessionMessage.from_dict(message).to_dict() == message
        walked = [m async for m in api.remote_sessions.iter_messages(record["id"], limit=3)]
        assert [m.to_dict() for m in walked] == raw["data"]
        for message in walked:
            if message.content_unavailable:
                unavailable += 1
                assert message.content == []
            else:
                assert isinstance(message.content[-1], TextBlock)
            if record["agent_id"] and message.role == "user":
                assert message.sent_by_user_id
    assert unavailable


async def test_message_paging_and_order(api: Any, emulator: EmulatorServer) -> None:
    session = max(started(emulator), key=lambda s: len(messages(emulator, s["id"])))
    expected = [m["id"] for m in messages(emulator, session["id"])]
    assert len(expected) >= 4
    first = await api.remote_sessions.list_messages(session["id"], limit=2)
    second = await api.remote_sessions.list_messages(session["id"], limit=2, page=first.next_page)
    assert [m.id for m in first.data + second.data] == expected[:4]
    backwards = [m.id async for m in api.remote_sessions.iter_messages(session["id"], order="desc")]
    assert backwards == expected[::-1]
    with pytest.raises(BadRequestError, match="not a valid cursor"):
        await api.remote_sessions.list_messages(session["id"], order="desc", page=first.next_page)
    with pytest.raises(BadRequestError, match="tool_use_input_max_bytes"):
        await api.remote_sessions.list_messages(session["id"], tool_use_input_max_bytes=0)


async def test_pending_unknown_and_malformed(api: Any, emulator: EmulatorServer) -> None:
    pending = next(s for s in sessions(emulator) if s["status"] == "pending")
    with pytest.raises(NotFoundError, match="Remote session not found") as caught:
        await api.remote_sessions.list_messages(pending["id"])
    assert caught.value.resource_id == pending["id"]
    with pytest.raises(NotFoundError, match="cse_01unknownSession"):
        [m async for m in api.remote_sessions.iter_messages("cse_01unknownSession")]
    with pytest.raises(BadRequestError, match="malformed"):
        await api.remote_sessions.list_messages("cse_!")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"limit": 0}, r"between 1 and 500, inclusive\. Got 0"),
        ({"limit": 501}, "Got 501"),
        ({"page": "page_garbage"}, "not a valid cursor"),
        ({"created_at_lte": "2026-13-01T00:00:00Z"}, r"created_at\.lte"),
        ({"user_ids": [f"user_{n}" for n in range(11)]}, "at most 10"),
    ],
)
async def test_bad_list_parameters(api: Any, params: dict[str, Any], message: str) -> None:
    with pytest.raises(BadRequestError, match=message):
        await api.remote_sessions.list(**params)


async def test_secondary_budget_is_waited_out(make_api: Any, make_emulator: Any) -> None:
    # One request a second, in bursts of up to ten: the eleventh call meets a 429.
    server = make_emulator(remote_sessions_rpm=60)
    api = make_api(server=server)
    session = started(server)[0]["id"]
    began = time.monotonic()
    pages = [await api.remote_sessions.list_messages(session) for _ in range(12)]
    assert all(page.data for page in pages)
    assert time.monotonic() - began >= 0.9  # the 429's retry-after: 1 was honoured


async def test_scope(make_api: Any) -> None:
    with pytest.raises(PermissionDeniedError, match="read:compliance_user_data"):
        await make_api(key=ADMIN_KEY).remote_sessions.list()
