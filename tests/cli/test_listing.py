"""List commands built from one declaration each: the shared options mean the same everywhere
(``--user`` takes ids or emails, ``--since``/``--until`` take times as people say them), and
runtime errors are one line with exit 1, never a usage banner."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click
import pytest

from claude_compliance.cli import cli
from claude_compliance.cli.params import parse_when
from claude_compliance.emulator.server import EmulatorServer

from .conftest import Invoke, jsonl

NOW = datetime(2026, 7, 15, 12, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "upper", "expected"),
    [
        ("30d", False, datetime(2026, 6, 15, 12, 30, tzinfo=UTC)),
        ("12h", False, datetime(2026, 7, 15, 0, 30, tzinfo=UTC)),
        ("2w", True, datetime(2026, 7, 1, 12, 30, tzinfo=UTC)),
        ("45m", False, datetime(2026, 7, 15, 11, 45, tzinfo=UTC)),
        ("today", False, datetime(2026, 7, 15, tzinfo=UTC)),
        ("yesterday", True, datetime(2026, 7, 14, 23, 59, 59, 999999, tzinfo=UTC)),
        ("2026-06-30", True, datetime(2026, 6, 30, 23, 59, 59, 999999, tzinfo=UTC)),
        ("2026-06-30", False, datetime(2026, 6, 30, tzinfo=UTC)),
        ("2026-06-30T10:00:00+02:00", True, datetime(2026, 6, 30, 8, tzinfo=UTC)),
    ],
)
def test_times_as_people_say_them(text: str, upper: bool, expected: datetime) -> None:
    assert parse_when(text, upper=upper, now=NOW) == expected


def test_a_time_that_is_none_of_those_is_a_usage_error(run: Invoke) -> None:
    result = run("chats", "list", "--since", "last tuesday")
    assert result.exit_code == 2 and "30d, 12h" in result.stderr


def _list_commands() -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []

    def walk(prefix: str, command: click.Command) -> None:
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                walk(f"{prefix} {name}".strip(), sub)
        elif any(p.name == "fetch_all" for p in command.params):
            found.append((prefix, command))

    walk("", cli)
    return found


def test_every_list_command_takes_since_until_and_shows_examples() -> None:
    commands = _list_commands()
    assert len(commands) >= 15
    for name, command in commands:
        options = {opt for p in command.params for opt in getattr(p, "opts", [])}
        assert {"--since", "--until"} <= options, name
        assert command.epilog and "Examples:" in command.epilog, name
        until = next(p for p in command.params if p.name == "until")
        assert "whole day" in (getattr(until, "help", "") or ""), name


def test_until_a_date_includes_that_whole_day(run: Invoke, emulator: EmulatorServer) -> None:
    chats = list(emulator.store.iter_chats())
    day = sorted(c["created_at"] for c in chats)[len(chats) // 2][:10]
    result = run("--format", "jsonl", "chats", "list", "--all", "--since", "2020-01-01",
                 "--until", day)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    expected = [c["id"] for c in chats if c["created_at"][:10] <= day]
    assert [c["id"] for c in jsonl(result)] == expected
    assert any(c["created_at"][:10] == day for c in jsonl(result))
    clash = run("chats", "list", "--until", day, "--created-at-lte", day)
    assert clash.exit_code == 2 and "say the same thing" in clash.stderr


def test_since_on_lists_the_api_cannot_filter_by_time(
    run: Invoke, emulator: EmulatorServer
) -> None:
    orgs = list(emulator.store.iter_organizations())
    cut = orgs[2]["created_at"]
    later = jsonl(run("--format", "jsonl", "orgs", "list", "--since", cut))
    assert later == [o for o in orgs if o["created_at"] >= cut]
    members = list(emulator.store.iter_users(orgs[1]["uuid"]))
    until = sorted(m["created_at"] for m in members)[len(members) // 2]
    early = jsonl(run("--format", "jsonl", "users", "list", orgs[1]["uuid"], "--until", until))
    assert early == [m for m in members if m["created_at"] <= until]


def test_user_takes_an_email_resolved_once(run: Invoke, emulator: EmulatorServer) -> None:
    chat = next(c for c in emulator.store.iter_chats() if c["user"] and c["user"]["email_address"])
    by_id = run("--format", "jsonl", "chats", "list", "--all", "--user", chat["user"]["id"])
    by_email = run("--format", "jsonl", "chats", "list", "--all",
                   "--user", chat["user"]["email_address"].upper())  # fmt: skip
    assert by_email.exit_code == 0, by_email.stderr
    assert jsonl(by_email) == jsonl(by_id) and chat["id"] in {c["id"] for c in jsonl(by_id)}
    projects = run("--format", "jsonl", "projects", "list", "--all",
                   "--user", chat["user"]["email_address"])  # fmt: skip
    assert projects.exit_code == 0
    unknown = run("chats", "list", "--user", "nobody@nowhere.example")
    assert unknown.exit_code == 1 and unknown.stdout == ""
    assert unknown.stderr.strip().splitlines() == [
        "Error: no member of any organization this key can read has the email "
        "nobody@nowhere.example"
    ]


def test_users_find_and_get(run: Invoke, emulator: EmulatorServer) -> None:
    org = next(iter(emulator.store.iter_organizations()))["uuid"]
    member = next(iter(emulator.store.iter_users(org)))
    found = jsonl(run("--format", "jsonl", "users", "find", member["email"]))
    assert found and {f["id"] for f in found} == {member["id"]}
    assert org in {f["organization_uuid"] for f in found}
    person = run("--format", "json", "users", "get", member["id"])
    assert person.exit_code == 0 and member["email"] in person.stdout and org in person.stdout
    assert run("users", "get", member["email"]).exit_code == 0
    assert run("users", "find", "nobody@nowhere.example").exit_code == 1
    assert run("users", "get", "user_nobody").exit_code == 1


def test_runtime_errors_are_one_line_exit_1_without_the_usage_banner(
    run: Invoke, tmp_path: Path
) -> None:
    bad_id = run("projects", "get", "../organizations")
    assert bad_id.exit_code == 1 and "Usage:" not in bad_id.stderr
    assert "would change the URL path" in bad_id.stderr
    checkpoint = tmp_path / "feed.ckpt"
    checkpoint.write_text("{not json")
    corrupt = run("activities", "tail", "--checkpoint", str(checkpoint))
    assert corrupt.exit_code == 1 and "Usage:" not in corrupt.stderr
    assert len(corrupt.stderr.strip().splitlines()) == 1
    assert "not a tail checkpoint" in corrupt.stderr
