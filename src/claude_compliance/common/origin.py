"""The API origin a base URL points at: what archives and tail checkpoints are bound to."""

from __future__ import annotations

from urllib.parse import urlsplit

__all__ = ["api_origin"]


def api_origin(base_url: str) -> str:
    """``scheme://host[:port]`` of a base URL, lower-cased, default ports left out."""
    parts = urlsplit(base_url)
    host = (parts.hostname or "").lower()
    default = {"http": 80, "https": 443}.get(parts.scheme)
    port = f":{parts.port}" if parts.port and parts.port != default else ""
    return f"{parts.scheme}://{host}{port}"
