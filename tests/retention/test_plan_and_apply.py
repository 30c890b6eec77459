"""Plan from the archive, apply through the API: exactly the selected, unheld, safely archived
objects go, each journalled once; holds, changes and projects with chats are respected."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

from claude_compliance.common.timestamps import parse_timestamp
from claude_compliance.retention.inventory import record_sha256

from ..archive.conftest import live, records
from ..support import ADMIN_KEY, READONLY_KEY, control
from .conftest import CHATS_AND_PROJECTS, EVERY_KIND, World


def _journal(world: World) -> list[dict[str, Any]]:
    result = world.cli("retention", "report", "--to", str(world.root), "--format", "json")
    assert result.exit_code == 0, result.output
    entries: list[dict[str, Any]] = json.loads(result.stdout)
    return entries


def _owner_email(world: World, chat: dict[str, Any]) -> str:
    return str(chat["user"]["email_address"])


def _old_chats(world: World) -> list[dict[str, Any]]:
    cut = parse_timestamp(world.as_of)
    return sorted(
        (
            c
            for c in live(world.root, "chat").values()
            if parse_timestamp(c["updated_at"]) < cut - timedelta(days=100)
        ),
        key=lambda c: c["id"],
    )


def test_policy_deletes_exactly_what_it_selects(world: World, tmp_path: Path) -> None:
    held_chat = next(c for c in _old_chats(world) if c.get("user"))
    held_user = held_chat["user"]["id"]
    placed = world.cli(
        "holds",
        "add",
        "--to",
        str(world.root),
        "--user",
        _owner_email(world, held_chat),
        "--matter",
        "Acme v. Example",
        "--reason",
        "notice",
    )
    assert placed.exit_code == 0, placed.output
    policy = world.policy(tmp_path / "policy.toml", EVERY_KIND)
    plan = world.plan(policy, tmp_path / "plan.json")
    again = world.plan(policy, tmp_path / "again.json")
    assert (tmp_path / "plan.json").read_bytes() == (tmp_path / "again.json").read_bytes()
    assert plan == again

    planned = {(e["kind"], e["id"]) for e in plan["delete"]}
    kept = {(e["kind"], e["id"]): e["reason"] for e in plan["kept"]}
    assert {kind for kind, _ in planned} >= {"chat", "file", "project_document"}
    # Holds win: nothing of the custodian is planned, and their old chats are listed as kept.
    assert not any(held_user in e["owners"] for e in plan["delete"])
    assert kept[("chat", held_chat["id"])].startswith("legal hold")
    # Every old, unheld chat is planned; no recent one is.
    old_unheld = {c["id"] for c in _old_chats(world) if (c["user"] or {}).get("id") != held_user}
    assert {i for k, i in planned if k == "chat"} == old_unheld
    # Projects go after all their chats; a project keeping a chat is kept with the reason.
    order = [e["kind"] for e in plan["delete"]]
    assert order.index("project") > max(i for i, k in enumerate(order) if k == "chat")
    for (kind, _), reason in kept.items():
        if kind == "project":
            assert "legal hold" in reason or "chats are not deleted" in reason

    before = world.source_ids()
    archived_chats = live(world.root, "chat")
    result = world.apply(tmp_path / "plan.json", "--yes")
    assert result.exit_code == 0, result.output
    after = world.source_ids()

    # Object by object against the emulator's store: every planned object is gone ...
    for kind, object_id in planned:
        assert object_id not in after[kind], (kind, object_id)
    # ... and everything else is still there, except what a planned deletion takes with it.
    taken_with = _taken_with(world, planned)
    for kind, ids in before.items():
        for object_id in ids - {i for k, i in planned if k == kind}:
            if (kind, object_id) not in taken_with:
                assert object_id in after[kind], (kind, object_id)
    held_chats = {
        i for i, c in archived_chats.items() if (c.get("user") or {}).get("id") == held_user
    }
    assert held_chats and held_chats <= after["chat"]

    journal = _journal(world)
    assert sorted((e["kind"], e["id"]) for e in journal) == sorted(planned)
    assert {e["outcome"] for e in journal} <= {"deleted", "already_absent"}
    deleted_chats = [e for e in journal if e["kind"] == "chat"]
    assert all(
        e["outcome"] == "deleted" and e["request_id"].startswith("req_") for e in deleted_chats
    )
    by_id = {e["id"]: e for e in plan["delete"]}
    for entry in journal:
        assert entry["record_sha256"] == by_id[entry["id"]]["record_sha256"]
        assert entry["blob_sha256s"] == by_id[entry["id"]]["blob_sha256s"]
    # The archive keeps every deleted record, marked gone and listed as deleted by policy.
    chats = records(world.root, "chat")
    for entry in deleted_chats:
        assert chats[entry["id"]]["gone_at"] is not None
    with sqlite3.connect(world.root / "archive.sqlite3") as db:
        marked = db.execute("SELECT COUNT(*) FROM policy_deletions").fetchone()[0]
    assert marked == len(planned)

    # Applying the same plan again deletes nothing more and journals nothing twice.
    rerun = world.apply(tmp_path / "plan.json", "--yes")
    assert rerun.exit_code == 0, rerun.output
    assert len(_journal(world)) == len(journal)
    verified = world.cli("retention", "verify-journal", "--to", str(world.root))
    assert verified.exit_code == 0, verified.output


def _taken_with(world: World, planned: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Objects that a planned deletion removes at the source along with itself."""
    taken: set[tuple[str, str]] = set()
    messages = records(world.root, "chat_message").values()
    for message in messages:
        if ("chat", message["parent_key"]) in planned:
            taken |= {("file", f["id"]) for f in message["data"].get("files") or []}
    for attachment in records(world.root, "project_attachment").values():
        if ("project", attachment["parent_key"]) in planned:
            kind = "file" if attachment["type"] == "project_file" else "project_document"
            taken.add((kind, attachment["id"]))
    return taken


