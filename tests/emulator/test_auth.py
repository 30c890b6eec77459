"""Authentication, scopes and the anthropic-version header, in the order the spec gives."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from claude_compliance.emulator import (
    ADMIN_KEY,
    FULL_KEY,
    READONLY_KEY,
    REVOKED_KEY,
    EmulatorServer,
)

from ..support import wait_for_fresh_window
from .helpers import V1, api_client, error_of

INVALID = "The API key provided is invalid or has been revoked."


@pytest.mark.parametrize("key", [None, "", "sk-ant-api03-not-a-compliance-key", REVOKED_KEY])
def test_bad_keys_get_401_without_spending_quota(
    fresh: Callable[..., EmulatorServer], key: str | None
) -> None:
    wait_for_fresh_window()
    server = fresh(rpm=10, access_activities=True)
    before = server.store.counts()["activities"]
    with api_client(server, key=key) as http:
        response = http.get(V1 + "/activities")
    assert error_of(response) == (401, "authentication_error", INVALID)
    assert response.headers["request-id"].startswith("req_")
    assert "anthropic-ratelimit-requests-remaining" not in response.headers
    with api_client(server) as http:
        response = http.get(V1 + "/activities", params={"limit": 1})
    assert response.headers["anthropic-ratelimit-requests-remaining"] == "9"
    # The failed call was not recorded; the good one was.
    assert server.store.counts()["activities"] == before + 1


@pytest.mark.parametrize(
    ("key", "method", "path", "held", "needed"),
    [
        (
            ADMIN_KEY,
            "GET",
            "/apps/chats",
            ["read:compliance_activities"],
            "read:compliance_user_data",
        ),
        (
            ADMIN_KEY,
            "GET",
            "/organizations",
            ["read:compliance_activities"],
            "read:compliance_org_data",
        ),
        (
            READONLY_KEY,
            "DELETE",
            "/apps/chats/claude_chat_x",
            ["read:compliance_activities", "read:compliance_user_data", "read:compliance_org_data"],
            "delete:compliance_user_data",
        ),
    ],
)
def test_missing_scope_is_403_with_python_list_rendering(
    server: EmulatorServer, key: str, method: str, path: str, held: list[str], needed: str
) -> None:
    with api_client(server, key=key) as http:
        response = http.request(method, V1 + path)
    assert error_of(response) == (
        403,
        "permission_error",
        f"Missing required scopes. Got: {held!r} Needed: {[needed]!r}",
    )


def test_every_key_reaches_what_its_scopes_allow(server: EmulatorServer) -> None:
    with api_client(server, key=ADMIN_KEY) as http:
        assert http.get(V1 + "/activities", params={"limit": 1}).status_code == 200
    with api_client(server, key=READONLY_KEY) as http:
        assert http.get(V1 + "/apps/chats", params={"limit": 1}).status_code == 200
        assert http.get(V1 + "/groups").status_code == 200
    with api_client(server, key=FULL_KEY) as http:
        assert http.get(V1 + "/organizations").status_code == 200


def test_rev_j_scope_error_style(fresh: Callable[..., EmulatorServer]) -> None:
    server = fresh(scope_error_style="401")
    with api_client(server, key=ADMIN_KEY) as http:
        response = http.get(V1 + "/apps/projects")
    assert error_of(response) == (
        401,
        "authentication_error",
        "The API key provided does not have the `read:compliance_user_data` scope required for "
        "this endpoint. Got: ['read:compliance_activities']",
    )


def test_scope_failure_spends_quota(fresh: Callable[..., EmulatorServer]) -> None:
    wait_for_fresh_window()
    server = fresh(rpm=5)
    with api_client(server, key=ADMIN_KEY) as http:
        response = http.get(V1 + "/apps/chats")
    assert response.status_code == 403
    assert response.headers["anthropic-ratelimit-requests-remaining"] == "4"


@pytest.mark.parametrize("version", ["2023-06-01", "2026-10-21"])
def test_supported_versions_are_accepted(server: EmulatorServer, version: str) -> None:
    with api_client(server, **{"anthropic-version": version}) as http:
        assert http.get(V1 + "/groups").status_code == 200


@pytest.mark.parametrize("version", ["", "2099-01-01", "latest"])
def test_other_versions_are_rejected(server: EmulatorServer, version: str) -> None:
    with api_client(server, **{"anthropic-version": version}) as http:
        status, error_type, message = error_of(http.get(V1 + "/groups"))
    assert (status, error_type) == (400, "invalid_request_error")
    assert "2023-06-01" in message


def test_missing_version_is_configurable(fresh: Callable[..., EmulatorServer]) -> None:
    accepting = fresh()
    with api_client(accepting) as http:
        http.headers.pop("anthropic-version")
        assert http.get(V1 + "/groups").status_code == 200
    rejecting = fresh(missing_version="reject")
    with api_client(rejecting) as http:
        http.headers.pop("anthropic-version")
        status, error_type, _ = error_of(http.get(V1 + "/groups"))
    assert (status, error_type) == (400, "invalid_request_error")


def test_scope_is_checked_before_the_version(server: EmulatorServer) -> None:
    with api_client(server, key=ADMIN_KEY, **{"anthropic-version": "bad"}) as http:
        assert http.get(V1 + "/groups").status_code == 403


def test_every_response_has_a_request_id(server: EmulatorServer) -> None:
    with api_client(server) as http:
        for path, status in (
            ("/activities", 200),
            ("/apps/chats/claude_chat_missing/messages", 404),
            ("/nowhere", 404),
        ):
            response = http.get(V1 + path)
            assert response.status_code == status
            assert response.headers["request-id"].startswith("req_")
        response = http.put(V1 + "/activities")
        assert error_of(response)[0] == 405
