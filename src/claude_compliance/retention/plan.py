"""Retention plans: what a policy deletes from an archive, what it keeps and why.

A plan is computed from the archive alone, so the same archive and policy give the same plan,
byte for byte. The cut-off time is the start of the archive's last completed sync (``as_of``):
"older than 730 days" means older than 730 days before the world the archive shows. The plan
carries its own SHA-256 (over its canonical JSON without that field); ``retention apply``
refuses a plan whose hash does not match, so a plan cannot be edited between review and apply.

An object a rule selects is deleted only if all of these hold; otherwise it is listed as kept,
with the reason:

* no active legal hold covers any of its owners in its organisation and lifetime;
* it is safely archived: its record and every piece of content the delete takes with it are in
  the archive, and each blob still hashes to its name;
* for a project: every chat still in it is deleted by the same plan first (the API refuses to
  delete a project with chats, so a project whose chats stay is kept instead of failing).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..archive.blobs import BlobStore
from ..archive.digest import archive_digest
from ..archive.store import ArchiveStore, canonical_json
from ..common.timestamps import parse_timestamp, parse_timestamp_or_none, rfc3339
from .directory import Directory
from .holds import Hold, HoldBook
from .inventory import Candidate, Inventory
from .policy import KINDS, Policy, Rule

__all__ = [
    "PLAN_FORMAT",
    "SUMMARY_COLUMNS",
    "Plan",
    "PlanError",
    "Selector",
    "build_plan",
    "last_sync_start",
]

PLAN_FORMAT = 1
DELETE_ORDER = {
    kind: n
    for n, kind in enumerate(("chat", "file", "project_document", "code_artifact", "project"))
}
"""Projects last: their chats must be gone before the API lets a project go."""


class PlanError(ValueError):
    """A plan that cannot be made or trusted (no completed sync, edited file...)."""


def last_sync_start(store: ArchiveStore) -> str:
    """When the archive's newest completed sync started: the moment the archive shows."""
    rows = store.query(
        "SELECT started_at FROM runs WHERE status LIKE 'completed%' ORDER BY id DESC LIMIT 1"
    )
    if not rows:
        raise PlanError("the archive has no completed sync: run archive sync first")
    return str(rows[0][0])


@dataclasses.dataclass(frozen=True)
class Decision:
    """What a rule does with one candidate: ``delete``, or ``keep`` with a reason."""

    action: str
    reason: str = ""


class Selector:
    """Applies a policy's rules, the holds and the safety checks to candidates.

    Shared by planning and by ``apply`` (which re-checks objects changed since planning
    against the same rules, cut-off and the holds in force at that moment).
    """

    def __init__(
        self, rules: Iterable[Rule], directory: Directory, holds: Iterable[Hold], as_of: str
    ) -> None:
        self.rules = list(rules)
        self.holds = list(holds)
        self.as_of = parse_timestamp(as_of)
        self._orgs = {
            r.name: {directory.organization(o) for o in r.organizations} for r in self.rules
        }
        self._users = {r.name: directory.users(r.users) for r in self.rules}
        self._groups = {r.name: directory.group_members(r.groups) for r in self.rules}
        self._excluded = {r.name: directory.users(r.exclude_users) for r in self.rules}

    def selects(self, rule: Rule, candidate: Candidate) -> bool | str:
        """True when ``rule`` selects the candidate; a string says why it cannot be judged."""
        if candidate.kind != rule.kind:
            return False
        owners = set(candidate.owners)
        if self._orgs[rule.name] and candidate.organization not in self._orgs[rule.name]:
            return False
        if rule.users and not owners & self._users[rule.name]:
            return False
        if rule.groups and not owners & self._groups[rule.name]:
            return False
        if owners & self._excluded[rule.name]:
            return False
        field = candidate.updated_at if rule.older_than_field == "updated_at" else None
        moment = parse_timestamp_or_none(field) or parse_timestamp_or_none(candidate.created_at)
        if moment is None:
            return f"its {rule.older_than_field} is unknown"
        return moment < self.as_of - rule.age

    def protecting_hold(self, candidate: Candidate) -> Hold | None:
        for hold in self.holds:
            if hold.protects(
                candidate.owners, candidate.organization, candidate.created_at, candidate.updated_at
            ):
                return hold
        return None

    def decide(self, candidate: Candidate) -> Decision:
        """Delete, or keep with a reason (holds first, then safety)."""
        hold = self.protecting_hold(candidate)
        if hold is not None:
            return Decision("keep", f"legal hold {hold.id} ({hold.matter})")
        if candidate.unsafe:
            return Decision("keep", "not safely archived: " + "; ".join(candidate.unsafe))
        return Decision("delete")


