"""Run the claude-compliance CLI with a crash point injected from outside the library.

    python tests/crash_points.py archive-commit N ARGS...   SIGKILL right after the Nth
                                                            committed archive transaction
    python tests/crash_points.py tail-checkpoint N ARGS...  SIGKILL as the tail is about to save
                                                            its Nth checkpoint: that batch is
                                                            written and flushed, its checkpoint
                                                            not saved (the worst moment to die)

The kill/resume tests run this in a subprocess; the library itself carries no test hooks.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from claude_compliance.archive.store import ArchiveStore
from claude_compliance.cli import cli
from claude_compliance.tail.activity_tail import TailCheckpoint

SCRIPT = Path(__file__)


def _kill_on_call(count: int) -> Callable[[], None]:
    calls = 0

    def tick() -> None:
        nonlocal calls
        calls += 1
        if calls >= count:
            os.kill(os.getpid(), signal.SIGKILL)

    return tick


def _after_archive_commits(count: int) -> None:
    tick = _kill_on_call(count)
    transaction = ArchiveStore.transaction
    depth = 0

    @contextlib.contextmanager
    def counted(self: ArchiveStore) -> Iterator[None]:
        nonlocal depth
        depth += 1
        try:
            with transaction(self):
                yield
        finally:
            depth -= 1
        if depth == 0:  # the outermost block committed (an error skips this line)
            tick()

    ArchiveStore.transaction = counted  # type: ignore[method-assign]


def _before_tail_checkpoints(count: int) -> None:
    tick = _kill_on_call(count)
    save = TailCheckpoint.save

    def counted(self: TailCheckpoint, path: Path) -> Any:
        tick()
        return save(self, path)

    TailCheckpoint.save = counted  # type: ignore[method-assign]


POINTS = {"archive-commit": _after_archive_commits, "tail-checkpoint": _before_tail_checkpoints}

if __name__ == "__main__":
    point, count, *args = sys.argv[1:]
    POINTS[point](int(count))
    cli.main(args, prog_name="claude-compliance")
