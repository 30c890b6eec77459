"""Every command's ``--help`` ends with two or three examples."""

from __future__ import annotations

from collections.abc import Iterator

import click
from click.testing import CliRunner

from claude_compliance.cli import cli


def _leaves(command: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from _leaves(sub, (*path, name))
    else:
        yield path


def test_every_command_help_ends_with_examples() -> None:
    leaves = list(_leaves(cli))
    assert len(leaves) > 50  # the whole tree, not one branch
    lacking = []
    for path in leaves:
        result = CliRunner().invoke(cli, [*path, "--help"], catch_exceptions=False)
        assert result.exit_code == 0, (path, result.output)
        section = result.output.rpartition("Examples:")[2]
        lines = [line.strip() for line in section.strip().splitlines() if line.strip()]
        shown = [line for line in lines if line.startswith("$ ") and "claude-compliance " in line]
        # The section is the last thing shown, and holds only invocations of the tool.
        if "Examples:" not in result.output or not 2 <= len(shown) <= 3 or shown != lines:
            lacking.append(" ".join(path))
    assert lacking == []
