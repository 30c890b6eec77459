"""Progress on a terminal: one line per area with counts, elapsed time and ETA, and a line
saying when the job waits for the rate-limit window and for how long.

The Compliance API's lists carry no totals, so an area's bar gets a total only once its listing
has ended (:meth:`RichProgress.listed`); until then it shows an honest count of what is done
and found so far. The Activity Feed and downloads are counted without a total.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterable
from typing import Self

from rich.console import Console, RenderableType
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from ..common.closing import Closeable

__all__ = ["RichProgress", "log_wait", "wait_text"]

logger = logging.getLogger("claude_compliance.budget")


def wait_text(seconds: float) -> str:
    """``waiting 12 s for the rate-limit window`` (whole seconds, rounded up)."""
    return f"waiting {max(1, math.ceil(seconds))} s for the rate-limit window"


def log_wait(seconds: float) -> None:
    """Say a wait began where no progress is drawn (logs, pipes; shown with ``-v``)."""
    logger.info("%s", wait_text(seconds))


class _Count(ProgressColumn):
    """``40/120`` once the total is known; ``40/75 found so far`` while the listing goes on;
    a plain count for areas that have no total."""

    def render(self, task: Task) -> Text:
        done = int(task.completed)
        if task.total is not None:
            return Text(f"{done:,}/{int(task.total):,}")
        found = int(task.fields.get("found", 0))
        return Text(f"{done:,}/{found:,} found so far" if found else f"{done:,}")


class _Progress(Progress):
    """Rich's progress table, with the current rate-limit wait (if any) below it."""

    def __init__(self, *columns: ProgressColumn | str, console: Console) -> None:
        self.wait_until = 0.0  # before Rich's set-up, which may draw already
        super().__init__(*columns, console=console, transient=False)

    def get_renderables(self) -> Iterable[RenderableType]:
        yield self.make_tasks_table(self.tasks)
        left = self.wait_until - time.monotonic()
        if left > 0:
            yield Text(wait_text(left), style="yellow")


class RichProgress(Closeable):
    """Live progress on ``console`` (use as a context manager around the sync: it shows from
    the start of the block and stops at its end).

    Args:
        console: Where to draw (stderr, so stdout stays clean for data).
    """

    def __init__(self, console: Console) -> None:
        self._progress = _Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.description:<15}"),
            BarColumn(),
            _Count(),
            TextColumn("elapsed"),
            TimeElapsedColumn(),
            TextColumn("eta"),
            TimeRemainingColumn(),
            console=console,
        )
        self._tasks: dict[str, TaskID] = {}
        self._found: dict[str, int] = {}
        self._listed: set[str] = set()

    def _task(self, area: str) -> TaskID:
        task = self._tasks.get(area)
        if task is None:
            task = self._progress.add_task(area, total=None, found=0)
            self._tasks[area] = task
        return task

    def add(self, area: str, total: int = 0) -> None:
        """``total`` more units of ``area`` are known (counted as found so far until the
        area's listing has ended)."""
        self._found[area] = self._found.get(area, 0) + total
        self._show(area)

    def listed(self, area: str) -> None:
        """The listing of ``area`` has ended: what was found is its total."""
        self._listed.add(area)
        self._show(area)

    def _show(self, area: str) -> None:
        found = self._found.get(area, 0)
        total = found if area in self._listed else None
        self._progress.update(self._task(area), total=total, found=found)

    def advance(self, area: str, count: int = 1) -> None:
        self._progress.advance(self._task(area), count)

    def waiting(self, seconds: float) -> None:
        """A wait for the rate-limit window began: show it, counting down, until it ends."""
        self._progress.wait_until = max(self._progress.wait_until, time.monotonic() + seconds)
        self._progress.refresh()

    def __enter__(self) -> Self:
        self._progress.start()
        return self

    def close(self) -> None:
        """Stop updating the display (what it shows stays on the terminal)."""
        self._progress.stop()
