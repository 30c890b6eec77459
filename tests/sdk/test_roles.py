"""RBAC roles and their permissions over real HTTP against the emulator."""

from __future__ import annotations

import json
from typing import Any

import pytest

from claude_compliance import (
    BadRequestError,
    NotFoundError,
    OffsetPage,
    PermissionDeniedError,
    Role,
    RolePermission,
)
from claude_compliance.emulator.server import EmulatorServer

from ..support import ADMIN_KEY, raw_get

UNKNOWN_ORG = "00000000-0000-4000-8000-00000000dead"


def org_uuids(server: EmulatorServer) -> list[str]:
    return [o["uuid"] for o in server.store.iter_organizations()]


def roles(server: EmulatorServer, org_uuid: str) -> list[dict[str, Any]]:
    rows = server.store.query(
        "SELECT data FROM roles WHERE org_uuid = ? ORDER BY seq, id", (org_uuid,)
    )
    return [json.loads(data) for (data,) in rows]


def permissions(server: EmulatorServer, role_id: str) -> list[dict[str, Any]]:
    rows = server.store.query(
        "SELECT data FROM role_permissions WHERE role_id = ? ORDER BY seq", (role_id,)
    )
    return [json.loads(data) for (data,) in rows]


async def test_roles_of_every_organization(api: Any, emulator: EmulatorServer) -> None:
    for org in org_uuids(emulator):
        expected = roles(emulator, org)
        assert expected
        page = await api.roles.list(org)
        assert isinstance(page, OffsetPage) and not page.has_more
        assert [r.to_dict() for r in page.data] == expected
        assert all(isinstance(r, Role) for r in page)
        assert [r.to_dict() async for r in api.roles.iter(org, limit=1)] == expected
        raw = raw_get(emulator, f"/organizations/{org}/roles")["data"]
        assert [Role.from_dict(r).to_dict() for r in raw] == raw
    # Some roles were never updated; their timestamps carry no zone, as the API documents.
    every = [r for org in org_uuids(emulator) for r in roles(emulator, org)]
    assert any(r["updated_at"] is None for r in every)


async def test_list_roles_pages(api: Any, emulator: EmulatorServer) -> None:
    org = org_uuids(emulator)[0]
    expected = [r["id"] for r in roles(emulator, org)]
    first = await api.roles.list(org, limit=2)
    assert first.has_more and first.next_page
    second = await api.roles.list(org, limit=2, page=first.next_page)
    assert [r.id for r in first.data + second.data] == expected[:4]


async def test_get_role(api: Any, emulator: EmulatorServer) -> None:
    org = org_uuids(emulator)[1]
    for expected in roles(emulator, org):
        role = await api.roles.get(org, expected["id"])
        assert isinstance(role, Role) and role.to_dict() == expected
        assert role.name and role.id.startswith("rbac_role_")


async def test_permissions_of_every_role(api: Any, emulator: EmulatorServer) -> None:
    for org in org_uuids(emulator):
        for role in roles(emulator, org):
            expected = permissions(emulator, role["id"])
            page = await api.roles.list_permissions(org, role["id"])
            assert [p.to_dict() for p in page.data] == expected
            walked = [p async for p in api.roles.iter_permissions(org, role["id"], limit=1)]
            assert [p.to_dict() for p in walked] == expected
            assert all(isinstance(p, RolePermission) for p in walked)
            assert {p.resource_id for p in walked} == {org}
            assert {p.resource_type for p in walked} == {"organization"}


async def test_unknown_role_and_organization(api: Any, emulator: EmulatorServer) -> None:
    org = org_uuids(emulator)[0]
    with pytest.raises(NotFoundError, match="Role not found") as caught:
        await api.roles.get(org, "rbac_role_nope")
    assert "rbac_role_nope" in str(caught.value) and caught.value.resource_id == "rbac_role_nope"
    with pytest.raises(NotFoundError, match="Role not found"):
        await api.roles.list_permissions(org, "rbac_role_nope")
    with pytest.raises(NotFoundError, match="Role not found"):
        [p async for p in api.roles.iter_permissions(org, "rbac_role_nope")]
    other_org_role = roles(emulator, org_uuids(emulator)[1])[0]["id"]
    with pytest.raises(NotFoundError):  # a role of another organization
        await api.roles.get(org, other_org_role)
    with pytest.raises(NotFoundError, match=UNKNOWN_ORG):
        await api.roles.list(UNKNOWN_ORG)
    with pytest.raises(NotFoundError, match=UNKNOWN_ORG):
        await api.roles.get(UNKNOWN_ORG, other_org_role)


async def test_ids_that_would_change_the_path_are_refused(api: Any) -> None:
    with pytest.raises(ValueError, match="role_id"):
        await api.roles.get("00000000-0000-4000-8000-000000000000", "../groups")
    with pytest.raises(ValueError, match="org_uuid"):
        await api.roles.list("")


async def test_bad_limit_and_scope(api: Any, make_api: Any, emulator: EmulatorServer) -> None:
    org = org_uuids(emulator)[0]
    with pytest.raises(BadRequestError, match=r"between 1 and 1000, inclusive\. Got 1001"):
        await api.roles.list(org, limit=1001)
    with pytest.raises(BadRequestError, match="Got 0"):
        await api.roles.list_permissions(org, roles(emulator, org)[0]["id"], limit=0)
    with pytest.raises(PermissionDeniedError, match="read:compliance_org_data"):
        await make_api(key=ADMIN_KEY).roles.list(org)
