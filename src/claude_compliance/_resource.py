"""Turning one endpoint declaration into the methods of both clients.

An endpoint is declared once, as a plain function that takes the method's parameters and
returns what to do: a `Call` (a JSON request, a bounded download, a download to a file) or a
`ByteStream`. Each resource module lists its endpoints once, in a table that the group's sync
and async classes share:

```python
class _GroupsEndpoints:
    list, iter = listing(_list)  # one page (a coroutine for async); every record of every page
    get = Endpoint(_get)         # a method that carries out the call

class Groups(SyncResource, _GroupsEndpoints): ...
class AsyncGroups(AsyncResource, _GroupsEndpoints): ...
```

* An `Endpoint` becomes a `SyncMethod` or `AsyncMethod`, carrying the declaration's signature
  and docstring; ``with_raw_response(...)`` on it answers with a `RawResponse` (status,
  headers and request ID along with the parsed result).
* `listing` gives a list declaration both its methods: the list and its walk.
* A `walk` of a list declaration walks every page; the list's page or cursor parameter becomes
  where the walk starts, and the pagination style follows from the page type the list returns.
  A walk of a download's `ByteStream` yields its chunks.

Every declaration ends with ``**options: Unpack[CallOptions]``: the per-call options
(``timeout``, ``extra_headers``, ``extra_query``) that every method accepts, applied here to
the request the declaration builds. Type checkers see precise signatures and return types
through the descriptors' overloads; the classes get concrete functions at creation.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import types
import typing
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from typing import (
    Any,
    Generic,
    ParamSpec,
    Protocol,
    Self,
    TypeVar,
    cast,
    overload,
)

from ._pagination import CursorPage, OffsetPage, Pager, PageStyle, TokenPage
from ._raw import RawResponse
from ._request import NOT_GIVEN, OPTION_PARAMETERS, ByteStream, Call, CallOptions, JsonCall
from ._transport import AsyncTransport, SyncTransport

__all__ = [
    "AsyncMethod",
    "AsyncResource",
    "Endpoint",
    "SyncMethod",
    "SyncResource",
    "Walk",
    "async_call",
    "listing",
    "served_json",
    "sync_call",
    "walk",
]

P = ParamSpec("P")
T = TypeVar("T")
W = TypeVar("W")


class _Description(Protocol):
    """What a declaration builds: a call or a stream, to which per-call options apply."""

    def with_options(self, options: CallOptions) -> Self: ...


D = TypeVar("D", bound=_Description)


class _Resource:
    """What both kinds of resource group share: each subclass gets its generated methods, sync
    or async after the base it derives from, when the class is created."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if _Resource in cls.__bases__:
            return  # SyncResource and AsyncResource themselves
        _install(cls, sync=issubclass(cls, SyncResource))
        _name_methods(cls)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


class SyncResource(_Resource):
    """Base of the synchronous resource groups (``client.projects`` and friends)."""

    def __init__(self, transport: SyncTransport) -> None:
        self._transport = transport


class AsyncResource(_Resource):
    """Base of the asynchronous resource groups."""

    def __init__(self, transport: AsyncTransport) -> None:
        self._transport = transport


# -- per-call options -----------------------------------------------------------------------


def _describe(build: Callable[..., D], args: tuple[Any, ...], kwargs: dict[str, Any]) -> D:
    """Run a declaration, applying the per-call options it was given to what it describes."""
    if not kwargs or OPTION_PARAMETERS.isdisjoint(kwargs):
        return build(*args, **kwargs)
    options = {name: kwargs.pop(name) for name in OPTION_PARAMETERS if name in kwargs}
    return build(*args, **kwargs).with_options(cast(CallOptions, options))


# -- what the caller gets: computed from the declaration's return type, never from its text --


