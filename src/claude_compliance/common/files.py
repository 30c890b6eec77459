"""Files we write: safe names for server-supplied filenames, and durable atomic replacement.

What we write holds a company's most sensitive data, so every job (SDK downloads, archive,
tail, export) names and writes files through the helpers here.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

__all__ = ["fsync_dir", "safe_filename", "write_atomically"]


def safe_filename(name: str | None, fallback: str) -> str:
    """Reduce a server-supplied filename to one plain name that stays inside its folder.

    Path components (``../``, ``/etc/``, drive letters, backslashes) are dropped and control
    characters removed; an empty or dot-only result becomes ``fallback``.
    """
    if name:
        name = unicodedata.normalize("NFC", name).replace("\\", "/")
        name = name.rsplit("/", 1)[-1]
        name = "".join(ch for ch in name if ch.isprintable()).strip()
        name = name.lstrip(".").strip() if set(name) <= {"."} else name
        if ":" in name[:3]:
            name = name.split(":", 1)[-1]
        name = name[:255]
    if not name or name in (".", ".."):
        return fallback
    return name


def fsync_dir(path: Path) -> None:
    """Flush a folder's entries to disk: a rename is only durable once its folder is."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so that a crash leaves either the old or the new file.

    The text goes to a temporary sibling, is fsynced, renamed over ``path``, and the folder is
    fsynced after the rename.
    """
    temporary = path.with_name(f".{path.name}.tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    fsync_dir(path.parent)
