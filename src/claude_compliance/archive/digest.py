"""A stable fingerprint of what an archive holds.

The digest covers every record (kind, key, parent, position, wire JSON in canonical form, the
content it points at, and whether it is gone) and every replaced version in ``history`` — and
nothing else: no sync times, no run bookkeeping, no checkpoints. Two archives of the same data
therefore have the same digest, however many runs (or interruptions) it took to build them.
"""

from __future__ import annotations

import hashlib
import json

from .search_index import Reader
from .store import canonical_json

__all__ = ["archive_digest"]


def archive_digest(store: Reader) -> str:
    """``sha256:<hex>`` over the archive's content, in a fixed order."""
    digest = hashlib.sha256()
    rows = store.query(
        "SELECT kind, key, parent_key, position, data, blob_sha256, gone_at IS NOT NULL "
        "FROM records ORDER BY kind, key"
    )
    for kind, key, parent_key, position, data, blob, gone in rows:
        line = [kind, key, parent_key, position, canonical_json(json.loads(data)), blob, bool(gone)]
        digest.update(canonical_json(line).encode())
        digest.update(b"\n")
    digest.update(b"history\n")
    versions = sorted(
        canonical_json([kind, key, canonical_json(json.loads(data)), blob])
        for kind, key, data, blob in store.query("SELECT kind, key, data, blob_sha256 FROM history")
    )
    for version in versions:
        digest.update(version.encode())
        digest.update(b"\n")
    return "sha256:" + digest.hexdigest()
