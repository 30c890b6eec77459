"""``export ediscovery``: a reproducible bundle of some users' chats, projects and activities."""

from __future__ import annotations

import asyncio
from pathlib import Path

import click

from ..export import ExportQuery, ExportResult, UnknownUserError, export_ediscovery
from .app import CliState, Group, fail, pass_state
from .params import TIMESTAMP, format_option

__all__ = ["export"]


@click.group(cls=Group)
def export() -> None:
    """Bundles for legal and compliance requests."""


@export.command("ediscovery")
@click.option(
    "--user",
    "users",
    multiple=True,
    required=True,
    help="User id (user_…) or email address (repeatable).",
)
@click.option("--from", "created_from", type=TIMESTAMP, help="Created at or after this.")
@click.option("--to", "created_to", type=TIMESTAMP, help="Created before this (exclusive).")
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path),
    help="Bundle folder, or a file ending in .zip.",
)
@format_option
@pass_state
def ediscovery(
    state: CliState,
    users: tuple[str, ...],
    created_from: str | None,
    created_to: str | None,
    out: Path,
) -> None:
    """Export the users' chats (JSON and Markdown) with attachments, generated files and
    artifacts, the projects they own with documents and files, and their activities, plus a
    manifest.json of every file's SHA-256 and size. Same inputs, same data: same bytes.
    """
    state.require_key()
    query = ExportQuery(tuple(users), created_from, created_to)

    async def run() -> ExportResult:
        async with state.async_client(max_retries=8) as client:
            return await export_ediscovery(client, query, out)

    try:
        result = asyncio.run(run())
    except UnknownUserError as error:
        fail(str(error))
    except FileExistsError as error:
        raise click.UsageError(str(error)) from None
    state.output.one({"path": str(out), "bundle_files": result.files, **result.counts})
