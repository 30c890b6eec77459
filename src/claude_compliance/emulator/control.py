"""The control API under ``/_emulator/``: for tests and CI, not part of the Compliance API.

No key needed (unless the emulator runs with ``--control-token``: then every call carries it in
``x-emulator-control-token``), never rate-limited, never recorded, never faulted. Malformed
bodies, wrongly typed fields and counts beyond the bounds below are 400s in the API's error
envelope.

    GET    /_emulator/health                      {"status": "ok"}
    GET    /_emulator/stats                       row counts of every table
    POST   /_emulator/faults                      script faults (see below)
    GET    /_emulator/faults                      queued scripts
    DELETE /_emulator/faults                      drop every queued fault
    GET    /_emulator/ratelimit                   {"rpm", "window_s", "windows": [{"start",
                                                   "allowed", "rejected"}, ...]} per window
    DELETE /_emulator/ratelimit                   refill the rate-limit budget
    POST   /_emulator/activities                  {"count": N} -> {"ids": [...]}
    POST   /_emulator/chats                       {"user_id"?, "project_id"?, "messages"?,
                                                   "with_file"?, "name"?} -> chat
    POST   /_emulator/chats/{chat_id}/messages    {"text"?, "role"?} -> message
    POST   /_emulator/chats/{chat_id}/soft-delete -> chat (with deleted_at)
    POST   /_emulator/projects                    {"user_id"?, "is_private"?, "name"?} -> project

Fault script body: ``{"method": "GET", "path": "/v1/compliance/apps/projects",
"responses": [{"status": 503}, {"status": 429, "headers": {"retry-after": "2"}},
{"drop": true}, {"truncate": true}, {"status": 500, "headers": {"x-should-retry": "false"}},
{"status": 503, "apply": true}]}``; the responses are consumed in order by matching requests
(path is a prefix; method ``*`` matches any), then normal service resumes.
"""

from __future__ import annotations

import hmac
import json
import math
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .errors import error_body
from .faults import Fault
from .ids import random_suffix
from .mutations import WorldError, WorldMutator
from .state import EmulatorState

# Bounds that keep one call from generating an unbounded world.
MAX_ACTIVITIES_PER_CALL = 10_000
MAX_MESSAGES_PER_CHAT = 1_000
TOKEN_HEADER = "x-emulator-control-token"
_ERROR_TYPES = {400: "invalid_request_error", 401: "authentication_error", 404: "not_found_error"}


def _bad(message: str, status: int = 400) -> Response:
    """An error in the API's own envelope."""
    request_id = "req_" + random_suffix()
    return Response(
        error_body(_ERROR_TYPES[status], message, request_id, user_facing=True),
        status_code=status,
        media_type="application/json",
        headers={"request-id": request_id},
    )


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is not a finite number")
    return value


async def _body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw:
        return {}
    try:
        value = json.loads(raw, parse_float=_finite)
    except RecursionError:
        raise ValueError("the body is nested too deeply") from None
    if not isinstance(value, dict):
        raise ValueError("the body must be a JSON object")
    return value


def _count(body: dict[str, Any], key: str, default: int, maximum: int) -> int:
    value = body.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= maximum:
        raise ValueError(f"{key} must be a whole number from 0 to {maximum}")
    return value


def _text(body: dict[str, Any], key: str) -> str | None:
    value = body.get(key)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{key} must be a string")
    return value


def _flag(body: dict[str, Any], key: str, default: bool) -> bool:
    value = body.get(key, default)
    if not isinstance(value, bool):
        raise ValueError(f"{key} must be true or false")
    return value


Handler = Callable[[Request], Awaitable[Response]]


def _guarded(token: str | None, handler: Handler) -> Handler:
    """``handler`` behind the control token, when the emulator has one."""
    if token is None:
        return handler
    expected = token.encode()

    async def checked(request: Request) -> Response:
        given = request.headers.get(TOKEN_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            return _bad(f"the control API needs the {TOKEN_HEADER} header", 401)
        return await handler(request)

    return checked


def control_routes(state: EmulatorState) -> list[Route]:
    """The ``/_emulator/…`` routes bound to one app's state."""
    mutator = WorldMutator(state.store, state.config)

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok", "seed": state.config.seed})

    async def stats(request: Request) -> Response:
        return JSONResponse(state.store.counts())

    async def faults(request: Request) -> Response:
        if request.method == "DELETE":
            state.faults.clear()
            return JSONResponse({"cleared": True})
        if request.method == "GET":
            return JSONResponse({"scripts": state.faults.pending()})
        try:
            body = await _body(request)
            listed = body.get("responses", [])
            if not isinstance(listed, list) or not all(isinstance(i, dict) for i in listed):
                raise ValueError("responses must be a list of objects")
            responses = [Fault.from_json(item) for item in listed]
            if not responses:
                raise ValueError("responses must list at least one fault")
            method, path = _text(body, "method") or "*", _text(body, "path") or "/"
            state.faults.script(method, path, responses)
        except (ValueError, TypeError, OverflowError) as error:
            return _bad(str(error))
        return JSONResponse({"scripts": state.faults.pending()})

    async def ratelimit(request: Request) -> Response:
        if request.method == "GET":
            limiter = state.limiter
            return JSONResponse(
                {"rpm": limiter.rpm, "window_s": limiter.window_s, "windows": limiter.windows()}
            )
        state.limiter.reset()
        return JSONResponse({"reset": True})

    async def mutate(request: Request) -> Response:
        try:
            body = await _body(request)
            action = request.url.path.rsplit("/", 1)[-1]
            result: Any
            if action == "activities":
                count = _count(body, "count", 1, MAX_ACTIVITIES_PER_CALL)
                result = {"ids": mutator.add_activities(count)}
            elif action == "chats":
                result = mutator.add_chat(
                    user_id=_text(body, "user_id"),
                    project_id=_text(body, "project_id"),
                    messages=_count(body, "messages", 2, MAX_MESSAGES_PER_CHAT),
                    with_file=_flag(body, "with_file", True),
                    name=_text(body, "name"),
                )
            elif action == "messages":
                result = mutator.append_message(
                    request.path_params["chat_id"],
                    _text(body, "text"),
                    _text(body, "role") or "user",
                )
            elif action == "soft-delete":
                result = mutator.soft_delete_chat(request.path_params["chat_id"])
            else:
                result = mutator.add_project(
                    user_id=_text(body, "user_id"),
                    is_private=_flag(body, "is_private", False),
                    name=_text(body, "name"),
                )
        except WorldError as error:
            return _bad(str(error), 404)
        except (ValueError, TypeError, OverflowError) as error:
            return _bad(str(error))
        return JSONResponse(result, status_code=201)

    token = state.config.control_token
    return [
        Route("/_emulator/health", _guarded(token, health), methods=["GET"]),
        Route("/_emulator/stats", _guarded(token, stats), methods=["GET"]),
        Route("/_emulator/faults", _guarded(token, faults), methods=["GET", "POST", "DELETE"]),
        Route("/_emulator/ratelimit", _guarded(token, ratelimit), methods=["GET", "DELETE"]),
        Route("/_emulator/activities", _guarded(token, mutate), methods=["POST"]),
        Route("/_emulator/chats", _guarded(token, mutate), methods=["POST"]),
        Route("/_emulator/chats/{chat_id}/messages", _guarded(token, mutate), methods=["POST"]),
        Route("/_emulator/chats/{chat_id}/soft-delete", _guarded(token, mutate), methods=["POST"]),
        Route("/_emulator/projects", _guarded(token, mutate), methods=["POST"]),
    ]