def test_a_hold_placed_after_planning_is_honoured(world: World, tmp_path: Path) -> None:
    plan = world.plan(world.policy(tmp_path / "p.toml", CHATS_AND_PROJECTS), tmp_path / "plan.json")
    victim = next(e for e in plan["delete"] if e["kind"] == "chat" and e["owners"])
    custodian = victim["owners"][0]
    placed = world.cli(
        "holds",
        "add",
        "--to",
        str(world.root),
        "--user",
        custodian,
        "--matter",
        "late",
        "--reason",
        "arrived after the plan",
    )
    assert placed.exit_code == 0, placed.output
    result = world.apply(tmp_path / "plan.json", "--yes")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    spared = [r for r in rows if custodian in json.dumps(r) or r["id"] == victim["id"]]
    assert any(r["outcome"] == "skipped" and "placed since planning" in r["reason"] for r in spared)
    source = world.source_ids()
    assert {e["id"] for e in plan["delete"] if custodian in e["owners"]} <= source["chat"] | source[
        "project"
    ]
    assert not any(custodian in e["owners"] for e in _journal(world))


def test_a_changed_object_is_archived_again_before_it_is_deleted(
    world: World, tmp_path: Path
) -> None:
    by_creation = CHATS_AND_PROJECTS.replace(
        'older_than = "100d"\n', 'older_than = "100d"\nolder_than_field = "created_at"\n', 1
    )
    plan = world.plan(world.policy(tmp_path / "p.toml", by_creation), tmp_path / "plan.json")
    chat = next(e for e in plan["delete"] if e["kind"] == "chat")
    message = control(world.server, "POST", f"/chats/{chat['id']}/messages", {"text": "late words"})
    result = world.apply(tmp_path / "plan.json", "--yes")
    assert result.exit_code == 0, result.output
    assert chat["id"] not in world.source_ids()["chat"]
    # The message written after the archive ran was archived before the chat was deleted.
    assert records(world.root, "chat_message")[message["id"]]["data"]["id"] == message["id"]
    entry = next(e for e in _journal(world) if e["id"] == chat["id"])
    current = records(world.root, "chat")[chat["id"]]
    assert entry["record_sha256"] != chat["record_sha256"]
    stored = (
        sqlite3.connect(world.root / "archive.sqlite3")
        .execute("SELECT data FROM records WHERE kind = 'chat' AND key = ?", (chat["id"],))
        .fetchone()[0]
    )
    assert entry["record_sha256"] == record_sha256(stored)
    assert current["gone_at"] is not None


