"""``retention apply``: carry out a plan, safely, exactly once, resumably.

For each object of the plan, in the plan's order (projects after everything else, since the API
refuses to delete a project that still has chats):

1. skip it if the journal already has it (a resumed run);
2. skip it if a legal hold now covers it (holds added after planning are honoured);
3. read it from the API right before deleting: gone already → journalled as such; changed since
   it was archived → archived again (one incremental sync for all of them), then deleted only if
   the policy, the holds and the safety checks still say so;
4. commit an attempt, send the DELETE, and journal the result with the DELETE's request id.

A 401 or 403 stops the run at once with the API's message (a read-only or Admin key deletes
nothing). A 409 on a project is reported and not retried. A 404 on DELETE means someone (or an
earlier, interrupted attempt of ours) deleted it already: it is journalled, once.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx2

from .._client import AsyncComplianceClient
from .._errors import (
    APIError,
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
)
from ..archive.blobs import BlobStore
from ..archive.store import ArchiveStore
from ..archive.sync import RequestCounter, sync_archive
from ..common.locks import exclusive_lock
from .directory import Directory
from .holds import HoldBook
from .inventory import Candidate, Inventory, record_sha256
from .journal import DeletionJournal
from .plan import Plan, Selector

__all__ = ["ApplyReport", "ApplyStopped", "RetentionBusyError", "apply_plan"]

LOCK_NAME = ".retention.lock"


class ApplyStopped(RuntimeError):
    """The key may not read or delete (401/403): nothing more is attempted."""


class RetentionBusyError(RuntimeError):
    """Another ``retention apply`` is running on the same archive."""


class DeleteRequestIds(RequestCounter):
    """Counts requests, and remembers the request id of each DELETE by its path."""

    def __init__(self) -> None:
        super().__init__()
        self.delete_ids: dict[str, str] = {}

    async def on_response(self, response: httpx2.Response) -> None:
        await super().on_response(response)
        if response.request.method == "DELETE":
            request_id = response.headers.get("request-id")
            if request_id:
                self.delete_ids[response.request.url.path] = request_id


@dataclasses.dataclass
class ApplyReport:
    """What a run did (or, with ``dry_run``, would do), object by object."""

    deleted: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    already_absent: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    would_delete: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    skipped: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    conflicts: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    failed: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    previously_done: int = 0
    rearchived: int = 0
    requests: int = 0

    def rows(self) -> list[dict[str, Any]]:
        """One row per object touched, for the command's table."""
        rows: list[dict[str, Any]] = []
        for outcome in (
            "deleted",
            "already_absent",
            "would_delete",
            "skipped",
            "conflicts",
            "failed",
        ):
            for entry in getattr(self, outcome):
                rows.append(
                    {"outcome": outcome.rstrip("s") if outcome == "conflicts" else outcome, **entry}
                )
        return rows


def _ident(entry: dict[str, Any]) -> tuple[str, str]:
    return str(entry["kind"]), str(entry["id"])


