"""The generated world: deterministic for a seed, coherent, and full of awkward cases."""

from __future__ import annotations

import datetime
import hashlib
import json

import pytest

from claude_compliance.emulator import EmulatorConfig, EmulatorServer, Store
from claude_compliance.emulator.actors import ACTOR_TYPES
from claude_compliance.emulator.content import AWKWARD_FILENAMES
from claude_compliance.emulator.generation import build_world

from ..support import ANCHOR


def test_same_seed_gives_identical_worlds() -> None:
    first = build_world(EmulatorConfig(anchor=ANCHOR, seed=11))
    second = build_world(EmulatorConfig(anchor=ANCHOR, seed=11))
    assert first.fingerprint() == second.fingerprint()
    assert list(first.iter_activities()) == list(second.iter_activities())
    assert [blob.content for blob in first.iter_blobs()] == [
        blob.content for blob in second.iter_blobs()
    ]


def test_different_seeds_give_different_worlds() -> None:
    assert build_world(EmulatorConfig(anchor=ANCHOR, seed=1)).fingerprint() != (
        build_world(EmulatorConfig(anchor=ANCHOR, seed=2)).fingerprint()
    )


def test_sizes_are_honoured() -> None:
    config = EmulatorConfig(anchor=ANCHOR, orgs=2, users=12, projects=5, chats=9, activities=700)
    counts = build_world(config).counts()
    assert counts["orgs"] == 3  # the parent and its two children
    assert counts["users"] == 12
    assert counts["projects"] == 5
    assert counts["chats"] == 9
    assert counts["activities"] == 700


def test_file_database_is_reused_for_the_same_world(tmp_path: object) -> None:
    path = str(tmp_path) + "/world.sqlite"
    config = EmulatorConfig(anchor=ANCHOR, seed=3, db=path, chats=5, activities=300)
    fingerprint = build_world(config).fingerprint()
    assert build_world(config, Store(path)).fingerprint() == fingerprint


def test_every_actor_type_appears(server: EmulatorServer) -> None:
    seen = {activity["actor"]["type"] for activity in server.store.iter_activities()}
    assert seen >= set(ACTOR_TYPES)


def test_awkward_and_hostile_filenames_are_present(server: EmulatorServer) -> None:
    names = {record["filename"] for record in server.store.iter_files()}
    assert set(AWKWARD_FILENAMES) <= names
    assert "../../etc/passwd" in names


def test_every_blob_matches_its_metadata(server: EmulatorServer) -> None:
    metadata = {record["id"]: record for record in server.store.iter_files()}
    metadata |= {record["id"]: record for record in server.store.iter_generated_files()}
    metadata |= {record["version_id"]: record for record in server.store.iter_artifact_versions()}
    docs = {record["id"]: record for record in server.store.iter_project_documents()}
    checked = 0
    for blob in server.store.iter_blobs():
        record = metadata.get(blob.id) or docs.get(blob.id)
        if blob.kind == "code_artifact_version":
            continue
        assert record is not None, blob.id
        assert record["md5"] == hashlib.md5(blob.content).hexdigest() == blob.md5_hex
        assert record["size_bytes"] == len(blob.content) == blob.size_bytes
        checked += 1
    assert checked > 50


def test_messages_refer_to_content_that_exists(server: EmulatorServer) -> None:
    files = {record["id"] for record in server.store.iter_files()}
    generated = {record["id"] for record in server.store.iter_generated_files()}
    versions = {record["version_id"] for record in server.store.iter_artifact_versions()}
    kinds = set()
    for chat in server.store.iter_chats():
        for message in server.store.chat_messages(chat["id"]):
            kinds |= {block["type"] for block in message["content"]}
            assert {ref["id"] for ref in message["files"] or []} <= files
            assert {ref["id"] for ref in message["generated_files"] or []} <= generated
            assert {ref["version_id"] for ref in message["artifacts"] or []} <= versions
    assert kinds == {"text", "tool_use", "tool_result"}


