"""The one way every ``delete`` command behaves: dry run, confirmation, per-id results."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._errors import APIError
from .app import CliState, describe_api_error, fail
from .output import as_record
from .params import confirm_destruction

__all__ = ["delete_each"]


def delete_each(
    state: CliState,
    *,
    what: str,
    ids: list[str],
    delete: Callable[[str], Any],
    describe: Callable[[str], Any] | None,
    yes: bool,
    dry_run: bool,
) -> None:
    """Delete each id (after confirmation), or with ``dry_run`` show what would be deleted.

    A single id that fails raises its API error (one line, exit 1); with several ids every
    one is attempted, a result row is written per id and the exit status is 1 if any failed.

    Args:
        state: The invocation's state.
        what: Plural noun for messages ("chats").
        ids: The ids named on the command line.
        delete: Deletes one id.
        describe: Fetches one id's record for a dry run (``None`` when the API has no GET).
        yes: Skip the confirmation prompt.
        dry_run: Delete nothing.
    """
    ids = list(dict.fromkeys(ids))  # the same id twice would 404 the second time
    if dry_run:
        _dry_run(state, what, ids, describe)
        return
    confirm_destruction(what, ids, yes=yes)
    if len(ids) == 1:
        delete(ids[0])
        state.output.many([{"id": ids[0], "result": "deleted"}], columns=["id", "result"])
        return
    rows: list[dict[str, Any]] = []
    failures = 0
    for item_id in ids:
        try:
            delete(item_id)
            rows.append({"id": item_id, "result": "deleted"})
        except APIError as error:
            failures += 1
            rows.append({"id": item_id, "result": "failed", "error": describe_api_error(error)})
            state.output.note(f"Error: {item_id}: {describe_api_error(error)}")
    state.output.many(rows, columns=["id", "result", "error"])
    if failures:
        fail(f"{failures} of {len(ids)} {what} could not be deleted")


def _dry_run(
    state: CliState, what: str, ids: list[str], describe: Callable[[str], Any] | None
) -> None:
    if describe is None:
        state.output.many(
            [{"id": item_id, "result": "would delete"} for item_id in ids], columns=["id", "result"]
        )
        state.info(f"dry run: {len(ids)} {what} would be deleted; nothing was deleted")
        return
    found: list[dict[str, Any]] = []
    missing = 0
    for item_id in ids:
        try:
            found.append(dict(as_record(describe(item_id))))
        except APIError as error:
            if len(ids) == 1:
                raise
            missing += 1
            state.output.note(f"Error: {item_id}: {describe_api_error(error)}")
    state.output.many(found, columns=_summary_columns(found))
    state.info(f"dry run: {len(found)} {what} would be deleted; nothing was deleted")
    if missing:
        fail(f"{missing} of {len(ids)} {what} could not be found")


def _summary_columns(records: list[dict[str, Any]]) -> list[str]:
    preferred = [
        "id",
        "name",
        "filename",
        "title",
        "created_at",
        "updated_at",
        "user.email_address",
    ]
    present = {key for record in records for key in record}
    columns = [c for c in preferred if c.split(".")[0] in present]
    return columns or ["id"]
