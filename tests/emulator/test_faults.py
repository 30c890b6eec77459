"""Scripted and random faults: status sequences, dropped connections, truncated downloads."""

from __future__ import annotations

from collections.abc import Callable

import httpx2
import pytest

from claude_compliance.emulator import EmulatorServer
from claude_compliance.emulator.faults import Fault

from .helpers import V1, api_client, error_of


def test_scripted_statuses_are_served_in_order(fresh: Callable[..., EmulatorServer]) -> None:
    server = fresh()
    with httpx2.Client(base_url=server.url) as control:
        response = control.post(
            "/_emulator/faults",
            json={
                "method": "GET",
                "path": "/v1/compliance/apps/projects",
                "responses": [
                    {"status": 503},
                    {"status": 429, "headers": {"retry-after": "7"}},
                    {"status": 500, "headers": {"x-should-retry": "false"}},
                    {"status": 418, "body": {"custom": True}},
                ],
            },
        )
        assert response.status_code == 200
        assert control.get("/_emulator/faults").json()["scripts"][0]["remaining"] == 4
    with api_client(server) as http:
        assert http.get(V1 + "/groups").status_code == 200  # other paths are unaffected
        first = http.get(V1 + "/apps/projects")
        second = http.get(V1 + "/apps/projects")
        third = http.get(V1 + "/apps/projects")
        fourth = http.get(V1 + "/apps/projects")
        fifth = http.get(V1 + "/apps/projects")
    assert error_of(first)[:2] == (503, "overloaded_error")
    assert first.headers["request-id"].startswith("req_")
    assert error_of(second)[:2] == (429, "rate_limit_error")
    assert second.headers["retry-after"] == "7"
    assert error_of(third)[:2] == (500, "api_error")
    assert third.headers["x-should-retry"] == "false"
    assert (fourth.status_code, fourth.json()) == (418, {"custom": True})
    assert fifth.status_code == 200


def test_dropped_connection(fresh: Callable[..., EmulatorServer]) -> None:
    server = fresh()
    server.script_faults("GET", "/v1/compliance/activities", {"drop": True})
    with api_client(server) as http:
        with pytest.raises(httpx2.RemoteProtocolError):
            http.get(V1 + "/activities")
        assert http.get(V1 + "/activities").status_code == 200


def test_truncated_download(fresh: Callable[..., EmulatorServer]) -> None:
    server = fresh()
    big = max(server.store.iter_files(), key=lambda record: record["size_bytes"])
    assert big["size_bytes"] > 200_000
    server.script_faults("GET", f"/v1/compliance/apps/chats/files/{big['id']}", {"truncate": True})
    path = f"{V1}/apps/chats/files/{big['id']}/content"
    received = bytearray()
    with api_client(server) as http:
        with pytest.raises(httpx2.RemoteProtocolError):  # noqa: SIM117 - the stream must open
            with http.stream("GET", path) as response:
                assert response.status_code == 200
                for chunk in response.iter_bytes():
                    received += chunk
        assert 0 < len(received) < big["size_bytes"]
        assert len(http.get(path).content) == big["size_bytes"]


def test_lost_delete_response(fresh: Callable[..., EmulatorServer]) -> None:
    server = fresh()
    chat_id = next(server.store.iter_chats())["id"]
    server.script_faults("DELETE", "/v1/compliance/apps/chats/", {"status": 503, "apply": True})
    with api_client(server) as http:
        assert http.delete(f"{V1}/apps/chats/{chat_id}").status_code == 503
        # The delete happened; the retry finds it gone, which a client must treat as success.
        assert http.delete(f"{V1}/apps/chats/{chat_id}").status_code == 404


def test_lost_delete_by_dropped_connection(fresh: Callable[..., EmulatorServer]) -> None:
    server = fresh()
    doc_id = next(server.store.iter_project_documents())["id"]
    server.script_faults(
        "DELETE", "/v1/compliance/apps/projects/documents", {"drop": True, "apply": True}
    )
    with api_client(server) as http:
        with pytest.raises(httpx2.RemoteProtocolError):
            http.delete(f"{V1}/apps/projects/documents/{doc_id}")
        assert http.delete(f"{V1}/apps/projects/documents/{doc_id}").status_code == 404


def test_clearing_faults(fresh: Callable[..., EmulatorServer]) -> None:
    server = fresh()
    server.script_faults("*", "/v1/", {"status": 502})
    with httpx2.Client(base_url=server.url) as control:
        assert control.delete("/_emulator/faults").json() == {"cleared": True}
        bad = control.post("/_emulator/faults", json={"responses": [{"status": 99}]})
        assert bad.status_code == 400
        assert control.post("/_emulator/faults", json={"responses": []}).status_code == 400
        unknown = control.post("/_emulator/faults", json={"responses": [{"colour": "red"}]})
        assert unknown.status_code == 400
    with api_client(server) as http:
        assert http.get(V1 + "/groups").status_code == 200


def test_random_faults_at_a_rate(fresh: Callable[..., EmulatorServer]) -> None:
    server = fresh(fault_rate=0.5, seed=5)
    outcomes: dict[str, int] = {}
    with api_client(server) as http:
        for _ in range(120):
            try:
                status = str(http.get(V1 + "/groups").status_code)
            except httpx2.TransportError:
                status = "dropped"
            outcomes[status] = outcomes.get(status, 0) + 1
    assert 30 <= outcomes.get("200", 0) <= 90
    assert set(outcomes) <= {"200", "500", "502", "503", "529", "dropped"}
    assert len(outcomes) >= 4
    with httpx2.Client(base_url=server.url) as control:  # the control API is never faulted
        assert all(control.get("/_emulator/health").status_code == 200 for _ in range(20))


def test_fault_specs() -> None:
    assert Fault.from_json({"drop": True}).status == 200
    assert Fault.from_json({}).status == 503
    assert Fault(status=429).response_headers() == {"retry-after": "1"}
    assert Fault.from_json({"truncate": True}).runs_handler
    with pytest.raises(ValueError):
        Fault.from_json({"headers": ["x"]})
