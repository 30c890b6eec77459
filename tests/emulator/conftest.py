"""Fixtures for the emulator's wire tests: real servers on loopback, raw httpx2 clients."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx2
import pytest

from claude_compliance.emulator import EmulatorConfig, EmulatorServer

from ..support import ANCHOR
from .helpers import api_client


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    """A read-only emulator shared by a module (unlimited budget, no access activities)."""
    with EmulatorServer(EmulatorConfig(anchor=ANCHOR, rpm=0, access_activities=False)) as running:
        yield running


@pytest.fixture
def client(server: EmulatorServer) -> Iterator[httpx2.Client]:
    """A full-scope client of the shared emulator."""
    with api_client(server) as http:
        yield http


@pytest.fixture
def fresh() -> Iterator[Callable[..., EmulatorServer]]:
    """Start private emulators (config overrides as keywords); all stop after the test."""
    started: list[EmulatorServer] = []

    def start(**overrides: Any) -> EmulatorServer:
        config = EmulatorConfig(
            **{"anchor": ANCHOR, "rpm": 0, "access_activities": False, **overrides}
        )
        running = EmulatorServer(config).start()
        started.append(running)
        return running

    yield start
    for running in started:
        running.close()
