"""Chats with messages, uploads, generated files and artifacts (all with real bytes)."""

from __future__ import annotations

import json
import random
from typing import Any

from ..content import (
    CHAT_TOPICS,
    MODELS,
    artifact_text,
    file_bytes,
    long_tool_input,
    mime_for,
    paragraph,
)
from ..ids import uuid_for
from ..timeutil import DAY_US, iso_z
from .base import ARTIFACT_TYPES, MINUTE_US, SECOND_US, GeneratorBase, UserRef, dump_json, md5_hex


class ChatSections(GeneratorBase):
    """Chats and everything their messages refer to."""

    def _chats(self) -> None:
        rng = self._rng("chats")
        counters = {"message": 0, "gen": 0, "artifact": 0, "version": 0}
        low, high = self.config.messages_per_chat
        for n in range(self.config.chats):
            chat_id = self._id("claude_chat_", n)
            owner_index, owner = self._any_user(rng)
            org = owner.org
            ts = self._moment(rng, 5, 345)
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
            row = (chat_id, org.uuid, user_id, project_id, ts, updated, dump_json(record))
            self.out.add("chats", row)
            for seq, (message_id, message_ts, message) in enumerate(messages):
                cursor = uuid_for(self.seed, "message", message_id)
                self.out.add(
                    "messages", (message_id, chat_id, seq, message_ts, cursor, dump_json(message))
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
        stored: dict[str, Any] = json.loads(self.store.file_metadata(file_id) or "null")
        return stored

    def _add_message_to_file(self, file_id: str, message_id: str) -> None:
        pending = self.out.pending.get("files", [])
        for index in range(len(pending) - 1, -1, -1):
            row = pending[index]
            if row[0] == file_id:
                record = json.loads(row[4])
                record["message_ids"].append(message_id)
                pending[index] = (*row[:4], dump_json(record), row[5])
                return
        record = json.loads(self.store.file_metadata(file_id) or "null")
        record["message_ids"].append(message_id)
        self.store.set_file_metadata(file_id, dump_json(record))

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
            "md5": None if content is None else md5_hex(content),
            "created_at": iso_z(ts),
        }
        self.out.add("generated_files", (gen_id, chat_id, dump_json(metadata), content))
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
            "md5": md5_hex(text.encode()),
            "size_bytes": len(text.encode()),
        }
        self.out.add(
            "artifact_versions", (version_id, artifact_id, chat_id, dump_json(metadata), text)
        )
        self.refs.artifacts.append((artifact_id, version_id, ts, 0))
        return {
            "id": artifact_id,
            "version_id": version_id,
            "title": title,
            "artifact_type": artifact_type,
        }
