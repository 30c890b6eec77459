"""One request budget shared by every job of this toolkit on one machine.

The Compliance API's budget (600 requests a minute) belongs to the parent organisation, not to a
key or a process: an archive sync that paces itself to the whole budget leaves nothing for the
feed tail running beside it. So clients pointed at the same API origin (and organisation label)
draw from one small SQLite file in the user's cache folder, a fixed-window counter that follows
the server's own window:

- every request is counted when it is granted, under the job that sent it;
- the server's ``anthropic-ratelimit-requests-*`` headers tell the window's end and the requests
  the server counted; what it counted beyond the requests our jobs saw answered is spent by
  someone else (another machine, another tool) and is subtracted too;
- *interactive* jobs (commands a person waits for, the feed tail) may fill the window; *bulk*
  jobs (archive sync, exports, retention) stop at their share of it (90% by default), so the
  tail and other tools on the organisation always find room; a bulk job can also cap its own
  requests per minute;
- an interactive job held back by a full window marks itself as waiting, and bulk jobs let it go
  first when the window refills. That mark is a lease with an expiry, renewed while the job
  lives, so a process killed while waiting never holds the others back.

A killed process leaves nothing else behind: SQLite's locks die with it, and the requests it
already sent were spent. With no usable cache folder a client falls back to pacing on its own
(`RateLimitPacer`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import secrets
import sqlite3
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Literal

__all__ = ["RateBudget", "SharedBudget", "budget_path", "open_shared_budget"]

logger = logging.getLogger("claude_compliance.budget")

Priority = Literal["interactive", "bulk"]

CACHE_DIR_VARIABLE = "CLAUDE_COMPLIANCE_CACHE_DIR"
DEFAULT_WINDOW_S = 60.0
DEFAULT_BULK_SHARE = 0.9
LEASE_S = 30.0
"""How long a job's registration lives without a request or a renewal."""
WAIT_GRACE_S = 2.0
"""A waiting mark outlives the wake-up it announces by this much, then it no longer counts."""
BOUNDARY_GUARD_S = 0.05
"""Hold the first requests of a window this long after its end as announced: a request that
reached the server just before the boundary would be counted in the old window, one sent just
after it must not be."""
EDGE_S = 0.5
"""A request granted this close to a window's end may reach the server after it, and be counted
in the next window: it is counted in both."""
MAX_BLOCK = 16
"""A busy job counts up to this many requests (and at most 2% of the budget) in one write."""
PROBE_S = 2.0
"""Before any job has learned the budget, one request goes first and the others wait for its
answer this long at most (the answer may never come: the prober can die)."""
HISTORY_WINDOWS = 120

_SCHEMA = """
CREATE TABLE IF NOT EXISTS budget (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    request_limit INTEGER,
    window_s REAL NOT NULL,
    reset_at REAL,
    server_reset REAL,
    answered INTEGER NOT NULL DEFAULT 0,
    outside INTEGER NOT NULL DEFAULT 0,
    blocked_until REAL NOT NULL DEFAULT 0,
    probe_until REAL NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS spend (
    window_end REAL NOT NULL,
    job TEXT NOT NULL,
    name TEXT NOT NULL,
    used INTEGER NOT NULL,
    PRIMARY KEY (window_end, job)
);
CREATE TABLE IF NOT EXISTS leases (
    job TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    priority TEXT NOT NULL,
    expires_at REAL NOT NULL,
    waiting INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS history (
    window_end REAL PRIMARY KEY,
    request_limit INTEGER,
    outside INTEGER NOT NULL
);
"""


@dataclasses.dataclass(frozen=True)
class RateBudget:
    """How a client draws on the request budget it shares with other jobs on this machine.

    Attributes:
        share: Fraction of the organisation's per-minute budget beyond which this client stops
            sending until the window refills (requests of every job count, and of other tools
            as far as the server's headers reveal them). Default: the whole budget for
            interactive clients, 0.9 for bulk ones (leaving 10% for other tools).
        max_rpm: Cap on this client's own requests per minute, if any.
        priority: ``"interactive"`` (a person or a live feed waits on it) or ``"bulk"`` (takes
            what interactive jobs leave, and lets a waiting one go first).
        job: The name shown for this client in ``-v`` budget reports (default: the program).
        organization: A label for the parent organisation. Jobs share a budget when they use the
            same API origin and label; give different labels to keys of different organisations
            on one machine, or they split one budget between them.
        shared: Draw on the machine-wide budget; ``False`` paces this client on its own.
    """

    share: float | None = None
    max_rpm: int | None = None
    priority: Priority = "interactive"
    job: str | None = None
    organization: str = ""
    shared: bool = True

    def __post_init__(self) -> None:
        if self.share is not None and not 0.0 < self.share <= 1.0:
            raise ValueError(f"share must be in (0, 1], got {self.share}")
        if self.max_rpm is not None and self.max_rpm < 1:
            raise ValueError(f"max_rpm must be at least 1, got {self.max_rpm}")
        if self.priority not in ("interactive", "bulk"):
            raise ValueError(f'priority must be "interactive" or "bulk", got {self.priority!r}')

    @property
    def effective_share(self) -> float:
        if self.share is not None:
            return self.share
        return DEFAULT_BULK_SHARE if self.priority == "bulk" else 1.0


