"""``keys check`` for each built-in key, and ``emulator serve``."""

from __future__ import annotations

import subprocess
import sys

import httpx2
from click.testing import CliRunner

from claude_compliance.cli import cli

from ..support import ADMIN_KEY, FULL_KEY, READONLY_KEY, REVOKED_KEY
from .conftest import Invoke, jsonl

SCOPES = [
    "read:compliance_activities",
    "read:compliance_user_data",
    "read:compliance_org_data",
    "delete:compliance_user_data",
]


def _held(run: Invoke, key: str) -> dict[str, str]:
    result = run("--format", "jsonl", "keys", "check", "--probe-delete", key=key)
    assert result.exit_code == 0, result.stderr
    return {row["scope"]: row["held"] for row in jsonl(result)}


def test_keys_check_finds_each_keys_scopes(run: Invoke) -> None:
    assert _held(run, FULL_KEY) == dict.fromkeys(SCOPES, "yes")
    assert _held(run, READONLY_KEY) == {**dict.fromkeys(SCOPES, "yes"), SCOPES[3]: "no"}
    assert _held(run, ADMIN_KEY) == {**dict.fromkeys(SCOPES, "no"), SCOPES[0]: "yes"}
    table = run("keys", "check")
    assert "read:compliance_org_data" in table.stdout


def test_keys_check_with_a_revoked_key_fails(run: Invoke) -> None:
    result = run("keys", "check", key=REVOKED_KEY)
    assert result.exit_code == 1 and "401" in result.stderr


def test_emulator_serve_reuses_the_emulator_options() -> None:
    help_result = CliRunner().invoke(cli, ["emulator", "serve", "--help"])
    assert help_result.exit_code == 0
    assert "--fault-rate" in help_result.stdout and "--no-access-activities" in help_result.stdout
    bad = CliRunner().invoke(cli, ["emulator", "serve", "--fault-rate", "7"])
    assert bad.exit_code == 2
    unknown = CliRunner().invoke(cli, ["emulator", "serve", "--bogus"])
    assert unknown.exit_code == 2


def test_emulator_serve_prints_the_url_and_serves() -> None:
    command = [sys.executable, "-m", "claude_compliance.cli", "emulator", "serve", "--port", "0"]
    process = subprocess.Popen(
        [*command, "--chats", "4", "--activities", "40", "--rpm", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        assert line.startswith("Compliance API emulator listening on http://127.0.0.1:")
        url = line.rsplit(" ", 1)[1]
        response = httpx2.get(f"{url}/_emulator/health", timeout=10)
        assert response.json()["status"] == "ok"
    finally:
        process.terminate()
        process.wait(timeout=20)
