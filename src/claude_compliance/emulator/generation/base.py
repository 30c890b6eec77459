"""Shared state and helpers of world generation: references, batching, ids, activities."""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field
from typing import Any

from .. import actors
from ..config import EmulatorConfig
from ..content import AWKWARD_FILENAMES, PLAIN_FILENAMES, file_bytes, mime_for
from ..ids import tagged_id
from ..store import Store
from ..timeutil import DAY_US, iso_z

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


def dump_json(record: Any) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def md5_hex(content: bytes) -> str:
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


class GeneratorBase:
    """State shared by every generation section: config, store, batching, counters, ids.

    The sections (directory, projects, chats, sessions, feed) are mixins over this base, so
    each lives in its own module while sharing one set of counters and one batcher.
    """

    def __init__(self, config: EmulatorConfig, store: Store) -> None:
        self.config = config
        self.seed = config.seed
        self.start_us = config.world_start_us()
        """Every generated timestamp is an offset from here (the anchor's year), never the
        wall clock at generation time."""
        self.store = store
        self.out = _Batcher(store)
        self.refs = _Refs()
        self.orgs: list[OrgRef] = []
        self.users: list[UserRef] = []
        self.active_users: list[UserRef] = []
        """The users whose accounts still exist, in generation order."""
        self.members_by_org: dict[str, list[UserRef]] = {}
        self.projects_by_org: dict[str, list[tuple[str, int]]] = {}
        self.activity_count = 0
        self.file_count = 0

    # -- helpers --------------------------------------------------------------------------------

    def _rng(self, section: str) -> random.Random:
        return random.Random(f"{self.seed}:{section}")

    def _id(self, prefix: str, n: int | str) -> str:
        return tagged_id(self.seed, prefix, n)

    def _moment(self, rng: random.Random, first_day: int, days: int) -> int:
        """A random time in the ``days`` days that start ``first_day`` days into the world."""
        return self.start_us + first_day * DAY_US + rng.randrange(days * DAY_US)

    def _any_user(self, rng: random.Random) -> tuple[int, UserRef]:
        """A random user, deleted accounts included, with their index in ``users``."""
        index = rng.randrange(len(self.users))
        return index, self.users[index]

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
        where = (org.tagged_id, org.uuid) if org else None
        record = actors.activity_record(activity_id, ts, where, actor, activity_type, fields)
        actor_id = actor.get("user_id")
        row = (activity_id, ts, activity_type, actor_id, org.uuid if org else None, 0.0)
        self.out.add("activities", (*row, dump_json(record)))

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
            "md5": md5_hex(content),
            "created_at": iso_z(ts),
            "message_ids": message_ids,
            "claude_chat_ids": [chat_id] if chat_id else [],
        }
        self.out.add("files", (file_id, chat_id, project_id, ts, dump_json(record), content))
        self.refs.files.append((file_id, filename, ts, chat_id, project_id))
        return file_id
