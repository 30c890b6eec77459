"""``export ediscovery``: complete, reproducible to the byte, and safe with hostile names."""

from __future__ import annotations

import hashlib
import json
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from claude_compliance.emulator.server import EmulatorServer

from ..archive.conftest import SMALL_WORLD, run_cli
from ..cli.conftest import invoke_cli
from ..support import FULL_KEY

HOSTILE_NAMES = ["../../evil.txt", "/etc/passwd", "..", "a/../../../b.txt", "C:\\win\\x.exe"]


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _busiest_user(server: EmulatorServer) -> dict[str, Any]:
    """The member with the most chats (and so files, generated files, artifacts)."""
    counts: dict[str, int] = {}
    for chat in server.store.iter_chats():
        if chat["user"]:
            counts[chat["user"]["id"]] = counts.get(chat["user"]["id"], 0) + 1
    user_id = max(sorted(counts), key=lambda u: counts[u])
    for org in server.store.iter_organizations():
        for user in server.store.iter_users(org["uuid"]):
            if user["id"] == user_id:
                return user
    raise AssertionError("no such member")


@pytest.fixture
def world(make_emulator: Callable[..., EmulatorServer]) -> EmulatorServer:
    return make_emulator(**SMALL_WORLD)


def test_export_is_complete_and_its_manifest_exact(world: EmulatorServer, tmp_path: Path) -> None:
    user = _busiest_user(world)
    out = tmp_path / "bundle"
    result = invoke_cli(
        world, "--format", "json", "export", "ediscovery", "--user", user["id"], "--out", str(out)
    )
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    chats = [c for c in world.store.iter_chats() if c["user"] and c["user"]["id"] == user["id"]]
    assert summary["chats"] == len(chats) > 0
    manifest = json.loads((out / "manifest.json").read_text())
    files = _tree(out)
    del files["manifest.json"]
    assert [entry["path"] for entry in manifest["files"]] == sorted(files)
    for entry in manifest["files"]:
        content = files[entry["path"]]
        assert entry["size"] == len(content)
        assert entry["sha256"] == hashlib.sha256(content).hexdigest()
    assert manifest["query"]["resolved_user_ids"] == [user["id"]]
    assert manifest["tool"] == "claude-compliance" and manifest["version"]
    base = f"users/{user['id']}"
    for chat in chats:
        exported = json.loads(files[f"{base}/chats/{chat['id']}/chat.json"])
        assert exported["chat_messages"] == world.store.chat_messages(chat["id"])
        assert f"{base}/chats/{chat['id']}/transcript.md" in files
    blobs = {b.id: b.content for b in world.store.iter_blobs()}
    for path, content in files.items():
        parts = path.split("/")
        if len(parts) >= 2 and parts[-2] in blobs and not path.endswith(".json"):
            assert content == blobs[parts[-2]], path
    activities = [json.loads(line) for line in files[f"{base}/activities.jsonl"].splitlines()]
    assert activities and all(a["actor"].get("user_id") == user["id"] for a in activities)
    owned = [p for p in world.store.iter_projects() if p["user"] and p["user"]["id"] == user["id"]]
    assert summary["projects"] == len(owned)


