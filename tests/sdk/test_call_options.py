"""Per-call options (``timeout``, ``extra_headers``, ``extra_query``) and raw responses, over
real HTTP against the emulator, for both clients."""

from __future__ import annotations

from typing import Any

import pytest

from claude_compliance import APITimeoutError, NotFoundError, ProjectDetail, RawResponse
from claude_compliance.emulator.server import EmulatorServer


def user_agents(server: EmulatorServer, since: set[str] | None = None) -> list[str]:
    """User agents of the API accesses recorded after ``since`` (the IDs seen before)."""
    return [
        a["actor"]["user_agent"]
        for a in server.store.iter_activities()
        if a["type"] == "compliance_api_accessed" and a["id"] not in (since or set())
    ]


def accessed(server: EmulatorServer) -> set[str]:
    return {a["id"] for a in server.store.iter_activities()}


@pytest.fixture
def audited(make_emulator: Any) -> EmulatorServer:
    return make_emulator(access_activities=True)


async def test_timeout_per_call_overrides_the_clients(make_api: Any, make_emulator: Any) -> None:
    slow = make_emulator(latency_ms=300)
    api = make_api(server=slow, timeout=0.05, max_retries=0)
    assert len((await api.projects.list(limit=1, timeout=10)).data) == 1
    with pytest.raises(APITimeoutError):
        await api.projects.list(limit=1)
    patient = make_api(server=slow, max_retries=0)
    with pytest.raises(APITimeoutError):
        await patient.projects.list(limit=1, timeout=0.05)


async def test_extra_headers_go_with_that_call_only(make_api: Any, audited: EmulatorServer) -> None:
    api = make_api(server=audited)
    before = accessed(audited)
    await api.projects.list(limit=1, extra_headers={"User-Agent": "legal-hold-bot/2"})
    await api.projects.list(limit=1)
    agents = sorted(user_agents(audited, before))
    assert len(agents) == 2
    assert agents[0].startswith("claude-compliance/") and agents[1] == "legal-hold-bot/2"


async def test_extra_query_adds_and_overrides_parameters(make_api: Any) -> None:
    api = make_api()
    assert len((await api.projects.list(limit=5, extra_query={"limit": 2})).data) == 2
    assert len((await api.projects.list(extra_query={"limit": "3"})).data) == 3


async def test_options_apply_to_every_page_of_a_walk(
    make_api: Any, audited: EmulatorServer
) -> None:
    api = make_api(server=audited)
    before = accessed(audited)
    walked = [p async for p in api.projects.iter(limit=4, extra_headers={"user-agent": "walk"})]
    assert len(walked) == len(list(audited.store.iter_projects()))
    assert user_agents(audited, before) == ["walk"] * -(-len(walked) // 4)


async def test_iter_starts_from_a_given_page_token(make_api: Any) -> None:
    api = make_api()
    first = await api.projects.list(limit=3)
    rest = [p.id async for p in api.projects.iter(limit=3, page=first.next_page)]
    everything = [p.id async for p in api.projects.iter(limit=3)]
    assert rest == everything[3:]


async def test_iter_starts_after_a_given_cursor(make_api: Any) -> None:
    api = make_api()
    first = await api.chats.list(limit=5)
    rest = [c.id async for c in api.chats.iter(limit=5, after_id=first.last_id)]
    everything = [c.id async for c in api.chats.iter(limit=5)]
    assert rest == everything[5:]


async def test_bad_options_fail_before_anything_is_sent(make_api: Any) -> None:
    api = make_api()
    with pytest.raises(ValueError, match="timeout must be >= 0"):
        await api.projects.list(timeout=-1)
    with pytest.raises(TypeError, match="timeout must be"):
        await api.projects.list(timeout="soon")
    with pytest.raises(TypeError, match="extra_headers"):
        await api.projects.list(extra_headers={"x-n": 1})
    with pytest.raises(TypeError, match="extra_query"):
        await api.projects.list(extra_query={"n": 1.5})


async def test_raw_response_of_a_json_call(make_api: Any, emulator: EmulatorServer) -> None:
    project_id = next(iter(emulator.store.iter_projects()))["id"]
    raw = await make_api().projects.get.with_raw_response(project_id, timeout=10)
    assert isinstance(raw, RawResponse)
    assert raw.status_code == 200
    assert raw.request_id and raw.request_id.startswith("req_")
    assert raw.headers["request-id"] == raw.request_id
    assert raw.headers["content-type"].startswith("application/json")
    detail = raw.parse()
    assert isinstance(detail, ProjectDetail) and detail.id == project_id


async def test_raw_response_of_a_download(make_api: Any, emulator: EmulatorServer) -> None:
    blob = next(b for b in emulator.store.iter_blobs() if b.kind == "file")
    raw = await make_api().files.download.with_raw_response(blob.id)
    assert raw.parse() == blob.content
    assert "content-md5" in raw.headers or "content-disposition" in raw.headers
    assert raw.status_code == 200 and raw.request_id


async def test_raw_response_errors_raise_like_the_plain_call(make_api: Any) -> None:
    with pytest.raises(NotFoundError, match="claude_proj_nope"):
        await make_api().projects.get.with_raw_response("claude_proj_nope")


async def test_raw_response_of_a_delete(make_api: Any, make_emulator: Any) -> None:
    server = make_emulator()
    with_chats = {c["project_id"] for c in server.store.iter_chats() if c.get("project_id")}
    project = next(p for p in server.store.iter_projects() if p["id"] not in with_chats)
    raw = await make_api(server=server).projects.delete.with_raw_response(project["id"])
    assert raw.parse() is None and raw.status_code == 200 and raw.request_id
