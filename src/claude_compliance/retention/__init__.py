"""Retention with legal holds: delete what policy says, never what a hold protects, and prove it.

The workflow stands on the archive (:mod:`claude_compliance.archive`):

1. :class:`~.holds.HoldBook` keeps legal holds in the archive, in a hash-chained log;
2. :class:`~.policy.Policy` reads the retention rules from TOML;
3. :func:`~.plan.build_plan` works out, from the archive alone, what each rule deletes and what
   it keeps and why (holds, content not safely archived, projects whose chats stay);
4. :func:`~.apply.apply_plan` deletes through the API, re-checking holds and freshness right
   before each deletion, and journals every deletion in :class:`~.journal.DeletionJournal`.
"""

from __future__ import annotations

from .apply import ApplyReport, ApplyStopped, RetentionBusyError, apply_plan
from .holds import Hold, HoldBook, HoldLogError, UnknownHoldError
from .journal import DeletionJournal
from .plan import Plan, PlanError, build_plan
from .policy import Policy, PolicyError, Rule

__all__ = [
    "ApplyReport",
    "ApplyStopped",
    "DeletionJournal",
    "Hold",
    "HoldBook",
    "HoldLogError",
    "Plan",
    "PlanError",
    "Policy",
    "PolicyError",
    "RetentionBusyError",
    "Rule",
    "UnknownHoldError",
    "apply_plan",
    "build_plan",
]
