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
from typing import Any, Generic, TypeAlias, TypeVar
from urllib.parse import quote

from ._models import ModelValidationError

T = TypeVar("T")

StrList: TypeAlias = Sequence[str]
"""A list (or tuple) of strings, sent as repeated ``name[]=value`` pairs.

A bare ``str`` is rejected with ``TypeError`` rather than being split into characters.
"""

QueryItems: TypeAlias = tuple[tuple[str, str], ...]

API_PREFIX = "/v1/compliance"


@dataclasses.dataclass(frozen=True)
class Request:
    """One HTTP request, before the transport adds headers, retries and pacing.

    Attributes:
        method: ``GET`` or ``DELETE`` (the compliance surface has no other verbs).
        path: The URL path, every ID segment already percent-encoded.
        params: Query pairs in wire syntax (``organization_ids[]``, ``created_at.gte``).
        resource_id: The ID the path names, quoted in ``NotFoundError`` messages.
    """

    method: str
    path: str
    params: QueryItems = ()
    resource_id: str | None = None

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
class Call(Generic[T]):
    """Something one method call asks the transport to do, answering with a ``T``.

    Attributes:
        request: What to send.
    """

    request: Request


@dataclasses.dataclass(frozen=True)
class JsonCall(Call[T]):
    """A request whose JSON answer is decoded into ``T``.

    Attributes:
        decode: Turns the decoded JSON body into the method's return value.
    """

    decode: Callable[[Any], T]


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
