"""Where an interrupted ``archive sync`` resumes: what it committed, and the marks each walk
starts from again (the Activity Feed after its newest archived activity, chats and projects
after the newest ``updated_at`` whose page was archived whole...)."""

from __future__ import annotations

import json

from .store import ArchiveStore

__all__ = ["resume_position"]

SHOWN_KINDS = 4
"""Kinds named in the count of committed objects (the most numerous first)."""

_MARKS = {
    "activities": "the Activity Feed after",
    "chats": "chats updated after",
    "projects": "projects updated after",
    "local_sessions": "local sessions updated after",
    "code_artifacts": "code artifacts updated after",
}
"""The walks' checkpoints (the sweep schedule's are not positions), in the order walked."""


def resume_position(store: ArchiveStore, started: str) -> str:
    """``it committed 1,204 objects (chat_message 1,100, chat 80, …); resuming the Activity
    Feed after 2026-11-30T09:12:00Z, chats updated after …`` for a run that began at
    ``started`` (a bookkeeping time) and did not finish."""
    done = store.query(
        "SELECT kind, COUNT(*) FROM records WHERE changed_at >= ?1 OR gone_at >= ?1"
        " GROUP BY kind ORDER BY 2 DESC, 1",
        (started,),
    )
    total = sum(count for _, count in done)
    kinds = ", ".join(f"{kind} {count:,}" for kind, count in done[:SHOWN_KINDS])
    more = ", …" if len(done) > SHOWN_KINDS else ""
    committed = f"it committed {total:,} objects" + (f" ({kinds}{more})" if done else "")
    saved = dict(store.query("SELECT name, value FROM checkpoints"))
    marks = []
    for name, words in _MARKS.items():
        if name in saved:
            value = next(iter(json.loads(saved[name]).values()), None)
            if isinstance(value, str):
                marks.append(f"{words} {value}")
    where = "; resuming " + ", ".join(marks) if marks else "; resuming every area from the start"
    return committed + where
