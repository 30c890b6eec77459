"""Every ``delete`` command, built from one declaration each, behaving one way.

What goes is chosen by ids (``-`` reads them from stdin, one per line) or, where the group has
a list, by a selection (``chats delete --user alice@example.com --until 2026-06-30``). The
table ``--dry-run`` shows is shown before asking; more than ten objects are confirmed by
typing their count. An object already gone counts as done; the first scope or key error stops
the run with one message; ``--receipt FILE`` appends one JSON line per object deleted.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from .._errors import APIError, AuthenticationError, NotFoundError, PermissionDeniedError
from ..common.timestamps import rfc3339
from .app import CliState, describe_api_error, fail, interactive, pass_state
from .listing import Listing, select, selection_options
from .output import Output, as_record
from .params import destructive_options, examples

__all__ = ["Deleter", "add_delete", "confirm_count"]

TYPE_THE_COUNT_ABOVE = 10
"""More objects than this are confirmed by typing how many, not by answering y."""

SUMMARY_COLUMNS = ["id", "name", "filename", "title", "created_at", "updated_at"]
SUMMARY_COLUMNS.append("user.email_address")


@dataclasses.dataclass(frozen=True)
class Deleter:
    """One ``delete`` command.

    Attributes:
        resource: The client attribute of the SDK resource (``chats``).
        noun: Plural noun for help and messages (``chats``).
        summary: The first line of ``--help``.
        describe: Fetches one record for the table shown before deleting (``None`` when the
            API has no way to read one); gets the resource.
        selection: A list whose filters may select what to delete instead of ids.
        examples: Two or three invocations for ``--help``.
    """

    resource: str
    noun: str
    summary: str
    describe: Callable[[Any], Callable[[str], Any]] | None = lambda resource: resource.get
    selection: Listing | None = None
    examples: tuple[str, ...] = ()


def _read_ids(given: Iterable[str]) -> list[str]:
    ids: list[str] = []
    for value in given:
        if value == "-":
            lines = (line.strip() for line in sys.stdin)
            ids.extend(line for line in lines if line and not line.startswith("#"))
        else:
            ids.append(value)
    return list(dict.fromkeys(ids))  # the same id twice would 404 the second time


def confirm_count(state: CliState, noun: str, count: int, *, yes: bool) -> None:
    """Ask before deleting ``count`` objects (the table is already on screen), or refuse when
    nobody can answer and ``yes`` is false.

    Raises:
        click.UsageError: When stdin is not a terminal and ``yes`` is false.
        click.Abort: When the person declines or types another number.
    """
    if yes:
        return
    if not interactive():
        raise click.UsageError(
            f"refusing to delete {count} {noun} without confirmation: pass --yes "
            "(or --dry-run to see what would go)"
        )
    question = f"Permanently delete these {count} {noun}? This cannot be undone."
    if count <= TYPE_THE_COUNT_ABOVE:
        click.confirm(question, abort=True, err=True)
        return
    typed = click.prompt(f"{question}\nType {count} to go ahead", default="", err=True)
    if typed.strip() != str(count):
        raise click.Abort()


class _Receipt:
    """JSON Lines appended as each deletion is confirmed by the server."""

    def __init__(self, path: Path | None, reason: str | None) -> None:
        self._file = path.open("a", encoding="utf-8") if path else None
        self._reason = reason

    def write(self, object_id: str, result: str, request_id: str | None) -> None:
        if self._file is None:
            return
        line = {
            "time": rfc3339(datetime.now(UTC)),
            "id": object_id,
            "result": result,
            "request_id": request_id,
            "reason": self._reason,
        }
        self._file.write(json.dumps(line, ensure_ascii=False) + "\n")
        self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


def _shown(
    state: CliState, spec: Deleter, ids: list[str], found: dict[str, Any], *, strict: bool
) -> list[Any]:
    """The records the table shows: from the selection, or described one by one.

    Args:
        strict: An id that cannot be found fails the command (a dry run's answer); otherwise
            it is shown as not found (deleting it will count it as already gone).
    """
    resource = getattr(state.client(), spec.resource)
    describe = spec.describe(resource) if spec.describe else None
    rows: list[Any] = []
    missing = 0
    for object_id in ids:
        if object_id in found:
            rows.append(dict(as_record(found[object_id])))
        elif describe is None:
            rows.append({"id": object_id, "result": "would delete"})
        else:
            try:
                rows.append(dict(as_record(describe(object_id))))
            except NotFoundError as error:
                missing += 1
                state.output.note(f"Error: {object_id}: {describe_api_error(error)}")
                rows.append({"id": object_id, "name": "(not found)"})
    if strict and missing:
        fail(f"{missing} of {len(ids)} {spec.noun} could not be found")
    return rows


def _columns(rows: list[Any]) -> list[str]:
    present = {key for row in rows for key in row}
    return [c for c in SUMMARY_COLUMNS if c.split(".")[0] in present] or ["id", "result"]


def _delete_all(state: CliState, spec: Deleter, ids: list[str], receipt: _Receipt) -> None:
    delete = getattr(state.client(), spec.resource).delete
    rows: list[dict[str, Any]] = []
    failures = 0
    stopped: str | None = None
    for object_id in ids:
        state.last_request_id = None
        try:
            delete(object_id)
            result = "deleted"
        except NotFoundError:
            result = "already gone"
        except (PermissionDeniedError, AuthenticationError) as error:
            stopped = describe_api_error(error)
            break
        except APIError as error:
            failures += 1
            rows.append({"id": object_id, "result": "failed", "error": describe_api_error(error)})
            state.output.note(f"Error: {object_id}: {describe_api_error(error)}")
            continue
        rows.append({"id": object_id, "result": result})
        receipt.write(object_id, result, state.last_request_id)
    state.output.many(rows, columns=["id", "result", "error"] if failures else ["id", "result"])
    if stopped:
        fail(f"stopped after {len(rows)} of {len(ids)} {spec.noun}: {stopped}")
    if failures:
        fail(f"{failures} of {len(ids)} {spec.noun} could not be deleted")


def add_delete(group: click.Group, spec: Deleter) -> click.Command:
    """Add the ``delete`` command ``spec`` describes to ``group``."""

    def command(
        state: CliState,
        /,
        object_ids: tuple[str, ...],
        yes: bool,
        dry_run: bool,
        receipt: Path | None,
        reason: str | None,
        **values: Any,
    ) -> None:
        ids = _read_ids(object_ids)
        found: dict[str, Any] = {}
        if spec.selection and any(v not in (None, (), False) for v in values.values()):
            found = {as_record(r)["id"]: r for r in select(state, spec.selection, values)}
            ids = list(dict.fromkeys([*ids, *found]))
        elif not object_ids:
            how = " or a selection (see --help)" if spec.selection else ""
            raise click.UsageError(f"name the {spec.noun} to delete: ids, - for stdin{how}")
        if not ids:
            state.info(f"nothing selected: no {spec.noun} were deleted")
            return
        if dry_run:
            rows = _shown(state, spec, ids, found, strict=True)
            state.output.many(rows, columns=_columns(rows))
            state.info(f"dry run: {len(ids)} {spec.noun} would be deleted; nothing was deleted")
            return
        if not yes and interactive():  # the same table as --dry-run, before asking
            rows = _shown(state, spec, ids, found, strict=False)
            Output("table", stdout=state.output.stderr).many(rows, columns=_columns(rows))
        confirm_count(state, spec.noun, len(ids), yes=yes)
        sink = _Receipt(receipt, reason)
        try:
            _delete_all(state, spec, ids, sink)
        finally:
            sink.close()

    decorated: Any = pass_state(command)
    decorated = click.option(
        "--reason", help="Why, recorded in the receipt (a ticket or matter number)."
    )(decorated)
    decorated = click.option(
        "--receipt",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Append one JSON line per deleted object (time, id, result, request id, reason).",
    )(decorated)
    decorated = destructive_options(decorated)
    if spec.selection:
        decorated = selection_options(spec.selection)(decorated)
    decorated = click.argument("object_ids", nargs=-1, metavar="[ID|-]...")(decorated)
    help_text = spec.summary + " IDs come as arguments, or one per line on stdin with -."
    built = group.command("delete", help=help_text)(decorated)
    return examples(*spec.examples)(built) if spec.examples else built
