"""How the command behaves in a shell: quiet when piped into ``head``, global options anywhere,
whole summaries in group listings, completion scripts, ``-v`` request logs, and an emulator that
says how to use it."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx2
from click.testing import CliRunner

from claude_compliance.cli import cli
from claude_compliance.cli.app import hoist_global_options
from claude_compliance.emulator.server import EmulatorServer

from ..support import FULL_KEY
from .conftest import Invoke, jsonl


def test_piped_into_head_it_ends_quietly_with_status_0(emulator: EmulatorServer) -> None:
    env = {**os.environ, "ANTHROPIC_COMPLIANCE_BASE_URL": emulator.url,
           "ANTHROPIC_COMPLIANCE_ACCESS_KEY": FULL_KEY}  # fmt: skip
    command = [sys.executable, "-m", "claude_compliance.cli", "--format", "jsonl",
               "activities", "list", "--all"]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline().startswith(b'{"id":"activity_')
    process.stdout.close()  # what head does after its lines
    error = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0, error
    assert error == ""


def test_global_options_after_the_subcommand(run: Invoke) -> None:
    assert hoist_global_options(["chats", "list", "-v", "--api-key", "k", "--limit", "2"]) == [
        "-v", "--api-key", "k", "chats", "list", "--limit", "2",
    ]  # fmt: skip
    assert hoist_global_options(["--format", "json", "orgs", "list", "-q"]) == [
        "-q", "--format", "json", "orgs", "list",
    ]  # fmt: skip
    result = run("orgs", "list", "--format", "jsonl", "-q", "-v")
    assert result.exit_code == 0 and jsonl(result)
    refused = run("orgs", "list", "--api-key", "sk-ant-api01-emulator-revoked")
    assert refused.exit_code == 1 and "401" in refused.stderr


def test_v_logs_each_request_and_vv_the_details(run: Invoke) -> None:
    result = run("orgs", "list", "-v")
    line = next(x for x in result.stderr.splitlines() if "/v1/compliance/organizations" in x)
    assert "GET /v1/compliance/organizations -> 200 (request-id req_" in line
    assert FULL_KEY not in result.stderr
    assert "attempt 1" in run("orgs", "list", "-vv").stderr
    assert "/v1/compliance" not in run("orgs", "list").stderr


def test_group_listings_show_summaries_whole() -> None:
    listing = CliRunner().invoke(cli, ["--help"], terminal_width=200).stdout
    retention = next(line for line in listing.splitlines() if line.strip().startswith("retention"))
    assert retention.rstrip().endswith("every deletion journalled.")
    commands = listing.split("Commands:")[1]
    assert not any(line.rstrip().endswith("...") for line in commands.splitlines())


def test_completion_scripts() -> None:
    for shell in ("bash", "zsh", "fish"):
        result = CliRunner().invoke(cli, ["completion", shell])
        assert result.exit_code == 0 and "_CLAUDE_COMPLIANCE_COMPLETE" in result.stdout
    assert CliRunner().invoke(cli, ["completion", "tcsh"]).exit_code == 2
    completed = CliRunner().invoke(
        cli, [], prog_name="claude-compliance",
        env={"_CLAUDE_COMPLIANCE_COMPLETE": "bash_complete", "COMP_WORDS": "claude-compliance ch",
             "COMP_CWORD": "1"},
    )  # fmt: skip
    assert "chats" in completed.stdout


def test_the_emulator_says_how_to_use_it() -> None:
    command = [sys.executable, "-m", "claude_compliance.emulator", "--port", "0", "--chats", "4",
               "--activities", "40", "--rpm", "0"]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None and process.stderr is not None
        url = process.stdout.readline().strip().rsplit(" ", 1)[1]
        told = [process.stderr.readline() for _ in range(7)]
        assert any(FULL_KEY in line for line in told)
        export = next(line.strip() for line in told if line.strip().startswith("export "))
        assert export == (
            f"export ANTHROPIC_COMPLIANCE_BASE_URL={url} ANTHROPIC_COMPLIANCE_ACCESS_KEY={FULL_KEY}"
        )
        assert httpx2.get(f"{url}/_emulator/health", timeout=10).status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=20)
