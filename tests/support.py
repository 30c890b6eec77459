"""Helpers shared by the test packages: the emulator's built-in keys and raw wire access."""

from __future__ import annotations

import datetime
import time
from typing import Any

import httpx2

from claude_compliance.emulator.server import EmulatorServer

FULL_KEY = "sk-ant-api01-emulator-full"
READONLY_KEY = "sk-ant-api01-emulator-readonly"
ADMIN_KEY = "sk-ant-admin01-emulator"
REVOKED_KEY = "sk-ant-api01-emulator-revoked"


def raw_get(server: EmulatorServer, path: str, **params: Any) -> Any:
    """The wire JSON of ``/v1/compliance{path}``, fetched without the SDK to compare against."""
    response = httpx2.get(
        f"{server.url}/v1/compliance{path}",
        params=params,
        headers={"x-api-key": FULL_KEY, "anthropic-version": "2023-06-01"},
    )
    response.raise_for_status()
    return response.json()


def control(server: EmulatorServer, method: str, path: str, body: Any = None) -> Any:
    """Call the emulator's control API (``/_emulator/…``)."""
    response = httpx2.request(method, f"{server.url}/_emulator{path}", json=body)
    response.raise_for_status()
    return response.json() if response.content else None


def wait_for_fresh_window(margin_s: float = 5.0) -> None:
    """Avoid starting a rate-budget test just before the emulator's minute window turns over."""
    into_window = time.time() % 60
    if into_window > 60 - margin_s:
        time.sleep(60 - into_window + 0.1)


class ForeignServer:
    """A web server that is not the Compliance API: every request gets the same answer.

    For what the emulator cannot do by design (answer like something else), over real
    loopback HTTP. Use as a context manager; ``url`` is its origin.
    """

    def __init__(self, status: int = 404, body: bytes = b"<html><body>Not here</body></html>",
                 content_type: str = "text/html") -> None:  # fmt: skip
        import http.server
        import threading

        answer = (status, body, content_type)

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                code, payload, kind = answer
                self.send_response(code)
                self.send_header("content-type", kind)
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_DELETE = _answer  # noqa: N815 - the names http.server looks up

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> ForeignServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


ANCHOR = datetime.date(2026, 1, 1)
"""Every test world is pinned to this anchor day, so its timestamps never depend on the clock."""
