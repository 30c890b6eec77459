"""A small hostile HTTP server on loopback, for what the emulator cannot do: endless or
compressed-bomb bodies, a byte a second, redirects to another origin, endless empty pages.

Each connection is handled by ``respond(request, send)`` in its own thread; ``send`` writes raw
bytes and returns ``False`` once the client has gone away.
"""

from __future__ import annotations

import dataclasses
import json
import socket
import socketserver
import threading
from collections.abc import Callable
from typing import Any


@dataclasses.dataclass(frozen=True)
class SeenRequest:
    method: str
    target: str
    headers: dict[str, str]


Send = Callable[[bytes], bool]
Respond = Callable[[SeenRequest, Send], None]


def head(status: int = 200, headers: dict[str, str] | None = None) -> bytes:
    """A status line and headers (no body); one request per connection."""
    fields = {"connection": "close", **(headers or {})}
    lines = [f"HTTP/1.1 {status} X"] + [f"{k}: {v}" for k, v in fields.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> bytes:
    data = json.dumps(body).encode()
    extra = {"content-type": "application/json", "content-length": str(len(data))}
    return head(status, {**extra, **(headers or {})}) + data


class HostileServer:
    """``with HostileServer(respond) as server: server.url``; ``server.requests`` lists what
    arrived."""

    def __init__(self, respond: Respond) -> None:
        self.respond = respond
        self.requests: list[SeenRequest] = []
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                conn: socket.socket = self.request
                conn.settimeout(30)
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    data += chunk
                lines = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
                method, target, _ = lines[0].split(" ", 2)
                headers = {}
                for line in lines[1:]:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
                seen = SeenRequest(method, target, headers)
                outer.requests.append(seen)

                def send(raw: bytes) -> bool:
                    try:
                        conn.sendall(raw)
                    except OSError:
                        return False
                    return True

                outer.respond(seen, send)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self._server = Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
