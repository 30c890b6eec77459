"""A small world, archived, and helpers to plan and apply retention against it."""

from __future__ import annotations

import dataclasses
import json
import statistics
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from claude_compliance.common.timestamps import parse_timestamp, rfc3339
from claude_compliance.emulator.server import EmulatorServer

from ..archive.conftest import SMALL_WORLD, live, sync
from ..cli.conftest import invoke_cli
from ..support import FULL_KEY

WORLD: dict[str, Any] = {**SMALL_WORLD, "chats": 24, "projects": 6}


@dataclasses.dataclass
class World:
    """An emulator, an archive of it, and a policy cut-off that splits its chats in two."""

    server: EmulatorServer
    root: Path
    as_of: str

    def cli(self, *args: str, key: str | None = FULL_KEY, input: str | None = None) -> Result:
        return invoke_cli(self.server, *args, key=key, input=input)

    def policy(self, path: Path, body: str) -> Path:
        path.write_text(body)
        return path

    def plan(self, policy: Path, out: Path, *extra: str) -> dict[str, Any]:
        result = self.cli(
            "retention",
            "plan",
            "--policy",
            str(policy),
            "--to",
            str(self.root),
            "--out",
            str(out),
            "--no-sync",
            "--as-of",
            self.as_of,
            "--format",
            "json",
            *extra,
        )
        assert result.exit_code == 0, result.output
        plan: dict[str, Any] = json.loads(out.read_text())
        return plan

    def apply(self, plan: Path, *extra: str, key: str | None = FULL_KEY) -> Result:
        return self.cli(
            "retention",
            "apply",
            str(plan),
            "--to",
            str(self.root),
            "--format",
            "json",
            *extra,
            key=key,
        )

    def source_ids(self) -> dict[str, set[str]]:
        """What the emulator holds now, by retention kind."""
        store = self.server.store
        return {
            "chat": {c["id"] for c in store.iter_chats()},
            "project": {p["id"] for p in store.iter_projects()},
            "file": {f["id"] for f in store.iter_files()},
            "project_document": {d["id"] for d in store.iter_project_documents()},
            "code_artifact": {a["id"] for a in store.iter_code_artifacts()},
        }


def split_point(root: Path) -> str:
    """An ``as_of`` 100 days after the median chat update: ``older_than = "100d"`` then selects
    the older half of the chats, whatever dates the world was generated with."""
    times = sorted(parse_timestamp(c["updated_at"]) for c in live(root, "chat").values())
    return rfc3339(statistics.median_low(times) + timedelta(days=100))


@pytest.fixture
def world(make_emulator: Callable[..., EmulatorServer], tmp_path: Path) -> World:
    server = make_emulator(**WORLD)
    root = tmp_path / "archive"
    assert sync(server, root).ok
    return World(server, root, split_point(root))


CHATS_AND_PROJECTS = """
[[rule]]
name = "old-chats"
kind = "chat"
older_than = "100d"

[[rule]]
name = "old-projects"
kind = "project"
older_than = "100d"
"""

EVERY_KIND = (
    CHATS_AND_PROJECTS
    + """
[[rule]]
name = "old-files"
kind = "file"
older_than = "100d"

[[rule]]
name = "old-documents"
kind = "project_document"
older_than = "100d"

[[rule]]
name = "old-sites"
kind = "code_artifact"
older_than = "100d"
"""
)
