"""The control API under ``/_emulator/``: for tests and CI, not part of the Compliance API.

No key needed, never rate-limited, never recorded, never faulted.

    GET    /_emulator/health                      {"status": "ok"}
    GET    /_emulator/stats                       row counts of every table
    POST   /_emulator/faults                      script faults (see below)
    GET    /_emulator/faults                      queued scripts
    DELETE /_emulator/faults                      drop every queued fault
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

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .faults import Fault
from .mutations import WorldError, WorldMutator
from .state import EmulatorState


def _bad(message: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


async def _body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw:
        return {}
    value = json.loads(raw)
    if not isinstance(value, dict):
        raise ValueError("the body must be a JSON object")
    return value


def control_routes(state: EmulatorState) -> list[Route]:
    """The ``/_emulator/…`` routes bound to one app's state."""
    mutator = WorldMutator(state.store, state.config)

    async def health(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok", "seed": state.config.seed})

    async def stats(request: Request) -> JSONResponse:
        return JSONResponse(state.store.counts())

    async def faults(request: Request) -> JSONResponse:
        if request.method == "DELETE":
            state.faults.clear()
            return JSONResponse({"cleared": True})
        if request.method == "GET":
            return JSONResponse({"scripts": state.faults.pending()})
        try:
            body = await _body(request)
            responses = [Fault.from_json(item) for item in body.get("responses", [])]
            if not responses:
                raise ValueError("responses must list at least one fault")
            state.faults.script(str(body.get("method", "*")), str(body.get("path", "/")), responses)
        except (ValueError, TypeError) as error:
            return _bad(str(error))
        return JSONResponse({"scripts": state.faults.pending()})

    async def ratelimit(request: Request) -> JSONResponse:
        state.limiter.reset()
        return JSONResponse({"reset": True})

    async def mutate(request: Request) -> JSONResponse:
        try:
            body = await _body(request)
            action = request.url.path.rsplit("/", 1)[-1]
            result: Any
            if action == "activities":
                result = {"ids": mutator.add_activities(int(body.get("count", 1)))}
            elif action == "chats":
                result = mutator.add_chat(
                    user_id=body.get("user_id"),
                    project_id=body.get("project_id"),
                    messages=int(body.get("messages", 2)),
                    with_file=bool(body.get("with_file", True)),
                    name=body.get("name"),
                )
            elif action == "messages":
                result = mutator.append_message(
                    request.path_params["chat_id"], body.get("text"), str(body.get("role", "user"))
                )
            elif action == "soft-delete":
                result = mutator.soft_delete_chat(request.path_params["chat_id"])
            else:
                result = mutator.add_project(
                    user_id=body.get("user_id"),
                    is_private=bool(body.get("is_private", False)),
                    name=body.get("name"),
                )
        except WorldError as error:
            return _bad(str(error), 404)
        except (ValueError, TypeError) as error:
            return _bad(str(error))
        return JSONResponse(result, status_code=201)

    return [
        Route("/_emulator/health", health, methods=["GET"]),
        Route("/_emulator/stats", stats, methods=["GET"]),
        Route("/_emulator/faults", faults, methods=["GET", "POST", "DELETE"]),
        Route("/_emulator/ratelimit", ratelimit, methods=["DELETE"]),
        Route("/_emulator/activities", mutate, methods=["POST"]),
        Route("/_emulator/chats", mutate, methods=["POST"]),
        Route("/_emulator/chats/{chat_id}/messages", mutate, methods=["POST"]),
        Route("/_emulator/chats/{chat_id}/soft-delete", mutate, methods=["POST"]),
        Route("/_emulator/projects", mutate, methods=["POST"]),
    ]
