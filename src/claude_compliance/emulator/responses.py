"""How the emulator's answers go on the wire, including answers that die mid-body.

Handlers return a :class:`~claude_compliance.emulator.wire.Reply`; the pipeline turns it (or an
error, or an injected fault) into a :class:`WireResponse`.
"""

from __future__ import annotations

import logging

from starlette.types import Receive, Scope, Send

from .errors import ApiError
from .faults import DeliberateDisconnect, Fault
from .wire import DOWNLOAD_CHUNK, Reply

__all__ = ["WireResponse", "error_response", "fault_response", "install_log_filter"]


class WireResponse:
    """An ASGI response that can also die mid-body, the way a dropped connection looks.

    ``cut_at`` sends that many body bytes and then raises ``DeliberateDisconnect``; the server
    then closes the socket, so the client sees a short body (Content-Length or chunked) and a
    protocol error rather than a clean response.
    """

    def __init__(
        self,
        status: int,
        body: bytes,
        headers: dict[str, str],
        streamed: bool = False,
        cut_at: int | None = None,
    ) -> None:
        self.status = status
        self.body = body
        self.headers = headers
        self.streamed = streamed
        self.cut_at = cut_at

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(self.headers)
        if not self.streamed:
            headers["content-length"] = str(len(self.body))
        raw = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
        await send({"type": "http.response.start", "status": self.status, "headers": raw})
        body = self.body if self.cut_at is None else self.body[: self.cut_at]
        if self.streamed:
            for start in range(0, len(body), DOWNLOAD_CHUNK):
                chunk = body[start : start + DOWNLOAD_CHUNK]
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        else:
            more = self.cut_at is not None
            await send({"type": "http.response.body", "body": body, "more_body": more})
        if self.cut_at is not None:
            raise DeliberateDisconnect("injected fault: connection dropped mid-body")
        if self.streamed:
            await send({"type": "http.response.body", "body": b"", "more_body": False})


class _HideDeliberateDisconnects(logging.Filter):
    """Keeps injected connection drops out of the server's error log."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        while exc is not None:
            if isinstance(exc, DeliberateDisconnect):
                return False
            exc = exc.__cause__ or exc.__context__
        return True


def install_log_filter() -> None:
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _HideDeliberateDisconnects) for f in logger.filters):
        logger.addFilter(_HideDeliberateDisconnects())


def error_response(error: ApiError, headers: dict[str, str]) -> WireResponse:
    all_headers = {**headers, **error.headers, "content-type": "application/json"}
    return WireResponse(error.status, error.body(headers["request-id"]), all_headers)


def fault_response(fault: Fault, reply: Reply | None, headers: dict[str, str]) -> WireResponse:
    """The response a fault turns into, given the real reply when the handler ran."""
    if reply is not None and (fault.truncate or fault.drop):
        merged = {**headers, **reply.headers}
        cut = max(1, len(reply.body) // 2)
        return WireResponse(reply.status, reply.body, merged, reply.streamed, cut_at=cut)
    if fault.drop:
        # Never processed: headers promise a body that never fully arrives.
        partial = b'{"data":[' + b" " * 64
        merged = {**headers, "content-type": "application/json"}
        return WireResponse(200, partial + b"]}", merged, cut_at=len(partial))
    merged = {**headers, "content-type": "application/json", **fault.response_headers()}
    return WireResponse(fault.status, fault.error_bytes(headers["request-id"]), merged)
