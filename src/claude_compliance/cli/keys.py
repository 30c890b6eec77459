"""``keys check``: which scopes the key holds, found with cheap calls."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from .._client import ComplianceClient
from .._errors import APIError, AuthenticationError, NotFoundError, PermissionDeniedError
from .app import CliState, describe_api_error, pass_state
from .params import format_option

__all__ = ["keys"]

PROBE_CHAT_ID = "claude_chat_scope_probe_not_a_real_chat"
"""Deleting a chat that does not exist: the scope is checked before existence, so a 404 proves
the delete scope without touching any data."""


def _probes(client: ComplianceClient) -> list[tuple[str, str, Callable[[], Any]]]:
    return [
        (
            "read:compliance_activities",
            "list 1 activity",
            lambda: client.activities.list(limit=1),
        ),
        (
            "read:compliance_user_data",
            "list 1 project",
            lambda: client.projects.list(limit=1),
        ),
        (
            "read:compliance_org_data",
            "list 1 organization",
            lambda: client.organizations.list(limit=1),
        ),
        (
            "delete:compliance_user_data",
            "delete a chat that does not exist (expects 404)",
            lambda: client.chats.delete(PROBE_CHAT_ID),
        ),
    ]


@click.group()
def keys() -> None:
    """The API key itself."""


@keys.command("check")
@format_option
@pass_state
def check_key(state: CliState) -> None:
    """Show which of the four scopes the key holds (one cheap request per scope)."""
    client = state.client()
    rows = []
    for scope, probe_text, probe in _probes(client):
        try:
            probe()
            held, detail = "yes", ""
        except NotFoundError:
            held, detail = "yes", ""
        except PermissionDeniedError:
            held, detail = "no", ""
        except AuthenticationError:
            raise
        except APIError as error:
            held, detail = "unknown", describe_api_error(error)
        rows.append({"scope": scope, "held": held, "checked_with": probe_text, "error": detail})
    columns = ["scope", "held", "checked_with"]
    if any(row["error"] for row in rows):
        columns.append("error")
    state.output.many(rows, columns=columns, title="key scopes")
