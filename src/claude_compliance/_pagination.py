"""Page objects and the one walk that every ``iter`` method shares.

The Compliance API paginates in three styles (spec §3):

* cursor — ``after_id``/``before_id`` with ``has_more``, ``first_id``, ``last_id``
  (activities, chats, chat messages): [`CursorPage`][claude_compliance.CursorPage];
* page token with ``has_more`` — ``page`` with ``next_page`` (projects and directories):
  [`OffsetPage`][claude_compliance.OffsetPage];
* page token only — ``next_page`` and no ``has_more``; a short or even empty page is not the end
  (sessions): [`TokenPage`][claude_compliance.TokenPage]. A server that keeps handing out fresh
  tokens with empty pages would hold a walk forever, so after `MAX_EMPTY_PAGES` empty pages in a
  row the walk raises [`PaginationError`][claude_compliance.PaginationError].

Each list endpoint declares its style once in a `Pager`; the walk below decides the next
request, and the sync and async transports only run it.

A record the models cannot read (not a JSON object, or lacking its ``id``) never ends a walk:
it is set aside — kept on the page's ``unreadable`` list, handed to any
`unreadable_records` block around the call, and logged — and the walk goes on with the rest.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import enum
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Generic, TypeVar

from ._errors import PaginationError
from ._models import Model, ModelValidationError
from ._request import JsonCall, Request, as_mapping

__all__ = [
    "CursorPage",
    "OffsetPage",
    "PageStyle",
    "Pager",
    "TokenPage",
    "set_aside",
    "unreadable_records",
]

logger = logging.getLogger("claude_compliance")

_SINK: contextvars.ContextVar[list[Any] | None] = contextvars.ContextVar(
    "claude_compliance_unreadable_records", default=None
)


@contextlib.contextmanager
def unreadable_records() -> Iterator[list[Any]]:
    """Collect the records that lists and walks inside the block could not read.

    A page or walk sets such a record aside instead of failing; inside this block it is also
    appended, exactly as served, to the list this yields (in the order met). Works for sync and
    async clients alike (the block follows the calling thread or task)::

        with unreadable_records() as skipped:
            chats = list(client.chats.iter())
        archive_raw(skipped)
    """
    sink: list[Any] = []
    token = _SINK.set(sink)
    try:
        yield sink
    finally:
        _SINK.reset(token)


def set_aside(record: Any, reason: object) -> None:
    """Report a record no model can read: log it (not its content) and hand it to any
    `unreadable_records` block."""
    logger.warning("set aside a record the SDK cannot read: %s", reason)
    sink = _SINK.get()
    if sink is not None:
        sink.append(record)


T = TypeVar("T")
M = TypeVar("M", bound=Model)
P = TypeVar("P")


def _records(body: Mapping[str, Any]) -> list[Any]:
    data = body.get("data", [])
    if data is None:
        return []
    if not isinstance(data, list):
        raise ModelValidationError("page 'data' is not a list")
    return data


@dataclasses.dataclass(frozen=True)
class PageDecoder(Generic[P]):
    """Turns a response body into a page, its records parsed into ``model``.

    With ``model=None`` the records stay as decoded JSON: an auto-paginating walk fetches pages
    that way and parses each record only when the iteration reaches it (see `Pager`).

    Attributes:
        assemble: Builds the page from the body and its records.
        model: The record model, or ``None`` to keep records raw.
        style: How pages of this kind lead to the next one.
    """

    assemble: Callable[[Mapping[str, Any], list[Any]], P]
    model: type[Model] | None
    style: PageStyle

    def __call__(self, body: Any) -> P:
        body = as_mapping(body, "page")
        records = _records(body)
        unreadable: list[Any] = []
        if self.model is not None:
            parse = self.model.from_dict
            parsed = []
            for record in records:
                try:
                    parsed.append(parse(record))
                except ModelValidationError as exc:
                    set_aside(record, exc)
                    unreadable.append(record)
            records = parsed
        page = self.assemble(body, records)
        page.unreadable = unreadable  # type: ignore[attr-defined]
        return page


def _optional_str(body: Mapping[str, Any], key: str) -> str | None:
    value = body.get(key)
    if value is not None and not isinstance(value, str):
        raise ModelValidationError(f"page {key!r} is not a string")
    return value


class _Records(Generic[T]):
    """What every page is: a sized iterable of its records (``for record in page``,
    ``len(page)``)."""

    data: list[T]

    def __iter__(self) -> Iterator[T]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)


@dataclasses.dataclass
class OffsetPage(_Records[T]):
    """One page of a ``page``-token list that reports ``has_more``.

    Attributes:
        data: The records on this page.
        has_more: Whether another page follows.
        next_page: Token for the next page (pass as ``page=``), or ``None``.
        unreadable: Records of this page no model could read, exactly as served.
    """

    data: list[T]
    has_more: bool
    next_page: str | None
    unreadable: list[Any] = dataclasses.field(default_factory=list, kw_only=True)

    @staticmethod
    def decoder(
        model: type[M], *, style: PageStyle | None = None
    ) -> Callable[[Any], OffsetPage[M]]:
        """A decoder turning a response body into a page of ``model``.

        Parameters:
            model: The record model.
            style: How a walk over this list moves on; `PageStyle.TOKEN` for lists whose
                ``has_more`` cannot be trusted to end the walk (short or empty pages while
                ``next_page`` is still set). Default `PageStyle.PAGE`.
        """

        return PageDecoder(OffsetPage._assemble, model, style or PageStyle.PAGE)

    @staticmethod
    def _assemble(body: Mapping[str, Any], records: list[Any]) -> OffsetPage[Any]:
        return OffsetPage(
            data=records,
            has_more=bool(body.get("has_more", False)),
            next_page=_optional_str(body, "next_page"),
        )


@dataclasses.dataclass
class CursorPage(_Records[T]):
    """One page of a cursor-paginated list.

    Attributes:
        data: The records on this page.
        has_more: Whether more records follow in the direction walked.
        first_id: Cursor of the first record (pass as ``before_id=`` to walk back).
        last_id: Cursor of the last record (pass as ``after_id=`` to walk on).
        unreadable: Records of this page no model could read, exactly as served.
    """

    data: list[T]
    has_more: bool
    first_id: str | None
    last_id: str | None
    unreadable: list[Any] = dataclasses.field(default_factory=list, kw_only=True)

    @staticmethod
    def decoder(model: type[M]) -> Callable[[Any], CursorPage[M]]:
        """A decoder turning a response body into a page of ``model``."""

        return PageDecoder(CursorPage._assemble, model, PageStyle.CURSOR)

    @staticmethod
    def _assemble(body: Mapping[str, Any], records: list[Any]) -> CursorPage[Any]:
        return CursorPage(
            data=records,
            has_more=bool(body.get("has_more", False)),
            first_id=_optional_str(body, "first_id"),
            last_id=_optional_str(body, "last_id"),
        )


@dataclasses.dataclass
class TokenPage(_Records[T]):
    """One page of a token-only list (no ``has_more``): follow ``next_page`` until ``None``.

    A page may be short or empty while ``next_page`` is still set; that is not the end.

    Attributes:
        data: The records on this page.
        next_page: Token for the next page (pass as ``page=``), or ``None`` at the end.
        unreadable: Records of this page no model could read, exactly as served.
    """

    data: list[T]
    next_page: str | None
    unreadable: list[Any] = dataclasses.field(default_factory=list, kw_only=True)

    @staticmethod
    def decoder(model: type[M]) -> Callable[[Any], TokenPage[M]]:
        """A decoder turning a response body into a page of ``model``."""

        return PageDecoder(TokenPage._assemble, model, PageStyle.TOKEN)

    @staticmethod
    def _assemble(body: Mapping[str, Any], records: list[Any]) -> TokenPage[Any]:
        return TokenPage(data=records, next_page=_optional_str(body, "next_page"))


class PageStyle(enum.Enum):
    """How a list endpoint says where the next page is, and when the list ends."""

    CURSOR = "cursor"
    """``has_more`` + ``last_id``→``after_id`` (or ``first_id``→``before_id`` walking back)."""
    PAGE = "page"
    """``has_more`` + ``next_page``→``page``; an empty page also ends the walk."""
    TOKEN = "token"
    """``next_page``→``page`` until it is ``None``; short and empty pages do not end the walk."""


def _page_data(page: Any) -> list[Any]:
    return list(page.data)


def _parsing(model: type[Model]) -> Callable[[Any], Iterator[Any]]:
    def items(page: Any) -> Iterator[Any]:
        parse, checked = model._parse, model.from_dict
        for record in page.data:
            try:
                item = parse(record) if record.__class__ is dict else checked(record)
            except ModelValidationError as exc:
                set_aside(record, exc)
                continue
            yield item

    return items


# Empty pages in a row a token-only walk accepts before deciding the server is looping.
MAX_EMPTY_PAGES = 20


@dataclasses.dataclass
class Walk:
    """What one auto-paginating walk remembers: the tokens it was given, empty pages in a row."""

    seen: set[str] = dataclasses.field(default_factory=set)
    empty_pages: int = 0


@dataclasses.dataclass(frozen=True)
class Pager(Generic[T]):
    """An auto-paginating walk over one list endpoint.

    When ``first`` decodes through a `PageDecoder` and ``items`` is left alone, the walk
    fetches each page with its records undecoded and parses every record only as the iteration
    reaches it: records a caller has finished with are freed at once instead of a page's worth
    of models living (and being traced by the garbage collector) until the page is done.

    Attributes:
        first: The call for the first page.
        style: How the endpoint paginates.
        items: Extracts the records of one page (by default ``page.data``).
    """

    first: JsonCall[Any]
    style: PageStyle
    items: Callable[[Any], Iterable[T]] = _page_data

    def __post_init__(self) -> None:
        decode = self.first.decode
        if self.items is _page_data and isinstance(decode, PageDecoder) and decode.model:
            raw = dataclasses.replace(self.first, decode=dataclasses.replace(decode, model=None))
            object.__setattr__(self, "first", raw)
            object.__setattr__(self, "items", _parsing(decode.model))

    @staticmethod
    def of(first: JsonCall[Any], *, style: PageStyle | None = None) -> Pager[Any]:
        """The walk over a list, from the call for its first page.

        Parameters:
            first: The call for the first page.
            style: How the list paginates; by default what its `PageDecoder` says.
        """
        decode = first.decode
        if isinstance(decode, PageDecoder):
            style = style or decode.style
        if style is None:
            raise TypeError(f"{first.request.path}: no pagination style known for this list")
        return Pager(first, style)

    def _is_empty(self, page: Any) -> bool:
        records = page.data if hasattr(page, "data") else self.items(page)
        return not records

    def next_request(self, request: Request, page: Any, walk: Walk) -> Request | None:
        """The request for the page after ``page``, or ``None`` when the walk is over.

        Raises:
            PaginationError: When the server hands back a token or cursor it already gave, or
                keeps sending empty pages with new tokens, which would otherwise loop forever.
        """
        if self.style is PageStyle.CURSOR:
            if not page.has_more or self._is_empty(page):
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
            if self.style is PageStyle.PAGE and (not page.has_more or self._is_empty(page)):
                return None
            name = "page"
            walk.empty_pages = walk.empty_pages + 1 if self._is_empty(page) else 0
            if walk.empty_pages >= MAX_EMPTY_PAGES:
                raise PaginationError(
                    f"the server sent {walk.empty_pages} empty pages in a row, each with a new "
                    "page token; stopping instead of looping"
                )
        if token in walk.seen:
            raise PaginationError(
                f"the server repeated the {name} token {token!r}; stopping instead of looping"
            )
        walk.seen.add(token)
        return request.with_param(name, token)
