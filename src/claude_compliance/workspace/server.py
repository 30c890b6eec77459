"""Running the workspace: in the foreground for a person, in a thread for tests and benchmarks.

Both bind the socket first (port 0 picks a free one), so the printed URL is right before the
first request arrives. The URL carries the access token; nothing else grants access.
"""

from __future__ import annotations

from pathlib import Path

from ..common.serving import ThreadedServer, base_url, bind, serve_until_interrupted
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
        sock = bind(host, port)
        self.url = base_url(host, sock.getsockname()[1])
        self.entry_url = _entry_url(self.url, self.token)
        self._serving = ThreadedServer(self.app, sock, name="workspace server")

    def __enter__(self) -> WorkspaceServer:
        self._serving.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._serving.stop()


def serve_foreground(root: Path, *, host: str = "127.0.0.1", port: int = 0) -> None:
    """Serve until interrupted; prints the entry URL once the socket accepts connections."""
    token = new_token()
    app = create_app(Path(root), token)
    sock = bind(host, port)
    url = _entry_url(base_url(host, sock.getsockname()[1]), token)

    def announce() -> None:
        print(BANNER.format(url=url), flush=True)

    serve_until_interrupted(app, sock, announce)
