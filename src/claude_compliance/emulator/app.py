"""The app factory: build the shared state, then wire the endpoints and the control API.

The parts: :mod:`.pipeline` (what every Compliance API request goes through), :mod:`.endpoints`
(the 37 endpoints, each declared once, handled in :mod:`.routes`), :mod:`.control` (the
``/_emulator/`` API for tests), :mod:`.store` (SQLite), :mod:`.generation` (the seeded world).
"""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .access_log import AccessRecorder
from .config import EmulatorConfig
from .control import control_routes
from .endpoints import ENDPOINTS
from .errors import ApiError
from .faults import FaultInjector
from .generation import build_world
from .ids import random_suffix
from .pipeline import endpoint_view
from .ratelimit import RateLimiter
from .responses import install_log_filter
from .state import EmulatorState
from .store import Store

__all__ = ["create_app"]


def _plain_error(error: ApiError) -> Response:
    request_id = "req_" + random_suffix()
    headers = {"request-id": request_id}
    return Response(error.body(request_id), error.status, headers, media_type="application/json")


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
        limiter=RateLimiter(config.rpm, config.remote_sessions_rpm, window_s=config.rate_window_s),
        faults=FaultInjector(config.fault_rate, config.seed),
        recorder=AccessRecorder(store, config),
    )
    routes: list[Any] = [
        Route(endpoint.path, endpoint_view(state, endpoint), methods=[endpoint.method])
        for endpoint in ENDPOINTS
    ]
    routes += control_routes(state)
    install_log_filter()
    app = Starlette(
        routes=routes,
        exception_handlers={404: _not_found, 405: _method_not_allowed},
    )
    app.state.emulator = state
    return app
