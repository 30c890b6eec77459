"""The two clients: configuration, the shared connection pool and pacing, resource attributes."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from types import TracebackType
from typing import Any, ClassVar, Generic, Self, TypeVar, overload

import httpx2

from ._bounds import DEFAULT_MAX_RESPONSE_BYTES
from ._budget import RateBudget
from ._pacing import RateLimitPacer
from ._request import as_timeout
from ._resource import AsyncResource, SyncResource
from ._transport import (
    DEFAULT_MAX_DOWNLOAD_BYTES,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    AsyncTransport,
    ClientOptions,
    Secret,
    SyncTransport,
    TransportCore,
)
from .common.closing import Closeable
from .resources import (
    Activities,
    Artifacts,
    AsyncActivities,
    AsyncArtifacts,
    AsyncChats,
    AsyncCodeArtifacts,
    AsyncFiles,
    AsyncGeneratedFiles,
    AsyncGroups,
    AsyncLocalSessions,
    AsyncOrganizations,
    AsyncProjectDocuments,
    AsyncProjects,
    AsyncRemoteSessions,
    AsyncRoles,
    Chats,
    CodeArtifacts,
    Files,
    GeneratedFiles,
    Groups,
    LocalSessions,
    Organizations,
    ProjectDocuments,
    Projects,
    RemoteSessions,
    Roles,
)

__all__ = ["AsyncComplianceClient", "ComplianceClient"]

DEFAULT_BASE_URL = "https://api.anthropic.com"
KEY_VARIABLES = ("ANTHROPIC_COMPLIANCE_ACCESS_KEY", "ANTHROPIC_COMPLIANCE_API_KEY")
BASE_URL_VARIABLE = "ANTHROPIC_COMPLIANCE_BASE_URL"

R = TypeVar("R", bound=SyncResource | AsyncResource)
H = TypeVar("H", httpx2.Client, httpx2.AsyncClient)
_UNSET: Any = object()


def _resolve_options(
    api_key: str | None,
    base_url: str | None,
    timeout: float | httpx2.Timeout | None,
    max_retries: int,
    default_headers: Mapping[str, str] | None,
    max_download_bytes: int,
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
) -> ClientOptions:
    key = api_key or next((os.environ[v] for v in KEY_VARIABLES if os.environ.get(v)), None)
    if not key:
        raise ValueError(
            "No API key: pass api_key=... or set ANTHROPIC_COMPLIANCE_ACCESS_KEY "
            "(ANTHROPIC_COMPLIANCE_API_KEY is accepted too)"
        )
    if not isinstance(key, str):
        raise TypeError("api_key must be a str")
    url = base_url or os.environ.get(BASE_URL_VARIABLE) or DEFAULT_BASE_URL
    return ClientOptions(
        api_key=Secret.api_key(key),
        base_url=url.rstrip("/") if isinstance(url, str) else url,
        timeout=as_timeout(timeout),
        max_retries=max_retries,
        default_headers=dict(default_headers or {}),
        max_download_bytes=max_download_bytes,
        max_response_bytes=max_response_bytes,
    )


class _Resource(Generic[R]):
    """A client attribute that builds its resource group once, on first use."""

    def __init__(self, cls: type[R]) -> None:
        self.cls = cls

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type) -> Self: ...
    @overload
    def __get__(self, instance: object, owner: type) -> R: ...
    def __get__(self, instance: object | None, owner: type) -> R | Self:
        if instance is None:
            return self
        resource = self.cls(instance._transport)  # type: ignore[attr-defined]
        instance.__dict__[self.name] = resource
        return resource


class _ClientBase(Generic[H]):
    """What both clients share: options, the pool, the pacer; copies made by ``with_options``."""

    _options: ClientOptions
    _pacer: RateLimitPacer
    _http: H
    _owns_http: bool
    _owns_pacer: bool
    _transport_type: ClassVar[type[SyncTransport] | type[AsyncTransport]]

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx2.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        http_client: H | None = None,
        max_download_bytes: int = DEFAULT_MAX_DOWNLOAD_BYTES,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        rate_budget: RateBudget | None = None,
    ) -> None:
        options = _resolve_options(
            api_key,
            base_url,
            timeout,
            max_retries,
            default_headers,
            max_download_bytes,
            max_response_bytes,
        )
        if rate_budget is not None and not isinstance(rate_budget, RateBudget):
            raise TypeError("rate_budget must be a RateBudget")
        pacer = RateLimitPacer(origin=options.base_url, budget=rate_budget or RateBudget())
        http = http_client if http_client is not None else self._new_http()
        self._setup(options, http, http_client is None, pacer)
        self._owns_pacer = True

    def _new_http(self) -> H:
        raise NotImplementedError

    def _setup(
        self, options: ClientOptions, http: H, owns_http: bool, pacer: RateLimitPacer
    ) -> None:
        self._options = options
        self._http = http
        self._owns_http = owns_http
        self._pacer = pacer
        self._transport = self._transport_type(TransportCore(options, pacer), http)  # type: ignore[arg-type]

    def with_options(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx2.Timeout | None = _UNSET,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
        max_download_bytes: int | None = None,
        max_response_bytes: int | None = None,
    ) -> Self:
        """Return a copy with some options changed, sharing the connection pool and pacing.

        Arguments are as for the constructor; headers are merged with the current ones.
        Closing the copy does not close the pool; close the original when done.
        """
        copy = object.__new__(type(self))
        options = self._copy_options(
            api_key, base_url, timeout, max_retries, default_headers, max_download_bytes
        )
        if max_response_bytes is not None:
            options = dataclasses.replace(options, max_response_bytes=max_response_bytes)
        copy._setup(options, self._http, False, self._pacer)
        copy._owns_pacer = False
        return copy

    def __repr__(self) -> str:
        # Never the key: only where the client points.
        return f"{type(self).__name__}(base_url={self._options.base_url!r})"

    @property
    def base_url(self) -> str:
        """The API origin this client talks to."""
        return self._options.base_url

    @property
    def max_retries(self) -> int:
        """Retries after the first attempt for retryable failures."""
        return self._options.max_retries

    @property
    def timeout(self) -> httpx2.Timeout:
        """The per-request timeout."""
        return self._options.timeout

    @property
    def rate_limit(self) -> RateLimitPacer:
        """The pacing state shared with every copy made by ``with_options``."""
        return self._pacer

    def _copy_options(
        self,
        api_key: str | None,
        base_url: str | None,
        timeout: Any,
        max_retries: int | None,
        default_headers: Mapping[str, str] | None,
        max_download_bytes: int | None,
    ) -> ClientOptions:
        options = self._options
        changes: dict[str, Any] = {}
        if api_key is not None:
            changes["api_key"] = Secret.api_key(api_key)
        if base_url is not None:
            changes["base_url"] = base_url.rstrip("/") if isinstance(base_url, str) else base_url
        if timeout is not _UNSET:
            changes["timeout"] = as_timeout(timeout)
        if max_retries is not None:
            changes["max_retries"] = max_retries
        if default_headers is not None:
            changes["default_headers"] = {**options.default_headers, **default_headers}
        if max_download_bytes is not None:
            changes["max_download_bytes"] = max_download_bytes
        return dataclasses.replace(options, **changes)


class ComplianceClient(_ClientBase[httpx2.Client], Closeable):
    """Synchronous client for the Anthropic Compliance API.

    Use it as a context manager (or call `close`) to release its connections:

    ```python
    with ComplianceClient() as client:
        for project in client.projects.iter():
            print(project.id, project.name)
    ```

    Args:
        api_key: Compliance Access Key (``sk-ant-api01-…``) or, for the Activity Feed only, an
            Admin API key. Defaults to ``ANTHROPIC_COMPLIANCE_ACCESS_KEY`` (or
            ``ANTHROPIC_COMPLIANCE_API_KEY``).
        base_url: API origin. Defaults to ``ANTHROPIC_COMPLIANCE_BASE_URL`` or
            ``https://api.anthropic.com``.
        timeout: Seconds (or an ``httpx2.Timeout``) per request; the connect phase is capped
            at 5 s. Default 60 s.
        max_retries: Retries after the first attempt for connection errors, timeouts and
            408/429/5xx/529 responses. ``0`` disables retrying. Default 2.
        default_headers: Extra headers sent with every request.
        http_client: An ``httpx2.Client`` to send through (proxies, certificates, transports).
            The caller keeps ownership: `close` does not close it.
        max_response_bytes: Cap for a JSON answer or an error body, counted while it streams
            and after decompression (default 64 MiB): a bigger one raises
            [`ResponseTooLargeError`][claude_compliance.ResponseTooLargeError].
        max_download_bytes: Cap for [`Files.download`][claude_compliance.Files.download] and other
            in-memory downloads.
        rate_budget: How this client shares the organisation's request budget with the other
            jobs of this toolkit on the machine (a [`RateBudget`][claude_compliance.RateBudget]):
            its share, a requests-per-minute cap, its priority. Default: an interactive client
            that may use the whole budget, drawing on the machine-wide budget file.

    Raises:
        ValueError: When no API key is given or found in the environment.
    """

    _transport_type = SyncTransport
    _transport: SyncTransport

    def _new_http(self) -> httpx2.Client:
        return httpx2.Client()

    activities = _Resource(Activities)
    organizations = _Resource(Organizations)
    roles = _Resource(Roles)
    groups = _Resource(Groups)
    chats = _Resource(Chats)
    files = _Resource(Files)
    generated_files = _Resource(GeneratedFiles)
    artifacts = _Resource(Artifacts)
    projects = _Resource(Projects)
    project_documents = _Resource(ProjectDocuments)
    local_sessions = _Resource(LocalSessions)
    remote_sessions = _Resource(RemoteSessions)
    code_artifacts = _Resource(CodeArtifacts)

    def close(self) -> None:
        """Release the connection pool (unless it was supplied by the caller)."""
        if self._owns_pacer:
            self._pacer.close()
        if self._owns_http:
            self._http.close()


class AsyncComplianceClient(_ClientBase[httpx2.AsyncClient]):
    """Asynchronous client for the Anthropic Compliance API.

    Same options and resources as [`ComplianceClient`][claude_compliance.ComplianceClient];
    methods are coroutines and ``iter*`` methods return async iterators (use ``async for``
    without ``await``):

    ```python
    async with AsyncComplianceClient() as client:
        async for project in client.projects.iter():
            print(project.id)
    ```

    Args:
        api_key: As for [`ComplianceClient`][claude_compliance.ComplianceClient].
        base_url: As for [`ComplianceClient`][claude_compliance.ComplianceClient].
        timeout: As for [`ComplianceClient`][claude_compliance.ComplianceClient].
        max_retries: As for [`ComplianceClient`][claude_compliance.ComplianceClient].
        default_headers: As for [`ComplianceClient`][claude_compliance.ComplianceClient].
        http_client: An ``httpx2.AsyncClient`` to send through; the caller keeps ownership.
        max_download_bytes: As for [`ComplianceClient`][claude_compliance.ComplianceClient].
        max_response_bytes: As for [`ComplianceClient`][claude_compliance.ComplianceClient].
        rate_budget: As for [`ComplianceClient`][claude_compliance.ComplianceClient].

    Raises:
        ValueError: When no API key is given or found in the environment.
    """

    _transport_type = AsyncTransport
    _transport: AsyncTransport

    def _new_http(self) -> httpx2.AsyncClient:
        # Bulk archive work runs many requests at once within the shared rate budget.
        return httpx2.AsyncClient(limits=httpx2.Limits(max_connections=64))

    activities = _Resource(AsyncActivities)
    organizations = _Resource(AsyncOrganizations)
    roles = _Resource(AsyncRoles)
    groups = _Resource(AsyncGroups)
    chats = _Resource(AsyncChats)
    files = _Resource(AsyncFiles)
    generated_files = _Resource(AsyncGeneratedFiles)
    artifacts = _Resource(AsyncArtifacts)
    projects = _Resource(AsyncProjects)
    project_documents = _Resource(AsyncProjectDocuments)
    local_sessions = _Resource(AsyncLocalSessions)
    remote_sessions = _Resource(AsyncRemoteSessions)
    code_artifacts = _Resource(AsyncCodeArtifacts)

    async def aclose(self) -> None:
        """Release the connection pool (unless it was supplied by the caller)."""
        if self._owns_pacer:
            self._pacer.close()
        if self._owns_http:
            await self._http.aclose()

    close = aclose

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
