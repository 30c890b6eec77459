"""What type checkers see of the public API: checked by ``mypy --strict`` (``make typecheck``).

Nothing here runs; every line is a claim about static types that mypy verifies, so a change that
loses a precise signature or return type (an ``Any`` leaking out of a generated method, an async
method that is no longer a coroutine) fails the type check.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import assert_type

from claude_compliance import (
    Activity,
    AsyncComplianceClient,
    ChatMessage,
    ChatMetadata,
    ComplianceClient,
    CursorPage,
    GroupMember,
    LocalSessionMessagePage,
    OffsetPage,
    Project,
    ProjectAttachment,
    ProjectDetail,
    RawResponse,
    RemoteSession,
    Role,
    TokenPage,
)


def sync_client(client: ComplianceClient) -> None:
    assert_type(client.projects.list(limit=5), OffsetPage[Project])
    assert_type(client.projects.iter(limit=5), Iterator[Project])
    assert_type(client.projects.iter(page="page_2"), Iterator[Project])  # a starting point
    assert_type(client.projects.get("claude_proj_1", timeout=5.0), ProjectDetail)
    assert_type(client.projects.delete("claude_proj_1"), None)
    assert_type(client.projects.iter_attachments("claude_proj_1"), Iterator[ProjectAttachment])
    assert_type(client.chats.list(after_id="c", extra_headers={"x": "y"}), CursorPage[ChatMetadata])
    assert_type(client.chats.iter_messages("claude_chat_1"), Iterator[ChatMessage])
    assert_type(client.files.download("claude_file_1"), bytes)
    assert_type(client.files.download_to_file("claude_file_1", "out"), Path)
    assert_type(client.files.download_stream("claude_file_1"), Iterator[bytes])
    assert_type(client.generated_files.download("claude_gen_file_1", max_bytes=9), bytes)
    assert_type(
        client.code_artifacts.download_version_to_file("cart_1", "v1", "out/", overwrite=True),
        Path,
    )
    assert_type(client.artifacts.download_stream(artifact_version_id="v"), Iterator[bytes])
    assert_type(client.groups.iter_members("rbac_group_1"), Iterator[GroupMember])
    assert_type(client.roles.list("org", limit=2), OffsetPage[Role])
    assert_type(client.local_sessions.list_messages("clls_1"), LocalSessionMessagePage)
    raw = client.projects.get.with_raw_response("claude_proj_1", extra_query={"x": "1"})
    assert_type(raw, RawResponse[ProjectDetail])
    assert_type(raw.parse(), ProjectDetail)
    assert_type(raw.status_code, int)
    assert_type(raw.request_id, str | None)


async def async_client(client: AsyncComplianceClient) -> None:
    assert_type(await client.projects.list(limit=5), OffsetPage[Project])
    assert_type(client.projects.iter(limit=5), AsyncIterator[Project])
    assert_type(await client.projects.get("claude_proj_1", timeout=None), ProjectDetail)
    assert_type(client.chats.iter_messages("claude_chat_1"), AsyncIterator[ChatMessage])
    assert_type(await client.files.download("claude_file_1"), bytes)
    assert_type(client.files.download_stream("claude_file_1"), AsyncIterator[bytes])
    assert_type(await client.code_artifacts.download_version("cart_1", "v1"), bytes)
    assert_type(client.activities.iter(limit=5), AsyncIterator[Activity])
    assert_type(await client.remote_sessions.list(limit=5), TokenPage[RemoteSession])
    raw = await client.projects.list.with_raw_response(limit=1)
    assert_type(raw, RawResponse[OffsetPage[Project]])
    # Async methods are coroutines, so they can become tasks.
    task = asyncio.create_task(client.projects.get("claude_proj_1"))
    assert_type(task, asyncio.Task[ProjectDetail])
    assert_type(await task, ProjectDetail)


def mistakes_are_type_errors(client: ComplianceClient) -> None:
    client.projects.get("claude_proj_1", bogus=1)  # type: ignore[call-arg]
    client.projects.list(limit="5")  # type: ignore[arg-type]
    client.projects.get("claude_proj_1", timeout="soon")  # type: ignore[arg-type]
    client.files.download("claude_file_1", max_bytes="big")  # type: ignore[arg-type]
    client.files.download_stream(file_id="claude_file_1")  # type: ignore[call-arg]
