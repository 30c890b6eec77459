"""Projects with their documents, files and collaborators."""

from __future__ import annotations

import random
from typing import Any

from ..content import PROJECT_NAMES, paragraph
from ..ids import uuid_for
from ..timeutil import DAY_US, iso_z
from .base import GeneratorBase, UserRef, dump_json, md5_hex


class ProjectSections(GeneratorBase):
    """Projects, generated before chats so chats can be filed into them."""

    def _projects(self) -> None:
        rng = self._rng("projects")
        doc_n = 0
        for n in range(self.config.projects):
            project_id = self._id("claude_proj_", n)
            creator_index, creator = self._any_user(rng)
            org = creator.org
            ts = self._moment(rng, 10, 290)
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
            row = (project_id, org.uuid, user_id, ts, updated, dump_json(record), dump_json(detail))
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
                    "md5": md5_hex(content.encode()),
                    "created_at": iso_z(doc_ts),
                    "user": creator.as_owner(),
                }
                self.out.add(
                    "project_docs", (doc_id, project_id, doc_ts, dump_json(metadata), content)
                )
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
        _, other = self._any_user(rng)
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
            self.out.add("collaborators", (project_id, granted, assignment, dump_json(record)))
