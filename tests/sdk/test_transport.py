"""The transport over real HTTP: headers, retries, DELETE idempotency, errors and pacing.

Faults are scripted through the emulator's control API, so each scenario is exact: the next
responses to a path are the given statuses (or a dropped connection), then normal service.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import pytest

from claude_compliance import (
    APIConnectionError,
    APITimeoutError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
)
from claude_compliance.emulator.server import EmulatorServer

from ..support import control, wait_for_fresh_window

PROJECTS = "/v1/compliance/apps/projects"


def script(server: EmulatorServer, method: str, path: str, *responses: dict[str, Any]) -> None:
    control(
        server, "POST", "/faults", {"method": method, "path": path, "responses": list(responses)}
    )


@pytest.fixture
def server(make_emulator: Any) -> EmulatorServer:
    return make_emulator(access_activities=True)


def accesses(server: EmulatorServer) -> list[dict[str, Any]]:
    return [a for a in server.store.iter_activities() if a["type"] == "compliance_api_accessed"]


async def test_headers_identify_the_sdk(make_api: Any, server: EmulatorServer) -> None:
    api = make_api(server=server, default_headers={"x-team": "legal"})
    before = {a["id"] for a in accesses(server)}  # the generated world has some of its own
    await api.projects.list(limit=1)
    (access,) = [a for a in accesses(server) if a["id"] not in before]
    assert access["actor"]["user_agent"].startswith("claude-compliance/")
    assert " python/3." in access["actor"]["user_agent"]
    assert access["request_method"] == "GET"
    assert access["url"].endswith("/v1/compliance/apps/projects?limit=1")


async def test_429_with_retry_after_then_success(make_api: Any, server: EmulatorServer) -> None:
    script(server, "GET", PROJECTS, {"status": 429, "headers": {"retry-after": "1"}})
    api = make_api(server=server)
    started = time.monotonic()
    page = await api.projects.list(limit=2)
    assert len(page.data) == 2
    assert time.monotonic() - started >= 0.9  # retry-after was honoured


async def test_two_503s_then_success(make_api: Any, server: EmulatorServer) -> None:
    script(server, "GET", PROJECTS, {"status": 503}, {"status": 503})
    api = make_api(server=server, max_retries=2)
    assert len((await api.projects.list(limit=1)).data) == 1


async def test_retries_run_out(make_api: Any, server: EmulatorServer) -> None:
    script(server, "GET", PROJECTS, {"status": 503}, {"status": 502}, {"status": 529})
    api = make_api(server=server, max_retries=2)
    with pytest.raises(InternalServerError) as caught:
        await api.projects.list()
    assert caught.value.status_code == 529
    assert caught.value.request_id


async def test_should_retry_false_is_not_retried(make_api: Any, server: EmulatorServer) -> None:
    script(server, "GET", PROJECTS, {"status": 500, "headers": {"x-should-retry": "false"}})
    api = make_api(server=server, max_retries=3)
    with pytest.raises(InternalServerError) as caught:
        await api.projects.list()
    assert caught.value.status_code == 500
    # The next request is served normally: only one scripted response was consumed.
    assert (await api.projects.list(limit=1)).data


async def test_should_retry_true_forces_a_retry(make_api: Any, server: EmulatorServer) -> None:
    script(server, "GET", PROJECTS, {"status": 400, "headers": {"x-should-retry": "true"}})
    assert (await make_api(server=server).projects.list(limit=1)).data


async def test_dropped_connection_is_retried(make_api: Any, server: EmulatorServer) -> None:
    script(server, "GET", PROJECTS, {"drop": True})
    assert (await make_api(server=server).projects.list(limit=1)).data


async def test_max_retries_zero_disables_retrying(make_api: Any, server: EmulatorServer) -> None:
    script(server, "GET", PROJECTS, {"status": 429, "headers": {"retry-after": "0"}})
    api = make_api(server=server, max_retries=0)
    with pytest.raises(RateLimitError) as caught:
        await api.projects.list()
    assert caught.value.retry_after == 0
    script(server, "GET", PROJECTS, {"drop": True})
    with pytest.raises(APIConnectionError):
        await api.projects.list()


async def test_delete_whose_response_was_lost_succeeds(
    make_api: Any, server: EmulatorServer
) -> None:
    with_chats = {c["project_id"] for c in server.store.iter_chats() if c.get("project_id")}
    project = next(p for p in server.store.iter_projects() if p["id"] not in with_chats)
    path = f"{PROJECTS}/{project['id']}"
    # The first attempt reaches the server and deletes, but its answer is lost (a drop); the
    # retry then finds the project gone.
    script(server, "DELETE", path, {"drop": True, "apply": True})
    api = make_api(server=server)
    assert await api.projects.delete(project["id"]) is None
    with pytest.raises(NotFoundError):
        await api.projects.get(project["id"])


async def test_delete_after_5xx_then_404_succeeds(make_api: Any, server: EmulatorServer) -> None:
    with_chats = {c["project_id"] for c in server.store.iter_chats() if c.get("project_id")}
    project = next(p for p in server.store.iter_projects() if p["id"] not in with_chats)
    script(server, "DELETE", f"{PROJECTS}/{project['id']}", {"status": 503, "apply": True})
    assert await make_api(server=server).projects.delete(project["id"]) is None


async def test_connection_refused(make_api: Any) -> None:
    from claude_compliance import ComplianceClient

    client = ComplianceClient(api_key="k", base_url="http://127.0.0.1:9", max_retries=1)
    with pytest.raises(APIConnectionError, match=r"connection to http://127\.0\.0\.1:9 failed"):
        client.projects.list()
    client.close()


async def test_timeout(make_api: Any, make_emulator: Any) -> None:
    slow = make_emulator(latency_ms=400)
    api = make_api(server=slow, timeout=0.1, max_retries=1)
    with pytest.raises(APITimeoutError, match="timed out"):
        await api.projects.list()


async def test_retry_decisions_are_logged(
    make_api: Any, server: EmulatorServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="claude_compliance")
    script(server, "GET", PROJECTS, {"status": 503})
    await make_api(server=server).projects.list(limit=1)
    messages = [r.getMessage() for r in caplog.records if r.name == "claude_compliance"]
    assert any(
        "retrying GET /v1/compliance/apps/projects" in m and "HTTP 503" in m for m in messages
    )
    assert any(m.startswith("GET /v1/compliance/apps/projects -> 200") for m in messages)


async def test_rate_limit_429_over_budget(make_api: Any, make_emulator: Any) -> None:
    wait_for_fresh_window()
    limited = make_emulator(rpm=3)
    api = make_api(server=limited, max_retries=0)
    # The first response teaches the pacer the budget; without pacing the 4th request would 429.
    for _ in range(3):
        await api.projects.list(limit=1)
    assert api.rate_limit.remaining == 0
    raw_api = make_api(server=limited, max_retries=0)
    raw_api.rate_limit.enabled = False
    with pytest.raises(RateLimitError) as caught:
        await raw_api.projects.list(limit=1)
    assert caught.value.retry_after and caught.value.retry_after >= 1
    assert caught.value.headers["anthropic-ratelimit-requests-remaining"] == "0"
