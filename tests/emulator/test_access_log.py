"""Every compliance request is itself an activity, after the ingestion delay, unless disabled."""

from __future__ import annotations

import time
from collections.abc import Callable

from claude_compliance.emulator import ADMIN_KEY, EmulatorServer
from claude_compliance.emulator.generation import api_key_id_for

from .helpers import V1, api_client

EXCLUDE = {"exclude_activity_types[]": "claude_chat_viewed"}


def _accesses(server: EmulatorServer) -> list[dict[str, object]]:
    return [
        a
        for a in server.store.iter_activities()
        if a["type"] == "compliance_api_accessed" and not str(a["created_at"]).startswith("2025")
    ]


def test_requests_are_recorded(fresh: Callable[..., EmulatorServer]) -> None:
    server = fresh(access_activities=True)
    with api_client(server, **{"user-agent": "siem-exporter/1.0"}) as http:
        ok = http.get(V1 + "/groups", params={"limit": 2})
        missing = http.get(V1 + "/apps/chats/claude_chat_gone/messages")
    with api_client(server, key=ADMIN_KEY) as admin:
        forbidden = admin.get(V1 + "/apps/chats")
    recorded = {a["request_id"]: a for a in _accesses(server)}
    assert len(recorded) == 3
    first = recorded[ok.headers["request-id"]]
    assert first["organization_id"] is None and first["organization_uuid"] is None
    assert first["request_method"] == "GET"
    assert first["status_code"] == 200
    assert first["request_body"] is None
    assert str(first["url"]).endswith("/v1/compliance/groups?limit=2")
    assert first["actor"] == {
        "type": "api_actor",
        "api_key_id": api_key_id_for(server.config.seed, "sk-ant-api01-emulator-full"),
        "ip_address": "127.0.0.1",
        "user_agent": "siem-exporter/1.0",
    }
    assert recorded[missing.headers["request-id"]]["status_code"] == 404
    assert recorded[forbidden.headers["request-id"]]["status_code"] == 403


def test_recorded_accesses_show_up_in_the_feed(fresh: Callable[..., EmulatorServer]) -> None:
    server = fresh(access_activities=True)
    with api_client(server) as http:
        first = http.get(V1 + "/activities", params={"limit": 1})
        newest = http.get(V1 + "/activities", params={"limit": 1}).json()["data"][0]
    assert newest["type"] == "compliance_api_accessed"
    assert newest["request_id"] == first.headers["request-id"]


def test_ingestion_delay(fresh: Callable[..., EmulatorServer]) -> None:
    server = fresh(access_activities=True, ingestion_delay_s=0.6)
    params = {"activity_types[]": "compliance_api_accessed", "limit": 5000}
    with api_client(server) as http:
        before = len(http.get(V1 + "/activities", params=params).json()["data"])
        still = len(http.get(V1 + "/activities", params=params).json()["data"])
        time.sleep(0.7)
        after = len(http.get(V1 + "/activities", params=params).json()["data"])
    assert still == before
    assert after == before + 2


def test_recording_can_be_switched_off(fresh: Callable[..., EmulatorServer]) -> None:
    server = fresh(access_activities=False)
    fingerprint = server.store.fingerprint()
    with api_client(server) as http:
        for _ in range(3):
            assert http.get(V1 + "/activities").status_code == 200
    assert server.store.fingerprint() == fingerprint
