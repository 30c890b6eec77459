"""API errors: the exception the routes raise and the envelope every error response carries."""

from __future__ import annotations

import json

RATE_LIMIT_MESSAGE = (
    "Compliance API rate limit of {rpm} requests per minute per parent organization has been "
    "exceeded. Retry after the time indicated by the retry-after header. Quote the request-id "
    "response header when contacting Anthropic support."
)
INVALID_KEY_MESSAGE = "The API key provided is invalid or has been revoked."
INVALID_PAGE_MESSAGE = "The page parameter is not a valid cursor for this request."
EXPIRED_PAGE_MESSAGE = (
    "The page cursor has expired. Restart the walk without a page parameter; results will "
    "reflect the current retention boundary."
)


class ApiError(Exception):
    """An error response: HTTP status, ``error.type`` and message (plus optional headers)."""

    def __init__(
        self,
        status: int,
        error_type: str,
        message: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.error_type = error_type
        self.message = message
        self.headers = headers or {}

    def body(self, request_id: str) -> bytes:
        """The platform error envelope (see `error_body`)."""
        return error_body(self.error_type, self.message, request_id, user_facing=self.status < 500)


def error_body(error_type: str, message: str, request_id: str, *, user_facing: bool) -> bytes:
    """Encode the full platform error envelope, as captured from the service (spec §11.24):
    ``{"type": "error", "error": {"type", "message", "details"?}, "request_id"}``.

    ``request_id`` is the response's ``request-id`` header; client errors carry
    ``details.error_visibility = "user_facing"``.
    """
    error: dict[str, object] = {"type": error_type, "message": message}
    if user_facing:
        error["details"] = {"error_visibility": "user_facing"}
    envelope = {"type": "error", "error": error, "request_id": request_id}
    return json.dumps(envelope, ensure_ascii=False).encode()


def bad_request(message: str) -> ApiError:
    """400 ``invalid_request_error``."""
    return ApiError(400, "invalid_request_error", message)


def not_found(message: str) -> ApiError:
    """404 ``not_found_error``."""
    return ApiError(404, "not_found_error", message)


def conflict(message: str) -> ApiError:
    """409 ``conflict_error``."""
    return ApiError(409, "conflict_error", message)
