"""Opaque page tokens and cursors (spec section 3).

Clients must treat them as opaque; the emulator imitates the real shapes: base64 JSON for
cursors, ``page_`` + base64 JSON for project and session pages, plain base64 JSON elsewhere.
Anything that does not decode to the expected shape is a 400 for the caller to see.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from typing import Any

PAGE_PREFIX = "page_"


def encode(payload: dict[str, Any]) -> str:
    """Base64 (URL-safe alphabet, padded) of compact JSON."""
    raw = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode()


# Every number we put in a token fits SQLite's 64-bit integers with room to add a page size.
_LARGEST = 2**53


def _plain(value: Any) -> bool:
    """Whether a payload value is one we could have written: a string, or a bounded finite
    number (not a bool, a list, an object, ``1e999`` or an integer SQLite cannot hold)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return -_LARGEST <= value <= _LARGEST
    if isinstance(value, float):
        return math.isfinite(value) and abs(value) <= _LARGEST
    return isinstance(value, str) or value is None


def decode(token: str) -> dict[str, Any] | None:
    """The JSON object inside a token, or ``None`` when it is not one of ours (so crafted
    tokens are the API's 400, never a 500)."""
    if not token or len(token) > 4096:
        return None
    text = token.replace("+", "-").replace("/", "_")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        payload = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(payload, dict) or not all(_plain(v) for v in payload.values()):
        return None
    return payload


def encode_page(payload: dict[str, Any]) -> str:
    """A ``page_``-prefixed token (projects and sessions)."""
    return PAGE_PREFIX + encode(payload)


def decode_page(token: str) -> dict[str, Any] | None:
    """The payload of a ``page_`` token, or ``None``."""
    if not token.startswith(PAGE_PREFIX):
        return None
    return decode(token[len(PAGE_PREFIX) :])
