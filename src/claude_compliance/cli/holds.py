"""``holds add|list|release``: legal holds kept in the archive."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import click

from ..archive.store import ArchiveStore
from ..retention.directory import Directory
from ..retention.holds import HoldBook
from ..retention.who import actor
from .app import CliState, command_group, pass_state
from .archive import existing_archive
from .keys import describe_key
from .params import TIMESTAMP, UNTIL, archive_dir, examples, format_option

__all__ = ["archive_book", "holds", "who"]

HOLD_COLUMNS = ["id", "matter", "users", "organization", "from", "until", "added_at", "released"]


@contextlib.contextmanager
def archive_book(root: Path) -> Iterator[tuple[ArchiveStore, HoldBook]]:
    """The hold book of an existing archive (an error if there is none)."""
    with existing_archive(root) as store:
        yield store, HoldBook(store)


holds = command_group(
    "holds",
    """Legal holds: custodians whose content retention never deletes.

    \b
    Examples:
      claude-compliance holds add --to ./archive --user alice@example.com \\
          --matter "Acme v. Example" --reason "litigation hold notice 2026-11-30"
      claude-compliance holds list --to ./archive --all
      claude-compliance holds release hold_3f2a9c1b5d7e8f90 --to ./archive --reason "matter closed"
    """,
)


def who(state: CliState) -> dict[str, str | None]:
    """The "by" of a log entry: the key as ``keys check`` shows it, and the local account."""
    shown = describe_key(state.api_key)[0] if state.api_key else None
    return actor(state.api_key, shown)


@examples(
    "claude-compliance holds add --to ./archive --user bo@example.com --matter M-7 --reason notice",
    "claude-compliance holds add --to ./archive --user user_01… --until 2026-06-30 --matter HR-42 "
    "--reason inquiry",
)
@holds.command("add")
@archive_dir
@click.option(
    "--user",
    "users",
    multiple=True,
    required=True,
    metavar="ID|EMAIL",
    help="A custodian (user_… id or email address); repeat for several.",
)
@click.option("--org", "organization", metavar="ID", help="Only content of this organisation.")
@click.option(
    "--from",
    "start",
    type=TIMESTAMP,
    help="Only content alive at or after this time (30d, 2026-01-01, RFC 3339...).",
)
@click.option(
    "--until",
    "end",
    type=UNTIL,
    help="Only content created up to this time. A date includes that whole day.",
)
@click.option("--matter", required=True, help="The legal matter the hold serves.")
@click.option("--reason", required=True, help="Why the hold is placed (kept in the log).")
@format_option
@pass_state
def add_hold(
    state: CliState,
    root: Path,
    users: tuple[str, ...],
    organization: str | None,
    start: str | None,
    end: str | None,
    matter: str,
    reason: str,
) -> None:
    """Place a legal hold: the custodians' content is never deleted by retention."""
    with archive_book(root) as (store, book):
        directory = Directory(store)
        try:
            custodians = directory.users(users)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--user") from None
        try:
            hold = book.add(
                users=custodians,
                organization=directory.organization(organization) if organization else None,
                start=start,
                end=end,
                matter=matter,
                reason=reason,
                by=who(state),
            )
        except ValueError as error:  # what the options say cannot be a hold (an empty range)
            raise click.UsageError(str(error)) from None
    state.output.one(_row(hold.as_dict()), title="hold placed")


@examples(
    "claude-compliance holds list --to ./archive",
    "claude-compliance holds list --to ./archive --all --format json",
)
@holds.command("list")
@archive_dir
@click.option("--all", "include_released", is_flag=True, help="Released holds too.")
@format_option
@pass_state
def list_holds(state: CliState, root: Path, include_released: bool) -> None:
    """The holds in force (with --all, released ones too)."""
    with archive_book(root) as (_, book):
        rows = [_row(h.as_dict()) for h in book.holds(include_released=include_released)]
    state.output.many(rows, columns=HOLD_COLUMNS, title="legal holds")


@examples(
    'claude-compliance holds release hold_3f2a9c1b5d7e8f90 --to ./archive --reason "settled"',
    "claude-compliance holds release hold_3f2a9c1b5d7e8f90 --to ./archive --reason closed",
)
@holds.command("release")
@click.argument("hold_id")
@archive_dir
@click.option("--reason", required=True, help="Why the hold ends (kept in the log).")
@format_option
@pass_state
def release_hold(state: CliState, hold_id: str, root: Path, reason: str) -> None:
    """Release a hold (the log keeps it, with who released it, when and why)."""
    with archive_book(root) as (_, book):
        hold = book.release(hold_id, reason=reason, by=who(state))
    state.output.one(_row(hold.as_dict()), title="hold released")


def _row(hold: dict[str, object]) -> dict[str, object]:
    released = hold.get("released")
    return {
        **hold,
        "users": ", ".join(hold["users"]) if isinstance(hold["users"], list) else hold["users"],
        "released": released.get("at") if isinstance(released, dict) else None,
    }
