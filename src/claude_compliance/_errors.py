"""The exception hierarchy.

Every failure the SDK reports is an [`APIError`][claude_compliance.APIError], so one
``except APIError`` catches them all. HTTP failures map to a subclass per status; transport
failures (no response at all) are [`APIConnectionError`][claude_compliance.APIConnectionError]
and [`APITimeoutError`][claude_compliance.APITimeoutError]. Nothing here ever holds the API key:
errors carry the *response's* headers and body, never the request's.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "ContentIntegrityError",
    "DownloadTooLargeError",
    "InternalServerError",
    "NotFoundError",
    "PaginationError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseTooLargeError",
    "UnrecognizedServerError",
]


class APIError(Exception):
    """Root of every error raised by the SDK.

    Attributes:
        message: Human-readable description (the server's ``error.message`` for HTTP errors).
        status_code: HTTP status of the response, or ``None`` when no response was received.
        error_type: The server's ``error.type`` (e.g. ``"not_found_error"``), when known.
        request_id: The ``request-id`` response header; quote it to Anthropic support.
        body: The decoded JSON error body, or the raw text when it was not JSON.
        headers: The response headers (never the request's, so never the API key).
    """

    status_code: int | None
    error_type: str | None
    request_id: str | None
    body: Any
    headers: Mapping[str, str]

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        error_type: str | None = None,
        request_id: str | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.error_type = error_type
        self.request_id = request_id
        self.body = body
        self.headers = dict(headers or {})

    def __str__(self) -> str:
        parts = []
        if self.status_code is not None:
            parts.append(str(self.status_code))
        if self.error_type:
            parts.append(self.error_type)
        head = " ".join(parts)
        text = f"{head}: {self.message}" if head else self.message
        if self.request_id:
            text += f" (request-id: {self.request_id})"
        return text

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(message={self.message!r}, status_code={self.status_code!r}, "
            f"error_type={self.error_type!r}, request_id={self.request_id!r})"
        )


class BadRequestError(APIError):
    """400 ``invalid_request_error``: a parameter the server rejected (limit, timestamp, cursor)."""


class AuthenticationError(APIError):
    """401 ``authentication_error``: the key is missing, unknown, disabled or revoked."""


class PermissionDeniedError(APIError):
    """403 ``permission_error``: the key lacks the scope this endpoint needs."""


class NotFoundError(APIError):
    """404 ``not_found_error``: the object does not exist, was deleted, or is out of reach.

    Attributes:
        resource_id: The ID the request named, when there was one.
    """

    resource_id: str | None = None


class ConflictError(APIError):
    """409 ``conflict_error``: the object's state forbids the operation (a project with chats)."""


class RateLimitError(APIError):
    """429 ``rate_limit_error``: the request budget is spent.

    Attributes:
        retry_after: Seconds the server asked to wait (from ``retry-after``), when given.
    """

    retry_after: float | None = None


class InternalServerError(APIError):
    """Any status of 500 or above (``api_error``, ``overloaded_error``, …)."""


class APIConnectionError(APIError):
    """No response was received: connection refused or reset, DNS failure, dropped stream."""


class APITimeoutError(APIConnectionError):
    """The request timed out before a complete response arrived."""


class APIResponseValidationError(APIError):
    """A 2xx response whose body is not the JSON this endpoint returns."""


class UnrecognizedServerError(APIResponseValidationError):
    """The server at the base URL did not answer like the Compliance API.

    An HTML page, a non-JSON 2xx, or a 4xx without the API's error envelope: most often a base
    URL that points somewhere else (another web server, or one ending in ``/v1``). The message
    is one line naming the URL, the status and the content type, never the page itself.
    """

    def __str__(self) -> str:
        return self.message  # already names the status; the status prefix would repeat it


class ResponseTooLargeError(APIResponseValidationError):
    """A JSON response (or error body) larger than the client's ``max_response_bytes``, counted
    while it streams and after decompression; nothing more of it was read."""


class PaginationError(APIError):
    """The server repeated a page token or cursor; iterating further would loop forever."""


class DownloadTooLargeError(APIError):
    """A download exceeded the byte cap given to ``download`` (use ``download_to_file``)."""


class ContentIntegrityError(APIError):
    """Downloaded bytes do not match the server's ``Content-MD5`` or ``Content-Length``."""


_STATUS_ERRORS: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitError,
}


def parse_retry_after(value: str | None) -> float | None:
    """Read a ``retry-after`` header given in seconds; ``None`` when absent or not a number."""
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


def content_type(headers: Mapping[str, str]) -> str:
    """The response's media type without parameters (``text/html``), or ``no content type``."""
    value = headers.get("content-type", "").split(";")[0].strip()
    return value or "no content type"


def unrecognized_server(
    server: str, status_code: int, headers: Mapping[str, str], body: Any = None
) -> UnrecognizedServerError:
    """The one-line error for a response that is not the Compliance API's."""
    return UnrecognizedServerError(
        f"the server at {server} did not answer like the Compliance API "
        f"(HTTP {status_code}, {content_type(headers)}): is the base URL right?",
        status_code=status_code,
        request_id=headers.get("request-id"),
        body=body,
        headers=headers,
    )


_SHORT_TEXT = 200


def error_for_status(
    status_code: int,
    content: bytes,
    headers: Mapping[str, str],
    *,
    resource_id: str | None = None,
    server: str | None = None,
) -> APIError:
    """Build the typed error for one non-2xx response.

    Accepts both the compliance envelope ``{"error": {...}}`` and the platform one that adds
    ``"type": "error"``. A 4xx without that envelope did not come from the API (a wrong base
    URL, a proxy's login page): it is an
    [`UnrecognizedServerError`][claude_compliance.UnrecognizedServerError] naming ``server``.
    A 429 or 5xx without it keeps its class (a gateway in front of the API
    says these too) with a short text body as the message, never a whole page.
    """
    body: Any
    try:
        body = json.loads(content) if content else None
    except ValueError:
        body = content.decode("utf-8", "replace")
    error_type: str | None = None
    message = ""
    if isinstance(body, Mapping) and isinstance(body.get("error"), Mapping):
        error = body["error"]
        error_type = error.get("type") if isinstance(error.get("type"), str) else None
        message = error.get("message") if isinstance(error.get("message"), str) else ""
    enveloped = error_type is not None or bool(message)
    if not enveloped and server is not None and status_code < 500 and status_code != 429:
        return unrecognized_server(server, status_code, headers, body)
    if not message:
        message = _short_text(body, headers) or f"HTTP {status_code} ({content_type(headers)})"
    cls = _STATUS_ERRORS.get(status_code)
    if cls is None:
        cls = InternalServerError if status_code >= 500 else APIError
    if cls is NotFoundError and resource_id is not None and resource_id not in message:
        message = f"{message} (id: {resource_id})"
    error = cls(
        message,
        status_code=status_code,
        error_type=error_type,
        request_id=headers.get("request-id"),
        body=body,
        headers=headers,
    )
    if isinstance(error, NotFoundError):
        error.resource_id = resource_id
    if isinstance(error, RateLimitError):
        error.retry_after = parse_retry_after(headers.get("retry-after"))
    return error


def _short_text(body: Any, headers: Mapping[str, str]) -> str | None:
    """A plain-text error body worth quoting whole: one short line, not a markup page."""
    if not isinstance(body, str) or "html" in content_type(headers) or "<" in body:
        return None
    text = " ".join(body.split())
    return text if 0 < len(text) <= _SHORT_TEXT else None
