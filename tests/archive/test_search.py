"""``archive search`` and ``archive index``: the full-text index, kept in step by sync."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from claude_compliance import ComplianceClient
from claude_compliance.archive import search as search_module
from claude_compliance.archive.reader import ArchiveReader
from claude_compliance.archive.search import SearchFilters, SearchHit, search
from claude_compliance.archive.search_index import blocks_text, is_text_like
from claude_compliance.common.timestamps import parse_timestamp
from claude_compliance.emulator.server import EmulatorServer

from ..cli.conftest import invoke_cli
from ..support import FULL_KEY
from .conftest import SMALL_WORLD, sync


@pytest.fixture
def world(make_emulator: Callable[..., EmulatorServer]) -> EmulatorServer:
    return make_emulator(**SMALL_WORLD)


def _search(root: Path, *args: str) -> list[dict[str, object]]:
    result = invoke_cli(None, "--format", "json", "archive", "search", *args, "--to", str(root))
    assert result.exit_code == 0, result.output
    found: list[dict[str, object]] = json.loads(result.stdout)
    return found


def _indexed(root: Path) -> dict[tuple[str, str], str]:
    with sqlite3.connect(root / "archive.sqlite3") as db:
        return {
            (kind, key): body
            for kind, key, body in db.execute(
                "SELECT d.record_kind, d.record_key, t.title || ' ' || t.body "
                "FROM search_documents AS d JOIN search_text AS t ON t.rowid = d.rowid"
            )
        }


def test_every_searchable_kind_is_indexed_with_owner_and_time(
    world: EmulatorServer, tmp_path: Path
) -> None:
    root = tmp_path / "archive"
    assert sync(world, root).indexed > 0
    indexed = _indexed(root)
    kinds = {kind for kind, _ in indexed}
    assert {"chat", "chat_message", "project", "project_document", "file", "activity"} <= kinds
    assert {"local_session_message", "remote_session_message"} & kinds
    chat = next(iter(world.store.iter_chats()))
    assert chat["name"] in indexed[("chat", chat["id"])]
    message = world.store.chat_messages(chat["id"])[-1]
    assert blocks_text(message["content"]) in indexed[("chat_message", message["id"])]

    hits = _search(root, chat["name"].split()[0], "--kind", "chat", "--limit", "50")
    assert chat["id"] in {hit["id"] for hit in hits}
    hit = next(h for h in hits if h["id"] == chat["id"])
    assert hit["owner"] == chat["user"]["id"]
    assert hit["time"] == chat["created_at"]
    assert hit["gone"] is False
    assert "«" in str(hit["snippet"]) and "»" in str(hit["snippet"])


def test_filters_formats_and_ranking(world: EmulatorServer, tmp_path: Path) -> None:
    root = tmp_path / "archive"
    sync(world, root)
    everything = _search(root, "termination clause", "--limit", "10000")
    scores = [float(str(hit["score"])) for hit in everything]
    assert scores == sorted(scores) and len(everything) > 5  # bm25: lower is better
    chat = next(c for c in world.store.iter_chats() if c["user"])
    email = chat["user"]["email_address"]
    mine = _search(root, "termination clause", "--user", email, "--limit", "10000")
    assert mine and {hit["owner"] for hit in mine} == {chat["user"]["id"]}
    assert mine == _search(
        root, "termination clause", "--user", chat["user"]["id"], "--limit", "10000"
    )
    messages = _search(root, "termination", "--kind", "message", "--kind", "file")
    assert messages and {hit["kind"] for hit in messages} <= {"message", "file"}
    organization = chat["organization_uuid"]
    in_org = _search(root, "termination", "--org", organization, "--limit", "10000")
    assert in_org and {hit["organization"] for hit in in_org} == {organization}
    by_id = _search(root, "termination", "--org", chat["organization_id"], "--limit", "10000")
    assert by_id == in_org
    times = sorted(str(hit["time"]) for hit in everything)
    middle = times[len(times) // 2]
    later = _search(root, "termination clause", "--from", middle, "--limit", "10000")
    earlier = _search(root, "termination clause", "--to-time", middle, "--limit", "10000")
    assert len(later) + len(earlier) == len(everything)
    assert all(str(hit["time"]) >= middle for hit in later)
    assert len(_search(root, "termination", "--limit", "3")) == 3
    assert _search(root, '"clause in section"')
    assert _search(root, "termin*")
    assert not _search(root, "termination NOT termination")

    csv_rows = invoke_cli(
        None, "--format", "csv", "archive", "search", "termination", "--to", str(root)
    ).stdout.splitlines()
    assert csv_rows[0].startswith("kind,id,record_kind")
    jsonl = invoke_cli(
        None, "--format", "jsonl", "archive", "search", "termination", "--to", str(root)
    ).stdout.splitlines()
    assert len(jsonl) == 20 and json.loads(jsonl[0])["kind"]
    table = invoke_cli(None, "archive", "search", "termination", "--to", str(root))
    assert table.exit_code == 0 and "snippet" in table.stdout


def test_bad_queries_are_one_line_usage_errors(world: EmulatorServer, tmp_path: Path) -> None:
    root = tmp_path / "archive"
    sync(world, root)
    for query in ("falcon AND (", '"unterminated', "nocolumn:word", "   ", "a) OR (b"):
        result = invoke_cli(None, "archive", "search", query, "--to", str(root))
        assert result.exit_code == 2, result.output
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: ")
        assert "Traceback" not in result.output
    unknown = invoke_cli(
        None, "archive", "search", "x", "--user", "nobody@example.com", "--to", str(root)
    )
    assert unknown.exit_code == 2 and "nobody@example.com" in unknown.stderr
    missing = invoke_cli(None, "archive", "search", "x", "--to", str(tmp_path / "none"))
    assert missing.exit_code == 1 and "no archive" in missing.stderr


def test_sync_keeps_the_index_in_step_and_marks_what_is_gone(
    world: EmulatorServer, tmp_path: Path
) -> None:
    root = tmp_path / "archive"
    sync(world, root)
    chat = world.world.add_chat(name="Zanzibar acquisition", messages=2)
    world.world.append_message(chat["id"], text="The quokka clause needs review")
    second = sync(world, root)
    assert 0 < second.indexed < 100  # only what changed, not the whole archive
    assert [h["id"] for h in _search(root, "zanzibar", "--kind", "chat")] == [chat["id"]]
    (hit,) = _search(root, "quokka")
    assert hit["container"] == chat["id"] and hit["kind"] == "message"

    with ComplianceClient(api_key=FULL_KEY, base_url=world.url) as client:
        client.chats.delete(chat["id"])
    sync(world, root, sweep="always")
    (gone,) = _search(root, "zanzibar", "--kind", "chat")
    assert gone["gone"] is True  # deleted at the source, still found in the archive
    assert sync(world, root).indexed == 0

    before = _indexed(root)
    rebuilt = invoke_cli(
        None, "--format", "json", "archive", "index", "--rebuild", "--to", str(root)
    )
    assert json.loads(rebuilt.stdout) == {"indexed": len(before), "rebuilt": True}
    assert _indexed(root) == before
    caught_up = invoke_cli(None, "--format", "json", "archive", "index", "--to", str(root))
    assert json.loads(caught_up.stdout) == {"indexed": 0, "rebuilt": False}


def test_an_archive_synced_without_the_index(world: EmulatorServer, tmp_path: Path) -> None:
    root = tmp_path / "archive"
    sync(world, root, index=False)
    result = invoke_cli(None, "archive", "search", "termination", "--to", str(root))
    assert result.exit_code == 1 and "archive index --to" in result.stderr
    built = invoke_cli(None, "--format", "json", "archive", "index", "--to", str(root))
    assert json.loads(built.stdout)["rebuilt"] is True
    assert _search(root, "termination")
    # A sync with indexing on an archive that held records before the index existed rebuilds
    # it once, at the end.
    other = tmp_path / "other"
    sync(world, other, index=False)
    assert sync(world, other).indexed == len(_indexed(root))
    assert _indexed(other) == _indexed(root)
    # Records stored while the index is behind are reported until it catches up.
    with sqlite3.connect(root / "archive.sqlite3") as db:
        db.execute("INSERT INTO search_pending VALUES ('chat', 'claude_chat_x')")
    behind = invoke_cli(None, "archive", "search", "termination", "--to", str(root))
    assert behind.exit_code == 0 and "1 records changed" in behind.stderr


def _newest_first(hits: list[SearchHit]) -> list[SearchHit]:
    return sorted(hits, key=lambda hit: parse_timestamp(str(hit.time)), reverse=True)


def test_broad_queries_rank_the_newest_matches_and_say_so(
    world: EmulatorServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "archive"
    sync(world, root)
    with ArchiveReader(root) as reader:
        times = [parse_timestamp(t) for (t,) in reader.query(
            "SELECT time FROM search_documents WHERE time IS NOT NULL ORDER BY rowid"
        )]  # fmt: skip
        assert times == sorted(times)  # rowid order is creation order
        full = search(reader, "termination", limit=10_000)
        assert full.complete and full.ranked == len(full.hits) > 12
        assert full.summary() == f"{len(full.hits)} matches"
        scores = {hit.id: hit.score for hit in full.hits}

        bounded = search(reader, "termination", limit=10_000, candidates=12)
        assert not bounded.complete and bounded.ranked == len(bounded.hits) == 12
        assert bounded.summary() == "more than 12 matches: ranked among the newest 12"
        assert [hit.score for hit in bounded.hits] == sorted(hit.score for hit in bounded.hits)
        assert all(scores[hit.id] == hit.score for hit in bounded.hits)  # same bm25 as in full
        oldest = min(parse_timestamp(str(hit.time)) for hit in bounded.hits)
        left_out = [hit for hit in full.hits if hit.id not in {h.id for h in bounded.hits}]
        assert all(parse_timestamp(str(hit.time)) <= oldest for hit in left_out)
        page_two = search(reader, "termination", limit=5, offset=5, candidates=12)
        assert page_two.hits == bounded.hits[5:10]

        # Filters are part of the match: the newest candidates are the newest that pass.
        messages = search(reader, "termination", SearchFilters(kinds=("message",)), candidates=4)
        expected = _newest_first([hit for hit in full.hits if hit.kind == "message"])[:4]
        assert {hit.id for hit in messages.hits} == {hit.id for hit in expected}
        middle = str(_newest_first(full.hits)[len(full.hits) // 2].time)
        earlier = search(reader, "termination", SearchFilters(time_to=middle), candidates=3)
        before = [h for h in full.hits if parse_timestamp(str(h.time)) < parse_timestamp(middle)]
        assert {hit.id for hit in earlier.hits} == {hit.id for hit in _newest_first(before)[:3]}

    monkeypatch.setattr(search_module, "CANDIDATES", 2)
    noted = invoke_cli(None, "archive", "search", "termination", "--to", str(root))
    assert noted.exit_code == 0
    assert "more than 2 matches: ranked among the newest 2" in noted.stderr
    monkeypatch.undo()

    # An index of an older version (no tags column) is rebuilt, not misread.
    with sqlite3.connect(root / "archive.sqlite3") as db:
        db.execute("UPDATE meta SET value = '1' WHERE key = 'search_index_version'")
        db.execute("DROP TABLE search_text")
        db.execute("CREATE VIRTUAL TABLE search_text USING fts5(title, body)")
    old = invoke_cli(None, "archive", "search", "termination", "--to", str(root))
    assert old.exit_code == 1 and "older version" in old.stderr
    built = invoke_cli(None, "--format", "json", "archive", "index", "--to", str(root))
    assert json.loads(built.stdout)["rebuilt"] is True
    assert len(_search(root, "termination", "--limit", "10000")) == len(full.hits)


@pytest.mark.parametrize(
    ("mime", "name", "expected"),
    [
        ("text/plain", "a.bin", True),
        ("application/json", None, True),
        ("application/ld+json; charset=utf-8", None, True),
        ("application/octet-stream", "main.py", True),
        ("application/pdf", "report.pdf", False),
        (None, "C:\\docs\\notes.MD", True),
        ("image/png", "diagram.png", False),
    ],
)
def test_which_content_is_indexed_as_text(
    mime: str | None, name: str | None, expected: bool
) -> None:
    assert is_text_like(mime, name) is expected


def test_block_text_covers_tools_and_nested_results() -> None:
    blocks = [
        {"type": "text", "text": "hello"},
        {"type": "tool_use", "name": "search", "input": '{"q": "falcon"}'},
        {"type": "tool_result", "name": "search", "content": [{"type": "text", "text": "found"}]},
        "not a block",
        {"type": "tool_result", "content": "plain"},
    ]
    text = blocks_text(blocks)
    for word in ("hello", "search", "falcon", "found", "plain"):
        assert word in text
    assert blocks_text(None) == ""
