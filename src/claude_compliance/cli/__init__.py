"""The ``claude-compliance`` command line: every SDK resource, plus archive, tail and export.

Run ``claude-compliance --help`` for the command tree. :func:`main` is the console-script entry
point; :data:`cli` is the Click group (handy with ``click.testing.CliRunner``).
"""

from __future__ import annotations

from .activities import activities
from .app import cli
from .archive import archive
from .chats import chats
from .content import artifacts, files, generated_files
from .directory import groups, orgs, roles, user_preferences, users
from .emulator import emulator
from .export import export
from .keys import keys
from .projects import documents, projects
from .sessions import code_artifacts, sessions

__all__ = ["cli", "main"]

for _command in (
    activities,
    archive,
    artifacts,
    chats,
    code_artifacts,
    documents,
    emulator,
    export,
    files,
    generated_files,
    groups,
    keys,
    orgs,
    projects,
    roles,
    sessions,
    user_preferences,
    users,
):
    cli.add_command(_command)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="claude-compliance")
