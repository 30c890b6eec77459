"""Re-hashing every blob an archive refers to, and reporting what is missing or corrupt."""

from __future__ import annotations

import dataclasses

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


def verify_archive(store: ArchiveStore, blobs: BlobStore) -> VerifyReport:
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
