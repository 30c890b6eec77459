"""The workspace's web application: server-rendered pages over a read-only archive.

Pages: people, a person's timeline, a chat or session transcript, a file with its preview, a
project, the Activity Feed, search, the archive's status; plus downloads and "export these
results". Everything is plain HTML and one stylesheet: no JavaScript at all, so it works in any
browser and the Content-Security-Policy can forbid scripts outright.

Archived content reaches a page only through Jinja2's autoescaping (and search snippets through
:func:`highlight`, which escapes before it marks). Content is served for download as
``application/octet-stream`` with ``Content-Disposition: attachment``; only raster images of a
few well-known types are ever shown inline, so a stored HTML or SVG file can never run in the
workspace's origin.
"""

from __future__ import annotations

import dataclasses
import importlib.resources
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import jinja2
from markupsafe import Markup, escape
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Route

from ..archive.blobs import BlobStore
from ..archive.reader import ArchiveReader
from ..archive.search import (
    SearchFilters,
    SearchSyntaxError,
    UnknownUserError,
    resolve_users,
    search,
)
from ..archive.search_index import MARK_END, MARK_START, SEARCH_KINDS, is_text_like
from ..archive.verify import verify_archive
from ..common.files import safe_filename
from ..common.pages import page_templates
from ..common.timestamps import parse_timestamp, rfc3339
from . import queries
from .security import TokenGate

__all__ = ["create_app"]

PREVIEW_BYTES = 64 * 1024
INLINE_IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
"""Raster images browsers render without running anything. Never SVG, never HTML."""
SEARCH_PAGE_SIZE = 20
DOWNLOAD_POLICY = "default-src 'none'; sandbox"


class BadRequest(ValueError):
    """A query parameter the page cannot use (shown to the reader, status 400)."""


