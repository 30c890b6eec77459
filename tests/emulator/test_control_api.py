"""The /_emulator control API: health, stats, and changing the world as users would."""

from __future__ import annotations

from collections.abc import Callable

import httpx2

from claude_compliance.emulator import EmulatorServer

from .helpers import V1, api_client


def test_health_and_stats(server: EmulatorServer) -> None:
    with httpx2.Client(base_url=server.url) as control:
        assert control.get("/_emulator/health").json()["status"] == "ok"
        stats = control.get("/_emulator/stats").json()
    assert stats == server.store.counts()
    assert stats["chats"] == server.config.chats


def test_new_chat_appears_everywhere(fresh: Callable[..., EmulatorServer]) -> None:
    server = fresh()
    user_id = next(server.store.iter_users(next(server.store.iter_organizations())["uuid"]))["id"]
    with httpx2.Client(base_url=server.url) as control:
        created = control.post("/_emulator/chats", json={"user_id": user_id, "messages": 3})
        assert created.status_code == 201
        chat = created.json()
    with api_client(server) as http:
        listed = http.get(V1 + "/apps/chats", params={"user_ids[]": user_id, "limit": 1000})
        assert chat["id"] in {c["id"] for c in listed.json()["data"]}
        body = http.get(f"{V1}/apps/chats/{chat['id']}/messages").json()
        assert len(body["chat_messages"]) == 3
        file_id = body["chat_messages"][0]["files"][0]["id"]
        assert http.get(f"{V1}/apps/chats/files/{file_id}/content").status_code == 200
        feed = http.get(V1 + "/activities", params={"limit": 5}).json()["data"]
    types = {a["type"] for a in feed}
    assert {"claude_chat_created", "claude_file_uploaded"} <= types
    assert feed[0]["created_at"] > "2026"


def test_editing_and_soft_deleting_a_chat(fresh: Callable[..., EmulatorServer]) -> None:
    server = fresh()
    chat = next(c for c in server.store.iter_chats() if c["user"] and not c["deleted_at"])
    with httpx2.Client(base_url=server.url) as control:
        message = control.post(
            f"/_emulator/chats/{chat['id']}/messages", json={"text": "one more thing"}
        ).json()
        deleted = control.post(f"/_emulator/chats/{chat['id']}/soft-delete").json()
        assert control.post("/_emulator/chats/claude_chat_nope/soft-delete").status_code == 404
    with api_client(server) as http:
        body = http.get(f"{V1}/apps/chats/{chat['id']}/messages").json()
        assert body["chat_messages"][-1]["id"] == message["id"]
        assert body["deleted_at"] == deleted["deleted_at"]
        assert body["updated_at"] > chat["updated_at"]
        changed = http.get(
            V1 + "/apps/chats",
            params={"order_by": "updated_at", "updated_at.gte": "2026-01-01T00:00:00Z"},
        ).json()["data"]
    assert [c["id"] for c in changed] == [chat["id"]]


def test_adding_projects_and_activities(fresh: Callable[..., EmulatorServer]) -> None:
    server = fresh()
    before = server.store.counts()
    with httpx2.Client(base_url=server.url) as control:
        project = control.post("/_emulator/projects", json={"is_private": True}).json()
        ids = control.post("/_emulator/activities", json={"count": 25}).json()["ids"]
        bad = control.post("/_emulator/chats", json={"project_id": "claude_proj_nope"})
        assert bad.status_code == 404
        assert control.post("/_emulator/activities", content=b"[1]").status_code == 400
    assert len(ids) == len(set(ids)) == 25
    after = server.store.counts()
    assert after["projects"] == before["projects"] + 1
    assert after["activities"] == before["activities"] + 25 + 3
    with api_client(server) as http:
        detail = http.get(f"{V1}/apps/projects/{project['id']}").json()
        assert detail["attachments_count"] == 2 and detail["is_private"] is True
        newest = http.get(V1 + "/activities", params={"limit": 25}).json()["data"]
    assert {a["id"] for a in newest} == set(ids)


def test_in_process_mutations(fresh: Callable[..., EmulatorServer]) -> None:
    server = fresh()
    project = server.world.add_project(name="Litigation hold")
    chat = server.world.add_chat(project_id=project["id"], with_file=False, messages=1)
    assert chat["file"] is None
    with api_client(server) as http:
        assert http.delete(f"{V1}/apps/projects/{project['id']}").status_code == 409
        assert http.delete(f"{V1}/apps/chats/{chat['id']}").status_code == 200
        assert http.delete(f"{V1}/apps/projects/{project['id']}").status_code == 200
