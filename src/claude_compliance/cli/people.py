"""People as users name them: ``user_…`` ids or email addresses, found in the org user lists.

The members of every organization the key sees are listed once per run (on the first email
that needs looking up) and kept on the invocation's state.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .app import CliState, fail

__all__ = ["memberships", "resolve_users"]

_CACHE_KEY = "memberships"


def memberships(state: CliState) -> list[dict[str, Any]]:
    """One record per (organization, member): the member's fields plus ``organization_uuid``
    and ``organization_name``; listed once per run."""
    cached = state.cache.get(_CACHE_KEY)
    if cached is None:
        client = state.client()
        cached = [
            {**member.to_dict(), "organization_uuid": org.uuid, "organization_name": org.name}
            for org in client.organizations.iter()
            for member in client.organizations.iter_users(org.uuid)
        ]
        state.cache[_CACHE_KEY] = cached
    return cached


def find_by_email(state: CliState, email: str) -> list[dict[str, Any]]:
    """Every membership of the person with this email address (case-insensitive)."""
    wanted = email.strip().lower()
    return [m for m in memberships(state) if str(m.get("email", "")).lower() == wanted]


def resolve_users(state: CliState, given: Iterable[str]) -> list[str]:
    """``user_…`` ids as given, email addresses looked up; an unknown email stops the command.

    Raises:
        click.ClickException: (exit 1) naming the first email no visible member has.
    """
    resolved: list[str] = []
    for value in given:
        if "@" not in value:
            resolved.append(value)
            continue
        found = find_by_email(state, value)
        if not found:
            fail(f"no member of any organization this key can read has the email {value}")
        resolved.append(str(found[0]["id"]))
    return list(dict.fromkeys(resolved))