def highlight(snippet: str) -> Markup:
    """A search snippet as HTML: escaped first, then the match markers become ``<mark>``."""
    escaped = str(escape(" ".join(snippet.split())))
    return Markup(escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


def _environment() -> jinja2.Environment:
    environment = page_templates("claude_compliance.workspace")
    environment.filters["highlight"] = highlight
    environment.globals["path"] = lambda *parts: (
        "/" + "/".join(quote(str(p), safe="") for p in parts)
    )
    return environment


def _page_number(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= 1_000_000:
        raise BadRequest(f"page must be a whole number from 1 (not {raw!r})")
    return int(raw)


def _time(request: Request, name: str) -> str:
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return ""
    try:
        return rfc3339(parse_timestamp(raw))
    except ValueError:
        raise BadRequest(
            f"{name}: {raw!r} is not a date (2025-03-01) or an RFC 3339 timestamp"
        ) from None


def _query_string(request: Request, **changes: Any) -> str:
    items = {k: v for k, v in request.query_params.multi_items() if k not in changes}
    items.update({k: v for k, v in changes.items() if v is not None})
    return urlencode(items)


@dataclasses.dataclass
class Workspace:
    """What every page needs: the archive, the templates, one reader per thread."""

    root: Path
    environment: jinja2.Environment = dataclasses.field(default_factory=_environment)
    _local: threading.local = dataclasses.field(default_factory=threading.local)

    @property
    def reader(self) -> ArchiveReader:
        reader = getattr(self._local, "reader", None)
        if reader is None:
            reader = self._local.reader = ArchiveReader(self.root)
        return reader

    def render(self, request: Request, template: str, status: int = 200, **values: Any) -> Response:
        html = self.environment.get_template(template).render(
            request=request,
            page_url=lambda number: f"?{_query_string(request, page=number)}",
            **values,
        )
        return HTMLResponse(html, status_code=status)

    def not_found(self, request: Request, what: str) -> Response:
        return self.render(request, "message.html", 404, title="Not found", message=what)


def _handler(
    workspace: Workspace, page: Callable[[Workspace, Request], Response]
) -> Callable[[Request], Response]:
    def endpoint(request: Request) -> Response:
        try:
            return page(workspace, request)
        except BadRequest as error:
            return workspace.render(
                request, "message.html", 400, title="Bad request", message=str(error)
            )

    return endpoint


# -- pages --------------------------------------------------------------------------------------


def people_page(ws: Workspace, request: Request) -> Response:
    return ws.render(
        request, "people.html", people=queries.people(ws.reader, _page_number(request))
    )


def person_page(ws: Workspace, request: Request) -> Response:
    user_id = request.path_params["user_id"]
    found = queries.person(ws.reader, user_id)
    if found is None:
        return ws.not_found(request, f"No user {user_id} in the archive.")
    show = request.query_params.get("show", "chats")
    if show not in queries.TIMELINE:
        raise BadRequest(f"show must be one of {', '.join(queries.TIMELINE)}")
    items = queries.person_items(ws.reader, user_id, show, _page_number(request))
    return ws.render(
        request, "person.html", person=found, show=show, tabs=list(queries.TIMELINE), items=items
    )


def conversation_page(ws: Workspace, request: Request) -> Response:
    kind = request.path_params["kind"]
    key = request.path_params["key"]
    if kind not in queries.CONVERSATION_KINDS:
        return ws.not_found(request, f"No conversations of kind {kind}.")
    number = _page_number(request)
    wanted = request.query_params.get("message")
    if wanted:  # a search hit: open the page that holds that message
        number = queries.page_of_message(ws.reader, queries.CONVERSATION_KINDS[kind], wanted)
    found = queries.conversation(ws.reader, kind, key, number)
    if found is None:
        return ws.not_found(request, f"No {kind} {key} in the archive.")
    head, messages = found
    content = queries.chat_content(ws.reader, key) if kind == "chat" else {}
    return ws.render(
        request, "conversation.html", head=head, messages=messages, content=content, kind=kind
    )


def _preview(ws: Workspace, record: queries.Record) -> dict[str, Any]:
    if record.blob_sha256 is None:
        return {"type": None}
    path = BlobStore(ws.root).path_for(record.blob_sha256)
    if not path.is_file():
        return {"type": "missing"}
    mime = str(record.data.get("mime_type") or record.data.get("artifact_type") or "")
    mime = mime.split(";")[0].strip().lower()
    if mime in INLINE_IMAGE_TYPES:
        return {"type": "image"}
    if record.kind in ("artifact_version", "code_artifact_version") or is_text_like(
        mime, record.name
    ):
        with path.open("rb") as handle:
            head = handle.read(PREVIEW_BYTES + 1)
        text = head[:PREVIEW_BYTES].decode("utf-8", errors="replace")
        return {"type": "text", "text": text, "cut": len(head) > PREVIEW_BYTES}
    return {"type": None}


def content_page(ws: Workspace, request: Request) -> Response:
    kind = request.path_params["kind"]
    key = request.path_params["key"]
    record = queries.content_record(ws.reader, kind, key)
    if record is None:
        return ws.not_found(request, f"No {kind} {key} in the archive.")
    return ws.render(request, "content.html", record=record, preview=_preview(ws, record))


def _download_name(record: queries.Record) -> str:
    name = record.name or record.data.get("title") or record.id or record.key
    return safe_filename(str(name), safe_filename(record.key, "download"))


def download(ws: Workspace, request: Request) -> Response:
    kind = request.path_params["kind"]
    key = request.path_params["key"]
    record = queries.content_record(ws.reader, kind, key)
    if record is None or record.blob_sha256 is None:
        return ws.not_found(request, f"No content for {kind} {key} in the archive.")
    path = BlobStore(ws.root).path_for(record.blob_sha256)
    if not path.is_file():
        return ws.not_found(request, f"The content of {kind} {key} is missing from the archive.")
    inline = request.url.path.startswith("/preview/")
    mime = str(record.data.get("mime_type") or "").split(";")[0].strip().lower()
    if inline and mime not in INLINE_IMAGE_TYPES:
        return ws.not_found(request, "Only raster images are shown inline.")
    name = _download_name(record)
    ascii_name = name.encode("ascii", "replace").decode().replace('"', "_").replace("?", "_")
    disposition = "inline" if inline else "attachment"
    return FileResponse(
        path,
        media_type=mime if inline else "application/octet-stream",
        headers={
            "content-disposition": (
                f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
            ),
            "content-security-policy": DOWNLOAD_POLICY,
        },
    )


def project_page(ws: Workspace, request: Request) -> Response:
    project_id = request.path_params["project_id"]
    found = queries.project(ws.reader, project_id, _page_number(request))
    if found is None:
        return ws.not_found(request, f"No project {project_id} in the archive.")
    return ws.render(request, "project.html", **found)


def activity_page(ws: Workspace, request: Request) -> Response:
    params = request.query_params
    filters = queries.FeedFilters(
        type=params.get("type", "").strip(),
        actor=params.get("actor", "").strip(),
        organization=params.get("org", "").strip(),
        time_from=_time(request, "from"),
        time_to=_time(request, "to"),
    )
    page = queries.activity_feed(ws.reader, filters, _page_number(request))
    return ws.render(
        request,
        "activity.html",
        activities=page,
        filters=params,
        types=queries.activity_types(ws.reader),
    )


def search_filters(ws: Workspace, request: Request) -> SearchFilters:
    """The filters of a search or export request (the same names as the CLI's options)."""
    params = request.query_params
    kinds = tuple(k for k in params.getlist("kind") if k)
    try:
        return SearchFilters(
            users=resolve_users(ws.reader, [u for u in params.getlist("user") if u.strip()]),
            organizations=tuple(o for o in params.getlist("org") if o.strip()),
            kinds=kinds,
            time_from=_time(request, "from") or None,
            time_to=_time(request, "to") or None,
        )
    except (UnknownUserError, ValueError) as error:
        raise BadRequest(str(error)) from None


def search_page(ws: Workspace, request: Request) -> Response:
    text = request.query_params.get("q", "").strip()
    filters = search_filters(ws, request)
    number = _page_number(request)
    results = None
    error = None
    if text:
        try:
            results = search(
                ws.reader,
                text,
                filters,
                limit=SEARCH_PAGE_SIZE + 1,
                offset=(number - 1) * SEARCH_PAGE_SIZE,
            )
        except SearchSyntaxError as problem:
            error = str(problem)
    hits = results.hits if results else []
    page = queries.Page(hits[:SEARCH_PAGE_SIZE], number, len(hits) > SEARCH_PAGE_SIZE)
    export_query = _query_string(request, page=None) if text else None
    return ws.render(
        request,
        "search.html",
        status=400 if error else 200,
        q=text,
        hits=page,
        results=results,
        error=error,
        kinds=SEARCH_KINDS,
        params=request.query_params,
        export_query=export_query,
    )


def status_page(ws: Workspace, request: Request) -> Response:
    report = None
    if request.query_params.get("verify") == "1":
        report = verify_archive(ws.reader, BlobStore(ws.root))
    return ws.render(
        request, "status.html", archive=queries.archive_status(ws.reader), report=report
    )


def export_results(ws: Workspace, request: Request) -> Response:
    """Build an eDiscovery bundle from the archive for a search or a person; send it as zip."""
    from ..export.from_archive import ArchiveSelection, export_from_archive

    params = request.query_params
    text = params.get("q", "").strip()
    filters = search_filters(ws, request)
    if not text and not filters.users:
        raise BadRequest("export needs a search query (q) or a person (user)")
    selection = ArchiveSelection(
        users=filters.users,
        query=text or None,
        search_filters=filters if text else None,
        created_from=filters.time_from,
        created_to=filters.time_to,
    )
    folder = Path(tempfile.mkdtemp(prefix="workspace-export-"))
    target = folder / "ediscovery.zip"
    try:
        export_from_archive(ws.root, selection, target)
    except SearchSyntaxError as error:
        raise BadRequest(str(error)) from None
    return FileResponse(
        target,
        media_type="application/zip",
        filename="ediscovery.zip",
        background=BackgroundTask(_remove_tree, folder),
    )


def _remove_tree(folder: Path) -> None:
    import shutil

    shutil.rmtree(folder, ignore_errors=True)


def stylesheet(ws: Workspace, request: Request) -> Response:
    css = importlib.resources.files("claude_compliance.workspace").joinpath("static/workspace.css")
    return Response(css.read_text(encoding="utf-8"), media_type="text/css")


ROUTES: list[tuple[str, Callable[[Workspace, Request], Response]]] = [
    ("/", people_page),
    ("/people/{user_id}", person_page),
    ("/conversations/{kind}/{key}", conversation_page),
    ("/content/{kind}/{key:path}", content_page),
    ("/download/{kind}/{key:path}", download),
    ("/preview/{kind}/{key:path}", download),
    ("/projects/{project_id}", project_page),
    ("/activity", activity_page),
    ("/search", search_page),
    ("/status", status_page),
    ("/export", export_results),
    ("/static/workspace.css", stylesheet),
]


def create_app(root: Path, token: str) -> Starlette:
    """The workspace over the archive in ``root``, admitting requests that carry ``token``."""
    workspace = Workspace(Path(root))
    return Starlette(
        routes=[
            Route(path, _handler(workspace, page), methods=["GET", "HEAD"]) for path, page in ROUTES
        ],
        middleware=[Middleware(TokenGate, token=token)],
    )
