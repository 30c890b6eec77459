"""Crafted input gets a 400 in the API's error envelope, never a 500: page tokens with huge,
negative or wrongly typed fields, ``1e999``, malformed control-API bodies, unbounded counts.
Over loopback HTTP."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import httpx2
import pytest

from claude_compliance.emulator.server import EmulatorServer

from ..support import FULL_KEY

HEADERS = {"x-api-key": FULL_KEY, "anthropic-version": "2023-06-01"}
PREFIX = "/v1/compliance"
# Replacement values for every field of a real token: too big for SQLite, negative, of the
# wrong JSON type, infinite once parsed.
CRAFTED: list[Any] = [10**30, -1, True, "x", None, [], {}, 1.5, "1e999"]


@pytest.fixture(scope="module")
def world() -> Any:
    with EmulatorServer(seed=7, rpm=0, access_activities=False, chats=30, projects=30) as server:
        yield server


def _decode(token: str) -> tuple[str, dict[str, Any]] | None:
    prefix = "page_" if token.startswith("page_") else ""
    text = token[len(prefix) :]
    try:
        payload = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except ValueError:
        return None
    return (prefix, payload) if isinstance(payload, dict) else None


def _encode(prefix: str, payload: dict[str, Any]) -> str:
    raw = json.dumps(payload, separators=(",", ":")).replace('"1e999"', "1e999").encode()
    return prefix + base64.urlsafe_b64encode(raw).decode()


def _lists(server: EmulatorServer) -> list[tuple[str, dict[str, str], str]]:
    """(path, params, token parameter) for every list with a page token or cursor."""
    org = next(server.store.iter_organizations())["uuid"]
    chat = next(server.store.iter_chats())["id"]
    user = next(server.store.iter_chats())["user"]["id"]
    return [
        (f"{PREFIX}/activities", {"limit": "2"}, "after_id"),
        (f"{PREFIX}/organizations/{org}/users", {"limit": "2"}, "page"),
        (f"{PREFIX}/organizations/{org}/roles", {"limit": "1"}, "page"),
        (f"{PREFIX}/groups", {"limit": "1"}, "page"),
        (f"{PREFIX}/apps/chats", {"limit": "2", "user_ids[]": user}, "after_id"),
        (f"{PREFIX}/apps/chats/{chat}/messages", {"limit": "1"}, "after_id"),
        (f"{PREFIX}/apps/projects", {"limit": "2"}, "page"),
        (f"{PREFIX}/apps/sessions/local", {"limit": "1"}, "page"),
        (f"{PREFIX}/apps/sessions/remote", {"limit": "1"}, "page"),
        (f"{PREFIX}/apps/code/artifacts", {"limit": "1"}, "page"),
    ]


def _token_of(body: dict[str, Any], parameter: str) -> str | None:
    if parameter == "page":
        return body.get("next_page")
    return body.get("last_id")


def test_crafted_page_tokens_are_400s_in_the_error_envelope(world: EmulatorServer) -> None:
    failures = []
    probed = 0
    with httpx2.Client(base_url=world.url, headers=HEADERS) as http:
        for path, params, parameter in _lists(world):
            first = http.get(path, params=params)
            assert first.status_code == 200, (path, first.text)
            token = _token_of(first.json(), parameter)
            decoded = _decode(token) if token else None
            if decoded is None:
                continue
            prefix, payload = decoded
            for field in payload:
                for value in CRAFTED:
                    crafted = _encode(prefix, {**payload, field: value})
                    answer = http.get(path, params={**params, parameter: crafted})
                    probed += 1
                    if answer.status_code >= 500 or (
                        answer.status_code == 400
                        and answer.json().get("error", {}).get("type") != "invalid_request_error"
                    ):
                        failures.append((path, field, value, answer.status_code))
    assert probed > 50
    assert not failures, failures


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/activities", b'{"count": 1e999}'),
        ("/activities", b'{"count": 100000000}'),
        ("/activities", b'{"count": -5}'),
        ("/activities", b'{"count": "many"}'),
        ("/activities", b"[1, 2]"),
        ("/activities", b"{not json"),
        ("/chats", b'{"messages": 1e999}'),
        ("/chats", b'{"messages": 100000000}'),
        ("/chats", b'{"name": {"nested": true}}'),
        ("/chats", b'{"user_id": 7}'),
        ("/projects", b'{"name": ["x"]}'),
        ("/faults", b'{"responses": [{"status": 1e999}]}'),
        ("/faults", b'{"responses": "nope"}'),
        ("/faults", b'{"responses": [7]}'),
        ("/faults", b"\xff\xfe"),
    ],
)
def test_malformed_control_bodies_are_400s(
    make_emulator: Callable[..., EmulatorServer], path: str, body: bytes
) -> None:
    server = make_emulator()
    answer = httpx2.post(f"{server.url}/_emulator{path}", content=body, timeout=30)
    assert answer.status_code == 400, (path, body, answer.status_code, answer.text)
    assert answer.json()["error"]["type"] == "invalid_request_error"
    assert answer.json()["type"] == "error"


# -- the control API off loopback ---------------------------------------------------------------


def test_the_control_token_protects_the_control_api(
    make_emulator: Callable[..., EmulatorServer],
) -> None:
    server = make_emulator(control_token="s3cret-token")
    control = f"{server.url}/_emulator"
    for headers in ({}, {"x-emulator-control-token": "wrong"}):
        refused = httpx2.post(f"{control}/activities", json={"count": 1}, headers=headers)
        assert refused.status_code == 401
        assert refused.json()["error"]["type"] == "authentication_error"
        assert "s3cret" not in refused.text
    before = server.store.counts()
    assert httpx2.delete(f"{control}/faults").status_code == 401
    assert server.store.counts() == before
    allowed = httpx2.post(
        f"{control}/activities",
        json={"count": 1},
        headers={"x-emulator-control-token": "s3cret-token"},
    )
    assert allowed.status_code == 201
    # The Compliance API itself is unaffected: it takes API keys as always.
    listed = httpx2.get(f"{server.url}{PREFIX}/organizations", headers=HEADERS)
    assert listed.status_code == 200


@pytest.mark.parametrize(
    ("arguments", "warned", "unauthenticated"),
    [
        ([], False, False),
        (["--host", "0.0.0.0"], True, True),
        (["--host", "0.0.0.0", "--control-token", "t"], True, False),
    ],
)
def test_binding_beyond_loopback_warns(
    arguments: list[str], warned: bool, unauthenticated: bool
) -> None:
    command = [sys.executable, "-m", "claude_compliance.emulator", "--port", "0", *arguments]
    command += ["--orgs", "1", "--users", "2", "--chats", "1", "--activities", "5"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        assert "http://" in banner
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=30)
    assert ("warning: serving on 0.0.0.0" in stderr) is warned
    assert ("NO authentication" in stderr) is unauthenticated