class _Applier:
    def __init__(
        self,
        client: AsyncComplianceClient,
        root: Path,
        plan: Plan,
        *,
        by: dict[str, Any],
        dry_run: bool,
        concurrency: int,
        requests: DeleteRequestIds | None,
        note: Callable[[str], None],
    ) -> None:
        self.client = client
        self.root = root
        self.plan = plan
        self.by = by
        self.dry_run = dry_run
        self.limit = asyncio.Semaphore(concurrency)
        self.requests = requests
        self.note = note
        self.report = ApplyReport()
        self.store = ArchiveStore(root)
        self.blobs = BlobStore(root)
        self.journal = DeletionJournal(self.store)
        self.rules = {rule.name: rule for rule in plan.rules}
        self.stopped: str | None = None
        self._selector: Selector | None = None

    def close(self) -> None:
        self.store.close()

    # -- the policy as it stands now ------------------------------------------------------

    def selector(self) -> Selector:
        """Rules and cut-off from the plan; holds as they are now."""
        if self._selector is None:
            holds = HoldBook(self.store).holds()
            self._selector = Selector(
                self.plan.rules,
                Directory(self.store),
                holds,
                str(self.plan.body["archive"]["as_of"]),
            )
        return self._selector

    def _archived_hash(self, kind: str, object_id: str) -> str | None:
        row = self.store.get(kind, object_id)
        if row is None or row["gone_at"] is not None:
            return None
        return record_sha256(str(row["data"]))

    # -- reading the source ---------------------------------------------------------------

    async def _source_state(self, entry: dict[str, Any]) -> str:
        """``same``, ``changed`` or ``absent``: the object at the API against the plan."""
        kind, object_id = _ident(entry)
        client = self.client
        archived = self.store.get(kind, object_id)
        record = json.loads(archived["data"]) if archived is not None else {}
        try:
            if kind == "chat":
                chat = await client.chats.get(object_id, limit=1)
                return "same" if chat.updated_at == entry["updated_at"] else "changed"
            if kind == "project":
                detail = await client.projects.get(object_id)
                return "same" if detail.updated_at == entry["updated_at"] else "changed"
            if kind == "file":
                meta = await client.files.get(object_id)
                held = record.get("md5")
                return "same" if not held or not meta.md5 or meta.md5 == held else "changed"
            if kind == "project_document":
                document = await client.project_documents.get_metadata(object_id)
                held = record.get("md5")
                same = not held or not document.md5 or document.md5 == held
                return "same" if same else "changed"
            return await self._code_artifact_state(entry, record)
        except NotFoundError:
            return "absent"

    async def _code_artifact_state(self, entry: dict[str, Any], record: dict[str, Any]) -> str:
        # No GET for one code artifact: list the owner's artifacts and find it.
        owners = list(entry["owners"]) or None
        async for artifact in self.client.code_artifacts.iter(user_ids=owners, limit=100):
            if artifact.id == entry["id"]:
                same = artifact.to_dict() == record
                return "same" if same and artifact.updated_at == entry["updated_at"] else "changed"
        return "absent"

    # -- one object -----------------------------------------------------------------------

    async def handle(self, entry: dict[str, Any], changed: list[dict[str, Any]]) -> None:
        async with self.limit:
            if self.stopped:
                return
            kind, object_id = _ident(entry)
            candidate = self._as_planned(entry)
            hold = self.selector().protecting_hold(candidate)
            if hold is not None:
                self._skip(entry, f"legal hold {hold.id} ({hold.matter}) placed since planning")
                return
            try:
                state = await self._source_state(entry)
            except APIError as error:
                self._failed(entry, error)
                return
            if state == "absent":
                await self._absent(entry)
            elif (
                state == "changed" or self._archived_hash(kind, object_id) != entry["record_sha256"]
            ):
                changed.append(entry)
            else:
                await self._delete(entry)

    def _as_planned(self, entry: dict[str, Any]) -> Candidate:
        return Candidate(
            kind=entry["kind"],
            id=entry["id"],
            organization=entry["organization"],
            owners=tuple(entry["owners"]),
            created_at=entry["created_at"],
            updated_at=entry["updated_at"],
            project_id=entry["project_id"],
            record_sha256=entry["record_sha256"],
            blob_sha256s=tuple(entry["blob_sha256s"]),
        )

    async def _absent(self, entry: dict[str, Any]) -> None:
        kind, object_id = _ident(entry)
        if self.dry_run:
            self._skip(entry, "already absent at the source")
            return
        # An earlier run that was interrupted after sending the DELETE ends here too.
        outcome = "deleted" if self.journal.attempted(kind, object_id) else "already_absent"
        self._journal(entry, outcome, request_id=None)

    async def _delete(self, entry: dict[str, Any]) -> None:
        kind, object_id = _ident(entry)
        if self.dry_run:
            self.report.would_delete.append(_brief(entry))
            return
        if self.stopped:
            return
        self.journal.attempt(kind, object_id, self.plan.sha256)
        deleters: dict[str, Callable[[str], Awaitable[None]]] = {
            "chat": self.client.chats.delete,
            "project": self.client.projects.delete,
            "file": self.client.files.delete,
            "project_document": self.client.project_documents.delete,
            "code_artifact": self.client.code_artifacts.delete,
        }
        try:
            await deleters[kind](object_id)
        except NotFoundError:
            self._journal(entry, "already_absent", request_id=None)
            return
        except ConflictError as error:
            self.report.conflicts.append({**_brief(entry), "reason": error.message})
            return
        except APIError as error:
            self._failed(entry, error)
            return
        self._journal(entry, "deleted", request_id=self._request_id(kind, object_id))

    def _request_id(self, kind: str, object_id: str) -> str | None:
        if self.requests is None:
            return None
        for path, request_id in self.requests.delete_ids.items():
            if path.endswith("/" + object_id):
                return request_id
        return None

    def _journal(self, entry: dict[str, Any], outcome: str, *, request_id: str | None) -> None:
        written = self.journal.record(
            {
                "plan": self.plan.sha256,
                "rule": entry["rule"],
                "kind": entry["kind"],
                "id": entry["id"],
                "organization": entry["organization"],
                "owners": list(entry["owners"]),
                "outcome": outcome,
                "request_id": request_id,
                "record_sha256": entry["record_sha256"],
                "blob_sha256s": list(entry["blob_sha256s"]),
                "by": self.by,
            }
        )
        if written is not None:
            target = self.report.deleted if outcome == "deleted" else self.report.already_absent
            target.append({**_brief(entry), "request_id": request_id})

    def _skip(self, entry: dict[str, Any], reason: str) -> None:
        self.report.skipped.append({**_brief(entry), "reason": reason})

    def _failed(self, entry: dict[str, Any], error: APIError) -> None:
        """An object the API would not read or delete: reported; a key that may not do this
        (401/403) stops the whole run, since no other object would fare better."""
        if not isinstance(error, (AuthenticationError, PermissionDeniedError)):
            self.report.failed.append({**_brief(entry), "reason": str(error)})
        elif self.stopped is None:
            self.stopped = (
                f"stopped: the key may not do this ({error}); nothing more will be deleted"
            )

    # -- objects changed since planning ---------------------------------------------------

    async def settle_changed(self, changed: list[dict[str, Any]]) -> None:
        """Archive the changed objects again, then delete those the policy still selects."""
        if not changed or self.stopped:
            return
        if self.dry_run:
            for entry in changed:
                self._skip(
                    entry,
                    "changed since it was archived: would archive it again, then check the policy",
                )
            return
        self.note(f"{len(changed)} objects changed since they were archived: archiving them again")
        self.store.close()
        await sync_archive(self.client, self.root)
        self.store = ArchiveStore(self.root)
        self.journal = DeletionJournal(self.store)
        self._selector = None
        self.report.rearchived += len(changed)
        inventory = Inventory(self.store, self.blobs)
        for entry in changed:
            kind, object_id = _ident(entry)
            candidate = inventory.candidate(kind, object_id)
            if candidate is None:
                await self._absent(entry)
                continue
            rule = self.rules[entry["rule"]]
            if self.selector().selects(rule, candidate) is not True:
                self._skip(entry, "changed since planning; the policy no longer selects it")
                continue
            decision = self.selector().decide(candidate)
            if decision.action != "delete":
                self._skip(entry, f"changed since planning; kept: {decision.reason}")
                continue
            await self._delete({**entry, **candidate.as_dict()})

    # -- the whole plan -------------------------------------------------------------------

    async def run(self) -> ApplyReport:
        done = self.journal.done()
        pending = []
        for entry in self.plan.deletions:
            if _ident(entry) in done:
                self.report.previously_done += 1
            else:
                pending.append(entry)
        if self.report.previously_done:
            self.note(
                f"resuming: {self.report.previously_done} objects were deleted by an "
                "earlier run of this plan"
            )
        first = [e for e in pending if e["kind"] != "project"]
        projects = [e for e in pending if e["kind"] == "project"]
        changed: list[dict[str, Any]] = []
        await asyncio.gather(*(self.handle(entry, changed) for entry in first))
        await self.settle_changed(changed)
        if self.stopped:
            raise ApplyStopped(self.stopped)
        remaining_chats = self._chats_left()
        ready = []
        for entry in projects:
            left = remaining_chats.get(entry["id"], 0)
            if left:
                self._skip(entry, f"{left} of its planned chats were not deleted")
            else:
                ready.append(entry)
        changed = []
        await asyncio.gather(*(self.handle(entry, changed) for entry in ready))
        await self.settle_changed(changed)
        if self.stopped:
            raise ApplyStopped(self.stopped)
        if self.requests is not None:
            self.report.requests = self.requests.requests
        return self.report

    def _chats_left(self) -> dict[str, int]:
        """Per project: planned chats that are not deleted (a DELETE of it would be a 409)."""
        gone = self.journal.done() | {_ident(w) for w in self.report.would_delete}
        left: dict[str, int] = {}
        for entry in self.plan.deletions:
            if entry["kind"] == "chat" and entry["project_id"] and _ident(entry) not in gone:
                left[entry["project_id"]] = left.get(entry["project_id"], 0) + 1
        return left


def _brief(entry: dict[str, Any]) -> dict[str, Any]:
    return {"rule": entry["rule"], "kind": entry["kind"], "id": entry["id"]}


async def apply_plan(
    client: AsyncComplianceClient,
    root: Path,
    plan: Plan,
    *,
    by: dict[str, Any],
    dry_run: bool = False,
    concurrency: int = 4,
    requests: DeleteRequestIds | None = None,
    note: Callable[[str], None] = lambda message: None,
) -> ApplyReport:
    """Apply ``plan`` to the archive at ``root`` through ``client``.

    Raises:
        ApplyStopped: On the first 401/403 (the report so far is attached as ``report``).
        RetentionBusyError: When another apply holds the archive.
    """
    root = Path(root)
    busy = functools.partial(RetentionBusyError, f"another retention apply is running in {root}")
    with exclusive_lock(root / LOCK_NAME, busy):
        applier = _Applier(
            client,
            root,
            plan,
            by=by,
            dry_run=dry_run,
            concurrency=concurrency,
            requests=requests,
            note=note,
        )
        try:
            return await applier.run()
        except ApplyStopped as stopped:
            stopped.report = applier.report  # type: ignore[attr-defined]
            raise
        finally:
            applier.close()
