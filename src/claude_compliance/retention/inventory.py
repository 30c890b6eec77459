"""What the archive holds of each deletable kind: owners, organisation, times and content.

A :class:`Candidate` is one object a retention rule could delete, described entirely from the
archive: who owns it (for holds and user filters), when it lived (for ages and hold ranges), the
hash of its archived record, and every blob the delete would destroy at the source (a chat's
files, a project's files and documents, a code artifact's versions). ``unsafe`` lists why the
object is not safely archived: a missing record of content the delete would take with it, or a
blob that does not hash to its name. Such objects are never deleted.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from ..archive.blobs import BlobStore
from ..archive.store import ArchiveStore

__all__ = ["Candidate", "Inventory"]

CONTENT_KINDS = {"files": "file", "generated_files": "generated_file"}
"""Message fields naming content that a chat's deletion removes, and its archive kind."""
EXPIRING_KINDS = {"generated_file", "artifact_version"}
"""Content the API may expire on its own: a record without bytes is all there is to keep."""


@dataclasses.dataclass(frozen=True)
class Candidate:
    """One deletable object as archived (see the module docs)."""

    kind: str
    id: str
    organization: str | None
    owners: tuple[str, ...]
    created_at: str | None
    updated_at: str | None
    project_id: str | None
    record_sha256: str
    blob_sha256s: tuple[str, ...]
    unsafe: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "organization": self.organization,
            "owners": list(self.owners),
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "project_id": self.project_id,
            "record_sha256": self.record_sha256,
            "blob_sha256s": list(self.blob_sha256s),
        }


def record_sha256(data: str) -> str:
    """The hash of a record as archived (its stored JSON text)."""
    return hashlib.sha256(data.encode()).hexdigest()


def _user_id(value: Any) -> str | None:
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return str(value["id"])
    return None


class _Row(NamedTuple):
    """A live archived record, as the inventory reads it."""

    key: str
    organization: str | None
    user_id: str | None
    created_at: str | None
    updated_at: str | None
    data: str


@dataclasses.dataclass
class _Contents:
    """What a delete would take with it: its blobs, and why any of it is not safely held."""

    blobs: list[str] = dataclasses.field(default_factory=list)
    problems: list[str] = dataclasses.field(default_factory=list)


_AS_ARCHIVED: Any = object()
"""Default of :func:`_candidate`'s facts: take the archived row's column."""


def _candidate(
    kind: str,
    row: _Row,
    found: _Contents,
    *,
    organization: str | None = _AS_ARCHIVED,
    owners: Iterable[str | None] = _AS_ARCHIVED,
    created_at: str | None = _AS_ARCHIVED,
    updated_at: str | None = _AS_ARCHIVED,
    project_id: str | None = None,
) -> Candidate:
    """The candidate for an archived record: each fact as the row holds it unless the kind
    knows better (owners: every non-empty id given, sorted)."""
    if owners is _AS_ARCHIVED:
        owners = (row.user_id,)
    return Candidate(
        kind=kind,
        id=str(row.key),
        organization=row.organization if organization is _AS_ARCHIVED else organization,
        owners=tuple(sorted({owner for owner in owners if owner})),
        created_at=row.created_at if created_at is _AS_ARCHIVED else created_at,
        updated_at=row.updated_at if updated_at is _AS_ARCHIVED else updated_at,
        project_id=project_id,
        record_sha256=record_sha256(row.data),
        blob_sha256s=tuple(sorted(set(found.blobs))),
        unsafe=tuple(found.problems),
    )


