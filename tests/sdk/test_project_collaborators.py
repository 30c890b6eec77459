"""Project collaborators (a typed union of role holders) over real HTTP against the emulator."""

from __future__ import annotations

from typing import Any

import pytest

from claude_compliance import (
    BadRequestError,
    GroupCollaborator,
    NotFoundError,
    OffsetPage,
    OrganizationCollaborator,
    OrganizationRoleCollaborator,
    PermissionDeniedError,
    ProjectCollaborator,
    UserCollaborator,
)
from claude_compliance.emulator.server import EmulatorServer

from ..support import ADMIN_KEY, raw_get

VARIANTS: dict[str, type[ProjectCollaborator]] = {
    "user": UserCollaborator,
    "group": GroupCollaborator,
    "organization": OrganizationCollaborator,
    "organization_role": OrganizationRoleCollaborator,
}


def projects(server: EmulatorServer) -> list[dict[str, Any]]:
    return list(server.store.iter_projects())


def raw_collaborators(server: EmulatorServer, project_id: str) -> list[dict[str, Any]]:
    body = raw_get(server, f"/apps/projects/{project_id}/collaborators", limit=100)
    assert not body["has_more"]
    data: list[dict[str, Any]] = body["data"]
    return data


async def test_every_project_and_variant(api: Any, emulator: EmulatorServer) -> None:
    seen: set[type] = set()
    for project in projects(emulator):
        raw = raw_collaborators(emulator, project["id"])
        walked = [c async for c in api.projects.iter_collaborators(project["id"], limit=1)]
        assert [c.to_dict() for c in walked] == raw
        for collaborator, record in zip(walked, raw, strict=True):
            assert type(collaborator) is VARIANTS[record["type"]]
            assert collaborator.extra == {}
            assert ProjectCollaborator.from_dict(record).to_dict() == record
            seen.add(type(collaborator))
        granted = [c.granted_at for c in walked]
        assert granted == sorted(granted)
        assert {c.role for c in walked} <= {"admin", "editor", "owner", "viewer"}
    assert seen == set(VARIANTS.values())


async def test_typed_fields(api: Any, emulator: EmulatorServer) -> None:
    found: dict[type, Any] = {}
    for project in projects(emulator):
        async for collaborator in api.projects.iter_collaborators(project["id"]):
            found.setdefault(type(collaborator), collaborator)
    assert found[GroupCollaborator].group_id.startswith("rbac_group_")
    org_uuids = {o["uuid"] for o in emulator.store.iter_organizations()}
    assert found[OrganizationCollaborator].organization_uuid in org_uuids
    assert found[OrganizationRoleCollaborator].organization_role == "admin"
    users = [
        c
        for p in projects(emulator)
        for c in [c async for c in api.projects.iter_collaborators(p["id"])]
        if isinstance(c, UserCollaborator)
    ]
    assert any(u.user_id is None for u in users) and any(u.user_id for u in users)


def test_unknown_collaborator_type_is_preserved() -> None:
    record = {
        "type": "service_account",
        "service_account_id": "svc_1",
        "role": "viewer",
        "granted_at": "2026-01-01T00:00:00Z",
    }
    parsed = ProjectCollaborator.from_dict(record)
    assert type(parsed) is ProjectCollaborator
    assert parsed.extra == {"service_account_id": "svc_1"} and parsed.to_dict() == record


async def test_list_collaborators_pages(api: Any, emulator: EmulatorServer) -> None:
    project = max(projects(emulator), key=lambda p: len(raw_collaborators(emulator, p["id"])))
    expected = raw_collaborators(emulator, project["id"])
    assert len(expected) >= 3
    first = await api.projects.list_collaborators(project["id"], limit=2)
    assert isinstance(first, OffsetPage) and first.has_more and first.next_page
    rest = await api.projects.list_collaborators(project["id"], limit=100, page=first.next_page)
    assert [c.to_dict() for c in first.data + rest.data] == expected
    assert not rest.has_more and rest.next_page is None


async def test_errors(api: Any, make_api: Any, emulator: EmulatorServer) -> None:
    with pytest.raises(NotFoundError, match="claude_proj_nope") as caught:
        await api.projects.list_collaborators("claude_proj_nope")
    assert caught.value.resource_id == "claude_proj_nope"
    with pytest.raises(NotFoundError, match="claude_proj_nope"):
        [c async for c in api.projects.iter_collaborators("claude_proj_nope")]
    project_id = projects(emulator)[0]["id"]
    with pytest.raises(BadRequestError, match=r"between 1 and 100, inclusive\. Got 101"):
        await api.projects.list_collaborators(project_id, limit=101)
    with pytest.raises(BadRequestError):
        await api.projects.list_collaborators(project_id, page="garbage")
    with pytest.raises(PermissionDeniedError, match="read:compliance_user_data"):
        await make_api(key=ADMIN_KEY).projects.list_collaborators(project_id)
