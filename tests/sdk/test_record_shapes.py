"""Record bodies written from the spec's documented shapes (§4, §7, §11), through every model.

Each body is one the API sends or has sent: the newest reference shape, the sparse shape (absent
optionals omitted, deprecated fields dropped), the Rev I/J shapes, and bodies with values of an
unexpected JSON type. Every one must parse, keep its values, and give back exactly what was
served — keys in order — from ``to_dict()``.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from typing import Any

import pytest

from claude_compliance import (
    Activity,
    Actor,
    AdminApiKeyActor,
    ArtifactMetadata,
    Chat,
    ChatMetadata,
    CodeArtifact,
    ComplianceApiKey,
    ContentBlock,
    FileMetadata,
    FileReference,
    GeneratedFileMetadata,
    Group,
    GroupMember,
    LocalSession,
    LocalSessionMessage,
    Model,
    ModelValidationError,
    Organization,
    OrganizationSetting,
    OrganizationSettings,
    OrganizationUser,
    Project,
    ProjectAttachment,
    ProjectCollaborator,
    ProjectDetail,
    ProjectDocument,
    ProjectDocumentMetadata,
    RemoteSession,
    RemoteSessionMessage,
    Role,
    RolePermission,
    TextBlock,
    UserActor,
    UserPreferences,
)

USER = {"id": "user_01WCz1FkmYMm4gnmykNKUu3Q", "email_address": "user@example.com"}
TEXT = {"type": "text", "text": "hi", "thinking_redacted": False, "truncated": False}
TOOL_USE = {
    "type": "tool_use",
    "id": "toolu_01",
    "name": "web_search",
    "input": '{"q": "x"}',
    "integration_name": None,
    "mcp_server_url": None,
    "truncated": False,
}
TOOL_RESULT = {
    "type": "tool_result",
    "tool_use_id": "toolu_01",
    "name": "web_search",
    "is_error": False,
    "content": [{"type": "text", "text": "found"}],
    "truncated": False,
}
CHAT_CURRENT = {
    "id": "claude_chat_01XyDMpzjS89pFZXqSFUBDr6",
    "name": "Q3 plan",
    "created_at": "2026-04-10T08:09:10Z",
    "updated_at": "2026-04-10T09:00:00Z",
    "deleted_at": None,
    "organization_id": "org_01Wv6QeBcDfGhJkLmNpQrSt8",
    "organization_uuid": "abcdef01-2345-6789-abcd-ef0123456789",
    "project_id": None,
    "model": "claude-opus-4-7",
    "href": "https://claude.ai/chat/abcdef01",
    "user": USER,
}
# Guides' examples since 2026-05-19: no organization_id, nulls omitted.
CHAT_SPARSE = {
    "id": "claude_chat_02",
    "name": "",
    "created_at": "2026-05-20T08:09:10Z",
    "updated_at": "2026-05-20T08:09:10Z",
    "organization_uuid": "abcdef01-2345-6789-abcd-ef0123456789",
    "href": "https://claude.ai/chat/02",
    "user": USER,
}
MESSAGE_REV_J = {
    "id": "claude_chat_msg_01",
    "role": "user",
    "created_at": "2026-04-10T08:09:10Z",
    "content": [{"type": "text", "text": "see attached"}],
    "files": [{"id": "claude_file_01", "filename": "a.pdf", "mime_type": "application/pdf"}],
}
MESSAGE_CURRENT = {
    "id": "claude_chat_msg_02",
    "role": "assistant",
    "created_at": "2026-09-10T08:09:10Z",
    "content": [TEXT, TOOL_USE, TOOL_RESULT, {"type": "image_stub", "alt": "later block"}],
    "files": None,
    "generated_files": [
        {
            "id": "claude_gen_file_01",
            "filename": "out.csv",
            "mime_type": "text/csv",
            "size_bytes": None,
            "md5": None,
        }
    ],
    "artifacts": [
        {
            "id": "claude_artifact_01",
            "version_id": "claude_artifact_version_01",
            "title": None,
            "artifact_type": "text/markdown",
        }
    ],
}
PROJECT = {
    "id": "claude_proj_01KGp4eZNug9ri4kE35RSppq",
    "name": "Launch",
    "created_at": "2025-06-01T10:00:00Z",
    "updated_at": "2025-06-15T14:30:00Z",
    "deleted_at": None,
    "is_private": True,
    "organization_id": "org_01",
    "organization_uuid": "abcdef01-2345-6789-abcd-ef0123456789",
    "user": None,
}
PROJECT_SPARSE = {k: v for k, v in PROJECT.items() if k not in ("organization_id", "deleted_at")}
LOCAL_SESSION = {
    "type": "compliance_local_session",
    "id": "clls_eyJ2IjoxLCJvIjoiOWEx",
    "organization_uuid": "abcdef01-2345-6789-abcd-ef0123456789",
    "workspace_id": None,
    "user": {"id": "user_01", "email_address": None},
    "product_surface": "claude_code",
    "created_at": "2026-08-12T10:00:00Z",
    "updated_at": "2026-08-12T11:00:00Z",
}

SHAPES: list[tuple[str, type[Model], dict[str, Any]]] = [
    # §7.5 wire examples and §7.1 actors.
    (
        "activity: chat created",
        Activity,
        {
            "id": "activity_01XyDMpzjS89pFZXqSFUBDr6",
            "created_at": "2026-04-10T08:09:10Z",
            "organization_id": "org_01Wv6QeBcDfGhJkLmNpQrSt8",
            "organization_uuid": "abcdef01-2345-6789-abcd-ef0123456789",
            "actor": {
                "type": "user_actor",
                "email_address": "user@example.com",
                "user_id": "user_01TuVwXyZaBcDeFgH2JkLmN4",
                "ip_address": "192.0.2.34",
                "user_agent": "Mozilla/5.0...",
            },
            "type": "claude_chat_created",
            "claude_chat_id": "claude_chat_01XyDMpzjS89pFZXqSFUBDr6",
            "claude_project_id": "claude_proj_01KGp4eZNug9ri4kE35RSppq",
        },
    ),
    (
        "activity: compliance call",
        Activity,
        {
            "id": "activity_3c4d5e6f7g",
            "created_at": "2025-06-07T08:09:10Z",
            "organization_id": None,
            "organization_uuid": None,
            "actor": {
                "type": "api_actor",
                "api_key_id": "apikey_fghij567890",
                "ip_address": "10.0.0.1",
                "user_agent": "python-httpx/0.27",
            },
            "type": "compliance_api_accessed",
            "request_id": "req_123456",
            "url": "https://api.anthropic.com/v1/compliance/activities",
            "request_method": "GET",
            "request_body": None,
            "status_code": 200,
        },
    ),
    (
        "activity: Rev J file upload, optional fields omitted",
        Activity,
        {
            "id": "activity_rev_j",
            "created_at": "2026-04-01T00:00:00Z",
            "type": "claude_file_uploaded",
            "actor": {"type": "admin_api_key_actor", "admin_api_key_id": "apikey_admin01"},
            "claude_file_id": "claude_file_01",
        },
    ),
    (
        "activity: an actor of a type added later",
        Activity,
        {
            "id": "activity_new_actor",
            "type": "user_logged_in",
            "created_at": "2026-10-01T00:00:00Z",
            "actor": {"type": "quantum_actor", "qubit": 7},
        },
    ),
    ("actor: anthropic, Rev J", Actor, {"type": "anthropic_actor", "email_address": None}),
    ("actor: system, service omitted", Actor, {"type": "system_actor"}),
    (
        "actor: federated",
        Actor,
        {
            "type": "federated_actor",
            "provider": {"type": "aws", "account_id": "1", "signed_principal": "arn"},
            "subject": None,
        },
    ),
    (
        "actor: scim",
        Actor,
        {"type": "scim_directory_sync_actor", "workos_event_id": "e", "directory_id": "d"},
    ),
    # §4.8 / §4.9 chats, §11.23.
    ("chat metadata: current", ChatMetadata, CHAT_CURRENT),
    ("chat metadata: sparse", ChatMetadata, CHAT_SPARSE),
    (
        "chat: current page",
        Chat,
        {
            **CHAT_CURRENT,
            "chat_messages": [MESSAGE_CURRENT],
            "has_more": False,
            "first_id": "a",
            "last_id": "b",
        },
    ),
    ("chat: Rev J body, no has_more", Chat, {**CHAT_SPARSE, "chat_messages": [MESSAGE_REV_J]}),
    (
        "chat: a message without an id stays as served",
        Chat,
        {**CHAT_SPARSE, "chat_messages": [{"role": "user", "content": []}, MESSAGE_REV_J]},
    ),
    (
        "file reference: Rev J, no created_at",
        FileReference,
        {"id": "claude_file_01", "filename": "a.pdf", "mime_type": "application/pdf"},
    ),
    ("content block: text only (Rev J)", ContentBlock, {"type": "text", "text": "x"}),
    ("content block: unknown type", ContentBlock, {"type": "thinking_v2", "summary": "..."}),
    # §4.11-4.13 files, generated files, artifacts.
    (
        "file metadata",
        FileMetadata,
        {
            "id": "claude_file_01",
            "filename": None,
            "mime_type": None,
            "size_bytes": None,
            "md5": None,
            "created_at": "2026-01-01T00:00:00Z",
            "message_ids": ["claude_chat_msg_01"],
            "claude_chat_ids": ["claude_chat_01"],
        },
    ),
    (
        "generated file: expired",
        GeneratedFileMetadata,
        {"id": "claude_gen_file_01", "claude_chat_id": "c", "filename": "x", "size_bytes": None},
    ),
    (
        "artifact metadata",
        ArtifactMetadata,
        {
            "id": "claude_artifact_01",
            "version_id": "claude_artifact_version_01",
            "claude_chat_id": "claude_chat_01",
            "title": None,
            "artifact_type": None,
            "created_at": "2026-01-01T00:00:00Z",
            "md5": "d41d8cd98f00b204e9800998ecf8427e",
            "size_bytes": 0,
        },
    ),
    # §4.14 / §4.15 projects.
    ("project: current", Project, PROJECT),
    ("project: deprecated organization_id absent", Project, PROJECT_SPARSE),
    (
        "project detail",
        ProjectDetail,
        {
            **PROJECT,
            "description": "d",
            "instructions": "",
            "chats_count": 2,
            "attachments_count": 0,
        },
    ),
    (
        "attachment: project file",
        ProjectAttachment,
        {
            "type": "project_file",
            "id": "claude_file_01",
            "filename": "a.pdf",
            "created_at": "2026-01-01T00:00:00Z",
            "mime_type": "application/octet-stream",
            "size_bytes": None,
            "md5": None,
        },
    ),
    (
        "attachment: Rev J project doc",
        ProjectAttachment,
        {"type": "project_doc", "id": "claude_proj_doc_01", "filename": "n.txt"},
    ),
    (
        "collaborator: deleted user",
        ProjectCollaborator,
        {"type": "user", "user_id": None, "role": "viewer", "granted_at": "2026-01-01T00:00:00Z"},
    ),
    (
        "collaborator: Rev J member shape",
        ProjectCollaborator,
        {"type": "team", "team_id": "t", "role": "admin"},
    ),
    (
        "project document",
        ProjectDocument,
        {"id": "claude_proj_doc_01", "filename": "n.txt", "content": "x", "created_at": "c"},
    ),
    (
        "project document metadata",
        ProjectDocumentMetadata,
        {"id": "claude_proj_doc_01", "claude_project_id": "p", "mime_type": "text/plain"},
    ),
    # §4.2-4.7 directory.
    ("organization: Rev J list item", Organization, {"uuid": "u", "name": "n", "created_at": "c"}),
    (
        "user: before organization_role",
        OrganizationUser,
        {"id": "user_01", "created_at": "c", "email": "e", "full_name": "f"},
    ),
    ("user preferences", UserPreferences, {"user_id": "user_01", "conversation_preferences": None}),
    ("role", Role, {"id": "rbac_role_01", "name": "n", "description": "", "created_at": None}),
    ("permission", RolePermission, {"action": "claude_code", "resource_type": "organization"}),
    ("group", Group, {"id": "rbac_group_01", "name": "n", "source_type": "scim", "roles": None}),
    ("group member", GroupMember, {"user_id": "user_01", "email": "e", "created_at": None}),
    (
        "settings",
        OrganizationSettings,
        {
            "type": "effective_organization_settings",
            "organization_id": "u",
            "api_keys": [
                {
                    "id": "k",
                    "name": "n",
                    "scopes": ["read:compliance_user_data"],
                    "is_active": True,
                    "created_at": "c",
                    "created_by_id": None,
                }
            ],
            "settings": [
                {"type": "boolean", "name": "web_search_enabled", "value": True},
                {"type": "integer", "name": "account_session_duration_seconds", "value": None},
                {"type": "string", "name": "claude_code_default_worker_pool_id", "value": None},
                {"type": "string_list", "name": "allowed_invite_domains", "value": ["a.example"]},
                {"type": "provisioning_mode", "name": "sso_provisioning_mode", "value": "x"},
                {
                    "type": "data_retention",
                    "name": "data_retention_periods",
                    "value": {"all": {"type": "fixed", "duration": 30, "timescale": "day"}},
                },
                {"type": "boolean", "name": "sso_enabled"},
                {"type": "colour", "name": "theme", "value": "blue"},
            ],
        },
    ),
    ("settings: before api_keys", OrganizationSettings, {"organization_id": "u", "settings": []}),
    ("api key", ComplianceApiKey, {"id": "k", "type": "compliance_api_key", "expires_at": None}),
    ("setting: unknown type", OrganizationSetting, {"type": "map", "name": "x", "value": {}}),
    # §4.16-4.18 sessions and code artifacts.
    ("local session", LocalSession, LOCAL_SESSION),
    (
        "local session: Aug 2026, no updated_at",
        LocalSession,
        {k: v for k, v in LOCAL_SESSION.items() if k != "updated_at"},
    ),
    (
        "local session message: content unavailable",
        LocalSessionMessage,
        {
            "type": "compliance_local_session_message",
            "id": "clsm_01",
            "role": "assistant",
            "created_at": "c",
            "model": None,
            "provenance": {"type": "content_unavailable", "reason": "retention_elapsed"},
            "content": [],
        },
    ),
    (
        "remote session: pending",
        RemoteSession,
        {"id": "cse_01", "organization_uuid": "u", "created_at": "c", "status": "pending"},
    ),
    (
        "remote session message",
        RemoteSessionMessage,
        {"id": "csev_01", "role": "user", "content": [TEXT], "content_unavailable": False},
    ),
    (
        "code artifact",
        CodeArtifact,
        {
            "id": "cart_01",
            "organization_uuid": "u",
            "owner_user_id": None,
            "user": None,
            "read_mode": "org",
            "published_version_id": None,
            "updated_at": None,
            "versions": [{"id": "1741803761-9f3a", "name": "1741803761-9f3a", "created_at": None}],
        },
    ),
    # Values of an unexpected JSON type: kept as sent.
    (
        "odd types: a string for an object, a number as a string",
        Activity,
        {"id": "activity_odd", "created_at": 1767225600, "actor": "user_01", "type": "x"},
    ),
    (
        "odd types: a count as a string, a list where text was documented",
        ProjectDetail,
        {"id": "claude_proj_odd", "chats_count": "2", "name": ["a", "b"], "user": "nobody"},
    ),
    (
        "odd types: message content that is not a list",
        Chat,
        {"id": "claude_chat_odd", "chat_messages": [{"id": "m", "content": "plain text"}]},
    ),
]


@pytest.mark.parametrize(
    ("model", "body"), [(m, b) for _, m, b in SHAPES], ids=[s[0] for s in SHAPES]
)
def test_every_documented_shape_round_trips_in_order(
    model: type[Model], body: dict[str, Any]
) -> None:
    parsed = model.from_dict(body)
    assert parsed.to_dict() == body
    assert json.dumps(parsed.to_dict()) == json.dumps(body)  # the served key order too
    # Absent fields read as None (or their documented default); unknown ones are in extra.
    fields = type(parsed)._by_name
    for name, plan in fields.items():
        if name not in body:
            assert getattr(parsed, name) in (None, False) and plan.default in (None, False)
    assert parsed.extra == {k: v for k, v in body.items() if k not in fields}


def test_sparse_and_older_records_read_as_none() -> None:
    chat = ChatMetadata.from_dict(CHAT_SPARSE)
    assert chat.organization_id is None and chat.deleted_at is None and chat.model is None
    project = Project.from_dict(PROJECT_SPARSE)
    assert project.organization_id is None and project.id == PROJECT["id"]
    session = LocalSession.from_dict({k: v for k, v in LOCAL_SESSION.items() if k != "updated_at"})
    assert session.updated_at is None and session.user is not None
    actor = Actor.from_dict({"type": "admin_api_key_actor", "admin_api_key_id": "k"})
    assert isinstance(actor, AdminApiKeyActor) and actor.ip_address is None
    rev_j = Chat.from_dict({**CHAT_SPARSE, "chat_messages": [MESSAGE_REV_J]})
    assert rev_j.has_more is None
    (message,) = rev_j.chat_messages or []
    assert message.files and message.files[0].created_at is None
    assert isinstance(message.content and message.content[0], TextBlock)


def test_unknown_union_members_fall_back_with_everything_in_extra() -> None:
    actor = Actor.from_dict({"type": "quantum_actor", "qubit": 7})
    assert type(actor) is Actor and actor.extra == {"qubit": 7}
    block = ContentBlock.from_dict({"type": "thinking_v2", "summary": "s"})
    assert type(block) is ContentBlock and block.extra == {"summary": "s"}
    setting = OrganizationSetting.from_dict({"type": "colour", "name": "theme", "value": "b"})
    assert type(setting) is OrganizationSetting and setting.extra == {"value": "b"}


def test_odd_values_are_kept_and_reported_once_per_model_and_field(
    caplog: pytest.LogCaptureFixture,
) -> None:
    @dataclasses.dataclass(kw_only=True)
    class Probe(Model):  # a fresh class: the once-per-field memory starts empty
        id: str
        created_at: str | None = None
        actor: Actor | None = None
        tags: list[str] | None = None

    body = {"id": "p1", "actor": "user_01", "created_at": 7, "tags": {"a": 1}}
    with caplog.at_level(logging.WARNING, logger="claude_compliance"):
        first = Probe.from_dict(body)
        Probe.from_dict({**body, "id": "p2"})
        Probe.from_dict({"id": "p3", "actor": {"no": "type"}})  # already reported: silent
    assert first.actor == "user_01" and first.created_at == 7  # type: ignore[comparison-overlap]
    assert first.to_dict() == body
    warned = [r.getMessage() for r in caplog.records if "Probe." in r.getMessage()]
    assert len(warned) == 3 and len(set(warned)) == 3  # once per model and field
    assert any("Probe.actor: got a JSON string" in m for m in warned)
    assert any("Probe.created_at: got a JSON number" in m for m in warned)
    assert any("Probe.tags: got a JSON object" in m for m in warned)
    chat = Chat.from_dict({"id": "c", "chat_messages": [{"role": "user"}, "x"]})
    assert chat.chat_messages == [{"role": "user"}, "x"]  # unreadable nested records, as sent


def test_only_identity_is_required() -> None:
    with pytest.raises(ModelValidationError, match="lacks the field 'id'"):
        ChatMetadata.from_dict({k: v for k, v in CHAT_CURRENT.items() if k != "id"})
    with pytest.raises(ModelValidationError, match="lacks the field 'type'"):
        Actor.from_dict({"user_id": "u"})
    with pytest.raises(ModelValidationError, match="got string"):
        UserActor.from_dict("user_actor")  # type: ignore[arg-type]


def test_a_field_set_after_parsing_is_kept_and_built_models_use_declaration_order() -> None:
    project = Project.from_dict(PROJECT_SPARSE)
    project.organization_id = "org_later"
    assert list(project.to_dict()) == [*PROJECT_SPARSE, "organization_id"]
    built = Project(id="p", name="n")
    assert list(built.to_dict())[:3] == ["id", "name", "created_at"]
