"""RFC 3339 timestamps as the archive, the tail, the export and the CLI read them."""

from __future__ import annotations

import pytest

from claude_compliance.common.timestamps import later, parse_timestamp, rfc3339, shifted


def test_timestamps() -> None:
    assert rfc3339(parse_timestamp("2025-03-01")) == "2025-03-01T00:00:00Z"
    assert rfc3339(parse_timestamp("2025-03-01T01:00:00.1234567+01:00")) == (
        "2025-03-01T00:00:00.123456Z"
    )
    assert shifted("2025-03-01T00:00:00Z", -60) == "2025-02-28T23:59:00Z"
    assert later("2025-01-01T00:00:00.5Z", "2025-01-01T00:00:00Z") == "2025-01-01T00:00:00.5Z"
    assert later(None, "x") == "x" and later("x", None) == "x"
    with pytest.raises(ValueError):
        parse_timestamp("2025-03-01T00:00:00")
