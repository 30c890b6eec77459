"""Helpers for archive tests: small worlds, in-process and subprocess syncs, archive reads."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from claude_compliance.archive.context import SyncOptions
from claude_compliance.archive.digest import archive_digest
from claude_compliance.archive.store import ArchiveStore
from claude_compliance.archive.sync import RequestCounter, SyncResult, archive_client, sync_archive
from claude_compliance.emulator.server import EmulatorServer

from .. import crash_points
from ..support import FULL_KEY

SMALL_WORLD: dict[str, Any] = {
    "orgs": 2,
    "users": 8,
    "projects": 5,
    "chats": 16,
    "activities": 200,
    "local_sessions": 3,
    "remote_sessions": 3,
    "code_artifacts": 3,
    "groups": 2,
    "roles": 2,
}
"""Small enough that a full sync takes about a second, yet with every kind of record."""


def sync(server: EmulatorServer, root: Path, *, key: str = FULL_KEY, **options: Any) -> SyncResult:
    """One in-process ``archive sync`` of ``server`` into ``root``."""

    async def run() -> SyncResult:
        counter = RequestCounter()
        async with archive_client(
            api_key=key, base_url=server.url, counter=counter, max_retries=10
        ) as client:
            return await sync_archive(client, root, options=SyncOptions(**options), counter=counter)

    return asyncio.run(run())


def run_cli(
    *args: str,
    server: EmulatorServer,
    env: dict[str, str] | None = None,
    timeout: float = 60,
    crash: tuple[str, int] | None = None,
) -> subprocess.CompletedProcess[str]:
    """``claude-compliance ARGS`` in a subprocess (for kill tests).

    ``crash=(point, n)`` kills it at a crash point of ``tests/crash_points.py``.
    """
    environment = {
        **os.environ,
        "ANTHROPIC_COMPLIANCE_ACCESS_KEY": FULL_KEY,
        "ANTHROPIC_COMPLIANCE_BASE_URL": server.url,
        **(env or {}),
    }
    command = [sys.executable, "-m", "claude_compliance.cli"]
    if crash is not None:
        command = [sys.executable, str(crash_points.SCRIPT), crash[0], str(crash[1])]
    return subprocess.run(
        [*command, *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def digest(root: Path) -> str:
    store = ArchiveStore(root)
    try:
        return archive_digest(store)
    finally:
        store.close()


def records(root: Path, kind: str) -> dict[str, dict[str, Any]]:
    """``key -> row`` (``data`` decoded) for every record of one kind."""
    connection = sqlite3.connect(root / "archive.sqlite3")
    connection.row_factory = sqlite3.Row
    try:
        rows = connection.execute("SELECT * FROM records WHERE kind = ?", (kind,)).fetchall()
        return {row["key"]: {**dict(row), "data": json.loads(row["data"])} for row in rows}
    finally:
        connection.close()


def live(root: Path, kind: str) -> dict[str, dict[str, Any]]:
    """``key -> data`` of the records of one kind not marked gone."""
    return {k: r["data"] for k, r in records(root, kind).items() if r["gone_at"] is None}


def blob_bytes(root: Path, sha256: str) -> bytes:
    return (root / "blobs" / "sha256" / sha256[:2] / sha256).read_bytes()


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _canonical(record: dict[str, Any]) -> str:
    return json.dumps(record, sort_keys=True)


def _by(records_: list[dict[str, Any]], key: str = "id") -> dict[str, dict[str, Any]]:
    return {str(r[key]): r for r in records_}


def assert_archive_matches(server: EmulatorServer, root: Path, *, activities: bool = True) -> None:
    """Every record the emulator serves is a live record of the archive, with the same JSON."""
    store = server.store
    organizations = list(store.iter_organizations())
    assert live(root, "organization") == _by(organizations, "uuid")
    users, preferences, roles, permissions, settings = {}, {}, {}, {}, {}
    for org in organizations:
        uuid = org["uuid"]
        users.update({f"{uuid}/{u['id']}": u for u in store.iter_users(uuid)})
        preferences.update({f"{uuid}/{p['user_id']}": p for p in store.iter_user_preferences(uuid)})
        settings[uuid] = store.org_settings(uuid)
        for role in store.iter_roles(uuid):
            roles[f"{uuid}/{role['id']}"] = role
            permissions[f"{uuid}/{role['id']}"] = store.role_permissions(role["id"])
    assert live(root, "user") == users
    assert live(root, "user_preferences") == preferences
    assert live(root, "organization_settings") == settings
    assert live(root, "role") == roles
    archived_permissions: dict[str, list[dict[str, Any]]] = {}
    for row in records(root, "role_permission").values():
        archived_permissions.setdefault(row["parent_key"], []).append(row["data"])
    assert {k: sorted(map(_canonical, v)) for k, v in archived_permissions.items()} == {
        k: sorted(map(_canonical, v)) for k, v in permissions.items() if v
    }
    groups = list(store.iter_groups())
    assert live(root, "group") == _by(groups)
    members = {f"{g['id']}/{m['user_id']}": m for g in groups for m in store.group_members(g["id"])}
    assert live(root, "group_member") == members

    chats = _by(list(store.iter_chats()))
    assert live(root, "chat") == chats
    messages = {m["id"]: m for chat in chats for m in store.chat_messages(chat)}
    assert live(root, "chat_message") == messages

    projects = _by(list(store.iter_projects()))
    archived_projects = live(root, "project")
    assert set(archived_projects) == set(projects)
    for project_id, project in projects.items():
        assert {k: archived_projects[project_id][k] for k in project} == project
    collaborators = sorted(_canonical(c) for p in projects for c in store.project_collaborators(p))
    archived_collaborators = live(root, "project_collaborator").values()
    assert sorted(map(_canonical, archived_collaborators)) == collaborators

    assert live(root, "file") == _by(list(store.iter_files()))
    assert live(root, "generated_file") == _by(list(store.iter_generated_files()))
    assert live(root, "artifact_version") == _by(list(store.iter_artifact_versions()), "version_id")
    documents = {
        d["id"]: {k: v for k, v in d.items() if k != "content"}
        for d in store.iter_project_documents()
    }
    archived_documents = live(root, "project_document")
    assert set(archived_documents) == set(documents)
    for document_id, document in documents.items():
        assert {k: archived_documents[document_id][k] for k in document} == document

    local = _by(list(store.iter_local_sessions()))
    assert live(root, "local_session") == local
    local_messages = {m["id"]: m for s in local for m in store.local_session_messages(s)}
    assert live(root, "local_session_message") == local_messages
    remote = _by(list(store.iter_remote_sessions()))
    assert live(root, "remote_session") == remote
    readable = [s for s, r in remote.items() if r["status"] != "pending"]
    remote_messages = {m["id"]: m for s in readable for m in store.remote_session_messages(s)}
    assert live(root, "remote_session_message") == remote_messages

    artifacts = _by(list(store.iter_code_artifacts()))
    assert live(root, "code_artifact") == artifacts
    versions = {f"{a}/{v['id']}": v for a, r in artifacts.items() for v in r["versions"]}
    assert live(root, "code_artifact_version") == versions

    if activities:
        assert live(root, "activity") == _by(list(store.iter_activities()))
