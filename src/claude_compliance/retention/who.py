"""Who is acting: the key's redacted identity and the local account, for holds and the journal."""

from __future__ import annotations

import getpass
import hashlib

__all__ = ["actor", "redacted_key"]


def redacted_key(api_key: str | None) -> str | None:
    """``sk-ant-api01-…WXYZ#3f2a9c1b``: the key's prefix, last four characters and a short
    fingerprint, enough to tell keys apart without revealing them."""
    if not api_key:
        return None
    fingerprint = hashlib.sha256(api_key.encode()).hexdigest()[:8]
    prefix = api_key[:13] if len(api_key) >= 24 else ""
    suffix = api_key[-4:] if len(api_key) >= 16 else ""
    return f"{prefix}…{suffix}#{fingerprint}"


def actor(api_key: str | None) -> dict[str, str | None]:
    """What the logs record as "by": the key (redacted) and the operating-system account."""
    try:
        account: str | None = getpass.getuser()
    except (KeyError, OSError):
        account = None
    return {"key": redacted_key(api_key), "account": account}
