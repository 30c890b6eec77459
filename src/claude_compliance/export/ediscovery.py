"""``export ediscovery``: one bundle with everything about some users, reproducible to the byte.

Layout of a bundle (a folder, or the same tree in a ``.zip``)::

    manifest.json                          every file with SHA-256 and size; query; counts
    users/<user_id>/user.json              the user's organization memberships
    users/<user_id>/activities.jsonl       the user's activities, oldest first
    users/<user_id>/chats/<chat_id>/chat.json        metadata and every message (wire JSON)
    users/<user_id>/chats/<chat_id>/transcript.md    the same, readable
    users/<user_id>/chats/<chat_id>/files/<file_id>.json        metadata
    users/<user_id>/chats/<chat_id>/files/<file_id>/<name>      content
        (likewise generated_files/ and artifacts/)
    users/<user_id>/projects/<project_id>/project.json           detail
    users/<user_id>/projects/<project_id>/attachments.json, collaborators.json
    users/<user_id>/projects/<project_id>/documents/<doc_id>.json, <doc_id>/<name>
    users/<user_id>/projects/<project_id>/files/<file_id>.json, <file_id>/<name>
    users/<user_id>/kept_raw/<listing>.jsonl          listed records no model could read

Every record is written exactly as the API served it (the decoded JSON, keys in served order),
whether or not the SDK's models could read it: one they could not is still exported (in the
listing's file, after the readable ones, or under ``kept_raw/`` when it names nothing to fetch)
and counted as ``kept_raw``.

Every object lives under its own id, and a server filename only ever names the last path
component (made safe by :func:`~claude_compliance.common.files.safe_filename`, then checked to
resolve inside the bundle), so ``../../x`` or ``/etc/passwd`` cannot land elsewhere or collide
with the bundle's own files. JSON is written with keys and listings in server order, zip
entries with a fixed date: the same inputs and data give the same bytes, run after run.

The bundle is assembled in ``<out>.partial/`` and moved into place at the end; a killed export
resumes there (content already staged is not downloaded again).

An export never deletes or overwrites what it did not create: an existing ``--out`` (a non-empty
folder or a file) is refused unless ``force`` is given, and even then only an earlier bundle of
this tool (its manifest says so) is replaced; a staging folder without this tool's marker is
never touched; every temporary name is unique to the run. Folders are 0700 and files 0600.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import hashlib
import json
import os
import shutil
import uuid
import zipfile
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from .._client import AsyncComplianceClient
from .._errors import NotFoundError, PermissionDeniedError
from .._models import Model
from .._pagination import unreadable_records
from .._version import __version__
from ..common.files import open_private, private_dir, safe_filename, write_private
from ..common.served import as_served, json_items, json_objects, message_references
from .transcript import chat_transcript

__all__ = [
    "ExportQuery",
    "ExportResult",
    "UnknownUserError",
    "export_ediscovery",
    "is_export_bundle",
]

T = TypeVar("T")

ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: no wall clock in the bundle
PAGE_FIELDS = ("chat_messages", "has_more", "first_id", "last_id")
ARTIFACT_EXTENSIONS = {
    "text/markdown": ".md",
    "text/html": ".html",
    "image/svg+xml": ".svg",
    "application/vnd.ant.react": ".jsx",
    "application/vnd.ant.mermaid": ".mmd",
    "application/vnd.ant.code": ".txt",
}


class UnknownUserError(LookupError):
    """An email given with ``--user`` matches no member of any readable organization."""


@dataclasses.dataclass(frozen=True)
class ExportQuery:
    """What to export.

    Attributes:
        users: User ids (``user_…``) or email addresses, as given.
        created_from: Only chats, projects and activities created at or after this.
        created_to: ... and before this (exclusive).
    """

    users: tuple[str, ...]
    created_from: str | None = None
    created_to: str | None = None


@dataclasses.dataclass
class ExportResult:
    """What an export wrote.

    Attributes:
        path: The bundle (folder or zip).
        counts: Objects exported, per kind.
        files: Files in the bundle (manifest excluded).
    """

    path: Path
    counts: dict[str, int]
    files: int


def _json_bytes(value: Any) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode()


def _json_lines(records: list[Any]) -> bytes:
    return "".join(
        json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in records
    ).encode()


QUERY_MARKER = ".export-query.json"
TOOL = "claude-compliance"


def _run_unique(path: Path, suffix: str) -> Path:
    """A hidden sibling of ``path`` whose name no other run (or person) uses."""
    return path.with_name(f".{path.name[:60]}.{uuid.uuid4().hex[:12]}{suffix}")


def _private_dirs(root: Path, target: Path) -> None:
    """Create the folders from ``root`` down to ``target``, owner-only."""
    for folder in reversed([target, *target.parents]):
        if folder == root or folder.is_relative_to(root):
            private_dir(folder)


class _Bundle:
    """The staging folder: safe paths, atomic writes, and a record of what this run wrote.

    Files a killed run staged are reused when they are still part of the bundle, and removed
    at the end when they are not (so a resumed export equals an uninterrupted one).
    """

    def __init__(self, root: Path, query: bytes) -> None:
        self.root = root
        marker = root / QUERY_MARKER
        if root.exists() and not marker.is_file():
            raise FileExistsError(
                f"{root} exists and was not staged by this tool; move it away to export here"
            )
        if root.exists() and marker.read_bytes() != query:
            shutil.rmtree(root)  # our staging for another query: start over
        private_dir(root)
        write_private(marker, query)
        self._resolved = self.root.resolve()
        self.touched: set[PurePosixPath] = set()

    def path(self, relative: PurePosixPath) -> Path:
        """The absolute path for a bundle path, refusing anything outside the bundle."""
        if relative.is_absolute() or ".." in relative.parts:
            raise ValueError(f"refusing to write outside the export: {relative}")
        target = self.root.joinpath(*relative.parts)
        if not target.resolve().is_relative_to(self._resolved):
            raise ValueError(f"refusing to write outside the export: {relative}")
        return target

    def write(self, relative: PurePosixPath, content: bytes) -> None:
        self.touched.add(relative)
        target = self.path(relative)
        _private_dirs(self.root, target.parent)
        temporary = _run_unique(target, ".partial")
        write_private(temporary, content)
        os.replace(temporary, target)

    def has(self, relative: PurePosixPath) -> bool:
        self.touched.add(relative)
        return self.path(relative).is_file()

    def files(self) -> list[PurePosixPath]:
        """The bundle's files (staging leftovers excluded)."""
        found = []
        for path in self.root.rglob("*"):
            if path.is_file():
                found.append(PurePosixPath(path.relative_to(self.root).as_posix()))
        return sorted(found, key=str)

    def prune(self) -> None:
        """Remove what this run did not write: partial files, stale objects, the marker."""
        for relative in self.files():
            if relative not in self.touched:
                self.path(relative).unlink()