class Inventory:
    """Reads candidates of every deletable kind from one archive (live records only)."""

    def __init__(self, store: ArchiveStore, blobs: BlobStore) -> None:
        self.store = store
        self.blobs = blobs
        self._checked: dict[str, str] = {}
        self._chat_owner: dict[str, tuple[str | None, str | None]] = {}
        self._project_owner: dict[str, tuple[str | None, str | None]] = {}
        for kind, target in (("chat", self._chat_owner), ("project", self._project_owner)):
            for key, user_id, organization in store.query(
                "SELECT key, user_id, organization FROM records WHERE kind = ?", (kind,)
            ):
                target[str(key)] = (user_id, organization)

    # -- content checks ---------------------------------------------------------------------

    def _blob_ok(self, sha256: str) -> str:
        if sha256 not in self._checked:
            self._checked[sha256] = self.blobs.check(sha256)
        return self._checked[sha256]

    def _content(self, kind: str, object_id: str, found: _Contents) -> dict[str, Any] | None:
        """Check one piece of content a delete takes with it; note its blob and problems."""
        row = self.store.get(kind, object_id)
        if row is None:
            found.problems.append(f"{kind} {object_id} is not archived")
            return None
        data: dict[str, Any] = json.loads(row["data"])
        sha256 = row["blob_sha256"]
        if sha256 is None:
            if kind not in EXPIRING_KINDS and data.get("size_bytes") not in (None, 0):
                found.problems.append(f"the content of {kind} {object_id} is not archived")
            return data
        state = self._blob_ok(str(sha256))
        if state != "ok":
            found.problems.append(f"the content of {kind} {object_id} is {state} in the blob store")
        found.blobs.append(str(sha256))
        return data

    # -- kinds ------------------------------------------------------------------------------

    def candidates(self, kind: str) -> Iterator[Candidate]:
        """Every live archived object of ``kind``, in id order."""
        reader = {
            "chat": self._chats,
            "project": self._projects,
            "file": self._files,
            "project_document": self._documents,
            "code_artifact": self._code_artifacts,
        }[kind]
        yield from reader()

    def candidate(self, kind: str, object_id: str) -> Candidate | None:
        """One object as archived now (``None`` if the archive does not hold it live)."""
        return next((c for c in self.candidates(kind) if c.id == object_id), None)

    def _live(self, kind: str) -> list[_Row]:
        return [
            _Row(*row)
            for row in self.store.query(
                "SELECT key, organization, user_id, created_at, updated_at, data "
                "FROM records WHERE kind = ? AND gone_at IS NULL ORDER BY key",
                (kind,),
            )
        ]

    def _chats(self) -> Iterator[Candidate]:
        for row in self._live("chat"):
            found = _Contents()
            for (message_data,) in self.store.query(
                "SELECT data FROM records WHERE kind = 'chat_message' AND parent_key = ? "
                "AND gone_at IS NULL ORDER BY position",
                (row.key,),
            ):
                message = json.loads(message_data)
                for field, content_kind in CONTENT_KINDS.items():
                    for reference in message.get(field) or []:
                        if isinstance(reference, dict) and isinstance(reference.get("id"), str):
                            self._content(content_kind, reference["id"], found)
                for reference in message.get("artifacts") or []:
                    if isinstance(reference, dict) and isinstance(reference.get("version_id"), str):
                        self._content("artifact_version", reference["version_id"], found)
            project = json.loads(row.data).get("project_id")
            yield _candidate(
                "chat", row, found, project_id=project if isinstance(project, str) else None
            )

    def _projects(self) -> Iterator[Candidate]:
        for row in self._live("project"):
            found = _Contents()
            for attachment_id, attachment_type in self.store.query(
                "SELECT id, type FROM records WHERE kind = 'project_attachment' "
                "AND parent_key = ? AND gone_at IS NULL ORDER BY key",
                (row.key,),
            ):
                if attachment_type == "project_file":
                    self._content("file", str(attachment_id), found)
                elif attachment_type == "project_doc":
                    self._content("project_document", str(attachment_id), found)
            yield _candidate("project", row, found, project_id=str(row.key))

    def _file_holders(self) -> dict[str, set[tuple[str, str]]]:
        """``file id -> {("chat"|"project", holder id)}``: where each file is attached."""
        holders: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for chat_id, file_id in self.store.query(
            "SELECT m.parent_key, json_extract(f.value, '$.id') FROM records AS m, "
            "json_each(m.data, '$.files') AS f WHERE m.kind = 'chat_message'"
        ):
            if isinstance(file_id, str):
                holders[file_id].add(("chat", str(chat_id)))
        for project_id, file_id in self.store.query(
            "SELECT parent_key, id FROM records WHERE kind = 'project_attachment' "
            "AND type = 'project_file'"
        ):
            holders[str(file_id)].add(("project", str(project_id)))
        return holders

    def _owners_of(self, holders: set[tuple[str, str]]) -> tuple[set[str], set[str]]:
        owners: set[str] = set()
        organizations: set[str] = set()
        for holder_kind, holder_id in holders:
            table = self._chat_owner if holder_kind == "chat" else self._project_owner
            user_id, organization = table.get(holder_id, (None, None))
            if user_id:
                owners.add(user_id)
            if organization:
                organizations.add(organization)
        return owners, organizations

    def _standalone(self, kind: str, row: _Row, **facts: Any) -> Candidate:
        """A piece of content deletable on its own (a file, a project document): it is all a
        delete takes, and it never changes (its updated time is its creation)."""
        found = _Contents()
        self._content(kind, str(row.key), found)
        return _candidate(kind, row, found, updated_at=row.created_at, **facts)

    def _files(self) -> Iterator[Candidate]:
        holders = self._file_holders()
        for row in self._live("file"):
            owners, organizations = self._owners_of(holders.get(str(row.key), set()))
            yield self._standalone(
                "file",
                row,
                organization=row.organization or (min(organizations) if organizations else None),
                owners={row.user_id, *owners},
            )

    def _documents(self) -> Iterator[Candidate]:
        for row in self._live("project_document"):
            project = json.loads(row.data).get("claude_project_id")
            project_id = project if isinstance(project, str) else None
            project_owner, project_org = self._project_owner.get(project_id or "", (None, None))
            yield self._standalone(
                "project_document",
                row,
                organization=row.organization or project_org,
                # A document lives in a project: its project's owner is a custodian of it too.
                owners={row.user_id, project_owner},
                project_id=project_id,
            )

    def _code_artifacts(self) -> Iterator[Candidate]:
        for row in self._live("code_artifact"):
            found = _Contents()
            times: list[str] = []
            for version_key, version_data in self.store.query(
                "SELECT key, data FROM records WHERE kind = 'code_artifact_version' "
                "AND parent_key = ? AND gone_at IS NULL ORDER BY position",
                (row.key,),
            ):
                created = json.loads(version_data).get("created_at")
                if isinstance(created, str):
                    times.append(created)
                self._content("code_artifact_version", str(version_key), found)
            yield _candidate(
                "code_artifact",
                row,
                found,
                owners={row.user_id, _user_id(json.loads(row.data).get("user"))},
                created_at=min(times) if times else None,
                updated_at=row.updated_at or (max(times) if times else None),
            )
