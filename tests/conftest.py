"""Shared fixtures: an emulator over loopback TCP, and clients of both kinds pointed at it.

Most SDK tests are written once and run twice through the ``api`` fixture: once with
:class:`AsyncComplianceClient`, once with :class:`ComplianceClient` presented in the async
client's shape (:class:`SyncAsAsync`). The emulator serves from its own thread, so a blocking
sync call inside an async test is harmless.
"""

from __future__ import annotations

import inspect
import os
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest

from claude_compliance import AsyncComplianceClient, ComplianceClient
from claude_compliance._resource import SyncResource
from claude_compliance.emulator.config import EmulatorConfig
from claude_compliance.emulator.server import EmulatorServer

from .support import ANCHOR, FULL_KEY

SEED = 7

# Clients share a machine-wide rate budget in the user's cache folder: the suite (and every
# process it starts) keeps its budget files in a folder of its own, removed when the session
# ends (or, should pytest not get that far, when the interpreter exits).
_CACHE_DIR = tempfile.TemporaryDirectory(
    prefix="claude-compliance-cache-", ignore_cleanup_errors=True
)
os.environ["CLAUDE_COMPLIANCE_CACHE_DIR"] = _CACHE_DIR.name


def pytest_unconfigure(config: pytest.Config) -> None:
    _CACHE_DIR.cleanup()


@pytest.fixture(scope="session")
def emulator() -> Iterator[EmulatorServer]:
    """A shared, read-mostly emulator: tests that change the world use ``make_emulator``."""
    with EmulatorServer(
        EmulatorConfig(anchor=ANCHOR, seed=SEED, rpm=0, access_activities=False)
    ) as server:
        yield server


@pytest.fixture
def make_emulator() -> Iterator[Callable[..., EmulatorServer]]:
    """Start private emulators with config overrides; all are stopped after the test."""
    servers: list[EmulatorServer] = []

    def start(**overrides: Any) -> EmulatorServer:
        config = EmulatorConfig(
            **{"anchor": ANCHOR, "seed": SEED, "rpm": 0, "access_activities": False, **overrides}
        )
        server = EmulatorServer(config)
        server.__enter__()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.__exit__(None, None, None)


class SyncAsAsync:
    """Present a sync client (or resource) in the async client's shape.

    Methods become coroutines that run the sync call when awaited; ``iter*`` and
    ``download_stream`` results become async iterators pulling from the sync iterator.
    """

    def __init__(self, target: Any) -> None:
        self._target = target

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._target, name)
        if isinstance(attr, SyncResource | ComplianceClient):
            return SyncAsAsync(attr)
        if not callable(attr) or inspect.isclass(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            result_or_iter = attr(*args, **kwargs) if _is_iterating(name) else None
            if result_or_iter is not None:
                return _aiter(result_or_iter)

            async def run() -> Any:
                return attr(*args, **kwargs)

            return run()

        if hasattr(attr, "with_raw_response"):
            call.with_raw_response = SyncAsAsync(attr).__getattr__("with_raw_response")  # type: ignore[attr-defined]
        return call


def _is_iterating(name: str) -> bool:
    return name.startswith("iter") or name.endswith("_stream")


async def _aiter(iterator: Iterator[Any]) -> AsyncIterator[Any]:
    for item in iterator:
        yield item


@pytest.fixture(params=["async", "sync"])
async def make_api(
    request: pytest.FixtureRequest, emulator: EmulatorServer
) -> AsyncIterator[Callable[..., Any]]:
    """Build a client of the parametrized kind: ``make_api(key=..., server=..., **options)``."""
    made: list[Any] = []

    def build(key: str = FULL_KEY, server: EmulatorServer | None = None, **options: Any) -> Any:
        url = (server or emulator).url
        if request.param == "async":
            client: Any = AsyncComplianceClient(api_key=key, base_url=url, **options)
            made.append(client)
            return client
        sync = ComplianceClient(api_key=key, base_url=url, **options)
        made.append(sync)
        return SyncAsAsync(sync)

    yield build
    for client in made:
        if isinstance(client, AsyncComplianceClient):
            await client.aclose()
        else:
            client.close()


@pytest.fixture
def api(make_api: Callable[..., Any]) -> Any:
    """A full-scope client against the shared emulator, once async and once sync."""
    return make_api()


@pytest.fixture
def sync_client(emulator: EmulatorServer) -> Iterator[ComplianceClient]:
    with ComplianceClient(api_key=FULL_KEY, base_url=emulator.url) as client:
        yield client


@pytest.fixture
async def async_client(emulator: EmulatorServer) -> AsyncIterator[AsyncComplianceClient]:
    async with AsyncComplianceClient(api_key=FULL_KEY, base_url=emulator.url) as client:
        yield client
