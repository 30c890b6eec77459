"""Legal holds: custodians whose content this tool must never delete.

A hold names people (``user_…`` ids), optionally one organisation and a time range, a matter and
a reason. It protects every object those people own (chats, projects, files, project documents,
code artifacts) whose life overlaps the range. Holds are entries of a hash-chained log in the
archive (:mod:`.chain`): adding and releasing are appended with who, when and why, and nothing is
ever rewritten; the current holds are what the log adds and does not release.

A log that fails verification is not trusted at all: planning or applying retention against it is
refused (:class:`HoldLogError`), because a tampered hold log could hide a custodian.
"""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from ..archive.store import ArchiveStore, now_iso
from ..common.timestamps import parse_timestamp, parse_timestamp_or_none
from .chain import HashChain

__all__ = ["Hold", "HoldBook", "HoldLogError", "UnknownHoldError"]

CHAIN = "holds"


class HoldLogError(RuntimeError):
    """The hold log does not verify: nothing may be deleted until it is restored."""


class UnknownHoldError(ValueError):
    """No such hold, or it was released already."""


@dataclasses.dataclass(frozen=True)
class Hold:
    """One legal hold.

    Attributes:
        id: ``hold_…``.
        users: The custodians' user ids.
        organization: Only content of this organisation (UUID), or every one.
        start: Content whose life ends before this time is not held (``None``: no lower bound).
        end: Content created after this time is not held (``None``: no upper bound).
        matter: The legal matter it serves.
        reason: Why it was placed.
        added_at: When it was placed (UTC).
        added_by: Who placed it (key identity and local user).
        released: ``{at, by, reason}`` once released.
    """

    id: str
    users: tuple[str, ...]
    organization: str | None
    start: str | None
    end: str | None
    matter: str
    reason: str
    added_at: str
    added_by: Mapping[str, Any]
    released: Mapping[str, Any] | None = None

    @property
    def active(self) -> bool:
        return self.released is None

    def protects(
        self,
        owners: Iterable[str],
        organization: str | None,
        first: str | None,
        last: str | None,
    ) -> bool:
        """Whether an object owned by ``owners`` (in ``organization``, alive from ``first`` to
        ``last``) falls under this hold. Unknown times count as overlapping: a hold errs on the
        side of keeping."""
        if not self.active or not set(owners) & set(self.users):
            return False
        if self.organization and organization and organization != self.organization:
            return False
        start, end = parse_timestamp_or_none(self.start), parse_timestamp_or_none(self.end)
        born = parse_timestamp_or_none(first)
        seen = parse_timestamp_or_none(last) or born
        if end is not None and born is not None and born > end:
            return False
        return not (start is not None and seen is not None and seen < start)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "users": list(self.users),
            "organization": self.organization,
            "from": self.start,
            "until": self.end,
            "matter": self.matter,
            "reason": self.reason,
            "added_at": self.added_at,
            "added_by": dict(self.added_by),
            "released": dict(self.released) if self.released else None,
        }


class HoldBook:
    """The holds of one archive."""

    def __init__(self, store: ArchiveStore) -> None:
        self.store = store
        self.chain = HashChain(store, CHAIN)

    def add(
        self,
        *,
        users: Iterable[str],
        matter: str,
        reason: str,
        by: Mapping[str, Any],
        organization: str | None = None,
        start: str | None = None,
        end: str | None = None,
    ) -> Hold:
        """Place a hold; returns it."""
        custodians = tuple(sorted(set(users)))
        if not custodians:
            raise ValueError("a hold needs at least one custodian (--user)")
        if not matter.strip() or not reason.strip():
            raise ValueError("a hold needs a matter and a reason")
        if start and end and parse_timestamp(start) > parse_timestamp(end):
            raise ValueError(f"the hold's range is empty: {start} is after {end}")
        self._trusted()
        hold = Hold(
            id=f"hold_{secrets.token_hex(8)}",
            users=custodians,
            organization=organization,
            start=start,
            end=end,
            matter=matter.strip(),
            reason=reason.strip(),
            added_at=now_iso(),
            added_by=dict(by),
        )
        entry = {"event": "hold_added", **hold.as_dict()}
        del entry["released"]
        with self.store.transaction():
            self.chain.append(entry)
        return hold

    def release(self, hold_id: str, *, reason: str, by: Mapping[str, Any]) -> Hold:
        """Release an active hold; returns it as released."""
        if not reason.strip():
            raise ValueError("releasing a hold needs a reason")
        current = {hold.id: hold for hold in self.holds(include_released=True)}
        hold = current.get(hold_id)
        if hold is None:
            raise UnknownHoldError(f"no hold {hold_id!r} in this archive")
        if not hold.active:
            raise UnknownHoldError(f"hold {hold_id} was released already")
        released = {"at": now_iso(), "by": dict(by), "reason": reason.strip()}
        with self.store.transaction():
            self.chain.append({"event": "hold_released", "id": hold_id, **released})
        return dataclasses.replace(hold, released=released)

    def holds(self, *, include_released: bool = False) -> list[Hold]:
        """The holds the log records (active ones only unless ``include_released``).

        Raises:
            HoldLogError: When the log does not verify.
        """
        self._trusted()
        holds: dict[str, Hold] = {}
        for entry in self.chain.entries():
            data = entry.data
            if data.get("event") == "hold_added":
                holds[data["id"]] = Hold(
                    id=data["id"],
                    users=tuple(data["users"]),
                    organization=data.get("organization"),
                    start=data.get("from"),
                    end=data.get("until"),
                    matter=data["matter"],
                    reason=data["reason"],
                    added_at=data["added_at"],
                    added_by=data.get("added_by") or {},
                )
            elif data.get("event") == "hold_released" and data.get("id") in holds:
                released = {key: data.get(key) for key in ("at", "by", "reason")}
                holds[data["id"]] = dataclasses.replace(holds[data["id"]], released=released)
        return [hold for hold in holds.values() if include_released or hold.active]

    def fingerprint(self) -> str:
        """Changes whenever a hold is added or released (the log's head hash)."""
        return self.chain.head()

    def _trusted(self) -> None:
        _, broken = self.chain.verify()
        if broken is not None:
            raise HoldLogError(
                f"the legal-hold log fails verification at entry {broken.seq} ({broken.reason}); "
                "restore the archive from a backup before changing or applying anything"
            )
