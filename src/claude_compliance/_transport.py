"""The only code that speaks HTTP.

`TransportCore` holds everything that does not block — headers, request building, retry and
DELETE decisions, error mapping, logging — and `SyncTransport` / `AsyncTransport` each add the
few lines that send, sleep and read. Resources never touch HTTP themselves: they hand the
transport a `Call`, a `Pager` or a download description.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
import platform
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any, TypeVar
from urllib.parse import urlencode, urlsplit

import httpx2

from ._bounds import (
    DEFAULT_MAX_RESPONSE_BYTES,
    MAX_REDIRECTS,
    BoundedBody,
    DeadlineExceeded,
    attempt_deadline,
    redirect_request,
)
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
from ._pagination import Pager, Walk
from ._raw import RawResponse
from ._request import ByteStream, Call, Download, JsonCall, NotGiven, Request, SaveToFile
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

    @classmethod
    def api_key(cls, value: str) -> Secret:
        """A key as read from a file or a secret store: surrounding whitespace and a trailing
        CR/LF are dropped; anything else a header cannot carry is a ``ValueError`` that never
        quotes the key."""
        key = value.strip()
        bad = [i for i, ch in enumerate(key) if not 0x21 <= ord(ch) <= 0x7E]
        if bad:
            raise ValueError(
                f"api_key holds a character an HTTP header cannot carry (at position {bad[0]} "
                f"of {len(key)}: a space, line break, control or non-ASCII character)"
            )
        return cls(key)

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
        max_response_bytes: Cap for a JSON answer or error body, after decompression.
    """

    api_key: Secret
    base_url: str
    timeout: httpx2.Timeout = dataclasses.field(default_factory=lambda: DEFAULT_TIMEOUT)
    max_retries: int = DEFAULT_MAX_RETRIES
    default_headers: Mapping[str, str] = dataclasses.field(default_factory=dict)
    max_download_bytes: int = DEFAULT_MAX_DOWNLOAD_BYTES
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES

    def __post_init__(self) -> None:
        # Every client and every with_options copy is built here, so this is the one check.
        key = self.api_key.reveal()
        if not isinstance(key, str) or not key:
            raise ValueError("api_key must be a non-empty string")
        url = urlsplit(self.base_url) if isinstance(self.base_url, str) else None
        if url is None or url.scheme not in ("http", "https") or not url.hostname:
            raise ValueError(
                f"base_url must be an http:// or https:// URL with a host, got {self.base_url!r}"
            )
        if not isinstance(self.timeout, httpx2.Timeout):
            raise TypeError(f"timeout must be an httpx2.Timeout, got {self.timeout!r}")
        _require_count("max_retries", self.max_retries, minimum=0)
        _require_count("max_download_bytes", self.max_download_bytes, minimum=1)
        _require_count("max_response_bytes", self.max_response_bytes, minimum=1)
        for name, value in self.default_headers.items():
            if not isinstance(name, str) or not isinstance(value, str):
                raise TypeError(f"default_headers must map str to str, got {name!r}")