def cache_dir() -> Path:
    """The folder the budget files live in (``CLAUDE_COMPLIANCE_CACHE_DIR`` overrides it)."""
    explicit = os.environ.get(CACHE_DIR_VARIABLE)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "claude-compliance"


def budget_path(origin: str, organization: str = "") -> Path:
    """The budget file for an API origin and organisation label."""
    digest = hashlib.sha256(f"{origin.rstrip('/')}\0{organization}".encode()).hexdigest()
    return cache_dir() / f"rate-budget-{digest[:20]}.sqlite3"


def _default_job_name() -> str:
    program = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python"
    return program or "python"


class SharedBudget:
    """One job's handle on the machine-wide budget file (thread-safe; one per client).

    `acquire` grants a request or says how long to wait; `observe` and `exhausted_until` feed
    what the server said. Server observations are kept in memory and written with the next
    grant; a busy job counts a small block of requests at once and sends them from memory, so
    the file is written once per block, not per request.
    """

    def __init__(
        self,
        path: Path,
        config: RateBudget,
        *,
        clock: Callable[[], float] = time.time,
        lease_s: float = LEASE_S,
    ) -> None:
        self.path = path
        self.config = config
        self.share = config.effective_share
        self.priority = config.priority
        self.name = f"{config.job or _default_job_name()} [pid {os.getpid()}]"
        self.job = f"{os.getpid()}-{secrets.token_hex(4)}"
        self.clock = clock
        self.lease_s = lease_s
        self._lock = threading.Lock()
        self._answered = 0
        self._latest: tuple[int, int, float] | None = None  # limit, remaining, reset_at
        self._blocked_until = 0.0
        self._reported_window: float | None = None
        self._written_end: float | None = None
        self._unlimited = False
        self._block = 0  # requests counted in the file and not yet sent
        self._block_end = 0.0
        self._block_size = 1
        self._block_taken_at = -1e9
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._db = sqlite3.connect(
            path, timeout=10.0, isolation_level=None, check_same_thread=False
        )
        try:
            os.chmod(path, 0o600)
            self._db.execute("PRAGMA busy_timeout = 10000")
            self._db.execute("PRAGMA journal_mode = WAL")
            # Advisory counts: losing the last writes to a power cut costs nothing.
            self._db.execute("PRAGMA synchronous = OFF")
            self._db.executescript(_SCHEMA)
            with self._transaction() as db:
                db.execute(
                    "INSERT OR IGNORE INTO budget (id, window_s) VALUES (1, ?)", (DEFAULT_WINDOW_S,)
                )
                self._renew(db, self.clock(), waiting=False)
        except BaseException:
            self._db.close()
            raise

    # -- the transaction ---------------------------------------------------------------------

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)

    def _renew(
        self, db: sqlite3.Connection, now: float, *, waiting: bool, until: float = 0.0
    ) -> None:
        # A waiting mark counts only until just after the wake-up it announces: a job killed
        # while waiting stops holding bulk jobs back then.
        expires = until + WAIT_GRACE_S if waiting else now + self.lease_s
        db.execute(
            "INSERT INTO leases (job, name, priority, expires_at, waiting) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (job) DO UPDATE SET expires_at = excluded.expires_at,"
            " waiting = excluded.waiting",
            (self.job, self.name, self.priority, expires, int(waiting)),
        )

    # -- granting ------------------------------------------------------------------------------

    def acquire(self) -> float:
        """Count one request and return 0, or return how long to wait before asking again."""
        with self._lock:
            now = self.clock()
            if now < self._blocked_until:
                return self._blocked_until - now
            if self._block > 0 and now < self._block_end - EDGE_S:
                self._block -= 1  # already counted in the file when the block was taken
                return 0.0
            self._block = 0
            answered, latest = self._answered, self._latest
            self._answered, self._latest = 0, None
            with self._transaction() as db:
                self._roll(db, now)
                self._apply(db, answered, latest, now)
                delay, reset_at = self._decide(db, now)
            if reset_at is not None:
                self._report(reset_at)
            return delay

    def _roll(self, db: sqlite3.Connection, now: float) -> None:
        """Move to the next window once the clock passes the current one's end."""
        reset_at, window_s = db.execute(
            "SELECT reset_at, window_s FROM budget WHERE id = 1"
        ).fetchone()
        if reset_at is None or now < reset_at + BOUNDARY_GUARD_S:
            return
        self._close_window(db)
        steps = int((now - reset_at) // window_s) + 1
        next_end = round(reset_at + steps * window_s, 1)
        db.execute("UPDATE budget SET reset_at = ? WHERE id = 1", (next_end,))

    def _apply(
        self,
        db: sqlite3.Connection,
        answered: int,
        latest: tuple[int, int, float] | None,
        now: float,
    ) -> None:
        """Write what the server said since this job's last grant."""
        reset_at, window_s, total, server_reset = db.execute(
            "SELECT reset_at, window_s, answered, server_reset FROM budget WHERE id = 1"
        ).fetchone()
        if latest is None or latest[2] <= now:
            # No headers, or a late answer from a window that is over: only the count moves.
            if answered:
                db.execute("UPDATE budget SET answered = answered + ? WHERE id = 1", (answered,))
            if self._unlimited:
                # The server announces no budget (0 = none known, so nobody waits for one).
                db.execute(
                    "UPDATE budget SET request_limit = 0 WHERE id = 1 AND request_limit IS NULL"
                )
            return
        limit, remaining, end = latest
        counted_ahead = round((reset_at or 0.0) + window_s, 1)  # where edge requests went
        if server_reset is not None and end - server_reset >= 1.0:
            # Two window ends the server announced: the step between them is the window's length
            # (or a multiple of it, when windows passed unseen: keep the smallest).
            window_s = min(window_s, round(end - server_reset, 1))
        if reset_at is not None and now >= reset_at and end > reset_at + 0.5:
            # Our window is over by the clock but was not rolled yet (the boundary guard): roll
            # it now; requests counted at its edge for the next window are in that window.
            self._close_window(db)
            total = 0
            self._move_spend(db, (counted_ahead,), end)
        elif reset_at is None or abs(end - reset_at) > 0.5:
            # The server counts in a window other than the one we guessed from the clock (or we
            # knew none yet): what we counted since then belongs to the server's window.
            self._move_spend(db, (reset_at if reset_at is not None else 0.0, 0.0), end)
        total += answered
        outside = max(0, (limit - remaining) - total)
        db.execute(
            "UPDATE budget SET request_limit = ?, window_s = ?, reset_at = ?, server_reset = ?,"
            " answered = ?, outside = ? WHERE id = 1",
            (limit, window_s, end, max(end, server_reset or 0.0), total, outside),
        )

    def _move_spend(self, db: sqlite3.Connection, ends: tuple[float, ...], end: float) -> None:
        """Count what was counted in windows ``ends`` in the window ending ``end`` instead."""
        sources = [e for e in ends if abs(e - end) > 0.05]
        if not sources:
            return
        marks = ", ".join("?" * len(sources))
        db.execute(
            "INSERT INTO spend (window_end, job, name, used)"
            f" SELECT ?, job, name, SUM(used) FROM spend WHERE window_end IN ({marks})"
            " GROUP BY job ON CONFLICT (window_end, job) DO UPDATE SET used = used + excluded.used",
            (end, *sources),
        )
        db.execute(f"DELETE FROM spend WHERE window_end IN ({marks})", sources)

    def _close_window(self, db: sqlite3.Connection) -> None:
        """Keep the finished window's spending for the reports; start counting a new one."""
        db.execute(
            "INSERT OR REPLACE INTO history (window_end, request_limit, outside)"
            " SELECT reset_at, request_limit, outside FROM budget WHERE id = 1"
        )
        db.execute(
            "DELETE FROM history WHERE window_end NOT IN"
            " (SELECT window_end FROM history ORDER BY window_end DESC LIMIT ?)",
            (HISTORY_WINDOWS,),
        )
        db.execute("DELETE FROM spend WHERE window_end < (SELECT MIN(window_end) FROM history)")
        db.execute("UPDATE budget SET answered = 0, outside = 0 WHERE id = 1")

    def _decide(self, db: sqlite3.Connection, now: float) -> tuple[float, float | None]:
        """Grant (count the request, return 0) or return the wait; also the window's end."""
        limit, reset_at, window_s, outside, blocked_until = db.execute(
            "SELECT request_limit, reset_at, window_s, outside, blocked_until FROM budget"
            " WHERE id = 1"
        ).fetchone()
        interactive = self.priority == "interactive"
        if blocked_until > now:
            self._blocked_until = blocked_until
            self._renew(db, now, waiting=interactive, until=blocked_until)
            return float(blocked_until - now), reset_at
        window_end = reset_at if reset_at is not None else 0.0
        if limit is None:
            probe_until = db.execute("SELECT probe_until FROM budget WHERE id = 1").fetchone()[0]
            if probe_until > now:
                return 0.05, reset_at  # another job's first request is finding out the budget
            db.execute("UPDATE budget SET probe_until = ? WHERE id = 1", (now + PROBE_S,))
        grant = 1
        if limit and reset_at is not None:
            spent, own = db.execute(
                "SELECT COALESCE(SUM(used), 0), COALESCE(SUM(CASE WHEN job = ? THEN used END), 0)"
                " FROM spend WHERE window_end = ?",
                (self.job, window_end),
            ).fetchone()
            wake = reset_at + BOUNDARY_GUARD_S
            room = int(limit * self.share) - spent - outside
            if room <= 0:
                self._renew(db, now, waiting=interactive, until=wake)
                return max(0.01, wake - now), reset_at
            cap = self.config.max_rpm
            if cap is not None:
                own_room = max(1, int(cap * window_s / 60.0)) - own
                if own_room <= 0:
                    self._renew(db, now, waiting=False)
                    return max(0.01, wake - now), reset_at
                room = min(room, own_room)
            if not interactive and self._interactive_waiting(db, now):
                return 0.02, reset_at
            if now < reset_at - EDGE_S:
                grant = min(room, self._next_block_size(now, limit))
        ends = [window_end]
        if reset_at is not None and now >= reset_at - EDGE_S:
            ends.append(round(reset_at + window_s, 1))
        db.executemany(
            "INSERT INTO spend (window_end, job, name, used) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (window_end, job) DO UPDATE SET used = used + excluded.used",
            [(end, self.job, self.name, grant) for end in ends],
        )
        self._renew(db, now, waiting=False)
        # This request takes one; the rest are granted from memory until the window's edge.
        self._block, self._block_end = grant - 1, window_end
        return 0.0, reset_at

    def _next_block_size(self, now: float, limit: int) -> int:
        """Grow the block while this job spends one within a second; shrink it when slower.

        A busy job then touches the file once per many requests, and a slow one (the tail)
        never holds requests it does not send.
        """
        quick = now - self._block_taken_at < 1.0
        self._block_taken_at = now
        ceiling = max(1, min(MAX_BLOCK, limit // 50))
        size = self._block_size * 2 if quick else self._block_size // 2
        self._block_size = max(1, min(ceiling, size))
        return self._block_size

    def _interactive_waiting(self, db: sqlite3.Connection, now: float) -> bool:
        row = db.execute(
            "SELECT 1 FROM leases WHERE priority = 'interactive' AND waiting = 1"
            " AND expires_at > ? AND job != ? LIMIT 1",
            (now, self.job),
        ).fetchone()
        return row is not None

    # -- what the server said ---------------------------------------------------------------

    def observe(self, limit: int, remaining: int, reset_at: float) -> None:
        """A response reported the window's budget (``reset_at`` in epoch seconds)."""
        # Window ends are keys: a tenth of a second is finer than any server announces them.
        reset_at = round(reset_at, 1)
        with self._lock:
            self._answered += 1
            if self._latest is None or reset_at >= self._latest[2] - 0.5:
                self._latest = (limit, remaining, reset_at)
            if reset_at != self._written_end:
                # News of a window: the other jobs should know now, not at our next request.
                self._written_end = reset_at
                answered, latest = self._answered, self._latest
                self._answered, self._latest = 0, None
                now = self.clock()
                with self._transaction() as db:
                    self._roll(db, now)
                    self._apply(db, answered, latest, now)

    def answered(self) -> None:
        """A response without rate-limit headers arrived."""
        with self._lock:
            self._answered += 1
            if not self._unlimited:
                self._unlimited = True
                with self._transaction() as db:
                    self._apply(db, 0, None, self.clock())

    def exhausted_until(self, until: float) -> None:
        """A 429: nobody on this budget sends before ``until`` (epoch seconds)."""
        with self._lock:
            self._blocked_until = max(self._blocked_until, until)
            self._block = 0
            with self._transaction() as db:
                db.execute(
                    "UPDATE budget SET blocked_until = MAX(blocked_until, ?) WHERE id = 1", (until,)
                )

    # -- reports -------------------------------------------------------------------------------

    def _report(self, reset_at: float) -> None:
        """Log each finished window's spending by job, once per process (shown with ``-v``)."""
        if self._reported_window is None:
            self._reported_window = reset_at
            return
        if reset_at <= self._reported_window or not logger.isEnabledFor(logging.INFO):
            self._reported_window = max(self._reported_window, reset_at)
            return
        self._reported_window = reset_at
        line = self.report_last_window()
        if line:
            logger.info("%s", line)

    def report_last_window(self) -> str | None:
        """One line on the last finished window: the budget used, and each job's share."""
        with self._transaction() as db:
            row = db.execute(
                "SELECT window_end, request_limit, outside FROM history"
                " ORDER BY window_end DESC LIMIT 1"
            ).fetchone()
            if row is None:
                return None
            window_end, limit, outside = row
            jobs = db.execute(
                "SELECT name, SUM(used) FROM spend WHERE window_end = ? GROUP BY name"
                " ORDER BY SUM(used) DESC, name",
                (window_end,),
            ).fetchall()
        return format_window(window_end, limit, outside, [(str(n), int(u)) for n, u in jobs])

    def window_shares(self) -> list[tuple[float, int | None, dict[str, int]]]:
        """Every remembered finished window: its end, limit and requests by job (``other``
        for what the server counted beyond our jobs)."""
        with self._transaction() as db:
            windows = db.execute(
                "SELECT window_end, request_limit, outside FROM history ORDER BY window_end"
            ).fetchall()
            spend = db.execute(
                "SELECT window_end, name, SUM(used) FROM spend GROUP BY 1, 2"
            ).fetchall()
        by_window: dict[float, dict[str, int]] = {}
        for end, name, used in spend:
            by_window.setdefault(end, {})[name] = int(used)
        result = []
        for end, limit, outside in windows:
            jobs = dict(by_window.get(end, {}))
            if outside:
                jobs["other"] = int(outside)
            result.append((float(end), limit, jobs))
        return result

    def close(self) -> None:
        """Give up this job's lease (its spent requests stay counted)."""
        with self._lock:
            try:
                with self._transaction() as db:
                    db.execute(
                        "UPDATE spend SET used = used - ? WHERE window_end = ? AND job = ?",
                        (self._block, self._block_end, self.job),
                    )
                    db.execute("DELETE FROM leases WHERE job = ?", (self.job,))
                    db.execute("DELETE FROM leases WHERE expires_at < ?", (self.clock(),))
            except sqlite3.Error:
                pass
            self._db.close()


def format_window(
    window_end: float, limit: int | None, outside: int, jobs: list[tuple[str, int]]
) -> str:
    """``rate budget, minute to 09:31:00: 571 of 600 (95.2%): archive sync [pid 7] 540 (90.0%),
    …, other clients 12 (2.0%)``"""
    stamp = time.strftime("%H:%M:%S", time.localtime(window_end))
    total = sum(used for _, used in jobs) + outside
    parts = [*jobs, *([("other clients", outside)] if outside else [])]
    if not limit:
        return f"rate budget, window to {stamp}: {total} requests: " + ", ".join(
            f"{name} {used}" for name, used in parts
        )
    return (
        f"rate budget, window to {stamp}: {total} of {limit} ({100 * total / limit:.1f}%): "
        + ", ".join(f"{name} {used} ({100 * used / limit:.1f}%)" for name, used in parts)
    )


class _Transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT``: one writer at a time across processes."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.db.execute("COMMIT")
        else:
            self.db.execute("ROLLBACK")


def open_shared_budget(origin: str, config: RateBudget) -> SharedBudget | None:
    """The machine-wide budget for ``origin``, or ``None`` (pace alone) when it cannot be used."""
    if not config.shared:
        return None
    try:
        path = budget_path(origin, config.organization)
        return SharedBudget(path, config)
    except (OSError, sqlite3.Error, RuntimeError) as error:  # RuntimeError: no home folder
        logger.warning("no shared rate budget (%s); this client paces itself alone", error)
        return None
