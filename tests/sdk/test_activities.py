"""The Activity Feed over real HTTP against the emulator, each test once async and once sync."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from claude_compliance import (
    Activity,
    Actor,
    AdminApiKeyActor,
    AnthropicActor,
    ApiActor,
    AttestedDeviceActor,
    AuthenticationError,
    BadRequestError,
    CursorPage,
    FederatedActor,
    FederatedIdentityActor,
    PermissionDeniedError,
    ScimDirectorySyncActor,
    ServiceAccountActor,
    SystemActor,
    UnauthenticatedUserActor,
    UserActor,
)
from claude_compliance.emulator.server import EmulatorServer

from ..support import ADMIN_KEY, REVOKED_KEY, raw_get

ACTOR_CLASSES: dict[str, type[Actor]] = {
    "user_actor": UserActor,
    "api_actor": ApiActor,
    "unauthenticated_user_actor": UnauthenticatedUserActor,
    "anthropic_actor": AnthropicActor,
    "scim_directory_sync_actor": ScimDirectorySyncActor,
    "admin_api_key_actor": AdminApiKeyActor,
    "system_actor": SystemActor,
    "service_account_actor": ServiceAccountActor,
    "federated_identity_actor": FederatedIdentityActor,
    "federated_actor": FederatedActor,
    "attested_device_actor": AttestedDeviceActor,
}


def feed(server: EmulatorServer) -> list[dict[str, Any]]:
    """Every activity, newest first (the feed's default order)."""
    return list(server.store.iter_activities())


def ids(records: list[dict[str, Any]]) -> list[str]:
    return [record["id"] for record in records]


async def test_list_returns_the_newest_page(api: Any, emulator: EmulatorServer) -> None:
    page = await api.activities.list(limit=25)
    assert isinstance(page, CursorPage)
    assert [a.id for a in page] == ids(feed(emulator))[:25]
    assert page.has_more and page.first_id and page.last_id
    assert all(isinstance(a, Activity) and isinstance(a.actor, Actor) for a in page.data)
    default = await api.activities.list()
    assert len(default.data) == 100  # the server's default page size


async def test_iter_walks_every_page_and_agrees_with_list(
    api: Any, emulator: EmulatorServer
) -> None:
    expected = ids(feed(emulator))
    assert len(expected) >= 2000
    assert [a.id async for a in api.activities.iter(limit=150)] == expected  # 14 pages

    listed: list[str] = []
    cursor = None
    pages = 0
    while True:
        page = await api.activities.list(limit=333, after_id=cursor)
        listed += [a.id for a in page.data]
        pages += 1
        if not page.has_more:
            break
        cursor = page.last_id
    assert listed == expected and pages == -(-len(expected) // 333)


async def test_ascending_order(api: Any, emulator: EmulatorServer) -> None:
    expected = list(reversed(ids(feed(emulator))))
    assert [a.id async for a in api.activities.iter(order="asc", limit=400)] == expected
    page = await api.activities.list(order="asc", limit=5)
    assert [a.id for a in page.data] == expected[:5]


async def test_resume_forward_from_a_saved_cursor(api: Any, emulator: EmulatorServer) -> None:
    expected = ids(feed(emulator))
    first = await api.activities.list(limit=120)
    second = await api.activities.list(limit=120, after_id=first.last_id)
    saved = second.last_id  # what a backfill job would persist
    resumed = [a.id async for a in api.activities.iter(after_id=saved, limit=500)]
    assert resumed == expected[240:]
    # A raw activity id is accepted as a cursor too.
    by_id = [a.id async for a in api.activities.iter(after_id=expected[239], limit=500)]
    assert by_id == expected[240:]


async def test_walk_backwards_from_before_id(api: Any, emulator: EmulatorServer) -> None:
    expected = ids(feed(emulator))
    start = 1000
    page = await api.activities.list(limit=50, after_id=expected[start - 1])
    assert page.data[0].id == expected[start]
    walked = [a.id async for a in api.activities.iter(before_id=page.first_id, limit=70)]
    # Newer items only, each page in feed order, pages nearest the cursor first.
    assert sorted(walked, key=expected.index) == expected[:start]
    assert len(set(walked)) == len(walked) == start
    assert walked[:70] == expected[start - 70 : start]
    assert walked[70:140] == expected[start - 140 : start - 70]
    before = await api.activities.list(limit=70, before_id=page.first_id)
    assert [a.id for a in before.data] == expected[start - 70 : start]
    assert before.has_more


async def test_catch_up_with_before_id_sees_new_activities(
    make_api: Any, make_emulator: Any
) -> None:
    server = make_emulator(access_activities=True)
    api = make_api(server=server)
    newest = await api.activities.list(limit=10)
    known = {a.id for a in newest.data}
    for _ in range(3):
        await api.projects.list(limit=1)
    # Catch-up: newer than the newest page seen before.
    new = [a async for a in api.activities.iter(before_id=newest.first_id, limit=2)]
    assert new and not known & {a.id for a in new}
    project_reads = [
        a for a in new if a.type == "compliance_api_accessed" and "/apps/projects" in a.extra["url"]
    ]
    assert len(project_reads) == 3
    assert all(isinstance(a.actor, ApiActor) for a in project_reads)
    assert {a.extra["status_code"] for a in project_reads} == {200}


async def test_type_filters(api: Any, emulator: EmulatorServer) -> None:
    records = feed(emulator)
    wanted = ["claude_chat_created", "sso_login_succeeded"]
    got = [a async for a in api.activities.iter(activity_types=wanted, limit=500)]
    assert [a.id for a in got] == ids([r for r in records if r["type"] in wanted])
    assert {a.type for a in got} == set(wanted)

    dropped = ["compliance_api_accessed", "claude_chat_viewed"]
    rest = [a.id async for a in api.activities.iter(exclude_activity_types=dropped, limit=1000)]
    assert rest == ids([r for r in records if r["type"] not in dropped])
    assert len(rest) < len(records)


async def test_actor_and_user_filters(api: Any, emulator: EmulatorServer) -> None:
    records = feed(emulator)
    by_user: dict[str, list[str]] = {}
    for record in records:
        user_id = record["actor"].get("user_id")
        if user_id:
            by_user.setdefault(user_id, []).append(record["id"])
    first, second = sorted(by_user, key=lambda u: -len(by_user[u]))[:2]
    assert [a.id async for a in api.activities.iter(actor_ids=[first])] == by_user[first]
    assert [a.id async for a in api.activities.iter(user_ids=[second])] == by_user[second]
    merged = [a.id async for a in api.activities.iter(actor_ids=[first], user_ids=[second])]
    assert merged == [r["id"] for r in records if r["actor"].get("user_id") in (first, second)]
    actors = [a.actor async for a in api.activities.iter(actor_ids=[first])]
    assert all(isinstance(actor, UserActor) and actor.user_id == first for actor in actors)


async def test_organization_filter(api: Any, emulator: EmulatorServer) -> None:
    records = feed(emulator)
    org = next(o for o in emulator.store.iter_organizations())
    tagged = next(r["organization_id"] for r in records if r["organization_uuid"] == org["uuid"])
    expected = [r["id"] for r in records if r["organization_uuid"] == org["uuid"]]
    assert expected
    by_uuid = [a.id async for a in api.activities.iter(organization_ids=[org["uuid"]], limit=500)]
    by_tag = [a.id async for a in api.activities.iter(organization_ids=[tagged], limit=500)]
    assert by_uuid == by_tag == expected


async def test_time_filters(api: Any, emulator: EmulatorServer) -> None:
    records = feed(emulator)
    middle = records[len(records) // 2]["created_at"]
    at = _when(middle)
    cases = {
        "created_at_gte": lambda r: _when(r["created_at"]) >= at,
        "created_at_gt": lambda r: _when(r["created_at"]) > at,
        "created_at_lte": lambda r: _when(r["created_at"]) <= at,
        "created_at_lt": lambda r: _when(r["created_at"]) < at,
    }
    for name, keep in cases.items():
        got = [a.id async for a in api.activities.iter(limit=1000, **{name: middle})]
        assert got == [r["id"] for r in records if keep(r)], name
    # A window, with aware datetimes instead of strings.
    low = at
    high = low + timedelta(days=30)
    window = [
        a async for a in api.activities.iter(created_at_gte=low, created_at_lt=high, limit=1000)
    ]
    assert window and all(low <= _when(a.created_at) < high for a in window)
    assert len(window) == len([r for r in records if low <= _when(r["created_at"]) < high])


def _when(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


async def test_every_record_round_trips(api: Any, emulator: EmulatorServer) -> None:
    raw = raw_get(emulator, "/activities", limit=5000)["data"]
    assert len(raw) == len(feed(emulator))
    parsed = [a async for a in api.activities.iter(limit=5000)]
    assert [a.to_dict() for a in parsed] == raw
    for record in raw:
        assert Activity.from_dict(record).to_dict() == record
    # The type-specific fields live in ``extra``, untouched.
    settings = next(a for a in parsed if a.type == "claude_organization_settings_updated")
    assert isinstance(settings.extra["updates"], list)
    chat = next(a for a in parsed if a.type == "claude_chat_created")
    assert chat.extra["claude_chat_id"].startswith("claude_chat_")


async def test_every_actor_type_parses_into_its_class(api: Any) -> None:
    seen: dict[str, Actor] = {}
    async for activity in api.activities.iter(limit=5000):
        seen.setdefault(activity.actor.type, activity.actor)
    assert set(seen) == set(ACTOR_CLASSES)
    for actor_type, actor in seen.items():
        assert type(actor) is ACTOR_CLASSES[actor_type], actor_type
        assert actor.extra == {}, actor_type  # every documented field is modelled
    user = seen["user_actor"]
    assert isinstance(user, UserActor) and user.user_id.startswith("user_")
    federated = seen["federated_actor"]
    assert isinstance(federated, FederatedActor) and federated.provider["type"]
    identity = seen["federated_identity_actor"]
    assert isinstance(identity, FederatedIdentityActor) and identity.audience


def test_unknown_actor_type_parses_as_the_base() -> None:
    record = {
        "id": "activity_x",
        "created_at": "2026-01-01T00:00:00Z",
        "organization_id": None,
        "organization_uuid": None,
        "type": "robot_arm_moved",
        "actor": {"type": "robot_actor", "serial": "R2", "ip_address": "192.0.2.1"},
        "degrees": 90,
    }
    activity = Activity.from_dict(record)
    assert type(activity.actor) is Actor
    assert activity.actor.extra == {"serial": "R2", "ip_address": "192.0.2.1"}
    assert activity.extra == {"degrees": 90}
    assert activity.to_dict() == record
    sparse = {"id": "activity_y", "created_at": "2026-01-01T00:00:00Z", "type": "t"}
    sparse["actor"] = {"type": "system_actor"}  # type: ignore[assignment]
    parsed = Activity.from_dict(sparse)
    assert isinstance(parsed.actor, SystemActor) and parsed.actor.service is None
    assert parsed.organization_id is None and parsed.to_dict() == sparse


async def test_conflicting_arguments_fail_before_any_request(make_api: Any) -> None:
    # Nothing listens on this port: a request would be a connection error, not a ValueError.
    api = make_api(server=_Nowhere(), max_retries=0)
    with pytest.raises(ValueError, match="activity_types and exclude_activity_types"):
        await api.activities.list(activity_types=["a"], exclude_activity_types=["b"])
    with pytest.raises(ValueError, match="after_id and before_id"):
        await api.activities.list(after_id="x", before_id="y")
    with pytest.raises(ValueError, match="after_id and before_id"):
        api.activities.iter(after_id="x", before_id="y")
    with pytest.raises(ValueError, match="exclude_activity_types"):
        api.activities.iter(activity_types=["a"], exclude_activity_types=["b"])
    with pytest.raises(TypeError, match="activity_types"):
        await api.activities.list(activity_types="claude_chat_created")


class _Nowhere:
    url = "http://127.0.0.1:9"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"limit": 0}, "between 1 and 5000, inclusive. Got 0"),
        ({"limit": 5001}, "between 1 and 5000, inclusive. Got 5001"),
        ({"created_at_gte": "2024-01-01"}, "created_at.gte"),
        ({"created_at_lt": "not a time"}, "created_at.lt"),
        ({"after_id": "activity_doesnotexist"}, "No activity found"),
        ({"before_id": "bm90IGEgY3Vyc29y"}, "before_id"),
        ({"activity_types": ["no_such_type"]}, "no_such_type"),
        ({"order": "sideways"}, "order"),
    ],
)
async def test_bad_parameters_give_the_servers_400(
    api: Any, params: dict[str, Any], message: str
) -> None:
    with pytest.raises(BadRequestError, match=message) as caught:
        await api.activities.list(**params)
    assert caught.value.status_code == 400
    assert caught.value.error_type == "invalid_request_error"


async def test_keys_and_scopes(make_api: Any, make_emulator: Any) -> None:
    server = make_emulator(api_keys={"sk-ant-api01-no-feed": ("read:compliance_user_data",)})
    # The Admin key reaches the Activity Feed (and only it).
    page = await make_api(key=ADMIN_KEY, server=server).activities.list(limit=3)
    assert len(page.data) == 3
    with pytest.raises(PermissionDeniedError, match="read:compliance_activities") as caught:
        await make_api(key="sk-ant-api01-no-feed", server=server).activities.list()
    assert caught.value.status_code == 403 and caught.value.error_type == "permission_error"
    with pytest.raises(AuthenticationError):
        await make_api(key=REVOKED_KEY, server=server).activities.list()
