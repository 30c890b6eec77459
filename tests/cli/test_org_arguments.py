"""Every ORG argument takes the ``org_…`` id as well as the UUID: resolved once per run, an
unknown id is one line and exit 1."""

from __future__ import annotations

import pytest

from claude_compliance.emulator.server import EmulatorServer

from .conftest import Invoke, jsonl


def _child_org(emulator: EmulatorServer) -> tuple[str, str]:
    """An organization's (org_… id, UUID), as the chats show them."""
    chat = next(c for c in emulator.store.iter_chats() if c.get("organization_id"))
    return chat["organization_id"], chat["organization_uuid"]


@pytest.mark.parametrize(
    "command",
    [
        ("users", "list"),
        ("user-preferences",),
        ("roles", "list"),
        ("orgs", "settings"),
    ],
)
def test_an_org_id_answers_like_the_uuid(
    run: Invoke, emulator: EmulatorServer, command: tuple[str, ...]
) -> None:
    org_id, uuid = _child_org(emulator)
    by_uuid = run("--format", "jsonl", *command, uuid)
    by_id = run("--format", "jsonl", *command, org_id)
    assert by_uuid.exit_code == 0 and by_id.exit_code == 0, by_id.stderr
    assert jsonl(by_id) == jsonl(by_uuid) and jsonl(by_id)


def test_role_get_and_permissions_take_the_org_id(run: Invoke, emulator: EmulatorServer) -> None:
    org_id, uuid = _child_org(emulator)
    role = jsonl(run("--format", "jsonl", "roles", "list", uuid))[0]["id"]
    for command in (("roles", "get"), ("roles", "permissions")):
        by_id = run("--format", "json", *command, org_id, role)
        assert by_id.exit_code == 0, by_id.stderr
        assert by_id.stdout == run("--format", "json", *command, uuid, role).stdout


def test_an_unknown_org_id_is_one_line_and_exit_1(run: Invoke) -> None:
    result = run("users", "list", "org_01NoSuchOrganizationAtAll")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "Error: no organization this key can read has the id org_01NoSuchOrganizationAtAll "
        "(claude-compliance orgs list shows their UUIDs)"
    ]


def test_the_help_says_org_takes_either_form(run: Invoke) -> None:
    result = run("users", "list", "--help")
    assert "Usage: cli users list [OPTIONS] ORG" in result.stdout.replace(
        "claude-compliance", "cli"
    )
    assert "org_… id or its UUID" in result.stdout
