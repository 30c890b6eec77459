"""Archiving projects: detail, attachments (files and documents) and collaborators.

A project is re-archived when its ``updated_at`` differs from the archived one, or when the
Activity Feed flagged it (a chat of its own updated does not count: that changes the chat, not
the project). The listing asks only for projects updated since the saved high-water mark (minus
the overlap); when a deletion sweep is due (see :mod:`.sweeps`) it lists them all (100 per
request) instead, and the projects no longer listed are gone. Attachments are listed only for
a project whose ``attachments_count`` is not zero; their files and documents are read only when
new or changed (see :mod:`.content`).
"""

from __future__ import annotations

import asyncio
from typing import Any

from .._errors import NotFoundError
from ..models import ProjectAttachment, ProjectCollaborator
from .content import document_unit, file_record, file_unit
from .context import SyncContext
from .incremental import UpdatedObjects
from .store import RecordRow, content_key

__all__ = ["sync_projects"]

PAGE = 100
CHILD_KINDS = ("project_attachment", "project_collaborator", "project_document")


class _Projects(UpdatedObjects):
    kind = "project"
    collection = "projects"

    async def sync_one(self, project_id: str) -> None:
        ctx = self.ctx
        ctx.why(self.reason(project_id), f"project {project_id}")
        projects = ctx.client.projects
        try:
            detail = await ctx.call(projects.get, project_id)
            attachments: list[ProjectAttachment] = []
            # A project that says it has no attachments is not asked for them.
            if detail.to_dict().get("attachments_count") != 0:
                attachments = await ctx.collect(
                    lambda: projects.iter_attachments(project_id, limit=PAGE),
                    kind="project_attachment",
                    parent_key=project_id,
                )
            collaborators: list[ProjectCollaborator] = await ctx.collect(
                lambda: projects.iter_collaborators(project_id, limit=PAGE),
                kind="project_collaborator",
                parent_key=project_id,
            )
        except NotFoundError:
            await self.forget([project_id])
            return
        listed = {a.id for a in attachments}
        work = [
            file_unit(ctx, a.id, file_record(a.to_dict(), [], []))
            if a.type == "project_file"
            else document_unit(ctx, a.id, project_id)
            for a in attachments
            if a.type in ("project_file", "project_doc")
        ]
        # Attachments that went away are re-checked too: deleted (gone), or still readable.
        for key in ctx.store.live_keys("project_attachment", parent_key=project_id, scoped=True):
            held = ctx.store.get("project_attachment", key)
            attachment_id = key.split("/", 1)[1]
            if held is None or attachment_id in listed:
                continue
            if held["type"] == "project_file":
                work.append(file_unit(ctx, attachment_id, reason="left its project"))
            elif held["type"] == "project_doc":
                work.append(document_unit(ctx, attachment_id, project_id))
        await asyncio.gather(*work)
        attachment_rows = [
            RecordRow(
                "project_attachment", f"{project_id}/{a.id}", a.to_dict(), parent_key=project_id
            )
            for a in attachments
        ]
        collaborator_rows = [
            RecordRow(
                "project_collaborator",
                content_key(project_id, c.to_dict()),
                c.to_dict(),
                parent_key=project_id,
            )
            for c in collaborators
        ]
        with ctx.store.transaction():
            stored = ctx.store.upsert(RecordRow("project", project_id, detail.to_dict()))
            ctx.stats.count("project", stored.outcome)
            for rows, kind in (
                (attachment_rows, "project_attachment"),
                (collaborator_rows, "project_collaborator"),
            ):
                for row in rows:
                    ctx.stats.count(kind, ctx.store.upsert(row).outcome)
                gone = ctx.store.mark_missing(
                    kind, {row.key for row in rows}, parent_key=project_id, scoped=True
                )
                ctx.stats.count(kind, "gone", gone)
            ctx.store.clear_dirty("project", project_id)

    async def forget(self, project_ids: list[str]) -> None:
        """Projects the API no longer returns: mark them gone with their attachments,
        collaborators and documents (a project delete removes them all), and re-check their
        files, which are shared with the chat-file endpoints."""
        store = self.ctx.store
        files = sorted(
            str(row["id"])
            for project_id in project_ids
            for row in store.children("project_attachment", project_id)
            if row["type"] == "project_file" and row["gone_at"] is None
        )
        # Files first: should the run stop in between, the project is still live in the
        # archive and the next run comes back here.
        await asyncio.gather(
            *(file_unit(self.ctx, file_id, reason="its project is gone") for file_id in files)
        )
        with store.transaction():
            self.ctx.stats.count("project", "gone", store.mark_gone("project", project_ids))
            for kind in CHILD_KINDS:
                self.ctx.stats.count(kind, "gone", store.mark_gone_under(kind, project_ids))
            for project_id in project_ids:
                store.clear_dirty("project", project_id)

    async def walk(self, *, full: bool) -> None:
        """Projects updated since the saved high-water mark; every project when ``full`` (or
        when there is no mark yet), and then the ones no longer listed are gone."""
        ctx = self.ctx
        full = full or not self.high_water.value
        filters: dict[str, Any] = {"limit": PAGE}
        if not full:
            filters["updated_at_gte"] = self.high_water.since()
        listed = await ctx.collect(lambda: ctx.client.projects.iter(**filters), kind="project")
        todo = [p.id for p in listed if self.needs(p)]
        ctx.stats.count("project", "unchanged", len(listed) - len(todo))
        ctx.progress.listed("projects")
        if await self.archive(todo):
            self.high_water.commit(listed)
        if full:
            await self.swept({p.id for p in listed})


async def sync_projects(ctx: SyncContext) -> None:
    """Archive every project the key can read, with attachments, documents and files."""
    await _Projects.sync(ctx)
