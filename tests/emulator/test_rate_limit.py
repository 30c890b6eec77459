"""The shared per-minute budget, its headers, 429s, and the remote-session secondary budget."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from claude_compliance.emulator import ADMIN_KEY, EmulatorServer
from claude_compliance.emulator.errors import RATE_LIMIT_MESSAGE
from claude_compliance.emulator.ratelimit import RateLimiter

from ..support import wait_for_fresh_window
from .helpers import V1, api_client, error_of


def test_headers_on_every_authenticated_response(fresh: Callable[..., EmulatorServer]) -> None:
    wait_for_fresh_window()
    server = fresh(rpm=600)
    with api_client(server) as http:
        first = http.get(V1 + "/groups")
        second = http.get(V1 + "/apps/chats/claude_chat_missing/messages")
    assert first.headers["anthropic-ratelimit-requests-limit"] == "600"
    assert first.headers["anthropic-ratelimit-requests-remaining"] == "599"
    assert second.status_code == 404
    assert second.headers["anthropic-ratelimit-requests-remaining"] == "598"
    reset = datetime.fromisoformat(first.headers["anthropic-ratelimit-requests-reset"])
    assert 0 < reset.timestamp() - time.time() <= 61


def test_budget_is_shared_by_every_key_and_429s(fresh: Callable[..., EmulatorServer]) -> None:
    wait_for_fresh_window()
    server = fresh(rpm=3)
    with api_client(server) as full, api_client(server, key=ADMIN_KEY) as admin:
        assert full.get(V1 + "/groups").status_code == 200
        assert admin.get(V1 + "/activities").status_code == 200
        assert full.get(V1 + "/groups").status_code == 200
        limited = admin.get(V1 + "/activities")
    assert error_of(limited) == (
        429,
        "rate_limit_error",
        RATE_LIMIT_MESSAGE.format(rpm=3),
    )
    assert "600 requests per minute" in RATE_LIMIT_MESSAGE.format(rpm=600)
    retry_after = int(limited.headers["retry-after"])
    assert 1 <= retry_after <= 60
    assert limited.headers["anthropic-ratelimit-requests-remaining"] == "0"
    reset = datetime.fromisoformat(limited.headers["anthropic-ratelimit-requests-reset"])
    assert abs(reset.timestamp() - time.time() - retry_after) <= 1.5
    server.reset_rate_limit()
    with api_client(server) as full:
        assert full.get(V1 + "/groups").status_code == 200


def test_unlimited_budget_still_sends_the_headers(fresh: Callable[..., EmulatorServer]) -> None:
    server = fresh(rpm=0)
    with api_client(server) as http:
        first = http.get(V1 + "/groups")
        missing = http.get(V1 + "/groups/rbac_group_missing")
    assert first.status_code == 200 and missing.status_code == 404
    assert first.headers["anthropic-ratelimit-requests-limit"] == "1000000"
    assert int(missing.headers["anthropic-ratelimit-requests-remaining"]) < int(
        first.headers["anthropic-ratelimit-requests-remaining"]
    )
    assert "anthropic-ratelimit-requests-reset" in missing.headers


def test_remote_session_budget_answers_retry_after_one(
    fresh: Callable[..., EmulatorServer],
) -> None:
    server = fresh(remote_sessions_rpm=6)  # one token a ten seconds, burst of one
    with api_client(server) as http:
        assert http.get(V1 + "/apps/sessions/remote").status_code == 200
        limited = http.get(V1 + "/apps/sessions/remote")
        local = http.get(V1 + "/apps/sessions/local")
    assert error_of(limited)[:2] == (429, "rate_limit_error")
    assert limited.headers["retry-after"] == "1"
    assert local.status_code == 200  # local sessions use only the shared budget


def test_limiter_windows_with_a_fake_clock() -> None:
    now = [120.0]
    limiter = RateLimiter(rpm=2, remote_rpm=60, clock=lambda: now[0])
    assert limiter.take().remaining == 1
    assert limiter.take().remaining == 0
    denied = limiter.take()
    assert not denied.allowed and denied.retry_after == 60
    now[0] = 179.5
    assert limiter.take().retry_after == 1  # never below one second
    now[0] = 180.0
    assert limiter.take().allowed
    remote = [limiter.take_remote() for _ in range(11)]
    assert remote == [True] * 10 + [False]
    now[0] = 181.0
    assert limiter.take_remote()
