"""Running the CLI in-process (Click's runner) against an emulator over loopback HTTP."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from click.testing import CliRunner, Result

from claude_compliance.cli import cli
from claude_compliance.emulator.server import EmulatorServer

from ..support import FULL_KEY

Invoke = Callable[..., Result]


def invoke_cli(
    server: EmulatorServer | None,
    *args: str,
    key: str | None = FULL_KEY,
    input: str | None = None,
) -> Result:
    """Run ``claude-compliance ARGS`` with the key and base URL in the environment."""
    env: dict[str, str | None] = {
        "ANTHROPIC_COMPLIANCE_ACCESS_KEY": key,
        "ANTHROPIC_COMPLIANCE_API_KEY": None,
        "ANTHROPIC_COMPLIANCE_BASE_URL": server.url if server else None,
    }
    return CliRunner().invoke(cli, list(args), env=env, input=input, catch_exceptions=False)


@pytest.fixture
def run(emulator: EmulatorServer) -> Invoke:
    """``run(*args, key=..., server=...)`` against the shared (read-mostly) emulator."""

    def invoke(*args: str, server: EmulatorServer | None = None, **options: Any) -> Result:
        return invoke_cli(server or emulator, *args, **options)

    return invoke


def jsonl(result: Result) -> list[dict[str, Any]]:
    """The records of a ``--format jsonl`` run."""
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
