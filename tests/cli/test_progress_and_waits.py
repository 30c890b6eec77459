"""Long jobs say what they wait for, and how far they have got: rate-limit waits shown as they
begin and totalled in the summaries, progress bars with totals only once a listing has ended."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console

from claude_compliance.archive.progress import RichProgress
from claude_compliance.cli import archive as archive_command
from claude_compliance.emulator.server import EmulatorServer

from .conftest import invoke_cli

TINY_WORLD = {
    "orgs": 1,
    "users": 4,
    "projects": 2,
    "chats": 4,
    "activities": 30,
    "local_sessions": 1,
    "remote_sessions": 1,
    "code_artifacts": 1,
    "groups": 1,
    "roles": 1,
}
WAIT_LINE = re.compile(r"waiting \d+ s for the rate-limit window")
WAIT_TOTAL = re.compile(r"requests per minute \(peak \d+ in a minute\), ([\d.]+) s waiting for the")


@pytest.fixture
def narrow(make_emulator: Callable[..., EmulatorServer]) -> EmulatorServer:
    """About fifty requests, twenty every two seconds: a sync waits for the window a few times."""
    return make_emulator(**TINY_WORLD, rpm=20, rate_window_s=2)


def test_sync_logs_each_wait_and_totals_them_in_the_summary(
    narrow: EmulatorServer, tmp_path: Path
) -> None:
    result = invoke_cli(narrow, "-v", "archive", "sync", "--to", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert len(WAIT_LINE.findall(result.stderr)) >= 1
    total = WAIT_TOTAL.search(result.stderr)
    assert total and float(total.group(1)) > 0
    assert "429" not in result.stderr  # the pacer waited instead of running into the limit


def test_sync_shows_the_wait_on_the_progress_display(
    narrow: EmulatorServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[io.StringIO] = []

    def progress_view(console: Console) -> RichProgress:
        drawn.append(io.StringIO())
        return RichProgress(Console(file=drawn[-1], force_terminal=True, width=120))

    monkeypatch.setattr(archive_command, "stderr_is_terminal", lambda: True)
    monkeypatch.setattr(archive_command, "RichProgress", progress_view)
    result = invoke_cli(narrow, "archive", "sync", "--to", str(tmp_path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    frames = drawn[0].getvalue()
    assert WAIT_LINE.search(frames)
    # Once every listing has ended each bar has its total (4 chats, 2 projects: all new).
    final = {area: frames.rsplit(area, 1)[1].split("\n")[0] for area in ("chats", "projects")}
    assert " 4/4 " in final["chats"] and " 2/2 " in final["projects"]
    assert "found so far" not in "".join(final.values())
    assert '"rate_limit_wait_seconds": ' in result.stdout
    assert not WAIT_LINE.search(result.stderr)  # on the display, not as log lines too


def test_export_summary_reports_rate_and_waiting(
    make_emulator: Callable[..., EmulatorServer], tmp_path: Path
) -> None:
    narrow = make_emulator(**TINY_WORLD, rpm=6, rate_window_s=2)  # a dozen requests: 3 windows
    user = next(iter(narrow.store.iter_chats()))["user"]["email_address"]
    result = invoke_cli(
        narrow, "-v", "export", "ediscovery", "--user", user, "--out", str(tmp_path / "b.zip")
    )
    assert result.exit_code == 0, result.stderr
    assert re.search(r"\d+ requests, 0 rate-limited \(retried\)", result.stderr)
    total = WAIT_TOTAL.search(result.stderr)
    assert total and float(total.group(1)) > 0 and WAIT_LINE.search(result.stderr)


def render(steps: Callable[[RichProgress], None]) -> str:
    stream = io.StringIO()
    with RichProgress(Console(file=stream, force_terminal=True, width=120)) as progress:
        steps(progress)
    return stream.getvalue()


def test_a_bar_has_a_total_only_once_its_listing_has_ended() -> None:
    def listing(progress: RichProgress) -> None:
        progress.add("chats", 1000)
        progress.advance("chats", 40)

    assert "40/1,000 found so far" in render(listing)

    def listed(progress: RichProgress) -> None:
        listing(progress)
        progress.add("chats", 200)
        progress.listed("chats")

    text = render(listed)
    assert "40/1,200" in text and "found so far" not in text


def test_open_ended_areas_show_a_plain_count_and_waits_count_down() -> None:
    def steps(progress: RichProgress) -> None:
        progress.advance("activities", 2500)
        progress.waiting(12)

    text = render(steps)
    assert re.search(r"activities\s.*\s2,500\s", text)
    assert "waiting 12 s for the rate-limit window" in text
