"""The ASGI application: every compliance request runs through one pipeline.

Order (spec section 12): authenticate (401, no quota) -> rate limit (429) -> [injected fault]
-> scope (403, or the Rev J 401) -> ``anthropic-version`` (400) -> parameters (400) ->
existence (404) -> the handler. Every response carries ``request-id``; authenticated ones carry
the rate-limit headers; everything after authentication is recorded in the Activity Feed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from .access_log import AccessRecorder
from .config import EmulatorConfig
from .control import control_routes
from .endpoints import ENDPOINTS, Endpoint
from .errors import INVALID_KEY_MESSAGE, RATE_LIMIT_MESSAGE, ApiError
from .faults import DeliberateDisconnect, Fault, FaultInjector
from .generation import build_world
from .ids import random_suffix
from .ratelimit import RateLimiter
from .store import Store
from .validation import QueryReader
from .wire import DOWNLOAD_CHUNK, Reply, RequestContext

SUPPORTED_VERSIONS = ("2023-06-01", "2026-10-21")


@dataclass
class EmulatorState:
    """Everything the running app shares: config, world, limiter, faults, access log."""

    config: EmulatorConfig
    store: Store
    limiter: RateLimiter
    faults: FaultInjector
    recorder: AccessRecorder


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


def _install_log_filter() -> None:
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _HideDeliberateDisconnects) for f in logger.filters):
        logger.addFilter(_HideDeliberateDisconnects())


def _error(error: ApiError, headers: dict[str, str]) -> WireResponse:
    all_headers = {**headers, **error.headers, "content-type": "application/json"}
    return WireResponse(error.status, error.body(), all_headers)


def _scope_error(config: EmulatorConfig, held: tuple[str, ...], needed: str) -> ApiError:
    if config.scope_error_style == "401":
        return ApiError(
            401,
            "authentication_error",
            f"The API key provided does not have the `{needed}` scope required for this "
            f"endpoint. Got: {list(held)!r}",
        )
    return ApiError(
        403,
        "permission_error",
        f"Missing required scopes. Got: {list(held)!r} Needed: {[needed]!r}",
    )


def _check_version(config: EmulatorConfig, request: Request) -> None:
    version = request.headers.get("anthropic-version")
    if version is None:
        if config.missing_version == "reject":
            raise ApiError(
                400,
                "invalid_request_error",
                "The anthropic-version header is required. Available versions: "
                + ", ".join(SUPPORTED_VERSIONS)
                + ".",
            )
        return
    if version not in SUPPORTED_VERSIONS:
        raise ApiError(
            400,
            "invalid_request_error",
            f'anthropic-version: "{version}" is not a valid version. Available versions: '
            + ", ".join(SUPPORTED_VERSIONS)
            + ".",
        )


def _fault_response(fault: Fault, reply: Reply | None, headers: dict[str, str]) -> WireResponse:
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
    return WireResponse(fault.status, fault.error_bytes(), merged)


def _endpoint_view(
    state: EmulatorState, endpoint: Endpoint
) -> Callable[[Request], Awaitable[WireResponse]]:
    config = state.config
    keys = config.key_scopes()

    async def view(request: Request) -> WireResponse:
        headers = {"request-id": "req_" + random_suffix()}
        api_key = request.headers.get("x-api-key", "")
        held = keys.get(api_key)
        if held is None:
            return _error(ApiError(401, "authentication_error", INVALID_KEY_MESSAGE), headers)
        if config.latency_ms:
            await asyncio.sleep(config.latency_ms / 1000)

        def record(status: int) -> None:
            state.recorder.record(
                api_key=api_key,
                request_id=headers["request-id"],
                method=request.method,
                url=str(request.url),
                status=status,
                ip_address=request.client.host if request.client else "127.0.0.1",
                user_agent=request.headers.get("user-agent", ""),
            )

        decision = state.limiter.take()
        headers.update(decision.headers())
        if not decision.allowed:
            message = RATE_LIMIT_MESSAGE.format(rpm=config.rpm)
            error = ApiError(
                429, "rate_limit_error", message, {"retry-after": str(decision.retry_after)}
            )
            record(429)
            return _error(error, headers)
        if endpoint.remote_budget and not state.limiter.take_remote():
            message = RATE_LIMIT_MESSAGE.format(rpm=config.rpm)
            record(429)
            return _error(ApiError(429, "rate_limit_error", message, {"retry-after": "1"}), headers)

        fault = state.faults.next_fault(request.method, request.url.path)
        if fault is not None and not fault.runs_handler:
            if not fault.drop:
                record(fault.status)  # the request reached the service and failed there
            return _fault_response(fault, None, headers)

        try:
            if endpoint.scope not in held:
                raise _scope_error(config, held, endpoint.scope)
            _check_version(config, request)
            ctx = RequestContext(
                request=request,
                query=QueryReader(request.query_params),
                path={key: str(value) for key, value in request.path_params.items()},
                store=state.store,
                config=config,
            )
            reply = endpoint.handler(ctx)
        except ApiError as error:
            error_headers = {**error.headers, "content-type": "application/json"}
            reply = Reply(error.status, error.body(), error_headers)
        record(reply.status)
        if fault is not None:
            return _fault_response(fault, reply, headers)
        return WireResponse(reply.status, reply.body, {**headers, **reply.headers}, reply.streamed)

    return view


def _plain_error(error: ApiError) -> Response:
    headers = {"request-id": "req_" + random_suffix()}
    return Response(error.body(), error.status, headers, media_type="application/json")


async def _not_found(request: Request, exc: Exception) -> Response:
    return _plain_error(ApiError(404, "not_found_error", "Not found."))


async def _method_not_allowed(request: Request, exc: Exception) -> Response:
    return _plain_error(ApiError(405, "invalid_request_error", "Method not allowed."))


def create_app(config: EmulatorConfig | None = None, store: Store | None = None) -> Starlette:
    """Build the emulator app: generate (or reuse) the world and wire every endpoint.

    ``store`` lets a caller supply an already-built world (``EmulatorServer`` does); by default
    the world of ``config`` is generated into ``config.db`` or memory.
    """
    config = config or EmulatorConfig()
    config.validate()
    store = build_world(config, store)
    state = EmulatorState(
        config=config,
        store=store,
        limiter=RateLimiter(config.rpm, config.remote_sessions_rpm),
        faults=FaultInjector(config.fault_rate, config.seed),
        recorder=AccessRecorder(store, config),
    )
    routes: list[Any] = [
        Route(endpoint.path, _endpoint_view(state, endpoint), methods=[endpoint.method])
        for endpoint in ENDPOINTS
    ]
    routes += control_routes(state)
    _install_log_filter()
    app = Starlette(
        routes=routes,
        exception_handlers={404: _not_found, 405: _method_not_allowed},
    )
    app.state.emulator = state
    return app
