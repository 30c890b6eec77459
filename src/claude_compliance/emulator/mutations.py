"""Changes to the world while it is served, as real users would make them.

Used by the control API (``/_emulator/…``) and directly by in-process tests. Each change also
records the activities a real change would produce. New data is stamped with the wall clock,
which is always after the generated world.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass
from typing import Any

from . import actors
from .access_log import runtime_activity_id
from .config import EmulatorConfig
from .content import CHAT_TOPICS, MODELS, PROJECT_NAMES, file_bytes, mime_for, paragraph
from .ids import random_suffix
from .store import Store
from .timeutil import iso_z, now_us


class WorldError(LookupError):
    """A mutation referred to something that does not exist."""


@dataclass(frozen=True)
class Member:
    """A current organization member, as a mutation needs them."""

    id: str
    email: str
    org_uuid: str
    org_id: str


def _dump(record: Any) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def _new_id(prefix: str) -> str:
    return prefix + "01" + random_suffix(22)


class WorldMutator:
    """Adds and edits chats, projects and activities in a served world."""

    def __init__(self, store: Store, config: EmulatorConfig) -> None:
        self.store = store
        self.config = config
        self.rng = random.Random(f"{config.seed}:mutations")

    # -- lookups --------------------------------------------------------------------------------

    def member(self, user_id: str | None = None) -> Member:
        """A current member: the given user, or a deterministic pick."""
        if user_id is not None:
            row = self.store.member(user_id)
            if row is None:
                raise WorldError(f"no current member with id {user_id!r}")
        else:
            rows = self.store.members()
            if not rows:
                raise WorldError("the world has no members")
            row = rows[self.rng.randrange(len(rows))]
        return Member(*row)

    def _actor(self, member: Member) -> actors.Actor:
        return actors.user_actor(self.rng, member.id, member.email)

    def record_activity(
        self,
        activity_type: str,
        actor: actors.Actor,
        member: Member | None,
        fields: dict[str, Any],
        ts: int | None = None,
    ) -> str:
        """Store one activity, visible immediately; returns its id."""
        activity_id = runtime_activity_id()
        ts = ts or now_us()
        org = (member.org_id, member.org_uuid) if member else None
        record = actors.activity_record(activity_id, ts, org, actor, activity_type, fields)
        self.store.add_activity(
            activity_id,
            ts,
            activity_type,
            actor.get("user_id"),
            member.org_uuid if member else None,
            0.0,
            _dump(record),
        )
        return activity_id

    # -- activities -----------------------------------------------------------------------------

    def add_activities(self, count: int) -> list[str]:
        """Add ``count`` everyday activities (chat views and sign-ins) happening now."""
        chats = self.store.owned_chats()
        ids = []
        start = now_us()
        for n in range(count):
            ts = start + n
            if chats and n % 3 != 2:
                chat_id, user_id, project_id = chats[self.rng.randrange(len(chats))]
                member = self.member(str(user_id))
                fields = {"claude_chat_id": chat_id, "claude_project_id": project_id}
                ids.append(
                    self.record_activity(
                        "claude_chat_viewed", self._actor(member), member, fields, ts
                    )
                )
            else:
                member = self.member()
                fields = {"auth_method": "sso", "mfa_method": None}
                ids.append(
                    self.record_activity(
                        "sso_login_succeeded", self._actor(member), None, fields, ts
                    )
                )
        return ids

    # -- chats ----------------------------------------------------------------------------------

    def _store_file(
        self,
        member: Member,
        ts: int,
        chat_id: str | None,
        project_id: str | None,
        message_id: str | None,
    ) -> dict[str, Any]:
        file_id = _new_id("claude_file_")
        filename = self.rng.choice(("new upload.txt", "brief \u2013 draft.md", "diagram.png"))
        content = file_bytes(self.rng, filename, self.rng.randint(200, 3000))
        record = {
            "id": file_id,
            "filename": filename,
            "mime_type": mime_for(filename),
            "size_bytes": len(content),
            "md5": hashlib.md5(content).hexdigest(),
            "created_at": iso_z(ts),
            "message_ids": [message_id] if message_id else [],
            "claude_chat_ids": [chat_id] if chat_id else [],
        }
        self.store.insert_together(
            ("files", (file_id, chat_id, project_id, ts, _dump(record), content))
        )
        return record

    def _message(self, message_id: str, role: str, ts: int, text: str) -> dict[str, Any]:
        return {
            "id": message_id,
            "role": role,
            "created_at": iso_z(ts),
            "content": [
                {"type": "text", "text": text, "thinking_redacted": False, "truncated": False}
            ],
            "files": None,
            "generated_files": None,
            "artifacts": None,
        }

    def add_chat(
        self,
        user_id: str | None = None,
        project_id: str | None = None,
        messages: int = 2,
        with_file: bool = True,
        name: str | None = None,
    ) -> dict[str, Any]:
        """Create a chat with ``messages`` messages (the first carrying a file if asked)."""
        member = self.member(user_id)
        if project_id is not None and not self.store.project_exists(project_id):
            raise WorldError(f"no project with id {project_id!r}")
        ts = now_us()
        chat_id = _new_id("claude_chat_")
        rows = []
        file_record = None
        for seq in range(max(1, messages)):
            message_ts = ts + seq * 1000
            role = "user" if seq % 2 == 0 else "assistant"
            message_id = _new_id("claude_chat_msg_")
            message = self._message(message_id, role, message_ts, paragraph(self.rng, 2))
            if seq == 0 and with_file:
                file_record = self._store_file(member, message_ts, chat_id, None, message_id)
                keys = ("id", "filename", "mime_type", "size_bytes", "md5", "created_at")
                message["files"] = [{key: file_record[key] for key in keys}]
            rows.append((message_id, chat_id, seq, message_ts, _new_id("cursor_"), _dump(message)))
        updated = rows[-1][3]
        record = {
            "id": chat_id,
            "name": name if name is not None else self.rng.choice(CHAT_TOPICS),
            "created_at": iso_z(ts),
            "updated_at": iso_z(updated),
            "deleted_at": None,
            "organization_id": member.org_id,
            "organization_uuid": member.org_uuid,
            "project_id": project_id,
            "model": self.rng.choice(MODELS),
            "href": f"https://claude.ai/chat/{random_suffix(8)}",
            "user": {"id": member.id, "email_address": member.email},
        }
        chat_row = (chat_id, member.org_uuid, member.id, project_id, ts, updated, _dump(record))
        self.store.insert_together(("chats", chat_row), *(("messages", row) for row in rows))
        actor = self._actor(member)
        context = {"claude_chat_id": chat_id, "claude_project_id": project_id}
        self.record_activity("claude_chat_created", actor, member, context, ts)
        if file_record:
            fields = {
                "claude_file_id": file_record["id"],
                "filename": file_record["filename"],
                "claude_chat_id": chat_id,
                "claude_project_id": project_id,
            }
            self.record_activity("claude_file_uploaded", actor, member, fields, ts)
        return {**record, "message_ids": [row[0] for row in rows], "file": file_record}

    def _chat(self, chat_id: str) -> tuple[dict[str, Any], Member | None]:
        row = self.store.chat_and_owner(chat_id)
        if row is None:
            raise WorldError(f"no chat with id {chat_id!r}")
        record: dict[str, Any] = json.loads(row[0])
        member = self.member(str(row[1])) if row[1] is not None else None
        return record, member

    def append_message(
        self, chat_id: str, text: str | None = None, role: str = "user"
    ) -> dict[str, Any]:
        """Append a message to a chat and bump its ``updated_at``."""
        record, member = self._chat(chat_id)
        ts = now_us()
        seq = self.store.next_message_seq(chat_id)
        message_id = _new_id("claude_chat_msg_")
        message = self._message(message_id, role, ts, text or paragraph(self.rng, 2))
        record["updated_at"] = iso_z(ts)
        message_row = (message_id, chat_id, seq, ts, _new_id("cursor_"), _dump(message))
        self.store.update_chat(chat_id, ts, _dump(record), message=message_row)
        if member:
            context = {"claude_chat_id": chat_id, "claude_project_id": record["project_id"]}
            self.record_activity("claude_chat_updated", self._actor(member), member, context, ts)
        return message

    def soft_delete_chat(self, chat_id: str) -> dict[str, Any]:
        """The user deletes the chat in claude.ai: it stays readable with ``deleted_at`` set."""
        record, member = self._chat(chat_id)
        ts = now_us()
        record["deleted_at"] = iso_z(ts)
        record["updated_at"] = iso_z(ts)
        self.store.update_chat(chat_id, ts, _dump(record))
        if member:
            context = {"claude_chat_id": chat_id, "claude_project_id": record["project_id"]}
            self.record_activity("claude_chat_deleted", self._actor(member), member, context, ts)
        return record

    # -- projects -------------------------------------------------------------------------------

    def add_project(
        self, user_id: str | None = None, is_private: bool = False, name: str | None = None
    ) -> dict[str, Any]:
        """Create a project with one document and one file."""
        member = self.member(user_id)
        ts = now_us()
        project_id = _new_id("claude_proj_")
        owner = {"id": member.id, "email_address": member.email}
        record = {
            "id": project_id,
            "name": name or self.rng.choice(PROJECT_NAMES),
            "created_at": iso_z(ts),
            "updated_at": iso_z(ts),
            "deleted_at": None,
            "is_private": is_private,
            "organization_id": member.org_id,
            "organization_uuid": member.org_uuid,
            "user": owner,
        }
        detail = {"description": paragraph(self.rng, 1), "instructions": ""}
        doc_id = _new_id("claude_proj_doc_")
        content = paragraph(self.rng, 4) + "\n"
        doc = {
            "id": doc_id,
            "claude_project_id": project_id,
            "filename": "kickoff notes.md",
            "mime_type": "text/plain",
            "size_bytes": len(content.encode()),
            "md5": hashlib.md5(content.encode()).hexdigest(),
            "created_at": iso_z(ts),
            "user": owner,
        }
        grant = {"type": "user", "user_id": member.id, "role": "owner", "granted_at": iso_z(ts)}
        self.store.insert_together(
            (
                "projects",
                (project_id, member.org_uuid, member.id, ts, ts, _dump(record), _dump(detail)),
            ),
            ("project_docs", (doc_id, project_id, ts, _dump(doc), content)),
            ("collaborators", (project_id, ts, random_suffix(), _dump(grant))),
        )
        file_record = self._store_file(member, ts, None, project_id, None)
        actor = self._actor(member)
        self.record_activity(
            "claude_project_created", actor, member, {"claude_project_id": project_id}, ts
        )
        doc_fields = {
            "claude_project_document_id": doc_id,
            "claude_project_id": project_id,
            "filename": doc["filename"],
        }
        self.record_activity("claude_project_document_uploaded", actor, member, doc_fields, ts)
        file_fields = {
            "claude_file_id": file_record["id"],
            "claude_project_id": project_id,
            "filename": file_record["filename"],
        }
        self.record_activity("claude_project_file_uploaded", actor, member, file_fields, ts)
        return {**record, "document_id": doc_id, "file_id": file_record["id"]}
