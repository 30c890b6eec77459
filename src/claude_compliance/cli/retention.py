"""``retention plan|apply|report|verify-journal``: policy deletions that holds and proof guard."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import click

from .._budget import RateBudget
from ..archive.blobs import BlobStore
from ..archive.sync import ArchiveBusyError, RequestCounter, archive_client, sync_archive
from ..common.files import write_atomically
from ..retention.apply import ApplyStopped, DeleteRequestIds, RetentionBusyError, apply_plan
from ..retention.holds import HoldLogError
from ..retention.journal import DeletionJournal
from ..retention.plan import SUMMARY_COLUMNS, Plan, PlanError, build_plan
from ..retention.policy import Policy, PolicyError
from .app import CliState, command_group, fail, interactive, pass_state
from .budget import bulk_budget, bulk_budget_options
from .holds import archive_book, who
from .params import TIMESTAMP, archive_dir, concurrency_option, examples, format_option

__all__ = ["retention"]

JOURNAL_COLUMNS = ["seq", "at", "outcome", "kind", "id", "rule", "request_id", "organization"]


retention = command_group(
    "retention",
    """Retention policies: plan from the archive, then delete what policy says, never what a
    legal hold protects or what is not safely archived; every deletion journalled.

    \b
    The workflow:
      claude-compliance archive sync --to ./archive
      claude-compliance holds add --to ./archive --user alice@example.com --matter M --reason R
      claude-compliance retention plan --policy retention.toml --to ./archive --out plan.json
      claude-compliance retention apply plan.json --to ./archive --dry-run
      claude-compliance retention apply plan.json --to ./archive
    """,
)


async def _sync(state: CliState, root: Path, budget: RateBudget) -> None:
    async with archive_client(
        api_key=state.api_key, base_url=state.base_url, counter=RequestCounter(), rate_budget=budget
    ) as client:
        result = await sync_archive(client, root)
    if not result.ok:
        fail(f"archive sync had {len(result.stats.errors)} errors; fix them or pass --no-sync")


@examples(
    "claude-compliance retention plan --policy retention.toml --to ./archive --out plan.json",
    "claude-compliance retention plan --policy retention.toml --to ./archive --out plan.json "
    "--no-sync --format json",
)
@retention.command("plan")
@click.option(
    "--policy",
    "policy_path",
    required=True,
    metavar="FILE",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="The retention policy (TOML; see the README).",
)
@archive_dir
@click.option(
    "--out",
    required=True,
    metavar="PLAN.json",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the plan.",
)
@click.option(
    "--sync/--no-sync",
    default=True,
    help="Bring the archive up to date first (needs the API key).",
)
@click.option(
    "--as-of",
    type=TIMESTAMP,
    default=None,
    help="Measure ages from this time (default: the start of the last completed sync).",
)
@bulk_budget_options
@format_option
@pass_state
def plan_command(
    state: CliState,
    policy_path: Path,
    root: Path,
    out: Path,
    sync: bool,
    as_of: str | None,
    max_rpm: int | None,
    budget_share: float,
) -> None:
    """Work out what the policy would delete, and what it keeps and why.

    Reads only the archive (after a fresh archive sync unless --no-sync). An object is listed
    for deletion only if no legal hold covers it and it is safely archived (record present, every
    blob verified against its hash). The plan file is stable (same archive and policy, same
    bytes) and carries its own SHA-256.
    """
    try:
        policy = Policy.load(policy_path)
    except PolicyError as error:
        raise click.BadParameter(str(error), param_hint="--policy") from None
    if sync:
        state.require_key()
        try:
            asyncio.run(_sync(state, root, bulk_budget(max_rpm, budget_share)))
        except ArchiveBusyError as busy:
            fail(str(busy))
    with archive_book(root) as (store, _):
        try:
            plan = build_plan(store, BlobStore(root), policy, as_of=as_of)
        except (PlanError, HoldLogError) as error:
            fail(str(error))
        except ValueError as error:  # a name in the policy the archive does not know
            raise click.BadParameter(str(error), param_hint="--policy") from None
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(out, plan.to_bytes().decode("utf-8"))
    state.output.many(plan.body["summary"], columns=list(SUMMARY_COLUMNS), title="retention plan")
    deleting = len(plan.body["delete"])
    state.info(
        f"{out}: {deleting} objects to delete, {len(plan.body['kept'])} kept "
        f"(ages measured from {plan.body['archive']['as_of']}); plan sha256 {plan.sha256}"
    )


@examples(
    "claude-compliance retention apply plan.json --to ./archive --dry-run",
    "claude-compliance retention apply plan.json --to ./archive --yes",
)
@retention.command("apply")
@click.argument(
    "plan_path", metavar="PLAN.json", type=click.Path(dir_okay=False, exists=True, path_type=Path)
)
@archive_dir
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.option(
    "--dry-run",
    is_flag=True,
    help="Check holds and freshness now and show what would be deleted; delete nothing.",
)
@concurrency_option(16, 4, "Deletions in flight at once (all within the key's rate budget).")
@bulk_budget_options
@format_option
@pass_state
def apply_command(
    state: CliState,
    plan_path: Path,
    root: Path,
    yes: bool,
    dry_run: bool,
    concurrency: int,
    max_rpm: int | None,
    budget_share: float,
) -> None:
    """Carry out a plan: re-check holds and each object's freshness, then delete and journal.

    A hold placed since planning removes its objects from the run; an object changed since it
    was archived is archived again first, and deleted only if the policy still selects it. 404
    counts as already deleted; the first 401/403 stops the run. Killed at any point, the same
    command finishes the plan, deleting and journalling each object once.
    """
    state.require_key()
    try:
        plan = Plan.load(plan_path)
    except PlanError as error:
        fail(str(error))
    count = len(plan.deletions)
    if not dry_run and not yes:
        if not interactive():
            raise click.UsageError(
                f"refusing to delete up to {count} objects without confirmation: pass --yes "
                "(or --dry-run to see what would go)"
            )
        click.confirm(
            f"Permanently delete up to {count} objects under plan {plan.sha256[:12]}? "
            "This cannot be undone.",
            abort=True,
            err=True,
        )

    budget = bulk_budget(max_rpm, budget_share)

    async def run() -> Any:
        requests = DeleteRequestIds()
        async with archive_client(
            api_key=state.api_key, base_url=state.base_url, counter=requests, rate_budget=budget
        ) as client:
            return await apply_plan(
                client,
                root,
                plan,
                by=who(state),
                dry_run=dry_run,
                concurrency=concurrency,
                requests=requests,
                note=state.info,
            )

    with archive_book(root):
        pass  # an archive must exist there
    try:
        report = asyncio.run(run())
    except ApplyStopped as stopped:
        partial = getattr(stopped, "report", None)
        if partial is not None:
            _show_apply(state, partial, dry_run)
        fail(str(stopped))
    except (RetentionBusyError, ArchiveBusyError, HoldLogError) as error:
        fail(str(error))
    _show_apply(state, report, dry_run)
    if report.failed or report.conflicts:
        fail(
            f"{len(report.failed)} failed and {len(report.conflicts)} refused by the API; "
            "run the same command again to retry"
        )


def _show_apply(state: CliState, report: Any, dry_run: bool) -> None:
    state.output.many(
        report.rows(),
        columns=["outcome", "kind", "id", "rule", "reason", "request_id"],
        title="retention apply",
    )
    verb = "would delete" if dry_run else "deleted"
    count = len(report.would_delete) if dry_run else len(report.deleted)
    state.info(
        f"{verb} {count}; already absent {len(report.already_absent)}; skipped "
        f"{len(report.skipped)}; refused {len(report.conflicts)}; failed {len(report.failed)}; "
        f"done in earlier runs {report.previously_done}; {report.requests} requests"
    )


@examples(
    "claude-compliance retention report --to ./archive",
    "claude-compliance retention report --to ./archive --since 2026-11-01 --format jsonl",
)
@retention.command("report")
@archive_dir
@click.option(
    "--since",
    type=TIMESTAMP,
    default=None,
    help="Only deletions at or after this time (7d, 2026-11-01...).",
)
@format_option
@pass_state
def report_command(state: CliState, root: Path, since: str | None) -> None:
    """The deletion journal: every deletion retention made, with request ids and hashes."""
    with archive_book(root) as (store, _):
        journal = DeletionJournal(store)
        entries = journal.entries(since=since)
        head = journal.chain.head()
    state.output.many(entries, columns=JOURNAL_COLUMNS, title="deletion journal")
    state.info(f"{len(entries)} entries; journal head {head}")


@examples(
    "claude-compliance retention verify-journal --to ./archive",
    "claude-compliance retention verify-journal --to ./archive --format json",
)
@retention.command("verify-journal")
@archive_dir
@format_option
@pass_state
def verify_journal_command(state: CliState, root: Path) -> None:
    """Recompute the hash chains of the deletion journal and the legal-hold log (exit 1 if
    either is broken).
    """
    with archive_book(root) as (store, book):
        journal = DeletionJournal(store)
        rows = []
        for name, chain in (("deletions", journal.chain), ("holds", book.chain)):
            checked, broken = chain.verify()
            rows.append(
                {
                    "log": name,
                    "entries": checked if broken is None else f"{checked} verified",
                    "ok": broken is None,
                    "head": chain.head(),
                    "problem": "" if broken is None else f"entry {broken.seq} {broken.reason}",
                }
            )
    state.output.many(
        rows, columns=["log", "entries", "ok", "problem", "head"], title="journal verification"
    )
    bad = [row for row in rows if not row["ok"]]
    if bad:
        fail("; ".join(f"the {row['log']} log is broken: {row['problem']}" for row in bad))