def test_a_changed_object_the_policy_no_longer_selects_is_kept(
    world: World, tmp_path: Path
) -> None:
    plan = world.plan(world.policy(tmp_path / "p.toml", CHATS_AND_PROJECTS), tmp_path / "plan.json")
    chat = next(e for e in plan["delete"] if e["kind"] == "chat")
    control(world.server, "POST", f"/chats/{chat['id']}/messages", {"text": "still in use"})
    result = world.apply(tmp_path / "plan.json", "--yes")
    assert result.exit_code == 0, result.output
    row = next(r for r in json.loads(result.stdout) if r["id"] == chat["id"])
    assert row["outcome"] == "skipped" and "no longer selects" in row["reason"]
    assert chat["id"] in world.source_ids()["chat"]


def test_a_project_that_gained_a_chat_is_refused_once_not_looped(
    world: World, tmp_path: Path
) -> None:
    plan = world.plan(world.policy(tmp_path / "p.toml", CHATS_AND_PROJECTS), tmp_path / "plan.json")
    project = next(e for e in plan["delete"] if e["kind"] == "project")
    control(world.server, "POST", "/chats", {"project_id": project["id"], "messages": 1})
    result = world.apply(tmp_path / "plan.json", "--yes")
    assert result.exit_code == 1
    assert "refused by the API" in result.output
    assert project["id"] in world.source_ids()["project"]
    rows = [r for r in json.loads(result.stdout) if r["id"] == project["id"]]
    assert [r["outcome"] for r in rows] == ["conflict"]
    assert "chats attached" in rows[0]["reason"]
    # Everything else of the plan went.
    assert not {e["id"] for e in plan["delete"] if e["kind"] == "chat"} & world.source_ids()["chat"]


def test_keys_that_may_not_delete_delete_nothing_and_say_why(world: World, tmp_path: Path) -> None:
    world.plan(world.policy(tmp_path / "p.toml", CHATS_AND_PROJECTS), tmp_path / "plan.json")
    before = world.source_ids()
    for key in (READONLY_KEY, ADMIN_KEY):
        result = world.apply(tmp_path / "plan.json", "--yes", key=key)
        assert result.exit_code == 1, result.output
        assert "stopped: the key may not do this" in result.output
        assert "nothing more will be deleted" in result.output
        assert world.source_ids() == before
    assert _journal(world) == []


def test_dry_run_tampering_and_confirmation(world: World, tmp_path: Path) -> None:
    plan = world.plan(world.policy(tmp_path / "p.toml", CHATS_AND_PROJECTS), tmp_path / "plan.json")
    before = world.source_ids()
    dry = world.apply(tmp_path / "plan.json", "--dry-run")
    assert dry.exit_code == 0, dry.output
    outcomes = {r["id"]: r["outcome"] for r in json.loads(dry.stdout)}
    assert outcomes == {e["id"]: "would_delete" for e in plan["delete"]}
    assert world.source_ids() == before

    unconfirmed = world.apply(tmp_path / "plan.json")
    assert unconfirmed.exit_code == 2 and "without confirmation" in unconfirmed.output
    declined = world.cli(
        "retention", "apply", str(tmp_path / "plan.json"), "--to", str(world.root), input="n\n"
    )
    assert declined.exit_code != 0
    assert world.source_ids() == before

    edited = json.loads((tmp_path / "plan.json").read_text())
    edited["delete"].append({**edited["delete"][0], "id": "claude_chat_not_in_the_plan"})
    (tmp_path / "edited.json").write_text(json.dumps(edited))
    refused = world.apply(tmp_path / "edited.json", "--yes")
    assert refused.exit_code == 1 and "was changed after it was made" in refused.output
    assert world.source_ids() == before


