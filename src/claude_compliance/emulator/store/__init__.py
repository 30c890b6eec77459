"""The emulator's SQLite store: the only code that speaks SQL.

Every record keeps the exact JSON the API serves (column ``data``) next to the few columns the
endpoints filter and sort on, so a response is assembled from stored strings without re-encoding
and is byte-for-byte what the generator produced. Content (file bytes, document text, artifact
text) lives in its own columns.

    schema.py       the tables
    database.py     the connection, bulk loading, fingerprints, the ``Where`` builder
    directory.py    organizations, members, roles, settings, groups
    projects.py     projects, project documents, collaborators
    chats.py        chats, messages, uploads, generated files, artifact versions
    sessions.py     local and remote sessions, code artifacts
    activities.py   the Activity Feed

Routes, the generator, the access log and the control API call the named methods of
:class:`Store`; none of them writes SQL.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from .activities import ActivityTables
from .chats import ChatTables
from .directory import DirectoryTables, MemberRow
from .projects import ProjectTables
from .sessions import SessionTables

__all__ = ["Blob", "MemberRow", "Store"]


@dataclass(frozen=True)
class Blob:
    """One piece of content the server can serve, with the checksums a download must match."""

    kind: str
    """``file`` (chat or project upload), ``generated_file``, ``project_document``,
    ``artifact_version`` or ``code_artifact_version``."""
    id: str
    """The id the content is downloaded by (for code artifact versions ``<artifact>/<version>``)."""
    content: bytes

    @property
    def md5_hex(self) -> str:
        """Lower-hex MD5 of the content, as metadata ``md5`` fields carry it."""
        return hashlib.md5(self.content).hexdigest()

    @property
    def size_bytes(self) -> int:
        """Length of the content in bytes."""
        return len(self.content)


class Store(DirectoryTables, ProjectTables, ChatTables, SessionTables, ActivityTables):
    """A thread-safe SQLite store holding one emulated world.

    ``path=None`` keeps the database in memory; a path makes it a file (use one for large
    worlds so the page cache, not the Python heap, holds the data).
    """

    def iter_blobs(self) -> Iterator[Blob]:
        """Every piece of downloadable content the server holds, with its kind and id."""
        for file_id, content in self.query(
            "SELECT id, content FROM files WHERE content IS NOT NULL ORDER BY id"
        ):
            yield Blob("file", file_id, bytes(content))
        for file_id, content in self.query(
            "SELECT id, content FROM generated_files WHERE content IS NOT NULL ORDER BY id"
        ):
            yield Blob("generated_file", file_id, bytes(content))
        for doc_id, content in self.query("SELECT id, content FROM project_docs ORDER BY id"):
            yield Blob("project_document", doc_id, str(content).encode())
        for version_id, content in self.query(
            "SELECT version_id, content FROM artifact_versions ORDER BY version_id"
        ):
            yield Blob("artifact_version", version_id, str(content).encode())
        for artifact_id, version_id, content in self.query(
            "SELECT artifact_id, version_id, content FROM code_artifact_versions"
            " ORDER BY artifact_id, version_id"
        ):
            yield Blob("code_artifact_version", f"{artifact_id}/{version_id}", bytes(content))
