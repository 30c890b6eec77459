"""Fault injection: random faults at a configured rate, and scripted faults for tests.

A fault is decided before the handler runs. Most faults replace the response. Some let the
request take effect first and then lose the response (``apply``), as happens when a connection
dies after a DELETE was performed; clients must treat a retried DELETE that gets 404 as success.
``drop`` and ``truncate`` start a response and abort the connection mid-body.
"""

from __future__ import annotations

import json
import random
import threading
from dataclasses import dataclass, field
from typing import Any

from .errors import RATE_LIMIT_MESSAGE, error_body

ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    408: "timeout_error",
    409: "conflict_error",
    413: "request_too_large",
    429: "rate_limit_error",
    500: "api_error",
    502: "api_error",
    503: "overloaded_error",
    504: "api_error",
    529: "overloaded_error",
}
DEFAULT_MESSAGES = {
    429: RATE_LIMIT_MESSAGE.format(rpm=600),
    500: "Internal server error.",
    502: "Bad gateway.",
    503: "The service is temporarily unavailable. Try again shortly.",
    504: "Gateway timeout.",
    529: "Overloaded",
}


class DeliberateDisconnect(Exception):
    """Raised after a partial response so the server closes the connection mid-body."""


@dataclass
class Fault:
    """One injected fault; build scripted ones with ``Fault.from_json``."""

    status: int = 503
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    """Replacement JSON body; ``None`` gives the standard error envelope for ``status``."""
    drop: bool = False
    """Start a response, send part of it, then close the connection."""
    truncate: bool = False
    """Serve the real response (a download, typically) but cut it off halfway."""
    apply: bool = False
    """Let the request take effect, then fail (status, or drop) — a lost response."""

    @property
    def runs_handler(self) -> bool:
        """Whether the real request is performed before the fault strikes."""
        return self.apply or self.truncate

    def error_bytes(self, request_id: str) -> bytes:
        """The body of a status fault (a scripted body is sent as given)."""
        if self.body is not None:
            return json.dumps(self.body).encode()
        error_type = ERROR_TYPES.get(self.status, "api_error")
        message = DEFAULT_MESSAGES.get(self.status, "Injected fault.")
        return error_body(error_type, message, request_id, user_facing=self.status < 500)

    def response_headers(self) -> dict[str, str]:
        """Headers of a status fault (429s get a ``retry-after`` unless the script set one)."""
        headers = {key.lower(): str(value) for key, value in self.headers.items()}
        if self.status == 429:
            headers.setdefault("retry-after", "1")
        return headers

    @classmethod
    def from_json(cls, spec: dict[str, Any]) -> Fault:
        """Validate one scripted response: ``status``, ``headers``, ``body``, ``drop``,
        ``truncate``, ``apply``."""
        unknown = set(spec) - {"status", "headers", "body", "drop", "truncate", "apply"}
        if unknown:
            raise ValueError(f"unknown fault fields: {sorted(unknown)}")
        status = int(spec.get("status", 200 if spec.get("drop") or spec.get("truncate") else 503))
        if not 100 <= status <= 599:
            raise ValueError("status must be an HTTP status code")
        headers = spec.get("headers") or {}
        if not isinstance(headers, dict):
            raise ValueError("headers must be an object")
        return cls(
            status=status,
            headers={str(k): str(v) for k, v in headers.items()},
            body=spec.get("body"),
            drop=bool(spec.get("drop", False)),
            truncate=bool(spec.get("truncate", False)),
            apply=bool(spec.get("apply", False)),
        )


@dataclass
class _Script:
    method: str
    path_prefix: str
    responses: list[Fault]

    def matches(self, method: str, path: str) -> bool:
        return (self.method in ("*", method)) and path.startswith(self.path_prefix)


def is_download(path: str) -> bool:
    """Paths that stream content (the ones a truncation fault can cut)."""
    return path.endswith("/content") or "/versions/" in path


class FaultInjector:
    """Decides, per request, whether and how it fails."""

    def __init__(self, rate: float, seed: int) -> None:
        self.rate = rate
        self._rng = random.Random(f"{seed}:faults")
        self._scripts: list[_Script] = []
        self._lock = threading.Lock()

    def script(self, method: str, path_prefix: str, responses: list[Fault]) -> None:
        """Queue faults for the next requests matching ``method`` and ``path_prefix``."""
        with self._lock:
            self._scripts.append(_Script(method.upper(), path_prefix, list(responses)))

    def clear(self) -> None:
        """Drop every queued scripted fault."""
        with self._lock:
            self._scripts.clear()

    def pending(self) -> list[dict[str, Any]]:
        """Queued scripted faults, for the control API."""
        with self._lock:
            return [
                {"method": s.method, "path": s.path_prefix, "remaining": len(s.responses)}
                for s in self._scripts
            ]

    def next_fault(self, method: str, path: str) -> Fault | None:
        """The fault for this request: the next scripted one if any matches, else maybe a
        random one."""
        with self._lock:
            for script in self._scripts:
                if script.matches(method, path) and script.responses:
                    fault = script.responses.pop(0)
                    if not script.responses:
                        self._scripts.remove(script)
                    return fault
            if self.rate <= 0 or self._rng.random() >= self.rate:
                return None
            return self._random_fault(method, path)

    def _random_fault(self, method: str, path: str) -> Fault:
        roll = self._rng.random()
        if is_download(path) and roll < 0.3:
            return Fault(status=200, truncate=True)
        if roll < 0.15:
            return Fault(status=200, drop=True, apply=method == "DELETE")
        status = self._rng.choice((500, 502, 503, 529))
        # Half of the faulted deletes happen anyway: the response is what gets lost.
        return Fault(status=status, apply=method == "DELETE" and self._rng.random() < 0.5)
