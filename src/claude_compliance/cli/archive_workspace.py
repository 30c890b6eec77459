"""``archive search|index|serve|changes``: the reviewer's workspace over an archive.

These commands join the ``archive`` group (importing this module registers them): they read
the archive only (``index`` writes the index tables alone), and need no API key.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import click

from ..archive.changes import CHANGES, NoSuchRunError, changes_since, run_boundary
from ..archive.reader import ArchiveReader, NoArchiveError
from ..archive.search import (
    SearchFilters,
    SearchSyntaxError,
    UnknownUserError,
    resolve_users,
    search,
)
from ..archive.search_index import SEARCH_KINDS, catch_up, index_is_built, pending_count, rebuild
from ..archive.store import DATABASE_NAME, ArchiveStore, ForeignDatabaseError
from .app import CliState, fail, pass_state
from .archive import archive, existing_archive
from .params import TIMESTAMP, archive_dir, examples, format_option

__all__ = ["changes_command", "index_command", "search_command", "serve_command"]


class QueryError(click.ClickException):
    """A bad query or filter value: a usage error (exit 2) on one line, without the usage
    banner, because the query is the mistake rather than the command line."""

    exit_code = 2


CHANGE_COLUMNS = ["change", "kind", "id", "name", "user_id", "at"]
SEARCH_COLUMNS = ["kind", "id", "owner_email", "time", "title", "snippet", "gone"]


def open_reader(root: Path) -> ArchiveReader:
    """A read-only reader, or a one-line error when the folder holds no archive."""
    try:
        return ArchiveReader(root)
    except NoArchiveError:
        fail(f"no archive in {root} (run: claude-compliance archive sync --to {root})")


def _check_index(state: CliState, reader: ArchiveReader, root: Path) -> None:
    if not reader.has_table("search_text") or not index_is_built(reader):
        fail(
            f"the archive in {root} has no search index yet, or one of an older version "
            f"(run: claude-compliance archive index --to {root})"
        )
    behind = pending_count(reader)
    if behind:
        state.output.note(
            f"Note: {behind} records changed since the index was last brought up to date "
            f"(run: claude-compliance archive index --to {root})"
        )


@examples(
    "claude-compliance archive search 'quarterly forecast' --to ./archive",
    "claude-compliance archive search 'contract*' --to ./archive --user alice@example.com",
    "claude-compliance archive search '\"launch plan\" NOT draft' --to ./archive --from 30d",
)
@archive.command("search")
@click.argument("query")
@archive_dir
@click.option(
    "--user", "users", multiple=True, help="Owner: user id or email address (repeatable)."
)
@click.option("--org", "organizations", multiple=True, help="Organization id or uuid (repeatable).")
@click.option(
    "--kind", "kinds", multiple=True, type=click.Choice(SEARCH_KINDS), help="Kind (repeatable)."
)
@click.option("--from", "time_from", type=TIMESTAMP, help="Created at or after this.")
@click.option("--to-time", "time_to", type=TIMESTAMP, help="Created before this (exclusive).")
@click.option("--limit", type=click.IntRange(1, 10_000), default=20)
@format_option
@pass_state
def search_command(
    state: CliState,
    query: str,
    root: Path,
    users: tuple[str, ...],
    organizations: tuple[str, ...],
    kinds: tuple[str, ...],
    time_from: str | None,
    time_to: str | None,
    limit: int,
) -> None:
    """Full-text search of the archive in --to DIR: best matches first, with snippets.

    QUERY uses SQLite FTS5 syntax: words (all must match), "an exact phrase", prefix*,
    AND / OR / NOT, parentheses. Records deleted at the source since they were archived are
    found too, marked gone. When more than 5,000 records match, the newest 5,000 are ranked
    (a note on stderr says so).
    """
    with open_reader(root) as reader:
        _check_index(state, reader, root)
        try:
            filters = SearchFilters(
                users=resolve_users(reader, users),
                organizations=organizations,
                kinds=kinds,
                time_from=time_from,
                time_to=time_to,
            )
            results = search(reader, query, filters, limit=limit)
        except (SearchSyntaxError, UnknownUserError) as error:
            raise QueryError(str(error)) from None
    if not results.complete:
        state.output.note(
            f"Note: {results.summary()} (narrow the query or the filters to rank all)"
        )
    state.output.many(
        (hit.as_dict() for hit in results.hits), columns=SEARCH_COLUMNS, title="search"
    )


@examples(
    "claude-compliance archive index --to ./archive",
    "claude-compliance archive index --to ./archive --rebuild",
)
@archive.command("index")
@archive_dir
@click.option("--rebuild", "from_scratch", is_flag=True, help="Rebuild the index from scratch.")
@format_option
@pass_state
def index_command(state: CliState, root: Path, from_scratch: bool) -> None:
    """Bring the search index up to date (archive sync does this after every run)."""
    with existing_archive(root) as store:
        result = rebuild(store, root) if from_scratch else catch_up(store, root)
    state.output.one({"indexed": result.indexed, "rebuilt": result.rebuilt})


@examples(
    "claude-compliance archive serve --to ./archive",
    "claude-compliance archive serve --to ./archive --port 8765",
)
@archive.command("serve")
@archive_dir
@click.option("--host", default="127.0.0.1", help="Interface to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=0)
@pass_state
def serve_command(state: CliState, root: Path, host: str, port: int) -> None:
    """A read-only web workspace over the archive in --to DIR (people, chats, search...).

    Prints a URL with a one-time access token; open it in a browser. Listens on loopback
    unless --host says otherwise. Stop with Ctrl-C.
    """
    from ..workspace.server import serve_foreground

    open_reader(root).close()
    if host not in ("127.0.0.1", "localhost", "::1"):
        state.output.note(
            f"Warning: listening on {host}: anyone who can reach it and has the URL can read "
            "the archive"
        )
    serve_foreground(root, host=host, port=port)


@examples(
    "claude-compliance archive changes --to ./archive",
    "claude-compliance archive changes --to ./archive --since-run 12 --kind chat",
    "claude-compliance archive changes --to ./archive --since 7d --format csv > changes.csv",
)
@archive.command("changes")
@archive_dir
@click.option(
    "--since-run",
    type=click.IntRange(min=1),
    metavar="N",
    help="What the runs after run N changed (default: what the last run changed).",
)
@click.option("--since", type=TIMESTAMP, help="What changed after this time.")
@click.option(
    "--kind", "kinds", multiple=True, help="Only this kind of record, e.g. chat (repeatable)."
)
@format_option
@pass_state
def changes_command(
    state: CliState,
    root: Path,
    since_run: int | None,
    since: str | None,
    kinds: tuple[str, ...],
) -> None:
    """What was new, changed, gone, or deleted by the user between runs of archive sync.

    new: first archived; changed: a new version replaced the one held (kept in history);
    deleted: the user deleted it in the product (still served, deleted_at set); gone: the API
    no longer returns it (kept in the archive). Runs are numbered from 1 in the order they
    started (archive stats counts them).
    """
    if since_run is not None and since is not None:
        raise click.UsageError("--since-run and --since cannot be combined")
    if (root / DATABASE_NAME).is_file():
        # Opening for writing adds what older archives lack (the indexes on the time columns
        # this reads by); an archive on read-only media is read as it is.
        with contextlib.suppress(OSError, sqlite3.Error, ForeignDatabaseError):
            ArchiveStore(root).close()
    with open_reader(root) as reader:
        try:
            boundary = since if since is not None else run_boundary(reader, since_run)
        except NoSuchRunError as error:
            fail(str(error))
        found = list(changes_since(reader, boundary, kinds=kinds))
    state.output.many(
        (change.as_dict() for change in found), columns=CHANGE_COLUMNS, title="changes"
    )
    counts = {name: sum(1 for c in found if c.change == name) for name in CHANGES}
    state.info(f"since {boundary}: " + ", ".join(f"{n} {name}" for name, n in counts.items()))
