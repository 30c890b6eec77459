"""Options shared by many commands: time filters, pagination, output format, confirmation.

Option names mirror the SDK's keyword arguments (``--created-at-gte`` is ``created_at_gte``), so
a command body passes them straight through.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, TypeVar

import click

from ..common.timestamps import parse_timestamp, rfc3339
from .app import CliState, interactive
from .output import FORMATS

__all__ = [
    "TIMESTAMP",
    "Timestamp",
    "confirm_destruction",
    "examples",
    "format_option",
    "list_options",
    "paged",
    "time_filters",
]

F = TypeVar("F", bound=Callable[..., Any])


C = TypeVar("C", bound=click.Command)


def examples(*lines: str) -> Callable[[C], C]:
    """End a command's ``--help`` with these example invocations (put it above the command
    decorator, so it receives the command)."""

    def decorate(command: C) -> C:
        shown = "\n".join(f"  $ {line}" for line in lines)
        command.epilog = f"Examples:\n\n\b\n{shown}"
        return command

    return decorate


class Timestamp(click.ParamType):  # type: ignore[type-arg]
    """A date or RFC 3339 timestamp, normalised to an RFC 3339 UTC string."""

    name = "timestamp"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        if isinstance(value, datetime):
            return rfc3339(value)
        try:
            return rfc3339(parse_timestamp(str(value)))
        except ValueError:
            self.fail(
                f"{value!r} is not a date (2025-03-01) or an RFC 3339 timestamp with a zone "
                "(2025-03-01T00:00:00Z)",
                param,
                ctx,
            )

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "TIMESTAMP"


TIMESTAMP = Timestamp()


def time_filters(*fields: str) -> Callable[[F], F]:
    """Add ``--<field>-gte/-gt/-lte/-lt`` options for each time field (``created_at``...)."""

    def decorate(function: F) -> F:
        for field in reversed(fields):
            label = field.replace("_", "-")
            for op, words in reversed(
                (("gte", "at or after"), ("gt", "after"), ("lte", "at or before"), ("lt", "before"))
            ):
                function = click.option(
                    f"--{label}-{op}",
                    f"{field}_{op}",
                    type=TIMESTAMP,
                    help=f"Only records whose {field} is {words} this time.",
                )(function)
        return function

    return decorate


def _set_format(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.ensure_object(CliState).output.format = value


def format_option(function: F) -> F:
    """``--format`` on a leaf command too, overriding the global one."""
    return click.option(
        "--format",
        type=click.Choice(FORMATS),
        default=None,
        expose_value=False,
        callback=_set_format,
        is_eager=False,
        help="Output format (overrides the global --format).",
    )(function)


def list_options(*, cursor: bool = False, max_limit: int | None = None) -> Callable[[F], F]:
    """``--all``, ``--limit`` and the page position (``--page``, or ``--after-id/--before-id``).

    Args:
        cursor: The list paginates with ``after_id``/``before_id`` rather than ``page`` tokens.
        max_limit: Largest page size the endpoint accepts (checked by the server otherwise).
    """

    def decorate(function: F) -> F:
        limit_type: click.ParamType = (  # type: ignore[type-arg]
            click.IntRange(1, max_limit) if max_limit else click.IntRange(min=1)
        )
        if cursor:
            function = click.option(
                "--before-id", help="Cursor: the page before this id (from first_id)."
            )(function)
            function = click.option(
                "--after-id", help="Cursor: the page after this id (from last_id)."
            )(function)
        else:
            function = click.option("--page", help="Page token from a previous listing.")(function)
        function = click.option("--limit", type=limit_type, help="Page size.")(function)
        function = click.option(
            "--all", "fetch_all", is_flag=True, help="Fetch every page (auto-paginate)."
        )(function)
        return format_option(function)

    return decorate


def paged(
    state: CliState,
    *,
    fetch_all: bool,
    iterate: Callable[[], Iterable[Any]],
    one_page: Callable[[], Any],
    columns: list[str] | None = None,
    title: str | None = None,
) -> None:
    """Write every record (``--all``) or one page, then hint at the next page on stderr."""
    if fetch_all:
        state.output.many(iterate(), columns=columns, title=title)
        return
    page = one_page()
    state.output.many(page.data, columns=columns, title=title)
    hint = _next_page_hint(page)
    if hint:
        state.info(hint)


def _next_page_hint(page: Any) -> str | None:
    next_page = getattr(page, "next_page", None)
    has_more = getattr(page, "has_more", next_page is not None)
    if not has_more:
        return None
    if next_page:
        return f"more results: --page {next_page} (or --all)"
    last_id = getattr(page, "last_id", None)
    if last_id:
        return f"more results: --after-id {last_id} (or --all)"
    return None


def destructive_options(function: F) -> F:
    """``--yes`` and ``--dry-run`` for commands that delete."""
    function = click.option(
        "--dry-run", is_flag=True, help="Show what would be deleted; delete nothing."
    )(function)
    function = click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")(
        function
    )
    return format_option(function)


def confirm_destruction(what: str, ids: list[str], *, yes: bool) -> None:
    """Ask before deleting, or refuse when nobody can answer and ``--yes`` was not given.

    Raises:
        click.UsageError: When stdin is not a terminal and ``yes`` is false.
        click.Abort: When the person declines.
    """
    if yes:
        return
    if not interactive():
        raise click.UsageError(
            f"refusing to delete {len(ids)} {what} without confirmation: pass --yes "
            "(or --dry-run to see what would go)"
        )
    listing = "\n  ".join(ids)
    click.confirm(
        f"Permanently delete {len(ids)} {what}? This cannot be undone.\n  {listing}\n",
        abort=True,
        err=True,
    )
