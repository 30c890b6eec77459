"""Builds a coherent, seeded world into a ``Store``.

Same seed and sizes give a byte-identical world: every random choice comes from a
``random.Random`` seeded per section (so growing one section does not reshuffle another), ids are
hashes of (seed, kind, n), and timestamps are offsets from ``WORLD_START``, never the wall clock.

The world: one parent organization with child organizations; users with memberships, roles and
preferences; RBAC roles and permissions; groups; effective settings; projects with documents,
files and collaborators; chats with messages, uploads, generated files and artifacts; local and
remote sessions; Claude Code artifacts; and an Activity Feed that refers to all of those.

Rows stream into the store in batches, so a million activities never sit in memory at once.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import actors
from .config import BUILTIN_KEY_SCOPES, FULL_KEY, READONLY_KEY, REVOKED_KEY, EmulatorConfig
from .content import (
    AWKWARD_FILENAMES,
    CHAT_TOPICS,
    MODELS,
    ORG_NAMES,
    PLAIN_FILENAMES,
    PROJECT_NAMES,
    artifact_text,
    ascii_slug,
    file_bytes,
    long_tool_input,
    mime_for,
    paragraph,
    person,
)
from .ids import local_session_id, tagged_id, uuid_for
from .settings_catalog import effective_settings
from .store import Store
from .timeutil import DAY_US, WORLD_SPAN_US, WORLD_START_US, iso_naive, iso_offset, iso_z

HOUR_US = 3_600 * 1_000_000
MINUTE_US = 60 * 1_000_000
SECOND_US = 1_000_000

ORG_ROLES = (
    "primary_owner",
    "owner",
    "admin",
    "billing",
    "claude_code_user",
    "developer",
    "managed",
    "membership_admin",
    "user",
)
LOCAL_SURFACES = (
    "cowork",
    "claude_code",
    "claude_science",
    "office_agents/excel",
    "office_agents/powerpoint",
    "office_agents/word",
    "office_agents/outlook",
    "office_agents",
    "claude_in_chrome",  # a value this emulator invents: clients must pass unknown ones through
    None,
)
REMOTE_STATUSES = ("active", "active", "paused", "archived", "failed", "pending")
ARTIFACT_TYPES = (
    "application/vnd.ant.code",
    "text/markdown",
    "text/html",
    "image/svg+xml",
    "application/vnd.ant.react",
)
ROLE_NAMES = ("Claude Code Users", "Analysts", "Legal Reviewers", "Support Agents", "Admins")
PERMISSION_ACTIONS = ("claude_code", "cowork", "web_search", "connectors", "skills", "design")


def api_key_id_for(seed: int, key: str) -> str:
    """The ``apikey_…`` id reported for a configured key (settings and access activities)."""
    return tagged_id(seed, "apikey_", key)


def _dump(record: Any) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def _md5(content: bytes) -> str:
    return hashlib.md5(content).hexdigest()


@dataclass(frozen=True)
class OrgRef:
    """An organization: bare UUID for paths, ``org_…`` id for records."""

    uuid: str
    tagged_id: str
    name: str


@dataclass(frozen=True)
class UserRef:
    """A user as the generator needs to refer to them."""

    id: str
    email: str
    full_name: str
    org: OrgRef
    deleted: bool

    def as_owner(self) -> dict[str, str] | None:
        """``{id, email_address}``, or null once the account is deleted."""
        return None if self.deleted else {"id": self.id, "email_address": self.email}


@dataclass
class _Refs:
    """Compact references the Activity Feed draws on after the objects exist."""

    chats: list[tuple[str, int, int, str | None]] = field(default_factory=list)
    projects: list[tuple[str, int, int]] = field(default_factory=list)
    files: list[tuple[str, str, int, str | None, str | None]] = field(default_factory=list)
    artifacts: list[tuple[str, str, int, int]] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)


class _Batcher:
    """Collects rows per table and writes them to the store in batches."""

    def __init__(self, store: Store, size: int = 5000) -> None:
        self.store = store
        self.size = size
        self.pending: dict[str, list[tuple[Any, ...]]] = {}

    def add(self, table: str, row: tuple[Any, ...]) -> None:
        rows = self.pending.setdefault(table, [])
        rows.append(row)
        if len(rows) >= self.size:
            self.store.insert_rows(table, rows)
            rows.clear()

    def flush(self) -> None:
        for table, rows in self.pending.items():
            if rows:
                self.store.insert_rows(table, rows)
                rows.clear()


class WorldGenerator:
    """Generates the world described by an ``EmulatorConfig`` into a ``Store``."""

    def __init__(self, config: EmulatorConfig, store: Store) -> None:
        self.config = config
        self.seed = config.seed
        self.store = store
        self.out = _Batcher(store)
        self.refs = _Refs()
        self.orgs: list[OrgRef] = []
        self.users: list[UserRef] = []
        self.members_by_org: dict[str, list[UserRef]] = {}
        self.projects_by_org: dict[str, list[tuple[str, int]]] = {}
        self.activity_count = 0
        self.file_count = 0

    # -- helpers --------------------------------------------------------------------------------

    def _rng(self, section: str) -> random.Random:
        return random.Random(f"{self.seed}:{section}")

    def _id(self, prefix: str, n: int | str) -> str:
        return tagged_id(self.seed, prefix, n)

    def activity(
        self,
        ts: int,
        activity_type: str,
        actor: actors.Actor,
        org: OrgRef | None,
        fields: dict[str, Any],
    ) -> None:
        """Emit one generated activity (visible from the start)."""
        activity_id = self._id("activity_", self.activity_count)
        self.activity_count += 1
        record = {
            "id": activity_id,
            "created_at": iso_z(ts),
            "organization_id": org.tagged_id if org else None,
            "organization_uuid": org.uuid if org else None,
            "actor": actor,
            "type": activity_type,
            **fields,
        }
        actor_id = actor.get("user_id")
        row = (activity_id, ts, activity_type, actor_id, org.uuid if org else None, 0.0)
        self.out.add("activities", (*row, _dump(record)))

    def actor_for(self, rng: random.Random, user: UserRef) -> actors.Actor:
        return actors.user_actor(rng, user.id, user.email)

    def _next_filename(self, rng: random.Random) -> str:
        # The first files of every world carry the awkward names, so even the smallest world
        # exercises them; the one after those is large enough to stream in several chunks.
        n = self.file_count
        self.file_count += 1
        if n < len(AWKWARD_FILENAMES):
            return AWKWARD_FILENAMES[n]
        if n == len(AWKWARD_FILENAMES):
            return "large dataset export.csv"
        return rng.choice(PLAIN_FILENAMES)

    def _file_size(self, rng: random.Random, filename: str) -> int:
        if filename == "large dataset export.csv":
            return 400_000
        return rng.randint(64, 3000)

    # -- sections -------------------------------------------------------------------------------

    def generate(self) -> None:
        """Build the whole world; sections run in a fixed order."""
        self._organizations()
        self._users()
        self._roles()
        self._groups()
        self._settings()
        self._projects()
        self._chats()
        self._local_sessions()
        self._remote_sessions()
        self._code_artifacts()
        self._background_activities()
        self.out.flush()

    def _organizations(self) -> None:
        for n in range(self.config.orgs + 1):
            # Index 0 is the parent; its children were created later, one week apart.
            org = OrgRef(
                uuid_for(self.seed, "org", n),
                self._id("org_", n),
                ORG_NAMES[n % len(ORG_NAMES)] + ("" if n < len(ORG_NAMES) else f" {n}"),
            )
            self.orgs.append(org)
            ts = WORLD_START_US - 400 * DAY_US + n * 7 * DAY_US
            record = {"uuid": org.uuid, "name": org.name, "created_at": iso_offset(ts)}
            self.out.add("orgs", (org.uuid, org.tagged_id, n, ts, _dump(record)))
            self.members_by_org[org.uuid] = []
            self.projects_by_org[org.uuid] = []

    def _users(self) -> None:
        rng = self._rng("users")
        children = self.orgs[1:]
        count = self.config.users
        for n in range(count):
            first, last = person(rng)
            user_id = self._id("user_", n)
            email = f"{ascii_slug(first)}.{ascii_slug(last)}{n}@acme.example"
            deleted = n > 0 and (rng.random() < 0.08 or (n == count - 1 and count >= 5))
            primary = children[n % len(children)]
            user = UserRef(user_id, email, f"{first} {last}", primary, deleted)
            self.users.append(user)
            self.out.add("users", (user_id, email, user.full_name, int(deleted)))
            if deleted:
                continue
            created_ts = WORLD_START_US - rng.randrange(200 * DAY_US)
            conversation = paragraph(rng, 2) if rng.random() < 0.5 else None
            cowork = paragraph(rng, 1) if rng.random() < 0.3 else None
            orgs = [primary]
            if n == 0:
                orgs.insert(0, self.orgs[0])
            elif len(children) > 1 and rng.random() < 0.2:
                orgs.append(children[(n + 1) % len(children)])
            for position, org in enumerate(orgs):
                if n == 0:
                    role = "primary_owner" if org is self.orgs[0] else "owner"
                elif n < len(ORG_ROLES) and position == 0:
                    role = ORG_ROLES[n]
                else:
                    role = rng.choice(("user", "user", "user", "developer", "admin"))
                joined_ts = max(created_ts, WORLD_START_US) + rng.randrange(30 * DAY_US)
                member = {
                    "id": user_id,
                    "created_at": iso_z(created_ts),
                    "email": email,
                    "full_name": user.full_name,
                    "organization_role": role,
                }
                preferences = {
                    "user_id": user_id,
                    "email": email,
                    "conversation_preferences": conversation,
                    "cowork_global_instructions": cowork,
                }
                row = (org.uuid, user_id, joined_ts, _dump(member), _dump(preferences))
                self.out.add("memberships", row)
                self.members_by_org[org.uuid].append(user)

    def _roles(self) -> None:
        rng = self._rng("roles")
        n = 0
        for org in self.orgs:
            for position in range(self.config.roles):
                role_id = self._id("rbac_role_", n)
                n += 1
                created = WORLD_START_US + rng.randrange(60 * DAY_US)
                record = {
                    "id": role_id,
                    "name": ROLE_NAMES[position % len(ROLE_NAMES)],
                    "description": f"Grants {ROLE_NAMES[position % len(ROLE_NAMES)].lower()}.",
                    "created_at": iso_naive(created + rng.randrange(SECOND_US)),
                    "updated_at": None if position % 3 == 2 else iso_naive(created + DAY_US),
                }
                self.out.add("roles", (role_id, org.uuid, position, _dump(record)))
                self.refs.roles.append(role_id)
                actions = rng.sample(PERMISSION_ACTIONS, rng.randint(1, 4))
                for seq, action in enumerate(actions):
                    permission = {
                        "action": action,
                        "resource_id": org.uuid,
                        "resource_type": "organization",
                    }
                    self.out.add("role_permissions", (role_id, seq, _dump(permission)))

    def _groups(self) -> None:
        rng = self._rng("groups")
        active = [user for user in self.users if not user.deleted]
        for n in range(self.config.groups):
            group_id = self._id("rbac_group_", n)
            self.refs.groups.append(group_id)
            created = WORLD_START_US + rng.randrange(90 * DAY_US)
            roles = rng.sample(self.refs.roles, min(len(self.refs.roles), rng.randint(0, 2)))
            record = {
                "id": group_id,
                "name": f"{ROLE_NAMES[n % len(ROLE_NAMES)]} {'EMEA' if n % 2 else 'Global'} {n}",
                "description": "Synced from the identity provider." if n % 2 else "",
                "source_type": "scim" if n % 2 else "direct",
                "roles": roles if n % 3 else None,
                "created_at": iso_naive(created + rng.randrange(SECOND_US)),
                "updated_at": None if n % 4 == 3 else iso_naive(created + 2 * DAY_US),
            }
            self.out.add("groups", (group_id, n, record["name"], _dump(record)))
            members = rng.sample(active, min(len(active), rng.randint(1, 8)))
            for seq, user in enumerate(members):
                joined = created + rng.randrange(30 * DAY_US)
                member = {
                    "user_id": user.id,
                    "email": user.email,
                    "created_at": iso_naive(joined),
                    "updated_at": None if seq % 2 else iso_naive(joined + HOUR_US),
                }
                self.out.add("group_members", (group_id, seq, _dump(member)))
            admin = self.users[0]
            self.activity(
                created,
                "group_created",
                self.actor_for(rng, admin),
                self.orgs[0],
                {"group_id": group_id, "group_name": record["name"]},
            )

    def _settings(self) -> None:
        rng = self._rng("settings")
        keys = []
        for position, (key, scopes) in enumerate(
            [*BUILTIN_KEY_SCOPES.items(), (REVOKED_KEY, ("read:compliance_user_data",))]
        ):
            if key.startswith("sk-ant-admin01-"):
                continue  # Admin keys are not Compliance API keys
            keys.append(
                {
                    "id": api_key_id_for(self.seed, key),
                    "type": "compliance_api_key",
                    "name": {
                        FULL_KEY: "SIEM export (full)",
                        READONLY_KEY: "eDiscovery (read only)",
                    }.get(key, "Rotated key"),
                    "scopes": list(scopes),
                    "is_active": key != REVOKED_KEY,
                    "created_at": iso_z(WORLD_START_US + position * DAY_US),
                    "created_by_id": self.users[0].id,
                    "expires_at": None,
                }
            )
        keys.append(
            {
                "id": api_key_id_for(self.seed, "retired-settings-key"),
                "type": "compliance_api_key",
                "name": "Settings reader (retired scope)",
                "scopes": ["read:compliance_org_settings"],
                "is_active": True,
                "created_at": iso_z(WORLD_START_US + 10 * DAY_US),
                "created_by_id": None,
                "expires_at": iso_z(WORLD_START_US + 500 * DAY_US),
            }
        )
        for org in self.orgs:
            record = {
                "type": "effective_organization_settings",
                "organization_id": org.uuid,
                "api_keys": keys,
                "settings": effective_settings(rng),
            }
            self.out.add("org_settings", (org.uuid, _dump(record)))

    def _projects(self) -> None:
        rng = self._rng("projects")
        doc_n = 0
        for n in range(self.config.projects):
            project_id = self._id("claude_proj_", n)
            creator_index = rng.randrange(len(self.users))
            creator = self.users[creator_index]
            org = creator.org
            ts = WORLD_START_US + 10 * DAY_US + rng.randrange(290 * DAY_US)
            updated = ts + rng.randrange(20 * DAY_US)
            deleted_at = iso_z(updated + DAY_US) if rng.random() < 0.1 else None
            record = {
                "id": project_id,
                "name": f"{PROJECT_NAMES[n % len(PROJECT_NAMES)]} {n}",
                "created_at": iso_z(ts),
                "updated_at": iso_z(updated),
                "deleted_at": deleted_at,
                "is_private": rng.random() < 0.4,
                "organization_id": org.tagged_id,
                "organization_uuid": org.uuid,
                "user": creator.as_owner(),
            }
            detail = {
                "description": paragraph(rng, 1),
                "instructions": paragraph(rng, 2) if rng.random() < 0.7 else "",
            }
            user_id = None if creator.deleted else creator.id
            row = (project_id, org.uuid, user_id, ts, updated, _dump(record), _dump(detail))
            self.out.add("projects", row)
            self.projects_by_org[org.uuid].append((project_id, ts))
            self.refs.projects.append((project_id, ts, creator_index))
            actor = self.actor_for(rng, creator)
            self.activity(
                ts, "claude_project_created", actor, org, {"claude_project_id": project_id}
            )
            for _ in range(rng.randint(0, 3)):
                doc_id = self._id("claude_proj_doc_", doc_n)
                doc_n += 1
                doc_ts = ts + rng.randrange(1, 5 * DAY_US)
                content = paragraph(rng, rng.randint(2, 12)) + "\n"
                filename = rng.choice(
                    ("notes.md", "style guide.txt", "FAQ \u2013 2025.md", "spec.txt")
                )
                metadata = {
                    "id": doc_id,
                    "claude_project_id": project_id,
                    "filename": filename,
                    "mime_type": "text/plain",
                    "size_bytes": len(content.encode()),
                    "md5": _md5(content.encode()),
                    "created_at": iso_z(doc_ts),
                    "user": creator.as_owner(),
                }
                self.out.add("project_docs", (doc_id, project_id, doc_ts, _dump(metadata), content))
                self.activity(
                    doc_ts,
                    "claude_project_document_uploaded",
                    actor,
                    org,
                    {
                        "claude_project_document_id": doc_id,
                        "claude_project_id": project_id,
                        "filename": filename,
                    },
                )
            for _ in range(rng.randint(0, 2) if n else 2):
                file_ts = ts + rng.randrange(1, 5 * DAY_US)
                file_id = self._file(rng, file_ts, None, project_id, [], creator)
                self.activity(
                    file_ts,
                    "claude_project_file_uploaded",
                    actor,
                    org,
                    {
                        "claude_file_id": file_id,
                        "claude_project_id": project_id,
                        "filename": self.refs.files[-1][1],
                    },
                )
            self._collaborators(rng, project_id, ts, creator, n)
            if deleted_at:
                self.activity(
                    updated + DAY_US,
                    "claude_project_deleted",
                    actor,
                    org,
                    {"claude_project_id": project_id},
                )

    def _collaborators(
        self, rng: random.Random, project_id: str, ts: int, creator: UserRef, n: int
    ) -> None:
        entries: list[tuple[int, dict[str, Any]]] = [
            (
                ts,
                {
                    "type": "user",
                    "user_id": None if creator.deleted else creator.id,
                    "role": "owner",
                },
            )
        ]
        other = self.users[rng.randrange(len(self.users))]
        entries.append(
            (
                ts + rng.randrange(1, 10 * DAY_US),
                {"type": "user", "user_id": None if other.deleted else other.id, "role": "editor"},
            )
        )
        if self.refs.groups and (n % 2 == 0):
            group_id = rng.choice(self.refs.groups)
            entries.append((ts + DAY_US, {"type": "group", "group_id": group_id, "role": "viewer"}))
        if n % 3 == 0:
            entries.append(
                (
                    ts + 2 * DAY_US,
                    {
                        "type": "organization",
                        "organization_uuid": creator.org.uuid,
                        "role": "viewer",
                    },
                )
            )
        if n % 4 == 1:
            entries.append(
                (
                    ts + 3 * DAY_US,
                    {"type": "organization_role", "organization_role": "admin", "role": "admin"},
                )
            )
        for position, (granted, entry) in enumerate(entries):
            assignment = uuid_for(self.seed, f"assignment:{project_id}", position)
            record = {**entry, "granted_at": iso_z(granted)}
            self.out.add("collaborators", (project_id, granted, assignment, _dump(record)))

    def _file(
        self,
        rng: random.Random,
        ts: int,
        chat_id: str | None,
        project_id: str | None,
        message_ids: list[str],
        owner: UserRef,
    ) -> str:
        """Store one uploaded file with real bytes; returns its id."""
        file_id = self._id("claude_file_", self.file_count)
        filename = self._next_filename(rng)
        content = file_bytes(rng, filename, self._file_size(rng, filename))
        record = {
            "id": file_id,
            "filename": filename,
            "mime_type": mime_for(filename),
            "size_bytes": len(content),
            "md5": _md5(content),
            "created_at": iso_z(ts),
            "message_ids": message_ids,
            "claude_chat_ids": [chat_id] if chat_id else [],
        }
        self.out.add("files", (file_id, chat_id, project_id, ts, _dump(record), content))
        self.refs.files.append((file_id, filename, ts, chat_id, project_id))
        return file_id

    def _chats(self) -> None:
        rng = self._rng("chats")
        counters = {"message": 0, "gen": 0, "artifact": 0, "version": 0}
        low, high = self.config.messages_per_chat
        for n in range(self.config.chats):
            chat_id = self._id("claude_chat_", n)
            owner_index = rng.randrange(len(self.users))
            owner = self.users[owner_index]
            org = owner.org
            ts = WORLD_START_US + 5 * DAY_US + rng.randrange(345 * DAY_US)
            project_id = None
            org_projects = self.projects_by_org[org.uuid]
            if org_projects and rng.random() < 0.4:
                project_id, project_ts = rng.choice(org_projects)
                ts = max(ts, project_ts + rng.randrange(1, DAY_US))
            message_ts = ts
            first_file = len(self.refs.files)
            messages: list[tuple[str, int, dict[str, Any]]] = []
            chat_files: list[str] = []
            artifacts_in_chat: list[tuple[str, str, str, int]] = []
            for position in range(rng.randint(low, high)):
                message_id = self._id("claude_chat_msg_", counters["message"])
                counters["message"] += 1
                message_ts += rng.randrange(5 * SECOND_US, 10 * MINUTE_US)
                if position % 2 == 0:
                    message = self._user_message(rng, chat_id, message_id, message_ts, owner)
                    chat_files.extend(ref["id"] for ref in message["files"] or [])
                    if chat_files and message["files"] is None and rng.random() < 0.15:
                        # Re-attaching an earlier upload: one file, several messages.
                        message["files"] = [self._file_ref(chat_files[0])]
                        self._add_message_to_file(chat_files[0], message_id)
                else:
                    message = self._assistant_message(
                        rng, chat_id, message_id, message_ts, counters, artifacts_in_chat, owner
                    )
                messages.append((message_id, message_ts, message))
            updated = messages[-1][1]
            deleted_at = (
                updated + rng.randrange(DAY_US, 20 * DAY_US) if rng.random() < 0.08 else None
            )
            chat_uuid = uuid_for(self.seed, "chat", n)
            record = {
                "id": chat_id,
                "name": rng.choice(CHAT_TOPICS) if rng.random() < 0.95 else "",
                "created_at": iso_z(ts),
                "updated_at": iso_z(updated),
                "deleted_at": iso_z(deleted_at) if deleted_at else None,
                "organization_id": org.tagged_id,
                "organization_uuid": org.uuid,
                "project_id": project_id,
                "model": rng.choice(MODELS) if rng.random() < 0.9 else None,
                "href": f"https://claude.ai/chat/{chat_uuid}",
                "user": owner.as_owner(),
            }
            user_id = None if owner.deleted else owner.id
            row = (chat_id, org.uuid, user_id, project_id, ts, updated, _dump(record))
            self.out.add("chats", row)
            for seq, (message_id, message_ts, message) in enumerate(messages):
                cursor = uuid_for(self.seed, "message", message_id)
                self.out.add(
                    "messages", (message_id, chat_id, seq, message_ts, cursor, _dump(message))
                )
            self.refs.chats.append((chat_id, ts, owner_index, project_id))
            actor = self.actor_for(rng, owner)
            context = {"claude_chat_id": chat_id, "claude_project_id": project_id}
            self.activity(ts, "claude_chat_created", actor, org, context)
            for file_id, filename, file_ts, _, _ in self.refs.files[first_file:]:
                fields = {
                    "claude_file_id": file_id,
                    "filename": filename,
                    "claude_chat_id": chat_id,
                    "claude_project_id": project_id,
                }
                self.activity(file_ts, "claude_file_uploaded", actor, org, fields)
            for artifact_id, _, _, artifact_ts in artifacts_in_chat:
                fields = {"claude_artifact_id": artifact_id}
                self.activity(artifact_ts, "claude_artifact_created", actor, org, fields)
            if deleted_at:
                self.activity(deleted_at, "claude_chat_deleted", actor, org, context)

    def _file_ref(self, file_id: str) -> dict[str, Any]:
        meta = self._file_meta(file_id)
        keys = ("id", "filename", "mime_type", "size_bytes", "md5", "created_at")
        return {key: meta[key] for key in keys}

    def _file_meta(self, file_id: str) -> dict[str, Any]:
        # Files of the chat being built are still in the batcher, not yet in the store.
        for row in reversed(self.out.pending.get("files", [])):
            if row[0] == file_id:
                record: dict[str, Any] = json.loads(row[4])
                return record
        data = self.store.scalar("SELECT data FROM files WHERE id = ?", (file_id,))
        stored: dict[str, Any] = json.loads(data)
        return stored

    def _add_message_to_file(self, file_id: str, message_id: str) -> None:
        pending = self.out.pending.get("files", [])
        for index in range(len(pending) - 1, -1, -1):
            row = pending[index]
            if row[0] == file_id:
                record = json.loads(row[4])
                record["message_ids"].append(message_id)
                pending[index] = (*row[:4], _dump(record), row[5])
                return
        data = self.store.scalar("SELECT data FROM files WHERE id = ?", (file_id,))
        record = json.loads(data)
        record["message_ids"].append(message_id)
        self.store.execute("UPDATE files SET data = ? WHERE id = ?", (_dump(record), file_id))

    def _user_message(
        self, rng: random.Random, chat_id: str, message_id: str, ts: int, owner: UserRef
    ) -> dict[str, Any]:
        files: list[dict[str, Any]] | None = None
        if rng.random() < 0.25:
            files = []
            for _ in range(rng.randint(1, 2)):
                file_id = self._file(rng, ts - SECOND_US, chat_id, None, [message_id], owner)
                files.append(self._file_ref(file_id))
        return {
            "id": message_id,
            "role": "user",
            "created_at": iso_z(ts),
            "content": [
                {
                    "type": "text",
                    "text": paragraph(rng, rng.randint(1, 4)),
                    "thinking_redacted": False,
                    "truncated": False,
                }
            ],
            "files": files,
            "generated_files": None,
            "artifacts": None,
        }

    def _assistant_message(
        self,
        rng: random.Random,
        chat_id: str,
        message_id: str,
        ts: int,
        counters: dict[str, int],
        artifacts_in_chat: list[tuple[str, str, str, int]],
        owner: UserRef,
    ) -> dict[str, Any]:
        content: list[dict[str, Any]] = []
        if rng.random() < 0.3:
            tool_id = f"toolu_{self._id('', f'tool:{message_id}')}"
            integration = rng.choice((None, "Google Drive", "Slack"))
            big = rng.random() < 0.15
            tool_input = long_tool_input(rng, 12_000) if big else json.dumps({"q": "quarterly"})
            result_text = ("row " * 3500) if big else paragraph(rng, 2)
            mcp_url = "https://mcp.acme.example/sse" if integration == "Slack" else None
            content.append(
                {
                    "type": "tool_use",
                    "id": tool_id,
                    "name": rng.choice(("web_search", "drive_search", "run_sql")),
                    "input": tool_input,
                    "integration_name": integration,
                    "mcp_server_url": mcp_url,
                    "truncated": False,
                }
            )
            content.append(
                {
                    "type": "tool_result",
                    "tool_use_id": tool_id,
                    "name": content[-1]["name"],
                    "is_error": rng.random() < 0.1,
                    "content": [{"type": "text", "text": result_text}],
                    "integration_name": integration,
                    "mcp_server_url": mcp_url,
                    "truncated": False,
                }
            )
        content.append(
            {
                "type": "text",
                "text": paragraph(rng, rng.randint(1, 6)),
                "thinking_redacted": rng.random() < 0.1,
                "truncated": False,
            }
        )
        generated: list[dict[str, Any]] | None = None
        if rng.random() < 0.1:
            generated = [self._generated_file(rng, chat_id, ts, counters)]
        artifacts: list[dict[str, Any]] | None = None
        if rng.random() < 0.15:
            artifacts = [self._artifact_version(rng, chat_id, ts, counters, artifacts_in_chat)]
        return {
            "id": message_id,
            "role": "assistant",
            "created_at": iso_z(ts),
            "content": content,
            "files": None,
            "generated_files": generated,
            "artifacts": artifacts,
        }

    def _generated_file(
        self, rng: random.Random, chat_id: str, ts: int, counters: dict[str, int]
    ) -> dict[str, Any]:
        n = counters["gen"]
        counters["gen"] += 1
        gen_id = self._id("claude_gen_file_", n)
        filename = rng.choice(("chart.png", "analysis.csv", "summary.pdf", "cleaned data.json"))
        # A few generated files have expired: metadata remains, content and checksums do not.
        expired = n % 7 == 3
        content = None if expired else file_bytes(rng, filename, rng.randint(100, 4000))
        metadata = {
            "id": gen_id,
            "claude_chat_id": chat_id,
            "filename": filename,
            "mime_type": mime_for(filename),
            "size_bytes": None if content is None else len(content),
            "md5": None if content is None else _md5(content),
            "created_at": iso_z(ts),
        }
        self.out.add("generated_files", (gen_id, chat_id, _dump(metadata), content))
        return {key: metadata[key] for key in ("id", "filename", "mime_type", "size_bytes", "md5")}

    def _artifact_version(
        self,
        rng: random.Random,
        chat_id: str,
        ts: int,
        counters: dict[str, int],
        artifacts_in_chat: list[tuple[str, str, str, int]],
    ) -> dict[str, Any]:
        if artifacts_in_chat and rng.random() < 0.5:
            artifact_id, title, artifact_type, _ = rng.choice(artifacts_in_chat)
        else:
            artifact_id = self._id("claude_artifact_", counters["artifact"])
            counters["artifact"] += 1
            title = rng.choice(("Landing page", "Migration script", "Q3 memo", "Org chart"))
            artifact_type = rng.choice(ARTIFACT_TYPES)
            artifacts_in_chat.append((artifact_id, title, artifact_type, ts))
        version_id = self._id("claude_artifact_version_", counters["version"])
        counters["version"] += 1
        text = artifact_text(rng, artifact_type, title, counters["version"])
        metadata = {
            "id": artifact_id,
            "version_id": version_id,
            "claude_chat_id": chat_id,
            "title": title,
            "artifact_type": artifact_type,
            "created_at": iso_z(ts),
            "md5": _md5(text.encode()),
            "size_bytes": len(text.encode()),
        }
        self.out.add("artifact_versions", (version_id, artifact_id, chat_id, _dump(metadata), text))
        self.refs.artifacts.append((artifact_id, version_id, ts, 0))
        return {
            "id": artifact_id,
            "version_id": version_id,
            "title": title,
            "artifact_type": artifact_type,
        }

    def _session_blocks(self, rng: random.Random, role: str) -> list[dict[str, Any]]:
        if role == "user":
            return [{"type": "text", "text": paragraph(rng, 2), "truncated": False}]
        blocks: list[dict[str, Any]] = []
        if rng.random() < 0.4:
            tool_id = f"toolu_{rng.randrange(16**24):024x}"
            big = rng.random() < 0.2
            blocks.append(
                {
                    "type": "tool_use",
                    "id": tool_id,
                    "name": rng.choice(("Bash", "Read", "Edit", "Grep")),
                    "input": long_tool_input(rng, 15_000) if big else '{"command":"ls -la"}',
                    "truncated": False,
                }
            )
            blocks.append(
                {
                    "type": "tool_result",
                    "tool_use_id": tool_id,
                    "name": blocks[-1]["name"],
                    "is_error": False,
                    "content": [{"type": "text", "text": "ok\n" * (6000 if big else 3)}],
                    "truncated": False,
                }
            )
        blocks.append({"type": "text", "text": paragraph(rng, 3), "truncated": False})
        return blocks

    def _local_sessions(self) -> None:
        rng = self._rng("local_sessions")
        members = [user for user in self.users if not user.deleted]
        for n in range(self.config.local_sessions):
            user = members[rng.randrange(len(members))]
            org = user.org
            session_id = local_session_id(self.seed, org.uuid, n)
            ts = WORLD_START_US + 30 * DAY_US + rng.randrange(320 * DAY_US)
            cmek = n % 9 == 4  # content of a CMEK org whose key was revoked
            straddling = n % 9 == 7  # the oldest turns aged out of retention
            call_ts = ts
            rows: list[dict[str, Any]] = []
            if straddling:
                rows.append(self._local_message(n, len(rows), "user", call_ts, None, [], {
                    "type": "content_unavailable", "reason": "retention_elapsed"}))  # fmt: skip
            for turn in range(rng.randint(3, 12)):
                call_ts += rng.randrange(SECOND_US, 5 * MINUTE_US)
                role = "user" if turn % 2 == 0 else "assistant"
                provenance: dict[str, Any] | None = None
                if cmek:
                    provenance = {"type": "content_unavailable", "reason": "cmek_key_revoked"}
                elif role == "assistant" and turn == 1 and n % 3 == 1:
                    provenance = {"type": "client_asserted"}
                elif turn == 0 and n % 4 == 2:
                    provenance = {"type": "synthetic_marker"}
                elif role == "assistant" and rng.random() < 0.05:
                    provenance = {"type": "content_unavailable", "reason": "client_aborted"}
                if provenance and provenance["type"] == "content_unavailable":
                    blocks: list[dict[str, Any]] = []
                elif provenance and provenance["type"] == "synthetic_marker":
                    blocks = [
                        {"type": "text", "text": "[system prompt present]", "truncated": False}
                    ]
                else:
                    blocks = self._session_blocks(rng, role)
                model = rng.choice(MODELS) if role == "assistant" and provenance is None else None
                rows.append(
                    self._local_message(n, len(rows), role, call_ts, model, blocks, provenance)
                )
            record = {
                "type": "compliance_local_session",
                "id": session_id,
                "organization_uuid": org.uuid,
                "workspace_id": self._id("wrkspc_", n % 3) if n % 2 else None,
                "user": {"id": user.id, "email_address": user.email},
                "product_surface": LOCAL_SURFACES[n % len(LOCAL_SURFACES)],
                "created_at": iso_z(ts),
                "updated_at": iso_z(call_ts),
            }
            self.out.add("local_sessions", (session_id, n, ts, call_ts, _dump(record)))
            for seq, message in enumerate(rows):
                self.out.add("local_messages", (session_id, seq, _dump(message)))

    def _local_message(
        self,
        session_n: int,
        seq: int,
        role: str,
        ts: int,
        model: str | None,
        blocks: list[dict[str, Any]],
        provenance: dict[str, Any] | None,
    ) -> dict[str, Any]:
        return {
            "type": "compliance_local_session_message",
            "id": self._id("clsm_", f"{session_n}:{seq}"),
            "role": role,
            "created_at": iso_z(ts),
            "model": model,
            "provenance": provenance,
            "content": blocks,
        }

    def _remote_sessions(self) -> None:
        rng = self._rng("remote_sessions")
        members = [user for user in self.users if not user.deleted]
        for n in range(self.config.remote_sessions):
            session_id = self._id("cse_", n)
            user = members[rng.randrange(len(members))]
            org = user.org
            agent_owned = n % 4 == 3
            status = REMOTE_STATUSES[n % len(REMOTE_STATUSES)]
            ts = WORLD_START_US + 60 * DAY_US + rng.randrange(300 * DAY_US)
            message_ts = ts
            messages: list[dict[str, Any]] = []
            if status != "pending":
                for turn in range(rng.randint(2, 10)):
                    message_ts += rng.randrange(SECOND_US, 2 * MINUTE_US)
                    role = "user" if turn % 2 == 0 else "assistant"
                    unavailable = rng.random() < 0.08
                    messages.append(
                        {
                            "id": self._id("csev_", f"{n}:{turn}"),
                            "role": role,
                            "created_at": iso_z(message_ts),
                            "content": [] if unavailable else self._session_blocks(rng, role),
                            "content_unavailable": unavailable,
                            "sent_by_user_id": user.id if agent_owned and role == "user" else None,
                        }
                    )
            owner = {"id": user.id, "email_address": user.email}
            project = self.projects_by_org[org.uuid]
            record = {
                "id": session_id,
                "organization_uuid": org.uuid,
                "created_at": iso_z(ts),
                "updated_at": iso_z(message_ts),
                "status": status,
                "user": None if agent_owned else owner,
                "agent_id": self._id("cagt_", n) if agent_owned else None,
                "started_by_user": owner if agent_owned and n % 8 == 3 else None,
                "product_surface": "cowork_remote" if n % 5 else None,
                "claude_project_id": project[0][0] if project and n % 3 == 0 else None,
            }
            user_id = None if agent_owned else user.id
            self.out.add(
                "remote_sessions", (session_id, org.uuid, user_id, ts, status, _dump(record))
            )
            for seq, message in enumerate(messages):
                self.out.add("remote_messages", (session_id, seq, _dump(message)))

    def _code_artifacts(self) -> None:
        rng = self._rng("code_artifacts")
        members = [user for user in self.users if not user.deleted]
        for n in range(self.config.code_artifacts):
            artifact_id = self._id("cart_", n)
            user = members[rng.randrange(len(members))]
            by_agent = n % 5 == 4
            ts = WORLD_START_US + 100 * DAY_US + rng.randrange(250 * DAY_US)
            versions = []
            version_ts = ts
            for v in range(rng.randint(1, 4)):
                version_ts += rng.randrange(HOUR_US, 5 * DAY_US)
                version_id = f"{version_ts // SECOND_US}-{rng.randrange(16**4):04x}"
                title = f"Dashboard v{v + 1}" if v % 2 == 0 else version_id
                versions.append({"id": version_id, "name": title, "created_at": iso_z(version_ts)})
                html = f"<!doctype html><title>{title}</title><main>{paragraph(rng, 3)}</main>\n"
                self.out.add(
                    "code_artifact_versions", (artifact_id, version_id, "text/html", html.encode())
                )
            # Artifacts published before ``updated_at`` existed have none (and match no filter).
            updated = None if n % 6 == 5 else version_ts
            record = {
                "id": artifact_id,
                "organization_uuid": user.org.uuid,
                "owner_user_id": None if by_agent else user.id,
                "user": None if by_agent else {"id": user.id, "email_address": user.email},
                "read_mode": ("owner", "users", "org", "public")[n % 4],
                "published_version_id": versions[-1]["id"] if n % 3 else None,
                "updated_at": iso_z(updated) if updated else None,
                "versions": list(reversed(versions)),
            }
            owner_id = None if by_agent else user.id
            row = (artifact_id, user.org.uuid, owner_id, updated, _dump(record))
            self.out.add("code_artifacts", row)

    # -- the rest of the Activity Feed ----------------------------------------------------------

    def _background_activities(self) -> None:
        rng = self._rng("activities")
        builders = _background_builders(self)
        coverage = [builder for builder in builders if builder[2]]
        for _, build, _ in coverage:
            build(rng, WORLD_START_US + rng.randrange(WORLD_SPAN_US))
        weights = [weight for weight, _, _ in builders]
        remaining = self.config.activities - self.activity_count
        for _ in range(max(0, remaining)):
            _, build, _ = rng.choices(builders, weights)[0]
            build(rng, WORLD_START_US + rng.randrange(WORLD_SPAN_US))


Builder = Callable[[random.Random, int], None]


def _background_builders(gen: WorldGenerator) -> list[tuple[float, Builder, bool]]:
    """Weighted activity builders: ``(weight, build, covers_an_actor_type)``.

    The builders flagged as covering an actor type run once each before the weighted fill, so
    every actor type of the spec appears in every world.
    """
    seed = gen.seed
    users = gen.users
    parent = gen.orgs[0]

    def some_user(rng: random.Random) -> UserRef:
        return users[rng.randrange(len(users))]

    def chat_viewed(rng: random.Random, ts: int) -> None:
        if not gen.refs.chats:
            return sign_in(rng, ts)
        chat_id, chat_ts, owner_index, project_id = rng.choice(gen.refs.chats)
        owner = users[owner_index]
        kind = "claude_chat_viewed" if rng.random() < 0.85 else "claude_chat_updated"
        fields = {"claude_chat_id": chat_id, "claude_project_id": project_id}
        when = max(ts, chat_ts + MINUTE_US)
        gen.activity(when, kind, gen.actor_for(rng, owner), owner.org, fields)

    def project_viewed(rng: random.Random, ts: int) -> None:
        if not gen.refs.projects:
            return sign_in(rng, ts)
        project_id, project_ts, owner_index = rng.choice(gen.refs.projects)
        viewer = users[owner_index]
        fields = {"claude_project_id": project_id, "preview_only": rng.random() < 0.2}
        when = max(ts, project_ts + MINUTE_US)
        gen.activity(when, "claude_project_viewed", gen.actor_for(rng, viewer), viewer.org, fields)

    def file_viewed(rng: random.Random, ts: int) -> None:
        if not gen.refs.files:
            return sign_in(rng, ts)
        file_id, filename, file_ts, _, project_id = rng.choice(gen.refs.files)
        viewer = some_user(rng)
        fields = {
            "claude_file_id": file_id,
            "claude_artifact_id": None,
            "claude_project_id": project_id,
            "filename": filename,
        }
        when = max(ts, file_ts + MINUTE_US)
        gen.activity(when, "claude_file_viewed", gen.actor_for(rng, viewer), viewer.org, fields)

    def artifact_viewed(rng: random.Random, ts: int) -> None:
        if not gen.refs.artifacts:
            return sign_in(rng, ts)
        artifact_id, version_id, artifact_ts, _ = rng.choice(gen.refs.artifacts)
        viewer = some_user(rng)
        fields = {"claude_artifact_id": artifact_id, "claude_artifact_version_id": version_id}
        when = max(ts, artifact_ts + MINUTE_US)
        gen.activity(when, "claude_artifact_viewed", gen.actor_for(rng, viewer), viewer.org, fields)

    def sign_in(rng: random.Random, ts: int) -> None:
        user = some_user(rng)
        actor = gen.actor_for(rng, user)
        choice = rng.random()
        if choice < 0.6:
            gen.activity(
                ts,
                "sso_login_succeeded",
                actor,
                None,
                {"auth_method": "sso", "mfa_method": "not_used"},
            )
        elif choice < 0.8:
            provider = rng.choice(("google", "apple", "microsoft"))
            fields = {"provider": provider, "auth_method": "social", "mfa_method": "not_used"}
            gen.activity(ts, "social_login_succeeded", actor, None, fields)
        else:
            magic = {"auth_method": "magic_link", "mfa_method": None}
            gen.activity(ts, "magic_link_login_succeeded", actor, None, magic)

    def sign_out(rng: random.Random, ts: int) -> None:
        user = some_user(rng)
        gen.activity(ts, "user_logged_out", gen.actor_for(rng, user), None, {})

    def failed_login(rng: random.Random, ts: int) -> None:
        email = rng.choice((some_user(rng).email, "mallory@evil.example", None))
        kind = rng.choice(("sso_login_failed", "magic_link_login_initiated", "sso_login_initiated"))
        gen.activity(ts, kind, actors.unauthenticated_user_actor(rng, email), None, {})

    def old_api_call(rng: random.Random, ts: int) -> None:
        key = rng.choice((FULL_KEY, READONLY_KEY))
        path = rng.choice(("/v1/compliance/activities", "/v1/compliance/apps/chats"))
        fields = {
            "request_id": f"req_{gen._id('', f'req:{ts}')}",
            "url": f"https://api.anthropic.com{path}?limit=100",
            "request_method": "GET",
            "status_code": rng.choice((200, 200, 200, 429)),
            "request_body": None,
        }
        actor = actors.api_actor(api_key_id_for(seed, key), "198.51.100.7", "python-httpx/0.27.0")
        gen.activity(ts, "compliance_api_accessed", actor, None, fields)

    def settings_changed(rng: random.Random, ts: int) -> None:
        actor = rng.choice((gen.actor_for(rng, users[0]), actors.anthropic_actor()))
        update = {"type": "web_search_enabled", "current_value": True, "previous_value": False}
        gen.activity(
            ts, "claude_organization_settings_updated", actor, parent, {"updates": [update]}
        )

    def export_completed(rng: random.Random, ts: int) -> None:
        fields = {"export_type": rng.choice(("conversations", "workbench"))}
        gen.activity(ts, "org_data_export_completed", actors.anthropic_actor(), parent, fields)

    def scim(rng: random.Random, ts: int) -> None:
        user = some_user(rng)
        kind = rng.choice(("scim_user_created", "scim_user_updated", "scim_user_deleted"))
        gen.activity(
            ts, kind, actors.scim_directory_sync_actor(rng), user.org, {"user_id": user.id}
        )

    def admin_key(rng: random.Random, ts: int) -> None:
        actor = actors.admin_api_key_actor(rng, gen._id("apikey_", "admin"))
        workspace = gen._id("wrkspc_", rng.randrange(3))
        gen.activity(ts, "platform_workspace_created", actor, parent, {"workspace_id": workspace})

    def system(rng: random.Random, ts: int) -> None:
        fields = {"reason": "org_member_removed", "revoked_count": 1, "trusted_device_id": None}
        actor = actors.system_actor("device-trust-reaper")
        gen.activity(ts, "trusted_device_revoked", actor, parent, fields)

    def service_account(rng: random.Random, ts: int) -> None:
        user = some_user(rng)
        actor = actors.service_account_actor(rng, gen._id("svcacct_", 1))
        fields = {"user_id": user.id, "workspace_id": gen._id("wrkspc_", rng.randrange(3))}
        gen.activity(ts, "platform_workspace_member_added", actor, parent, fields)

    def federated_identity(rng: random.Random, ts: int) -> None:
        fields: dict[str, Any] = {
            "event_data": None,
            "request_id": f"req_{gen._id('', f'fed:{ts}')}",
            "resources": [],
            "status": {"outcome": "success", "detail": None, "reason": None},
        }
        actor = actors.federated_identity_actor(rng)
        gen.activity(ts, "platform_federated_authentication", actor, parent, fields)

    def federated(rng: random.Random, ts: int) -> None:
        fields = {"file_id": gen._id("file_", f"platform:{ts}"), "session_id": None}
        gen.activity(ts, "platform_file_uploaded", actors.federated_actor(rng), parent, fields)

    def attested(rng: random.Random, ts: int) -> None:
        fields: dict[str, Any] = {"event_data": None, "request_id": None, "status": None}
        actor = actors.attested_device_actor(rng)
        gen.activity(ts, "platform_app_attest_authentication", actor, parent, fields)

    def org_admin(rng: random.Random, ts: int) -> None:
        admin = users[0]
        actor = gen.actor_for(rng, admin)
        if gen.refs.groups and rng.random() < 0.5:
            target = some_user(rng)
            fields = {"group_id": rng.choice(gen.refs.groups), "member_ids": [target.id]}
            gen.activity(ts, "group_member_added", actor, parent, fields)
        elif gen.refs.roles:
            fields = {
                "principal_id": some_user(rng).id,
                "principal_type": "user",
                "role_id": rng.choice(gen.refs.roles),
            }
            gen.activity(ts, "rbac_role_assigned", actor, parent, fields)
        else:
            gen.activity(ts, "org_users_listed", actor, parent, {})

    return [
        (30.0, chat_viewed, False),
        (8.0, project_viewed, False),
        (4.0, file_viewed, False),
        (3.0, artifact_viewed, False),
        (14.0, sign_in, True),
        (4.0, sign_out, False),
        (3.0, failed_login, True),
        (5.0, old_api_call, True),
        (1.0, settings_changed, False),
        (0.5, export_completed, True),
        (2.0, scim, True),
        (1.0, admin_key, True),
        (0.5, system, True),
        (1.0, service_account, True),
        (0.5, federated_identity, True),
        (0.5, federated, True),
        (0.5, attested, True),
        (2.0, org_admin, False),
    ]


WORLD_VERSION = "1"
"""Bump when generation changes, so a file database built by an older emulator is rebuilt."""


def world_signature(config: EmulatorConfig) -> str:
    """Identifies the world a config generates (seed, sizes, generator version)."""
    return json.dumps(
        {
            "version": WORLD_VERSION,
            "seed": config.seed,
            "sizes": [
                config.orgs,
                config.users,
                config.projects,
                config.chats,
                list(config.messages_per_chat),
                config.activities,
                config.local_sessions,
                config.remote_sessions,
                config.code_artifacts,
                config.groups,
                config.roles,
            ],
        },
        sort_keys=True,
    )


def build_world(config: EmulatorConfig, store: Store | None = None) -> Store:
    """Return a store holding the world of ``config`` (generated unless already present)."""
    config.validate()
    store = store or Store(config.db)
    signature = world_signature(config)
    existing = store.get_meta("world_signature")
    if existing == signature:
        return store
    if existing is not None:
        raise ValueError(
            f"the database {config.db!r} holds a different world; remove it or use another path"
        )
    WorldGenerator(config, store).generate()
    store.set_meta("world_signature", signature)
    return store
