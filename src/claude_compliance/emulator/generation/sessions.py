"""Local sessions, remote sessions and Claude Code artifacts."""

from __future__ import annotations

import random
from typing import Any

from ..content import MODELS, long_tool_input, paragraph
from ..ids import local_session_id
from ..timeutil import DAY_US, iso_z
from .base import (
    HOUR_US,
    LOCAL_SURFACES,
    MINUTE_US,
    REMOTE_STATUSES,
    SECOND_US,
    GeneratorBase,
    dump_json,
)


class SessionSections(GeneratorBase):
    """Sessions from users' machines and Anthropic's cloud, and hosted code artifacts."""

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
        for n in range(self.config.local_sessions):
            user = rng.choice(self.active_users)
            org = user.org
            session_id = local_session_id(self.seed, org.uuid, n)
            ts = self._moment(rng, 30, 320)
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
            self.out.add("local_sessions", (session_id, n, ts, call_ts, dump_json(record)))
            for seq, message in enumerate(rows):
                self.out.add("local_messages", (session_id, seq, dump_json(message)))

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
        for n in range(self.config.remote_sessions):
            session_id = self._id("cse_", n)
            user = rng.choice(self.active_users)
            org = user.org
            agent_owned = n % 4 == 3
            status = REMOTE_STATUSES[n % len(REMOTE_STATUSES)]
            ts = self._moment(rng, 60, 300)
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
                "remote_sessions", (session_id, org.uuid, user_id, ts, status, dump_json(record))
            )
            for seq, message in enumerate(messages):
                self.out.add("remote_messages", (session_id, seq, dump_json(message)))

    def _code_artifacts(self) -> None:
        rng = self._rng("code_artifacts")
        for n in range(self.config.code_artifacts):
            artifact_id = self._id("cart_", n)
            user = rng.choice(self.active_users)
            by_agent = n % 5 == 4
            ts = self._moment(rng, 100, 250)
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
            row = (artifact_id, user.org.uuid, owner_id, updated, dump_json(record))
            self.out.add("code_artifacts", row)

    # -- the rest of the Activity Feed ----------------------------------------------------------
