"""Serving a local web app (the emulator, the archive workspace) with uvicorn.

The socket is bound before uvicorn starts (port 0 picks a free one), so the URL is known, and
can be printed, before the first request arrives. Apps are served either from a daemon thread
(tests, benchmarks, in-process use) or in the foreground until Ctrl-C (a shell).
"""

from __future__ import annotations

import asyncio
import socket
import sys
import threading
from collections.abc import Callable

import uvicorn
from starlette.types import ASGIApp

__all__ = ["ThreadedServer", "base_url", "bind", "serve_until_interrupted"]


def bind(host: str, port: int) -> socket.socket:
    """A listening, non-blocking TCP socket on ``host:port`` (IPv6 when ``host`` has a colon)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # An explicit IPPROTO_TCP matters: asyncio only sets TCP_NODELAY on connections whose
    # socket says so, and without it every small response waits out a delayed ACK (~40 ms).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.setblocking(False)
    return sock


def base_url(host: str, port: int) -> str:
    """``http://host:port`` (an IPv6 host in brackets)."""
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


class _Server(uvicorn.Server):
    """A uvicorn server that reports once it accepts connections.

    (uvicorn itself leaves signals alone when it runs outside the main thread.)
    """

    def __init__(self, app: ASGIApp, on_started: Callable[[], None]) -> None:
        super().__init__(
            uvicorn.Config(
                app,
                lifespan="off",
                log_level="warning",
                access_log=False,
                loop="asyncio",
                timeout_graceful_shutdown=2,
            )
        )
        self._on_started = on_started

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started:
            self._on_started()


class ThreadedServer:
    """``app`` served on the bound ``sock`` from a daemon thread; ``name`` says what it is
    (``"emulator"``) in the thread's name and in errors.

    The server owns the socket: it is closed when serving ends.
    """

    def __init__(self, app: ASGIApp, sock: socket.socket, *, name: str) -> None:
        self._app = app
        self._sock = sock
        self._name = name
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start serving; returns once the server accepts connections.

        Raises:
            RuntimeError: When the server could not start (its error attached).
        """
        started = threading.Event()
        server = _Server(self._app, started.set)
        errors: list[BaseException] = []

        def run() -> None:
            try:
                asyncio.run(server.serve(sockets=[self._sock]))
            except BaseException as error:  # surfaced to the caller below
                errors.append(error)
            finally:
                self._sock.close()
                started.set()

        self._server = server
        self._thread = threading.Thread(target=run, name=self._name, daemon=True)
        self._thread.start()
        started.wait(timeout=30)
        if errors or not server.started:
            self.stop()
            raise RuntimeError(f"the {self._name} failed to start: {errors[:1]}")

    def stop(self) -> None:
        """Stop serving and wait (up to 10 s) for the thread to finish."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._server = None
        self._thread = None
        self._sock.close()


def serve_until_interrupted(
    app: ASGIApp, sock: socket.socket, on_started: Callable[[], None]
) -> None:
    """Serve ``app`` on ``sock`` in this thread until Ctrl-C; ``on_started`` runs once the
    server accepts connections (to print where it is). The socket is closed at the end."""
    server = _Server(app, on_started)
    try:
        asyncio.run(server.serve(sockets=[sock]))
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
        sys.stdout.flush()
