"""Page objects and the one walk that every ``iter`` method shares.

The Compliance API paginates in three styles (spec §3):

* cursor — ``after_id``/``before_id`` with ``has_more``, ``first_id``, ``last_id``
  (activities, chats, chat messages): :class:`CursorPage`;
* page token with ``has_more`` — ``page`` with ``next_page`` (projects and directories):
  :class:`OffsetPage`;
* page token only — ``next_page`` and no ``has_more``; a short or even empty page is not the end
  (sessions): :class:`TokenPage`.

Each list endpoint declares its style once in a :class:`Pager`; the walk below decides the next
request, and the sync and async transports only run it.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Generic, TypeVar

from ._errors import PaginationError
from ._models import Model, ModelValidationError
from ._request import JsonCall, Request, as_mapping

__all__ = ["CursorPage", "OffsetPage", "PageStyle", "Pager", "TokenPage"]

T = TypeVar("T")
M = TypeVar("M", bound=Model)


def _items(body: Mapping[str, Any], model: type[M]) -> list[M]:
    data = body.get("data", [])
    if data is None:
        return []
    if not isinstance(data, list):
        raise ModelValidationError("page 'data' is not a list")
    return [model.from_dict(item) for item in data]


def _optional_str(body: Mapping[str, Any], key: str) -> str | None:
    value = body.get(key)
    if value is not None and not isinstance(value, str):
        raise ModelValidationError(f"page {key!r} is not a string")
    return value


@dataclasses.dataclass
class OffsetPage(Generic[T]):
    """One page of a ``page``-token list that reports ``has_more``.

    Attributes:
        data: The records on this page.
        has_more: Whether another page follows.
        next_page: Token for the next page (pass as ``page=``), or ``None``.
    """

    data: list[T]
    has_more: bool
    next_page: str | None

    def __iter__(self) -> Iterator[T]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    @staticmethod
    def decoder(model: type[M]) -> Callable[[Any], OffsetPage[M]]:
        """A decoder turning a response body into a page of ``model``."""

        def decode(body: Any) -> OffsetPage[M]:
            body = as_mapping(body, "page")
            return OffsetPage(
                data=_items(body, model),
                has_more=bool(body.get("has_more", False)),
                next_page=_optional_str(body, "next_page"),
            )

        return decode


@dataclasses.dataclass
class CursorPage(Generic[T]):
    """One page of a cursor-paginated list.

    Attributes:
        data: The records on this page.
        has_more: Whether more records follow in the direction walked.
        first_id: Cursor of the first record (pass as ``before_id=`` to walk back).
        last_id: Cursor of the last record (pass as ``after_id=`` to walk on).
    """

    data: list[T]
    has_more: bool
    first_id: str | None
    last_id: str | None

    def __iter__(self) -> Iterator[T]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    @staticmethod
    def decoder(model: type[M]) -> Callable[[Any], CursorPage[M]]:
        """A decoder turning a response body into a page of ``model``."""

        def decode(body: Any) -> CursorPage[M]:
            body = as_mapping(body, "page")
            return CursorPage(
                data=_items(body, model),
                has_more=bool(body.get("has_more", False)),
                first_id=_optional_str(body, "first_id"),
                last_id=_optional_str(body, "last_id"),
            )

        return decode


@dataclasses.dataclass
class TokenPage(Generic[T]):
    """One page of a token-only list (no ``has_more``): follow ``next_page`` until ``None``.

    A page may be short or empty while ``next_page`` is still set; that is not the end.

    Attributes:
        data: The records on this page.
        next_page: Token for the next page (pass as ``page=``), or ``None`` at the end.
    """

    data: list[T]
    next_page: str | None

    def __iter__(self) -> Iterator[T]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    @staticmethod
    def decoder(model: type[M]) -> Callable[[Any], TokenPage[M]]:
        """A decoder turning a response body into a page of ``model``."""

        def decode(body: Any) -> TokenPage[M]:
            body = as_mapping(body, "page")
            return TokenPage(data=_items(body, model), next_page=_optional_str(body, "next_page"))

        return decode


class PageStyle(enum.Enum):
    """How a list endpoint says where the next page is, and when the list ends."""

    CURSOR = "cursor"
    """``has_more`` + ``last_id``→``after_id`` (or ``first_id``→``before_id`` walking back)."""
    PAGE = "page"
    """``has_more`` + ``next_page``→``page``; an empty page also ends the walk."""
    TOKEN = "token"
    """``next_page``→``page`` until it is ``None``; short and empty pages do not end the walk."""


Page = OffsetPage[T] | CursorPage[T] | TokenPage[T]


@dataclasses.dataclass(frozen=True)
class Pager(Generic[T]):
    """An auto-paginating walk over one list endpoint.

    Attributes:
        first: The call for the first page.
        style: How the endpoint paginates.
        items: Extracts the records of one page (usually ``page.data``).
    """

    first: JsonCall[Any]
    style: PageStyle
    items: Callable[[Any], list[T]] = lambda page: list(page.data)

    def next_request(self, request: Request, page: Any, seen: set[str]) -> Request | None:
        """The request for the page after ``page``, or ``None`` when the walk is over.

        Raises:
            PaginationError: When the server hands back a token or cursor it already gave,
                which would otherwise loop forever.
        """
        if self.style is PageStyle.CURSOR:
            if not page.has_more or not self.items(page):
                return None
            backwards = request.param("before_id") is not None
            name, token = ("before_id", page.first_id) if backwards else ("after_id", page.last_id)
            if token is None:
                return None
            request = request.without_params("after_id", "before_id")
        else:
            token = page.next_page
            if token is None:
                return None
            if self.style is PageStyle.PAGE and (not page.has_more or not self.items(page)):
                return None
            name = "page"
        if token in seen:
            raise PaginationError(
                f"the server repeated the {name} token {token!r}; stopping instead of looping"
            )
        seen.add(token)
        return request.with_param(name, token)
