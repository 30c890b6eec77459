"""``sessions local|remote`` and ``code-artifacts``: Claude Code, Cowork and hosted sites."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from .app import CliState, pass_state
from .deletion import delete_each
from .params import (
    TIMESTAMP,
    destructive_options,
    format_option,
    list_options,
    paged,
    time_filters,
)

__all__ = ["code_artifacts", "sessions"]

LOCAL_COLUMNS = ["id", "user.email_address", "product_surface", "created_at", "updated_at"]
REMOTE_COLUMNS = ["id", "status", "user.email_address", "product_surface", "created_at"]
MESSAGE_COLUMNS = ["id", "role", "created_at", "model"]

# The server cuts tool inputs and results at 10 kB by default; -1 asks for all of it.
untruncated_option = click.option(
    "--untruncated/--truncated",
    default=True,
    show_default=True,
    help="Ask for whole tool inputs and results.",
)


def _limits(untruncated: bool) -> dict[str, Any]:
    return {"tool_use_input_max_bytes": -1, "tool_result_max_bytes": -1} if untruncated else {}


@click.group()
def sessions() -> None:
    """Local (on users' machines) and remote (cloud) sessions with their transcripts."""


@sessions.group("local")
def local() -> None:
    """Sessions on users' machines: Claude Code, Cowork, Office agents..."""


@local.command("list")
@click.option("--created-at-gte", type=TIMESTAMP, help="Sessions started at or after this.")
@click.option("--created-at-lt", type=TIMESTAMP, help="Sessions started before this.")
@click.option("--updated-at-gte", type=TIMESTAMP, help="Sessions active at or after this.")
@list_options(max_limit=500)
@pass_state
def list_local(
    state: CliState,
    created_at_gte: str | None,
    created_at_lt: str | None,
    updated_at_gte: str | None,
    fetch_all: bool,
    limit: int | None,
    page: str | None,
) -> None:
    """List local sessions, newest first."""
    times = {
        "created_at_gte": created_at_gte,
        "created_at_lt": created_at_lt,
        "updated_at_gte": updated_at_gte,
    }
    filters = {name: value for name, value in times.items() if value is not None}
    client = state.client()
    paged(
        state,
        fetch_all=fetch_all,
        iterate=lambda: client.local_sessions.iter(limit=limit, **filters),
        one_page=lambda: client.local_sessions.list(limit=limit, page=page, **filters),
        columns=LOCAL_COLUMNS,
    )


@local.command("get")
@click.argument("session_id")
@format_option
@pass_state
def get_local(state: CliState, session_id: str) -> None:
    """Show one local session."""
    state.output.one(state.client().local_sessions.get(session_id))


@local.command("messages")
@click.argument("session_id")
@click.option("--order", type=click.Choice(["asc", "desc"]), help="Message order (asc).")
@untruncated_option
@list_options(max_limit=1000)
@pass_state
def local_messages(
    state: CliState,
    session_id: str,
    order: Any,
    untruncated: bool,
    fetch_all: bool,
    limit: int | None,
    page: str | None,
) -> None:
    """List a local session's transcript."""
    local_sessions = state.client().local_sessions
    options = {"order": order, "limit": limit, **_limits(untruncated)}
    paged(
        state,
        fetch_all=fetch_all,
        iterate=lambda: local_sessions.iter_messages(session_id, **options),
        one_page=lambda: local_sessions.list_messages(session_id, page=page, **options),
        columns=MESSAGE_COLUMNS,
    )


@sessions.group("remote")
def remote() -> None:
    """Cowork sessions running in Anthropic's cloud."""


@remote.command("list")
@click.option("--org", "organization_ids", multiple=True, help="Organization id (repeatable).")
@click.option("--user", "user_ids", multiple=True, help="Owner user id (repeatable, 1-10).")
@time_filters("created_at")
@list_options(max_limit=500)
@pass_state
def list_remote(
    state: CliState,
    /,
    organization_ids: tuple[str, ...],
    user_ids: tuple[str, ...],
    fetch_all: bool,
    limit: int | None,
    page: str | None,
    **times: Any,
) -> None:
    """List remote sessions, newest first."""
    filters: dict[str, Any] = {
        "organization_ids": list(organization_ids) or None,
        "user_ids": list(user_ids) or None,
        "limit": limit,
        **times,
    }
    client = state.client()
    paged(
        state,
        fetch_all=fetch_all,
        iterate=lambda: client.remote_sessions.iter(**filters),
        one_page=lambda: client.remote_sessions.list(page=page, **filters),
        columns=REMOTE_COLUMNS,
    )


@remote.command("messages")
@click.argument("session_id")
@click.option("--order", type=click.Choice(["asc", "desc"]), help="Message order (asc).")
@untruncated_option
@list_options(max_limit=1000)
@pass_state
def remote_messages(
    state: CliState,
    session_id: str,
    order: Any,
    untruncated: bool,
    fetch_all: bool,
    limit: int | None,
    page: str | None,
) -> None:
    """List a remote session's transcript."""
    remote_sessions = state.client().remote_sessions
    options = {"order": order, "limit": limit, **_limits(untruncated)}
    paged(
        state,
        fetch_all=fetch_all,
        iterate=lambda: remote_sessions.iter_messages(session_id, **options),
        one_page=lambda: remote_sessions.list_messages(session_id, page=page, **options),
        columns=["id", "role", "created_at", "content_unavailable"],
    )


@click.group("code-artifacts")
def code_artifacts() -> None:
    """Sites published with Claude Code: list, download a version, delete."""


@code_artifacts.command("list")
@click.option("--org", "organization_ids", multiple=True, help="Organization id (repeatable).")
@click.option("--user", "user_ids", multiple=True, help="Owner user id (repeatable).")
@time_filters("updated_at")
@list_options(max_limit=100)
@pass_state
def list_code_artifacts(
    state: CliState,
    /,
    organization_ids: tuple[str, ...],
    user_ids: tuple[str, ...],
    fetch_all: bool,
    limit: int | None,
    page: str | None,
    **times: Any,
) -> None:
    """List code artifacts, by id."""
    filters: dict[str, Any] = {
        "organization_ids": list(organization_ids) or None,
        "user_ids": list(user_ids) or None,
        "limit": limit,
        **times,
    }
    client = state.client()
    paged(
        state,
        fetch_all=fetch_all,
        iterate=lambda: client.code_artifacts.iter(**filters),
        one_page=lambda: client.code_artifacts.list(page=page, **filters),
        columns=["id", "read_mode", "owner_user_id", "published_version_id", "updated_at"],
    )


@code_artifacts.command("download")
@click.argument("artifact_id")
@click.argument("version_id")
@click.option(
    "--out",
    "-o",
    type=click.Path(allow_dash=True),
    default=".",
    show_default=True,
    help="File path, existing folder, or - for stdout.",
)
@format_option
@pass_state
def download_code_artifact(state: CliState, artifact_id: str, version_id: str, out: str) -> None:
    """Download one version's content."""
    artifacts = state.client().code_artifacts
    if out == "-":
        for chunk in artifacts.download_version_stream(artifact_id, version_id):
            sys.stdout.buffer.write(chunk)
        sys.stdout.buffer.flush()
        return
    written = Path(artifacts.download_version_to_file(artifact_id, version_id, out))
    state.output.one(
        {
            "id": f"{artifact_id}/{version_id}",
            "path": str(written),
            "size_bytes": written.stat().st_size,
        }
    )


@code_artifacts.command("delete")
@click.argument("artifact_ids", nargs=-1, required=True)
@destructive_options
@pass_state
def delete_code_artifacts(
    state: CliState, artifact_ids: tuple[str, ...], yes: bool, dry_run: bool
) -> None:
    """Delete code artifacts (their content is removed asynchronously)."""
    client = state.client()
    delete_each(
        state,
        what="code artifacts",
        ids=list(artifact_ids),
        delete=client.code_artifacts.delete,
        describe=None,
        yes=yes,
        dry_run=dry_run,
    )
