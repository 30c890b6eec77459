"""Archiving Claude Code artifacts (hosted sites) and the content of every retained version.

The list is read incrementally (``updated_at.gte`` the saved high-water mark minus the overlap)
and in full when the deletion sweep is due (see :mod:`.sweeps`; artifacts without an
``updated_at`` are only seen then). For each artifact, versions the archive does not hold yet are
downloaded (a version's content never changes, so a held one is never fetched again); then the
artifact and its versions are stored in one transaction. Versions the API rotated out, and
artifacts it no longer lists, are marked gone and kept.
"""

from __future__ import annotations

import asyncio
from typing import Any

from ..common.served import KEPT_RAW, json_items
from ..models import CodeArtifact
from .blobs import BlobInfo
from .content import download_blob
from .context import SyncContext
from .incremental import HighWaterMark
from .store import RecordRow, record_key

__all__ = ["sync_code_artifacts"]

PAGE = 100


async def _version_blob(ctx: SyncContext, artifact_id: str, version_id: str) -> BlobInfo | None:
    key = f"{artifact_id}/{version_id}"
    row = ctx.store.get("code_artifact_version", key)
    if row is not None and row["blob_sha256"] and ctx.blobs.has(str(row["blob_sha256"])):
        sha256 = str(row["blob_sha256"])
        ctx.stats.reused += 1
        size = ctx.blobs.path_for(sha256).stat().st_size
        return BlobInfo(sha256, ctx.store.blob_md5(sha256) or "", size)
    artifacts = ctx.client.code_artifacts
    return await download_blob(
        ctx, lambda path: artifacts.download_version_to_file(artifact_id, version_id, path)
    )


def _versions(artifact: CodeArtifact) -> list[tuple[str, bool, Any]]:
    """``(key, kept_raw, version as served)`` of each listed version."""
    return [
        (*record_key(version, artifact.id), version)
        for version in json_items(artifact.to_dict().get("versions"))
    ]


async def _no_content() -> None:
    return None


async def _archive(ctx: SyncContext, artifact: CodeArtifact) -> bool:
    versions = _versions(artifact)
    prefix = f"{artifact.id}/"
    blobs = await asyncio.gather(
        *(
            _no_content()  # a version without an id names nothing to download
            if raw
            else _version_blob(ctx, artifact.id, key.removeprefix(prefix))
            for key, raw, _ in versions
        )
    )
    rows = [
        RecordRow(
            "code_artifact_version",
            key,
            version,
            parent_key=artifact.id,
            position=n,
            blob_sha256=blob.sha256 if blob else None,
        )
        for n, ((key, _, version), blob) in enumerate(zip(versions, blobs, strict=True))
    ]
    with ctx.store.transaction():
        for blob in blobs:
            if blob is not None:
                ctx.store.add_blob(blob.sha256, blob.size, blob.md5)
        outcome = ctx.store.upsert(RecordRow("code_artifact", artifact.id, artifact.to_dict()))
        ctx.stats.count("code_artifact", outcome.outcome)
        for row, (_, raw, _) in zip(rows, versions, strict=True):
            stored = ctx.store.upsert(row).outcome
            ctx.stats.count("code_artifact_version", KEPT_RAW if raw else stored)
        gone = ctx.store.mark_missing(
            "code_artifact_version", {r.key for r in rows}, parent_key=artifact.id, scoped=True
        )
    ctx.stats.count("code_artifact_version", "gone", gone)
    ctx.progress.advance("code artifacts")
    return True


def _complete(
    ctx: SyncContext, artifact: CodeArtifact, held: tuple[str | None, bool] | None
) -> bool:
    """Whether the archive already holds this exact artifact with every version's content."""
    if held is None or held[1] or held[0] != artifact.updated_at:
        return False
    row = ctx.store.get("code_artifact", artifact.id)
    if (
        row is None
        or row["data"] != RecordRow("code_artifact", artifact.id, artifact.to_dict()).serialized()
    ):
        return False
    return all(
        raw
        or (
            (v := ctx.store.get("code_artifact_version", key)) is not None
            and v["blob_sha256"] is not None
            and ctx.blobs.has(str(v["blob_sha256"]))
        )
        for key, raw, _ in _versions(artifact)
    )


async def sync_code_artifacts(ctx: SyncContext) -> None:
    """Archive every code artifact and the content of its retained versions."""
    high_water = HighWaterMark(ctx, "code_artifacts")
    full = ctx.sweeps.due("code_artifacts") or not high_water.value
    since = None if full else high_water.since()
    artifacts = await ctx.collect(
        lambda: ctx.client.code_artifacts.iter(updated_at_gte=since, limit=PAGE),
        kind="code_artifact",
    )
    held = ctx.store.updated_at_of("code_artifact")
    todo = [a for a in artifacts if not _complete(ctx, a, held.get(a.id))]
    ctx.stats.count("code_artifact", "unchanged", len(artifacts) - len(todo))
    ctx.progress.add("code artifacts", len(todo))
    ctx.progress.listed("code artifacts")
    results = await asyncio.gather(
        *(ctx.attempt(f"code artifact {a.id}", _archive(ctx, a)) for a in todo)
    )
    if all(results):
        high_water.commit(artifacts)
    if not full:
        return
    vanished = sorted(ctx.store.live_keys("code_artifact") - {a.id for a in artifacts})
    if vanished:
        with ctx.store.transaction():
            ctx.stats.count("code_artifact", "gone", ctx.store.mark_gone("code_artifact", vanished))
            ctx.stats.count(
                "code_artifact_version",
                "gone",
                ctx.store.mark_gone_under("code_artifact_version", vanished),
            )
    ctx.sweeps.done("code_artifacts")
