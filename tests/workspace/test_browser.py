"""The workspace in a real headless browser (Debian's chromium driven by Playwright).

A reviewer's path through the pages — people, a person, a chat, a file, search, export — and
proof that hostile archived content (a chat named like a script tag, HTML in a message, HTML and
SVG files with script, a file name made of markup) never runs: no dialog ever opens and the
DOM never holds a script element.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from claude_compliance.workspace import WorkspaceServer

from .hostile import HOSTILE_FILES, HTML_MESSAGE, MARKUP_FILENAME, SCRIPT_NAME, HostileArchive

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "images" / "workspace-transcript.png"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() and not os.environ.get("CLAUDE_COMPLIANCE_REQUIRE_BROWSER"),
    reason="needs Debian's chromium (make browser)",
)


@pytest.fixture(scope="module")
def browser(workspace: WorkspaceServer) -> Iterator[object]:
    # Playwright's sync API holds an event loop open in this thread: everything that runs
    # its own loop (the archive sync behind ``workspace``) must be done before it starts.
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield launched
        launched.close()


class Watched:
    """A page whose dialogs (alert, confirm...) are recorded and dismissed."""

    def __init__(self, browser: object) -> None:
        self.context = browser.new_context(accept_downloads=True)  # type: ignore[attr-defined]
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.page.on("dialog", self._dialog)

    def _dialog(self, dialog: object) -> None:
        self.dialogs.append(dialog.message)  # type: ignore[attr-defined]
        dialog.dismiss()  # type: ignore[attr-defined]

    def scripts(self) -> int:
        return int(self.page.evaluate("document.querySelectorAll('script').length"))

    def assert_inert(self) -> None:
        assert self.dialogs == []
        assert self.scripts() == 0


@pytest.fixture
def watched(browser: object, workspace: WorkspaceServer) -> Iterator[Watched]:
    view = Watched(browser)
    response = view.page.goto(workspace.entry_url)
    assert response is not None and response.ok
    assert "token=" not in view.page.url  # the token leaves the address bar at once
    yield view
    view.context.close()


def test_person_to_chat_to_file_and_every_page_type(
    watched: Watched, workspace: WorkspaceServer, hostile: HostileArchive
) -> None:
    page = watched.page
    assert page.locator("h1").inner_text() == "People"
    page.get_by_role("link", name=hostile.user_email, exact=True).click()
    assert page.locator("h1").inner_text() == hostile.user_email
    page.get_by_role("link", name=SCRIPT_NAME, exact=True).click()
    # The chat's name is shown as the text it is, not run.
    assert page.locator("h1").inner_text() == SCRIPT_NAME
    assert page.locator(".msg .text", has_text="Falcon escalation").inner_text() == HTML_MESSAGE
    watched.assert_inert()

    _screenshot_of_a_seeded_chat(page, workspace, hostile)
    page.goto(f"{workspace.url}/conversations/chat/{hostile.chat_id}")
    page.get_by_role("link", name="falcon-report.html", exact=True).click()
    assert page.locator("h1").inner_text() == "falcon-report.html"
    # HTML is previewed as its source text, never rendered.
    assert "<script>alert(6)</script>" in page.locator("pre.preview").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download", exact=True).click()
    saved = download.value.path()
    assert Path(saved).read_bytes() == HOSTILE_FILES[0][2]
    watched.assert_inert()

    for path, heading in (
        ("/activity", "Activity Feed"),
        ("/status", "Archive status"),
        ("/search", "Search"),
    ):
        page.goto(workspace.url + path)
        assert page.locator("h1").inner_text() == heading
    page.goto(workspace.url + f"/people/{hostile.user_id}?show=projects")
    project_links = page.locator("table a")
    if project_links.count():
        project_links.first.click()
        assert page.locator("h2", has_text="Collaborators").count() == 1
    page.goto(workspace.url + f"/people/{hostile.user_id}?show=sessions")
    page.goto(workspace.url + "/activity?type=claude_chat_created")
    assert page.locator("tbody tr").count() >= 1
    watched.assert_inert()


def _screenshot_of_a_seeded_chat(
    page: object, workspace: WorkspaceServer, hostile: HostileArchive
) -> None:
    """The README's picture: a generated chat (same seed, same picture) with a tool call
    folded and an attachment."""
    with sqlite3.connect(hostile.root / "archive.sqlite3") as db:
        (chat_id,) = db.execute(
            "SELECT parent_key FROM records WHERE kind = 'chat_message' "
            "AND data LIKE '%\"tool_use\"%' AND parent_key IN (SELECT parent_key FROM records "
            "WHERE kind = 'chat_message' AND data LIKE '%\"files\":[{%') "
            "ORDER BY parent_key LIMIT 1"
        ).fetchone()
    page.goto(f"{workspace.url}/conversations/chat/{chat_id}")  # type: ignore[attr-defined]
    assert page.locator("details.tool").count() >= 1  # type: ignore[attr-defined]
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=False)  # type: ignore[attr-defined]


def test_hostile_files_never_run(
    watched: Watched, workspace: WorkspaceServer, hostile: HostileArchive
) -> None:
    page = watched.page
    for name, _, content in HOSTILE_FILES:
        file_id = hostile.file_ids[name]
        page.goto(f"{workspace.url}/content/file/{file_id}")
        assert page.locator("h1").inner_text() == name
        watched.assert_inert()
        # Going to the content itself downloads it: the browser never renders it.
        with page.expect_download() as download:
            page.evaluate("url => { window.location.href = url }", f"/download/file/{file_id}")
        assert Path(download.value.path()).read_bytes() == content
        watched.assert_inert()
    page.goto(f"{workspace.url}/content/file/{hostile.file_ids[MARKUP_FILENAME]}")
    assert page.locator("img").count() == 0  # the markup in the name stayed text
    svg = hostile.file_ids["falcon-chart.svg"]
    response = page.goto(f"{workspace.url}/preview/file/{svg}")
    assert response is not None and response.status == 404  # SVG is never shown inline
    watched.assert_inert()


def test_search_then_export_these_results(
    watched: Watched, workspace: WorkspaceServer, hostile: HostileArchive, tmp_path: Path
) -> None:
    page = watched.page
    page.goto(workspace.url + "/search")
    page.locator("form.filters input[name=q]").fill("falcon escalation")
    page.locator("form.filters button").click()
    assert "q=falcon+escalation" in page.url
    first = page.locator("ol.hits li").first
    assert first.locator("mark").first.inner_text().lower() == "falcon"
    watched.assert_inert()
    with page.expect_download() as download:
        page.get_by_role("link", name="Export these results").click()
    content = Path(download.value.path()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(content)) as bundle:
        names = bundle.namelist()
        manifest = json.loads(bundle.read("manifest.json"))
        bundle.extractall(tmp_path / "bundle")
    assert manifest["source"]["selection"]["query"] == "falcon escalation"
    assert manifest["source"]["archive_digest"].startswith("sha256:")
    assert f"users/{hostile.user_id}/chats/{hostile.chat_id}/chat.json" in names
    assert "index.html" in names

    # The bundle's own reader is as inert as the workspace.
    page.goto((tmp_path / "bundle" / "index.html").as_uri())
    assert page.locator("h1").inner_text() == "eDiscovery bundle"
    page.locator("summary", has_text=SCRIPT_NAME).click()
    assert page.locator(".text", has_text="Falcon escalation").first.inner_text() == HTML_MESSAGE
    watched.assert_inert()
    shutil.rmtree(tmp_path / "bundle")


def test_a_person_page_exports_that_person(
    watched: Watched, workspace: WorkspaceServer, hostile: HostileArchive
) -> None:
    page = watched.page
    page.goto(f"{workspace.url}/people/{hostile.user_id}")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export this person's data").click()
    with zipfile.ZipFile(Path(download.value.path())) as bundle:
        manifest = json.loads(bundle.read("manifest.json"))
    assert manifest["query"]["resolved_user_ids"] == [hostile.user_id]
    assert manifest["counts"]["chats"] >= 1
