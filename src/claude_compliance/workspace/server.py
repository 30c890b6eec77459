"""Running the workspace: in the foreground for a person, in a thread for tests and benchmarks.

Both bind the socket first (port 0 picks a free one), so the printed URL is right before the
first request arrives. The URL carries the access token; nothing else grants access.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from pathlib import Path

from ..emulator.server import _bind, _Server, _url, _uvicorn_config
from .app import create_app
from .security import TOKEN_PARAMETER, new_token

__all__ = ["WorkspaceServer", "serve_foreground"]

BANNER = "Archive workspace (read-only) at {url}\nOpen that URL in a browser; Ctrl-C stops it."


def _entry_url(base: str, token: str) -> str:
    return f"{base}/?{TOKEN_PARAMETER}={token}"


class WorkspaceServer:
    """The workspace over ``root`` served from a background thread (context manager).

    Attributes:
        url: The base URL (``http://127.0.0.1:PORT``).
        entry_url: The URL with the access token, as ``archive serve`` prints it.
        token: The access token.
    """

    def __init__(self, root: Path, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.token = new_token()
        self.app = create_app(Path(root), self.token)
        self._sock = _bind(host, port)
        self.url = _url(host, self._sock.getsockname()[1])
        self.entry_url = _entry_url(self.url, self.token)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> WorkspaceServer:
        started = threading.Event()
        server = _Server(_uvicorn_config(self.app), started.set)
        self._server = server

        def run() -> None:
            try:
                asyncio.run(server.serve(sockets=[self._sock]))
            finally:
                started.set()

        self._thread = threading.Thread(target=run, name="workspace", daemon=True)
        self._thread.start()
        started.wait(timeout=30)
        if not server.started:
            self.__exit__()
            raise RuntimeError("the workspace server failed to start")
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._sock.close()


def serve_foreground(root: Path, *, host: str = "127.0.0.1", port: int = 0) -> None:
    """Serve until interrupted; prints the entry URL once the socket accepts connections."""
    token = new_token()
    app = create_app(Path(root), token)
    sock = _bind(host, port)
    url = _entry_url(_url(host, sock.getsockname()[1]), token)

    def announce() -> None:
        print(BANNER.format(url=url), flush=True)

    server = _Server(_uvicorn_config(app), announce)
    try:
        asyncio.run(server.serve(sockets=[sock]))
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
        sys.stdout.flush()
