"""Projects over real HTTP against the emulator, each test once async and once sync."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest

from claude_compliance import (
    AuthenticationError,
    BadRequestError,
    ConflictError,
    NotFoundError,
    OffsetPage,
    PermissionDeniedError,
    Project,
    ProjectAttachment,
    ProjectDetail,
    ProjectDocAttachment,
    ProjectFileAttachment,
)
from claude_compliance.emulator.server import EmulatorServer

from ..support import ADMIN_KEY, FULL_KEY, READONLY_KEY, REVOKED_KEY, raw_get


def all_projects(server: EmulatorServer) -> list[dict[str, Any]]:
    return list(server.store.iter_projects())


def project_with(server: EmulatorServer, *, chats: bool) -> dict[str, Any]:
    with_chats = {c["project_id"] for c in server.store.iter_chats() if c.get("project_id")}
    return next(p for p in all_projects(server) if (p["id"] in with_chats) == chats)


async def test_list_returns_first_page_in_created_order(api: Any, emulator: EmulatorServer) -> None:
    page = await api.projects.list()
    assert isinstance(page, OffsetPage)
    expected = all_projects(emulator)
    assert [p.id for p in page.data] == [p["id"] for p in expected[:20]]
    assert page.has_more == (len(expected) > 20)
    assert all(isinstance(p, Project) for p in page)
    assert len(page) == len(page.data)


async def test_iter_walks_many_pages_and_agrees_with_list(
    api: Any, emulator: EmulatorServer
) -> None:
    expected = [p["id"] for p in all_projects(emulator)]
    assert len(expected) >= 15  # at least five pages of three
    walked = [p.id async for p in api.projects.iter(limit=3)]
    assert walked == expected
    listed: list[str] = []
    token = None
    pages = 0
    while True:
        page = await api.projects.list(limit=3, page=token)
        listed.extend(p.id for p in page.data)
        pages += 1
        if not page.has_more:
            break
        token = page.next_page
    assert listed == expected and pages >= 5


async def test_records_round_trip_losslessly(api: Any, emulator: EmulatorServer) -> None:
    raw = raw_get(emulator, "/apps/projects", limit=100)["data"]
    parsed = [p async for p in api.projects.iter(limit=100)]
    assert [p.to_dict() for p in parsed] == raw
    assert {Project.from_dict(r).to_dict() == r for r in raw} == {True}
    deleted_creator = [p for p in parsed if p.user is None]
    assert deleted_creator, "the world has projects whose creator was deleted"
    assert {p.is_private for p in parsed} == {True, False}


async def test_filters(api: Any, emulator: EmulatorServer) -> None:
    projects = all_projects(emulator)
    org_uuid = projects[0]["organization_uuid"]
    org_id = projects[0]["organization_id"]
    in_org = [p["id"] for p in projects if p["organization_id"] == org_id]
    assert [p.id async for p in api.projects.iter(organization_ids=[org_id])] == in_org
    assert [p.id async for p in api.projects.iter(organization_ids=[org_uuid])] == in_org

    owner = next(p["user"]["id"] for p in projects if p["user"])
    owned = [p["id"] for p in projects if p["user"] and p["user"]["id"] == owner]
    assert [p.id async for p in api.projects.iter(user_ids=[owner])] == owned

    middle = projects[len(projects) // 2]["created_at"]
    cases = {
        "created_at_gte": lambda p: p["created_at"] >= middle,
        "created_at_gt": lambda p: p["created_at"] > middle,
        "created_at_lte": lambda p: p["created_at"] <= middle,
        "created_at_lt": lambda p: p["created_at"] < middle,
    }
    for name, keep in cases.items():
        got = [p.id async for p in api.projects.iter(**{name: middle})]
        assert got == [p["id"] for p in projects if keep(p)], name

    updated = sorted(p["updated_at"] for p in projects)[len(projects) // 2]
    for name, keep in {
        "updated_at_gte": lambda p: p["updated_at"] >= updated,
        "updated_at_gt": lambda p: p["updated_at"] > updated,
        "updated_at_lte": lambda p: p["updated_at"] <= updated,
        "updated_at_lt": lambda p: p["updated_at"] < updated,
    }.items():
        got = {p.id async for p in api.projects.iter(**{name: updated})}
        assert got == {p["id"] for p in projects if keep(p)}, name


async def test_get_returns_detail(api: Any, emulator: EmulatorServer) -> None:
    project = project_with(emulator, chats=True)
    detail = await api.projects.get(project["id"])
    assert isinstance(detail, ProjectDetail)
    assert detail.id == project["id"] and detail.name == project["name"]
    assert detail.chats_count >= 1
    raw = raw_get(emulator, f"/apps/projects/{project['id']}")
    assert detail.to_dict() == raw
    assert detail.attachments_count == len(
        [a async for a in api.projects.iter_attachments(project["id"])]
    )


async def test_get_unknown_project_names_the_id(api: Any) -> None:
    with pytest.raises(NotFoundError) as caught:
        await api.projects.get("claude_proj_doesnotexist")
    error = caught.value
    assert error.status_code == 404 and error.error_type == "not_found_error"
    assert "claude_proj_doesnotexist" in str(error)
    assert error.resource_id == "claude_proj_doesnotexist"
    assert error.request_id and error.request_id.startswith("req_")


async def test_attachments_of_both_types(api: Any, emulator: EmulatorServer) -> None:
    seen: set[type] = set()
    for project in all_projects(emulator):
        raw = raw_get(emulator, f"/apps/projects/{project['id']}/attachments", limit=100)["data"]
        items = [a async for a in api.projects.iter_attachments(project["id"], limit=2)]
        assert [a.to_dict() for a in items] == raw
        seen.update(type(a) for a in items)
        for item in items:
            assert isinstance(item, ProjectAttachment)
            assert item.type == (
                "project_file" if isinstance(item, ProjectFileAttachment) else "project_doc"
            )
    assert {ProjectFileAttachment, ProjectDocAttachment} <= seen


async def test_list_attachments_pages(api: Any, emulator: EmulatorServer) -> None:
    project = max(
        all_projects(emulator),
        key=lambda p: len(
            raw_get(emulator, f"/apps/projects/{p['id']}/attachments", limit=100)["data"]
        ),
    )
    first = await api.projects.list_attachments(project["id"], limit=1)
    assert len(first.data) == 1 and first.has_more and first.next_page
    second = await api.projects.list_attachments(project["id"], limit=1, page=first.next_page)
    assert second.data[0].id != first.data[0].id


async def test_attachments_of_unknown_project(api: Any) -> None:
    with pytest.raises(NotFoundError, match="claude_proj_nope"):
        await api.projects.list_attachments("claude_proj_nope")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"limit": 0}, "between 1 and 100, inclusive. Got 0"),
        ({"limit": 101}, "between 1 and 100, inclusive. Got 101"),
        ({"created_at_gte": "2024-01-01"}, "created_at.gte"),
        ({"updated_at_lt": "yesterday"}, "updated_at.lt"),
        ({"page": "not-a-token"}, "page"),
    ],
)
async def test_bad_parameters_give_the_servers_400(
    api: Any, params: dict[str, Any], message: str
) -> None:
    with pytest.raises(BadRequestError, match=message) as caught:
        await api.projects.list(**params)
    assert caught.value.status_code == 400
    assert caught.value.error_type == "invalid_request_error"


async def test_bare_string_filter_is_a_type_error(api: Any) -> None:
    with pytest.raises(TypeError, match="organization_ids"):
        await api.projects.list(organization_ids="org_x")


async def test_keys_and_scopes(make_api: Any, emulator: EmulatorServer) -> None:
    with pytest.raises(AuthenticationError) as caught:
        await make_api(key=REVOKED_KEY).projects.list()
    assert "invalid or has been revoked" in caught.value.message
    with pytest.raises(PermissionDeniedError, match="read:compliance_user_data"):
        await make_api(key=ADMIN_KEY).projects.list()
    project = project_with(emulator, chats=False)
    with pytest.raises(PermissionDeniedError, match="delete:compliance_user_data"):
        await make_api(key=READONLY_KEY).projects.delete(project["id"])
    assert (await make_api(key=READONLY_KEY).projects.get(project["id"])).id == project["id"]


async def test_delete_conflict_then_success(make_api: Any, make_emulator: Any) -> None:
    server = make_emulator()
    api = make_api(server=server)
    project = project_with(server, chats=True)
    with pytest.raises(ConflictError) as caught:
        await api.projects.delete(project["id"])
    assert project["id"] in caught.value.message
    assert caught.value.error_type == "conflict_error"
    # Deleting its chats (hard deletes) frees the project.
    chats = [c["id"] for c in server.store.iter_chats() if c.get("project_id") == project["id"]]
    for chat_id in chats:
        response = httpx2.delete(
            f"{server.url}/v1/compliance/apps/chats/{chat_id}", headers={"x-api-key": FULL_KEY}
        )
        assert response.status_code == 200
    assert await api.projects.delete(project["id"]) is None
    with pytest.raises(NotFoundError):
        await api.projects.get(project["id"])
    assert project["id"] not in {p.id async for p in api.projects.iter(limit=100)}


async def test_delete_without_chats_then_get_404(make_api: Any, make_emulator: Any) -> None:
    server = make_emulator()
    api = make_api(server=server)
    project = project_with(server, chats=False)
    assert await api.projects.delete(project["id"]) is None
    with pytest.raises(NotFoundError, match=project["id"]):
        await api.projects.get(project["id"])
    with pytest.raises(NotFoundError):
        await api.projects.delete(project["id"])  # a first attempt that 404s is a real 404
