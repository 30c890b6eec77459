"""Faults in any part of an exchange: each is one failed attempt, and the pacer stays exact.

The emulator's scripted faults cut responses at chosen points: ``drop`` answers 200 with half a
JSON body, ``truncate`` serves the real reply (a success or an error) and closes the connection
halfway through its body.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from claude_compliance import APIConnectionError, NotFoundError, RateLimitError
from claude_compliance.emulator.server import EmulatorServer

from .test_transport import PROJECTS, script

MISSING_FILE = "claude_file_does_not_exist"
CONTENT = f"/v1/compliance/apps/chats/files/{MISSING_FILE}/content"


@pytest.fixture
def server(make_emulator: Any) -> EmulatorServer:
    return make_emulator()


async def test_final_429_pauses_the_pacer_for_the_servers_retry_after(
    make_api: Any, server: EmulatorServer
) -> None:
    script(server, "GET", PROJECTS, {"status": 429, "headers": {"retry-after": "30"}})
    api = make_api(server=server, max_retries=0)
    with pytest.raises(RateLimitError):
        await api.projects.list(limit=1)
    # Every request sharing the budget now waits the 30 s the server asked for, not 1 s.
    assert api.rate_limit.remaining == 0
    assert 28 < api.rate_limit.acquire() <= 30


async def test_json_body_cut_midway_is_retried(make_api: Any, server: EmulatorServer) -> None:
    script(server, "GET", PROJECTS, {"truncate": True}, {"drop": True})
    page = await make_api(server=server).projects.list(limit=2)
    assert len(page.data) == 2


async def test_json_body_cut_midway_without_retries_is_a_connection_error(
    make_api: Any, server: EmulatorServer
) -> None:
    script(server, "GET", PROJECTS, {"truncate": True})
    api = make_api(server=server, max_retries=0)
    with pytest.raises(APIConnectionError, match="peer closed connection"):
        await api.projects.list(limit=2)
    assert api.rate_limit.in_flight == 0


async def test_download_error_body_cut_midway_is_a_connection_error(
    make_api: Any, server: EmulatorServer
) -> None:
    script(server, "GET", CONTENT, {"truncate": True})
    api = make_api(server=server, max_retries=0)
    with pytest.raises(APIConnectionError):
        await api.files.download(MISSING_FILE)
    assert api.rate_limit.in_flight == 0
    # The next call is paced normally and meets the real answer.
    started = time.monotonic()
    with pytest.raises(NotFoundError, match=MISSING_FILE):
        await api.files.download(MISSING_FILE)
    assert time.monotonic() - started < 5
    assert api.rate_limit.in_flight == 0


async def test_download_error_body_cut_midway_is_retried(
    make_api: Any, server: EmulatorServer
) -> None:
    script(server, "GET", CONTENT, {"truncate": True})
    api = make_api(server=server)
    with pytest.raises(NotFoundError, match=MISSING_FILE):
        await api.files.download(MISSING_FILE)
    assert api.rate_limit.in_flight == 0
