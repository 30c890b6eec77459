"""Deterministic identifiers: the same (seed, kind, n) always yields the same id.

Real ids are opaque tagged strings (``claude_proj_`` + 24 base62 characters, spec section 6);
ours are derived from a hash so a world regenerated from its seed is byte-identical.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import uuid

BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
SUFFIX_LENGTH = 24


def _digest(seed: int, kind: str, n: int | str) -> bytes:
    return hashlib.sha256(f"{seed}\x1f{kind}\x1f{n}".encode()).digest()


# Byte -> base62 character. The slight bias of ``byte % 62`` is irrelevant for opaque ids, and
# ``bytes.translate`` keeps id generation cheap enough for million-row worlds.
_BASE62_TABLE = bytes(ord(BASE62[byte % 62]) for byte in range(256))


def _base62(data: bytes, length: int) -> str:
    return data[:length].translate(_BASE62_TABLE).decode("ascii")


def tagged_id(seed: int, prefix: str, n: int | str) -> str:
    """A tagged id such as ``claude_chat_01Hx…`` for the ``n``-th object of its kind."""
    # A leading "01" mimics the ULID-looking ids of the real service.
    return prefix + "01" + _base62(_digest(seed, prefix, n), SUFFIX_LENGTH - 2)


def uuid_for(seed: int, kind: str, n: int | str) -> str:
    """A version-4-shaped UUID string for the ``n``-th object of ``kind``."""
    return str(uuid.UUID(bytes=_digest(seed, "uuid:" + kind, n)[:16], version=4))


def local_session_id(seed: int, org_uuid: str, n: int | str) -> str:
    """A ``clls_`` id; like the real ones it embeds base64 JSON (``clls_eyJ2Ijox…``)."""
    payload = {"v": 1, "o": org_uuid[:8], "s": _base62(_digest(seed, "clls", n), 16)}
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return "clls_" + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def is_wellformed_local_session_id(value: str) -> bool:
    """True when ``value`` has the shape of a ``clls_`` id (malformed ids get a 400)."""
    if not value.startswith("clls_") or len(value) < 10:
        return False
    body = value[len("clls_") :]
    try:
        decoded = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        return isinstance(json.loads(decoded), dict)
    except (ValueError, UnicodeDecodeError):
        return False


def is_wellformed_remote_session_id(value: str) -> bool:
    """True when ``value`` has the shape of a ``cse_`` id (malformed ids get a 400)."""
    body = value[len("cse_") :]
    return value.startswith("cse_") and len(body) >= 8 and all(c in BASE62 for c in body)


def random_suffix(length: int = SUFFIX_LENGTH) -> str:
    """Random base62 characters, for ids of things that happen at run time (request ids)."""
    return "".join(secrets.choice(BASE62) for _ in range(length))
