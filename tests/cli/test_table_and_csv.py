"""Output people can use: 80-column tables keep ids whole and times to the second, --columns
picks fields, CSV flattens nested objects into dotted columns."""

from __future__ import annotations

import csv
import io

from click.testing import CliRunner

from claude_compliance.cli import cli
from claude_compliance.emulator.server import EmulatorServer

from ..support import FULL_KEY
from .conftest import Invoke, jsonl


def _narrow(emulator: EmulatorServer, *args: str) -> str:
    env = {"ANTHROPIC_COMPLIANCE_ACCESS_KEY": FULL_KEY, "COLUMNS": "80",
           "ANTHROPIC_COMPLIANCE_BASE_URL": emulator.url}  # fmt: skip
    result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_an_80_column_table_keeps_ids_whole_and_times_to_the_second(
    emulator: EmulatorServer,
) -> None:
    chats = list(emulator.store.iter_chats())[:5]
    table = _narrow(emulator, "chats", "list", "--limit", "5")
    assert all(len(line) <= 80 for line in table.splitlines())
    for chat in chats:
        assert chat["id"] in table
    wide = _narrow(emulator, "chats", "list", "--limit", "5", "--columns", "id,created_at")
    assert chats[0]["created_at"][:19] + "Z" in wide
    assert chats[0]["created_at"] not in wide  # the microseconds are cut in a table


def test_columns_pick_fields_in_every_format(run: Invoke, emulator: EmulatorServer) -> None:
    chat = next(iter(emulator.store.iter_chats()))
    picked = jsonl(run("--format", "jsonl", "chats", "list", "--limit", "1",
                       "--columns", "id,user.email_address"))  # fmt: skip
    assert picked == [{"id": chat["id"], "user.email_address": chat["user"]["email_address"]}]
    table = run("chats", "list", "--limit", "1", "--columns", "name").stdout
    assert chat["name"] in table and chat["id"] not in table


def test_csv_flattens_nested_objects_into_dotted_columns(
    run: Invoke, emulator: EmulatorServer
) -> None:
    chats = list(emulator.store.iter_chats())[:3]
    result = run("--format", "csv", "chats", "list", "--limit", "3")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert "user.id" in rows[0] and "user.email_address" in rows[0] and "user" not in rows[0]
    assert [r["user.id"] for r in rows] == [c["user"]["id"] if c["user"] else "" for c in chats]
    assert [r["created_at"] for r in rows] == [c["created_at"] for c in chats]  # exact in CSV
