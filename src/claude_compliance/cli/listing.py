"""List and get commands built from one small declaration each.

A :class:`Listing` names the SDK method, the positional ids, the filter options and the table
columns; :func:`add_list` turns it into a command that shows one page (or every page with
``--all``). Options with the same meaning are declared once here (``--org``, ``--user``,
``--since``/``--until``, ``--order``), and the options' destinations are the SDK's keyword
names, so a command body passes them straight through.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import click

from ..common.timestamps import parse_timestamp, shifted
from .app import CliState, pass_state
from .org_ids import ORG_ARGUMENT, resolve_arguments
from .output import as_record
from .params import (
    TIME_FORMS,
    TIMESTAMP,
    UNTIL,
    examples,
    format_option,
    list_options,
    paged,
    time_option,
)
from .people import resolve_users

__all__ = [
    "ORDER",
    "ORG",
    "PROJECT",
    "USER",
    "Getter",
    "Listing",
    "add_all",
    "add_get",
    "add_list",
    "build_list",
    "every_time",
    "select",
    "selection_options",
]

Decorator = Callable[[Any], Any]

ORG: Decorator = click.option(
    "--org",
    "organization_ids",
    multiple=True,
    metavar="ORG",
    help="Organization: org_… id or UUID (repeatable).",
)
USER: Decorator = click.option(
    "--user",
    "user_ids",
    multiple=True,
    metavar="USER",
    help="User: user_… id or email address (repeatable; emails are looked up once per run).",
)
PROJECT: Decorator = click.option(
    "--project", "project_ids", multiple=True, metavar="ID", help="Project id (repeatable)."
)
ORDER: Decorator = click.option(
    "--order", type=click.Choice(["asc", "desc"]), help="Order by creation time."
)
_SINCE: Decorator = click.option(
    "--since", type=TIMESTAMP, metavar="TIME", help=f"From this time on ({TIME_FORMS})."
)
_UNTIL: Decorator = click.option(
    "--until",
    type=UNTIL,
    metavar="TIME",
    help="Up to this time; a date includes that whole day (--until 2026-06-30 includes 30 June).",
)


def every_time(*fields: str) -> tuple[str, ...]:
    """All four time filters (``gte``, ``gt``, ``lte``, ``lt``) of each field."""
    return tuple(f"{field}_{op}" for field in fields for op in ("gte", "gt", "lte", "lt"))


_USER_PARAMS = ("user_ids", "actor_ids")
"""Parameters whose values may be email addresses, resolved to ``user_…`` ids."""


@dataclasses.dataclass(frozen=True)
class Listing:
    """One list command.

    Attributes:
        name: The command's name in its group (``list``, ``attachments``…).
        resource: The client attribute of the SDK resource (``projects``).
        method: The SDK list method (default: ``list`` for the ``list`` command, else
            ``list_<name>``: ``attachments`` lists with ``list_attachments``); its iterator is
            ``iter`` plus the same suffix.
        summary: The first line of ``--help``.
        columns: Dotted paths the table shows (all fields when ``None``).
        arguments: Positional ids, passed to the SDK method in order (``org_uuid``).
        options: Filter options (the shared ones above, or the command's own).
        times: The SDK time filters offered as ``--created-at-gte``… options (none by
            default: most lists cannot filter by time on the server).
        cursor: The list pages with ``after_id``/``before_id`` rather than ``page`` tokens.
        max_limit: The largest page size the endpoint accepts.
        prepare: Turns the options' values into the SDK's keywords where they differ.
        examples: Two or three invocations for ``--help``.
        since_field: The time ``--since``/``--until`` bound: with the server's filters when
            ``times`` has them, otherwise by keeping the records in range.
    """

    name: str
    resource: str
    summary: str
    method: str = ""
    columns: Sequence[str] | None = None
    arguments: tuple[str, ...] = ()
    options: tuple[Decorator, ...] = ()
    times: tuple[str, ...] = ()
    cursor: bool = False
    max_limit: int | None = None
    prepare: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    examples: tuple[str, ...] = ()
    since_field: str = "created_at"

    def __post_init__(self) -> None:
        if not self.method:
            method = "list" if self.name == "list" else "list_" + self.name.replace("-", "_")
            object.__setattr__(self, "method", method)


def _since_until(filters: dict[str, Any], spec: Listing) -> None:
    """``--since``/``--until`` as the server's filters on ``spec.since_field``."""
    since, until = filters.pop("since", None), filters.pop("until", None)
    field = spec.since_field
    until_name = f"{field}_lte" if f"{field}_lte" in spec.times else f"{field}_lt"
    if until is not None and until_name.endswith("_lt"):
        until = shifted(until, 1e-6)  # the end of the day is inclusive; lt needs the next instant
    for value, name, option in ((since, f"{field}_gte", "--since"), (until, until_name, "--until")):
        if value is None:
            continue
        if filters.get(name) is not None:
            flag = "--" + name.replace("_", "-")
            raise click.UsageError(f"{option} and {flag} say the same thing: give one")
        filters[name] = value


def _server_filters_time(spec: Listing) -> bool:
    return f"{spec.since_field}_gte" in spec.times


def sdk_filters(state: CliState, values: Mapping[str, Any], spec: Listing) -> dict[str, Any]:
    """Option values as SDK keywords: repeated options as lists (or ``None``), emails as ids,
    ``--since``/``--until`` as the server's time filters when it has them."""
    filters: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, tuple):
            value = list(value) or None
        if name in _USER_PARAMS and value:
            value = resolve_users(state, value)
        filters[name] = value
    if _server_filters_time(spec):
        _since_until(filters, spec)
    else:  # applied to the records instead (see _between)
        filters.pop("since", None)
        filters.pop("until", None)
    return {name: value for name, value in filters.items() if value is not None}


