"""The request-budget options of the bulk commands (archive sync, exports, retention).

Bulk commands take what interactive commands and the feed tail leave of the organisation's
per-minute budget, and by default stop at 90% of it so other tools on the organisation keep room.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from .._budget import DEFAULT_BULK_SHARE, RateBudget

__all__ = ["bulk_budget", "bulk_budget_options", "interactive_budget"]

F = TypeVar("F", bound=Callable[..., Any])


def bulk_budget_options(command: F) -> F:
    """``--max-rpm N`` and ``--budget-share F`` for a bulk command."""
    command = click.option(
        "--budget-share",
        type=click.FloatRange(0.0, 1.0, min_open=True),
        default=DEFAULT_BULK_SHARE,
        help="Stop sending once the organisation's requests this minute reach this share of "
        "its budget (every job on this machine counts; interactive commands and the feed "
        "tail may use the rest).",
    )(command)
    return click.option(
        "--max-rpm",
        type=click.IntRange(min=1),
        help="Cap on this command's own requests per minute.",
    )(command)


def _job() -> str:
    context = click.get_current_context(silent=True)
    return context.command_path if context is not None else "claude-compliance"


def bulk_budget(max_rpm: int | None, budget_share: float) -> RateBudget:
    """The budget of a bulk command, named after it in ``-v`` reports."""
    return RateBudget(share=budget_share, max_rpm=max_rpm, priority="bulk", job=_job())


def interactive_budget() -> RateBudget:
    """The budget of a command someone waits on (and of the feed tail)."""
    return RateBudget(priority="interactive", job=_job())
