"""The CLI's plumbing: error mapping, the module entry point, progress on a terminal."""

from __future__ import annotations

import io
import runpy
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from rich.console import Console

from claude_compliance.cli.app import ComplianceGroup
from claude_compliance.emulator.server import EmulatorServer

from .conftest import invoke_cli


def _group_raising(error: BaseException) -> click.Group:
    @click.group(cls=ComplianceGroup)
    def root() -> None:
        pass

    @root.command()
    def boom() -> None:
        raise error

    return root


@pytest.mark.parametrize(
    ("error", "code", "text"),
    [
        (
            OSError(28, "No space left on device", "/archive"),
            1,
            "No space left on device: /archive",
        ),
        (KeyboardInterrupt(), 1, "Aborted"),
        (RuntimeError("surprise"), 1, "unexpected RuntimeError: surprise"),
        (ValueError("bad id"), 1, "bad id"),
    ],
)
def test_failures_become_one_line_and_an_exit_status(
    error: BaseException, code: int, text: str
) -> None:
    result = CliRunner().invoke(_group_raising(error), ["boom"])
    assert result.exit_code == code
    assert text in result.output and "Traceback" not in result.output


def test_python_dash_m(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "argv", ["claude-compliance", "--version"])
    with pytest.raises(SystemExit) as exit_info:
        runpy.run_module("claude_compliance.cli", run_name="__main__")
    assert exit_info.value.code == 0
    assert "claude-compliance" in capsys.readouterr().out


def test_sync_draws_progress_on_a_terminal(
    emulator: EmulatorServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from claude_compliance.archive.progress import RichProgress
    from claude_compliance.cli import archive as archive_command

    drawn: list[io.StringIO] = []

    def progress_view(console: Console) -> RichProgress:
        stream = io.StringIO()
        drawn.append(stream)
        return RichProgress(Console(file=stream, force_terminal=True, width=120))

    monkeypatch.setattr(archive_command, "stderr_is_terminal", lambda: True)
    monkeypatch.setattr(archive_command, "RichProgress", progress_view)
    quiet = invoke_cli(emulator, "-q", "archive", "sync", "--to", str(tmp_path / "a"))
    assert quiet.exit_code == 0 and not drawn  # --quiet wins
    shown = invoke_cli(emulator, "archive", "sync", "--to", str(tmp_path / "b"))
    assert shown.exit_code == 0, shown.stderr
    assert drawn and "chats" in drawn[0].getvalue()
