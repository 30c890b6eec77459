"""``keys check``: what the key is and which scopes it holds, answered only from evidence.

A scope is ``yes`` only when its probe got a 2xx answer of the endpoint's shape and ``no`` only
on the API's own scope error (403 ``permission_error``, or the older 401 naming the scope);
anything else (a wrong base URL, a 5xx, a dropped connection) is ``unknown`` with the reason,
and the command exits 1 unless every probe it ran was conclusive.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import click

from .._client import ComplianceClient
from .._errors import (
    APIError,
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    UnrecognizedServerError,
)
from .._resource import served_json
from .app import CliState, command_group, describe_api_error, fail, pass_state
from .params import examples, format_option

__all__ = ["describe_key", "keys"]

PROBE_CHAT_ID = "claude_chat_scope_probe_not_a_real_chat"
"""Deleting a chat that does not exist: the scope is checked before existence, so the API's own
404 proves the delete scope without touching any data (but it is recorded in the audit log)."""

SHOWN_ORGS = 5

KEY_KINDS = (
    ("sk-ant-api01-", "Compliance Access Key"),
    ("sk-ant-admin01-", "Admin key (Activity Feed only)"),
)


def describe_key(key: str) -> tuple[str, str]:
    """The key redacted (known prefix and last four characters) and its kind."""
    for prefix, kind in KEY_KINDS:
        if key.startswith(prefix):
            rest = key[len(prefix) :]
            return (prefix + "…" + rest[-4:] if len(rest) > 8 else prefix + "…"), kind
    return ("…" + key[-4:] if len(key) > 12 else "…"), "unknown kind (not an Anthropic key prefix)"


@dataclasses.dataclass
class _Verdict:
    held: str
    reason: str = ""
    result: Any = None

    @property
    def conclusive(self) -> bool:
        return self.held in ("yes", "no")


def _is_scope_error(error: APIError) -> bool:
    if isinstance(error, PermissionDeniedError):
        return error.error_type == "permission_error"
    # The older revision answered a missing scope with 401 naming the scope.
    return isinstance(error, AuthenticationError) and "scope" in error.message


def _has_list_shape(body: Any) -> bool:
    """Evidence for "yes": the SDK's pages tolerate a missing ``data`` field, which is right
    for use but not for evidence."""
    return isinstance(body, dict) and isinstance(body.get("data"), list)


def _run(probe: Callable[[], Any]) -> _Verdict:
    """One probe: the endpoint's JSON body, read through the client like every answer."""
    try:
        body = probe()
    except UnrecognizedServerError as error:
        return _Verdict("unknown", str(error))
    except APIError as error:
        if _is_scope_error(error):
            return _Verdict("no")
        if isinstance(error, AuthenticationError):
            raise  # the key itself is refused: nothing else can be learned
        return _Verdict("unknown", describe_api_error(error))
    if _has_list_shape(body):
        return _Verdict("yes", result=body)
    return _Verdict("unknown", "a 2xx answer without the list's data field")


def _delete_probe(client: ComplianceClient, api_confirmed: bool) -> _Verdict:
    try:
        client.chats.delete(PROBE_CHAT_ID)
    except NotFoundError as error:
        if error.error_type == "not_found_error" and api_confirmed:
            return _Verdict("yes")
        return _Verdict("unknown", f"404 but the base URL was not confirmed: {error}")
    except APIError as error:
        if _is_scope_error(error):
            return _Verdict("no")
        return _Verdict("unknown", describe_api_error(error))
    return _Verdict("yes")


def _organizations(verdict: _Verdict) -> tuple[str, str]:
    if verdict.held != "yes":
        return "unknown (needs read:compliance_org_data)", "unknown"
    orgs = [org for org in verdict.result["data"] if isinstance(org, dict)]
    if not orgs:
        return "none visible", "none visible"
    # The API lists organizations oldest first, so the parent of the tree comes first.
    parent = f"{orgs[0].get('name')} ({orgs[0].get('uuid')})"
    names = [str(org.get("name")) for org in orgs]
    shown = ", ".join(names[:SHOWN_ORGS])
    has_more = verdict.result.get("has_more") is True
    if len(names) > SHOWN_ORGS or has_more:
        shown += ", …"
    more = "+" if has_more else ""
    return parent, f"{len(orgs)}{more} visible: {shown}"


keys = command_group("keys", "The API key itself: what it is and what it may do.")


@examples(
    "claude-compliance keys check",
    "claude-compliance keys check --probe-delete",
    "claude-compliance --format json keys check | jq .scopes",
)
@keys.command("check")
@click.option(
    "--probe-delete",
    is_flag=True,
    help="Also check the delete scope by deleting a chat that does not exist. The request "
    "is recorded in the organization's audit log, so it is off by default.",
)
@format_option
@pass_state
def check_key(state: CliState, probe_delete: bool) -> None:
    """Show the key (redacted), its kind, the base URL, the organizations it sees and its
    scopes, like `gh auth status`.

    Each read scope is checked with one cheap list request. Exit status 0 only when every
    check was conclusive (the scope is held, or the API itself said it is not).
    """
    client = state.client()
    redacted, kind = describe_key(state.require_key())
    org_verdict = _run(lambda: served_json(client.organizations.list))
    verdicts = {
        "read:compliance_activities": (
            "list 1 activity",
            _run(lambda: served_json(client.activities.list, limit=1)),
        ),
        "read:compliance_user_data": (
            "list 1 project",
            _run(lambda: served_json(client.projects.list, limit=1)),
        ),
        "read:compliance_org_data": ("list organizations", org_verdict),
    }
    delete_scope = "delete:compliance_user_data"
    if probe_delete:
        confirmed = any(v.conclusive for _, v in verdicts.values())
        verdicts[delete_scope] = (
            "delete a chat that does not exist (expects the API's 404)",
            _delete_probe(client, confirmed),
        )
    else:
        verdicts[delete_scope] = (
            "not checked: pass --probe-delete",
            _Verdict("not checked"),
        )
    rows = [
        {"scope": scope, "held": v.held, "checked_with": how, "reason": v.reason}
        for scope, (how, v) in verdicts.items()
    ]
    parent, organizations = _organizations(org_verdict)
    summary = {
        "key": redacted,
        "kind": kind,
        "base_url": client.base_url,
        "parent_org": parent,
        "organizations": organizations,
    }
    columns = ["scope", "held", "checked_with"]
    if any(row["reason"] for row in rows):
        columns.append("reason")
    if state.output.format == "json":
        state.output.one({**summary, "scopes": rows})
    else:
        if state.output.format == "table":
            state.output.one(summary)
        state.output.many(rows, columns=columns, title="scopes")
    inconclusive = [row["scope"] for row in rows if row["held"] == "unknown"]
    if inconclusive:
        fail(f"could not tell whether the key holds {', '.join(inconclusive)} (see the reasons)")
