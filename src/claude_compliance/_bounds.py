"""Limits that keep a hostile or broken server from holding the client: bytes, time, redirects.

The transport reads every JSON answer and error body through a :class:`BoundedBody`, which counts
the decompressed bytes as they stream (a 2 GB body or a gzip bomb stops at the cap, with memory
bounded by the cap plus one decoded chunk) and gives up once the attempt's overall deadline has
passed (a server sending one byte per second never trips a per-read timeout). Redirects are
followed here, not by httpx2, so the API key never travels to another origin.
"""

from __future__ import annotations

import time

import httpx2

from ._errors import ResponseTooLargeError

__all__ = [
    "DEFAULT_MAX_RESPONSE_BYTES",
    "MAX_REDIRECTS",
    "BoundedBody",
    "DeadlineExceeded",
    "attempt_deadline",
    "redirect_request",
]

# The largest real page (5,000 activities) is a few MiB; 64 MiB leaves room without letting a
# server exhaust memory.
DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024
MAX_REDIRECTS = 5
# Headers that identify the caller to the API and must not reach another origin.
_CREDENTIALS_AND_HOST = ("x-api-key", "authorization", "cookie", "host")


class DeadlineExceeded(httpx2.TimeoutException):
    """An attempt ran past its overall deadline (a transport timeout, so it is retried)."""


def attempt_deadline(timeout: httpx2.Timeout) -> float | None:
    """How long one attempt may take in all, in seconds: the longest of the timeout's phases
    (``None`` when the client has no timeout at all)."""
    phases = [t for t in (timeout.connect, timeout.read, timeout.write, timeout.pool) if t]
    return max(phases) if phases else None


class BoundedBody:
    """Collects a response body, refusing more than ``limit`` decoded bytes or a late finish.

    Args:
        limit: Most bytes accepted after decompression.
        deadline: ``time.monotonic()`` value after which reading stops, or ``None``.
        what: The request, for messages (``GET /v1/compliance/...``).
    """

    def __init__(self, limit: int, deadline: float | None, what: str) -> None:
        self.limit = limit
        self.deadline = deadline
        self.what = what
        self._chunks: list[bytes] = []
        self._size = 0

    def start(self, response: httpx2.Response) -> None:
        """Refuse at once a body whose declared length is already over the cap."""
        declared = response.headers.get("content-length", "")
        encoded = response.headers.get("content-encoding", "identity").lower()
        if declared.isdigit() and encoded in ("", "identity") and int(declared) > self.limit:
            raise self._too_large(response, f"declares {int(declared)} bytes")

    def feed(self, response: httpx2.Response, chunk: bytes) -> None:
        self._size += len(chunk)
        if self._size > self.limit:
            self._chunks.clear()
            raise self._too_large(response, f"exceeded {self.limit} bytes")
        self._chunks.append(chunk)
        self.check_deadline()

    def check_deadline(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            self._chunks.clear()
            raise DeadlineExceeded(f"{self.what}: no complete response within the deadline")

    def finish(self) -> bytes:
        body = b"".join(self._chunks)
        self._chunks.clear()
        return body

    def _too_large(self, response: httpx2.Response, detail: str) -> ResponseTooLargeError:
        return ResponseTooLargeError(
            f"response from {self.what} {detail} (max_response_bytes={self.limit}); "
            "refusing to read more",
            status_code=response.status_code,
            request_id=response.headers.get("request-id"),
            headers=response.headers,
        )


def _origin(url: httpx2.URL) -> tuple[str, str, int | None]:
    default_port = {"http": 80, "https": 443}.get(url.scheme)
    return (url.scheme, url.host, url.port or default_port)


def redirect_request(
    http: httpx2.Client | httpx2.AsyncClient, response: httpx2.Response
) -> httpx2.Request | None:
    """The request a redirect leads to, when the caller's client follows redirects; ``None``
    otherwise. Credentials stay behind when the target is another origin."""
    if not (response.is_redirect and http.follow_redirects):
        return None
    request = response.request
    target = request.url.join(response.headers["location"])
    dropped = ("host",) if _origin(target) == _origin(request.url) else _CREDENTIALS_AND_HOST
    headers = {k: v for k, v in request.headers.items() if k.lower() not in dropped}
    method = "GET" if response.status_code == 303 and request.method != "HEAD" else request.method
    return http.build_request(method, target, headers=headers, extensions=dict(request.extensions))
