"""``activities tail``: the Activity Feed as JSON Lines, each activity emitted exactly once.

Each poll reads the feed oldest first from the high-water mark minus an overlap window (the
feed ingests asynchronously, so an activity can appear with a time behind the mark). Activities
already emitted inside that window are recognised by id and skipped.

Order of effects for every batch: write the lines, flush (and fsync a file), *then* save the
checkpoint atomically (temporary file, fsync, rename). A restart therefore never skips an
activity. With ``--out FILE`` it never repeats one either: the checkpoint records how long the
file was, and on start any complete lines written after that — a batch flushed just before a
kill, whose checkpoint never landed — are read back and counted as emitted, while a half-written
last line is cut off (it was never fully emitted).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from .._client import ComplianceClient
from .._errors import APIError, AuthenticationError, PermissionDeniedError, RateLimitError
from ..common.files import open_private, write_atomically
from ..common.origin import api_origin
from ..common.served import record_key
from ..common.timestamps import later, parse_timestamp, shifted

__all__ = ["ActivityTail", "CheckpointMismatchError", "TailCheckpoint"]

logger = logging.getLogger("claude_compliance.tail")

PAGE = 1000


# How far ahead of this machine's clock a checkpoint may be before it is refused.
CLOCK_SKEW_SECONDS = 300.0


class CheckpointMismatchError(ValueError):
    """The checkpoint belongs to another API origin or organization, or is dated in the future;
    resuming from it would skip or mix activities. It was left as it was."""


@dataclasses.dataclass
class TailCheckpoint:
    """Where a tail stands.

    Attributes:
        created_at: The newest ``created_at`` emitted (the high-water mark).
        recent: Ids (with their ``created_at``) emitted inside the overlap window behind the
            mark: the ones a re-read could return again.
        out_offset: Length of the output file right after the last checkpointed batch.
        api_origin: The API origin the activities came from.
        organizations: Organizations (UUIDs) of the activities emitted so far.
    """

    created_at: str | None = None
    recent: dict[str, str] = dataclasses.field(default_factory=dict)
    out_offset: int | None = None
    api_origin: str | None = None
    organizations: set[str] = dataclasses.field(default_factory=set)
    tenant_checked: bool = dataclasses.field(default=False, compare=False)

    @classmethod
    def load(cls, path: Path | None) -> TailCheckpoint:
        """Read a checkpoint file (a missing file is a fresh start)."""
        if path is None or not path.exists():
            return cls()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            checkpoint = cls(
                created_at=data.get("created_at"),
                recent=dict(data.get("recent") or {}),
                out_offset=data.get("out_offset"),
                api_origin=data.get("api_origin"),
                organizations=set(data.get("organizations") or ()),
            )
            mark = parse_timestamp(checkpoint.created_at) if checkpoint.created_at else None
        except (ValueError, AttributeError, TypeError) as error:
            raise ValueError(f"{path} is not a tail checkpoint: {error}") from None
        now = datetime.now(UTC)
        if mark is not None and (mark - now).total_seconds() > CLOCK_SKEW_SECONDS:
            raise CheckpointMismatchError(
                f"{path} is dated {checkpoint.created_at}, in the future: resuming would skip "
                "everything until then; check the clock or remove the checkpoint"
            )
        return checkpoint

    def bind(self, origin: str, path: Path | None) -> None:
        """Tie the checkpoint to ``origin``; refuse one written against another origin."""
        if self.api_origin is not None and self.api_origin != origin:
            raise CheckpointMismatchError(
                f"{path} belongs to {self.api_origin}, not {origin}; use another checkpoint"
            )
        self.api_origin = origin

    def check_organizations(self, activities: list[Any], path: Path | None) -> None:
        """Refuse a resumed checkpoint whose organizations share nothing with the first
        activities read.

        Checked once per run, on the first batch naming an organization: later batches may come
        from other child organizations of the same parent (each batch can hold one
        organization's activities only), which is no sign of another tenant. A run without a
        checkpoint file, or with one that has seen no organization yet, has nothing to check.
        """
        if self.tenant_checked:
            return
        seen = {
            str(a["organization_uuid"])
            for a in activities
            if isinstance(a, dict) and a.get("organization_uuid")
        }
        if path is None or not self.organizations:
            self.tenant_checked = True
            return
        if not seen:
            return
        if not seen & self.organizations:
            raise CheckpointMismatchError(
                f"{path} belongs to another parent organization (none of its organizations "
                "appear in this key's activities); use another checkpoint"
            )
        self.tenant_checked = True

    def save(self, path: Path) -> None:
        """Replace the checkpoint file atomically."""
        body = {
            "version": 1,
            "created_at": self.created_at,
            "recent": dict(sorted(self.recent.items())),
            "out_offset": self.out_offset,
            "api_origin": self.api_origin,
            "organizations": sorted(self.organizations),
        }
        write_atomically(path, json.dumps(body, indent=1) + "\n")

    def remember(self, activity: Any) -> None:
        created = activity.get("created_at") if isinstance(activity, dict) else None
        if isinstance(created, str):
            self.created_at = later(self.created_at, created)
            self.recent[tail_key(activity)] = created
        elif self.created_at:
            # No time of its own (kept raw): remembered at the mark, for the overlap window.
            self.recent[tail_key(activity)] = self.created_at
        if isinstance(activity, dict) and activity.get("organization_uuid"):
            self.organizations.add(str(activity["organization_uuid"]))

    def forget_before(self, overlap_seconds: float) -> None:
        """Drop ids older than the overlap window: no re-read can return them any more."""
        if not self.created_at:
            return
        horizon = parse_timestamp(shifted(self.created_at, -overlap_seconds))
        self.recent = {
            key: created
            for key, created in self.recent.items()
            if parse_timestamp(created) >= horizon
        }


def tail_key(activity: Any) -> str:
    """What identifies an emitted activity: its id, or for one without, its content."""
    return record_key(activity)[0]


def reconcile_output(path: Path, checkpoint: TailCheckpoint) -> int:
    """Account for lines written after the checkpoint's offset; cut a torn last line.

    Returns:
        How many activities were found already emitted.
    """
    if not path.exists():
        checkpoint.out_offset = 0
        return 0
    size = path.stat().st_size
    offset = checkpoint.out_offset or 0
    if offset > size:
        # The file was rotated or truncated by someone else: nothing of ours to account for.
        offset = size
    with path.open("rb") as handle:
        handle.seek(offset)
        tail = handle.read()
    lines = tail.split(b"\n")
    torn = lines.pop()  # whatever follows the last newline: a line cut short by a kill
    found = 0
    for line in lines:
        if not line.strip():
            continue
        try:
            checkpoint.remember(json.loads(line))
            found += 1
        except (ValueError, KeyError, TypeError):
            logger.warning("ignoring a line of %s that is not an activity", path)
    if torn:
        with path.open("r+b") as handle:
            handle.truncate(size - len(torn))
    checkpoint.out_offset = path.stat().st_size
    return found


class ActivityTail:
    """Polls the Activity Feed and writes new activities as JSON Lines.

    Args:
        client: A synchronous client.
        out: Output file path, or ``None`` for ``stream``.
        stream: Where lines go without ``out`` (stdout).
        checkpoint_path: Checkpoint file, or ``None`` to keep position only in memory.
        since: Start here when there is no checkpoint (default: the oldest activity).
        activity_types: Only these types.
        exclude_types: Every type but these.
        overlap_seconds: How far behind the mark each poll re-reads.
        page_size: Activities per request (and so per written batch).
    """

    def __init__(
        self,
        client: ComplianceClient,
        *,
        out: Path | None,
        stream: IO[str],
        checkpoint_path: Path | None,
        since: str | None = None,
        activity_types: Sequence[str] = (),
        exclude_types: Sequence[str] = (),
        overlap_seconds: float = 300.0,
        page_size: int = PAGE,
    ) -> None:
        self.client = client
        self.out = out
        self.stream = stream
        self.checkpoint_path = checkpoint_path
        self.since = since
        self.filters: dict[str, Any] = {
            "activity_types": list(activity_types) or None,
            "exclude_activity_types": list(exclude_types) or None,
        }
        self.overlap_seconds = overlap_seconds
        self.page_size = page_size
        self.checkpoint = TailCheckpoint.load(checkpoint_path)
        self.checkpoint.bind(api_origin(client.base_url), checkpoint_path)
        self.emitted = 0
        self.kept_raw = 0
        """Activities emitted as served although no model could read them."""
        self.recovered = reconcile_output(out, self.checkpoint) if out is not None else 0
        if self.recovered and checkpoint_path is not None:
            self.checkpoint.save(checkpoint_path)

    def _start(self) -> str | None:
        if self.checkpoint.created_at:
            return shifted(self.checkpoint.created_at, -self.overlap_seconds)
        return self.since

    def _emit(self, activities: list[dict[str, Any]]) -> None:
        text = "".join(
            json.dumps(a, ensure_ascii=False, separators=(",", ":")) + "\n" for a in activities
        )
        if self.out is not None:
            with os.fdopen(open_private(self.out, os.O_WRONLY | os.O_APPEND), "ab") as handle:
                handle.write(text.encode("utf-8"))
                handle.flush()
                os.fsync(handle.fileno())
                self.checkpoint.out_offset = handle.tell()
        else:
            self.stream.write(text)
            self.stream.flush()
        for activity in activities:
            self.checkpoint.remember(activity)
        self.checkpoint.forget_before(self.overlap_seconds)
        # Only now, with the lines durably out, may the checkpoint move past them.
        if self.checkpoint_path is not None:
            self.checkpoint.save(self.checkpoint_path)
        self.emitted += len(activities)

    def poll(self) -> int:
        """Read everything new once; returns how many activities were emitted."""
        before = self.emitted
        after: str | None = None
        start = self._start()
        while True:
            page = self.client.activities.list(
                order="asc",
                limit=self.page_size,
                created_at_gte=start,
                after_id=after,
                **self.filters,
            )
            # Every activity as served, including those no model could read (kept raw).
            records = [activity.to_dict() for activity in page.data] + page.unreadable
            fresh = [r for r in records if tail_key(r) not in self.checkpoint.recent]
            if fresh:
                self.checkpoint.check_organizations(fresh, self.checkpoint_path)
                self._emit(fresh)
                self.kept_raw += sum(1 for r in page.unreadable if r in fresh)
            if not page.has_more or not records or not page.last_id:
                return self.emitted - before
            after = page.last_id

    def heartbeat(self, poll: int, new: int) -> str:
        """One line on how the tail is doing: polls, new activities, lag behind now, total."""
        mark = self.checkpoint.created_at
        lag = "nothing yet"
        if mark:
            behind = datetime.now(UTC) - parse_timestamp(mark)
            lag = f"newest {mark}, {behind.total_seconds():.0f}s behind now"
        return f"poll {poll}: {new} new, {self.emitted} written this run; {lag}"

    def follow(
        self,
        interval: float,
        *,
        polls: int | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """Poll forever (or ``polls`` times), ``interval`` seconds apart.

        Transient failures (after the SDK's retries) are logged and the next poll tries again;
        a rate limit is waited out for as long as the server asks, however often, and the poll
        resumes right after; a rejected key or a missing scope stops the tail.
        """
        done = 0
        while polls is None or done < polls:
            wait = interval
            try:
                new = self.poll()
                logger.info("heartbeat: %s", self.heartbeat(done + 1, new))
            except (AuthenticationError, PermissionDeniedError):
                raise
            except RateLimitError as error:
                wait = error.retry_after if error.retry_after is not None else interval
                logger.warning(
                    "rate limited (request-id %s): waiting %.1fs, then polling again",
                    error.request_id,
                    wait,
                )
            except APIError as error:
                logger.warning("poll failed, trying again in %.1fs: %s", interval, error)
            done += 1
            if polls is None or done < polls:
                sleep(wait)
