"""Organizations as users name them: the ``org_…`` id (as chats, projects and the Activity Feed
show it) or the bare UUID (what the API's organization paths take).

The organizations list carries UUIDs only, so an ``org_…`` id is matched through a record that
names both: the newest activity, chat or project of that organization (the list filters accept
either form), one request per id, checked against the organizations list and kept on the
invocation's state for the rest of the run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._errors import APIError
from .app import CliState, fail

__all__ = ["ORG_ARGUMENT", "resolve_arguments", "resolve_org"]

ORG_ARGUMENT = "org_uuid"
"""The name of the positional argument that takes an organization (``users list ORG``...)."""

_CACHE_KEY = "organization_uuids"


def _known_uuids(state: CliState) -> set[str] | None:
    """The UUIDs of the organizations the key sees (``None`` when it cannot list them)."""
    try:
        return {org.uuid.lower() for org in state.client().organizations.iter()}
    except APIError:
        return None


def _witnesses(state: CliState, org_id: str) -> list[Callable[[], Any]]:
    client = state.client()
    return [
        lambda: client.activities.list(organization_ids=[org_id], limit=1),
        lambda: client.chats.list(organization_ids=[org_id], limit=1),
        lambda: client.projects.list(organization_ids=[org_id], limit=1),
    ]


def _uuid_from_records(state: CliState, org_id: str, known: set[str] | None) -> str | None:
    for listing in _witnesses(state, org_id):
        try:
            page = listing()
        except APIError:
            continue  # a scope the key lacks, or a filter this server refuses: try the next
        for record in page.data:
            served = record.to_dict()
            uuid = served.get("organization_uuid")
            named = served.get("organization_id") == org_id and isinstance(uuid, str)
            if named and (known is None or str(uuid).lower() in known):
                return str(uuid)
    return None


def resolve_org(state: CliState, value: str) -> str:
    """The organization's UUID for ``value`` (an ``org_…`` id or the UUID itself).

    Raises:
        click.ClickException: (exit 1) when no organization the key can read has that id.
    """
    value = value.strip()
    if not value.startswith("org_"):
        return value
    cache: dict[str, str] = state.cache.setdefault(_CACHE_KEY, {})
    if value not in cache:
        found = _uuid_from_records(state, value, _known_uuids(state))
        if found is None:
            fail(
                f"no organization this key can read has the id {value} "
                "(claude-compliance orgs list shows their UUIDs)"
            )
        cache[value] = found
    return cache[value]


def resolve_arguments(state: CliState, names: tuple[str, ...], values: list[str]) -> list[str]:
    """Positional ids in order, the organization among them as its UUID."""
    return [
        resolve_org(state, value) if name == ORG_ARGUMENT else value
        for name, value in zip(names, values, strict=True)
    ]
