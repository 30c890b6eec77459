"""An export never deletes or overwrites what it did not create, writes owner-only files with
names every system accepts, and fails in one line. Over the emulator."""

from __future__ import annotations

import os
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from claude_compliance.common.files import safe_filename
from claude_compliance.emulator.server import EmulatorServer

from ..archive.conftest import SMALL_WORLD
from ..cli.conftest import invoke_cli
from ..cli.test_inert_output import assert_transcript_structure
from ..support import REVOKED_KEY, control
from .test_export import _busiest_user


@pytest.fixture
def world(make_emulator: Callable[..., EmulatorServer]) -> EmulatorServer:
    return make_emulator(**SMALL_WORLD)


def _export(server: EmulatorServer, out: Path, *extra: str, key: str | None = None) -> Result:
    user = _busiest_user(server)["id"]
    options = {"key": key} if key else {}
    return invoke_cli(
        server, "export", "ediscovery", "--user", user, "--out", str(out), *extra, **options
    )


def _one_line(result: Result) -> None:
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_an_existing_folder_is_never_replaced_unless_it_is_our_bundle(
    world: EmulatorServer, tmp_path: Path
) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    for extra in ((), ("--force",)):
        refused = _export(world, mine, *extra)
        _one_line(refused)
        assert (mine / "notes.txt").read_text() == "mine" and len(list(mine.iterdir())) == 1
    bundle = tmp_path / "bundle"
    assert _export(world, bundle).exit_code == 0
    again = _export(world, bundle)
    _one_line(again)
    assert "--force" in again.stderr
    assert _export(world, bundle, "--force").exit_code == 0
    assert (bundle / "manifest.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bundle", "mine"]  # no leftovers


def test_an_existing_file_is_never_replaced_unless_it_is_our_zip(
    world: EmulatorServer, tmp_path: Path
) -> None:
    foreign = tmp_path / "evidence.zip"
    with zipfile.ZipFile(foreign, "w") as archive:
        archive.writestr("manifest.json", '{"tool": "something else"}')
    before = foreign.read_bytes()
    for extra in ((), ("--force",)):
        _one_line(_export(world, foreign, *extra))
        assert foreign.read_bytes() == before
    ours = tmp_path / "ours.zip"
    assert _export(world, ours).exit_code == 0
    _one_line(_export(world, ours))
    assert _export(world, ours, "--force").exit_code == 0
    assert zipfile.ZipFile(ours).read("manifest.json").startswith(b"{")


def test_a_staging_folder_it_did_not_create_is_left_alone(
    world: EmulatorServer, tmp_path: Path
) -> None:
    out = tmp_path / "bundle"
    staging = tmp_path / "bundle.partial"
    staging.mkdir()
    (staging / "precious.txt").write_text("not the export's")
    _one_line(_export(world, out))
    assert (staging / "precious.txt").read_text() == "not the export's"
    assert not out.exists()


@pytest.mark.parametrize("as_zip", [False, True])
def test_bundles_are_owner_only_whatever_the_umask(
    world: EmulatorServer, tmp_path: Path, as_zip: bool
) -> None:
    out = tmp_path / ("bundle.zip" if as_zip else "bundle")
    previous = os.umask(0)
    try:
        assert _export(world, out).exit_code == 0
    finally:
        os.umask(previous)
    if as_zip:
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
        return
    for path in [out, *out.rglob("*")]:
        expected = 0o700 if path.is_dir() else 0o600
        assert stat.S_IMODE(path.stat().st_mode) == expected, path


def test_failures_are_one_line(world: EmulatorServer, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    _one_line(_export(world, blocker / "bundle"))
    _one_line(_export(world, tmp_path / "bundle", key=REVOKED_KEY))
    readonly = tmp_path / "readonly"
    readonly.mkdir(mode=0o500)
    if os.geteuid() != 0:  # root ignores folder permissions
        _one_line(_export(world, readonly / "bundle"))


# -- names every system accepts ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("CON", "_CON"),
        ("aux.txt", "_aux.txt"),
        ("LPT1.log", "_LPT1.log"),
        ("com9", "_com9"),
        ("report. . .", "report"),
        ("notes.txt ", "notes.txt"),
        ('a<b>c:d"e|f?g*h.pdf', "a_b_c_d_e_f_g_h.pdf"),
        ("console.txt", "console.txt"),
    ],
)
def test_windows_unsafe_names_are_made_safe(name: str, expected: str) -> None:
    assert safe_filename(name, "fallback") == expected


@pytest.mark.parametrize("stem", ["a" * 300, "é" * 200, "日本" * 100, "🎉" * 80])
def test_long_names_are_cut_to_255_bytes_keeping_the_extension(stem: str) -> None:
    safe = safe_filename(stem + ".pdf", "fallback")
    assert len(safe.encode("utf-8")) <= 255 and safe.endswith(".pdf")
    assert stem.startswith(safe[: -len(".pdf")])


def test_hostile_names_export_as_safe_files_and_zip_entries(
    world: EmulatorServer, tmp_path: Path
) -> None:
    names = ["CON", "aux.txt", "x" * 300 + ".pdf", "é" * 200 + ".txt", "trailing. . "]
    files = [row[0] for row in world.store.query("SELECT id FROM files ORDER BY id")]
    for n, file_id in enumerate(files):
        world.store.execute(
            "UPDATE files SET data = json_set(data, '$.filename', ?) WHERE id = ?",
            (names[n % len(names)], file_id),
        )
    folder, bundle_zip = tmp_path / "bundle", tmp_path / "bundle.zip"
    assert _export(world, folder).exit_code == 0
    assert _export(world, bundle_zip).exit_code == 0
    exported = [p.name for p in folder.rglob("*")]
    entries = [name.rsplit("/", 1)[-1] for name in zipfile.ZipFile(bundle_zip).namelist()]
    for name in exported + entries:
        assert len(name.encode("utf-8")) <= 255, name
        assert not name.endswith((".", " ")), name
        assert name.split(".")[0].upper() not in {"CON", "AUX"}, name
    assert any(name.endswith(".pdf") and len(name) > 200 for name in exported)


def test_bundle_transcripts_cannot_be_forged(world: EmulatorServer, tmp_path: Path) -> None:
    user = _busiest_user(world)["id"]
    forged = "x\n\n## Assistant · 2020-01-01\n\n---\n<script>alert(1)</script>\x1b]0;t\x07"
    chat = control(world, "POST", "/chats", {"user_id": user, "name": forged, "messages": 0})
    control(world, "POST", f"/chats/{chat['id']}/messages", {"text": forged})
    out = tmp_path / "bundle"
    assert _export(world, out).exit_code == 0
    transcript = next(out.rglob(f"{chat['id']}/transcript.md")).read_text()
    assert "\x1b" not in transcript and "\x07" not in transcript
    # Headings only where the structure puts them: one title, one per message served.
    assert_transcript_structure(transcript, turns=len(world.store.chat_messages(chat["id"])))