def _answer_type(description: Any) -> Any:
    """What carrying out a description gives: ``JsonCall[X]`` -> X, ``Download`` -> bytes."""
    origin = typing.get_origin(description)
    if origin is not None and issubclass(origin, Call):
        return typing.get_args(description)[0]
    for base in getattr(description, "__orig_bases__", ()):
        if typing.get_origin(base) is Call:
            return typing.get_args(base)[0]
    if description is ByteStream:
        return bytes
    raise TypeError(f"an endpoint declaration must return a call description, not {description}")


def _type_text(annotation: Any) -> str:
    """How an annotation reads in a signature (``OffsetPage[Project]``, ``None``)."""
    if annotation is None or annotation is type(None):
        return "None"
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return " | ".join(_type_text(arg) for arg in typing.get_args(annotation))
    origin = typing.get_origin(annotation)
    if origin is not None:
        return (
            f"{_type_text(origin)}[{', '.join(_type_text(a) for a in typing.get_args(annotation))}]"
        )
    return getattr(annotation, "__name__", repr(annotation))


@functools.cache
def _declared_return(function: Callable[..., Any]) -> Any:
    """The return type a function declares, as a type (the annotation is text until then).

    Only the return annotation is evaluated, once per function, in the function's own module (as
    ``typing.get_type_hints`` would, without evaluating every parameter's annotation too): the
    clients are built at import, which a command-line tool pays on every run.
    """
    annotation = function.__annotations__["return"]
    return eval(annotation, function.__globals__) if isinstance(annotation, str) else annotation


# -- presenting a generated method like a hand-written one ----------------------------------


def _option_parameters() -> list[inspect.Parameter]:
    keyword = inspect.Parameter.KEYWORD_ONLY
    return [
        inspect.Parameter(
            name,
            keyword,
            default=NOT_GIVEN if name == "timeout" else None,
            annotation=getattr(annotation, "__forward_arg__", annotation),
        )
        for name, annotation in CallOptions.__annotations__.items()
    ]


def _present(method: Any, build: Callable[..., Any], returns: str) -> Any:
    """Give a generated method the declaration's docs and public signature (plus ``self``)."""
    functools.update_wrapper(method, build)
    del method.__wrapped__  # the signature set below is the public one
    signature = _signature(build)
    declared = list(signature.parameters.values())
    if not declared or declared[-1].kind is not inspect.Parameter.VAR_KEYWORD:
        raise TypeError(f"{build.__qualname__} must end with **options: Unpack[CallOptions]")
    self_param = inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)
    method.__signature__ = signature.replace(
        parameters=[self_param, *declared[:-1], *_option_parameters()], return_annotation=returns
    )
    method._declared_endpoint = True
    return method


@functools.cache
def _signature(build: Callable[..., Any]) -> inspect.Signature:
    return inspect.signature(build)


def _name_methods(cls: type) -> None:
    """Give generated methods their public names (``Projects.list``, not ``_list``), and each
    walk a docstring that points at the list method it walks."""
    call_names = {v.build: n for n, v in vars(cls).items() if isinstance(v, _CallEndpoint)}
    for name, value in vars(cls).items():
        function = value.function if isinstance(value, _CallEndpoint) else value
        if callable(function) and getattr(function, "_declared_endpoint", False):
            function.__name__ = name
            function.__qualname__ = f"{cls.__qualname__}.{name}"
            walked = getattr(function, "_walks", None)
            if walked in call_names:
                function.__doc__ = _walk_doc(
                    cls, call_names[walked], function._walk_summary, walked.__doc__
                )


def _walk_doc(cls: type, listed: str, summary: str | None, list_doc: str | None) -> str:
    target = f"[`{listed}`][claude_compliance.{cls.__qualname__}.{listed}]"
    return "\n\n".join(
        [
            summary or f"Iterate every record that {target} returns, page after page.",
            f"Takes the same arguments as {target}. Its page token or cursor, when given, is "
            "where the walk starts; ``limit`` sets the size of each page. Pages are fetched as "
            "the iteration reaches them.",
            *_parameters_section(list_doc),
            "Returns:\n    An iterator over every record, page after page.",
        ]
    )


