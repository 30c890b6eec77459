"""One process at a time per folder: an exclusive lock file, released by the OS even on kill -9.

Locking uses POSIX ``flock`` from :mod:`fcntl`, imported only when a lock is taken, so the
package (and every CLI command that needs no lock) still imports where :mod:`fcntl` does not
exist; taking a lock there fails with one clear :class:`LockingUnavailableError`.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from .files import open_private

__all__ = ["LockingUnavailableError", "exclusive_lock"]


class LockingUnavailableError(OSError):
    """This platform has no POSIX file locks, so a job that needs one cannot run safely."""


@contextlib.contextmanager
def exclusive_lock(path: Path, busy: Callable[[], Exception]) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created owner-only if missing) for the block.

    Raises:
        Exception: ``busy()`` when another process holds the lock (never waits).
        LockingUnavailableError: Where :mod:`fcntl` is missing.
    """
    try:
        import fcntl
    except ImportError:
        raise LockingUnavailableError(
            f"cannot lock {path}: this platform has no POSIX file locks (fcntl)"
        ) from None
    fd = open_private(path, os.O_RDWR)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise busy() from None
        yield
    finally:
        os.close(fd)
