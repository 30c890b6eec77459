"""Retention policies: which content to delete after how long, read from a TOML file.

    [[rule]]
    name = "chats-2y"
    kind = "chat"                  # chat | project | file | project_document | code_artifact
    older_than = "730d"            # d, h, w, or y (365 days)
    older_than_field = "updated_at"  # default; or "created_at"
    organizations = ["org_…"]      # optional: org ids or UUIDs (default: all)
    users = ["user_…", "a@b.com"]  # optional: only these owners
    groups = ["group_…"]           # optional: only members of these groups
    exclude_users = ["c@d.com"]    # optional: never these owners

A policy is checked strictly: an unknown key, kind or duration is an error naming the rule, since
a misspelt filter that is silently ignored would widen what gets deleted.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import tomllib
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

__all__ = ["KINDS", "Policy", "PolicyError", "Rule", "parse_duration"]

KINDS = ("chat", "project", "file", "project_document", "code_artifact")
FIELDS = ("updated_at", "created_at")
_KEYS = {
    "name",
    "kind",
    "older_than",
    "older_than_field",
    "organizations",
    "users",
    "groups",
    "exclude_users",
}
_LISTS = ("organizations", "users", "groups", "exclude_users")
_DURATION = re.compile(r"^\s*(\d+)\s*([hdwy])\s*$")
_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}


class PolicyError(ValueError):
    """The policy file is not valid; the message names the rule and the problem."""


def parse_duration(text: str) -> timedelta:
    """``730d``, ``12h``, ``2w`` or ``2y`` (a year is 365 days)."""
    match = _DURATION.match(text)
    if not match or int(match.group(1)) <= 0:
        raise ValueError(f"{text!r} is not a duration such as 730d, 12h, 2w or 2y")
    count, unit = int(match.group(1)), match.group(2)
    return count * (timedelta(days=365) if unit == "y" else _UNITS[unit])


@dataclasses.dataclass(frozen=True)
class Rule:
    """One rule of a policy (see the module docs for the fields)."""

    name: str
    kind: str
    older_than: str
    older_than_field: str = "updated_at"
    organizations: tuple[str, ...] = ()
    users: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    exclude_users: tuple[str, ...] = ()

    @property
    def age(self) -> timedelta:
        return parse_duration(self.older_than)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Rule:
        """A rule as :meth:`as_dict` wrote it (in a plan)."""
        return cls(
            name=str(data["name"]),
            kind=str(data["kind"]),
            older_than=str(data["older_than"]),
            older_than_field=str(data["older_than_field"]),
            **{key: tuple(data.get(key, ())) for key in _LISTS},
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "older_than": self.older_than,
            "older_than_field": self.older_than_field,
            "organizations": list(self.organizations),
            "users": list(self.users),
            "groups": list(self.groups),
            "exclude_users": list(self.exclude_users),
        }


def _names(rule: dict[str, Any], key: str, label: str) -> tuple[str, ...]:
    value = rule.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise PolicyError(f"{label}: {key} must be a list of non-empty strings")
    return tuple(sorted({v.strip() for v in value}))


def _rule(raw: Any, position: int) -> Rule:
    label = f"rule {position}"
    if not isinstance(raw, dict):
        raise PolicyError(f"{label}: must be a table ([[rule]])")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise PolicyError(f"{label}: needs a name")
    label = f"rule {name!r}"
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise PolicyError(f"{label}: unknown key(s) {', '.join(unknown)}")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise PolicyError(f"{label}: kind must be one of {', '.join(KINDS)} (got {kind!r})")
    older_than = raw.get("older_than")
    if not isinstance(older_than, str):
        raise PolicyError(f'{label}: needs older_than, such as "730d"')
    try:
        parse_duration(older_than)
    except ValueError as error:
        raise PolicyError(f"{label}: {error}") from None
    field = raw.get("older_than_field", "updated_at")
    if field not in FIELDS:
        raise PolicyError(f"{label}: older_than_field must be updated_at or created_at")
    return Rule(
        name=name.strip(),
        kind=kind,
        older_than=older_than.strip(),
        older_than_field=field,
        organizations=_names(raw, "organizations", label),
        users=_names(raw, "users", label),
        groups=_names(raw, "groups", label),
        exclude_users=_names(raw, "exclude_users", label),
    )


@dataclasses.dataclass(frozen=True)
class Policy:
    """A parsed policy and the SHA-256 of the file it came from."""

    rules: tuple[Rule, ...]
    sha256: str

    @classmethod
    def parse(cls, text: str) -> Policy:
        try:
            document = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise PolicyError(f"not valid TOML: {error}") from None
        unknown = sorted(set(document) - {"rule"})
        if unknown:
            raise PolicyError(f"unknown top-level key(s) {', '.join(unknown)} (expected [[rule]])")
        raw_rules = document.get("rule")
        if not isinstance(raw_rules, list) or not raw_rules:
            raise PolicyError("the policy has no rules (add [[rule]] tables)")
        rules = tuple(_rule(raw, n) for n, raw in enumerate(raw_rules, start=1))
        names = [rule.name for rule in rules]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise PolicyError(f"rule names must be unique: {', '.join(duplicates)}")
        return cls(rules, hashlib.sha256(text.encode()).hexdigest())

    @classmethod
    def load(cls, path: Path) -> Policy:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise PolicyError(f"{path}: not UTF-8 text") from None
        return cls.parse(text)
