"""The ``claude-compliance`` command line: every SDK resource, plus archive, tail and export.

Run ``claude-compliance --help`` for the command tree. :func:`main` is the console-script entry
point; :data:`cli` is the Click group (handy with ``click.testing.CliRunner``). Each command
group lives in the module of the same name (``cli.chats`` holds ``chats``).
"""

from __future__ import annotations

from . import (
    activities,
    archive,
    archive_workspace,
    chats,
    completion,
    content,
    directory,
    emulator,
    export,
    holds,
    keys,
    projects,
    retention,
    sessions,
)
from .app import cli

_ = archive_workspace  # registers archive search|index|serve on the archive group

__all__ = ["cli", "main"]

for _command in (
    activities.activities,
    archive.archive,
    content.artifacts,
    chats.chats,
    completion.completion,
    sessions.code_artifacts,
    projects.documents,
    emulator.emulator,
    export.export,
    content.files,
    content.generated_files,
    directory.groups,
    holds.holds,
    keys.keys,
    directory.orgs,
    projects.projects,
    retention.retention,
    directory.roles,
    sessions.sessions,
    directory.user_preferences,
    directory.users,
):
    cli.add_command(_command)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="claude-compliance")
