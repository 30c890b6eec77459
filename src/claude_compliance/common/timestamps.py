"""RFC 3339 timestamps: reading the API's spellings, comparing them, shifting them."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

__all__ = ["later", "parse_timestamp", "parse_timestamp_or_none", "rfc3339", "shifted"]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}:?\d{2})$"
)


def parse_timestamp(text: str) -> datetime:
    """Read ``YYYY-MM-DD`` (midnight UTC) or an RFC 3339 timestamp with a zone.

    Raises:
        ValueError: For anything else, including a timestamp without a zone.
    """
    value = text.strip()
    if _DATE.match(value):
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    if not _RFC3339.match(value):
        raise ValueError(f"not an RFC 3339 timestamp with a zone: {text!r}")
    # fromisoformat takes at most 6 fraction digits.
    value = re.sub(r"(\.\d{6})\d+", r"\1", value.replace("z", "Z").replace("t", "T"))
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def parse_timestamp_or_none(text: str | None) -> datetime | None:
    """:func:`parse_timestamp`, or ``None`` for a missing or unreadable time (records from the
    API may lack one or spell it oddly; callers treat that as unknown)."""
    if not text:
        return None
    try:
        return parse_timestamp(text)
    except ValueError:
        return None


def rfc3339(moment: datetime) -> str:
    """``2025-03-01T00:00:00Z`` in UTC (with microseconds only when there are any)."""
    moment = moment.astimezone(UTC)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        text += f".{moment.microsecond:06d}"
    return text + "Z"


def shifted(text: str, seconds: float) -> str:
    """``text`` moved by ``seconds`` (negative: earlier), as RFC 3339 UTC."""
    return rfc3339(parse_timestamp(text) + timedelta(seconds=seconds))


def later(first: str | None, second: str | None) -> str | None:
    """The later of two timestamps (``None`` counts as earliest); keeps the original spelling."""
    if first is None:
        return second
    if second is None:
        return first
    return first if parse_timestamp(first) >= parse_timestamp(second) else second
