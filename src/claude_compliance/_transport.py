"""The only code that speaks HTTP.

`TransportCore` holds everything that does not block — headers, request building, retry and
DELETE decisions, error mapping, logging — and `SyncTransport` / `AsyncTransport` each add the
few lines that send, sleep and read. Resources never touch HTTP themselves: they hand the
transport a `Call`, a `Pager` or a download description.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import platform
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any, TypeVar

import httpx2

from ._downloads import Collector, ContentCheck, FileCollector, MemoryCollector
from ._errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APITimeoutError,
    ContentIntegrityError,
    error_for_status,
    unrecognized_server,
)
from ._models import ModelValidationError
from ._pacing import RateLimitPacer
from ._pagination import Pager
from ._request import ByteStream, Call, Download, JsonCall, Request, SaveToFile
from ._retry import RetryPolicy
from ._version import __version__

__all__ = ["AsyncTransport", "ClientOptions", "SyncTransport", "TransportCore"]

T = TypeVar("T")

logger = logging.getLogger("claude_compliance")

API_VERSION = "2023-06-01"
DEFAULT_TIMEOUT = httpx2.Timeout(60.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2
DEFAULT_MAX_DOWNLOAD_BYTES = 100 * 1024 * 1024
USER_AGENT = f"claude-compliance/{__version__} python/{platform.python_version()}"


class Secret:
    """An API key that never shows itself in reprs, logs or tracebacks."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclasses.dataclass(frozen=True)
class ClientOptions:
    """Everything a client is configured with; ``with_options`` copies change some of it.

    Attributes:
        api_key: The Compliance Access Key (or Admin key for the Activity Feed), kept secret.
        base_url: API origin, e.g. ``https://api.anthropic.com``.
        timeout: Per-request timeout.
        max_retries: Retries after the first attempt for retryable failures.
        default_headers: Extra headers sent on every request.
        max_download_bytes: Cap for in-memory downloads.
    """

    api_key: Secret
    base_url: str
    timeout: httpx2.Timeout = dataclasses.field(default_factory=lambda: DEFAULT_TIMEOUT)
    max_retries: int = DEFAULT_MAX_RETRIES
    default_headers: Mapping[str, str] = dataclasses.field(default_factory=dict)
    max_download_bytes: int = DEFAULT_MAX_DOWNLOAD_BYTES


@dataclasses.dataclass
class _Attempts:
    """Per-request retry state."""

    request: Request
    number: int = 0
    started: float = dataclasses.field(default_factory=time.monotonic)
    # Set when an earlier DELETE attempt may have reached the server (timeout, drop, 5xx).
    delete_may_have_landed: bool = False


@dataclasses.dataclass(frozen=True)
class _Retry:
    delay: float


