"""Who is acting, for the hold log and the deletion journal: the key as ``keys check`` shows it
(redacted), a short fingerprint that tells keys with the same last four characters apart, and the
local account."""

from __future__ import annotations

import getpass
import hashlib

__all__ = ["actor"]


def actor(api_key: str | None, shown_as: str | None) -> dict[str, str | None]:
    """``{"key": shown_as, "key_fingerprint": …, "account": …}``; never the key itself.

    Args:
        api_key: The key in use (only its SHA-256 prefix is kept), if any.
        shown_as: The key's redacted form, as ``keys check`` prints it.
    """
    try:
        account: str | None = getpass.getuser()
    except (KeyError, OSError):
        account = None
    fingerprint = hashlib.sha256(api_key.encode()).hexdigest()[:12] if api_key else None
    return {"key": shown_as, "key_fingerprint": fingerprint, "account": account}
