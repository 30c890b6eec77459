"""The README's and the docs' examples run as written against the emulator.

Python blocks run whole in a fresh interpreter (with a ``client`` made first when a fragment
uses one without making it, and ``claude_…_…`` placeholders replaced by ids of the emulator's
world). Shell blocks run line by line through the real ``claude-compliance`` command, except
lines that need the reader's own data (``...``, ``…``, ``example.com``, a retention policy) or
run until stopped (``--follow``, ``serve``: servers have their own tests). Each must succeed,
and print something when it is meant to.
"""

from __future__ import annotations

import datetime
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from claude_compliance.emulator import EmulatorConfig
from claude_compliance.emulator.server import EmulatorServer

from .support import FULL_KEY

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(python|bash)\n(.*?)^```", re.M | re.S)
PLACEHOLDER = re.compile(r'"(claude_[a-z_]*?_)…"')
NEEDS_OWN_DATA = ("...", "…", "example.com", "retention.toml", "plan.json")
RUNS_UNTIL_STOPPED = ("--follow", " -f ", " serve ")
"""Marks of lines that need the reader's own data (ids, people, a retention policy and its
plan) or run until stopped; the retention workflow has its own tests over the emulator."""
CLI = str(Path(sys.executable).with_name("claude-compliance"))


def _blocks(language: str) -> list[tuple[str, str]]:
    found = []
    for document in DOCUMENTS:
        for number, match in enumerate(FENCE.finditer(document.read_text(encoding="utf-8"))):
            if match.group(1) == language:
                found.append((f"{document.name}#{number}", match.group(2)))
    return found


def _shell_lines(block: str) -> list[str]:
    joined = block.replace("\\\n", " ")
    lines = []
    for line in joined.splitlines():
        command = line.split(" # ")[0].strip()
        marks = (*NEEDS_OWN_DATA, *RUNS_UNTIL_STOPPED)
        if command.startswith("claude-compliance ") and not any(
            mark in command + " " for mark in marks
        ):
            lines.append(command)
    return lines


def _environment(emulator: EmulatorServer) -> dict[str, str]:
    return {**os.environ, "ANTHROPIC_COMPLIANCE_BASE_URL": emulator.url,
            "ANTHROPIC_COMPLIANCE_ACCESS_KEY": FULL_KEY, "COLUMNS": "100"}  # fmt: skip


@pytest.fixture(scope="module")
def emulator() -> Iterator[EmulatorServer]:
    """A world whose year ends today, as the emulator's own default does: examples say "the
    last 30 days". Pinned to today's date, so one run sees one world."""
    today = datetime.datetime.now(datetime.UTC).date()
    config = EmulatorConfig(seed=7, anchor=today, rpm=0, access_activities=False, chats=30)
    with EmulatorServer(config) as server:
        yield server


def _real_ids(emulator: EmulatorServer) -> dict[str, str]:
    store = emulator.store
    project = next(iter(store.iter_projects()))["id"]
    chat = next(iter(store.iter_chats()))["id"]
    return {"claude_proj_": project, "claude_chat_": chat}


@pytest.mark.parametrize(("where", "block"), _blocks("python"), ids=lambda v: str(v)[:30])
def test_python_examples_run(
    where: str, block: str, emulator: EmulatorServer, tmp_path: Path
) -> None:
    ids = _real_ids(emulator)
    code = PLACEHOLDER.sub(lambda m: f'"{ids.get(m.group(1), m.group(0))}"', block)
    if re.search(r"\bclient\.", code) and "ComplianceClient(" not in code:
        code = (
            "from claude_compliance import ComplianceClient\nclient = ComplianceClient()\n" + code
        )
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                            text=True, env=_environment(emulator), timeout=120)  # fmt: skip
    assert result.returncode == 0, f"{where}:\n{result.stderr}"
    if "print(" in block:
        assert result.stdout.strip(), f"{where} printed nothing"


def test_shell_examples_run(emulator: EmulatorServer, tmp_path: Path) -> None:
    ran = 0
    for where, block in _blocks("bash"):
        for line in _shell_lines(block):
            words = shlex.split(line)
            if "|" in words:
                continue  # pipelines are shown for shells; their commands run on their own
            result = subprocess.run([CLI, *words[1:]], cwd=tmp_path, capture_output=True,
                                    text=True, env=_environment(emulator), timeout=120)  # fmt: skip
            assert result.returncode == 0, f"{where}: {line}\n{result.stderr}"
            assert result.stdout.strip() or result.stderr.strip(), f"{where}: {line}: silent"
            ran += 1
    assert ran >= 5