class TransportCore:
    """The non-blocking half of the transport, shared by the sync and async ones."""

    def __init__(self, options: ClientOptions, pacer: RateLimitPacer) -> None:
        self.options = options
        self.pacer = pacer
        self.policy = RetryPolicy(options.max_retries)
        headers = {
            "anthropic-version": API_VERSION,
            "user-agent": USER_AGENT,
            "accept": "application/json",
        }
        headers.update({k.lower(): v for k, v in options.default_headers.items()})
        headers["x-api-key"] = options.api_key.reveal()
        self._headers = headers

    def build(self, http: httpx2.Client | httpx2.AsyncClient, request: Request) -> httpx2.Request:
        url = self.options.base_url.rstrip("/") + request.path
        return http.build_request(
            request.method,
            url,
            params=list(request.params),
            headers=self._headers,
            timeout=self.options.timeout,
        )

    def scrub(self, text: str) -> str:
        """Remove the API key from any text that might end up in an error or log."""
        key = self.options.api_key.reveal()
        return text.replace(key, "***") if key else text

    # -- deciding what an attempt's outcome means ------------------------------------------

    def on_response(self, attempt: _Attempts, response: httpx2.Response) -> _Retry | None:
        """``None`` when the response is the answer; a retry; or raise the mapped error."""
        self.pacer.observe(response.headers)
        request = attempt.request
        status = response.status_code
        request_id = response.headers.get("request-id")
        logger.debug(
            "%s %s -> %s (request-id %s, attempt %d)",
            request.method,
            request.path,
            status,
            request_id,
            attempt.number + 1,
        )
        if status < 300:
            return None
        if status == 404 and request.method == "DELETE" and attempt.delete_may_have_landed:
            logger.info(
                "DELETE %s -> 404 after an attempt that may have succeeded; treating as deleted",
                request.path,
            )
            return None
        delay = self.policy.after_status(attempt.number, status, response.headers)
        if status == 429:
            # The server's word holds for every request sharing the budget, retried or not.
            pause = self.policy.retry_after(response.headers) or delay or 1.0
            self.pacer.exhausted_until(pause)
        if delay is None:
            raise self.error_for(response, request)
        if status >= 500 and request.method == "DELETE":
            attempt.delete_may_have_landed = True
        logger.info(
            "retrying %s %s in %.2fs after HTTP %s (request-id %s, retry %d of %d)",
            request.method,
            request.path,
            delay,
            status,
            request_id,
            attempt.number + 1,
            self.policy.max_retries,
        )
        return _Retry(delay)

    def error_for(self, response: httpx2.Response, request: Request) -> APIError:
        return error_for_status(
            response.status_code,
            response.content,
            response.headers,
            resource_id=request.resource_id if response.status_code == 404 else None,
            server=self.options.base_url,
        )

    def on_send_failure(self, attempt: _Attempts, exc: Exception) -> _Retry:
        """No response arrived: free the pacer's slot, then retry or raise."""
        self.pacer.release()
        return self.on_exception(attempt, exc)

    def on_exception(self, attempt: _Attempts, exc: Exception) -> _Retry:
        """A retry after a transport failure, or raise it as an
        [`APIError`][claude_compliance.APIError]."""
        request = attempt.request
        if request.method == "DELETE":
            attempt.delete_may_have_landed = True
        delay = self.policy.after_exception(attempt.number)
        if delay is None:
            raise self.connection_error(exc) from exc
        logger.info(
            "retrying %s %s in %.2fs after %s (retry %d of %d)",
            request.method,
            request.path,
            delay,
            type(exc).__name__,
            attempt.number + 1,
            self.policy.max_retries,
        )
        return _Retry(delay)

    def connection_error(self, exc: Exception) -> APIError:
        if isinstance(exc, APIError):
            return exc
        detail = self.scrub(str(exc)) or type(exc).__name__
        server = self.options.base_url
        if isinstance(exc, httpx2.TimeoutException):
            return APITimeoutError(f"request to {server} timed out: {detail}")
        return APIConnectionError(f"connection to {server} failed: {detail}")

    def decode(self, call: JsonCall[T], response: httpx2.Response) -> T:
        """Decode a 2xx JSON body through the call's decoder."""
        request_id = response.headers.get("request-id")
        if call.request.method == "DELETE" and response.status_code == 404:
            return call.decode(None)
        try:
            body: Any = json.loads(response.content) if response.content else None
        except ValueError as exc:
            raise unrecognized_server(
                self.options.base_url,
                response.status_code,
                response.headers,
                response.text[:500],
            ) from exc
        try:
            return call.decode(body)
        except (ModelValidationError, TypeError, KeyError, AttributeError) as exc:
            raise APIResponseValidationError(
                f"unexpected response from {call.request.path}: {exc}",
                status_code=response.status_code,
                request_id=request_id,
                body=body,
                headers=response.headers,
            ) from exc

    def collector_for(self, job: Download | SaveToFile) -> Collector[Any]:
        if isinstance(job, SaveToFile):
            return FileCollector(
                job.destination,
                fallback_name=job.request.resource_id or "download",
                overwrite=job.overwrite,
            )
        return MemoryCollector(job.max_bytes or self.options.max_download_bytes)

    def body_failure(self, attempt: _Attempts, exc: Exception) -> _Retry:
        """A download broke or failed verification mid-body: retry it whole, or give up."""
        if isinstance(exc, ContentIntegrityError):
            delay = self.policy.after_exception(attempt.number)
            if delay is None:
                raise exc
            return _Retry(delay)
        return self.on_exception(attempt, exc)


