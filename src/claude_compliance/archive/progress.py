"""Progress bars on a terminal: one line per area with counts, elapsed time and ETA."""

from __future__ import annotations

from typing import Self

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from ..common.closing import Closeable

__all__ = ["RichProgress"]

# Areas whose size is unknown until they end show a count without a bar's total.
_OPEN_ENDED = ("activities", "downloads")


class RichProgress(Closeable):
    """Live progress on ``console`` (use as a context manager around the sync: it shows from
    the start of the block and stops at its end).

    Args:
        console: Where to draw (stderr, so stdout stays clean for data).
    """

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.description:<15}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("elapsed"),
            TimeElapsedColumn(),
            TextColumn("eta"),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self._tasks: dict[str, TaskID] = {}

    def _task(self, area: str) -> TaskID:
        task = self._tasks.get(area)
        if task is None:
            total = None if area in _OPEN_ENDED else 0
            task = self._progress.add_task(area, total=total)
            self._tasks[area] = task
        return task

    def add(self, area: str, total: int = 0) -> None:
        task = self._task(area)
        current = self._progress.tasks[self._tasks_index(task)].total
        if current is not None:
            self._progress.update(task, total=current + total)

    def advance(self, area: str, count: int = 1) -> None:
        self._progress.advance(self._task(area), count)

    def _tasks_index(self, task: TaskID) -> int:
        return next(i for i, t in enumerate(self._progress.tasks) if t.id == task)

    def __enter__(self) -> Self:
        self._progress.start()
        return self

    def close(self) -> None:
        """Stop updating the display (what it shows stays on the terminal)."""
        self._progress.stop()
