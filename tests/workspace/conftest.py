"""Fixtures for the workspace: one archived hostile world per module, a running workspace."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from claude_compliance.workspace import WorkspaceServer

from .hostile import HostileArchive, build_hostile_archive


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostileArchive]:
    archived = build_hostile_archive(tmp_path_factory.mktemp("archive"))
    yield archived
    archived.server.close()


@pytest.fixture(scope="module")
def workspace(hostile: HostileArchive) -> Iterator[WorkspaceServer]:
    with WorkspaceServer(hostile.root) as server:
        yield server