@dataclasses.dataclass(frozen=True)
class Plan:
    """A plan as written to disk (``body``) and its SHA-256."""

    body: Mapping[str, Any]
    sha256: str

    @staticmethod
    def hash_of(body: Mapping[str, Any]) -> str:
        return hashlib.sha256(canonical_json(dict(body)).encode()).hexdigest()

    @classmethod
    def seal(cls, body: Mapping[str, Any]) -> Plan:
        return cls(body, cls.hash_of(body))

    def to_bytes(self) -> bytes:
        document = {**self.body, "sha256": self.sha256}
        text = json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
        return text.encode()

    @classmethod
    def load(cls, path: Path) -> Plan:
        """Read a plan and check its hash.

        Raises:
            PlanError: When the file is not a plan or was changed after it was made.
        """
        try:
            document = json.loads(Path(path).read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise PlanError(f"{path} is not a retention plan ({error})") from None
        if not isinstance(document, dict) or document.get("plan_format") != PLAN_FORMAT:
            raise PlanError(f"{path} is not a retention plan of format {PLAN_FORMAT}")
        claimed = document.pop("sha256", None)
        actual = cls.hash_of(document)
        if claimed != actual:
            raise PlanError(
                f"{path} was changed after it was made (its SHA-256 is {actual}, the plan says "
                f"{claimed}): make a new plan"
            )
        return cls(document, actual)

    @property
    def deletions(self) -> list[dict[str, Any]]:
        return list(self.body["delete"])

    @property
    def rules(self) -> list[Rule]:
        return [Rule.from_dict(rule) for rule in self.body["policy"]["rules"]]


def build_plan(
    store: ArchiveStore, blobs: BlobStore, policy: Policy, *, as_of: str | None = None
) -> Plan:
    """Work out what ``policy`` deletes from the archive, and what it keeps and why."""
    cut_off = rfc3339(parse_timestamp(as_of)) if as_of else last_sync_start(store)
    holds = HoldBook(store)
    active = holds.holds()
    selector = Selector(policy.rules, Directory(store), active, cut_off)
    inventory = Inventory(store, blobs)
    chosen: dict[tuple[str, str], tuple[Rule, Candidate]] = {}
    kept: dict[tuple[str, str], dict[str, Any]] = {}
    for kind in KINDS:
        rules = [rule for rule in policy.rules if rule.kind == kind]
        if not rules:
            continue
        for candidate in inventory.candidates(kind):
            for rule in rules:
                verdict = selector.selects(rule, candidate)
                if verdict is False:
                    continue
                ident = (kind, candidate.id)
                if isinstance(verdict, str):
                    kept[ident] = _kept(rule, candidate, f"cannot judge its age: {verdict}")
                    break
                decision = selector.decide(candidate)
                if decision.action == "delete":
                    chosen[ident] = (rule, candidate)
                else:
                    kept[ident] = _kept(rule, candidate, decision.reason)
                break  # the first rule that selects an object owns it
    _keep_projects_with_staying_chats(store, chosen, kept)
    deletions = sorted(
        ({"rule": rule.name, **candidate.as_dict()} for rule, candidate in chosen.values()),
        key=lambda entry: (DELETE_ORDER[entry["kind"]], entry["id"]),
    )
    body = {
        "plan_format": PLAN_FORMAT,
        "archive": {"digest": archive_digest(store), "as_of": cut_off},
        "policy": {"sha256": policy.sha256, "rules": [rule.as_dict() for rule in policy.rules]},
        "holds": {"fingerprint": holds.fingerprint(), "active": sorted(h.id for h in active)},
        "delete": deletions,
        "kept": sorted(kept.values(), key=lambda entry: (entry["kind"], entry["id"])),
        "summary": _summary(deletions, kept.values()),
    }
    return Plan.seal(body)


def _kept(rule: Rule, candidate: Candidate, reason: str) -> dict[str, Any]:
    return {
        "rule": rule.name,
        "kind": candidate.kind,
        "id": candidate.id,
        "organization": candidate.organization,
        "owners": list(candidate.owners),
        "reason": reason,
    }


def _keep_projects_with_staying_chats(
    store: ArchiveStore,
    chosen: dict[tuple[str, str], tuple[Rule, Candidate]],
    kept: dict[tuple[str, str], dict[str, Any]],
) -> None:
    projects = [ident for ident in chosen if ident[0] == "project"]
    if not projects:
        return
    chats_of: dict[str, list[str]] = defaultdict(list)
    for chat_id, project_id in store.query(
        "SELECT key, json_extract(data, '$.project_id') FROM records "
        "WHERE kind = 'chat' AND gone_at IS NULL"
    ):
        if isinstance(project_id, str):
            chats_of[project_id].append(str(chat_id))
    for ident in projects:
        staying = [c for c in chats_of.get(ident[1], []) if ("chat", c) not in chosen]
        if staying:
            rule, candidate = chosen.pop(ident)
            kept[ident] = _kept(
                rule,
                candidate,
                f"{len(staying)} of its chats are not deleted by this plan "
                "(the API refuses to delete a project with chats)",
            )


KEPT_CLASSES = (
    ("legal hold", "kept_held"),
    ("not safely archived", "kept_unarchived"),
    ("cannot judge its age", "kept_unknown_age"),
)
"""How a kept object's reason is counted in the summary (anything else: ``kept_chats_stay``)."""
SUMMARY_COLUMNS = (
    "rule",
    "organization",
    "delete",
    "kept_held",
    "kept_unarchived",
    "kept_chats_stay",
    "kept_unknown_age",
)


def kept_class(reason: str) -> str:
    """The summary column a kept object's reason counts in."""
    return next(
        (column for prefix, column in KEPT_CLASSES if reason.startswith(prefix)), "kept_chats_stay"
    )


def _summary(
    deletions: list[dict[str, Any]], kept: Iterable[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Per rule and organisation: how many go, and how many stay for each kind of reason."""
    counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for entry in deletions:
        counts[(entry["rule"], entry["organization"] or "")]["delete"] += 1
    for held in kept:
        key = (str(held["rule"]), str(held["organization"] or ""))
        counts[key][kept_class(str(held["reason"]))] += 1
    return [
        {
            "rule": rule,
            "organization": org or None,
            **{column: counter.get(column, 0) for column in SUMMARY_COLUMNS[2:]},
        }
        for (rule, org), counter in sorted(counts.items())
    ]
