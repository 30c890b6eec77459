"""The emulator's tables: every record's served JSON next to the columns endpoints filter on."""

from __future__ import annotations

__all__ = ["CONTENT_TABLES", "COUNTED_TABLES", "FINGERPRINT_ORDER", "SCHEMA"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS orgs (
    uuid TEXT PRIMARY KEY, tagged_id TEXT NOT NULL UNIQUE, seq INTEGER NOT NULL,
    ts INTEGER NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY, email TEXT NOT NULL, full_name TEXT NOT NULL, deleted INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS memberships (
    org_uuid TEXT NOT NULL, user_id TEXT NOT NULL, joined_ts INTEGER NOT NULL,
    data TEXT NOT NULL, preferences TEXT NOT NULL, PRIMARY KEY (org_uuid, user_id));
CREATE INDEX IF NOT EXISTS memberships_by_join ON memberships (org_uuid, joined_ts, user_id);
CREATE TABLE IF NOT EXISTS roles (
    id TEXT PRIMARY KEY, org_uuid TEXT NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS role_permissions (
    role_id TEXT NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (role_id, seq));
CREATE TABLE IF NOT EXISTS org_settings (org_uuid TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS groups (
    id TEXT PRIMARY KEY, seq INTEGER NOT NULL, name TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS group_members (
    group_id TEXT NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (group_id, seq));
CREATE TABLE IF NOT EXISTS projects (
    id TEXT PRIMARY KEY, org_uuid TEXT NOT NULL, user_id TEXT, ts INTEGER NOT NULL,
    updated_ts INTEGER NOT NULL, data TEXT NOT NULL, detail TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS projects_by_created ON projects (ts, id);
CREATE TABLE IF NOT EXISTS project_docs (
    id TEXT PRIMARY KEY, project_id TEXT NOT NULL, ts INTEGER NOT NULL,
    data TEXT NOT NULL, content TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS project_docs_by_project ON project_docs (project_id, ts, id);
CREATE TABLE IF NOT EXISTS collaborators (
    project_id TEXT NOT NULL, ts INTEGER NOT NULL, assignment_uuid TEXT NOT NULL,
    data TEXT NOT NULL, PRIMARY KEY (project_id, ts, assignment_uuid));
CREATE TABLE IF NOT EXISTS files (
    id TEXT PRIMARY KEY, chat_id TEXT, project_id TEXT, ts INTEGER NOT NULL,
    data TEXT NOT NULL, content BLOB);
CREATE INDEX IF NOT EXISTS files_by_chat ON files (chat_id);
CREATE INDEX IF NOT EXISTS files_by_project ON files (project_id, ts, id);
CREATE TABLE IF NOT EXISTS generated_files (
    id TEXT PRIMARY KEY, chat_id TEXT NOT NULL, data TEXT NOT NULL, content BLOB);
CREATE INDEX IF NOT EXISTS generated_files_by_chat ON generated_files (chat_id);
CREATE TABLE IF NOT EXISTS artifact_versions (
    version_id TEXT PRIMARY KEY, artifact_id TEXT NOT NULL, chat_id TEXT NOT NULL,
    data TEXT NOT NULL, content TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS artifact_versions_by_chat ON artifact_versions (chat_id);
CREATE TABLE IF NOT EXISTS chats (
    id TEXT PRIMARY KEY, org_uuid TEXT NOT NULL, user_id TEXT, project_id TEXT,
    ts INTEGER NOT NULL, updated_ts INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS chats_by_created ON chats (ts, id);
CREATE INDEX IF NOT EXISTS chats_by_updated ON chats (updated_ts, id);
CREATE INDEX IF NOT EXISTS chats_by_user ON chats (user_id, ts, id);
CREATE INDEX IF NOT EXISTS chats_by_project ON chats (project_id);
CREATE TABLE IF NOT EXISTS messages (
    id TEXT PRIMARY KEY, chat_id TEXT NOT NULL, seq INTEGER NOT NULL, ts INTEGER NOT NULL,
    cursor_uuid TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS messages_by_chat ON messages (chat_id, seq);
CREATE TABLE IF NOT EXISTS local_sessions (
    id TEXT PRIMARY KEY, seq INTEGER NOT NULL, ts INTEGER NOT NULL, updated_ts INTEGER NOT NULL,
    data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS local_sessions_by_created ON local_sessions (ts, seq);
CREATE TABLE IF NOT EXISTS local_messages (
    session_id TEXT NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (session_id, seq));
CREATE TABLE IF NOT EXISTS remote_sessions (
    id TEXT PRIMARY KEY, org_uuid TEXT NOT NULL, user_id TEXT, ts INTEGER NOT NULL,
    status TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS remote_sessions_by_created ON remote_sessions (ts, id);
CREATE TABLE IF NOT EXISTS remote_messages (
    session_id TEXT NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (session_id, seq));
CREATE TABLE IF NOT EXISTS code_artifacts (
    id TEXT PRIMARY KEY, org_uuid TEXT NOT NULL, owner_user_id TEXT, updated_ts INTEGER,
    data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS code_artifact_versions (
    artifact_id TEXT NOT NULL, version_id TEXT NOT NULL, mime_type TEXT NOT NULL,
    content BLOB NOT NULL, PRIMARY KEY (artifact_id, version_id));
CREATE TABLE IF NOT EXISTS activities (
    id TEXT PRIMARY KEY, ts INTEGER NOT NULL, type TEXT NOT NULL, actor_id TEXT,
    org_uuid TEXT, visible_at REAL NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS activities_by_time ON activities (ts, id);
"""

CONTENT_TABLES = ("files", "generated_files", "project_docs", "artifact_versions")

COUNTED_TABLES = (
    "orgs",
    "users",
    "memberships",
    "roles",
    "role_permissions",
    "groups",
    "group_members",
    "projects",
    "project_docs",
    "collaborators",
    "files",
    "generated_files",
    "artifact_versions",
    "chats",
    "messages",
    "local_sessions",
    "local_messages",
    "remote_sessions",
    "remote_messages",
    "code_artifacts",
    "code_artifact_versions",
    "activities",
)

# Column order used for a stable fingerprint of every table.
FINGERPRINT_ORDER = {
    "orgs": "uuid",
    "users": "id",
    "memberships": "org_uuid, user_id",
    "roles": "id",
    "role_permissions": "role_id, seq",
    "org_settings": "org_uuid",
    "groups": "id",
    "group_members": "group_id, seq",
    "projects": "id",
    "project_docs": "id",
    "collaborators": "project_id, ts, assignment_uuid",
    "files": "id",
    "generated_files": "id",
    "artifact_versions": "version_id",
    "chats": "id",
    "messages": "id",
    "local_sessions": "id",
    "local_messages": "session_id, seq",
    "remote_sessions": "id",
    "remote_messages": "session_id, seq",
    "code_artifacts": "id",
    "code_artifact_versions": "artifact_id, version_id",
    "activities": "id",
}
