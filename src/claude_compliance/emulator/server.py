"""Running the emulator: in a background thread for tests, or in the foreground for a shell.

``EmulatorServer`` is the test fixture: it binds 127.0.0.1 on a free port, serves the app with
uvicorn in a thread, and exposes the world for in-process verification::

    with EmulatorServer(EmulatorConfig(seed=7)) as server:
        httpx2.get(server.url + "/v1/compliance/activities", headers=...)
        server.store.iter_blobs()          # every byte the server holds
        server.world.add_chat()            # change the world as a user would
"""

from __future__ import annotations

import dataclasses
import ipaddress
import sys
from typing import Any

from starlette.applications import Starlette

from ..common.serving import ThreadedServer, base_url, bind, serve_until_interrupted
from .app import create_app
from .config import REVOKED_KEY, EmulatorConfig
from .faults import Fault
from .generation import build_world
from .mutations import WorldMutator
from .state import EmulatorState
from .store import Store

BANNER = "Compliance API emulator listening on {url}"


def exposure_warning(host: str, config: EmulatorConfig) -> str | None:
    """What to tell someone binding beyond loopback: the keys are public and, without a
    control token, anyone who can reach the port can rewrite the world and script faults."""
    try:
        loopback = ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if loopback:
        return None
    control = (
        "the control API (/_emulator/) requires --control-token"
        if config.control_token
        else "the control API (/_emulator/) has NO authentication: pass --control-token"
    )
    return (
        f"warning: serving on {host}, reachable from other machines; the emulator's keys are "
        f"public and {control}"
    )


class EmulatorServer:
    """A running emulator on 127.0.0.1 (context manager; ``stop()`` when done).

    Keyword overrides are applied to ``config`` (``EmulatorServer(rpm=5)``).
    """

    def __init__(
        self,
        config: EmulatorConfig | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        **overrides: Any,
    ) -> None:
        base = config or EmulatorConfig()
        self.config = dataclasses.replace(base, **overrides) if overrides else base
        self.host = host
        self.requested_port = port
        self.store: Store = build_world(self.config)
        self.app: Starlette = create_app(self.config, self.store)
        self.state: EmulatorState = self.app.state.emulator
        self.world = WorldMutator(self.store, self.config)
        self.port = 0
        self._serving: ThreadedServer | None = None

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:54321``."""
        return base_url(self.host, self.port)

    def start(self) -> EmulatorServer:
        """Start serving; returns once the server accepts connections."""
        if self._serving is not None:
            return self
        sock = bind(self.host, self.requested_port)
        self.port = sock.getsockname()[1]
        self._serving = ThreadedServer(self.app, sock, name="emulator")
        try:
            self._serving.start()
        except RuntimeError:
            self._serving = None
            raise
        return self

    def stop(self) -> None:
        """Stop serving and wait for the thread to finish (the world stays readable)."""
        if self._serving is not None:
            self._serving.stop()
        self._serving = None

    def close(self) -> None:
        """Stop and release the database."""
        self.stop()
        self.store.close()

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- conveniences for tests -----------------------------------------------------------------

    def script_faults(self, method: str, path: str, *responses: dict[str, Any]) -> None:
        """Queue faults in-process, as ``POST /_emulator/faults`` does."""
        self.state.faults.script(method, path, [Fault.from_json(r) for r in responses])

    def clear_faults(self) -> None:
        """Drop every queued fault."""
        self.state.faults.clear()

    def reset_rate_limit(self) -> None:
        """Refill the rate-limit budget."""
        self.state.limiter.reset()


def how_to_use(config: EmulatorConfig, url: str) -> str:
    """What to paste into a shell to use the emulator: its keys and an ``export`` line."""
    lines = ["Keys this emulator accepts (and their scopes):"]
    for key, scopes in config.key_scopes().items():
        lines.append(f"  {key}  {', '.join(scopes)}")
    lines.append(f"  {REVOKED_KEY}  (revoked: always 401)")
    full = next(iter(config.key_scopes()))
    lines.append("Use it from another shell:")
    lines.append(
        f"  export ANTHROPIC_COMPLIANCE_BASE_URL={url} ANTHROPIC_COMPLIANCE_ACCESS_KEY={full}"
    )
    return "\n".join(lines)


def serve(config: EmulatorConfig, host: str = "127.0.0.1", port: int = 0) -> None:
    """Serve in the foreground until interrupted; prints the banner once accepting."""
    warning = exposure_warning(host, config)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    store = build_world(config)
    app = create_app(config, store)
    sock = bind(host, port)
    url = base_url(host, sock.getsockname()[1])

    def announce() -> None:
        print(BANNER.format(url=url), flush=True)
        print(how_to_use(config, url), file=sys.stderr, flush=True)

    try:
        serve_until_interrupted(app, sock, announce)
    finally:
        store.close()
