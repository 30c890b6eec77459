"""Every resource command's happy path, checked against what the emulator holds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claude_compliance.emulator.server import EmulatorServer

from .conftest import Invoke, jsonl


@pytest.fixture(scope="module")
def org_uuid(emulator: EmulatorServer) -> str:
    return str(next(emulator.store.iter_organizations())["uuid"])


def test_projects(run: Invoke, emulator: EmulatorServer) -> None:
    expected = list(emulator.store.iter_projects())
    listed = jsonl(run("--format", "jsonl", "projects", "list", "--all", "--limit", "7"))
    assert listed == expected
    project = next(p for p in expected if emulator.store.project_collaborators(p["id"]))
    with_documents = {d["claude_project_id"] for d in emulator.store.iter_project_documents()}
    project = next(p for p in expected if p["id"] in with_documents)
    detail = json.loads(run("--format", "json", "projects", "get", project["id"]).stdout)
    assert {k: detail[k] for k in project} == project
    assert "chats_count" in detail
    attachments = jsonl(run("projects", "attachments", project["id"], "--all", "--format", "jsonl"))
    assert attachments and all(a["type"] in ("project_file", "project_doc") for a in attachments)
    collaborators = jsonl(
        run("projects", "collaborators", project["id"], "--all", "--format", "jsonl")
    )
    assert collaborators == emulator.store.project_collaborators(project["id"])
    table = run("projects", "list", "--limit", "3")
    assert table.exit_code == 0 and expected[0]["id"] in table.stdout


def test_documents(run: Invoke, emulator: EmulatorServer) -> None:
    document = next(emulator.store.iter_project_documents())
    got = json.loads(run("--format", "json", "documents", "get", document["id"]).stdout)
    assert got["content"] == document["content"]
    text = run("documents", "get", document["id"], "--content-only")
    assert text.stdout == document["content"]
    metadata = json.loads(run("--format", "json", "documents", "metadata", document["id"]).stdout)
    assert metadata["id"] == document["id"] and metadata["md5"]


def test_files_generated_files_and_artifacts(
    run: Invoke, emulator: EmulatorServer, tmp_path: Path
) -> None:
    blobs = {(b.kind, b.id): b.content for b in emulator.store.iter_blobs()}
    store = emulator.store
    cases = [
        ("files", "file", next(store.iter_files())["id"]),
        ("generated-files", "generated_file", next(store.iter_generated_files())["id"]),
        ("artifacts", "artifact_version", next(store.iter_artifact_versions())["version_id"]),
    ]
    for group, kind, object_id in cases:
        metadata = json.loads(run("--format", "json", group, "get", object_id).stdout)
        assert object_id in (metadata["id"], metadata.get("version_id"))
        folder = tmp_path / group
        folder.mkdir()
        result = run("--format", "json", group, "download", object_id, "--out", str(folder))
        assert result.exit_code == 0, result.stderr
        written = Path(json.loads(result.stdout)["path"])
        assert written.parent == folder and written.read_bytes() == blobs[(kind, object_id)]
        streamed = run(group, "download", object_id, "--out", "-")
        assert streamed.stdout_bytes == blobs[(kind, object_id)]
        target = tmp_path / f"{group}.bin"
        run(group, "download", object_id, "--out", str(target))
        assert target.read_bytes() == blobs[(kind, object_id)]
        again = run(group, "download", object_id, "--out", str(target), "--no-overwrite")
        assert again.exit_code == 1 and "exists" in again.stderr


def test_chats(run: Invoke, emulator: EmulatorServer) -> None:
    chats = list(emulator.store.iter_chats())
    assert jsonl(run("--format", "jsonl", "chats", "list", "--all")) == chats
    page = run("chats", "list", "--limit", "5", "--format", "jsonl")
    token = page.stderr.split("--after-id ")[1].split()[0]
    rest = jsonl(run("chats", "list", "--after-id", token, "--all", "--format", "jsonl"))
    assert jsonl(page) + rest == chats
    chat = chats[0]
    full = json.loads(run("--format", "json", "chats", "get", chat["id"]).stdout)
    assert full["chat_messages"] == emulator.store.chat_messages(chat["id"])
    assert {k: full[k] for k in chat} == chat
    table = run("chats", "get", chat["id"])
    assert "messages" in table.stdout and chat["name"] in table.stdout
    markdown = run("chats", "get", chat["id"], "--markdown").stdout
    assert markdown.startswith(f"# {chat['name']}") and "## User" in markdown
    user = chat["user"]["id"]
    mine = jsonl(run("chats", "list", "--user", user, "--all", "--format", "jsonl"))
    assert mine == [c for c in chats if c["user"] and c["user"]["id"] == user]


def test_activities_list(run: Invoke, emulator: EmulatorServer) -> None:
    newest = jsonl(run("--format", "jsonl", "activities", "list", "--limit", "5"))
    assert newest == list(emulator.store.iter_activities())[:5]
    kind = newest[0]["type"]
    only = jsonl(run("--format", "jsonl", "activities", "list", "--type", kind, "--all"))
    assert only and all(a["type"] == kind for a in only)
    others = jsonl(
        run("--format", "jsonl", "activities", "list", "--exclude-type", kind, "--limit", "50")
    )
    assert others and all(a["type"] != kind for a in others)
    oldest = jsonl(run("--format", "jsonl", "activities", "list", "--order", "asc", "--limit", "1"))
    assert oldest == list(emulator.store.iter_activities())[-1:]


def test_orgs_users_preferences_settings(
    run: Invoke, emulator: EmulatorServer, org_uuid: str
) -> None:
    orgs = jsonl(run("--format", "jsonl", "orgs", "list"))
    assert orgs == list(emulator.store.iter_organizations())
    users = jsonl(run("--format", "jsonl", "users", "list", org_uuid, "--all"))
    assert users == list(emulator.store.iter_users(org_uuid))
    everyone = jsonl(
        run("--format", "jsonl", "user-preferences", org_uuid, "--all", "--include-unset")
    )
    assert everyone == list(emulator.store.iter_user_preferences(org_uuid))
    preferences = jsonl(run("--format", "jsonl", "user-preferences", org_uuid, "--all"))
    assert preferences == [
        p for p in everyone if p["conversation_preferences"] or p["cowork_global_instructions"]
    ]
    settings = json.loads(run("--format", "json", "orgs", "settings", org_uuid).stdout)
    assert settings == emulator.store.org_settings(org_uuid)
    table = run("orgs", "settings", org_uuid)
    assert table.exit_code == 0 and settings["settings"][0]["name"] in table.stdout
    keys = run("orgs", "settings", org_uuid, "--keys")
    assert keys.exit_code == 0 and "compliance" in keys.stdout.lower()


def test_roles_and_groups(run: Invoke, emulator: EmulatorServer, org_uuid: str) -> None:
    roles = jsonl(run("--format", "jsonl", "roles", "list", org_uuid))
    assert roles == list(emulator.store.iter_roles(org_uuid))
    role = roles[0]
    assert json.loads(run("--format", "json", "roles", "get", org_uuid, role["id"]).stdout) == role
    permissions = jsonl(run("--format", "jsonl", "roles", "permissions", org_uuid, role["id"]))
    assert permissions == emulator.store.role_permissions(role["id"])
    groups = jsonl(run("--format", "jsonl", "groups", "list"))
    assert groups == list(emulator.store.iter_groups())
    group = groups[0]
    assert json.loads(run("--format", "json", "groups", "get", group["id"]).stdout) == group
    members = jsonl(run("--format", "jsonl", "groups", "members", group["id"], "--all"))
    assert members == emulator.store.group_members(group["id"])
    prefix = group["name"][:3]
    named = jsonl(run("--format", "jsonl", "groups", "list", "--name-prefix", prefix))
    assert named and all(g["name"].startswith(prefix) for g in named)


def test_sessions(run: Invoke, emulator: EmulatorServer) -> None:
    local = jsonl(run("--format", "jsonl", "sessions", "local", "list", "--all"))
    assert [s["id"] for s in local] == [s["id"] for s in emulator.store.iter_local_sessions()]
    session = local[0]
    got = json.loads(run("--format", "json", "sessions", "local", "get", session["id"]).stdout)
    assert got["id"] == session["id"]
    messages = jsonl(
        run("--format", "jsonl", "sessions", "local", "messages", session["id"], "--all")
    )
    assert [m["id"] for m in messages] == [
        m["id"] for m in emulator.store.local_session_messages(session["id"])
    ]
    remote = jsonl(run("--format", "jsonl", "sessions", "remote", "list", "--all"))
    assert remote == list(emulator.store.iter_remote_sessions())
    active = next(s for s in remote if s["status"] != "pending")
    transcript = jsonl(
        run("--format", "jsonl", "sessions", "remote", "messages", active["id"], "--all")
    )
    assert [m["id"] for m in transcript] == [
        m["id"] for m in emulator.store.remote_session_messages(active["id"])
    ]
    recent = run("sessions", "local", "list", "--created-at-gte", "2025-01-01", "--limit", "2")
    assert recent.exit_code == 0


def test_code_artifacts(run: Invoke, emulator: EmulatorServer, tmp_path: Path) -> None:
    artifacts = jsonl(run("--format", "jsonl", "code-artifacts", "list", "--all"))
    assert artifacts == list(emulator.store.iter_code_artifacts())
    blobs = {
        b.id: b.content for b in emulator.store.iter_blobs() if b.kind == "code_artifact_version"
    }
    artifact = next(a for a in artifacts if a["versions"])
    version = artifact["versions"][0]["id"]
    target = tmp_path / "site.html"
    result = run("code-artifacts", "download", artifact["id"], version, "--out", str(target))
    assert result.exit_code == 0, result.stderr
    assert target.read_bytes() == blobs[f"{artifact['id']}/{version}"]
    streamed = run("code-artifacts", "download", artifact["id"], version, "--out", "-")
    assert streamed.stdout_bytes == blobs[f"{artifact['id']}/{version}"]


def test_output_formats(run: Invoke, emulator: EmulatorServer) -> None:
    orgs = list(emulator.store.iter_organizations())
    as_json = json.loads(run("--format", "json", "orgs", "list").stdout)
    assert as_json == orgs
    csv_lines = run("orgs", "list", "--format", "csv").stdout.splitlines()
    assert csv_lines[0] == "uuid,name,created_at" and len(csv_lines) == len(orgs) + 1
    table = run("orgs", "list").stdout
    assert all(org["name"] in table for org in orgs)
    nested = run("--format", "csv", "chats", "list", "--limit", "2").stdout.splitlines()
    assert "user.email_address" in nested[0].split(",")  # nested objects become dotted columns
    empty = run("--format", "json", "chats", "list", "--created-at-gte", "2099-01-01")
    assert json.loads(empty.stdout) == []
    empty_table = run("chats", "list", "--created-at-gte", "2099-01-01")
    assert "(no records)" in empty_table.stderr
    one_csv = run(
        "--format", "csv", "projects", "get", orgs and next(emulator.store.iter_projects())["id"]
    )
    assert one_csv.stdout.startswith("id,")
