"""Global options, exit codes and error lines: 0 success, 1 API/runtime error, 2 usage error."""

from __future__ import annotations

import json

from click.testing import CliRunner

from claude_compliance.cli import cli
from claude_compliance.emulator.server import EmulatorServer

from ..support import ADMIN_KEY, REVOKED_KEY
from .conftest import Invoke, invoke_cli, jsonl


def test_help_lists_every_command_group() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for group in (
        "activities", "archive", "artifacts", "chats", "code-artifacts", "documents", "emulator",
        "export", "files", "generated-files", "groups", "keys", "orgs", "projects", "roles",
        "sessions", "user-preferences", "users",
    ):  # fmt: skip
        assert group in result.stdout


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and "claude-compliance" in result.stdout


def test_a_rejected_key_is_one_line_with_the_request_id_and_never_the_key(run: Invoke) -> None:
    result = run("projects", "list", key=REVOKED_KEY)
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: 401 authentication_error")
    assert "request-id: req_" in lines[0]
    assert REVOKED_KEY not in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_key_is_a_usage_error(emulator: EmulatorServer) -> None:
    result = invoke_cli(emulator, "projects", "list", key=None)
    assert result.exit_code == 2
    assert "no API key" in result.stderr


def test_key_and_base_url_as_options(emulator: EmulatorServer) -> None:
    result = invoke_cli(
        None,
        "--api-key",
        "sk-ant-api01-emulator-full",
        "--base-url",
        emulator.url,
        "--format",
        "jsonl",
        "orgs",
        "list",
        key=None,
    )
    assert result.exit_code == 0
    assert len(jsonl(result)) == len(list(emulator.store.iter_organizations()))


def test_the_alternative_key_variable_is_accepted(emulator: EmulatorServer) -> None:
    env = {
        "ANTHROPIC_COMPLIANCE_ACCESS_KEY": None,
        "ANTHROPIC_COMPLIANCE_API_KEY": "sk-ant-api01-emulator-full",
        "ANTHROPIC_COMPLIANCE_BASE_URL": emulator.url,
    }
    result = CliRunner().invoke(cli, ["orgs", "list"], env=env)
    assert result.exit_code == 0, result.stderr


def test_a_missing_scope_is_an_api_error(run: Invoke) -> None:
    result = run("projects", "list", key=ADMIN_KEY)
    assert result.exit_code == 1
    assert "403 permission_error" in result.stderr and "request-id" in result.stderr


def test_an_unknown_id_names_it(run: Invoke) -> None:
    result = run("projects", "get", "claude_proj_doesnotexist")
    assert result.exit_code == 1
    assert "404 not_found_error" in result.stderr
    assert "claude_proj_doesnotexist" in result.stderr


def test_an_id_that_would_change_the_path_is_refused(run: Invoke) -> None:
    result = run("projects", "get", "../organizations")
    assert result.exit_code == 1
    assert "would change the URL path" in result.stderr


def test_a_bad_date_is_a_clear_usage_error(run: Invoke) -> None:
    result = run("chats", "list", "--created-at-gte", "2025-02-30")
    assert result.exit_code == 2
    assert "'--created-at-gte'" in result.stderr and "RFC 3339" in result.stderr
    result = run("projects", "list", "--updated-at-lt", "2025-01-01T10:00:00")  # no zone
    assert result.exit_code == 2


def test_dates_are_normalised_to_rfc3339(run: Invoke, emulator: EmulatorServer) -> None:
    result = run(
        "--format", "jsonl", "chats", "list", "--all", "--created-at-gte", "2025-06-01",
        "--created-at-lt", "2025-07-01T02:00:00+02:00",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    chats = jsonl(result)
    expected = [
        c for c in emulator.store.iter_chats() if "2025-06-01" <= c["created_at"] < "2025-07-01"
    ]
    assert [c["id"] for c in chats] == [c["id"] for c in expected]


def test_a_bad_option_is_a_usage_error(run: Invoke) -> None:
    assert run("projects", "list", "--no-such-option").exit_code == 2
    assert run("projects", "list", "--limit", "0").exit_code == 2
    assert run("--format", "yaml", "projects", "list").exit_code == 2
    assert run("activities", "list", "--type", "a", "--exclude-type", "b").exit_code == 2


def test_server_side_validation_errors_exit_1(run: Invoke) -> None:
    result = run("chats", "list", "--user", "user_x", "--order-by", "updated_at")
    assert result.exit_code == 1 and "400 invalid_request_error" in result.stderr


def test_verbose_logs_requests_to_stderr_only(run: Invoke) -> None:
    result = run("-vv", "--format", "json", "orgs", "list")
    assert result.exit_code == 0
    assert "GET /v1/compliance/organizations" in result.stderr
    json.loads(result.stdout)  # stdout is still pure data


def test_quiet_hides_the_next_page_hint(run: Invoke) -> None:
    noisy = run("projects", "list", "--limit", "2")
    assert "more results: --page" in noisy.stderr
    quiet = run("-q", "projects", "list", "--limit", "2")
    assert quiet.stderr == ""