def _parameters_section(doc: str | None) -> list[str]:
    """The ``Parameters:`` section of a declaration's docstring, if it has one."""
    lines = inspect.cleandoc(doc or "").splitlines()
    if "Parameters:" not in lines:
        return []
    start = lines.index("Parameters:")
    end = next(
        (i for i in range(start + 1, len(lines)) if lines[i] and not lines[i][0].isspace()),
        len(lines),
    )
    return ["\n".join(lines[start:end]).rstrip()]


# -- methods that carry out one call --------------------------------------------------------


class SyncMethod(Generic[P, T]):
    """A blocking endpoint method bound to its client.

    Call it for the parsed result; call ``with_raw_response`` with the same arguments for a
    [`RawResponse`][claude_compliance.RawResponse] that adds the status, headers and request ID.
    """

    __slots__ = ("_build", "_transport")

    def __init__(self, build: Callable[P, Call[T]], transport: SyncTransport) -> None:
        self._build = build
        self._transport = transport

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> T:
        return self._transport.run(_describe(self._build, args, kwargs))

    def with_raw_response(self, *args: P.args, **kwargs: P.kwargs) -> RawResponse[T]:
        """The same call, answered with the HTTP response's status, headers and request ID."""
        return self._transport.run_raw(_describe(self._build, args, kwargs))


def _as_served(body: Any) -> Any:
    return body


def served_json(method: SyncMethod[P, Any], *args: P.args, **kwargs: P.kwargs) -> Any:
    """Carry out ``method``'s call and return its JSON body as decoded, not parsed into models.

    The body is read like every answer (within the client's response-size cap and deadline,
    errors mapped the same way); for a caller that must check the endpoint's shape itself, as
    ``keys check`` does before it calls a scope held.
    """
    call = _describe(method._build, args, kwargs)
    if not isinstance(call, JsonCall):
        raise TypeError("served_json needs a method that answers with JSON")
    return method._transport.run(dataclasses.replace(call, decode=_as_served))


class AsyncMethod(Generic[P, T]):
    """A coroutine endpoint method bound to its client; see `SyncMethod`."""

    __slots__ = ("_build", "_transport")

    def __init__(self, build: Callable[P, Call[T]], transport: AsyncTransport) -> None:
        self._build = build
        self._transport = transport

    async def __call__(self, *args: P.args, **kwargs: P.kwargs) -> T:
        return await self._transport.run(_describe(self._build, args, kwargs))

    async def with_raw_response(self, *args: P.args, **kwargs: P.kwargs) -> RawResponse[T]:
        """The same call, answered with the HTTP response's status, headers and request ID."""
        return await self._transport.run_raw(_describe(self._build, args, kwargs))


class _CallEndpoint:
    """What a resource class holds for a call method: the plain function on the class (for docs
    and introspection), a bound `SyncMethod`/`AsyncMethod` on an instance (made once, then kept
    in the instance's ``__dict__``, which takes precedence over this non-data descriptor)."""

    def __init__(
        self,
        build: Callable[..., Call[Any]],
        function: Callable[..., Any],
        bound: type[SyncMethod[Any, Any]] | type[AsyncMethod[Any, Any]],
    ) -> None:
        self.build = build
        self.bound = bound
        self.function = _present(function, build, _type_text(_answer_type(_declared_return(build))))

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type) -> Any:
        if instance is None:
            return self.function
        method = self.bound(self.build, instance._transport)
        instance.__dict__[self.name] = method
        return method


def sync_call(build: Callable[..., Call[Any]]) -> _CallEndpoint:
    """A blocking method that carries out the declared call and returns its answer."""

    def method(self: SyncResource, /, *args: Any, **kwargs: Any) -> Any:
        return self._transport.run(_describe(build, args, kwargs))

    return _CallEndpoint(build, method, SyncMethod)


