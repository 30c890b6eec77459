"""What an archive writes is owner-only whatever the umask, and an archive belongs to one parent
organization and API origin: another tenant's key, or a database that is not ours, is refused
before anything changes. Over the emulator."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from claude_compliance.archive.binding import ArchiveMismatchError
from claude_compliance.archive.store import ForeignDatabaseError
from claude_compliance.emulator.config import EmulatorConfig
from claude_compliance.emulator.server import EmulatorServer

from ..cli.conftest import invoke_cli
from ..support import READONLY_KEY
from .conftest import SMALL_WORLD, sync


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The most permissive umask a careless shell could have."""
    previous = os.umask(0)
    yield
    os.umask(previous)


def _modes(root: Path) -> dict[str, int]:
    entries = [root, *root.rglob("*")]
    return {str(p.relative_to(root.parent)): stat.S_IMODE(p.lstat().st_mode) for p in entries}


def assert_owner_only(root: Path) -> None:
    modes = _modes(root)
    loose = {
        path: oct(mode)
        for path, mode in modes.items()
        if mode != (0o700 if (root.parent / path).is_dir() else 0o600)
    }
    assert not loose, loose


@pytest.mark.usefixtures("open_umask")
def test_the_archive_is_owner_only_whatever_the_umask(
    make_emulator: Callable[..., EmulatorServer], tmp_path: Path
) -> None:
    server = make_emulator(**SMALL_WORLD)
    root = tmp_path / "archive"
    result = sync(server, root)
    assert result.ok and result.stats.downloads > 0
    assert (root / "archive.sqlite3").is_file() and (root / ".lock").is_file()
    assert any((root / "blobs" / "sha256").rglob("*"))
    assert_owner_only(root)


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_another_parent_organization_is_refused_and_changes_nothing(
    make_emulator: Callable[..., EmulatorServer], tmp_path: Path
) -> None:
    ours = make_emulator(**SMALL_WORLD)
    root = tmp_path / "archive"
    assert sync(ours, root).ok
    before = _digest(root)
    # Another origin: refused before anything is read.
    elsewhere = make_emulator(**SMALL_WORLD)
    with pytest.raises(ArchiveMismatchError, match="was synced from"):
        sync(elsewhere, root)
    assert _digest(root) == before
    # Another tenant behind the same origin (a different world on the same port), with its
    # own key: the organizations its key sees share nothing with the archive's.
    port = ours.port
    ours.stop()
    config = EmulatorConfig(**{**SMALL_WORLD, "seed": 99, "rpm": 0, "access_activities": False})
    with EmulatorServer(config, port=port) as theirs:
        with pytest.raises(ArchiveMismatchError, match="another parent organization"):
            sync(theirs, root, key=READONLY_KEY)
        assert _digest(root) == before
        result = invoke_cli(theirs, "archive", "sync", "--to", str(root), key=READONLY_KEY)
        assert result.exit_code == 1, result.output
        # One error line (after the usual note of where the sync starts), no traceback.
        errors = [line for line in result.stderr.splitlines() if line.startswith("Error")]
        assert len(errors) == 1 and "Traceback" not in result.stderr
        assert _digest(root) == before
    # The same tenant again is fine, and a sync with the same key needs no extra request.
    with EmulatorServer(ours.config, port=port) as back:
        again = sync(back, root)
    assert again.ok and "organizations" not in again.stats.requests_by_endpoint


@pytest.mark.parametrize("content", ["tables", "garbage", "other-schema"])
def test_a_database_that_is_not_ours_is_refused_untouched(
    emulator: EmulatorServer, tmp_path: Path, content: str
) -> None:
    root = tmp_path / "not-ours"
    root.mkdir()
    database = root / "archive.sqlite3"
    if content == "garbage":
        database.write_bytes(b"not a database at all" * 100)
    else:
        connection = sqlite3.connect(database)
        if content == "tables":
            connection.execute("CREATE TABLE invoices (id INTEGER, amount REAL)")
        else:
            connection.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
            connection.execute("INSERT INTO meta VALUES ('schema_version', '99')")
        connection.commit()
        connection.close()
    before = _digest(root)
    with pytest.raises(ForeignDatabaseError):
        sync(emulator, root)
    assert _digest(root) == before and sorted(p.name for p in root.iterdir()) == ["archive.sqlite3"]
    result = invoke_cli(emulator, "archive", "sync", "--to", str(root))
    assert result.exit_code == 1 and "archive.sqlite3" in result.stderr
    assert _digest(root) == before
