"""``archive sync|verify|stats|digest``: the incremental archive and its companions.

``archive search|index|serve`` live in :mod:`.archive_workspace`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
from pathlib import Path
from typing import Any

import click

from ..archive.binding import ArchiveMismatchError
from ..archive.blobs import BlobStore
from ..archive.context import Progress, SyncOptions
from ..archive.digest import archive_digest
from ..archive.progress import RichProgress, log_wait
from ..archive.resume import resume_position
from ..archive.store import DATABASE_NAME, ArchiveStore, ForeignDatabaseError
from ..archive.sweeps import DEFAULT_SWEEP, SWEEP_INTERVALS
from ..archive.sync import ArchiveBusyError, RequestCounter, archive_client, sync_archive
from ..archive.verify import flag_for_refetch, verify_archive
from ..common.served import KEPT_RAW
from .activities import EXCLUDE_TYPE
from .app import CliState, command_group, fail, pass_state
from .budget import bulk_budget, bulk_budget_options
from .params import archive_dir, concurrency_option, examples, format_option, overlap_option

__all__ = ["archive", "existing_archive"]

OUTCOMES = ("new", "changed", "unchanged", "returned", "gone", KEPT_RAW)


archive = command_group(
    "archive", "An incremental, resumable archive of everything the key can read."
)


def stderr_is_terminal() -> bool:
    """Progress bars only for a person watching; logs and pipes get the summary alone."""
    return sys.stderr.isatty()


def existing_archive(root: Path) -> ArchiveStore:
    """The archive in ``root`` (``with`` it, to close it); an error if there is none."""
    if not (root / DATABASE_NAME).is_file():
        fail(f"no archive in {root} (run: claude-compliance archive sync --to {root})")
    return ArchiveStore(root)


def _where_sync_starts(root: Path) -> str | None:
    """Where this run starts from: a fresh archive, an interrupted run, or the last one."""
    if not (root / DATABASE_NAME).is_file():
        return None  # a new archive: the summary says what it holds
    store = ArchiveStore(root)
    try:
        runs = store.runs()
        if not runs:
            return None
        number, started, finished, status, _ = runs[-1]
        if status not in ("running", "interrupted", "failed"):
            return f"updating the archive last synced by run {number} (finished {finished})"
        position = resume_position(store, started)
    finally:
        store.close()
    return (
        f"resuming: run {number} (started {started}) did not finish; {position}; what it "
        "committed is kept and only the rest is fetched"
    )


@examples(
    "claude-compliance archive sync --to ./archive",
    "claude-compliance archive sync --to ./archive --exclude-type compliance_api_accessed",
    "claude-compliance --format json archive sync --to ./archive --concurrency 4",
)
@archive.command("sync")
@archive_dir
@concurrency_option(64, 8, "Requests in flight at once (all share the key's rate budget).")
@overlap_option(600.0, behind="saved time cursors", which="records")
@click.option(
    "--sweep",
    type=click.Choice(sorted(SWEEP_INTERVALS)),
    default=DEFAULT_SWEEP,
    help="How often each collection is listed in full to notice deletions the Activity Feed "
    "does not show (such a deletion goes unnoticed at most this long).",
)
@click.option(
    "--max-retries",
    type=click.IntRange(0, 50),
    default=10,
    help="Retries per request for transient failures.",
)
@click.option(
    "--index/--no-index",
    default=True,
    help="Keep the full-text search index in step (archive search, archive serve).",
)
@EXCLUDE_TYPE
@bulk_budget_options
@format_option
@pass_state
def sync_command(
    state: CliState,
    root: Path,
    concurrency: int,
    overlap: float,
    sweep: str,
    max_retries: int,
    index: bool,
    excluded: tuple[str, ...],
    max_rpm: int | None,
    budget_share: float,
) -> None:
    """Bring the archive in --to DIR up to date (a second run fetches only what changed).

    Records go to DIR/archive.sqlite3 (wire JSON plus queryable columns); content to
    DIR/blobs/sha256/ under its SHA-256. A run killed at any point resumes exactly.

    --exclude-type leaves activities of that type out of the archive (e.g. the
    compliance_api_accessed entries every API call adds); deletions made through the API are
    then noticed by the sweeps alone.
    """
    state.require_key()
    options = SyncOptions(
        concurrency=concurrency,
        overlap_seconds=overlap,
        sweep=sweep,
        index=index,
        exclude_types=excluded,
    )
    show_progress = not state.quiet and stderr_is_terminal()
    budget = bulk_budget(max_rpm, budget_share)

    counter = RequestCounter()
    # Each wait for the rate-limit window is shown as it begins: on the progress display, or
    # logged (-v) where none is drawn.
    counter.waits.on_start = log_wait

    async def run() -> Any:
        async with archive_client(
            api_key=state.api_key,
            base_url=state.base_url,
            counter=counter,
            max_retries=max_retries,
            rate_budget=budget,
        ) as client:
            progress_view = RichProgress(state.output.error_console()) if show_progress else None
            if progress_view is not None:
                counter.waits.on_start = progress_view.waiting
            with progress_view or contextlib.nullcontext():
                progress: Progress | None = progress_view
                return await sync_archive(
                    client, root, options=options, progress=progress, counter=counter
                )

    try:
        starts = _where_sync_starts(root)  # refuses a database that is not an archive
        if starts:
            state.info(starts)
        result = asyncio.run(run())
    except (ArchiveBusyError, ArchiveMismatchError, ForeignDatabaseError) as refused:
        fail(str(refused))
    except KeyboardInterrupt:
        # Every unit of work is committed whole, so nothing done so far is lost.
        state.output.note("Interrupted: progress saved; run the same command to resume")
        raise click.exceptions.Exit(130) from None
    stats = result.stats
    if state.output.format in ("json", "jsonl"):
        state.output.one({**stats.as_dict(), "elapsed_seconds": round(result.elapsed, 3)})
    else:
        rows = [
            {"kind": kind, **{outcome: counts.get(outcome, 0) for outcome in OUTCOMES}}
            for kind, counts in sorted(stats.records.items())
        ]
        state.output.many(rows, columns=["kind", *OUTCOMES], title="archive sync")
        state.info(
            f"downloaded {stats.downloads} blobs ({stats.downloaded_bytes} bytes), reused "
            f"{stats.reused}; {stats.requests} requests, {stats.rate_limited} rate-limited "
            f"(retried); {len(stats.errors)} errors; {result.elapsed:.1f}s, "
            + counter.per_minute_figures(result.elapsed)
        )
        per_object = stats.requests_per_object
        state.info(
            f"{stats.archived_objects} objects archived, "
            + (f"{per_object:.2f} requests each" if per_object is not None else "none new")
            + "; requests by endpoint: "
            + ", ".join(f"{name} {count}" for name, count in stats.requests_by_endpoint.items())
        )
    for area, reason in sorted(stats.skipped.items()):
        state.info(f"skipped {area}: {reason}")
    for warning in stats.warnings:
        state.output.note(f"Warning: {warning}")
    for error in stats.errors:
        state.output.note(f"Error: {error}")
    if stats.errors:
        fail(f"{len(stats.errors)} items failed; run archive sync again to retry them")


@examples(
    "claude-compliance archive verify --to ./archive",
    "claude-compliance archive verify --to ./archive --repair  # the next sync refetches them",
)
@archive.command("verify")
@archive_dir
@click.option(
    "--repair",
    is_flag=True,
    help="Remove corrupt blobs and flag their records, so the next sync downloads them again.",
)
@format_option
@pass_state
def verify_command(state: CliState, root: Path, repair: bool) -> None:
    """Re-hash every blob; report missing or corrupt ones (exit 1 if any)."""
    with existing_archive(root) as store:
        blobs = BlobStore(root)
        report = verify_archive(store, blobs)
        flagged = flag_for_refetch(store, blobs, report) if repair and not report.ok else 0
    state.output.one(
        {
            "checked": report.checked,
            "missing": len(report.missing),
            "corrupt": len(report.corrupt),
            "wrong_size": len(report.wrong_size),
            "unreferenced": report.unreferenced,
            "ok": report.ok,
        }
    )
    for sha256 in report.missing:
        state.output.note(f"missing: {sha256}")
    for sha256 in report.corrupt:
        state.output.note(f"corrupt: {sha256}")
    for sha256 in report.wrong_size:
        state.output.note(f"wrong size: {sha256}")
    if flagged:
        state.info(f"{flagged} records flagged: the next archive sync downloads them again")
    if not report.ok:
        bad = len(report.missing) + len(report.corrupt) + len(report.wrong_size)
        fail(f"{bad} of {report.checked} blobs are missing or corrupt")


@examples(
    "claude-compliance archive stats --to ./archive",
    "claude-compliance archive stats --to ./archive --format json",
)
@archive.command("stats")
@archive_dir
@format_option
@pass_state
def stats_command(state: CliState, root: Path) -> None:
    """Records per kind (live and gone), content held, and the last run."""
    with existing_archive(root) as store:
        kinds = store.query(
            "SELECT kind, SUM(gone_at IS NULL), SUM(gone_at IS NOT NULL), "
            "COUNT(blob_sha256) FROM records GROUP BY kind ORDER BY kind"
        )
        blob_count, blob_bytes = store.query("SELECT COUNT(*), COALESCE(SUM(size), 0) FROM blobs")[
            0
        ]
        history = store.query("SELECT COUNT(*) FROM history")[0][0]
        runs = store.runs()
    rows = [
        {"kind": kind, "live": live, "gone": gone, "with_content": blobs}
        for kind, live, gone, blobs in kinds
    ]
    if state.output.format in ("json", "jsonl"):
        last = runs[-1] if runs else None
        state.output.one(
            {
                "kinds": rows,
                "blobs": blob_count,
                "blob_bytes": blob_bytes,
                "history_versions": history,
                "runs": len(runs),
                "last_run": None
                if last is None
                else {
                    "started_at": last[1],
                    "finished_at": last[2],
                    "status": last[3],
                    "summary": json.loads(last[4]) if last[4] else None,
                },
            }
        )
        return
    state.output.many(rows, columns=["kind", "live", "gone", "with_content"], title="archive")
    state.info(f"{blob_count} blobs, {blob_bytes} bytes; {history} replaced versions kept")
    if runs:
        _, started, finished, status, _ = runs[-1]
        state.info(f"{len(runs)} runs; last: {status}, started {started}, finished {finished}")


@examples(
    "claude-compliance archive digest --to ./archive",
    "claude-compliance archive digest --to ./archive > archive.digest",
)
@archive.command("digest")
@archive_dir
@pass_state
def digest_command(state: CliState, root: Path) -> None:
    """One line: a stable hash of the archive's content (no sync times or bookkeeping)."""
    with existing_archive(root) as store:
        state.output.stdout.write(archive_digest(store) + "\n")
