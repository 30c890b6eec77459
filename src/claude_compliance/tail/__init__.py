"""The SIEM feed tail: the Activity Feed as JSON Lines, each activity emitted exactly once.

It reads the live API and keeps its own checkpoint file; it does not use the archive.
:mod:`~claude_compliance.tail.activity_tail` holds the poll loop and the checkpoint.
"""

from __future__ import annotations

from .activity_tail import ActivityTail, TailCheckpoint

__all__ = ["ActivityTail", "TailCheckpoint"]
