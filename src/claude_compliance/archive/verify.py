"""Re-hashing every blob an archive refers to, and reporting what is missing or corrupt."""

from __future__ import annotations

import dataclasses
from typing import Protocol

from .blobs import BlobStore
from .store import ArchiveStore

__all__ = ["VerifyReport", "verify_archive"]


@dataclasses.dataclass
class VerifyReport:
    """The outcome of :func:`verify_archive`.

    Attributes:
        checked: Blobs referenced by records or history, all re-hashed.
        missing: Referenced blobs not on disk.
        corrupt: Referenced blobs whose bytes no longer hash to their name.
        wrong_size: Blobs whose size differs from the one registered when stored.
        unreferenced: Blobs on disk that no record points at (left by an interrupted run;
            harmless).
    """

    checked: int = 0
    missing: list[str] = dataclasses.field(default_factory=list)
    corrupt: list[str] = dataclasses.field(default_factory=list)
    wrong_size: list[str] = dataclasses.field(default_factory=list)
    unreferenced: int = 0

    @property
    def ok(self) -> bool:
        return not (self.missing or self.corrupt or self.wrong_size)


class BlobReferences(Protocol):
    """What verification reads: an :class:`ArchiveStore` or a read-only ``ArchiveReader``."""

    def referenced_blobs(self) -> dict[str, int | None]: ...


def verify_archive(store: BlobReferences, blobs: BlobStore) -> VerifyReport:
    """Re-hash every referenced blob and compare it with its name and registered size."""
    report = VerifyReport()
    referenced = store.referenced_blobs()
    for sha256, size in sorted(referenced.items()):
        report.checked += 1
        status = blobs.check(sha256)
        if status == "missing":
            report.missing.append(sha256)
        elif status == "corrupt":
            report.corrupt.append(sha256)
        elif size is not None and blobs.path_for(sha256).stat().st_size != size:
            report.wrong_size.append(sha256)
    report.unreferenced = len(set(blobs.stored()) - set(referenced))
    return report


REFETCHABLE = ("file", "generated_file", "artifact_version", "project_document")
"""Kinds whose content the next sync downloads again when flagged."""


def flag_for_refetch(store: ArchiveStore, blobs: BlobStore, report: VerifyReport) -> int:
    """Prepare the next sync to fetch the bad blobs' content again.

    Corrupt blob files are removed (their bytes are wrong), and the records pointing at a bad
    blob are flagged; the next ``archive sync`` downloads them again. Code artifact versions
    need no flag: a sync re-downloads any version whose content is not held. Versions kept in
    ``history`` cannot be fetched again (the API serves only the current one).

    Returns:
        How many records were flagged.
    """
    bad = [*report.missing, *report.corrupt, *report.wrong_size]
    for sha256 in [*report.corrupt, *report.wrong_size]:
        blobs.path_for(sha256).unlink(missing_ok=True)
    marks: list[tuple[str, str, str]] = []
    for sha256 in bad:
        for kind, key in store.query(
            "SELECT kind, key FROM records WHERE blob_sha256 = ?", (sha256,)
        ):
            if kind in REFETCHABLE:
                marks.append((kind, key, f"verify found blob {sha256} bad"))
    with store.transaction():
        store.mark_dirty(marks)
    return len(marks)
