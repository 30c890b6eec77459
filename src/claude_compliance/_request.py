"""What a resource method asks of the transport, built without doing any I/O.

Every endpoint is declared once as a function returning one of these descriptions; the sync and
async clients run the same description through their transport. Building a request is also
where unsafe input is stopped: an ID that would change the URL path never reaches the network.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Generic, Self, TypeAlias, TypedDict, TypeVar
from urllib.parse import quote

import httpx2

from ._models import ModelValidationError

T = TypeVar("T")
# Covariant: a call answering with a subclass of a page answers with that page.
T_co = TypeVar("T_co", covariant=True)

StrList: TypeAlias = Sequence[str]
"""A list (or tuple) of strings, sent as repeated ``name[]=value`` pairs.

A bare ``str`` is rejected with ``TypeError`` rather than being split into characters.
"""

QueryItems: TypeAlias = tuple[tuple[str, str], ...]
QueryValue: TypeAlias = str | int | bool | Sequence[str]

API_PREFIX = "/v1/compliance"


class NotGiven:
    """The default of ``timeout=``: the client's own timeout applies."""

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __bool__(self) -> bool:
        return False


NOT_GIVEN = NotGiven()


class CallOptions(TypedDict, total=False):
    """Options every method accepts as keyword-only arguments, for that one call.

    Attributes:
        timeout: Seconds (or an ``httpx2.Timeout``) for this call's requests, ``None`` for no
            timeout; by default the client's timeout. A number caps the connect phase at 5 s.
        extra_headers: Headers to add to (or override on) this call's requests.
        extra_query: Query parameters to add to (or override on) this call's requests, in wire
            syntax (``{"name[]": ["a", "b"]}`` sends ``name[]=a&name[]=b``).
    """

    timeout: float | httpx2.Timeout | NotGiven | None
    extra_headers: Mapping[str, str] | None
    extra_query: Mapping[str, QueryValue] | None


OPTION_PARAMETERS = frozenset(CallOptions.__annotations__)


def as_timeout(value: object) -> httpx2.Timeout:
    """Turn a ``timeout=`` value into an ``httpx2.Timeout``, refusing what cannot be one.

    Raises:
        TypeError: When ``value`` is not a number, an ``httpx2.Timeout`` or ``None``.
        ValueError: When a number is negative.
    """
    if isinstance(value, httpx2.Timeout):
        return value
    if value is None:
        return httpx2.Timeout(None)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"timeout must be seconds, an httpx2.Timeout or None, not {value!r}")
    if value < 0:
        raise ValueError(f"timeout must be >= 0 seconds, got {value}")
    # A short connect timeout finds a dead host quickly; reads get the whole budget.
    return httpx2.Timeout(value, connect=min(5.0, value))