def test_the_same_inputs_give_the_same_bytes(world: EmulatorServer, tmp_path: Path) -> None:
    user = _busiest_user(world)
    runs = []
    for name in ("one", "two"):
        out = tmp_path / name
        by_email = invoke_cli(
            world,
            "export",
            "ediscovery",
            "--user",
            user["email"],
            "--from",
            "2025-01-01",
            "--to",
            "2026-01-01",
            "--out",
            str(out),
        )
        assert by_email.exit_code == 0, by_email.stderr
        runs.append(_tree(out))
    assert runs[0] == runs[1]
    again = invoke_cli(
        world,
        "export",
        "ediscovery",
        "--user",
        user["email"],
        "--from",
        "2025-01-01",
        "--to",
        "2026-01-01",
        "--out",
        str(tmp_path / "one"),
        "--force",
    )
    assert again.exit_code == 0 and _tree(tmp_path / "one") == runs[0]
    zips = []
    for name in ("a.zip", "b.zip"):
        result = invoke_cli(
            world,
            "export",
            "ediscovery",
            "--user",
            user["email"],
            "--from",
            "2025-01-01",
            "--to",
            "2026-01-01",
            "--out",
            str(tmp_path / name),
        )
        assert result.exit_code == 0
        zips.append((tmp_path / name).read_bytes())
    assert zips[0] == zips[1]
    with zipfile.ZipFile(tmp_path / "a.zip") as bundle:
        assert {n: bundle.read(n) for n in bundle.namelist()} == runs[0]
        assert {info.date_time for info in bundle.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_the_date_range_limits_chats_and_activities(world: EmulatorServer, tmp_path: Path) -> None:
    user = _busiest_user(world)
    chats = sorted(
        c["created_at"]
        for c in world.store.iter_chats()
        if c["user"] and c["user"]["id"] == user["id"]
    )
    cut = chats[len(chats) // 2]
    out = tmp_path / "late"
    result = invoke_cli(
        world,
        "--format",
        "json",
        "export",
        "ediscovery",
        "--user",
        user["id"],
        "--from",
        cut,
        "--out",
        str(out),
    )
    assert json.loads(result.stdout)["chats"] == len([c for c in chats if c >= cut])
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["query"]["from"] == cut
    lines = (out / "users" / user["id"] / "activities.jsonl").read_text().splitlines()
    assert all(json.loads(line)["created_at"] >= cut for line in lines)


def _make_names_hostile(server: EmulatorServer) -> None:
    store = server.store
    files = [row[0] for row in store.query("SELECT id FROM files ORDER BY id")]
    for n, file_id in enumerate(files):
        name = HOSTILE_NAMES[n % len(HOSTILE_NAMES)]
        store.execute(
            "UPDATE files SET data = json_set(data, '$.filename', ?) WHERE id = ?", (name, file_id)
        )
    store.execute(
        "UPDATE generated_files SET data = json_set(data, '$.filename', ?)",
        ("../../../generated.sh",),
    )
    store.execute(
        "UPDATE project_docs SET data = json_set(data, '$.filename', ?)", ("/tmp/doc.txt",)
    )
    store.execute(
        "UPDATE artifact_versions SET data = json_set(data, '$.title', ?)", ("../../artifact",)
    )


def test_hostile_filenames_never_leave_the_target_folder(
    world: EmulatorServer, tmp_path: Path
) -> None:
    _make_names_hostile(world)
    sandbox = tmp_path / "sandbox"
    out = sandbox / "deep" / "bundle"
    out.parent.mkdir(parents=True)
    busiest = _busiest_user(world)["id"]
    owners = {p["user"]["id"] for p in world.store.iter_projects() if p["user"]} - {busiest}
    # The busiest user (who has files, so the hostile names) goes last: the names checked
    # below are those of the last bundle, whatever order a set would give.
    for user in [*sorted(owners), busiest]:
        result = invoke_cli(
            world, "export", "ediscovery", "--user", user, "--out", str(out), "--force"
        )
        assert result.exit_code == 0, result.stderr
        everything = [p for p in sandbox.rglob("*") if p.is_file()]
        assert everything and all(p.is_relative_to(out) for p in everything)
    assert not (tmp_path / "evil.txt").exists() and not (sandbox / "evil.txt").exists()
    names = {p.name for p in out.rglob("*")}
    assert "passwd" in names or "evil.txt" in names
    # Single downloads into a folder use the server's name, made safe, too.
    downloads = sandbox / "downloads"
    downloads.mkdir()
    for file_id in [row[0] for row in world.store.query("SELECT id FROM files LIMIT 5")]:
        result = invoke_cli(world, "files", "download", file_id, "--out", str(downloads))
        assert result.exit_code == 0, result.stderr
    assert all(p.parent == downloads for p in downloads.rglob("*"))


def test_an_interrupted_export_resumes_to_the_same_bundle(
    make_emulator: Callable[..., EmulatorServer], tmp_path: Path
) -> None:
    server = make_emulator(**SMALL_WORLD, latency_ms=60)
    user = _busiest_user(server)["id"]
    reference = tmp_path / "reference"
    done = run_cli("export", "ediscovery", "--user", user, "--out", str(reference), server=server)
    assert done.returncode == 0
    out = tmp_path / "bundle"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "claude_compliance.cli",
            "export",
            "ediscovery",
            "--user",
            user,
            "--out",
            str(out),
        ],
        env={
            "ANTHROPIC_COMPLIANCE_ACCESS_KEY": FULL_KEY,
            "ANTHROPIC_COMPLIANCE_BASE_URL": server.url,
            "PATH": "/usr/bin:/bin",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    staging = tmp_path / "bundle.partial"
    deadline = time.monotonic() + 30
    # Kill once some of the bundle is staged: well inside the run.
    while sum(1 for p in staging.rglob("*") if p.is_file()) < 4 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert not out.exists()  # the bundle appears whole or not at all
    (staging / "stale.txt").write_text("left by another run")
    assert (
        run_cli("export", "ediscovery", "--user", user, "--out", str(out), server=server).returncode
        == 0
    )
    assert _tree(out) == _tree(reference)
    assert not staging.exists()


def test_export_errors(world: EmulatorServer, tmp_path: Path) -> None:
    unknown = invoke_cli(
        world,
        "export",
        "ediscovery",
        "--user",
        "nobody@nowhere.example",
        "--out",
        str(tmp_path / "x"),
    )
    assert unknown.exit_code == 1 and "nobody@nowhere.example" in unknown.stderr
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "notes.txt").write_text("mine")
    refused = invoke_cli(world, "export", "ediscovery", "--user", "user_x", "--out", str(occupied))
    assert refused.exit_code == 1 and (occupied / "notes.txt").exists()
    assert invoke_cli(world, "export", "ediscovery", "--out", str(tmp_path / "y")).exit_code == 2
    shutil.rmtree(occupied)
