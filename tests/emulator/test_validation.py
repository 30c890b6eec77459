"""400s: limits, timestamps, tokens, exclusive parameters and array caps, with the spec's words."""

from __future__ import annotations

import httpx2
import pytest

from .helpers import V1, error_of

LIMITS = [
    ("/activities", 5000),
    ("/apps/chats", 1000),
    ("/organizations", 1000),
    ("/groups", 1000),
    ("/apps/projects", 100),
    ("/apps/code/artifacts", 100),
    ("/apps/sessions/local", 500),
    ("/apps/sessions/remote", 500),
]


@pytest.mark.parametrize(("path", "maximum"), LIMITS)
def test_limit_bounds_per_endpoint(client: httpx2.Client, path: str, maximum: int) -> None:
    assert client.get(V1 + path, params={"limit": maximum}).status_code == 200
    for bad in (0, maximum + 1):
        assert error_of(client.get(V1 + path, params={"limit": bad})) == (
            400,
            "invalid_request_error",
            f"The limit parameter must be between 1 and {maximum}, inclusive. Got {bad}.",
        )


def test_non_numeric_limit(client: httpx2.Client) -> None:
    status, _, message = error_of(client.get(V1 + "/apps/chats", params={"limit": "ten"}))
    assert status == 400
    assert message == "The limit parameter must be between 1 and 1000, inclusive. Got ten."


@pytest.mark.parametrize(
    "value", ["2024-01-01", "2024-01-01T00:00:00", "yesterday", "2024-13-01T00:00:00Z"]
)
@pytest.mark.parametrize("name", ["created_at.gte", "created_at.lt"])
def test_timestamps_need_time_and_zone(client: httpx2.Client, name: str, value: str) -> None:
    assert error_of(client.get(V1 + "/activities", params={name: value})) == (
        400,
        "invalid_request_error",
        f"The `{name}` parameter contains an invalid timestamp format. Timestamps must be "
        f'provided in RFC 3339 format e.g., "2024-03-01T00:00:00Z". Got "{value}".',
    )


def test_timestamps_with_offsets_are_understood(client: httpx2.Client) -> None:
    utc = client.get(
        V1 + "/activities", params={"created_at.lt": "2025-03-01T00:00:00Z", "limit": 5000}
    ).json()["data"]
    shifted = client.get(
        V1 + "/activities", params={"created_at.lt": "2025-03-01T02:00:00+02:00", "limit": 5000}
    ).json()["data"]
    assert utc == shifted
    assert all(item["created_at"] < "2025-03-01" for item in utc)


def test_updated_at_timestamps_are_validated(client: httpx2.Client) -> None:
    response = client.get(V1 + "/apps/projects", params={"updated_at.gt": "soon"})
    assert error_of(response)[0:2] == (400, "invalid_request_error")
    assert "`updated_at.gt`" in error_of(response)[2]


def test_include_and_exclude_types_are_exclusive(client: httpx2.Client) -> None:
    params = {
        "activity_types[]": "claude_chat_created",
        "exclude_activity_types[]": "compliance_api_accessed",
    }
    status, error_type, _ = error_of(client.get(V1 + "/activities", params=params))
    assert (status, error_type) == (400, "invalid_request_error")


def test_unknown_activity_type(client: httpx2.Client) -> None:
    response = client.get(V1 + "/activities", params={"activity_types[]": "chat_made"})
    assert error_of(response)[0] == 400


def test_after_and_before_are_exclusive(client: httpx2.Client) -> None:
    params = {"after_id": "activity_x", "before_id": "activity_y"}
    assert error_of(client.get(V1 + "/activities", params=params))[0] == 400


@pytest.mark.parametrize("token", ["%%%", "bm90LWpzb24", "activity_doesnotexist"])
def test_bad_activity_cursor(client: httpx2.Client, token: str) -> None:
    assert error_of(client.get(V1 + "/activities", params={"after_id": token})) == (
        400,
        "invalid_request_error",
        f'Invalid `after_id`. No activity found for `after_id` "{token}"',
    )


@pytest.mark.parametrize(
    "path",
    [
        "/organizations",
        "/groups",
        "/apps/projects",
        "/apps/code/artifacts",
        "/apps/sessions/local",
        "/apps/sessions/remote",
    ],
)
def test_bad_page_token(client: httpx2.Client, path: str) -> None:
    assert error_of(client.get(V1 + path, params={"page": "not-a-token!"})) == (
        400,
        "invalid_request_error",
        "The page parameter is not a valid cursor for this request.",
    )


def test_page_token_from_another_listing_is_rejected(client: httpx2.Client) -> None:
    token = client.get(V1 + "/groups", params={"limit": 1}).json()["next_page"]
    assert token
    assert error_of(client.get(V1 + "/organizations", params={"page": token}))[0] == 400


