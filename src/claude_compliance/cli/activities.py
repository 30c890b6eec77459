"""``activities list|tail``: the Activity Feed."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ..tail import ActivityTail, TailCheckpoint
from .app import CliState, command_group, pass_state
from .listing import ORDER, ORG, USER, Listing, add_list, every_time
from .params import TIMESTAMP, examples, overlap_option

__all__ = ["EXCLUDE_TYPE", "activities"]

ACTIVITY_COLUMNS = ["id", "created_at", "type", "actor.type", "actor.email_address"]


def _type_filters(types: tuple[str, ...], excluded: tuple[str, ...]) -> dict[str, Any]:
    if types and excluded:
        raise click.UsageError("--type and --exclude-type cannot be combined")
    return {"activity_types": list(types) or None, "exclude_activity_types": list(excluded) or None}


TYPE = click.option("--type", "types", multiple=True, help="Only this activity type (repeatable).")
EXCLUDE_TYPE = click.option(
    "--exclude-type", "excluded", multiple=True, help="Skip this activity type (repeatable)."
)
"""``--exclude-type TYPE``: also taken by ``archive sync``, with the same meaning."""
type_options = [TYPE, EXCLUDE_TYPE]


activities = command_group("activities", "The Activity Feed: list it, or tail it as JSON Lines.")


def _activity_filters(filters: dict[str, Any]) -> dict[str, Any]:
    types, excluded = filters.pop("types", None) or (), filters.pop("excluded", None) or ()
    return {**filters, **_type_filters(tuple(types), tuple(excluded))}


add_list(
    activities,
    Listing(
        "list",
        "activities",
        "List activities (newest first unless --order asc).",
        columns=ACTIVITY_COLUMNS,
        options=(*type_options, USER, ORG, ORDER),
        times=every_time("created_at"),
        cursor=True,
        max_limit=5000,
        prepare=_activity_filters,
        examples=(
            "claude-compliance activities list --since 12h",
            "claude-compliance activities list --user alice@example.com --since 7d --all",
            "claude-compliance activities list --exclude-type compliance_api_accessed",
        ),
    ),
)


@examples(
    "claude-compliance activities tail --follow --checkpoint feed.ckpt --out activities.jsonl",
    "claude-compliance activities tail --since 7d --exclude-type compliance_api_accessed",
    "claude-compliance -v activities tail -f --checkpoint feed.ckpt --out feed.jsonl  # heartbeat",
)
@activities.command("tail")
@TYPE
@EXCLUDE_TYPE
@click.option("--since", type=TIMESTAMP, help="Start here when there is no checkpoint yet.")
@click.option(
    "--checkpoint",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Position file: read at start, saved (atomically) after each batch is written.",
)
@click.option(
    "--out",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Append to this file (fsynced) instead of stdout.",
)
@click.option("--follow", "-f", is_flag=True, help="Keep polling for new activities.")
@click.option(
    "--interval",
    type=click.FloatRange(min=0.05),
    default=30.0,
    help="Seconds between polls with --follow.",
)
@overlap_option(300.0, behind="the newest activity", which="ones")
@click.option("--polls", type=click.IntRange(min=1), hidden=True, help="Stop after N polls.")
@click.option(
    "--page-size",
    type=click.IntRange(1, 5000),
    default=1000,
    help="Activities per request (each page is written and checkpointed as one batch).",
)
@pass_state
def tail_activities(
    state: CliState,
    types: tuple[str, ...],
    excluded: tuple[str, ...],
    since: str | None,
    checkpoint: Path | None,
    out: Path | None,
    follow: bool,
    interval: float,
    overlap: float,
    polls: int | None,
    page_size: int,
) -> None:
    """Write activities as JSON Lines, oldest first, each exactly once across restarts.

    Without a checkpoint (or --since) the tail starts at the oldest activity.
    """
    filters = _type_filters(types, excluded)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        _warn_if_shorter(state, out, TailCheckpoint.load(checkpoint))
    tail = ActivityTail(
        state.client(),
        out=out,
        stream=sys.stdout,
        checkpoint_path=checkpoint,
        since=since,
        activity_types=filters["activity_types"] or (),
        exclude_types=filters["exclude_activity_types"] or (),
        overlap_seconds=overlap,
        page_size=page_size,
    )
    if tail.recovered:
        state.info(f"{tail.recovered} activities written before the last stop were kept")
    state.info(_where_it_starts(tail, checkpoint, out, since))
    try:
        if follow:
            tail.follow(interval, polls=polls)
        else:
            tail.poll()
    except KeyboardInterrupt:
        pass
    kept_raw = f" ({tail.kept_raw} kept raw: no model could read them)" if tail.kept_raw else ""
    state.info(f"{tail.emitted} activities written{kept_raw}")


def _warn_if_shorter(state: CliState, out: Path, checkpoint: TailCheckpoint) -> None:
    size = out.stat().st_size if out.exists() else 0
    if checkpoint.out_offset and size < checkpoint.out_offset:
        state.output.note(
            f"Warning: {out} holds {size:,} bytes but the checkpoint says "
            f"{checkpoint.out_offset:,} were written: it was truncated, rotated or replaced; "
            "the tail goes on appending"
        )


def _where_it_starts(
    tail: ActivityTail, checkpoint: Path | None, out: Path | None, since: str | None
) -> str:
    mark = tail.checkpoint.created_at
    if mark is None:
        return f"starting at {since}" if since else "starting at the oldest activity"
    newest = max(tail.checkpoint.recent.items(), key=lambda item: item[1], default=(None, mark))
    after = newest[0] if newest[0] and newest[1] == mark else mark
    written = ""
    if out is not None and out.exists():
        with out.open("rb") as handle:
            lines = sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))
        written = f"; {lines:,} written so far to {out}"
    return f"resuming after {after} from {checkpoint}{written}"
