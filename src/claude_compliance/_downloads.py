"""Collecting a download's bytes: bounded in memory, or atomically into a file (no I/O loop here).

The transport feeds chunks to a collector and asks it to finish; a collector checks what it got
against the server's ``Content-Length`` and ``Content-MD5`` and either returns the result or
raises [`ContentIntegrityError`][claude_compliance.ContentIntegrityError] — in which case nothing
partial is left behind.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import itertools
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol, TypeVar
from urllib.parse import unquote

from ._errors import ContentIntegrityError, DownloadTooLargeError
from .common.files import safe_filename

__all__ = [
    "ContentCheck",
    "FileCollector",
    "MemoryCollector",
    "filename_from_headers",
]

T_co = TypeVar("T_co", covariant=True)

_FILENAME_STAR = re.compile(r"filename\*\s*=\s*([^']*)'[^']*'([^;]+)", re.IGNORECASE)
_FILENAME = re.compile(r'filename\s*=\s*"((?:[^"\\]|\\.)*)"|filename\s*=\s*([^;]+)', re.IGNORECASE)


def filename_from_headers(headers: Mapping[str, str]) -> str | None:
    """The filename in ``Content-Disposition`` (RFC 5987 ``filename*`` first), if any."""
    value = headers.get("content-disposition")
    if not value:
        return None
    star = _FILENAME_STAR.search(value)
    if star:
        charset = star.group(1) or "utf-8"
        try:
            return unquote(star.group(2).strip(), encoding=charset, errors="strict")
        except (LookupError, UnicodeDecodeError):
            return unquote(star.group(2).strip())
    plain = _FILENAME.search(value)
    if plain:
        return (plain.group(1) if plain.group(1) is not None else plain.group(2)).strip()
    return None


class ContentCheck:
    """Running MD5 and length of a download, compared with what the server declared."""

    def __init__(self, headers: Mapping[str, str]) -> None:
        self._md5 = hashlib.md5(usedforsecurity=False)
        self.size = 0
        self.expected_md5: bytes | None = None
        declared = headers.get("content-md5")
        if declared:
            try:
                self.expected_md5 = base64.b64decode(declared, validate=True)
            except (binascii.Error, ValueError):
                self.expected_md5 = None
        length = headers.get("content-length")
        self.expected_size = int(length) if length and length.isdigit() else None
        # A compressed transfer's length counts encoded bytes; only compare plain bodies.
        if headers.get("content-encoding", "identity") not in ("", "identity"):
            self.expected_size = None

    def update(self, chunk: bytes) -> None:
        self._md5.update(chunk)
        self.size += len(chunk)

    def verify(self) -> None:
        """Raise [`ContentIntegrityError`][claude_compliance.ContentIntegrityError] when size or
        MD5 disagree with the headers."""
        if self.expected_size is not None and self.size != self.expected_size:
            raise ContentIntegrityError(
                f"download truncated: got {self.size} of {self.expected_size} bytes"
            )
        if self.expected_md5 is not None and self._md5.digest() != self.expected_md5:
            raise ContentIntegrityError(
                "download corrupted: MD5 of the received bytes does not match Content-MD5"
            )

    @property
    def md5_hex(self) -> str:
        return self._md5.hexdigest()


class Collector(Protocol[T_co]):
    """What the transport feeds a download into."""

    def start(self, headers: Mapping[str, str]) -> None: ...
    def feed(self, chunk: bytes) -> None: ...
    def finish(self) -> T_co: ...
    def abort(self) -> None: ...


class MemoryCollector:
    """Gathers a download in memory, refusing to hold more than ``max_bytes``."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._chunks: list[bytes] = []
        self._check = ContentCheck({})

    def start(self, headers: Mapping[str, str]) -> None:
        self._chunks = []
        self._check = ContentCheck(headers)
        if self._check.expected_size is not None and self._check.expected_size > self.max_bytes:
            raise self._too_large(self._check.expected_size)

    def feed(self, chunk: bytes) -> None:
        self._check.update(chunk)
        if self._check.size > self.max_bytes:
            raise self._too_large(self._check.size)
        self._chunks.append(chunk)

    def finish(self) -> bytes:
        self._check.verify()
        return b"".join(self._chunks)

    def abort(self) -> None:
        self._chunks = []

    def _too_large(self, size: int) -> DownloadTooLargeError:
        return DownloadTooLargeError(
            f"download of {size} bytes exceeds the cap of {self.max_bytes} bytes; "
            "raise max_download_bytes or use download_to_file / download_stream"
        )


