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
    AsyncComplianceClient,
    ChatMessage,
    ChatMetadata,
    ComplianceClient,
    CursorPage,
    OffsetPage,
    Project,
    ProjectAttachment,
    ProjectDetail,
    RawResponse,
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
