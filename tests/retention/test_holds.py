"""Legal holds: placed by id or email, listed, released with a reason, never rewritten."""

from __future__ import annotations

import json
import sqlite3

from .conftest import World


def _holds(world: World, *extra: str) -> list[dict[str, object]]:
    result = world.cli("holds", "list", "--to", str(world.root), "--format", "json", *extra)
    assert result.exit_code == 0, result.output
    holds: list[dict[str, object]] = json.loads(result.stdout)
    return holds


def test_add_list_and_release(world: World) -> None:
    store = world.server.store
    users = [u for org in store.iter_organizations() for u in store.iter_users(org["uuid"])]
    first, second = users[:2]
    added = world.cli(
        "holds",
        "add",
        "--to",
        str(world.root),
        "--user",
        first["email"].upper(),
        "--user",
        second["id"],
        "--from",
        "2025-01-01",
        "--until",
        "2025-06-30",
        "--matter",
        "Acme v. Example",
        "--reason",
        "hold notice",
        "--format",
        "json",
    )
    assert added.exit_code == 0, added.output
    hold = json.loads(added.stdout)
    assert hold["users"] == ", ".join(sorted([first["id"], second["id"]]))
    assert hold["from"] == "2025-01-01T00:00:00Z"
    assert hold["until"] == "2025-06-30T23:59:59.999999Z"  # a date includes its whole day
    assert hold["added_by"]["key"].startswith("sk-ant-api01-…")
    assert "emulator-full" not in added.stdout  # the key is never shown whole
    assert [h["id"] for h in _holds(world)] == [hold["id"]]

    released = world.cli(
        "holds", "release", hold["id"], "--to", str(world.root), "--reason", "settled"
    )
    assert released.exit_code == 0, released.output
    assert _holds(world) == []
    (kept,) = _holds(world, "--all")
    assert kept["id"] == hold["id"] and kept["released"]
    again = world.cli("holds", "release", hold["id"], "--to", str(world.root), "--reason", "x")
    assert again.exit_code != 0 and "released already" in again.output


def test_mistakes_are_refused_and_change_nothing(world: World) -> None:
    base = ("holds", "add", "--to", str(world.root), "--matter", "M", "--reason", "R")
    unknown = world.cli(*base, "--user", "nobody@nowhere.example")
    assert unknown.exit_code == 2 and "no user with email" in unknown.output
    backwards = world.cli(
        *base, "--user", "user_x", "--from", "2026-02-01", "--until", "2026-01-01"
    )
    assert backwards.exit_code == 2 and "range is empty" in backwards.output
    no_archive = world.cli("holds", "list", "--to", str(world.root / "missing"))
    assert no_archive.exit_code == 1 and "no archive" in no_archive.output
    missing = world.cli("holds", "release", "hold_nope", "--to", str(world.root), "--reason", "r")
    assert missing.exit_code != 0 and "no hold 'hold_nope'" in missing.output
    assert _holds(world, "--all") == []


def test_a_tampered_hold_log_is_not_trusted(world: World, tmp_path: object) -> None:
    placed = world.cli(
        "holds",
        "add",
        "--to",
        str(world.root),
        "--user",
        "user_x",
        "--matter",
        "M",
        "--reason",
        "R",
    )
    assert placed.exit_code == 0, placed.output
    with sqlite3.connect(world.root / "archive.sqlite3") as db:
        db.execute("UPDATE chained_log SET entry = replace(entry, 'user_x', 'user_y')")
    listed = world.cli("holds", "list", "--to", str(world.root))
    assert listed.exit_code == 1 and "fails verification at entry 1" in listed.output
    verified = world.cli("retention", "verify-journal", "--to", str(world.root))
    assert verified.exit_code == 1 and "holds log is broken" in verified.output