def test_content_not_safely_archived_is_never_deleted(world: World, tmp_path: Path) -> None:
    policy = world.policy(tmp_path / "p.toml", CHATS_AND_PROJECTS)
    first = world.plan(policy, tmp_path / "first.json")
    chat = next(e for e in first["delete"] if e["kind"] == "chat" and e["blob_sha256s"])
    blob = chat["blob_sha256s"][0]
    (world.root / "blobs" / "sha256" / blob[:2] / blob).write_bytes(b"bit rot")
    plan = world.plan(policy, tmp_path / "plan.json")
    kept = {e["id"]: e["reason"] for e in plan["kept"]}
    assert "is corrupt in the blob store" in kept[chat["id"]]
    assert chat["id"] not in {e["id"] for e in plan["delete"]}


def test_a_journal_entry_edited_breaks_the_chain(world: World, tmp_path: Path) -> None:
    world.plan(world.policy(tmp_path / "p.toml", CHATS_AND_PROJECTS), tmp_path / "plan.json")
    assert world.apply(tmp_path / "plan.json", "--yes").exit_code == 0
    with sqlite3.connect(world.root / "archive.sqlite3") as db:
        db.execute(
            "UPDATE chained_log SET entry = replace(entry, '\"deleted\"', '\"already_absent\"') "
            "WHERE chain = 'deletions' AND seq = 2"
        )
    result = world.cli("retention", "verify-journal", "--to", str(world.root))
    assert result.exit_code == 1
    assert "deletions log is broken: entry 2 its content does not match its hash" in result.output


def test_plan_syncs_first_unless_told_not_to(world: World, tmp_path: Path) -> None:
    policy = world.policy(tmp_path / "p.toml", CHATS_AND_PROJECTS)
    fresh = control(world.server, "POST", "/chats", {"messages": 1})
    result = world.cli(
        "retention",
        "plan",
        "--policy",
        str(policy),
        "--to",
        str(world.root),
        "--out",
        str(tmp_path / "plan.json"),
        "--as-of",
        world.as_of,
    )
    assert result.exit_code == 0, result.output
    assert fresh["id"] in live(world.root, "chat")  # archived by the sync that ran first
    assert "objects to delete" in result.output


def test_plan_mistakes_are_one_line_errors(world: World, tmp_path: Path) -> None:
    bad = world.policy(
        tmp_path / "bad.toml",
        '[[rule]]\nname="x"\nkind="chat"\nolder_than="1d"\nusers=["nobody@nowhere.example"]\n',
    )
    args = (
        "retention",
        "plan",
        "--to",
        str(world.root),
        "--out",
        str(tmp_path / "p.json"),
        "--no-sync",
    )
    unknown = world.cli(*args, "--policy", str(bad))
    assert unknown.exit_code == 2 and "no user with email" in unknown.output
    typo = world.policy(tmp_path / "typo.toml", '[[rule]]\nname="x"\nkind="chat"\nolder_then="1d"')
    misspelt = world.cli(*args, "--policy", str(typo))
    assert misspelt.exit_code == 2 and "unknown key(s) older_then" in misspelt.output
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "archive.sqlite3").write_bytes(b"")
    good = world.policy(tmp_path / "good.toml", CHATS_AND_PROJECTS)
    unsynced = world.cli(
        "retention",
        "plan",
        "--to",
        str(empty),
        "--out",
        str(tmp_path / "q.json"),
        "--no-sync",
        "--policy",
        str(good),
    )
    assert unsynced.exit_code == 1 and "no completed sync" in unsynced.output
    assert not (tmp_path / "p.json").exists() and not (tmp_path / "q.json").exists()