BUNDLE_COUNTS = (
    "users",
    "chats",
    "chat_messages",
    "files",
    "generated_files",
    "artifacts",
    "projects",
    "project_documents",
    "project_files",
)
"""What every bundle's manifest counts, whichever source it was built from."""


def _filename(metadata: dict[str, Any], object_id: str) -> str:
    return str(metadata.get("filename") or object_id)


def _artifact_name(metadata: dict[str, Any], version_id: str) -> str:
    """An artifact version has a title, not a file name: the title with its type's extension."""
    extension = ARTIFACT_EXTENSIONS.get(str(metadata.get("artifact_type")), ".txt")
    return safe_filename(str(metadata.get("title") or ""), version_id) + extension


class _Exporter:
    def __init__(self, client: AsyncComplianceClient, bundle: _Bundle, query: ExportQuery) -> None:
        self.client = client
        self.bundle = bundle
        self.query = query
        self.counts: dict[str, int] = dict.fromkeys((*BUNDLE_COUNTS, "activities", "kept_raw"), 0)
        self._slots = asyncio.Semaphore(8)

    async def call(self, method: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
        async with self._slots:
            return await method(*args, **kwargs)

    async def listing(self, walk: Callable[[], AsyncIterator[Any]]) -> tuple[list[Any], list[Any]]:
        """``(readable records, records no model could read)`` of a whole listing, as served."""
        async with self._slots:
            with unreadable_records() as skipped:
                readable = [item async for item in walk()]
        self.counts["kept_raw"] += len(skipped)
        return readable, skipped

    def kept_raw(self, base: PurePosixPath, listing: str, records: list[Any]) -> None:
        """Listed records that name nothing to fetch, written as served."""
        if records:
            self.bundle.write(base / "kept_raw" / f"{listing}.jsonl", _json_lines(records))

    def times(self) -> dict[str, Any]:
        return {"created_at_gte": self.query.created_from, "created_at_lt": self.query.created_to}

    # -- users ----------------------------------------------------------------------------------

    async def memberships(self) -> dict[str, list[dict[str, Any]]]:
        """Every readable organization membership, by user id (empty without org scope)."""
        found: dict[str, list[dict[str, Any]]] = {}
        try:
            async with self._slots:
                organizations = [o async for o in self.client.organizations.iter()]
            for organization in organizations:
                async with self._slots:
                    members = [
                        u async for u in self.client.organizations.iter_users(organization.uuid)
                    ]
                for member in members:
                    record = {"organization_uuid": organization.uuid, **member.to_dict()}
                    found.setdefault(member.id, []).append(record)
        except PermissionDeniedError:
            pass
        return found

    async def resolve(self) -> list[tuple[str, list[dict[str, Any]]]]:
        """The users to export: ids as given, emails looked up among members."""
        memberships = await self.memberships()
        by_email = {
            str(record.get("email", "")).lower(): user_id
            for user_id, records in memberships.items()
            for record in records
        }
        resolved: dict[str, list[dict[str, Any]]] = {}
        for given in self.query.users:
            if "@" in given:
                user_id = by_email.get(given.lower())
                if user_id is None:
                    raise UnknownUserError(f"no member of any readable organization has {given}")
            else:
                user_id = given
            resolved[user_id] = sorted(
                memberships.get(user_id, []), key=lambda r: str(r.get("organization_uuid"))
            )
        return sorted(resolved.items())

    # -- content --------------------------------------------------------------------------------

    async def content(
        self,
        kind: str,
        folder: PurePosixPath,
        object_id: str,
        get_metadata: Callable[[str], Awaitable[Model]],
        name_of: Callable[[dict[str, Any], str], str],
        download: Callable[[str, Path], Awaitable[Any]],
    ) -> None:
        """``<folder>/<id>.json`` (metadata) and ``<folder>/<id>/<safe name>`` (content); an
        object the API no longer has is left out.

        Args:
            kind: What the manifest counts it as.
            folder: Where it goes in the bundle.
            object_id: Its id.
            get_metadata: Reads its metadata by id.
            name_of: Its file name, from its metadata and id.
            download: Writes its content to a path.
        """
        try:
            metadata = (await self.call(get_metadata, object_id)).to_dict()
        except NotFoundError:
            return
        self.bundle.write(folder / f"{object_id}.json", _json_bytes(metadata))
        self.counts[kind] += 1
        target = folder / object_id / safe_filename(name_of(metadata, object_id), object_id)
        if self.bundle.has(target):
            return
        destination = self.bundle.path(target)
        _private_dirs(self.bundle.root, destination.parent)
        with contextlib.suppress(NotFoundError):  # metadata without downloadable content
            await self.call(download, object_id, destination)

    async def file(self, folder: PurePosixPath, file_id: str, kind: str = "files") -> None:
        files = self.client.files
        await self.content(kind, folder, file_id, files.get, _filename, files.download_to_file)

    async def generated_file(self, folder: PurePosixPath, file_id: str) -> None:
        get, save = self.client.generated_files.get, self.client.generated_files.download_to_file
        await self.content("generated_files", folder, file_id, get, _filename, save)

    async def artifact(self, folder: PurePosixPath, version_id: str) -> None:
        get, save = self.client.artifacts.get, self.client.artifacts.download_to_file
        await self.content("artifacts", folder, version_id, get, _artifact_name, save)

    # -- chats ----------------------------------------------------------------------------------

    async def chat(self, base: PurePosixPath, chat_id: str) -> None:
        chats = self.client.chats
        untruncated: dict[str, Any] = {"tool_use_input_max_chars": -1, "tool_result_max_chars": -1}
        try:
            chat = await self.call(chats.get, chat_id, **untruncated)
            served = chat.to_dict()
            messages = list(json_items(served.get("chat_messages")))
            page = chat
            while page.has_more and isinstance(page.last_id, str):
                page = await self.call(
                    chats.get, chat_id, after_id=page.last_id, limit=1000, **untruncated
                )
                messages.extend(json_items(page.to_dict().get("chat_messages")))
        except NotFoundError:
            return
        record = {k: v for k, v in served.items() if k not in PAGE_FIELDS}
        folder = base / "chats" / chat_id
        self.bundle.write(folder / "chat.json", _json_bytes({**record, "chat_messages": messages}))
        readable = [m for m in messages if isinstance(m, Mapping)]
        self.bundle.write(folder / "transcript.md", chat_transcript(record, readable).encode())
        # A file can be attached to several messages: export it once per chat.
        files, generated, artifacts = message_references(messages)
        await asyncio.gather(
            *(self.file(folder / "files", i) for i in files),
            *(self.generated_file(folder / "generated_files", i) for i in generated),
            *(self.artifact(folder / "artifacts", i) for i in artifacts),
        )
        self.counts["chats"] += 1
        self.counts["chat_messages"] += len(messages)
        self.counts["kept_raw"] += sum(
            1 for m in messages if not (isinstance(m, Mapping) and isinstance(m.get("id"), str))
        )

    async def chats(self, base: PurePosixPath, user_id: str) -> None:
        listed, raw = await self.listing(
            lambda: self.client.chats.iter(user_ids=[user_id], limit=1000, **self.times())
        )
        self.kept_raw(base, "chats", raw)
        await asyncio.gather(*(self.chat(base, c.id) for c in listed))

    # -- projects -------------------------------------------------------------------------------

    async def project(self, base: PurePosixPath, project_id: str) -> None:
        projects = self.client.projects
        try:
            detail = await self.call(projects.get, project_id)
            attachments = [
                as_served(record)
                for part in await self.listing(lambda: projects.iter_attachments(project_id))
                for record in part
            ]
            collaborators = [
                as_served(record)
                for part in await self.listing(lambda: projects.iter_collaborators(project_id))
                for record in part
            ]
        except NotFoundError:
            return
        folder = base / "projects" / project_id
        self.bundle.write(folder / "project.json", _json_bytes(detail.to_dict()))
        self.bundle.write(folder / "attachments.json", _json_bytes(attachments))
        self.bundle.write(folder / "collaborators.json", _json_bytes(collaborators))
        work: list[Awaitable[None]] = []
        for attachment in json_objects(attachments):
            if not isinstance(attachment.get("id"), str):
                continue
            if attachment.get("type") == "project_file":
                work.append(self.file(folder / "files", str(attachment["id"]), "project_files"))
            elif attachment.get("type") == "project_doc":
                work.append(self.document(folder / "documents", str(attachment["id"])))
        await asyncio.gather(*work)
        self.counts["projects"] += 1

    async def document(self, folder: PurePosixPath, document_id: str) -> None:
        documents = self.client.project_documents

        async def save(document_id: str, path: Path) -> None:
            document = await documents.get(document_id)
            temporary = _run_unique(path, ".partial")
            text = document.content if isinstance(document.content, str) else ""
            write_private(temporary, text.encode("utf-8"))
            os.replace(temporary, path)

        await self.content(
            "project_documents", folder, document_id, documents.get_metadata, _filename, save
        )

    async def projects(self, base: PurePosixPath, user_id: str) -> None:
        listed, raw = await self.listing(
            lambda: self.client.projects.iter(user_ids=[user_id], **self.times())
        )
        self.kept_raw(base, "projects", raw)
        await asyncio.gather(*(self.project(base, p.id) for p in listed))

    # -- activities -----------------------------------------------------------------------------

    async def activities(self, base: PurePosixPath, user_id: str) -> None:
        try:
            readable, raw = await self.listing(
                lambda: self.client.activities.iter(
                    actor_ids=[user_id], order="asc", limit=5000, **self.times()
                )
            )
        except PermissionDeniedError:
            return
        records = [a.to_dict() for a in readable] + raw
        self.bundle.write(base / "activities.jsonl", _json_lines(records))
        self.counts["activities"] += len(records)

    async def run(self) -> dict[str, Any]:
        users = await self.resolve()
        for user_id, memberships in users:
            base = PurePosixPath("users") / safe_filename(user_id, "unknown-user")
            self.bundle.write(base / "user.json", _json_bytes(memberships))
            await asyncio.gather(
                self.chats(base, user_id),
                self.projects(base, user_id),
                self.activities(base, user_id),
            )
            self.counts["users"] += 1
        return {
            "query": {
                "users": list(self.query.users),
                "resolved_user_ids": [user_id for user_id, _ in users],
                "from": self.query.created_from,
                "to": self.query.created_to,
                "to_is_exclusive": True,
            },
            "counts": self.counts,
        }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _finish(bundle: _Bundle, summary: dict[str, Any]) -> int:
    bundle.prune()
    listed = [p for p in bundle.files() if p != PurePosixPath("manifest.json")]
    manifest = {
        "tool": TOOL,
        "version": __version__,
        **summary,
        "files": [
            {
                "path": str(p),
                "sha256": _sha256(bundle.path(p)),
                "size": bundle.path(p).stat().st_size,
            }
            for p in listed
        ],
    }
    bundle.write(PurePosixPath("manifest.json"), _json_bytes(manifest))
    return len(listed)


def _zip(bundle: _Bundle, target: Path) -> None:
    temporary = _run_unique(target, ".partial")
    try:
        with (
            os.fdopen(open_private(temporary, os.O_WRONLY | os.O_TRUNC), "wb") as handle,
            zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as out,
        ):
            for relative in bundle.files():
                info = zipfile.ZipInfo(str(relative), date_time=ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o600 << 16
                out.writestr(info, bundle.path(relative).read_bytes(), compresslevel=9)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _replace_folder(staging: Path, target: Path) -> None:
    if target.exists():
        old = _run_unique(target, ".old")
        os.replace(target, old)
        os.replace(staging, target)
        shutil.rmtree(old, ignore_errors=True)  # our earlier bundle, checked by the caller
    else:
        os.replace(staging, target)


def _manifest_is_ours(raw: bytes) -> bool:
    try:
        manifest = json.loads(raw)
    except ValueError:
        return False
    return isinstance(manifest, dict) and manifest.get("tool") == TOOL


def is_export_bundle(path: Path) -> bool:
    """Whether ``path`` is a bundle this tool wrote (a folder or a ``.zip`` with its manifest)."""
    if path.is_dir():
        manifest = path / "manifest.json"
        return manifest.is_file() and _manifest_is_ours(manifest.read_bytes())
    try:
        with zipfile.ZipFile(path) as archive:
            return _manifest_is_ours(archive.read("manifest.json"))
    except (OSError, KeyError, zipfile.BadZipFile):
        return False


def _check_out(out: Path, force: bool) -> None:
    """Refuse to replace what is not ours; replace our own only when asked to."""
    occupied = out.is_file() or out.is_symlink() or (out.is_dir() and any(out.iterdir()))
    if not occupied:
        return
    if not force:
        raise FileExistsError(
            f"{out} exists; pass --force to replace an earlier export bundle there"
        )
    if out.is_symlink() or not is_export_bundle(out):
        raise FileExistsError(
            f"{out} exists and is not an export bundle made by this tool; it is never "
            "replaced, even with --force"
        )


async def export_ediscovery(
    client: AsyncComplianceClient, query: ExportQuery, out: Path, *, force: bool = False
) -> ExportResult:
    """Write the bundle for ``query`` to ``out`` (a folder, or a file ending in ``.zip``).

    Args:
        force: Replace an earlier bundle of this tool at ``out``; anything else there is
            never replaced.

    Raises:
        UnknownUserError: When an email matches no readable member.
        FileExistsError: When ``out`` exists (without ``force``), or holds something that is
            not an export bundle of this tool.
    """
    out = Path(out)
    bundle = staged_bundle(out, _json_bytes(dataclasses.asdict(query)), force=force)
    exporter = _Exporter(client, bundle, query)
    summary = await exporter.run()
    files = publish_bundle(bundle, summary, out)
    return ExportResult(out, dict(exporter.counts), files)


def staged_bundle(out: Path, query: bytes, *, force: bool = False) -> _Bundle:
    """The staging folder for a bundle going to ``out`` (resumed if staged for ``query``).

    Raises:
        FileExistsError: When ``out`` exists (without ``force``), or holds something that is
            not an export bundle of this tool, or its staging folder is not ours.
    """
    as_zip = out.suffix.lower() == ".zip"
    _check_out(out, force)
    if not as_zip and out.exists() and not any(out.iterdir()):
        out.rmdir()
    return _Bundle(out.with_name(f"{out.name}.partial"), query)


def publish_bundle(bundle: _Bundle, summary: dict[str, Any], out: Path) -> int:
    """Write the manifest and move the bundle into place (a folder, or a zip); returns how
    many files it holds besides the manifest."""
    files = _finish(bundle, summary)
    if out.suffix.lower() == ".zip":
        _zip(bundle, out)
        shutil.rmtree(bundle.root)
    else:
        _replace_folder(bundle.root, out)
    return files
