"""404 wording, hard deletes, the project 409, and soft-deleted chats that stay readable."""

from __future__ import annotations

from collections.abc import Callable

import httpx2
import pytest

from claude_compliance.emulator import EmulatorServer

from .helpers import V1, api_client, error_of

MISSING_UUID = "00000000-0000-4000-8000-000000000000"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/apps/chats/claude_chat_nope/messages", "Chat claude_chat_nope not found."),
        (
            "/apps/chats/files/claude_file_nope",
            "No file found with provided id, or it has already been deleted.",
        ),
        (
            "/apps/chats/files/claude_file_nope/content",
            "No file found with provided id, or it has already been deleted.",
        ),
        ("/apps/projects/claude_proj_nope", "No project is found with the provided id."),
        (
            "/apps/projects/claude_proj_nope/attachments",
            "No project is found with the provided id.",
        ),
        (
            "/apps/projects/documents/claude_proj_doc_nope",
            "No project document found with provided id, or it has already been deleted.",
        ),
        (
            f"/organizations/{MISSING_UUID}/users",
            f'The "{MISSING_UUID}" organization does not exist or the requester is not '
            "authorized to access it.",
        ),
        (
            f"/organizations/{MISSING_UUID}/settings",
            f"organization `{MISSING_UUID}` not found in this organization's hierarchy",
        ),
        ("/groups/rbac_group_nope", "Group not found."),
        ("/apps/sessions/local/clls_eyJ2IjoxfQ", "Local session not found."),
        ("/apps/sessions/remote/cse_01abcdefghijkl/messages", "Remote session not found."),
    ],
)
def test_not_found_messages(client: httpx2.Client, path: str, message: str) -> None:
    assert error_of(client.get(V1 + path)) == (404, "not_found_error", message)


def test_role_not_found(client: httpx2.Client) -> None:
    org = client.get(V1 + "/organizations").json()["data"][0]["uuid"]
    response = client.get(f"{V1}/organizations/{org}/roles/rbac_role_nope")
    assert error_of(response) == (404, "not_found_error", "Role not found.")
    response = client.get(f"{V1}/organizations/{org}/roles/rbac_role_nope/permissions")
    assert error_of(response) == (404, "not_found_error", "Role not found.")


def test_pending_remote_session_is_not_found(client: httpx2.Client, server: EmulatorServer) -> None:
    pending = next(s for s in server.store.iter_remote_sessions() if s["status"] == "pending")
    response = client.get(f"{V1}/apps/sessions/remote/{pending['id']}/messages")
    assert error_of(response)[0] == 404


def test_project_delete_conflicts_until_its_chats_are_gone(
    fresh: Callable[..., EmulatorServer],
) -> None:
    server = fresh()
    chats = list(server.store.iter_chats())
    project_id = next(chat["project_id"] for chat in chats if chat["project_id"])
    attached = [chat["id"] for chat in chats if chat["project_id"] == project_id]
    with api_client(server) as http:
        response = http.delete(f"{V1}/apps/projects/{project_id}")
        assert error_of(response) == (
            409,
            "conflict_error",
            f'The "{project_id}" project cannot be deleted as it has chats attached to it. '
            "Delete or detach all chats, and try deleting the project again.",
        )
        detail = http.get(f"{V1}/apps/projects/{project_id}").json()
        assert detail["chats_count"] == len(attached)
        for chat_id in attached:
            deleted = http.delete(f"{V1}/apps/chats/{chat_id}")
            assert deleted.json() == {"id": chat_id, "type": "claude_chat_deleted"}
        attachments = http.get(f"{V1}/apps/projects/{project_id}/attachments").json()["data"]
        response = http.delete(f"{V1}/apps/projects/{project_id}")
        assert response.json() == {"id": project_id, "type": "claude_project_deleted"}
        assert http.get(f"{V1}/apps/projects/{project_id}").status_code == 404
        assert http.delete(f"{V1}/apps/projects/{project_id}").status_code == 404
        for attachment in attachments:
            path = (
                f"{V1}/apps/chats/files/{attachment['id']}"
                if attachment["type"] == "project_file"
                else f"{V1}/apps/projects/documents/{attachment['id']}"
            )
            assert http.get(path).status_code == 404
    listed = {project["id"] for project in server.store.iter_projects()}
    assert project_id not in listed


