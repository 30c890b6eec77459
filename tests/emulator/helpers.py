"""Helpers shared by the emulator tests."""

from __future__ import annotations

import httpx2

from claude_compliance.emulator import FULL_KEY, EmulatorServer

VERSION = "2023-06-01"
V1 = "/v1/compliance"


def api_client(server: EmulatorServer, key: str | None = FULL_KEY, **headers: str) -> httpx2.Client:
    """A raw client with the key and version headers the real API expects."""
    base = {"anthropic-version": VERSION}
    if key is not None:
        base["x-api-key"] = key
    return httpx2.Client(base_url=server.url, headers={**base, **headers}, timeout=10)


def error_of(response: httpx2.Response) -> tuple[int, str, str]:
    """(status, error.type, error.message) of an error response, after checking the full
    platform envelope: its ``request_id`` is the ``request-id`` header."""
    body = response.json()
    assert body["type"] == "error"
    assert body["request_id"] == response.headers["request-id"]
    assert set(body) == {"type", "error", "request_id"}
    return response.status_code, body["error"]["type"], body["error"]["message"]