def _extra_headers(headers: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    for name, value in headers.items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise TypeError(f"extra_headers must map str to str, got {name!r}: {type(value)}")
    return tuple((name.lower(), value) for name, value in headers.items())


def _extra_query(params: Mapping[str, QueryValue]) -> QueryItems:
    items: list[tuple[str, str]] = []
    for name, value in params.items():
        values = value if isinstance(value, list | tuple) else [value]
        for one in values:
            if isinstance(one, bool):
                items.append((name, "true" if one else "false"))
            elif isinstance(one, str | int):
                items.append((name, str(one)))
            else:
                raise TypeError(f"extra_query[{name!r}] must be str, int, bool or a list of str")
    return tuple(items)


@dataclasses.dataclass(frozen=True)
class Request:
    """One HTTP request, before the transport adds headers, retries and pacing.

    Attributes:
        method: ``GET`` or ``DELETE`` (the compliance surface has no other verbs).
        path: The URL path, every ID segment already percent-encoded.
        params: Query pairs in wire syntax (``organization_ids[]``, ``created_at.gte``).
        resource_id: The ID the path names, quoted in ``NotFoundError`` messages.
        timeout: This call's timeout, or `NOT_GIVEN` for the client's.
        headers: This call's extra headers (lower-case names).
    """

    method: str
    path: str
    params: QueryItems = ()
    resource_id: str | None = None
    timeout: httpx2.Timeout | NotGiven = NOT_GIVEN
    headers: tuple[tuple[str, str], ...] = ()

    def with_options(self, options: CallOptions) -> Request:
        """Return a copy carrying one call's ``timeout``, ``extra_headers`` and ``extra_query``.

        Raises:
            TypeError: When an option has the wrong type.
            ValueError: When the timeout is negative.
        """
        changes: dict[str, Any] = {}
        timeout = options.get("timeout", NOT_GIVEN)
        if not isinstance(timeout, NotGiven):
            changes["timeout"] = as_timeout(timeout)
        if headers := options.get("extra_headers"):
            changes["headers"] = (*self.headers, *_extra_headers(headers))
        if query_params := options.get("extra_query"):
            extra = _extra_query(query_params)
            replaced = {name for name, _ in extra}
            kept = tuple((k, v) for k, v in self.params if k not in replaced)
            changes["params"] = (*kept, *extra)
        return dataclasses.replace(self, **changes)

    def with_param(self, name: str, value: str) -> Request:
        """Return a copy with ``name`` set to ``value`` (replacing any earlier value)."""
        kept = tuple((k, v) for k, v in self.params if k != name)
        return dataclasses.replace(self, params=(*kept, (name, value)))

    def without_params(self, *names: str) -> Request:
        """Return a copy without the named parameters."""
        return dataclasses.replace(
            self, params=tuple((k, v) for k, v in self.params if k not in names)
        )

    def param(self, name: str) -> str | None:
        """The value of a scalar parameter, or ``None``."""
        return next((v for k, v in self.params if k == name), None)


@dataclasses.dataclass(frozen=True)
class Call(Generic[T_co]):
    """Something one method call asks the transport to do, answering with a ``T``.

    Attributes:
        request: What to send.
    """

    request: Request

    def with_options(self, options: CallOptions) -> Self:
        """Return a copy whose request carries one call's options."""
        return dataclasses.replace(self, request=self.request.with_options(options))


@dataclasses.dataclass(frozen=True)
class JsonCall(Call[T_co]):
    """A request whose JSON answer is decoded into ``T``.

    Attributes:
        decode: Turns the decoded JSON body into the method's return value.
    """

    decode: Callable[[Any], T_co]


@dataclasses.dataclass(frozen=True)
class Download(Call[bytes]):
    """A content download read whole into memory, bounded by a byte cap.

    Attributes:
        max_bytes: Per-call cap; ``None`` uses the client's ``max_download_bytes``.
    """

    max_bytes: int | None = None


@dataclasses.dataclass(frozen=True)
class SaveToFile(Call[Path]):
    """A content download written atomically to disk, answering with the final path.

    Attributes:
        destination: A file path, or a folder (the server's filename, made safe, is used
            inside it): an existing one, or any path ending in a separator (created if missing).
        overwrite: ``True`` replaces an existing file at the final path; ``False`` refuses
            any; ``None`` (the default) replaces only a file with the same content, so a
            different file is never silently replaced.
        into_folder: The destination is a folder even if it does not exist yet.
    """

    destination: Path
    overwrite: bool | None = None
    into_folder: bool = False

    @classmethod
    def to(
        cls, request: Request, destination: str | os.PathLike[str], overwrite: bool | None
    ) -> SaveToFile:
        """The job for ``download_to_file(…, destination, overwrite=…)``: a destination
        written with a trailing separator (``"downloads/"``) names a folder."""
        text = os.fspath(destination)
        into_folder = text.endswith(("/", os.sep))
        return cls(request, Path(text), overwrite, into_folder)


@dataclasses.dataclass(frozen=True)
class ByteStream:
    """A content download handed to the caller chunk by chunk.

    Attributes:
        request: What to send.
    """

    request: Request

    def with_options(self, options: CallOptions) -> Self:
        """Return a copy whose request carries one call's options."""
        return dataclasses.replace(self, request=self.request.with_options(options))


def segment(value: str, name: str) -> str:
    """Percent-encode one path segment, refusing values that would change the path.

    Raises:
        TypeError: When ``value`` is not a string.
        ValueError: When ``value`` is empty, ``.``/``..``, or contains ``/``.
    """
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"{name} must be a non-empty ID")
    if value in (".", "..") or "/" in value or "\\" in value:
        raise ValueError(f"{name} {value!r} is not a valid ID: it would change the URL path")
    return quote(value, safe="")


