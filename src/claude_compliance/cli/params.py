"""Options shared by many commands: time filters, pagination, output format, confirmation.

Option names mirror the SDK's keyword arguments (``--created-at-gte`` is ``created_at_gte``), so
a command body passes them straight through.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import click

from ..common.timestamps import parse_timestamp, rfc3339
from .app import CliState
from .output import FORMATS

__all__ = [
    "TIMESTAMP",
    "TIME_FORMS",
    "UNTIL",
    "Timestamp",
    "archive_dir",
    "concurrency_option",
    "examples",
    "format_option",
    "list_options",
    "overlap_option",
    "paged",
    "parse_when",
    "time_filters",
    "time_option",
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


_RELATIVE = re.compile(r"^(\d+)\s*([mhdw])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
TIME_FORMS = "30d, 12h, 2w, 45m, today, yesterday, 2026-06-30 or RFC 3339"


def parse_when(text: str, *, upper: bool = False, now: datetime | None = None) -> datetime:
    """A time as people say it: ``30d``/``12h``/``2w``/``45m`` ago, ``today``, ``yesterday``,
    a date (``2026-06-30``, UTC) or an RFC 3339 timestamp with a zone.

    Args:
        text: What was typed.
        upper: The time is an inclusive upper bound, so a date (``today`` and ``yesterday``
            included) means the end of that day rather than its first instant.
        now: The current time (default: the clock).

    Raises:
        ValueError: For anything else.
    """
    now = now or datetime.now(UTC)
    value = text.strip().lower()
    relative = _RELATIVE.match(value)
    if relative:
        return now - timedelta(**{_UNITS[relative.group(2)]: int(relative.group(1))})
    day: date | None = None
    if value in ("today", "yesterday"):
        day = now.astimezone(UTC).date() - timedelta(days=1 if value == "yesterday" else 0)
    elif len(value) == 10:
        day = parse_timestamp(value).date()
    if day is None:
        return parse_timestamp(text)
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return start + timedelta(days=1, microseconds=-1) if upper else start


class Timestamp(click.ParamType):  # type: ignore[type-arg]
    """A time as people say it (see :func:`parse_when`), normalised to RFC 3339 UTC.

    Args:
        upper: An inclusive upper bound: a date means the whole of that day.
    """

    name = "timestamp"

    def __init__(self, *, upper: bool = False) -> None:
        self.upper = upper

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        if isinstance(value, datetime):
            return rfc3339(value)
        try:
            return rfc3339(parse_when(str(value), upper=self.upper))
        except ValueError:
            self.fail(f"{value!r} is not a time: use {TIME_FORMS} (with a zone)", param, ctx)

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "TIME"


TIMESTAMP = Timestamp()
UNTIL = Timestamp(upper=True)
"""An inclusive upper bound: ``--until 2026-06-30`` includes the whole of 30 June."""

_OPS = {
    "gte": ("at or after", TIMESTAMP),
    "gt": ("after", TIMESTAMP),
    "lte": ("at or before", UNTIL),
    "lt": ("before", TIMESTAMP),
}


def time_option(name: str) -> Callable[[F], F]:
    """The option for one SDK time filter (``created_at_gte`` is ``--created-at-gte``)."""
    field, op = name.rsplit("_", 1)
    words, kind = _OPS[op]
    whole_day = " A date includes that whole day." if kind is UNTIL else ""
    return click.option(
        "--" + name.replace("_", "-"),
        name,
        type=kind,
        help=f"Only records whose {field} is {words} this time.{whole_day}",
    )


def time_filters(*fields: str) -> Callable[[F], F]:
    """Add ``--<field>-gte/-gt/-lte/-lt`` options for each time field (``created_at``...)."""

    def decorate(function: F) -> F:
        for field in reversed(fields):
            for op in ("lt", "lte", "gt", "gte"):
                function = time_option(f"{field}_{op}")(function)
        return function

    return decorate


def _set_format(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.ensure_object(CliState).output.format = value


def _set_columns(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value:
        columns = [c.strip() for c in value.split(",") if c.strip()]
        ctx.ensure_object(CliState).output.columns = columns or None


def format_option(function: F) -> F:
    """``--format`` on a leaf command too, overriding the global one, and ``--columns``."""
    function = click.option(
        "--columns",
        metavar="A,B.C",
        default=None,
        expose_value=False,
        callback=_set_columns,
        help="Only these fields, in this order (dotted paths reach inside: user.email_address).",
    )(function)
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
    keep: Callable[[Any], bool] | None = None,
) -> None:
    """Write every record (``--all``) or one page, then hint at the next page on stderr.

    Args:
        keep: Which records to write (all when ``None``), for filters the API lacks.
    """
    if fetch_all:
        state.output.many(_kept(iterate(), keep), columns=columns, title=title)
        return
    page = one_page()
    state.output.many(_kept(page.data, keep), columns=columns, title=title)
    hint = _next_page_hint(page)
    if hint:
        state.info(hint)


def _kept(records: Iterable[Any], keep: Callable[[Any], bool] | None) -> Iterable[Any]:
    return records if keep is None else (record for record in records if keep(record))


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


archive_dir = click.option(
    "--to",
    "root",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The archive folder.",
)
"""``--to DIR``: the archive a command reads or writes."""


def overlap_option(default: float, *, behind: str, which: str) -> Callable[[F], F]:
    """``--overlap SECONDS``: how far behind its saved position a run starts reading again, so
    that ``which`` (records) the API ingests late are still seen."""
    return click.option(
        "--overlap",
        type=click.FloatRange(min=0),
        default=default,
        help=f"Seconds re-read behind {behind}, for {which} ingested late.",
    )


def concurrency_option(maximum: int, default: int, help: str) -> Callable[[F], F]:
    """``--concurrency N``: requests a bulk command keeps in flight (1 to ``maximum``)."""
    return click.option(
        "--concurrency", type=click.IntRange(1, maximum), default=default, help=help
    )


def destructive_options(function: F) -> F:
    """``--yes`` and ``--dry-run`` for commands that delete."""
    function = click.option(
        "--dry-run", is_flag=True, help="Show what would be deleted; delete nothing."
    )(function)
    function = click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")(
        function
    )
    return format_option(function)
