"""The tail's checkpoint file and the recovery of lines written after it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claude_compliance.tail.activity_tail import TailCheckpoint, reconcile_output


def test_tail_checkpoint_round_trip_and_pruning(tmp_path: Path) -> None:
    checkpoint = TailCheckpoint()
    checkpoint.remember({"id": "a1", "created_at": "2025-01-01T00:00:00Z"})
    checkpoint.remember({"id": "a2", "created_at": "2025-01-01T00:10:00Z"})
    checkpoint.forget_before(300)
    assert checkpoint.recent == {"a2": "2025-01-01T00:10:00Z"}
    path = tmp_path / "c.json"
    checkpoint.save(path)
    assert TailCheckpoint.load(path) == checkpoint
    path.write_text("[1, 2]")
    with pytest.raises(ValueError, match="not a tail checkpoint"):
        TailCheckpoint.load(path)


def test_reconcile_output_counts_written_lines_and_cuts_a_torn_one(tmp_path: Path) -> None:
    out = tmp_path / "feed.jsonl"
    first = json.dumps({"id": "a1", "created_at": "2025-01-01T00:00:00Z"})
    second = json.dumps({"id": "a2", "created_at": "2025-01-01T00:00:01Z"})
    out.write_text(first + "\n" + "not json\n" + second + "\n" + '{"id": "a3", "cre')
    checkpoint = TailCheckpoint(out_offset=0)
    assert reconcile_output(out, checkpoint) == 2
    assert out.read_text().endswith(second + "\n")
    assert checkpoint.out_offset == out.stat().st_size
    assert set(checkpoint.recent) == {"a1", "a2"}
    rotated = TailCheckpoint(out_offset=10**9)
    assert reconcile_output(out, rotated) == 0
    assert reconcile_output(tmp_path / "absent.jsonl", TailCheckpoint()) == 0
