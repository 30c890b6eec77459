"""Folder locks: one sync (or retention apply) per folder, and a clear error where the platform
has no POSIX file locks instead of a CLI that cannot even start."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from claude_compliance.common.locks import LockingUnavailableError, exclusive_lock
from claude_compliance.emulator.server import EmulatorServer

from ..cli.conftest import invoke_cli

WITHOUT_FCNTL = "import sys; sys.modules['fcntl'] = None  # 'import fcntl' now fails\n"


def test_every_module_and_the_cli_import_without_fcntl() -> None:
    script = WITHOUT_FCNTL + (
        "import importlib, pkgutil, claude_compliance\n"
        "for module in pkgutil.walk_packages(claude_compliance.__path__, 'claude_compliance.'):\n"
        "    importlib.import_module(module.name)\n"
        "from claude_compliance.cli import cli\n"
        "cli(['--help'])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "archive" in result.stdout


def test_a_sync_without_fcntl_fails_with_one_line(
    emulator: EmulatorServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "fcntl", None)
    result = invoke_cli(emulator, "archive", "sync", "--to", str(tmp_path / "archive"))
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: cannot lock {tmp_path / 'archive' / '.lock'}: this platform has no POSIX file "
        "locks (fcntl)"
    ]
    with pytest.raises(LockingUnavailableError), exclusive_lock(tmp_path / "x", RuntimeError):
        pass


def test_a_held_lock_makes_the_second_holder_busy(tmp_path: Path) -> None:
    path = tmp_path / ".lock"
    with exclusive_lock(path, RuntimeError):
        busy = lambda: RuntimeError("busy")  # noqa: E731
        with pytest.raises(RuntimeError, match="busy"), exclusive_lock(path, busy):
            pass
        assert path.stat().st_mode & 0o777 == 0o600
    with exclusive_lock(path, RuntimeError):  # released when the holder left
        pass