def test_world_covers_the_documented_variants(server: EmulatorServer) -> None:
    chats = list(server.store.iter_chats())
    assert any(chat["deleted_at"] for chat in chats)
    assert any(chat["model"] is None for chat in chats)
    assert any(chat["project_id"] for chat in chats)
    assert any(chat["user"] is None for chat in chats)
    projects = list(server.store.iter_projects())
    assert any(project["user"] is None for project in projects)
    assert any(project["deleted_at"] for project in projects)
    assert {project["is_private"] for project in projects} == {True, False}
    collaborator_types = {
        json.loads(row[0])["type"] for row in server.store.query("SELECT data FROM collaborators")
    }
    assert collaborator_types == {"user", "group", "organization", "organization_role"}
    roles = {
        json.loads(row[0])["organization_role"]
        for row in server.store.query("SELECT data FROM memberships")
    }
    assert "primary_owner" in roles and "claude_code_user" in roles
    settings = json.loads(server.store.query("SELECT data FROM org_settings")[0][0])
    assert {item["type"] for item in settings["settings"]} == {
        "boolean", "integer", "string", "string_list", "provisioning_mode", "data_retention",
    }  # fmt: skip
    surfaces = {session["product_surface"] for session in server.store.iter_local_sessions()}
    assert None in surfaces and "claude_code" in surfaces
    remote = list(server.store.iter_remote_sessions())
    assert any(session["agent_id"] for session in remote)
    assert any(session["status"] == "pending" for session in remote)
    generated = list(server.store.iter_generated_files())
    assert any(record["size_bytes"] is None for record in generated)  # an expired one


def test_activities_refer_to_generated_objects(server: EmulatorServer) -> None:
    chats = {chat["id"] for chat in server.store.iter_chats()}
    created = [
        activity
        for activity in server.store.iter_activities()
        if activity["type"] == "claude_chat_created"
    ]
    assert {activity["claude_chat_id"] for activity in created} == chats
    assert all(activity["created_at"].startswith("2025-") for activity in created)


def test_impossible_configs_are_rejected() -> None:
    bad = [
        {"chats": -1},
        {"users": 0},
        {"messages_per_chat": (3, 2)},
        {"fault_rate": 1.5},
        {"scope_error_style": "418"},
        {"missing_version": "maybe"},
    ]
    for overrides in bad:
        with pytest.raises(ValueError):
            EmulatorConfig(**overrides).validate()


def test_a_file_database_with_another_world_is_refused(tmp_path: object) -> None:
    path = str(tmp_path) + "/world.sqlite"
    build_world(EmulatorConfig(anchor=ANCHOR, seed=1, db=path, chats=3, activities=200)).close()
    with pytest.raises(ValueError, match="different world"):
        build_world(EmulatorConfig(anchor=ANCHOR, seed=2, db=path, chats=3, activities=200))


def test_store_exposes_every_kind_of_record(server: EmulatorServer) -> None:
    org = list(server.store.iter_organizations())[1]["uuid"]
    assert list(server.store.iter_roles(org))
    role = next(server.store.iter_roles(org))["id"]
    assert server.store.role_permissions(role)
    settings = server.store.org_settings(org)
    assert settings is not None and settings["organization_id"] == org
    assert server.store.org_settings("nope") is None
    prefs = list(server.store.iter_user_preferences(org))
    assert len(prefs) == len(list(server.store.iter_users(org)))
    group = next(server.store.iter_groups())["id"]
    assert server.store.group_members(group)
    project = next(server.store.iter_projects())["id"]
    assert server.store.project_collaborators(project)[0]["role"] == "owner"
    local = next(server.store.iter_local_sessions())["id"]
    assert server.store.local_session_messages(local)
    remote = next(s for s in server.store.iter_remote_sessions() if s["status"] == "active")
    assert server.store.remote_session_messages(remote["id"])


def test_the_world_ends_at_its_anchor_day() -> None:
    pinned = build_world(EmulatorConfig(anchor=datetime.date(2026, 6, 1), chats=20))
    created = sorted(c["created_at"] for c in pinned.iter_chats())
    assert created[0] > "2025-06-01" and created[-1] < "2026-06-01"
    assert EmulatorConfig(anchor=ANCHOR).world_start_us() != EmulatorConfig().world_start_us()


def test_by_default_the_last_30_days_hold_data() -> None:
    world = build_world(EmulatorConfig(chats=40, activities=300))
    month_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=30)
    recent = [
        a
        for a in world.iter_activities()
        if a["created_at"] >= month_ago.strftime("%Y-%m-%dT%H:%M:%S")
    ]
    assert recent