# Every failure of the exchange itself — connecting, sending, reading headers or any part of a
# body (a peer closing mid-body is a RemoteProtocolError), or undoing its content encoding.
_RETRIABLE_EXCEPTIONS = (httpx2.TransportError, httpx2.DecodingError)


class SyncTransport:
    """Sends requests with a blocking ``httpx2.Client``."""

    def __init__(self, core: TransportCore, http: httpx2.Client) -> None:
        self.core = core
        self.http = http

    def _pace(self) -> None:
        while (delay := self.core.pacer.acquire()) > 0:
            logger.debug("pacing: holding a request %.2fs for the rate-limit window", delay)
            time.sleep(delay)

    def send(
        self, request: Request, *, stream: bool = False, attempt: _Attempts | None = None
    ) -> httpx2.Response:
        """Send until a final answer: a 2xx response (or a DELETE's already-gone 404)."""
        attempt = attempt or _Attempts(request)
        while True:
            self._pace()
            try:
                response = self._exchange(request, stream)
            except _RETRIABLE_EXCEPTIONS as exc:
                decision = self.core.on_send_failure(attempt, exc)
            except BaseException:
                self.core.pacer.release()  # cancelled or interrupted: the slot is free again
                raise
            else:
                try:
                    decision_or_none = self.core.on_response(attempt, response)
                except BaseException:
                    response.close()
                    raise
                if decision_or_none is None:
                    return response
                decision = decision_or_none
                response.close()
            time.sleep(decision.delay)
            attempt.number += 1

    def _exchange(self, request: Request, stream: bool) -> httpx2.Response:
        """One attempt: send, and read the body unless the caller streams a success.

        Whatever breaks in here, sending or reading, is one failed attempt to the caller.
        """
        response = self.http.send(self.core.build(self.http, request), stream=stream)
        if stream and not response.is_success:
            try:
                response.read()  # an error body is small, and the error is built from it
            except BaseException:
                response.close()
                raise
        return response

    def run(self, call: Call[T]) -> T:
        """Carry out one call: decode a JSON answer, or download bytes or a file."""
        if isinstance(call, JsonCall):
            decoded: T = self.core.decode(call, self.send(call.request))
            return decoded
        result: T = self._fetch(call)  # type: ignore[arg-type]
        return result

    def _fetch(self, job: Download | SaveToFile) -> Any:
        """Download into memory or a file, retrying a body that breaks or fails verification."""
        collector = self.core.collector_for(job)
        attempt = _Attempts(job.request)
        while True:
            response = self.send(job.request, stream=True, attempt=attempt)
            try:
                collector.start(response.headers)
                for chunk in response.iter_bytes():
                    collector.feed(chunk)
                return collector.finish()
            except (*_RETRIABLE_EXCEPTIONS, ContentIntegrityError) as exc:
                collector.abort()
                decision = self.core.body_failure(attempt, exc)
            except BaseException:
                collector.abort()
                raise
            finally:
                response.close()
            time.sleep(decision.delay)
            attempt.number += 1

    def stream(self, job: ByteStream) -> Iterator[bytes]:
        """Yield a download's chunks; the MD5 and length are checked once the last one is read."""
        response = self.send(job.request, stream=True)
        try:
            check = ContentCheck(response.headers)
            for chunk in response.iter_bytes():
                check.update(chunk)
                yield chunk
            check.verify()
        except _RETRIABLE_EXCEPTIONS as exc:
            raise self.core.connection_error(exc) from exc
        finally:
            response.close()

    def iterate(self, walk: Pager[T] | ByteStream) -> Iterator[T]:
        """Walk every page of a list (or every chunk of a stream)."""
        if isinstance(walk, ByteStream):
            return self.stream(walk)  # type: ignore[return-value]
        return self._pages(walk)

    def _pages(self, pager: Pager[T]) -> Iterator[T]:
        request: Request | None = pager.first.request
        seen: set[str] = set()
        while request is not None:
            page = self.run(dataclasses.replace(pager.first, request=request))
            yield from pager.items(page)
            request = pager.next_request(request, page, seen)

    def close(self) -> None:
        self.http.close()


