"""Turning one endpoint declaration into a sync and an async method.

An endpoint is declared once, as a plain function that takes the method's parameters and
returns what to do: a `Call` (a JSON request, a bounded
download, a download to a file) or a walk (a `Pager`, a
`ByteStream`). The four factories below wrap that one function
into methods of `SyncResource` and `AsyncResource` subclasses, carrying the
declaration's signature and docstring, so both clients expose the same API from one source.
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, Concatenate, ParamSpec, TypeVar, overload

from ._pagination import Pager
from ._request import ByteStream, Call
from ._transport import AsyncTransport, SyncTransport

__all__ = ["AsyncResource", "SyncResource", "async_call", "async_iter", "sync_call", "sync_iter"]

P = ParamSpec("P")
T = TypeVar("T")


def _name_methods(cls: type) -> None:
    """Give generated methods their public names (``Projects.list``, not ``_list``)."""
    for name, value in vars(cls).items():
        if callable(value) and getattr(value, "_declared_endpoint", False):
            value.__name__ = name
            value.__qualname__ = f"{cls.__qualname__}.{name}"


class SyncResource:
    """Base of the synchronous resource groups (``client.projects`` and friends)."""

    def __init__(self, transport: SyncTransport) -> None:
        self._transport = transport

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _name_methods(cls)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


class AsyncResource:
    """Base of the asynchronous resource groups."""

    def __init__(self, transport: AsyncTransport) -> None:
        self._transport = transport

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _name_methods(cls)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


# What the caller receives, by what the declaration returns.
_PUBLIC_RETURNS = {"Download": "bytes", "SaveToFile": "Path", "ByteStream": "bytes"}
_WRAPPED = re.compile(r"^(?:JsonCall|Call|Pager)\[(?P<inner>.*)\]$")


def _public_return(build: Callable[..., Any]) -> str:
    text = str(build.__annotations__.get("return", ""))
    match = _WRAPPED.match(text)
    return match.group("inner") if match else _PUBLIC_RETURNS.get(text, text)


def _present(method: Any, build: Callable[..., Any], returns: str) -> Any:
    """Give a generated method the declaration's name, docs and signature (plus ``self``)."""
    functools.update_wrapper(method, build)
    del method.__wrapped__  # the signature set below is the public one
    signature = inspect.signature(build)
    self_param = inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)
    method.__signature__ = signature.replace(
        parameters=[self_param, *signature.parameters.values()], return_annotation=returns
    )
    method._declared_endpoint = True  # named after its attribute by the resource class
    return method


def sync_call(build: Callable[P, Call[T]]) -> Callable[Concatenate[SyncResource, P], T]:
    """A blocking method that carries out the declared call and returns its answer."""

    def method(self: SyncResource, /, *args: P.args, **kwargs: P.kwargs) -> T:
        return self._transport.run(build(*args, **kwargs))

    return _present(method, build, _public_return(build))  # type: ignore[no-any-return]


def async_call(
    build: Callable[P, Call[T]],
) -> Callable[Concatenate[AsyncResource, P], Awaitable[T]]:
    """A coroutine method that carries out the declared call and returns its answer."""

    async def method(self: AsyncResource, /, *args: P.args, **kwargs: P.kwargs) -> T:
        return await self._transport.run(build(*args, **kwargs))

    return _present(method, build, _public_return(build))  # type: ignore[no-any-return]


@overload
def sync_iter(
    build: Callable[P, ByteStream],
) -> Callable[Concatenate[SyncResource, P], Iterator[bytes]]: ...
@overload
def sync_iter(
    build: Callable[P, Pager[T]],
) -> Callable[Concatenate[SyncResource, P], Iterator[T]]: ...
def sync_iter(build: Callable[P, Any]) -> Callable[Concatenate[SyncResource, P], Iterator[Any]]:
    """A method returning an iterator over every record of a list (or chunk of a download)."""

    def method(self: SyncResource, /, *args: P.args, **kwargs: P.kwargs) -> Iterator[Any]:
        # The declaration runs now, so bad arguments fail at the call, not at the first next().
        return self._transport.iterate(build(*args, **kwargs))

    return _present(method, build, f"Iterator[{_public_return(build)}]")  # type: ignore[no-any-return]


@overload
def async_iter(
    build: Callable[P, ByteStream],
) -> Callable[Concatenate[AsyncResource, P], AsyncIterator[bytes]]: ...
@overload
def async_iter(
    build: Callable[P, Pager[T]],
) -> Callable[Concatenate[AsyncResource, P], AsyncIterator[T]]: ...
def async_iter(
    build: Callable[P, Any],
) -> Callable[Concatenate[AsyncResource, P], AsyncIterator[Any]]:
    """A method returning an async iterator (used without ``await``) over a list or download."""

    def method(self: AsyncResource, /, *args: P.args, **kwargs: P.kwargs) -> AsyncIterator[Any]:
        return self._transport.iterate(build(*args, **kwargs))

    return _present(method, build, f"AsyncIterator[{_public_return(build)}]")  # type: ignore[no-any-return]
