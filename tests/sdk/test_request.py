"""Request building: path safety and query syntax, before anything reaches the network."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from claude_compliance import ComplianceClient
from claude_compliance._request import exclusive, path, query


@pytest.mark.parametrize("bad", ["", "   ", ".", "..", "a/b", "../etc", "a\\b"])
def test_unsafe_ids_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="project_id"):
        path("/apps/projects/{project_id}", project_id=bad)


def test_non_string_id_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="project_id must be a str"):
        path("/apps/projects/{project_id}", project_id=5)  # type: ignore[arg-type]


def test_ids_are_percent_encoded() -> None:
    url, subject = path("/apps/projects/{project_id}", project_id="a b?c#d%")
    assert url == "/v1/compliance/apps/projects/a%20b%3Fc%23d%25"
    assert subject == "a b?c#d%"


def test_query_uses_wire_syntax() -> None:
    items = query(
        organization_ids=["org_a", "org_b"],
        user_ids=("user_1",),
        created_at_gte="2025-01-01T00:00:00Z",
        updated_at_lt=datetime(2025, 2, 1, tzinfo=UTC),
        include_unset=True,
        limit=5,
        page=None,
    )
    assert items == (
        ("organization_ids[]", "org_a"),
        ("organization_ids[]", "org_b"),
        ("user_ids[]", "user_1"),
        ("created_at.gte", "2025-01-01T00:00:00Z"),
        ("updated_at.lt", "2025-02-01T00:00:00Z"),
        ("include_unset", "true"),
        ("limit", "5"),
    )


def test_offset_datetimes_keep_their_zone() -> None:
    zone = timezone(timedelta(hours=2))
    assert query(created_at_gt=datetime(2025, 1, 1, 12, tzinfo=zone)) == (
        ("created_at.gt", "2025-01-01T12:00:00+02:00"),
    )


def test_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        query(created_at_gte=datetime(2025, 1, 1))


def test_bare_string_list_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="organization_ids expects a list of strings"):
        query(organization_ids="org_abc")
    with pytest.raises(TypeError, match="items must be str"):
        query(user_ids=["user_1", 2])


def test_unsupported_scalar_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="order must be"):
        query(order=1.5)
    with pytest.raises(TypeError, match="RFC 3339"):
        query(created_at_gte=5.0)


def test_exclusive_parameters() -> None:
    exclusive(after_id="a", before_id=None)
    with pytest.raises(ValueError, match="after_id and before_id cannot be combined"):
        exclusive(after_id="a", before_id="b")


def test_client_refuses_unsafe_ids_before_any_request() -> None:
    # Port 9 (discard) is never contacted: the ValueError comes first.
    with ComplianceClient(api_key="sk-ant-api01-x", base_url="http://127.0.0.1:9") as client:
        for call in (client.projects.get, client.projects.delete, client.files.download):
            with pytest.raises(ValueError):
                call("../x")
        with pytest.raises(ValueError):
            client.projects.iter_attachments("")


def test_generated_methods_carry_their_public_names() -> None:
    from claude_compliance import AsyncProjects, Files, Projects

    assert Projects.list.__qualname__ == "Projects.list"
    assert AsyncProjects.iter_attachments.__name__ == "iter_attachments"
    assert Files.download_to_file.__qualname__ == "Files.download_to_file"
    assert "Fetch one offset-paginated page of projects." in (Projects.list.__doc__ or "")
