"""``export ediscovery --from-archive``: the same bundle, built from the archive alone.

No request reaches the API: records come from the archive's database (exactly as served, so
content deleted at the source since it was archived is still exported, and listed as such in
the manifest) and content from its blob store. What to export is selected

- by users (ids or emails) and a creation-time range, as the live export does;
- by a search query (with the search filters): every matching record brings its chat, project
  or session (the context a reviewer needs), and a matching activity its own line;
- by a list of ids (chats, projects, sessions, messages, files, documents, activities).

The bundle has the live export's layout (see :mod:`~claude_compliance.export.ediscovery`),
plus ``users/<id>/sessions/<session_id>/session.json`` for Claude Code sessions and a static,
script-free ``index.html`` to read it in a browser. The manifest's ``source`` records where it
came from (the archive's digest, the query, the selection) for chain of custody.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from ..archive.blobs import BlobStore
from ..archive.digest import archive_digest
from ..archive.reader import ArchiveReader, created_between
from ..archive.search import SearchFilters, matching_records, resolve_users
from ..common.files import safe_filename
from .bundle_index import render_index
from .ediscovery import (
    ARTIFACT_EXTENSIONS,
    BUNDLE_COUNTS,
    ExportResult,
    _Bundle,
    _json_bytes,
    _json_lines,
    publish_bundle,
    staged_bundle,
)
from .transcript import chat_transcript

__all__ = ["ArchiveSelection", "export_from_archive"]

UNKNOWN_OWNER = "unknown-user"
ID_KINDS = (
    "chat",
    "project",
    "local_session",
    "remote_session",
    "chat_message",
    "local_session_message",
    "remote_session_message",
    "file",
    "generated_file",
    "artifact_version",
    "project_document",
    "activity",
)


@dataclasses.dataclass(frozen=True)
class ArchiveSelection:
    """What to export from an archive (at least one of users, query, ids).

    Attributes:
        users: User ids or email addresses: everything they own (with the time range).
        created_from: With ``users``: created at or after this.
        created_to: With ``users``: created before this (exclusive).
        query: A search query (FTS5 syntax): everything it matches, in context.
        search_filters: The search's filters (owner, organization, kind, time).
        ids: Record ids to export, in context.
    """

    users: tuple[str, ...] = ()
    created_from: str | None = None
    created_to: str | None = None
    query: str | None = None
    search_filters: SearchFilters | None = None
    ids: tuple[str, ...] = ()

    def describe(self) -> dict[str, Any]:
        filters = self.search_filters
        return {
            "users": list(self.users),
            "from": self.created_from,
            "to": self.created_to,
            "to_is_exclusive": True,
            "query": self.query,
            "search_filters": None if filters is None else dataclasses.asdict(filters),
            "ids": list(self.ids),
        }


@dataclasses.dataclass
class _Chosen:
    """The objects going into the bundle, by owner."""

    chats: dict[str, set[str]] = dataclasses.field(default_factory=lambda: defaultdict(set))
    projects: dict[str, set[str]] = dataclasses.field(default_factory=lambda: defaultdict(set))
    sessions: dict[str, set[tuple[str, str]]] = dataclasses.field(
        default_factory=lambda: defaultdict(set)
    )
    activities: dict[str, set[str]] = dataclasses.field(default_factory=lambda: defaultdict(set))

    def owners(self) -> list[str]:
        found: set[str] = set()
        for part in (self.chats, self.projects, self.sessions, self.activities):
            found.update(part)
        return sorted(found)


class _ArchiveExporter:
    def __init__(self, reader: ArchiveReader, bundle: _Bundle, root: Path) -> None:
        self.reader = reader
        self.bundle = bundle
        self.blobs = BlobStore(root)
        self.counts: dict[str, int] = dict.fromkeys(
            (*BUNDLE_COUNTS, "sessions", "session_messages", "activities"), 0
        )
        self.gone: list[dict[str, str]] = []
        self.index: dict[str, Any] = {"users": []}

    # -- reading --------------------------------------------------------------------------------

    def _rows(self, sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
        return [dict(row) for row in self.reader.rows(sql, params)]

    def record(self, kind: str, key: str) -> dict[str, Any] | None:
        rows = self._rows("SELECT * FROM records WHERE kind = ? AND key = ?", (kind, key))
        if not rows:
            return None
        if rows[0]["gone_at"]:
            self.gone.append({"kind": kind, "id": key, "gone_at": rows[0]["gone_at"]})
        return rows[0]

    def children(self, kind: str, parent: str) -> list[dict[str, Any]]:
        rows = self._rows(
            "SELECT * FROM records INDEXED BY records_by_parent WHERE kind = ? AND parent_key = ? "
            "ORDER BY position, key",
            (kind, parent),
        )
        for row in rows:
            if row["gone_at"]:
                self.gone.append({"kind": kind, "id": row["key"], "gone_at": row["gone_at"]})
        return rows

    # -- selection ------------------------------------------------------------------------------

    def _owner(self, kind: str, key: str | None) -> str:
        if key is None:
            return UNKNOWN_OWNER
        found = self.reader.query(
            "SELECT user_id FROM records WHERE kind = ? AND key = ?", (kind, key)
        )
        return str(found[0][0]) if found and found[0][0] else UNKNOWN_OWNER

    def _add(self, chosen: _Chosen, kind: str, key: str, container: str | None) -> None:
        """Put a record into the bundle in its context (a message in its chat...)."""
        if kind == "chat":
            chosen.chats[self._owner("chat", key)].add(key)
        elif kind == "project":
            chosen.projects[self._owner("project", key)].add(key)
        elif kind in ("local_session", "remote_session"):
            chosen.sessions[self._owner(kind, key)].add((kind, key))
        elif kind in ("local_session_message", "remote_session_message") and container:
            session_kind = kind.removesuffix("_message")
            chosen.sessions[self._owner(session_kind, container)].add((session_kind, container))
        elif kind == "activity":
            chosen.activities[self._owner("activity", key)].add(key)
        elif kind == "project_document" and container:
            chosen.projects[self._owner("project", container)].add(container)
        elif container is not None:
            # Messages, files, generated files, artifacts: their chat, or a file's project.
            if self.reader.query(
                "SELECT 1 FROM records WHERE kind = 'chat' AND key = ?", (container,)
            ):
                chosen.chats[self._owner("chat", container)].add(container)
            else:
                chosen.projects[self._owner("project", container)].add(container)

    def _container(self, kind: str, key: str) -> str | None:
        rows = self.reader.query(
            "SELECT parent_key, data FROM records WHERE kind = ? AND key = ?", (kind, key)
        )
        if not rows:
            return None
        parent, data = rows[0]
        if parent:
            return str(parent)
        chats = json.loads(data).get("claude_chat_ids")
        if isinstance(chats, list) and chats:
            return str(chats[0])
        project = self.reader.query(
            "SELECT parent_key FROM records WHERE kind = 'project_attachment' AND id = ?", (key,)
        )
        return str(project[0][0]) if project else None

    def select(self, selection: ArchiveSelection, user_ids: Sequence[str]) -> _Chosen:
        chosen = _Chosen()
        times, params = created_between(selection.created_from, selection.created_to)
        for user_id in user_ids:
            # A user's activities are those they performed (the feed's actor_ids[], as the live
            # export asks), not those about them performed by a SCIM sync or another actor.
            for kind, key in self.reader.query(
                "SELECT kind, key FROM records INDEXED BY records_by_user WHERE user_id = ? "
                "AND (kind IN ('chat', 'project', 'local_session', 'remote_session') OR "
                "(kind = 'activity' AND json_extract(data, '$.actor.user_id') = user_id))"
                f"{''.join(f' AND {time}' for time in times)}",
                (user_id, *params),
            ):
                self._add(chosen, kind, key, None)
            # Listed even with nothing in range, as the live export does.
            chosen.chats.setdefault(user_id, set())
        if selection.query:
            for kind, key, container in matching_records(
                self.reader, selection.query, selection.search_filters
            ):
                self._add(chosen, kind, key, container)
        for given in selection.ids:
            found = False
            for kind in ID_KINDS:
                if self.reader.query(
                    "SELECT 1 FROM records WHERE kind = ? AND key = ?", (kind, given)
                ):
                    self._add(chosen, kind, given, self._container(kind, given))
                    found = True
                    break
            if not found:
                raise LookupError(f"no record with id {given} in the archive")
        return chosen

    # -- writing --------------------------------------------------------------------------------

    def content(
        self, counter: str, folder: PurePosixPath, kind: str, key: str, name: str | None = None
    ) -> dict[str, Any] | None:
        """``<folder>/<id>.json`` (metadata) and ``<folder>/<id>/<safe name>`` (content)."""
        row = self.record(kind, key)
        if row is None:
            return None
        metadata = json.loads(row["data"])
        object_id = safe_filename(key, "unknown")
        self.bundle.write(folder / f"{object_id}.json", _json_bytes(metadata))
        self.counts[counter] += 1
        filename = safe_filename(name or row["name"] or key, object_id)
        entry = {"name": row["name"] or key, "metadata": str(folder / f"{object_id}.json")}
        if row["blob_sha256"] and self.blobs.has(row["blob_sha256"]):
            target = folder / object_id / filename
            if not self.bundle.has(target):
                destination = self.bundle.path(target)
                destination.parent.mkdir(parents=True, exist_ok=True)
                temporary = destination.with_name(f".{destination.name[:60]}.partial")
                shutil.copyfile(self.blobs.path_for(row["blob_sha256"]), temporary)
                os.replace(temporary, destination)
            entry["content"] = str(target)
        return entry

    def chat(self, base: PurePosixPath, chat_id: str) -> dict[str, Any] | None:
        row = self.record("chat", chat_id)
        if row is None:
            return None
        record = json.loads(row["data"])
        messages = [json.loads(m["data"]) for m in self.children("chat_message", chat_id)]
        folder = base / "chats" / safe_filename(chat_id, "chat")
        self.bundle.write(folder / "chat.json", _json_bytes({**record, "chat_messages": messages}))
        self.bundle.write(folder / "transcript.md", chat_transcript(record, messages).encode())
        files = sorted({r["id"] for m in messages for r in m.get("files") or [] if "id" in r})
        generated = sorted(
            {r["id"] for m in messages for r in m.get("generated_files") or [] if "id" in r}
        )
        artifacts = sorted(
            {
                r["version_id"]
                for m in messages
                for r in m.get("artifacts") or []
                if r.get("version_id")
            }
        )
        entries = [self.content("files", folder / "files", "file", i) for i in files] + [
            self.content("generated_files", folder / "generated_files", "generated_file", i)
            for i in generated
        ]
        for version_id in artifacts:
            artifact = self.record("artifact_version", version_id)
            if artifact is None:
                continue
            data = json.loads(artifact["data"])
            extension = ARTIFACT_EXTENSIONS.get(str(data.get("artifact_type")), ".txt")
            name = safe_filename(str(data.get("title") or ""), version_id) + extension
            entries.append(
                self.content(
                    "artifacts", folder / "artifacts", "artifact_version", version_id, name
                )
            )
        self.counts["chats"] += 1
        self.counts["chat_messages"] += len(messages)
        return {
            "id": chat_id,
            "name": record.get("name"),
            "created_at": record.get("created_at"),
            "gone": bool(row["gone_at"]),
            "messages": messages,
            "transcript": str(folder / "transcript.md"),
            "files": [e for e in entries if e is not None],
        }

    def project(self, base: PurePosixPath, project_id: str) -> dict[str, Any] | None:
        row = self.record("project", project_id)
        if row is None:
            return None
        folder = base / "projects" / safe_filename(project_id, "project")
        attachments = [
            json.loads(a["data"]) for a in self.children("project_attachment", project_id)
        ]
        collaborators = [
            json.loads(c["data"]) for c in self.children("project_collaborator", project_id)
        ]
        self.bundle.write(folder / "project.json", _json_bytes(json.loads(row["data"])))
        self.bundle.write(folder / "attachments.json", _json_bytes(attachments))
        self.bundle.write(folder / "collaborators.json", _json_bytes(collaborators))
        entries = []
        for attachment in attachments:
            if attachment.get("type") == "project_file":
                entries.append(
                    self.content("project_files", folder / "files", "file", str(attachment["id"]))
                )
            elif attachment.get("type") == "project_doc":
                entries.append(
                    self.content(
                        "project_documents",
                        folder / "documents",
                        "project_document",
                        str(attachment["id"]),
                    )
                )
        self.counts["projects"] += 1
        return {
            "id": project_id,
            "name": row["name"],
            "gone": bool(row["gone_at"]),
            "files": [e for e in entries if e is not None],
        }

    def session(self, base: PurePosixPath, kind: str, session_id: str) -> dict[str, Any] | None:
        row = self.record(kind, session_id)
        if row is None:
            return None
        messages = [json.loads(m["data"]) for m in self.children(f"{kind}_message", session_id)]
        folder = base / "sessions" / safe_filename(session_id, "session")
        record = {**json.loads(row["data"]), "messages": messages}
        self.bundle.write(folder / "session.json", _json_bytes(record))
        self.counts["sessions"] += 1
        self.counts["session_messages"] += len(messages)
        return {
            "id": session_id,
            "kind": kind,
            "created_at": row["created_at"],
            "messages": messages,
            "path": str(folder / "session.json"),
        }

    def activities(self, base: PurePosixPath, keys: Iterable[str]) -> int:
        records = []
        for key in keys:
            row = self.record("activity", key)
            if row is not None:
                records.append((row["created_at"] or "", key, json.loads(row["data"])))
        records.sort(key=lambda item: (item[0], item[1]))
        self.bundle.write(base / "activities.jsonl", _json_lines([r for _, _, r in records]))
        self.counts["activities"] += len(records)
        return len(records)

    def user(self, user_id: str, chosen: _Chosen) -> None:
        base = PurePosixPath("users") / safe_filename(user_id, UNKNOWN_OWNER)
        memberships = sorted(
            (
                {"organization_uuid": row["parent_key"], **json.loads(row["data"])}
                for row in self._rows(
                    "SELECT parent_key, data FROM records WHERE kind = 'user' AND id = ?",
                    (user_id,),
                )
            ),
            key=lambda r: str(r.get("organization_uuid")),
        )
        self.bundle.write(base / "user.json", _json_bytes(memberships))
        chats = [self.chat(base, c) for c in sorted(chosen.chats.get(user_id, ()))]
        projects = [self.project(base, p) for p in sorted(chosen.projects.get(user_id, ()))]
        sessions = [self.session(base, k, s) for k, s in sorted(chosen.sessions.get(user_id, ()))]
        activities = self.activities(base, sorted(chosen.activities.get(user_id, ())))
        self.counts["users"] += 1
        email = next((str(m["email"]) for m in memberships if m.get("email")), None)
        self.index["users"].append(
            {
                "id": user_id,
                "email": email,
                "folder": str(base),
                "chats": [c for c in chats if c],
                "projects": [p for p in projects if p],
                "sessions": [s for s in sessions if s],
                "activities": activities,
            }
        )


def export_from_archive(
    root: Path, selection: ArchiveSelection, out: Path, *, force: bool = False
) -> ExportResult:
    """Write the bundle for ``selection`` from the archive in ``root`` to ``out`` (a folder, or
    a file ending in ``.zip``). Reads the archive only; sends no request.

    Raises:
        UnknownUserError: When an email matches no user the archive holds.
        SearchSyntaxError: When the query is not valid.
        LookupError: When a listed id is not in the archive.
        FileExistsError: When ``out`` exists (without ``force``) or is not an earlier export
            bundle of this tool.
    """
    out = Path(out)
    if not (selection.users or selection.query or selection.ids):
        raise ValueError("select what to export: users, a search query, or ids")
    with ArchiveReader(root) as reader:
        user_ids = resolve_users(reader, selection.users)
        description = selection.describe()
        bundle = staged_bundle(out, _json_bytes({"from_archive": description}), force=force)
        exporter = _ArchiveExporter(reader, bundle, root)
        chosen = exporter.select(selection, user_ids)
        for user_id in chosen.owners():
            exporter.user(user_id, chosen)
        digest = archive_digest(reader)
        gone = sorted(
            {(g["kind"], g["id"]): g for g in exporter.gone}.values(),
            key=lambda g: (g["kind"], g["id"]),
        )
        summary = {
            "source": {"type": "archive", "archive_digest": digest, "selection": description},
            "query": {
                "users": list(selection.users),
                "resolved_user_ids": list(user_ids),
                "from": selection.created_from,
                "to": selection.created_to,
                "to_is_exclusive": True,
                "search": selection.query,
                "ids": list(selection.ids),
            },
            "counts": exporter.counts,
            "gone_at_source": gone,
        }
        bundle.write(
            PurePosixPath("index.html"),
            render_index(exporter.index, summary).encode("utf-8"),
        )
        files = publish_bundle(bundle, summary, out)
    return ExportResult(out, dict(exporter.counts), files)