def _sha256_of(path: Path) -> bytes:
    digest = hashlib.sha256()
    with path.open("rb") as existing:
        for block in iter(lambda: existing.read(1 << 20), b""):
            digest.update(block)
    return digest.digest()


class FileCollector:
    """Writes a download to a temporary file beside its destination, renamed into place at the end.

    A failed, truncated or corrupted download removes its temporary file, so the destination
    either holds the complete, verified content or is untouched. An existing file is replaced
    only with ``overwrite=True``, or (``overwrite=None``) when it holds the same bytes.
    """

    def __init__(
        self,
        destination: Path,
        *,
        fallback_name: str,
        overwrite: bool | None = None,
        into_folder: bool = False,
    ) -> None:
        self.destination = Path(destination)
        self.fallback_name = fallback_name
        self.overwrite = overwrite
        self.into_folder = into_folder
        self.final_path: Path | None = None
        self._tmp: Path | None = None
        self._fh: tempfile._TemporaryFileWrapper[bytes] | None = None
        self._check = ContentCheck({})
        self._sha256 = hashlib.sha256()

    def _target(self, headers: Mapping[str, str]) -> Path:
        if self.into_folder or self.destination.is_dir():
            name = safe_filename(filename_from_headers(headers), self.fallback_name)
            return self.destination / name
        return self.destination

    def start(self, headers: Mapping[str, str]) -> None:
        self.abort()
        target = self._target(headers)
        if target.exists() and self.overwrite is False:
            raise FileExistsError(f"{target} exists and overwrite=False")
        self._sha256 = hashlib.sha256()
        target.parent.mkdir(parents=True, exist_ok=True)
        self.final_path = target
        self._check = ContentCheck(headers)
        self._fh = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in finish/abort
            dir=target.parent, prefix=f".{target.name[:40]}.", suffix=".part", delete=False
        )
        self._tmp = Path(self._fh.name)

    def feed(self, chunk: bytes) -> None:
        assert self._fh is not None
        self._check.update(chunk)
        self._sha256.update(chunk)
        self._fh.write(chunk)

    def _differs(self, path: Path) -> bool:
        return path.exists() and _sha256_of(path) != self._sha256.digest()

    def _free_path(self, path: Path, *, in_folder: bool) -> Path:
        """Where the bytes may go without replacing a different file (``overwrite=None``).

        Into a folder the server's name was ours to choose, so a taken name becomes
        ``name (2).ext``; a file path the caller named is refused instead.
        """
        if self.overwrite is not None or not self._differs(path):
            return path
        if not in_folder:
            raise FileExistsError(
                f"{path} exists with different content; pass overwrite=True to replace it"
            )
        for number in itertools.count(2):
            candidate = path.with_name(f"{path.stem} ({number}){path.suffix}")
            if not self._differs(candidate):
                return candidate
        raise AssertionError("unreachable")  # pragma: no cover - count() never ends

    def finish(self) -> Path:
        assert self._fh is not None and self._tmp is not None and self.final_path is not None
        try:
            self._check.verify()
            in_folder = self.final_path != self.destination
            self.final_path = self._free_path(self.final_path, in_folder=in_folder)
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()
            os.replace(self._tmp, self.final_path)
        except BaseException:
            self.abort()
            raise
        self._fh, self._tmp = None, None
        return self.final_path

    def abort(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        if self._tmp is not None:
            self._tmp.unlink(missing_ok=True)
            self._tmp = None
