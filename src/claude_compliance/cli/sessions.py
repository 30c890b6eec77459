"""``sessions local|remote`` and ``code-artifacts``: Claude Code, Cowork and hosted sites."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from .app import CliState, command_group, pass_state
from .deletion import Deleter, add_delete
from .listing import ORDER, ORG, USER, Getter, Listing, add_all, add_list, every_time
from .params import examples, format_option

__all__ = ["code_artifacts", "sessions"]

LOCAL_COLUMNS = ["id", "user.email_address", "product_surface", "created_at", "updated_at"]
REMOTE_COLUMNS = ["id", "status", "user.email_address", "product_surface", "created_at"]
MESSAGE_COLUMNS = ["id", "role", "created_at", "model"]

# The server cuts tool inputs and results at 10 kB by default; -1 asks for all of it.
untruncated_option = click.option(
    "--untruncated/--truncated",
    default=True,
    help="Ask for whole tool inputs and results.",
)


def _limits(untruncated: bool) -> dict[str, Any]:
    return {"tool_use_input_max_bytes": -1, "tool_result_max_bytes": -1} if untruncated else {}


sessions = command_group(
    "sessions", "Local (on users' machines) and remote (cloud) sessions with their transcripts."
)


@sessions.group("local")
def local() -> None:
    """Sessions on users' machines: Claude Code, Cowork, Office agents..."""


def _message_limits(filters: dict[str, Any]) -> dict[str, Any]:
    # The server cuts tool inputs and results at 10 kB by default; -1 asks for all of it.
    untruncated = filters.pop("untruncated", False)
    return {**filters, **_limits(untruncated)}


add_all(
    local,
    [
        Listing(
            "list",
            "local_sessions",
            "List local sessions, newest first.",
            columns=LOCAL_COLUMNS,
            times=("created_at_gte", "created_at_lt", "updated_at_gte"),
            max_limit=500,
            examples=(
                "claude-compliance sessions local list --since 7d",
                "claude-compliance sessions local list --updated-at-gte today --all",
            ),
        ),
        Getter(
            "get",
            "local_sessions",
            "Show one local session.",
            examples=(
                "claude-compliance sessions local get clls_01…",
                "claude-compliance sessions local get clls_01… --format json",
            ),
        ),
        Listing(
            "messages",
            "local_sessions",
            "List a local session's transcript.",
            arguments=("session_id",),
            columns=MESSAGE_COLUMNS,
            options=(ORDER, untruncated_option),
            max_limit=1000,
            prepare=_message_limits,
            examples=(
                "claude-compliance sessions local messages clls_01… --all --format jsonl",
                "claude-compliance sessions local messages clls_01… --limit 20",
            ),
        ),
    ],
)


@sessions.group("remote")
def remote() -> None:
    """Cowork sessions running in Anthropic's cloud."""


add_all(
    remote,
    [
        Listing(
            "list",
            "remote_sessions",
            "List remote sessions, newest first.",
            columns=REMOTE_COLUMNS,
            options=(ORG, USER),
            times=every_time("created_at"),
            max_limit=500,
            examples=(
                "claude-compliance sessions remote list --user alice@example.com",
                "claude-compliance sessions remote list --since 7d --all --format jsonl",
            ),
        ),
        Listing(
            "messages",
            "remote_sessions",
            "List a remote session's transcript.",
            arguments=("session_id",),
            columns=["id", "role", "created_at", "content_unavailable"],
            options=(ORDER, untruncated_option),
            max_limit=1000,
            prepare=_message_limits,
            examples=(
                "claude-compliance sessions remote messages cse_01… --all",
                "claude-compliance sessions remote messages cse_01… --all --format jsonl",
            ),
        ),
    ],
)


code_artifacts = command_group(
    "code-artifacts", "Sites published with Claude Code: list, download a version, delete."
)


CODE_ARTIFACT_LIST = Listing(
    "list",
    "code_artifacts",
    "List code artifacts, by id.",
    columns=["id", "read_mode", "owner_user_id", "published_version_id", "updated_at"],
    options=(ORG, USER),
    times=every_time("updated_at"),
    since_field="updated_at",
    max_limit=100,
    examples=(
        "claude-compliance code-artifacts list --updated-at-gte 30d",
        "claude-compliance code-artifacts list --user alice@example.com --format json",
    ),
)
add_list(code_artifacts, CODE_ARTIFACT_LIST)


@examples(
    "claude-compliance code-artifacts download cart_01… 1767225600-3f2a",
    "claude-compliance code-artifacts download cart_01… 1767225600-3f2a --out artifacts/",
    "claude-compliance code-artifacts download cart_01… 1767225600-3f2a --out - | less",
)
@code_artifacts.command("download")
@click.argument("artifact_id")
@click.argument("version_id")
@click.option(
    "--out",
    "-o",
    type=click.Path(allow_dash=True),
    default=".",
    help="File path, folder (existing, or ending in /), or - for stdout.",
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


add_delete(
    code_artifacts,
    Deleter(
        "code_artifacts",
        "code artifacts",
        "Delete code artifacts (their content is removed asynchronously).",
        describe=None,
        selection=CODE_ARTIFACT_LIST,
        examples=(
            "claude-compliance code-artifacts delete cca_01… --dry-run",
            "claude-compliance code-artifacts delete --user alice@example.com --yes",
        ),
    ),
)
