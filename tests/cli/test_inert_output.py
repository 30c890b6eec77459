"""API data shown to a person stays data: Rich markup, terminal escapes, spreadsheet formulas and
Markdown structure written by a chat's owner print as text, over the emulator."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from markdown_it import MarkdownIt

from claude_compliance.emulator.server import EmulatorServer

from ..support import control
from .conftest import invoke_cli

MARKUP_NAMES = ["[/oops]", "[link=https://evil.example]y[/link]", "[bold red]loud"]
# ESC clear-screen, an OSC 0 window title, an OSC 8 hyperlink, BEL, a C1 CSI and a bidi override.
CONTROL_NAME = "a\x1b[2J\x1b]0;pwned\x07\x1b]8;;https://evil.example\x1b\\b\x9b1m\u202ec"


@pytest.fixture
def world(make_emulator: Callable[..., EmulatorServer]) -> EmulatorServer:
    return make_emulator()


def _chat(server: EmulatorServer, name: str, **body: Any) -> dict[str, Any]:
    chat: dict[str, Any] = control(server, "POST", "/chats", {"name": name, **body})
    return chat


def _assert_no_raw_controls(text: str) -> None:
    raw = [c for c in text if (ord(c) < 32 and c not in "\n") or 0x7F <= ord(c) <= 0x9F]
    assert raw == [], f"raw control characters reached the terminal: {raw!r}"
    assert "\u202e" not in text


@pytest.mark.parametrize("name", MARKUP_NAMES)
def test_rich_markup_in_names_prints_literally(world: EmulatorServer, name: str) -> None:
    chat = _chat(world, name)
    listing = invoke_cli(world, "chats", "list", "--user", chat["user"]["id"])
    assert listing.exit_code == 0, listing.output
    assert name in listing.stdout
    shown = invoke_cli(world, "chats", "get", chat["id"])
    assert shown.exit_code == 0, shown.output
    assert name in shown.stdout
    assert "\x1b]8;" not in shown.stdout  # no hyperlink was made


def test_terminal_controls_are_escaped_in_tables_and_views(world: EmulatorServer) -> None:
    chat = _chat(world, CONTROL_NAME, messages=0)
    control(world, "POST", f"/chats/{chat['id']}/messages", {"text": "hi\x1b[31mred\x07"})
    for args in (
        ("chats", "list", "--user", chat["user"]["id"]),
        ("chats", "get", chat["id"]),
        ("chats", "get", chat["id"], "--markdown"),
    ):
        result = invoke_cli(world, *args)
        assert result.exit_code == 0, result.output
        _assert_no_raw_controls(result.stdout)
        assert "\\x1b" in result.stdout and "pwned" in result.stdout, args
    # JSON keeps the exact data: its escaping already makes it inert.
    exact = invoke_cli(world, "--format", "json", "chats", "get", chat["id"])
    assert json.loads(exact.stdout)["name"] == CONTROL_NAME
    _assert_no_raw_controls(exact.stdout)


def test_error_messages_escape_server_text(world: EmulatorServer) -> None:
    evil = "\x1b]0;title\x07bad\nsecond line"
    control(
        world,
        "POST",
        "/faults",
        {
            "method": "GET",
            "path": "/v1/compliance/apps/chats",
            "responses": [
                {
                    "status": 400,
                    "body": {
                        "type": "error",
                        "error": {"type": "invalid_request_error", "message": evil},
                    },
                }
            ],
        },
    )
    result = invoke_cli(world, "chats", "list", "--user", "user_x")
    assert result.exit_code == 1
    _assert_no_raw_controls(result.stderr)
    assert "\\x1b]0;title\\x07bad" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("formula", ['=HYPERLINK("x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_csv_neutralises_formulas(world: EmulatorServer, formula: str) -> None:
    chat = _chat(world, formula)
    result = invoke_cli(world, "--format", "csv", "chats", "list", "--user", chat["user"]["id"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    names = {row["name"] for row in rows}
    assert "'" + formula in names
    assert formula not in names


@pytest.mark.parametrize("name", ["one\rtwo", 'one\rtwo\nthree,"four"'])
def test_csv_values_never_split_a_row(world: EmulatorServer, name: str) -> None:
    chat = _chat(world, name)
    result = invoke_cli(world, "--format", "csv", "chats", "list", "--user", chat["user"]["id"])
    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert all(len(row) == len(rows[0]) for row in rows)
    assert name in [cell for row in rows for cell in row]
    # Every physical line break inside a value is inside quotes: a naive line count splits.
    assert f'"{name.replace(chr(34), chr(34) * 2)}"' in result.stdout


FORGERIES = [
    "innocent\n\n## Assistant · 2020-01-01T00:00:00Z\n\nI approve the transfer",
    "x\n---\n- **User:** ceo@example.com",
    "<script>alert(1)</script><img src=x onerror=alert(1)>",
    "```\n## Human\n````\n## Assistant",
    "Title\n=====",
]


@pytest.mark.parametrize("content", FORGERIES)
def test_markdown_transcripts_cannot_be_forged(world: EmulatorServer, content: str) -> None:
    chat = _chat(world, content, messages=0)
    control(world, "POST", f"/chats/{chat['id']}/messages", {"text": content})
    result = invoke_cli(world, "chats", "get", chat["id"], "--markdown")
    assert result.exit_code == 0, result.output
    exact = json.loads(invoke_cli(world, "--format", "json", "chats", "get", chat["id"]).stdout)
    assert_transcript_structure(result.stdout, turns=len(exact["chat_messages"]))


def assert_transcript_structure(markdown: str, *, turns: int) -> None:
    """Rendered by a CommonMark parser, the transcript has exactly the headings, rules and
    header list the structure put there, and no raw HTML at all."""
    tokens = MarkdownIt("commonmark").parse(markdown)
    kinds = [t.type for t in tokens]
    headings = [t.tag for t in tokens if t.type == "heading_open"]
    assert headings == ["h1"] + ["h2"] * turns, headings
    assert kinds.count("hr") == turns
    assert kinds.count("bullet_list_open") <= 1 + turns  # header list, references per turn
    inline = [child for t in tokens for child in (t.children or [])]
    assert not [t for t in [*tokens, *inline] if t.type in ("html_block", "html_inline")]
    header_items = [
        t.content for t in tokens if t.type == "inline" and t.content.startswith("**User:**")
    ]
    assert len(header_items) <= 1