def async_call(build: Callable[..., Call[Any]]) -> _CallEndpoint:
    """A coroutine method that carries out the declared call and returns its answer."""

    async def method(self: AsyncResource, /, *args: Any, **kwargs: Any) -> Any:
        return await self._transport.run(_describe(build, args, kwargs))

    return _CallEndpoint(build, method, AsyncMethod)


# -- methods that walk a list or stream a download ------------------------------------------


def _iterating(
    build: Callable[..., Any],
    items: Callable[[Any], Iterable[Any]] | None,
    style: PageStyle | None,
    *,
    sync: bool,
) -> Any:
    """A method returning an iterator over every record of a list (or chunk of a download);
    an async iterator, used without ``await``, on the async client (its transport's
    ``iterate`` decides)."""
    walk, item = _walk_of(build, items, style)

    def method(self: SyncResource | AsyncResource, /, *args: Any, **kwargs: Any) -> Any:
        # The declaration runs now, so bad arguments fail at the call, not at the first next().
        return self._transport.iterate(walk(_describe(build, args, kwargs)))

    iterator = "Iterator" if sync else "AsyncIterator"
    return _present_walk(method, build, f"{iterator}[{item}]", items)


def _present_walk(
    method: Any, build: Callable[..., Any], returns: str, items: Callable[..., Any] | None
) -> Any:
    _present(method, build, returns)
    if _declared_return(build) is not ByteStream:
        method._walks = build  # its docstring is written once the class names its methods
        method._walk_summary = items.__doc__ if items is not None else None
    return method


def _walk_of(
    build: Callable[..., Any], items: Callable[[Any], Iterable[Any]] | None, style: PageStyle | None
) -> tuple[Callable[[Any], Pager[Any] | ByteStream], str]:
    """How an iterating method turns what its declaration built into a walk, and the type of
    what the walk yields."""
    declared = _declared_return(build)
    if declared is ByteStream:
        return _unchanged, "bytes"
    if items is not None and style is not None:
        item_type = _declared_return(items)
        return functools.partial(_custom_pager, style=style, items=items), _type_text(
            typing.get_args(item_type)[0]
        )
    page = _answer_type(declared)
    generic_page = next(
        (base for base in (page, *getattr(page, "__orig_bases__", ())) if typing.get_args(base)),
        page,
    )
    kind = typing.get_origin(generic_page)
    style = next(s for k, s in _STYLES if isinstance(kind, type) and issubclass(kind, k))
    return functools.partial(Pager.of, style=style), _type_text(typing.get_args(generic_page)[0])


# A list walks in its page type's style, unless its decoder says otherwise (see `Pager.of`).
_STYLES = ((CursorPage, PageStyle.CURSOR), (TokenPage, PageStyle.TOKEN), (OffsetPage, None))


def _unchanged(stream: ByteStream) -> ByteStream:
    return stream


def _custom_pager(
    first: JsonCall[Any], *, style: PageStyle, items: Callable[[Any], Iterable[Any]]
) -> Pager[Any]:
    return Pager(first, style, items)


# -- one table of endpoints for both clients ------------------------------------------------


class Endpoint(Generic[P, T]):
    """A method in a resource group's table of endpoints, which the group's sync and async
    classes share: a `SyncMethod` on a `SyncResource`, an `AsyncMethod` on an `AsyncResource`.

    ```python
    class _ProjectEndpoints:
        get = Endpoint(_get)
        list, iter = listing(_list)  # an Endpoint and a Walk

    class Projects(SyncResource, _ProjectEndpoints): ...
    class AsyncProjects(AsyncResource, _ProjectEndpoints): ...
    ```

    Each subclass of `SyncResource`/`AsyncResource` gets its own generated method in its own
    ``__dict__`` when the class is created; the descriptor types below are what type checkers
    see.
    """

    def __init__(self, build: Callable[P, Call[T]]) -> None:
        self.build = build

    def for_client(self, *, sync: bool) -> Any:
        return sync_call(self.build) if sync else async_call(self.build)

    @overload
    def __get__(self, instance: None, owner: type) -> Self: ...
    @overload
    def __get__(self, instance: SyncResource, owner: type) -> SyncMethod[P, T]: ...
    @overload
    def __get__(self, instance: AsyncResource, owner: type) -> AsyncMethod[P, T]: ...
    def __get__(self, instance: object, owner: type) -> Any:
        if instance is None:
            return self
        raise TypeError(f"{owner.__name__} is not a SyncResource or AsyncResource")


