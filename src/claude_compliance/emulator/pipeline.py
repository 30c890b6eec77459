"""The request pipeline every Compliance API call runs through.

Order (spec section 12): authenticate (401, no quota) -> rate limit (429) -> [injected fault]
-> scope (403, or the Rev J 401) -> ``anthropic-version`` (400) -> parameters (400) ->
existence (404) -> the handler. Every response carries ``request-id``; authenticated ones carry
the rate-limit headers; everything after authentication is recorded in the Activity Feed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from starlette.requests import Request

from .config import EmulatorConfig
from .endpoints import PREFIX, Endpoint
from .errors import INVALID_KEY_MESSAGE, RATE_LIMIT_MESSAGE, ApiError
from .ids import random_suffix
from .responses import WireResponse, error_response, fault_response
from .shapes import reshape
from .state import EmulatorState
from .validation import QueryReader
from .wire import Reply, RequestContext

__all__ = ["SUPPORTED_VERSIONS", "endpoint_view"]

SUPPORTED_VERSIONS = ("2023-06-01", "2026-10-21")


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


def endpoint_view(
    state: EmulatorState, endpoint: Endpoint
) -> Callable[[Request], Awaitable[WireResponse]]:
    config = state.config
    keys = config.key_scopes()
    relative_path = endpoint.path.removeprefix(PREFIX)

    async def view(request: Request) -> WireResponse:
        headers = {"request-id": "req_" + random_suffix()}
        api_key = request.headers.get("x-api-key", "")
        held = keys.get(api_key)
        if held is None:
            return error_response(
                ApiError(401, "authentication_error", INVALID_KEY_MESSAGE), headers
            )
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
            return error_response(error, headers)
        if endpoint.remote_budget and not state.limiter.take_remote():
            message = RATE_LIMIT_MESSAGE.format(rpm=config.rpm)
            record(429)
            return error_response(
                ApiError(429, "rate_limit_error", message, {"retry-after": "1"}), headers
            )

        fault = state.faults.next_fault(request.method, request.url.path)
        if fault is not None and not fault.runs_handler:
            if not fault.drop:
                record(fault.status)  # the request reached the service and failed there
            return fault_response(fault, None, headers)

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
            reply = reshape(config.shapes, relative_path, endpoint.handler(ctx))
        except ApiError as error:
            error_headers = {**error.headers, "content-type": "application/json"}
            reply = Reply(error.status, error.body(headers["request-id"]), error_headers)
        record(reply.status)
        if fault is not None:
            return fault_response(fault, reply, headers)
        return WireResponse(reply.status, reply.body, {**headers, **reply.headers}, reply.streamed)

    return view
