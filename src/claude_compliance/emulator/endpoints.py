"""The 37 endpoints of the Compliance API (spec section 2.3), each declared once.

Order matters where paths overlap: ``/apps/chats/files/{id}`` is listed before
``/apps/chats/{id}/…`` and ``/apps/projects/documents/{id}`` before ``/apps/projects/{id}/…``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .config import SCOPE_ACTIVITIES, SCOPE_DELETE, SCOPE_ORG_DATA, SCOPE_USER_DATA
from .routes import activities, chats, code_artifacts, directory, files, projects, sessions
from .wire import Reply, RequestContext

PREFIX = "/v1/compliance"


@dataclass(frozen=True)
class Endpoint:
    """One operation: method, path template, required scope and handler."""

    method: str
    path: str
    scope: str
    handler: Callable[[RequestContext], Reply]
    remote_budget: bool = False
    """Also counts against the remote-session secondary budget."""


def _get(path: str, scope: str, handler: Callable[[RequestContext], Reply]) -> Endpoint:
    return Endpoint("GET", PREFIX + path, scope, handler)


def _delete(path: str, handler: Callable[[RequestContext], Reply]) -> Endpoint:
    return Endpoint("DELETE", PREFIX + path, SCOPE_DELETE, handler)


USER, ORG_DATA = SCOPE_USER_DATA, SCOPE_ORG_DATA
ORG = "/organizations/{org_uuid}"

ENDPOINTS: tuple[Endpoint, ...] = (
    _get("/activities", SCOPE_ACTIVITIES, activities.list_activities),
    _get("/organizations", ORG_DATA, directory.list_organizations),
    _get(ORG + "/users", USER, directory.list_users),
    _get(ORG + "/user_preferences", USER, directory.list_user_preferences),
    _get(ORG + "/roles", ORG_DATA, directory.list_roles),
    _get(ORG + "/roles/{role_id}", ORG_DATA, directory.get_role),
    _get(ORG + "/roles/{role_id}/permissions", ORG_DATA, directory.list_role_permissions),
    _get("/organizations/{organization_id}/settings", ORG_DATA, directory.get_settings),
    _get("/groups", ORG_DATA, directory.list_groups),
    _get("/groups/{group_id}", ORG_DATA, directory.get_group),
    _get("/groups/{group_id}/members", USER, directory.list_group_members),
    _get("/apps/chats", USER, chats.list_chats),
    _get("/apps/chats/files/{claude_file_id}", USER, files.get_file),
    _get("/apps/chats/files/{claude_file_id}/content", USER, files.get_file_content),
    _delete("/apps/chats/files/{claude_file_id}", files.delete_file),
    _get("/apps/chats/generated-files/{claude_gen_file_id}", USER, files.get_generated_file),
    _get(
        "/apps/chats/generated-files/{claude_gen_file_id}/content",
        USER,
        files.get_generated_file_content,
    ),
    _delete("/apps/chats/{claude_chat_id}", chats.delete_chat),
    _get("/apps/chats/{claude_chat_id}/messages", USER, chats.get_chat_messages),
    _get("/apps/artifacts/{artifact_version_id}", USER, files.get_artifact),
    _get("/apps/artifacts/{artifact_version_id}/content", USER, files.get_artifact_content),
    _get("/apps/projects", USER, projects.list_projects),
    _get("/apps/projects/documents/{document_id}", USER, projects.get_document),
    _get("/apps/projects/documents/{document_id}/metadata", USER, projects.get_document_metadata),
    _delete("/apps/projects/documents/{document_id}", projects.delete_document),
    _get("/apps/projects/{project_id}", USER, projects.get_project),
    _delete("/apps/projects/{project_id}", projects.delete_project),
    _get("/apps/projects/{project_id}/attachments", USER, projects.list_attachments),
    _get("/apps/projects/{project_id}/collaborators", USER, projects.list_collaborators),
    _get("/apps/sessions/local", USER, sessions.list_local_sessions),
    _get("/apps/sessions/local/{local_session_id}", USER, sessions.get_local_session),
    _get(
        "/apps/sessions/local/{local_session_id}/messages",
        USER,
        sessions.list_local_session_messages,
    ),
    Endpoint("GET", PREFIX + "/apps/sessions/remote", USER, sessions.list_remote_sessions, True),
    Endpoint(
        "GET",
        PREFIX + "/apps/sessions/remote/{claude_remote_session_id}/messages",
        USER,
        sessions.list_remote_session_messages,
        True,
    ),
    _get("/apps/code/artifacts", USER, code_artifacts.list_code_artifacts),
    _get(
        "/apps/code/artifacts/{artifact_id}/versions/{version_id}",
        USER,
        code_artifacts.get_code_artifact_version,
    ),
    _delete("/apps/code/artifacts/{artifact_id}", code_artifacts.delete_code_artifact),
)