class Walk(Generic[P, T]):
    """A walk in a resource group's table (see `Endpoint`): an iterator over every record of
    a list (or every chunk of a download), async on an `AsyncResource`."""

    def __init__(
        self,
        build: Callable[..., Any],
        items: Callable[[Any], Iterable[Any]] | None = None,
        style: PageStyle | None = None,
    ) -> None:
        self.build, self.items, self.style = build, items, style

    def for_client(self, *, sync: bool) -> Any:
        return _iterating(self.build, self.items, self.style, sync=sync)

    @overload
    def __get__(self, instance: None, owner: type) -> Self: ...
    @overload
    def __get__(self, instance: SyncResource, owner: type) -> Callable[P, Iterator[T]]: ...
    @overload
    def __get__(self, instance: AsyncResource, owner: type) -> Callable[P, AsyncIterator[T]]: ...
    def __get__(self, instance: object, owner: type) -> Any:
        if instance is None:
            return self
        raise TypeError(f"{owner.__name__} is not a SyncResource or AsyncResource")


@overload
def walk(build: Callable[P, ByteStream]) -> Walk[P, bytes]: ...
@overload
def walk(build: Callable[P, JsonCall[OffsetPage[T]]]) -> Walk[P, T]: ...
@overload
def walk(build: Callable[P, JsonCall[CursorPage[T]]]) -> Walk[P, T]: ...
@overload
def walk(build: Callable[P, JsonCall[TokenPage[T]]]) -> Walk[P, T]: ...
@overload
def walk(
    build: Callable[P, JsonCall[W]], *, items: Callable[[W], Iterable[T]], style: PageStyle
) -> Walk[P, T]: ...
def walk(
    build: Callable[..., Any],
    *,
    items: Callable[[Any], Iterable[Any]] | None = None,
    style: PageStyle | None = None,
) -> Walk[Any, Any]:
    """A walk over a list declaration (its page or cursor is where the walk starts) or over a
    download's stream of chunks."""
    return Walk(build, items, style)


@overload
def listing(
    build: Callable[P, JsonCall[OffsetPage[T]]],
) -> tuple[Endpoint[P, OffsetPage[T]], Walk[P, T]]: ...
@overload
def listing(
    build: Callable[P, JsonCall[CursorPage[T]]],
) -> tuple[Endpoint[P, CursorPage[T]], Walk[P, T]]: ...
@overload
def listing(
    build: Callable[P, JsonCall[TokenPage[T]]],
) -> tuple[Endpoint[P, TokenPage[T]], Walk[P, T]]: ...
def listing(build: Callable[..., Any]) -> tuple[Endpoint[Any, Any], Walk[Any, Any]]:
    """A list endpoint's two methods from its one declaration: the list, which fetches one page,
    and the walk over every record of every page (``list, iter = listing(_list)``)."""
    return Endpoint(build), Walk(build)


def _install(cls: type, *, sync: bool) -> None:
    """Give a resource class its own sync or async method for every entry of its tables."""
    for name in dir(cls):
        entry = inspect.getattr_static(cls, name)
        if isinstance(entry, Endpoint | Walk):
            method = entry.for_client(sync=sync)
            setattr(cls, name, method)
            if isinstance(method, _CallEndpoint):
                method.__set_name__(cls, name)
