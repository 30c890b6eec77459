"""The ``claude-compliance`` command line: every SDK resource, plus archive, tail and export.

Run ``claude-compliance --help`` for the command tree. :func:`main` is the console-script entry
point; :data:`cli` is the Click group (handy with ``click.testing.CliRunner``).
"""

from __future__ import annotations

from .app import cli
from .archive import archive
from .content import artifacts, files, generated_files
from .projects import documents, projects

__all__ = ["cli", "main"]

for _command in (projects, documents, files, generated_files, artifacts, archive):
    cli.add_command(_command)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="claude-compliance")
