"""The canary: a recognisable key pushed through every code path must never show up in a log
record, a repr, or an exception's text, headers or body."""

from __future__ import annotations

import logging
import traceback
from pathlib import Path
from typing import Any

import pytest

from claude_compliance import APIError, AsyncComplianceClient, ComplianceClient
from claude_compliance.emulator.config import EmulatorConfig
from claude_compliance.emulator.server import EmulatorServer

from ..support import ANCHOR, control

CANARY = "sk-ant-api01-CANARY-7f3a9c1e5b2d4f60"
READ_SCOPES = (
    "read:compliance_activities",
    "read:compliance_user_data",
    "read:compliance_org_data",
)


def _texts_of(error: BaseException) -> list[str]:
    texts = [str(error), repr(error), "".join(traceback.format_exception(error))]
    if isinstance(error, APIError):
        texts += [repr(error.headers), repr(error.body), repr(vars(error))]
    return texts


@pytest.fixture
def canary_server() -> Any:
    config = EmulatorConfig(
        anchor=ANCHOR, seed=3, rpm=0, access_activities=False, api_keys={CANARY: READ_SCOPES}
    )
    with EmulatorServer(config) as server:
        yield server


async def test_key_never_leaks(
    canary_server: EmulatorServer,
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, including httpx2's and httpcore's
    texts: list[str] = []
    errors: list[BaseException] = []

    def attempt(fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            errors.append(exc)
            return None

    async def attempt_async(coro: Any) -> Any:
        try:
            return await coro
        except Exception as exc:
            errors.append(exc)
            return None

    url = canary_server.url
    monkeypatch.setenv("ANTHROPIC_COMPLIANCE_ACCESS_KEY", CANARY)
    client = ComplianceClient(base_url=url, max_retries=1)
    copy = client.with_options(timeout=5)
    texts += [repr(client), repr(copy), repr(client.projects), repr(client._options)]
    texts += [repr(client._transport.core.options), str(client._options.api_key)]

    project = next(iter(canary_server.store.iter_projects()))
    file_id = next(b.id for b in canary_server.store.iter_blobs() if b.kind == "file")
    attempt(lambda: list(client.projects.iter(limit=5)))
    attempt(client.projects.get, project["id"])
    attempt(client.projects.get, "claude_proj_missing")  # 404
    attempt(client.projects.list, limit=0)  # 400
    attempt(client.projects.delete, project["id"])  # 403: the canary cannot delete
    attempt(client.files.download, file_id)
    attempt(client.files.download_to_file, file_id, tmp_path)
    attempt(client.files.download, file_id, max_bytes=1)  # too large
    control(
        canary_server,
        "POST",
        "/faults",
        {
            "method": "GET",
            "path": "/v1/compliance/apps/projects",
            "responses": [
                {"status": 503},
                {"drop": True},
                {"status": 429, "headers": {"retry-after": "0"}},
            ],
        },
    )
    attempt(client.projects.list)  # retried, then fails
    attempt(client.projects.list)
    attempt(
        ComplianceClient(api_key=CANARY, base_url="http://127.0.0.1:9", max_retries=0).projects.list
    )
    attempt(lambda: ComplianceClient(api_key=CANARY, base_url="ftp://nowhere"))
    attempt(
        lambda: ComplianceClient(
            api_key="sk-ant-api01-revoked-not-canary", base_url=url
        ).projects.list()
    )

    async with AsyncComplianceClient(base_url=url, max_retries=0) as aclient:
        texts.append(repr(aclient))
        await attempt_async(aclient.projects.get("claude_proj_missing"))
        await attempt_async(aclient.files.download(file_id))
        async for _ in aclient.projects.iter(limit=50):
            pass
    async with AsyncComplianceClient(
        api_key=CANARY, base_url="http://127.0.0.1:9", max_retries=0
    ) as dead:
        await attempt_async(dead.projects.list())
    client.close()

    assert len(errors) >= 8
    for error in errors:
        texts += _texts_of(error)
    for record in caplog.records:
        texts += [
            record.getMessage(),
            repr(record.args),
            str(record.exc_text),
            repr(record.__dict__),
        ]
    assert caplog.records, "debug logging was captured"
    leaks = [t for t in texts if CANARY in t]
    assert leaks == []
