"""The workspace's door and headers, over loopback HTTP: token, read-only, inert responses."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import httpx2
import pytest

from claude_compliance.archive import search as search_module
from claude_compliance.workspace import WorkspaceServer

from ..cli.conftest import invoke_cli
from .hostile import HOSTILE_FILES, HostileArchive


@pytest.fixture
def reviewer(workspace: WorkspaceServer) -> httpx2.Client:
    """A client that has opened the printed URL (and so holds the cookie)."""
    client = httpx2.Client(base_url=workspace.url)
    first = client.get(workspace.entry_url)
    assert first.status_code == 303
    assert first.headers["location"] == "/?" or first.headers["location"] == "/"
    assert "httponly" in first.headers["set-cookie"].lower()
    assert "samesite=strict" in first.headers["set-cookie"].lower()
    return client


@pytest.mark.parametrize("path", ["/", "/search?q=falcon", "/status", "/static/workspace.css"])
def test_requests_without_the_token_are_forbidden(workspace: WorkspaceServer, path: str) -> None:
    response = httpx2.get(workspace.url + path)
    assert response.status_code == 403
    assert response.headers["x-content-type-options"] == "nosniff"
    wrong = httpx2.get(workspace.url + path, params={"token": "not-the-token"})
    assert wrong.status_code == 403
    cookie = httpx2.get(
        workspace.url + path,
        cookies={f"claude_compliance_workspace_{workspace.url.rsplit(':', 1)[1]}": "x"},
    )
    assert cookie.status_code == 403


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_write_methods_are_not_allowed(reviewer: httpx2.Client, method: str) -> None:
    response = reviewer.request(method, "/search")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"


def test_every_page_carries_a_strict_policy(reviewer: httpx2.Client) -> None:
    for path in ("/", "/activity", "/search?q=falcon", "/status", "/nope"):
        response = reviewer.get(path)
        assert response.status_code in (200, 404)
        policy = response.headers["content-security-policy"]
        assert "default-src 'none'" in policy and "script-src" not in policy
        assert "http" not in policy  # no other origin at all
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["x-frame-options"] == "DENY"
        assert "<script" not in response.text


def test_content_is_served_as_an_attachment(
    reviewer: httpx2.Client, hostile: HostileArchive
) -> None:
    for name, _, content in HOSTILE_FILES:
        response = reviewer.get(f"/download/file/{hostile.file_ids[name]}")
        assert response.status_code == 200
        assert response.content == content
        assert response.headers["content-type"] == "application/octet-stream"
        assert response.headers["content-disposition"].startswith("attachment;")
        assert (
            '"'
            not in response.headers["content-disposition"]
            .split('filename="')[1][:-1]
            .split('"; ')[0]
        )
        assert "sandbox" in response.headers["content-security-policy"]
        inline = reviewer.get(f"/preview/file/{hostile.file_ids[name]}")
        assert inline.status_code == 404  # only raster images are ever inline


def test_bad_parameters_are_a_page_not_a_traceback(reviewer: httpx2.Client) -> None:
    assert reviewer.get("/?page=0").status_code == 400
    assert reviewer.get("/activity?from=yesterday").status_code == 400
    bad_query = reviewer.get("/search", params={"q": 'falcon AND ("'})
    assert bad_query.status_code == 400 and "invalid search query" in bad_query.text
    unknown = reviewer.get("/search", params={"q": "falcon", "user": "nobody@example.com"})
    assert unknown.status_code == 400
    assert reviewer.get("/conversations/chat/claude_chat_missing").status_code == 404
    assert reviewer.get("/conversations/robot/x").status_code == 404
    assert reviewer.get("/content/file/claude_file_missing").status_code == 404
    assert reviewer.get("/projects/claude_proj_missing").status_code == 404
    assert reviewer.get("/people/user_missing").status_code == 404
    assert reviewer.get("/people/user_missing?show=nothing").status_code == 404
    assert reviewer.get("/export").status_code == 400


def test_status_verifies_on_request(reviewer: httpx2.Client) -> None:
    page = reviewer.get("/status", params={"verify": "1"})
    assert page.status_code == 200 and "all intact" in page.text
    assert reviewer.head("/status").status_code == 200


def test_pages_paginate(reviewer: httpx2.Client, hostile: HostileArchive) -> None:
    first = reviewer.get("/activity")
    assert 'rel="next"' in first.text
    second = reviewer.get("/activity", params={"page": "2"})
    assert 'rel="prev"' in second.text and second.text != first.text
    person = reviewer.get(f"/people/{hostile.user_id}", params={"show": "activities"})
    assert person.status_code == 200


def test_a_search_hit_opens_the_page_holding_its_message(
    reviewer: httpx2.Client, hostile: HostileArchive
) -> None:
    results = reviewer.get("/search", params={"q": "falcon escalation", "kind": "message"})
    assert f"/conversations/chat/{hostile.chat_id}?message=" in results.text
    assert re.search(r"\d+ match(es)?\.", results.text)  # all ranked: how many
    message_id = results.text.split("?message=")[1].split("#")[0]
    page = reviewer.get(f"/conversations/chat/{hostile.chat_id}", params={"message": message_id})
    assert f'id="{message_id}"' in page.text


def test_a_broad_search_says_it_ranked_the_newest_matches(
    reviewer: httpx2.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_module, "CANDIDATES", 1)
    results = reviewer.get("/search", params={"q": "falcon OR escalation OR script"})
    assert "More than 1 matches: ranked among the newest 1 — narrow" in results.text


def test_archive_serve_prints_a_url_that_opens_the_workspace(hostile: HostileArchive) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "claude_compliance.cli", "archive", "serve", "--to",
         str(hostile.root), "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        url = re.search(r"http://\S+", process.stdout.readline())
        assert url is not None and "token=" in url.group(0)
        with httpx2.Client(follow_redirects=True) as client:
            assert client.get(url.group(0).split("?")[0]).status_code == 403
            opened = client.get(url.group(0))
        assert opened.status_code == 200 and "People" in opened.text
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_archive_serve_needs_an_archive(tmp_path: Path) -> None:
    result = invoke_cli(None, "archive", "serve", "--to", str(tmp_path))
    assert result.exit_code == 1 and "no archive" in result.stderr


def test_a_project_page_lists_its_parts(reviewer: httpx2.Client, hostile: HostileArchive) -> None:
    project = next(iter(hostile.server.store.iter_projects()))
    page = reviewer.get(f"/projects/{project['id']}")
    assert page.status_code == 200
    for heading in ("Documents and files", "Collaborators", "Chats"):
        assert f"<h2>{heading}</h2>" in page.text
    assert reviewer.get(f"/projects/{project['id']}", params={"page": "2"}).status_code == 200
