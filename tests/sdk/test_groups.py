"""Groups and their members over real HTTP against the emulator."""

from __future__ import annotations

import json
from typing import Any

import pytest

from claude_compliance import (
    BadRequestError,
    Group,
    GroupMember,
    NotFoundError,
    OffsetPage,
    PermissionDeniedError,
)
from claude_compliance.emulator.server import EmulatorServer

from ..support import ADMIN_KEY, raw_get

ORG_DATA_ONLY = "sk-ant-api01-org-data-only"


def groups(server: EmulatorServer) -> list[dict[str, Any]]:
    return [json.loads(d) for (d,) in server.store.query("SELECT data FROM groups ORDER BY seq")]


def members(server: EmulatorServer, group_id: str) -> list[dict[str, Any]]:
    rows = server.store.query(
        "SELECT data FROM group_members WHERE group_id = ? ORDER BY seq", (group_id,)
    )
    return [json.loads(data) for (data,) in rows]


async def test_list_and_iter_groups(api: Any, emulator: EmulatorServer) -> None:
    expected = groups(emulator)
    assert len(expected) >= 5
    page = await api.groups.list()
    assert isinstance(page, OffsetPage) and not page.has_more
    assert [g.to_dict() for g in page.data] == expected
    assert [g.to_dict() async for g in api.groups.iter(limit=2)] == expected
    first = await api.groups.list(limit=2)
    second = await api.groups.list(limit=2, page=first.next_page)
    assert first.has_more and [g.id for g in first.data + second.data] == [
        g["id"] for g in expected[:4]
    ]


async def test_groups_round_trip_and_fields(api: Any, emulator: EmulatorServer) -> None:
    raw = raw_get(emulator, "/groups")["data"]
    parsed = [g async for g in api.groups.iter()]
    assert [g.to_dict() for g in parsed] == raw
    assert all(Group.from_dict(r).to_dict() == r for r in raw)
    assert {g.source_type for g in parsed} == {"direct", "scim"}
    assert any(g.roles is None for g in parsed) and any(g.roles for g in parsed)
    assert any(g.updated_at is None for g in parsed)
    assert all(isinstance(g, Group) and g.extra == {} for g in parsed)


async def test_name_prefix_filter(api: Any, emulator: EmulatorServer) -> None:
    expected = groups(emulator)
    for prefix in {g["name"].split()[0] for g in expected} | {"Claude Code", "zzz"}:
        got = [g.id async for g in api.groups.iter(name_prefix=prefix, limit=1)]
        assert got == [g["id"] for g in expected if g["name"].startswith(prefix)], prefix
    page = await api.groups.list(name_prefix="zzz")
    assert page.data == [] and not page.has_more


async def test_get_group(api: Any, emulator: EmulatorServer) -> None:
    for expected in groups(emulator):
        group = await api.groups.get(expected["id"])
        assert isinstance(group, Group) and group.to_dict() == expected


async def test_members_of_every_group(api: Any, emulator: EmulatorServer) -> None:
    for group in groups(emulator):
        expected = members(emulator, group["id"])
        assert expected
        walked = [m async for m in api.groups.iter_members(group["id"], limit=2)]
        assert [m.to_dict() for m in walked] == expected
        assert all(isinstance(m, GroupMember) and m.user_id.startswith("user_") for m in walked)
        page = await api.groups.list_members(group["id"])
        assert [m.to_dict() for m in page.data] == expected and not page.has_more
        raw = raw_get(emulator, f"/groups/{group['id']}/members")["data"]
        assert [GroupMember.from_dict(r).to_dict() for r in raw] == raw


async def test_unknown_group(api: Any) -> None:
    with pytest.raises(NotFoundError, match="Group not found") as caught:
        await api.groups.get("rbac_group_nope")
    assert "rbac_group_nope" in str(caught.value)
    assert caught.value.resource_id == "rbac_group_nope"
    with pytest.raises(NotFoundError, match="rbac_group_nope"):
        await api.groups.list_members("rbac_group_nope")
    with pytest.raises(NotFoundError, match="rbac_group_nope"):
        [m async for m in api.groups.iter_members("rbac_group_nope")]


async def test_bad_parameters(api: Any, emulator: EmulatorServer) -> None:
    with pytest.raises(BadRequestError, match=r"between 1 and 1000, inclusive\. Got 0"):
        await api.groups.list(limit=0)
    with pytest.raises(BadRequestError, match="Got 5000"):
        await api.groups.list_members(groups(emulator)[0]["id"], limit=5000)
    with pytest.raises(BadRequestError):
        await api.groups.list(page="not-a-token")


async def test_scopes(make_api: Any, make_emulator: Any) -> None:
    server = make_emulator(api_keys={ORG_DATA_ONLY: ("read:compliance_org_data",)})
    group_id = groups(server)[0]["id"]
    org_data = make_api(key=ORG_DATA_ONLY, server=server)
    assert (await org_data.groups.get(group_id)).id == group_id
    # Group members are user data.
    with pytest.raises(PermissionDeniedError, match="read:compliance_user_data"):
        await org_data.groups.list_members(group_id)
    with pytest.raises(PermissionDeniedError, match="read:compliance_org_data"):
        await make_api(key=ADMIN_KEY, server=server).groups.list()
