"""A tail checkpoint belongs to one API origin and parent organization and is never dated in
the future; its output and checkpoint are owner-only. Over the emulator."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from claude_compliance.emulator.config import EmulatorConfig
from claude_compliance.emulator.server import EmulatorServer
from claude_compliance.tail.activity_tail import CheckpointMismatchError, TailCheckpoint

from ..cli.conftest import invoke_cli
from ..support import READONLY_KEY


@pytest.fixture
def world(make_emulator: Callable[..., EmulatorServer]) -> EmulatorServer:
    return make_emulator(activities=60, chats=4, users=4, projects=2)


def _tail(server: EmulatorServer, out: Path, checkpoint: Path, key: str | None = None) -> Result:
    options = {"key": key} if key else {}
    return invoke_cli(
        server,
        "activities",
        "tail",
        "--out",
        str(out),
        "--checkpoint",
        str(checkpoint),
        **options,
    )


def test_output_and_checkpoint_are_owner_only(world: EmulatorServer, tmp_path: Path) -> None:
    previous = os.umask(0)
    try:
        result = _tail(world, tmp_path / "feed.jsonl", tmp_path / "feed.checkpoint")
    finally:
        os.umask(previous)
    assert result.exit_code == 0, result.output
    for name in ("feed.jsonl", "feed.checkpoint"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600, name


def test_a_checkpoint_from_another_origin_is_refused(
    world: EmulatorServer, make_emulator: Callable[..., EmulatorServer], tmp_path: Path
) -> None:
    out, checkpoint = tmp_path / "feed.jsonl", tmp_path / "feed.checkpoint"
    assert _tail(world, out, checkpoint).exit_code == 0
    before = (out.read_bytes(), checkpoint.read_bytes())
    other = make_emulator(activities=60, chats=4, users=4, projects=2)
    refused = _tail(other, out, checkpoint)
    assert refused.exit_code != 0
    assert "belongs to" in refused.stderr
    assert (out.read_bytes(), checkpoint.read_bytes()) == before


def test_a_checkpoint_from_another_organization_is_refused(
    world: EmulatorServer, tmp_path: Path
) -> None:
    out, checkpoint = tmp_path / "feed.jsonl", tmp_path / "feed.checkpoint"
    assert _tail(world, out, checkpoint).exit_code == 0
    saved = json.loads(checkpoint.read_text())
    assert saved["organizations"] and saved["api_origin"] == world.url
    before = (out.read_bytes(), checkpoint.read_bytes())
    port = world.port
    world.stop()
    config = EmulatorConfig(
        seed=99, activities=60, chats=4, users=4, projects=2, rpm=0, access_activities=False
    )
    with EmulatorServer(config, port=port) as theirs:
        # Move the mark back so the other tenant's activities are read at all.
        checkpoint.write_text(json.dumps({**saved, "created_at": "2000-01-01T00:00:00Z"}))
        before = (out.read_bytes(), checkpoint.read_bytes())
        refused = _tail(theirs, out, checkpoint, key=READONLY_KEY)
    assert refused.exit_code != 0
    assert "another parent organization" in refused.stderr
    assert (out.read_bytes(), checkpoint.read_bytes()) == before


def test_a_checkpoint_dated_in_the_future_is_refused(world: EmulatorServer, tmp_path: Path) -> None:
    out, checkpoint = tmp_path / "feed.jsonl", tmp_path / "feed.checkpoint"
    checkpoint.write_text(json.dumps({"version": 1, "created_at": "2999-01-01T00:00:00Z"}))
    refused = _tail(world, out, checkpoint)
    assert refused.exit_code != 0
    assert "in the future" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_later_batches_from_other_child_organizations_are_not_another_tenant(
    tmp_path: Path,
) -> None:
    path = tmp_path / "feed.checkpoint"
    resumed = TailCheckpoint(organizations={"org-a"})
    resumed.check_organizations([{"organization_uuid": "org-a"}], path)
    resumed.check_organizations([{"organization_uuid": "org-b"}], path)  # same parent, later
    fresh = TailCheckpoint()
    for organization in ("org-a", "org-b", "org-c"):
        fresh.check_organizations([{"organization_uuid": organization}], None)
        fresh.organizations.add(organization)
    stranger = TailCheckpoint(organizations={"org-a"})
    stranger.check_organizations([{"organization_uuid": None}], path)  # nothing to judge yet
    with pytest.raises(CheckpointMismatchError, match="another parent organization"):
        stranger.check_organizations([{"organization_uuid": "org-z"}], path)