def path(template: str, **ids: str) -> tuple[str, str | None]:
    """Fill a path template's ``{name}`` slots with validated, encoded IDs.

    Returns:
        The path and the last ID in it (the subject named in not-found errors).
    """
    encoded = {name: segment(value, name) for name, value in ids.items()}
    subject = list(ids.values())[-1] if ids else None
    return API_PREFIX + template.format(**encoded), subject


def get_json(
    template: str, decode: Callable[[Any], T], params: QueryItems = (), /, **ids: str
) -> JsonCall[T]:
    """A GET of the path ``template`` names (its slots filled with ``ids``) whose JSON answer
    ``decode`` reads: the shape of every read endpoint, one record or one page of a list."""
    url, subject = path(template, **ids)
    return JsonCall(Request("GET", url, params, resource_id=subject), decode)


def delete(template: str, /, **ids: str) -> JsonCall[None]:
    """A DELETE of the record the path ``template`` names; its confirmation body is discarded."""
    url, subject = path(template, **ids)
    return JsonCall(Request("DELETE", url, resource_id=subject), _discard)


def _discard(body: object) -> None:
    return None


def _timestamp(name: str, value: Any) -> str:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"{name} must be timezone-aware (RFC 3339 needs a zone)")
        return value.isoformat().replace("+00:00", "Z")
    if not isinstance(value, str):
        raise TypeError(f"{name} must be an RFC 3339 string, got {type(value).__name__}")
    return value


def _wire_name(name: str) -> str:
    # created_at_gte -> created_at.gte ; updated_at_lt -> updated_at.lt
    for op in ("_gte", "_gt", "_lte", "_lt"):
        if name.endswith(op) and name[: -len(op)].endswith("_at"):
            return f"{name[: -len(op)]}.{op[1:]}"
    return name


def _is_list_param(name: str) -> bool:
    return name.endswith(("_ids", "_types"))


def query(**params: Any) -> QueryItems:
    """Turn keyword arguments into wire query pairs.

    ``None`` is omitted; list parameters (names ending ``_ids``/``_types``) become repeated
    ``name[]=value``; time filters become ``created_at.gte`` style; booleans ``true``/``false``.

    Raises:
        TypeError: When a list parameter is given a bare string or a non-string item.
    """
    items: list[tuple[str, str]] = []
    for name, value in params.items():
        if value is None:
            continue
        if _is_list_param(name):
            if isinstance(value, str | bytes) or not isinstance(value, Sequence | set | frozenset):
                raise TypeError(
                    f"{name} expects a list of strings, got {type(value).__name__} {value!r}"
                )
            for item in value:
                if not isinstance(item, str):
                    raise TypeError(f"{name} items must be str, got {type(item).__name__}")
                items.append((f"{name}[]", item))
        elif isinstance(value, bool):
            items.append((name, "true" if value else "false"))
        elif isinstance(value, int):
            items.append((name, str(value)))
        elif name.endswith(("_gte", "_gt", "_lte", "_lt")):
            items.append((_wire_name(name), _timestamp(name, value)))
        elif isinstance(value, str):
            items.append((name, value))
        else:
            raise TypeError(f"{name} must be a str, int or bool, got {type(value).__name__}")
    return tuple(items)


def exclusive(**params: Any) -> None:
    """Refuse a call that sets more than one of mutually exclusive parameters."""
    given = [name for name, value in params.items() if value is not None]
    if len(given) > 1:
        raise ValueError(f"{' and '.join(given)} cannot be combined; pass at most one")


def as_mapping(body: Any, what: str) -> Mapping[str, Any]:
    """Check that a decoded body is a JSON object (used by decoders)."""
    if not isinstance(body, Mapping):
        raise ModelValidationError(f"{what} response is not a JSON object")
    return body