def _between(field: str, since: str | None, until: str | None) -> Callable[[Any], bool] | None:
    """For lists the API cannot filter by time: keep records whose ``field`` is in range."""
    if since is None and until is None:
        return None
    low = parse_timestamp(since) if since else None
    high = parse_timestamp(until) if until else None

    def keep(item: Any) -> bool:
        value = as_record(item).get(field)
        if not isinstance(value, str):
            return False
        moment = parse_timestamp(value)
        return (low is None or moment >= low) and (high is None or moment <= high)

    return keep


def add_list(group: click.Group, spec: Listing) -> click.Command:
    """Add the list command ``spec`` describes to ``group``."""
    command = build_list(spec)
    group.add_command(command)
    return command


def _query(
    state: CliState, spec: Listing, values: dict[str, Any]
) -> tuple[dict[str, Any], Callable[[Any], bool] | None]:
    """The SDK keywords for the filter options' values, and a record filter for what the
    server cannot filter itself."""
    keep = None
    if not _server_filters_time(spec):
        keep = _between(spec.since_field, values.get("since"), values.get("until"))
    filters = sdk_filters(state, values, spec)
    return (spec.prepare(filters) if spec.prepare else filters), keep


def select(state: CliState, spec: Listing, values: dict[str, Any]) -> list[Any]:
    """Every record of the list ``spec`` (no positional ids) that the filter values select."""
    filters, keep = _query(state, spec, values)
    resource = getattr(state.client(), spec.resource)
    records = getattr(resource, "iter" + spec.method.removeprefix("list"))(**filters)
    return [record for record in records if keep is None or keep(record)]


def selection_options(spec: Listing) -> Callable[[Any], Any]:
    """The filter options of ``spec`` (its own, the time filters, ``--since``/``--until``)."""

    def decorate(function: Any) -> Any:
        for name in reversed(spec.times):
            function = time_option(name)(function)
        function = _SINCE(_UNTIL(function))
        for option in reversed(spec.options):
            function = option(function)
        return function

    return decorate


def build_list(spec: Listing) -> click.Command:
    """The list command ``spec`` describes."""
    iterate_name = "iter" + spec.method.removeprefix("list")

    def command(state: CliState, /, **values: Any) -> None:
        fetch_all = values.pop("fetch_all")
        ids = resolve_arguments(state, spec.arguments, [values.pop(n) for n in spec.arguments])
        start = {k: values.pop(k, None) for k in ("page", "after_id", "before_id")}
        filters, keep = _query(state, spec, values)
        resource = getattr(state.client(), spec.resource)
        cursors = {k: v for k, v in start.items() if v is not None and k != "page"}
        paged(
            state,
            fetch_all=fetch_all,
            iterate=lambda: getattr(resource, iterate_name)(*ids, **cursors, **filters),
            one_page=lambda: getattr(resource, spec.method)(
                *ids, **{k: v for k, v in start.items() if v is not None}, **filters
            ),
            columns=list(spec.columns) if spec.columns else None,
            keep=keep,
        )

    decorated: Any = pass_state(command)
    decorated = list_options(cursor=spec.cursor, max_limit=spec.max_limit)(decorated)
    decorated = selection_options(spec)(decorated)
    for name in reversed(spec.arguments):
        decorated = click.argument(name, metavar=_metavar(name))(decorated)
    built = click.command(spec.name, help=_help(spec.summary, spec.arguments))(decorated)
    return examples(*spec.examples)(built) if spec.examples else built


def _metavar(argument: str) -> str:
    return {"object_id": "ID", ORG_ARGUMENT: "ORG"}.get(argument, argument.upper())


def _help(summary: str, arguments: tuple[str, ...]) -> str:
    if ORG_ARGUMENT in arguments:
        return summary + "\n\nORG is the organization's org_… id or its UUID."
    return summary


@dataclasses.dataclass(frozen=True)
class Getter:
    """One command that shows a single record.

    Attributes:
        name: The command's name in its group (``get``).
        resource: The client attribute of the SDK resource.
        summary: The first line of ``--help``.
        arguments: Positional ids, passed to the SDK method in order.
        method: The SDK method.
        examples: Two or three invocations for ``--help``.
    """

    name: str
    resource: str
    summary: str
    arguments: tuple[str, ...] = ("object_id",)
    method: str = "get"
    examples: tuple[str, ...] = ()


def add_get(group: click.Group, spec: Getter) -> click.Command:
    """Add the command ``spec`` describes to ``group``."""

    def command(state: CliState, /, **values: Any) -> None:
        resource = getattr(state.client(), spec.resource)
        ids = resolve_arguments(state, spec.arguments, [values[n] for n in spec.arguments])
        state.output.one(getattr(resource, spec.method)(*ids))

    decorated: Any = format_option(pass_state(command))
    for name in reversed(spec.arguments):
        decorated = click.argument(name, metavar=_metavar(name))(decorated)
    built = group.command(spec.name, help=_help(spec.summary, spec.arguments))(decorated)
    return examples(*spec.examples)(built) if spec.examples else built


def add_all(group: click.Group, specs: Iterable[Listing | Getter]) -> None:
    """Add every declared command to ``group``."""
    for spec in specs:
        if isinstance(spec, Listing):
            add_list(group, spec)
        else:
            add_get(group, spec)