def _require_count(name: str, value: object, *, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")


@dataclasses.dataclass
class _Attempts:
    """Per-request retry state."""

    request: Request
    number: int = 0
    started: float = dataclasses.field(default_factory=time.monotonic)
    # Set when an earlier DELETE attempt may have reached the server (timeout, drop, 5xx).
    delete_may_have_landed: bool = False
    # ``time.monotonic()`` by which the current attempt must have its whole answer.
    deadline: float | None = None


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
        # Built once: httpx2 copies a Headers object as it is, but normalises a dict every time.
        self._wire_headers = httpx2.Headers(headers)
        self._origin = options.base_url.rstrip("/")

    def build(self, http: httpx2.Client | httpx2.AsyncClient, request: Request) -> httpx2.Request:
        url = self._origin + request.path
        if request.params:
            # One URL string: handing httpx2 the pairs separately parses and checks it twice.
            url += "?" + urlencode(request.params)
        timeout = request.timeout
        return http.build_request(
            request.method,
            url,
            headers=httpx2.Headers({**self._headers, **dict(request.headers)})
            if request.headers
            else self._wire_headers,
            timeout=self.options.timeout if isinstance(timeout, NotGiven) else timeout,
        )

    def begin(self, attempt: _Attempts) -> None:
        """Start an attempt's clock: its overall deadline runs from here."""
        timeout = attempt.request.timeout
        budget = attempt_deadline(
            self.options.timeout if isinstance(timeout, NotGiven) else timeout
        )
        attempt.deadline = None if budget is None else time.monotonic() + budget

    def remaining(self, attempt: _Attempts) -> float | None:
        if attempt.deadline is None:
            return None
        left = attempt.deadline - time.monotonic()
        if left <= 0:
            raise DeadlineExceeded(f"{attempt.request.method} {attempt.request.path}: deadline")
        return left

    def body(self, attempt: _Attempts) -> BoundedBody:
        """A bounded reader for the body of this attempt's response."""
        request = attempt.request
        return BoundedBody(
            self.options.max_response_bytes, attempt.deadline, f"{request.method} {request.path}"
        )

    def scrub(self, text: str) -> str:
        """Remove the API key from any text that might end up in an error or log."""
        key = self.options.api_key.reveal()
        return text.replace(key, "***") if key else text

    # -- deciding what an attempt's outcome means ------------------------------------------

    def on_response(
        self, attempt: _Attempts, response: httpx2.Response, error_body: bytes = b""
    ) -> _Retry | None:
        """``None`` when the response is the answer; a retry; or raise the mapped error
        (``error_body`` is the bounded body of a non-2xx response)."""
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
            raise self.error_for(response, error_body, request)
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

    def error_for(self, response: httpx2.Response, body: bytes, request: Request) -> APIError:
        return error_for_status(
            response.status_code,
            body,
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

    def decode(self, call: JsonCall[T], response: httpx2.Response, content: bytes) -> T:
        """Decode a 2xx JSON body (already read, bounded) through the call's decoder."""
        request_id = response.headers.get("request-id")
        if call.request.method == "DELETE" and response.status_code == 404:
            return call.decode(None)
        try:
            body: Any = json.loads(content) if content else None
        except ValueError as exc:
            raise unrecognized_server(
                self.options.base_url,
                response.status_code,
                response.headers,
                content[:500].decode("utf-8", "replace"),
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
                into_folder=job.into_folder,
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


def raw_response(answer: T, response: httpx2.Response) -> RawResponse[T]:
    return RawResponse(
        response.status_code, response.headers, response.headers.get("request-id"), answer
    )


class SyncTransport:
    """Sends requests with a blocking ``httpx2.Client``."""

    def __init__(self, core: TransportCore, http: httpx2.Client) -> None:
        self.core = core
        self.http = http

    def _pace(self) -> None:
        while (delay := self.core.pacer.acquire()) > 0:
            logger.debug("pacing: holding a request %.2fs for the rate-limit window", delay)
            time.sleep(delay)

    def send(self, request: Request, *, attempt: _Attempts | None = None) -> httpx2.Response:
        """Send until a final answer: a 2xx response (or a DELETE's already-gone 404), its body
        still unread; the caller reads and closes it."""
        attempt = attempt or _Attempts(request)
        while True:
            self._pace()
            self.core.begin(attempt)
            try:
                response, error_body = self._exchange(request, attempt)
            except _RETRIABLE_EXCEPTIONS as exc:
                decision = self.core.on_send_failure(attempt, exc)
            except BaseException:
                self.core.pacer.release()  # cancelled or interrupted: the slot is free again
                raise
            else:
                try:
                    decision_or_none = self.core.on_response(attempt, response, error_body)
                except BaseException:
                    response.close()
                    raise
                if decision_or_none is None:
                    return response
                decision = decision_or_none
                response.close()
            time.sleep(decision.delay)
            attempt.number += 1

    def _exchange(self, request: Request, attempt: _Attempts) -> tuple[httpx2.Response, bytes]:
        """One attempt: send (following redirects the caller allows) and read an error body,
        bounded; a success comes back unread.

        Whatever breaks in here, sending or reading, is one failed attempt to the caller.
        """
        response = self._send_following(self.core.build(self.http, request))
        try:
            return response, b"" if response.is_success else self._read(response, attempt)
        except BaseException:
            response.close()
            raise

    def _send_following(self, request: httpx2.Request) -> httpx2.Response:
        """Send, following the caller's redirect choice without carrying the key elsewhere."""
        response = self.http.send(request, stream=True, follow_redirects=False)
        for _ in range(MAX_REDIRECTS):
            target = redirect_request(self.http, response)
            if target is None:
                break
            response.close()
            response = self.http.send(target, stream=True, follow_redirects=False)
        return response

    def _read(self, response: httpx2.Response, attempt: _Attempts) -> bytes:
        """The whole body, within the size cap and the attempt's deadline."""
        body = self.core.body(attempt)
        body.start(response)
        for chunk in response.iter_bytes():
            body.feed(response, chunk)
        return body.finish()

    def run(self, call: Call[T]) -> T:
        """Carry out one call: decode a JSON answer, or download bytes or a file."""
        return (self._carry_out(call))[0]

    def run_raw(self, call: Call[T]) -> RawResponse[T]:
        """Carry out one call, keeping the final response's status and headers with the answer."""
        answer, response = self._carry_out(call)
        return raw_response(answer, response)

    def _carry_out(self, call: Call[T]) -> tuple[T, httpx2.Response]:
        if isinstance(call, JsonCall):
            return self._json(call)
        return self._fetch(call)  # type: ignore[arg-type]

    def _json(self, call: JsonCall[T]) -> tuple[T, httpx2.Response]:
        """Send a call and decode its answer, retrying a body that breaks or runs late."""
        attempt = _Attempts(call.request)
        while True:
            response = self.send(call.request, attempt=attempt)
            try:
                # A DELETE's already-gone 404 arrives with its body read: nothing left to decode.
                content = self._read(response, attempt) if response.is_success else b""
            except _RETRIABLE_EXCEPTIONS as exc:
                decision = self.core.on_exception(attempt, exc)
            else:
                decoded: T = self.core.decode(call, response, content)
                return decoded, response
            finally:
                response.close()
            time.sleep(decision.delay)
            attempt.number += 1

    def _fetch(self, job: Download | SaveToFile) -> tuple[Any, httpx2.Response]:
        """Download into memory or a file, retrying a body that breaks or fails verification."""
        collector = self.core.collector_for(job)
        attempt = _Attempts(job.request)
        while True:
            response = self.send(job.request, attempt=attempt)
            try:
                collector.start(response.headers)
                for chunk in response.iter_bytes():
                    collector.feed(chunk)
                return collector.finish(), response
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
        response = self.send(job.request)
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
        walk = Walk()
        while request is not None:
            page = self.run(dataclasses.replace(pager.first, request=request))
            yield from pager.items(page)
            request = pager.next_request(request, page, walk)

    def close(self) -> None:
        self.http.close()


@contextlib.asynccontextmanager
async def _within(seconds: float | None) -> AsyncIterator[None]:
    """Cancel the block after ``seconds`` (a whole attempt: headers and body), reported as a
    transport timeout so the retry policy treats it like any other."""
    if seconds is None:
        yield
        return
    try:
        async with asyncio.timeout(seconds):
            yield
    except TimeoutError as exc:
        raise DeadlineExceeded("no complete response within the request's deadline") from exc


class AsyncTransport:
    """Sends requests with an ``httpx2.AsyncClient``; the decisions are the same as sync's."""

    def __init__(self, core: TransportCore, http: httpx2.AsyncClient) -> None:
        self.core = core
        self.http = http

    async def _pace(self) -> None:
        while (delay := self.core.pacer.acquire()) > 0:
            logger.debug("pacing: holding a request %.2fs for the rate-limit window", delay)
            await asyncio.sleep(delay)

    async def send(self, request: Request, *, attempt: _Attempts | None = None) -> httpx2.Response:
        """Send until a final answer: a 2xx response (or a DELETE's already-gone 404), its body
        still unread; the caller reads and closes it."""
        attempt = attempt or _Attempts(request)
        while True:
            await self._pace()
            self.core.begin(attempt)
            try:
                async with _within(self.core.remaining(attempt)):
                    response, error_body = await self._exchange(request, attempt)
            except _RETRIABLE_EXCEPTIONS as exc:
                decision = self.core.on_send_failure(attempt, exc)
            except BaseException:
                self.core.pacer.release()  # cancelled or interrupted: the slot is free again
                raise
            else:
                try:
                    decision_or_none = self.core.on_response(attempt, response, error_body)
                except BaseException:
                    await response.aclose()
                    raise
                if decision_or_none is None:
                    return response
                decision = decision_or_none
                await response.aclose()
            await asyncio.sleep(decision.delay)
            attempt.number += 1

    async def _exchange(
        self, request: Request, attempt: _Attempts
    ) -> tuple[httpx2.Response, bytes]:
        """One attempt: send (following redirects the caller allows) and read an error body,
        bounded; a success comes back unread."""
        response = await self._send_following(self.core.build(self.http, request))
        try:
            return response, b"" if response.is_success else await self._read(response, attempt)
        except BaseException:
            await response.aclose()
            raise

    async def _send_following(self, request: httpx2.Request) -> httpx2.Response:
        """Send, following the caller's redirect choice without carrying the key elsewhere."""
        response = await self.http.send(request, stream=True, follow_redirects=False)
        for _ in range(MAX_REDIRECTS):
            target = redirect_request(self.http, response)
            if target is None:
                break
            await response.aclose()
            response = await self.http.send(target, stream=True, follow_redirects=False)
        return response

    async def _read(self, response: httpx2.Response, attempt: _Attempts) -> bytes:
        """The whole body, within the size cap and the attempt's deadline."""
        body = self.core.body(attempt)
        body.start(response)
        async with _within(self.core.remaining(attempt)):
            async for chunk in response.aiter_bytes():
                body.feed(response, chunk)
        return body.finish()

    async def run(self, call: Call[T]) -> T:
        """Carry out one call: decode a JSON answer, or download bytes or a file."""
        return (await self._carry_out(call))[0]

    async def run_raw(self, call: Call[T]) -> RawResponse[T]:
        """Carry out one call, keeping the final response's status and headers with the answer."""
        answer, response = await self._carry_out(call)
        return raw_response(answer, response)

    async def _carry_out(self, call: Call[T]) -> tuple[T, httpx2.Response]:
        if isinstance(call, JsonCall):
            return await self._json(call)
        return await self._fetch(call)  # type: ignore[arg-type]

    async def _json(self, call: JsonCall[T]) -> tuple[T, httpx2.Response]:
        """Send a call and decode its answer, retrying a body that breaks or runs late."""
        attempt = _Attempts(call.request)
        while True:
            response = await self.send(call.request, attempt=attempt)
            try:
                # A DELETE's already-gone 404 arrives with its body read: nothing left to decode.
                content = await self._read(response, attempt) if response.is_success else b""
            except _RETRIABLE_EXCEPTIONS as exc:
                decision = self.core.on_exception(attempt, exc)
            else:
                decoded: T = self.core.decode(call, response, content)
                return decoded, response
            finally:
                await response.aclose()
            await asyncio.sleep(decision.delay)
            attempt.number += 1

    async def _fetch(self, job: Download | SaveToFile) -> tuple[Any, httpx2.Response]:
        """Download into memory or a file, retrying a body that breaks or fails verification."""
        collector = self.core.collector_for(job)
        attempt = _Attempts(job.request)
        while True:
            response = await self.send(job.request, attempt=attempt)
            try:
                collector.start(response.headers)
                async for chunk in response.aiter_bytes():
                    collector.feed(chunk)
                return collector.finish(), response
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
        response = await self.send(job.request)
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
        walk = Walk()
        while request is not None:
            page = await self.run(dataclasses.replace(pager.first, request=request))
            for item in pager.items(page):
                yield item
            request = pager.next_request(request, page, walk)

    async def aclose(self) -> None:
        await self.http.aclose()
