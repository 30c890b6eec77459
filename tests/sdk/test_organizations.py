"""Organizations, their members, preferences and settings over real HTTP against the emulator."""

from __future__ import annotations

import json
from typing import Any

import pytest

from claude_compliance import (
    BadRequestError,
    BooleanSetting,
    ComplianceApiKey,
    DataRetentionSetting,
    IntegerSetting,
    NotFoundError,
    OffsetPage,
    Organization,
    OrganizationSetting,
    OrganizationSettings,
    OrganizationUser,
    PermissionDeniedError,
    ProvisioningModeSetting,
    StringListSetting,
    StringSetting,
    UserPreferences,
)
from claude_compliance.emulator.server import EmulatorServer

from ..support import ADMIN_KEY, raw_get

UNKNOWN_ORG = "00000000-0000-4000-8000-00000000dead"
ORG_DATA_ONLY = "sk-ant-api01-org-data-only"
USER_DATA_ONLY = "sk-ant-api01-user-data-only"


def organizations(server: EmulatorServer) -> list[dict[str, Any]]:
    return list(server.store.iter_organizations())


def preferences(server: EmulatorServer, org_uuid: str) -> list[dict[str, Any]]:
    rows = server.store.query(
        "SELECT preferences FROM memberships WHERE org_uuid = ? ORDER BY joined_ts, user_id",
        (org_uuid,),
    )
    return [json.loads(text) for (text,) in rows]


def is_set(record: dict[str, Any]) -> bool:
    return bool(record["conversation_preferences"] or record["cowork_global_instructions"])


def largest_org(server: EmulatorServer) -> str:
    return max(
        (o["uuid"] for o in organizations(server)),
        key=lambda uuid: len(list(server.store.iter_users(uuid))),
    )


async def test_list_and_iter_organizations(api: Any, emulator: EmulatorServer) -> None:
    expected = organizations(emulator)
    assert len(expected) >= 4
    page = await api.organizations.list()
    assert isinstance(page, OffsetPage) and not page.has_more and page.next_page is None
    assert [o.to_dict() for o in page.data] == expected
    assert all(isinstance(o, Organization) for o in page)
    assert [o.uuid async for o in api.organizations.iter(limit=1)] == [o["uuid"] for o in expected]

    first = await api.organizations.list(limit=3)
    assert first.has_more and first.next_page and len(first.data) == 3
    rest = await api.organizations.list(limit=3, page=first.next_page)
    assert [o.uuid for o in first.data + rest.data] == [o["uuid"] for o in expected]


async def test_organizations_round_trip(api: Any, emulator: EmulatorServer) -> None:
    raw = raw_get(emulator, "/organizations")["data"]
    assert [o.to_dict() async for o in api.organizations.iter()] == raw
    assert all(Organization.from_dict(r).to_dict() == r for r in raw)


async def test_users_of_every_organization(api: Any, emulator: EmulatorServer) -> None:
    for org in organizations(emulator):
        expected = list(emulator.store.iter_users(org["uuid"]))
        walked = [u async for u in api.organizations.iter_users(org["uuid"], limit=2)]
        assert [u.to_dict() for u in walked] == expected
        assert all(isinstance(u, OrganizationUser) and u.organization_role for u in walked)
        raw = raw_get(emulator, f"/organizations/{org['uuid']}/users")["data"]
        assert [OrganizationUser.from_dict(r).to_dict() for r in raw] == raw


async def test_list_users_pages(api: Any, emulator: EmulatorServer) -> None:
    org = largest_org(emulator)
    expected = [u["id"] for u in emulator.store.iter_users(org)]
    assert len(expected) >= 6
    listed: list[str] = []
    token = None
    while True:
        page = await api.organizations.list_users(org, limit=4, page=token)
        listed += [u.id for u in page.data]
        if not page.has_more:
            break
        token = page.next_page
    assert listed == expected


async def test_users_of_unknown_organization(api: Any) -> None:
    with pytest.raises(NotFoundError) as caught:
        await api.organizations.list_users(UNKNOWN_ORG)
    assert UNKNOWN_ORG in str(caught.value) and caught.value.resource_id == UNKNOWN_ORG
    with pytest.raises(NotFoundError, match=UNKNOWN_ORG):
        [u async for u in api.organizations.iter_users(UNKNOWN_ORG)]
    with pytest.raises(NotFoundError, match=UNKNOWN_ORG):
        await api.organizations.list_user_preferences(UNKNOWN_ORG)


async def test_user_preferences_only_set_by_default(api: Any, emulator: EmulatorServer) -> None:
    for org in organizations(emulator):
        everyone = preferences(emulator, org["uuid"])
        walked = [p async for p in api.organizations.iter_user_preferences(org["uuid"], limit=3)]
        assert [p.to_dict() for p in walked] == [p for p in everyone if is_set(p)]
        assert all(isinstance(p, UserPreferences) and p.user_id for p in walked)
        unset = api.organizations.iter_user_preferences(org["uuid"], include_unset=True, limit=3)
        assert [p.to_dict() async for p in unset] == everyone


async def test_user_preferences_short_pages_are_not_the_end(
    api: Any, emulator: EmulatorServer
) -> None:
    org = largest_org(emulator)
    everyone = preferences(emulator, org)
    assert any(not is_set(p) for p in everyone[:-2]), "the world needs unset members early on"
    sizes: list[int] = []
    collected: list[str] = []
    token = None
    while True:
        page = await api.organizations.list_user_preferences(org, limit=2, page=token)
        sizes.append(len(page.data))
        collected += [p.user_id for p in page.data]
        if page.next_page is None:
            break
        token = page.next_page
    assert min(sizes[:-1]) < 2, "some page before the last one is short"
    assert collected == [p["user_id"] for p in everyone if is_set(p)]
    walked = [p.user_id async for p in api.organizations.iter_user_preferences(org, limit=2)]
    assert walked == collected


