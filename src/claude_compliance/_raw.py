"""A successful call's answer together with the HTTP response it came in."""

from __future__ import annotations

import dataclasses
from typing import Generic, TypeVar

import httpx2

__all__ = ["RawResponse"]

T = TypeVar("T")


@dataclasses.dataclass(frozen=True, slots=True)
class RawResponse(Generic[T]):
    """What ``<method>.with_raw_response(...)`` returns: the response's status, headers and
    request ID, and the parsed result the method itself would have returned.

    ```python
    raw = client.projects.get.with_raw_response("claude_proj_…")
    print(raw.status_code, raw.request_id, raw.headers["anthropic-ratelimit-requests-remaining"])
    project = raw.parse()
    ```

    Attributes:
        status_code: The HTTP status of the final response (after any retries).
        headers: Its headers.
        request_id: Its ``request-id`` header: quote it to Anthropic support.
    """

    status_code: int
    headers: httpx2.Headers
    request_id: str | None
    _parsed: T

    def parse(self) -> T:
        """The parsed result: what the method returns when called without ``with_raw_response``."""
        return self._parsed