class AsyncTransport:
    """Sends requests with an ``httpx2.AsyncClient``; the decisions are the same as sync's."""

    def __init__(self, core: TransportCore, http: httpx2.AsyncClient) -> None:
        self.core = core
        self.http = http

    async def _pace(self) -> None:
        while (delay := self.core.pacer.acquire()) > 0:
            logger.debug("pacing: holding a request %.2fs for the rate-limit window", delay)
            await asyncio.sleep(delay)

    async def send(
        self, request: Request, *, stream: bool = False, attempt: _Attempts | None = None
    ) -> httpx2.Response:
        """Send until a final answer: a 2xx response (or a DELETE's already-gone 404)."""
        attempt = attempt or _Attempts(request)
        while True:
            await self._pace()
            try:
                response = await self._exchange(request, stream)
            except _RETRIABLE_EXCEPTIONS as exc:
                decision = self.core.on_send_failure(attempt, exc)
            except BaseException:
                self.core.pacer.release()  # cancelled or interrupted: the slot is free again
                raise
            else:
                try:
                    decision_or_none = self.core.on_response(attempt, response)
                except BaseException:
                    await response.aclose()
                    raise
                if decision_or_none is None:
                    return response
                decision = decision_or_none
                await response.aclose()
            await asyncio.sleep(decision.delay)
            attempt.number += 1

    async def _exchange(self, request: Request, stream: bool) -> httpx2.Response:
        """One attempt: send, and read the body unless the caller streams a success."""
        response = await self.http.send(self.core.build(self.http, request), stream=stream)
        if stream and not response.is_success:
            try:
                await response.aread()
            except BaseException:
                await response.aclose()
                raise
        return response

    async def run(self, call: Call[T]) -> T:
        """Carry out one call: decode a JSON answer, or download bytes or a file."""
        if isinstance(call, JsonCall):
            decoded: T = self.core.decode(call, await self.send(call.request))
            return decoded
        result: T = await self._fetch(call)  # type: ignore[arg-type]
        return result

    async def _fetch(self, job: Download | SaveToFile) -> Any:
        """Download into memory or a file, retrying a body that breaks or fails verification."""
        collector = self.core.collector_for(job)
        attempt = _Attempts(job.request)
        while True:
            response = await self.send(job.request, stream=True, attempt=attempt)
            try:
                collector.start(response.headers)
                async for chunk in response.aiter_bytes():
                    collector.feed(chunk)
                return collector.finish()
            except (*_RETRIABLE_EXCEPTIONS, ContentIntegrityError) as exc:
                collector.abort()
                decision = self.core.body_failure(attempt, exc)
            except BaseException:
                collector.abort()
                raise
            finally:
                await response.aclose()
            await asyncio.sleep(decision.delay)
            attempt.number += 1

    async def stream(self, job: ByteStream) -> AsyncIterator[bytes]:
        """Yield a download's chunks; the MD5 and length are checked once the last one is read."""
        response = await self.send(job.request, stream=True)
        try:
            check = ContentCheck(response.headers)
            async for chunk in response.aiter_bytes():
                check.update(chunk)
                yield chunk
            check.verify()
        except _RETRIABLE_EXCEPTIONS as exc:
            raise self.core.connection_error(exc) from exc
        finally:
            await response.aclose()

    def iterate(self, walk: Pager[T] | ByteStream) -> AsyncIterator[T]:
        """Walk every page of a list (or every chunk of a stream)."""
        if isinstance(walk, ByteStream):
            return self.stream(walk)  # type: ignore[return-value]
        return self._pages(walk)

    async def _pages(self, pager: Pager[T]) -> AsyncIterator[T]:
        request: Request | None = pager.first.request
        seen: set[str] = set()
        while request is not None:
            page = await self.run(dataclasses.replace(pager.first, request=request))
            for item in pager.items(page):
                yield item
            request = pager.next_request(request, page, seen)

    async def aclose(self) -> None:
        await self.http.aclose()
