"""``export ediscovery``: a reproducible bundle of some users' chats, projects and activities."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import click

from ..archive.progress import log_wait
from ..archive.reader import NoArchiveError
from ..archive.search import SearchSyntaxError
from ..archive.search import UnknownUserError as SearchUnknownUserError
from ..archive.sync import RequestCounter, archive_client
from ..export import ExportQuery, ExportResult, UnknownUserError, export_ediscovery
from ..export.from_archive import ArchiveSelection, export_from_archive
from .app import CliState, command_group, fail, pass_state
from .budget import bulk_budget, bulk_budget_options
from .params import TIMESTAMP, examples, format_option

__all__ = ["export"]


export = command_group("export", "Bundles for legal and compliance requests.")


@examples(
    "claude-compliance export ediscovery --user alice@example.com --from 30d --out alice.zip",
    "claude-compliance export ediscovery --from-archive ./archive --query merger --out merger/",
    "claude-compliance export ediscovery --from-archive ./archive --id claude_chat_01… --out c.zip",
)
@export.command("ediscovery")
@click.option(
    "--user",
    "users",
    multiple=True,
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
@click.option(
    "--from-archive",
    "archive",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Build the bundle from this archive folder only (no API call; includes records "
    "deleted at the source since they were archived).",
)
@click.option(
    "--query",
    "search_query",
    help="With --from-archive: everything this search matches (archive search syntax).",
)
@click.option(
    "--id",
    "ids",
    multiple=True,
    help="With --from-archive: a chat, project, session, message, file, document or activity "
    "id to export in its context (repeatable).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace an earlier bundle at --out (anything else there is never replaced).",
)
@bulk_budget_options
@format_option
@pass_state
def ediscovery(
    state: CliState,
    users: tuple[str, ...],
    created_from: str | None,
    created_to: str | None,
    out: Path,
    archive: Path | None,
    search_query: str | None,
    ids: tuple[str, ...],
    force: bool,
    max_rpm: int | None,
    budget_share: float,
) -> None:
    """Export the users' chats (JSON and Markdown) with attachments, generated files and
    artifacts, the projects they own with documents and files, and their activities, plus a
    manifest.json of every file's SHA-256 and size. Same inputs, same data: same bytes.

    With --from-archive DIR the bundle comes from the archive alone, selected by --user (with
    --from/--to), --query or --id, and gains an index.html to read it in a browser; its
    manifest records the archive's digest and the selection.

    An existing --out is an error unless --force names an earlier bundle; nothing the export
    did not create is deleted or overwritten. Folders are 0700, files 0600.
    """
    if archive is not None:
        selection = ArchiveSelection(
            users=users,
            created_from=created_from,
            created_to=created_to,
            query=search_query,
            ids=ids,
        )
        _from_archive(state, archive, selection, out, force)
        return
    if search_query or ids:
        raise click.UsageError("--query and --id need --from-archive DIR")
    if not users:
        raise click.UsageError("give at least one --user (or use --from-archive DIR)")
    state.require_key()
    query = ExportQuery(tuple(users), created_from, created_to)
    budget = bulk_budget(max_rpm, budget_share)
    counter = RequestCounter()
    counter.waits.on_start = log_wait  # each wait for the rate-limit window, with -v

    async def run() -> ExportResult:
        async with archive_client(
            api_key=state.require_key(),
            base_url=state.base_url,
            counter=counter,
            max_retries=8,
            rate_budget=budget,
        ) as client:
            return await export_ediscovery(client, query, out, force=force)

    started = time.monotonic()
    try:
        result = asyncio.run(run())
    except UnknownUserError as error:
        fail(str(error))
    except FileExistsError as error:
        fail(str(error))  # one line; never a usage banner for what is on disk
    state.output.one({"path": str(out), "bundle_files": result.files, **result.counts})
    elapsed = time.monotonic() - started
    state.info(
        f"{counter.requests} requests, {counter.rate_limited} rate-limited (retried); "
        f"{elapsed:.1f}s, {counter.per_minute_figures(elapsed)}"
    )


def _from_archive(
    state: CliState, archive: Path, selection: ArchiveSelection, out: Path, force: bool
) -> None:
    if not (selection.users or selection.query or selection.ids):
        raise click.UsageError("select what to export: --user, --query or --id")
    try:
        result = export_from_archive(archive, selection, out, force=force)
    except (SearchSyntaxError, SearchUnknownUserError) as error:
        raise click.UsageError(str(error)) from None
    except (LookupError, NoArchiveError, FileExistsError) as error:
        fail(str(error))
    state.output.one({"path": str(out), "bundle_files": result.files, **result.counts})
