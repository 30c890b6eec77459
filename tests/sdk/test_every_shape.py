"""Every SDK method, sync and async, against the emulator in each record-shape mode.

For each mode (``current``, ``sparse``, ``rev-j``) and each client kind, every public method of
every resource group runs once, and every record it returns must give back from ``to_dict()``
exactly what the server sent — same JSON, same key order — with nothing set aside. A small world
keeps this to a few seconds per mode; the rest of the suite runs in the default mode.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest

from claude_compliance import (
    AsyncComplianceClient,
    ComplianceClient,
    ConflictError,
    Model,
    unreadable_records,
)
from claude_compliance.emulator.config import SHAPES, EmulatorConfig
from claude_compliance.emulator.server import EmulatorServer

from ..support import ANCHOR, FULL_KEY

SMALL_WORLD = {
    "orgs": 2,
    "users": 8,
    "projects": 6,
    "chats": 12,
    "activities": 300,
    "local_sessions": 3,
    "remote_sessions": 4,
    "code_artifacts": 3,
    "groups": 2,
    "roles": 2,
}


@pytest.fixture(params=SHAPES)
def shaped(request: pytest.FixtureRequest) -> Iterator[EmulatorServer]:
    config = EmulatorConfig(
        anchor=ANCHOR, seed=7, rpm=0, access_activities=False, shapes=request.param, **SMALL_WORLD
    )
    with EmulatorServer(config) as server:
        yield server


def _text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


class Runner:
    """Runs one method on a sync or async client and checks what it returned against the
    JSON bodies the server sent meanwhile."""

    def __init__(self, kind: str, server: EmulatorServer, tmp: Path) -> None:
        self.kind = kind
        self.server = server
        url = server.url
        self.bodies: list[Any] = []
        self.tmp = tmp
        self.calls: set[str] = set()
        if kind == "async":

            async def capture_async(response: httpx2.Response) -> None:
                if response.headers.get("content-type", "").startswith("application/json"):
                    await response.aread()
                    self.bodies.append(response.json())

            http = httpx2.AsyncClient(event_hooks={"response": [capture_async]})
            self.client: Any = AsyncComplianceClient(
                api_key=FULL_KEY, base_url=url, http_client=http
            )
        else:

            def capture(response: httpx2.Response) -> None:
                if response.headers.get("content-type", "").startswith("application/json"):
                    response.read()
                    self.bodies.append(response.json())

            sync_http = httpx2.Client(event_hooks={"response": [capture]})
            self.client = ComplianceClient(api_key=FULL_KEY, base_url=url, http_client=sync_http)

    async def close(self) -> None:
        if self.kind == "async":
            await self.client.aclose()
        else:
            self.client.close()

    async def __call__(self, group: str, method: str, *args: Any, **kwargs: Any) -> Any:
        self.calls.add(f"{group}.{method}")
        bound = getattr(getattr(self.client, group), method)
        before = len(self.bodies)
        with unreadable_records() as skipped:
            if method.startswith("iter") or method.endswith("_stream"):
                result: Any = bound(*args, **kwargs)
                items = [x async for x in result] if self.kind == "async" else list(result)
                result = items
            elif self.kind == "async":
                result = await bound(*args, **kwargs)
            else:
                result = bound(*args, **kwargs)
        assert skipped == [], f"{group}.{method} set records aside"
        self._check(method, result, self.bodies[before:])
        return result

    def _check(self, method: str, result: Any, bodies: list[Any]) -> None:
        if method.startswith("list"):
            (body,) = bodies
            assert result.unreadable == []
            assert [_text(m.to_dict()) for m in result.data] == [_text(r) for r in body["data"]]
            if "session" in body:
                assert _text(result.session.to_dict()) == _text(body["session"])
        elif method.startswith("get"):
            (body,) = bodies
            assert _text(result.to_dict()) == _text(body)
        elif method.startswith("iter") and not method.endswith("_stream"):
            field = "chat_messages" if bodies and "chat_messages" in bodies[0] else "data"
            served = [record for body in bodies for record in body[field]]
            assert [_text(m.to_dict()) for m in result] == [_text(r) for r in served]
            assert all(isinstance(m, Model) for m in result)
        elif method.endswith("_stream"):
            assert b"".join(result)
        elif method.endswith("to_file"):
            assert isinstance(result, Path) and result.is_file()
        elif method.startswith("download"):
            assert isinstance(result, bytes) and result
        else:
            assert result is None  # deletes


async def _walk_every_method(run: Runner) -> None:
    await run("activities", "list", limit=50)
    await run("activities", "iter", limit=100)

    orgs = await run("organizations", "list")
    await run("organizations", "iter")
    org = orgs.data[-1].uuid
    await run("organizations", "list_users", org)
    await run("organizations", "iter_users", org, limit=3)
    await run("organizations", "list_user_preferences", org, include_unset=True)
    await run("organizations", "iter_user_preferences", org, include_unset=True, limit=2)
    await run("organizations", "get_settings", org)

    roles = await run("roles", "list", org)
    await run("roles", "iter", org)
    role = roles.data[0].id
    await run("roles", "get", org, role)
    await run("roles", "list_permissions", org, role)
    await run("roles", "iter_permissions", org, role)

    groups = await run("groups", "list")
    await run("groups", "iter")
    group = groups.data[0].id
    await run("groups", "get", group)
    await run("groups", "list_members", group)
    await run("groups", "iter_members", group, limit=2)

    chats = await run("chats", "list", limit=5)
    everything = await run("chats", "iter", limit=4)
    refs: dict[str, str] = {}
    for chat in everything:
        full = await run("chats", "get", chat.id)
        for message in full.chat_messages or []:
            for field, key in (("files", "id"), ("generated_files", "id"), ("artifacts", "v")):
                for ref in getattr(message, field) or []:
                    refs.setdefault(field, ref.version_id if key == "v" else ref.id)
        if len(refs) == 3:
            break
    if "generated_files" not in refs:  # Rev J messages do not name generated files
        refs["generated_files"] = run.server.store.scalar("SELECT id FROM generated_files")
    await run("chats", "get", chats.data[0].id, limit=1)
    await run("chats", "iter_messages", chats.data[0].id, limit=1)

    await run("files", "get", refs["files"])
    await run("files", "download", refs["files"])
    await run("files", "download_stream", refs["files"])
    await run("files", "download_to_file", refs["files"], run.tmp / "file.bin")
    await run("generated_files", "get", refs["generated_files"])
    await run("generated_files", "download", refs["generated_files"])
    await run("generated_files", "download_stream", refs["generated_files"])
    await run("generated_files", "download_to_file", refs["generated_files"], run.tmp)
    await run("artifacts", "get", refs["artifacts"])
    await run("artifacts", "download", refs["artifacts"])
    await run("artifacts", "download_stream", refs["artifacts"])
    await run("artifacts", "download_to_file", refs["artifacts"], run.tmp / "artifact.txt")

    projects = await run("projects", "list")
    await run("projects", "iter", limit=2)
    documents: list[str] = []
    for project in projects.data:
        await run("projects", "get", project.id)
        listed = await run("projects", "list_attachments", project.id)
        documents += [a.id for a in listed.data if a.type == "project_doc"]
        await run("projects", "iter_attachments", project.id, limit=1)
        await run("projects", "list_collaborators", project.id)
        await run("projects", "iter_collaborators", project.id, limit=1)
    await run("project_documents", "get", documents[0])
    await run("project_documents", "get_metadata", documents[0])

    local = await run("local_sessions", "list")
    await run("local_sessions", "iter", limit=1)
    await run("local_sessions", "get", local.data[0].id)
    await run("local_sessions", "list_messages", local.data[0].id, limit=2)
    await run("local_sessions", "iter_messages", local.data[0].id, limit=2)

    remote = await run("remote_sessions", "list")
    await run("remote_sessions", "iter", limit=1)
    started = next(s.id for s in remote.data if s.status != "pending")
    await run("remote_sessions", "list_messages", started, limit=2)
    await run("remote_sessions", "iter_messages", started, limit=2)

    code = await run("code_artifacts", "list")
    await run("code_artifacts", "iter", limit=1)
    artifact = next(a for a in code.data if a.versions)
    version = artifact.versions[0].id
    await run("code_artifacts", "download_version", artifact.id, version)
    await run("code_artifacts", "download_version_stream", artifact.id, version)
    await run("code_artifacts", "download_version_to_file", artifact.id, version, run.tmp)

    # Deletes last: they change the world.
    await run("project_documents", "delete", documents[0])
    await run("files", "delete", refs["files"])
    await run("code_artifacts", "delete", artifact.id)
    await run("chats", "delete", chats.data[0].id)
    empty = [p.id for p in projects.data if (await run("projects", "get", p.id)).chats_count == 0]
    if empty:
        await run("projects", "delete", empty[0])
    else:  # every project still has chats: the server's 409 is the answer
        with pytest.raises(ConflictError):
            await run("projects", "delete", projects.data[0].id)


def _public_methods() -> set[str]:
    client = ComplianceClient(api_key=FULL_KEY, base_url="http://127.0.0.1:9")
    try:
        return {
            f"{group}.{method}"
            for group, resource in vars(client).items()
            if not group.startswith("_") and hasattr(resource, "_transport")
            for method in dir(type(resource))
            if not method.startswith("_")
        }
    finally:
        client.close()


@pytest.mark.parametrize("kind", ["async", "sync"])
async def test_every_method_reads_every_shape(
    kind: str, shaped: EmulatorServer, tmp_path: Path
) -> None:
    run = Runner(kind, shaped, tmp_path)
    try:
        await _walk_every_method(run)
    finally:
        await run.close()
    assert run.calls >= _public_methods()


def test_the_modes_really_differ(make_emulator: Callable[..., EmulatorServer]) -> None:
    """The sparse and Rev J renderings carry the shapes the spec records (§11.23, §1.2)."""
    bodies: dict[str, dict[str, Any]] = {}
    for mode in SHAPES:
        server = make_emulator(shapes=mode, **SMALL_WORLD)
        with httpx2.Client(base_url=server.url, headers={"x-api-key": FULL_KEY}) as http:
            chats = http.get("/v1/compliance/apps/chats").json()["data"]
            chat = http.get(f"/v1/compliance/apps/chats/{chats[0]['id']}/messages").json()
            session = http.get("/v1/compliance/apps/sessions/local").json()["data"][0]
            feed = http.get("/v1/compliance/activities", params={"limit": 300}).json()["data"]
            file_id = next(
                f["id"]
                for c in chats
                for m in http.get(f"/v1/compliance/apps/chats/{c['id']}/messages").json()[
                    "chat_messages"
                ]
                for f in m.get("files") or []
            )
            download = http.get(f"/v1/compliance/apps/chats/files/{file_id}/content")
        admin = [a["actor"] for a in feed if a["actor"]["type"] == "admin_api_key_actor"]
        bodies[mode] = {
            "chat": chats[0],
            "body": chat,
            "session": session,
            "admin": admin,
            "disposition": download.headers["content-disposition"],
        }
    current, sparse, rev_j = bodies["current"], bodies["sparse"], bodies["rev-j"]
    assert "organization_id" in current["chat"] and "organization_id" not in sparse["chat"]
    assert "deleted_at" in current["chat"] and "deleted_at" not in sparse["chat"]
    assert "updated_at" in current["session"] and "updated_at" not in sparse["session"]
    assert current["admin"] and all(set(a) == {"type", "admin_api_key_id"} for a in sparse["admin"])
    assert "has_more" in current["body"] and "has_more" not in rev_j["body"]
    assert all(
        set(f) <= {"id", "filename", "mime_type"}
        for m in rev_j["body"]["chat_messages"]
        for f in m.get("files") or []
    )
    assert "filename=" not in current["disposition"].replace("filename*=", "")
    assert rev_j["disposition"].startswith('attachment; filename="')
    assert "filename*=utf-8''" in rev_j["disposition"]