async def test_settings_of_every_organization(api: Any, emulator: EmulatorServer) -> None:
    variants: set[type] = set()
    for org in organizations(emulator):
        settings = await api.organizations.get_settings(org["uuid"])
        raw = raw_get(emulator, f"/organizations/{org['uuid']}/settings")
        assert isinstance(settings, OrganizationSettings)
        assert settings.to_dict() == raw and OrganizationSettings.from_dict(raw).to_dict() == raw
        assert settings.organization_id == org["uuid"]
        assert settings.type == "effective_organization_settings"
        assert settings.api_keys and all(isinstance(k, ComplianceApiKey) for k in settings.api_keys)
        assert any(not key.is_active for key in settings.api_keys)
        assert any(key.expires_at for key in settings.api_keys)
        names = [s.name for s in settings.settings]
        assert len(names) == len(set(names))
        for setting in settings.settings:
            variants.add(type(setting))
            assert setting.extra == {}
    assert variants == {
        BooleanSetting,
        IntegerSetting,
        StringSetting,
        StringListSetting,
        ProvisioningModeSetting,
        DataRetentionSetting,
    }


async def test_setting_values_are_typed(api: Any, emulator: EmulatorServer) -> None:
    settings = await api.organizations.get_settings(organizations(emulator)[1]["uuid"])
    by_name = {s.name: s for s in settings.settings}
    web = by_name["web_search_enabled"]
    assert isinstance(web, BooleanSetting) and isinstance(web.value, bool)
    domains = by_name["allowed_invite_domains"]
    assert isinstance(domains, StringListSetting) and domains.value == ["acme.example"]
    mode = by_name["sso_provisioning_mode"]
    assert isinstance(mode, ProvisioningModeSetting)
    assert mode.value in {
        "jit_advanced",
        "jit_permissive",
        "login_only",
        "scim_advanced",
        "scim_permissive",
    }
    retention = by_name["data_retention_periods"]
    assert isinstance(retention, DataRetentionSetting)
    assert all(period["type"] in ("fixed", "indefinite") for period in retention.value.values())
    duration = by_name["account_session_duration_seconds"]
    assert isinstance(duration, IntegerSetting)
    assert duration.value is None or duration.value > 0


def test_unknown_setting_type_is_preserved() -> None:
    record = {
        "type": "effective_organization_settings",
        "organization_id": UNKNOWN_ORG,
        "api_keys": [],
        "settings": [
            {"type": "duration", "name": "idle_timeout", "value": {"minutes": 5}},
            {"type": "boolean", "name": "chat_enabled", "value": True},
        ],
    }
    parsed = OrganizationSettings.from_dict(record)
    unknown, known = parsed.settings
    assert type(unknown) is OrganizationSetting and unknown.extra == {"value": {"minutes": 5}}
    assert isinstance(known, BooleanSetting) and known.value is True
    assert parsed.to_dict() == record


async def test_settings_of_unknown_organization(api: Any, emulator: EmulatorServer) -> None:
    with pytest.raises(NotFoundError, match="not found in this organization's hierarchy") as caught:
        await api.organizations.get_settings(UNKNOWN_ORG)
    assert UNKNOWN_ORG in str(caught.value)
    tagged = emulator.store.scalar("SELECT tagged_id FROM orgs LIMIT 1")
    with pytest.raises(NotFoundError):  # the tagged org_… id is not what this path takes
        await api.organizations.get_settings(tagged)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda api, org: api.organizations.list(limit=0), "between 1 and 1000"),
        (lambda api, org: api.organizations.list(limit=1001), "Got 1001"),
        (lambda api, org: api.organizations.list(page="garbage"), "page"),
        (lambda api, org: api.organizations.list_users(org, limit=1001), "between 1 and 1000"),
        (
            lambda api, org: api.organizations.list_user_preferences(org, limit=101),
            "between 1 and 100",
        ),
    ],
)
async def test_bad_parameters_give_the_servers_400(
    api: Any, emulator: EmulatorServer, call: Any, message: str
) -> None:
    with pytest.raises(BadRequestError, match=message) as caught:
        await call(api, organizations(emulator)[1]["uuid"])
    assert caught.value.status_code == 400


async def test_scopes(make_api: Any, make_emulator: Any) -> None:
    server = make_emulator(
        api_keys={
            ORG_DATA_ONLY: ("read:compliance_org_data",),
            USER_DATA_ONLY: ("read:compliance_user_data",),
        }
    )
    org = organizations(server)[1]["uuid"]
    org_data, user_data = (
        make_api(key=ORG_DATA_ONLY, server=server),
        make_api(key=USER_DATA_ONLY, server=server),
    )
    # Organizations and settings need org data; members and preferences need user data.
    assert len((await org_data.organizations.list()).data) >= 4
    assert (await org_data.organizations.get_settings(org)).organization_id == org
    with pytest.raises(PermissionDeniedError, match="read:compliance_user_data"):
        await org_data.organizations.list_users(org)
    with pytest.raises(PermissionDeniedError, match="read:compliance_user_data"):
        await org_data.organizations.list_user_preferences(org)
    assert (await user_data.organizations.list_users(org)).data
    with pytest.raises(PermissionDeniedError, match="read:compliance_org_data"):
        await user_data.organizations.list()
    with pytest.raises(PermissionDeniedError, match="read:compliance_org_data"):
        await user_data.organizations.get_settings(org)
    with pytest.raises(PermissionDeniedError):
        await make_api(key=ADMIN_KEY, server=server).organizations.list()