def test_chat_delete_removes_messages_and_files(fresh: Callable[..., EmulatorServer]) -> None:
    server = fresh()
    file_record = next(record for record in server.store.iter_files() if record["claude_chat_ids"])
    chat_id = file_record["claude_chat_ids"][0]
    with api_client(server) as http:
        assert http.delete(f"{V1}/apps/chats/{chat_id}").status_code == 200
        assert error_of(http.get(f"{V1}/apps/chats/{chat_id}/messages"))[2] == (
            f"Chat {chat_id} not found."
        )
        assert http.get(f"{V1}/apps/chats/files/{file_record['id']}/content").status_code == 404
        assert http.delete(f"{V1}/apps/chats/{chat_id}").status_code == 404
        listed = http.get(V1 + "/apps/chats", params={"limit": 1000}).json()["data"]
        assert chat_id not in {chat["id"] for chat in listed}
    assert server.store.chat_messages(chat_id) == []


def test_other_deletes(fresh: Callable[..., EmulatorServer]) -> None:
    server = fresh()
    file_id = next(server.store.iter_files())["id"]
    doc_id = next(server.store.iter_project_documents())["id"]
    artifact_id = next(server.store.iter_code_artifacts())["id"]
    cases = [
        (f"/apps/chats/files/{file_id}", {"id": file_id, "type": "claude_file_deleted"}),
        (
            f"/apps/projects/documents/{doc_id}",
            {"id": doc_id, "type": "claude_project_document_deleted"},
        ),
        (
            f"/apps/code/artifacts/{artifact_id}",
            {"id": artifact_id, "type": "code_artifact_deleted"},
        ),
    ]
    with api_client(server) as http:
        for path, body in cases:
            assert http.delete(V1 + path).json() == body
            assert http.delete(V1 + path).status_code == 404


def test_soft_deleted_chats_stay_readable(client: httpx2.Client, server: EmulatorServer) -> None:
    chat = next(chat for chat in server.store.iter_chats() if chat["deleted_at"])
    body = client.get(f"{V1}/apps/chats/{chat['id']}/messages").json()
    assert body["deleted_at"] == chat["deleted_at"]
    assert body["chat_messages"]


def test_single_object_reads(client: httpx2.Client, server: EmulatorServer) -> None:
    project = next(server.store.iter_projects())
    detail = client.get(f"{V1}/apps/projects/{project['id']}").json()
    assert {k: detail[k] for k in project} == project
    assert {"description", "instructions", "chats_count", "attachments_count"} <= set(detail)
    doc = next(server.store.iter_project_documents())
    assert (
        client.get(f"{V1}/apps/projects/documents/{doc['id']}").json()["content"]
        == (doc["content"])
    )
    metadata = client.get(f"{V1}/apps/projects/documents/{doc['id']}/metadata").json()
    assert metadata["md5"] == doc["md5"]
    generated = next(server.store.iter_generated_files())
    assert client.get(f"{V1}/apps/chats/generated-files/{generated['id']}").json() == generated
    version = next(server.store.iter_artifact_versions())
    assert client.get(f"{V1}/apps/artifacts/{version['version_id']}").json() == version
    artifact_text = client.get(f"{V1}/apps/artifacts/{version['version_id']}/content").content
    assert len(artifact_text) == version["size_bytes"]
    session = next(server.store.iter_local_sessions())
    assert client.get(f"{V1}/apps/sessions/local/{session['id']}").json() == session
    org = client.get(V1 + "/organizations").json()["data"][1]["uuid"]
    settings = client.get(f"{V1}/organizations/{org}/settings").json()
    assert settings["type"] == "effective_organization_settings"
    assert settings["organization_id"] == org
    roles = client.get(f"{V1}/organizations/{org}/roles").json()["data"]
    role = client.get(f"{V1}/organizations/{org}/roles/{roles[0]['id']}").json()
    assert role == roles[0]
    permissions = client.get(f"{V1}/organizations/{org}/roles/{role['id']}/permissions").json()
    assert permissions["data"][0]["resource_id"] == org
    group = client.get(V1 + "/groups").json()["data"][0]
    assert client.get(f"{V1}/groups/{group['id']}").json() == group
    members = client.get(f"{V1}/groups/{group['id']}/members").json()
    assert members["data"] and members["has_more"] is False


def test_local_sessions_can_be_unavailable(fresh: Callable[..., EmulatorServer]) -> None:
    server = fresh(local_sessions_available=False)
    session_id = next(server.store.iter_local_sessions())["id"]
    with api_client(server) as http:
        for path in (
            "/apps/sessions/local",
            f"/apps/sessions/local/{session_id}",
            f"/apps/sessions/local/{session_id}/messages",
        ):
            assert error_of(http.get(V1 + path)) == (
                404,
                "not_found_error",
                "Local sessions are not available.",
            )
