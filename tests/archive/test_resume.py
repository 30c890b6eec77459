"""A sync killed with SIGKILL at any point resumes to exactly the archive an uninterrupted run
builds (same digest), and what a kill leaves behind is always consistent."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from claude_compliance.archive.blobs import BlobStore
from claude_compliance.archive.store import ArchiveStore
from claude_compliance.archive.verify import verify_archive
from claude_compliance.emulator.config import EmulatorConfig
from claude_compliance.emulator.server import EmulatorServer

from ..support import ANCHOR, FULL_KEY
from .conftest import SMALL_WORLD, digest, run_cli, sync

SEED = 23
# A little latency and few requests in flight stretch a run to about a second, so kills by
# time land in its middle.
SLOW = ("--concurrency", "2")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[EmulatorServer, str]]:
    """A world reading cannot change, and the digest of an uninterrupted sync of it."""
    config = EmulatorConfig(
        anchor=ANCHOR, seed=SEED, rpm=0, access_activities=False, latency_ms=4, **SMALL_WORLD
    )
    with EmulatorServer(config) as server:
        reference = tmp_path_factory.mktemp("reference")
        assert sync(server, reference).ok
        yield server, digest(reference)


def _assert_consistent(root: Path) -> None:
    """No row refers to content that is missing or partial."""
    store = ArchiveStore(root)
    try:
        report = verify_archive(store, BlobStore(root))
    finally:
        store.close()
    assert report.ok, (report.missing, report.corrupt)


def _resume_and_compare(server: EmulatorServer, root: Path, reference: str) -> None:
    resumed = sync(server, root)
    assert resumed.ok, resumed.stats.errors
    assert resumed.cleaned == 0 or not any((root / "blobs" / "tmp").iterdir())
    assert not any((root / "blobs" / "tmp").iterdir())
    assert digest(root) == reference


@pytest.mark.parametrize("commits", [1, 4, 12, 30, 55, 80])
def test_sigkill_after_n_commits_then_resume(
    world: tuple[EmulatorServer, str], tmp_path: Path, commits: int
) -> None:
    server, reference = world
    killed = run_cli(
        "archive", "sync", "--to", str(tmp_path), *SLOW,
        server=server, crash=("archive-commit", commits),
    )  # fmt: skip
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    _assert_consistent(tmp_path)
    assert digest(tmp_path) != reference
    _resume_and_compare(server, tmp_path, reference)


@pytest.mark.parametrize("after_seconds", [0.45, 0.6, 0.75, 0.9])
def test_sigkill_at_a_moment_then_resume(
    world: tuple[EmulatorServer, str], tmp_path: Path, after_seconds: float
) -> None:
    server, reference = world
    env = {
        "ANTHROPIC_COMPLIANCE_ACCESS_KEY": FULL_KEY,
        "ANTHROPIC_COMPLIANCE_BASE_URL": server.url,
        "PATH": "/usr/bin:/bin",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "claude_compliance.cli", "-q", "archive", "sync",
         "--to", str(tmp_path), "--concurrency", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    time.sleep(after_seconds)
    assert process.poll() is None, "the sync ended before the kill: slow the world down"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    _assert_consistent(tmp_path)
    _resume_and_compare(server, tmp_path, reference)


def test_twice_killed_then_resumed_by_the_cli(
    world: tuple[EmulatorServer, str], tmp_path: Path
) -> None:
    server, reference = world
    for commits in (7, 20):
        killed = run_cli(
            "archive", "sync", "--to", str(tmp_path), server=server,
            crash=("archive-commit", commits),
        )  # fmt: skip
        assert killed.returncode == -signal.SIGKILL
    finished = run_cli("archive", "sync", "--to", str(tmp_path), server=server)
    assert finished.returncode == 0, finished.stderr
    shown = run_cli("archive", "digest", "--to", str(tmp_path), server=server)
    assert shown.stdout.strip() == reference


def test_a_faulty_server_gives_the_same_archive(
    tmp_path: Path, world: tuple[EmulatorServer, str]
) -> None:
    _, reference = world
    config = EmulatorConfig(
        anchor=ANCHOR, seed=SEED, rpm=0, access_activities=False, fault_rate=0.2, **SMALL_WORLD
    )
    with EmulatorServer(config) as faulty:
        result = sync(faulty, tmp_path)
    assert result.ok, result.stats.errors
    assert digest(tmp_path) == reference
