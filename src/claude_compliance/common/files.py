"""Files we write: safe names for server-supplied filenames, owner-only permissions, and durable
atomic replacement.

What we write holds a company's most sensitive data, so every job (SDK downloads, archive,
tail, export) names and writes files through the helpers here: folders we create are 0700 and
files 0600, whatever the process umask.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

__all__ = [
    "PRIVATE_DIR",
    "PRIVATE_FILE",
    "fsync_dir",
    "open_private",
    "private_dir",
    "safe_filename",
    "write_atomically",
    "write_private",
]

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
MAX_NAME_BYTES = 255  # what ext4, APFS, NTFS (in UTF-16 units, more) and zip readers accept

# Names Windows refuses for a file whatever the extension (``CON``, ``aux.txt``, ``LPT1.log``).
_WINDOWS_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])(\..*)?$", re.IGNORECASE)
# Characters Windows refuses in names; replaced so a bundle unpacks the same everywhere.
_WINDOWS_FORBIDDEN = re.compile(r'[<>:"|?*]')


def _cut_to_bytes(name: str, limit: int) -> str:
    """``name`` cut to ``limit`` UTF-8 bytes, keeping its extension and whole characters."""
    if len(name.encode("utf-8")) <= limit:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem or len(extension.encode("utf-8")) > 32:
        stem, extension = name, ""
    tail = f".{extension}" if extension else ""
    room = limit - len(tail.encode("utf-8"))
    cut = stem.encode("utf-8")[:room].decode("utf-8", "ignore")
    return cut + tail


def safe_filename(name: str | None, fallback: str) -> str:
    """Reduce a server-supplied filename to one plain name that stays inside its folder and
    can be created on Linux, macOS and Windows alike.

    Path components (``../``, ``/etc/``, drive letters, backslashes) are dropped, control and
    Windows-forbidden characters removed or replaced, trailing dots and spaces dropped,
    Windows-reserved device names (``CON``, ``aux.txt``) prefixed with ``_``, and the result cut
    to 255 UTF-8 bytes keeping the extension; an empty or dot-only result becomes
    ``fallback``.
    """
    if name:
        name = unicodedata.normalize("NFC", name).replace("\\", "/")
        name = name.rsplit("/", 1)[-1]
        name = "".join(ch for ch in name if ch.isprintable()).strip()
        name = name.lstrip(".").strip() if set(name) <= {"."} else name
        if ":" in name[:3]:
            name = name.split(":", 1)[-1]
        name = _WINDOWS_FORBIDDEN.sub("_", name).rstrip(". ")
        if _WINDOWS_RESERVED.match(name):
            name = "_" + name
        name = _cut_to_bytes(name, MAX_NAME_BYTES).rstrip(". ")
    if not name or name in (".", ".."):
        return fallback
    return name


def private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) if needed; a folder created here is owner-only."""
    if not path.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            path.mkdir(mode=PRIVATE_DIR)
        except FileExistsError:
            return path  # created meanwhile by someone else: not ours to change
        os.chmod(path, PRIVATE_DIR)  # the umask may have taken bits from mode
    return path


def open_private(path: Path, flags: int) -> int:
    """``os.open`` that creates a missing file owner-only (0600, whatever the umask)."""
    try:
        fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        return os.open(path, flags & ~os.O_CREAT)
    os.fchmod(fd, PRIVATE_FILE)
    return fd


def write_private(path: Path, content: bytes) -> None:
    """Write ``content`` to a new or truncated owner-only file, fsynced."""
    fd = open_private(path, os.O_WRONLY | os.O_TRUNC)
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())


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
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    write_private(temporary, text.encode("utf-8"))
    os.replace(temporary, path)
    fsync_dir(path.parent)
