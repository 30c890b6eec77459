"""The content-addressed store: every byte of content under the SHA-256 of those bytes.

``blobs/sha256/ab/abcdef…`` holds the content whose SHA-256 is ``abcdef…``. A blob arrives as a
temporary file in ``blobs/tmp/``, is flushed to disk (fsync) and renamed into place; only then
may a database row refer to it. A crash therefore leaves at worst a temporary file (removed at
the next start) or a blob nothing refers to yet — never a row pointing at missing or partial
content. Identical content is stored once, whatever object it came from.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import uuid
from pathlib import Path

from ..common.files import PRIVATE_FILE, fsync_dir, private_dir, write_private

__all__ = ["BlobInfo", "BlobStore"]

_CHUNK = 1 << 20


@dataclasses.dataclass(frozen=True)
class BlobInfo:
    """What the store holds for one piece of content.

    Attributes:
        sha256: Lower-hex SHA-256 (the blob's name).
        md5: Lower-hex MD5, as the API's metadata states it.
        size: Length in bytes.
    """

    sha256: str
    md5: str
    size: int


def hash_file(path: Path) -> BlobInfo:
    """SHA-256, MD5 and size of a file, read in chunks."""
    sha = hashlib.sha256()
    md5 = hashlib.md5(usedforsecurity=False)
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            sha.update(chunk)
            md5.update(chunk)
            size += len(chunk)
    return BlobInfo(sha.hexdigest(), md5.hexdigest(), size)


class BlobStore:
    """The ``blobs/`` folder of an archive.

    Args:
        root: The archive folder; blobs live in ``root/blobs``.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root) / "blobs"
        self.objects = self.root / "sha256"
        self.tmp = self.root / "tmp"
        for folder in (self.root, self.objects, self.tmp):
            private_dir(folder)

    def clean_temporary(self) -> int:
        """Remove temporary files a killed run left behind; returns how many."""
        removed = 0
        for leftover in self.tmp.iterdir():
            if leftover.is_file() or leftover.is_symlink():
                leftover.unlink(missing_ok=True)
                removed += 1
        return removed

    def temporary_path(self) -> Path:
        """A fresh path in ``blobs/tmp/`` for one download."""
        return self.tmp / f"{uuid.uuid4().hex}.download"

    def path_for(self, sha256: str) -> Path:
        """Where the blob named ``sha256`` lives (whether or not it exists)."""
        return self.objects / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def adopt(self, temporary: Path) -> BlobInfo:
        """Move a complete temporary file into the store under its SHA-256.

        The file is fsynced before the rename, and the folder after it.
        """
        info = hash_file(temporary)
        target = self.path_for(info.sha256)
        if target.is_file() and target.stat().st_size == info.size:
            temporary.unlink(missing_ok=True)
            return info
        fd = os.open(temporary, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        private_dir(target.parent)
        os.chmod(temporary, PRIVATE_FILE)
        os.replace(temporary, target)
        fsync_dir(target.parent)
        return info

    def put_bytes(self, content: bytes) -> BlobInfo:
        """Store content held in memory (project documents, artifacts' text)."""
        temporary = self.temporary_path()
        write_private(temporary, content)
        return self.adopt(temporary)

    def check(self, sha256: str) -> str:
        """``ok``, ``missing`` or ``corrupt`` (the bytes no longer hash to the name)."""
        path = self.path_for(sha256)
        if not path.is_file():
            return "missing"
        return "ok" if hash_file(path).sha256 == sha256 else "corrupt"

    def stored(self) -> list[str]:
        """Names of every blob on disk."""
        return sorted(p.name for p in self.objects.glob("*/*") if p.is_file())