def test_array_caps(client: httpx2.Client) -> None:
    eleven = [("user_ids[]", f"user_{n}") for n in range(11)]
    assert error_of(client.get(V1 + "/apps/chats", params=eleven))[0] == 400
    assert error_of(client.get(V1 + "/apps/sessions/remote", params=eleven))[0] == 400
    many_orgs = [("organization_ids[]", f"org_{n}") for n in range(501)]
    assert error_of(client.get(V1 + "/activities", params=many_orgs))[0] == 400


def test_array_params_need_brackets(client: httpx2.Client) -> None:
    status, _, message = error_of(client.get(V1 + "/apps/chats", params={"user_ids": "user_1"}))
    assert status == 400
    assert "user_ids[]" in message


def test_chat_list_rules_for_org_wide_queries(client: httpx2.Client) -> None:
    bad = [
        {"project_ids[]": "claude_proj_x"},
        {"user_ids[]": "user_x", "order_by": "updated_at"},
        {"updated_at.gte": "2025-01-01T00:00:00Z"},
        {"order_by": "updated_at", "created_at.gte": "2025-01-01T00:00:00Z"},
        {"before_id": "claude_chat_x"},
        {"order_by": "title"},
    ]
    for params in bad:
        assert error_of(client.get(V1 + "/apps/chats", params=params))[0] == 400, params
    ok = {"order_by": "updated_at", "updated_at.gte": "2025-01-01T00:00:00Z"}
    assert client.get(V1 + "/apps/chats", params=ok).status_code == 200


def test_chat_cursor_is_bound_to_its_sort_key(client: httpx2.Client) -> None:
    page = client.get(V1 + "/apps/chats", params={"limit": 2}).json()
    response = client.get(
        V1 + "/apps/chats", params={"after_id": page["last_id"], "order_by": "updated_at"}
    )
    status, _, message = error_of(response)
    assert status == 400
    assert "order_by" in message


def test_truncation_parameters(client: httpx2.Client) -> None:
    chat_id = client.get(V1 + "/apps/chats", params={"limit": 1}).json()["data"][0]["id"]
    path = f"{V1}/apps/chats/{chat_id}/messages"
    for value in ("0", "-2", "x"):
        assert error_of(client.get(path, params={"tool_result_max_chars": value}))[0] == 400
    assert client.get(path, params={"tool_use_input_max_chars": -1}).status_code == 200


def test_local_session_window_must_be_ordered(client: httpx2.Client) -> None:
    params = {"created_at.gte": "2025-06-01T00:00:00Z", "created_at.lt": "2025-06-01T00:00:00Z"}
    assert error_of(client.get(V1 + "/apps/sessions/local", params=params)) == (
        400,
        "invalid_request_error",
        "created_at.lt must be strictly after created_at.gte.",
    )


def test_malformed_session_ids(client: httpx2.Client) -> None:
    assert error_of(client.get(V1 + "/apps/sessions/local/clls_%21%21"))[0] == 400
    assert error_of(client.get(V1 + "/apps/sessions/local/nope"))[0] == 400
    assert error_of(client.get(V1 + "/apps/sessions/remote/cse_!!/messages"))[0] == 400


def test_boolean_and_enum_parameters(client: httpx2.Client) -> None:
    org = client.get(V1 + "/organizations").json()["data"][1]["uuid"]
    path = f"{V1}/organizations/{org}/user_preferences"
    assert error_of(client.get(path, params={"include_unset": "maybe"}))[0] == 400
    assert error_of(client.get(V1 + "/activities", params={"order": "up"}))[0] == 400


def test_parameters_are_checked_before_existence(client: httpx2.Client) -> None:
    response = client.get(V1 + "/organizations/00000000-0000-0000-0000-000000000000/users",
                          params={"limit": 0})  # fmt: skip
    assert error_of(response)[0] == 400


UNKNOWN_WITH_PARAMETERS = [
    "/apps/chats/claude_chat_missing/messages",
    "/apps/projects/claude_proj_missing/attachments",
    "/apps/projects/claude_proj_missing/collaborators",
    "/organizations/00000000-0000-4000-8000-000000000000/users",
    "/organizations/00000000-0000-4000-8000-000000000000/user_preferences",
    "/organizations/00000000-0000-4000-8000-000000000000/roles",
    "/organizations/00000000-0000-4000-8000-000000000000/roles/rbac_role_missing/permissions",
    "/groups/rbac_group_missing/members",
    "/apps/sessions/local/clls_eyJtaXNzaW5nIjp0cnVlfQ/messages",
    "/apps/sessions/remote/cse_01missing0000000000000000/messages",
]


@pytest.mark.parametrize("path", UNKNOWN_WITH_PARAMETERS)
def test_validation_before_existence(client: httpx2.Client, path: str) -> None:
    """Spec §12: a bad parameter on an unknown object is a 400, not a 404."""
    status, error_type, message = error_of(client.get(V1 + path, params={"limit": 0}))
    assert (status, error_type) == (400, "invalid_request_error"), message
    assert client.get(V1 + path).status_code == 404
