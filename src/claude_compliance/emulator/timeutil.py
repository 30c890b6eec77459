"""Timestamps as the API writes them, and as the emulator stores them (integer microseconds).

Storing microseconds since the epoch keeps comparisons exact and indexes small, whatever offset
a client wrote its filter in. The response strings are rendered once, when a record is made.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

DAY_US = 86_400 * 1_000_000
WORLD_DAYS = 365
"""Generated objects and activities fall within the year (these days) before the config's anchor
day."""

_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$")


def now_us() -> int:
    """Wall-clock time in microseconds (used only for things that happen at run time)."""
    return time.time_ns() // 1000


def _as_datetime(us: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=us)


def iso_z(us: int) -> str:
    """``2025-03-12T18:22:41Z``, or with microseconds when there are any."""
    seconds, micros = divmod(us, 1_000_000)
    text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds))
    return f"{text}.{micros:06d}Z" if micros else text + "Z"


def iso_offset(us: int) -> str:
    """``2025-03-12T18:22:41+00:00``: the organizations list writes its zone this way."""
    return _as_datetime(us).isoformat()


def iso_naive(us: int) -> str:
    """``2025-03-12T18:22:41.123456`` with no zone, as role, group and member examples show."""
    return _as_datetime(us).replace(tzinfo=None).isoformat()


def parse_rfc3339(value: str) -> int | None:
    """Microseconds for an RFC 3339 timestamp with date, time and zone; ``None`` if invalid."""
    if not _RFC3339.match(value):
        return None
    text = value.upper()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    # datetime accepts at most 6 fractional digits; extra precision is dropped, not rounded.
    match = re.search(r"\.(\d+)", text)
    if match and len(match.group(1)) > 6:
        text = text.replace(match.group(0), "." + match.group(1)[:6], 1)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    delta = moment - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def parse_any_iso(value: str) -> int:
    """Microseconds for any timestamp string the emulator itself wrote (zone optional)."""
    text = value[:-1] + "+00:00" if value.endswith("Z") else value
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    delta = moment - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
