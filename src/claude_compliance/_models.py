"""The base of every response model: plain dataclasses, liberal in what they accept and
lossless in what they keep.

Real records are looser than the spec: fields get deprecated and dropped, older revisions lack
newer fields, optionals are omitted instead of ``null``. So:

* Only what identifies a record is required: its ``id`` (or the field that plays that part),
  and the ``type`` discriminator of a union. Every other field a record lacks reads as ``None``
  (or its documented default) and stays absent from ``to_dict()``.
* ``Model.from_dict(d).to_dict() == d`` for every record ``d``, **including the order of its
  keys**: ``json.dumps(model.to_dict())`` reproduces the object as served. Unknown fields go to
  ``extra``.
* A value of an unexpected JSON type (a string where an object is documented, a number sent as
  a string) never fails a parse: the attribute holds the value as sent, ``to_dict()`` returns it
  unchanged, and a warning is logged once per model and field on the ``claude_compliance``
  logger. A nested record that cannot be read (it lacks its ``id``, say) is kept the same way,
  as the raw JSON value. Annotations say what the API documents, not what every server sends.
* A union member of a ``type`` this SDK does not know parses as the family's base class, with
  every other field in ``extra``.

Only a record that is not a JSON object, or lacks its identifying field, cannot be read:
``from_dict`` raises [`ModelValidationError`][claude_compliance.ModelValidationError]. In a list
such a record is set aside rather than ending the walk (see ``unreadable_records``).

Each class parses through a builder generated on first use by
:mod:`claude_compliance._parser_source` (the package's one fenced ``exec``).
"""

from __future__ import annotations

import dataclasses
import logging
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Self

from ._parser_source import NO_DEFAULT, SERVED, FieldPlan, ParserRuntime, compile_builder

__all__ = ["NOT_SENT", "Model", "ModelValidationError", "UnionModel"]

logger = logging.getLogger("claude_compliance")

NOT_SENT: Any = None
"""Default of a field whose annotation the published contract fixes as non-optional although a
record may lack it: it reads as ``None`` when absent (the annotation stays as published)."""


class ModelValidationError(ValueError):
    """A response record cannot be read: it is not a JSON object, or lacks its identity."""


_JSON_TYPES: dict[Any, tuple[type, ...]] = {
    str: (str,),
    int: (int,),
    bool: (bool,),
    float: (float, int),
    list: (list,),
    dict: (dict,),
}


def _shape(annotation: Any) -> tuple[type[Model] | None, bool, tuple[type, ...]]:
    """``(nested model, is list, expected JSON types)`` of a field annotation.

    Understands ``X``, ``X | None``, ``list[X]``, ``list[X] | None``, ``dict[...]`` and the JSON
    scalars; anything else (``Any``, wider unions) accepts every value.
    """
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _shape(members[0]) if len(members) == 1 else (None, False, ())
    if origin is list:
        (item,) = typing.get_args(annotation) or (Any,)
        if isinstance(item, type) and issubclass(item, Model):
            return item, True, ()
        return None, False, (list,)
    if origin is dict:
        return None, False, (dict,)
    if isinstance(annotation, type) and issubclass(annotation, Model):
        return annotation, False, ()
    return None, False, _JSON_TYPES.get(annotation, ())


_warned: set[tuple[type, str]] = set()


def _odd_value(cls: type, name: str, value: Any, error: Exception | None) -> None:
    """A value kept as sent because it did not have the documented type: warn once."""
    if (cls, name) in _warned:
        return
    _warned.add((cls, name))
    why = f" ({error})" if error is not None else ""
    logger.warning(
        "%s.%s: got a JSON %s the SDK cannot read as documented%s; kept as sent "
        "(reported once per model and field)",
        cls.__name__,
        name,
        _json_type(value),
        why,
    )


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, Mapping):
        return "object"
    return "null" if value is None else type(value).__name__


def _missing_field(cls: type, name: object) -> ModelValidationError:
    return ModelValidationError(f"{cls.__name__} record lacks the field {name!r}")


def _parse_items(model: type, values: list[Any], owner: type, name: str) -> list[Any]:
    """Parse a list of nested records; one that cannot be read stays as sent."""
    parse = model._parse  # type: ignore[attr-defined]
    out = []
    for value in values:
        if value.__class__ is dict or isinstance(value, Mapping):
            try:
                value = parse(value)
            except ModelValidationError as exc:
                _odd_value(owner, name, value, exc)
        elif value is not None:
            _odd_value(owner, name, value, None)
        out.append(value)
    return out


_RUNTIME = ParserRuntime(
    missing=_missing_field,
    odd=_odd_value,
    unreadable=ModelValidationError,
    items=_parse_items,
)


def _encode(value: Any) -> Any:
    if isinstance(value, Model):
        return value.to_dict()
    if isinstance(value, list):
        return [v.to_dict() if isinstance(v, Model) else v for v in value]
    return value


def _is_default(entry: FieldPlan, value: Any) -> bool:
    if entry.factory is not None:
        return bool(value == entry.factory())
    return value is entry.default or value == entry.default


@dataclasses.dataclass(kw_only=True)
class Model:
    """Base class of every response model.

    Attributes:
        extra: Any additional fields the API adds in a later revision.
    """

    extra: dict[str, Any] = dataclasses.field(default_factory=dict)

    _plan: ClassVar[tuple[FieldPlan, ...] | None] = None
    _by_name: ClassVar[dict[str, FieldPlan]]

    @classmethod
    def _field_plan(cls) -> tuple[FieldPlan, ...]:
        plan = cls.__dict__.get("_plan")
        if plan is None:
            hints = typing.get_type_hints(cls)
            entries = []
            for f in dataclasses.fields(cls):
                if f.name == "extra":
                    continue
                nested, many, expected = _shape(hints.get(f.name, Any))
                factory = None if f.default_factory is dataclasses.MISSING else f.default_factory
                default = NO_DEFAULT if f.default is dataclasses.MISSING else f.default
                entries.append(FieldPlan(f.name, default, factory, nested, many, expected))
            plan = tuple(entries)
            cls._plan = plan
            cls._by_name = {entry.name: entry for entry in plan}
        return plan

    @classmethod
    def from_dict(cls, body: Mapping[str, Any]) -> Self:
        """Build the model from one decoded JSON record.

        Args:
            body: The record as the API returned it.

        Returns:
            The model; fields the model does not know are kept in ``extra``, values of an
            unexpected type are kept as sent.

        Raises:
            ModelValidationError: When ``body`` is not a JSON object or lacks its identifying
                field.
        """
        if body.__class__ is not dict and not isinstance(body, Mapping):
            raise ModelValidationError(
                f"{cls.__name__} expects a JSON object, got {_json_type(body)}"
            )
        parsed: Self = cls._parse(body)
        return parsed

    @classmethod
    def _parse(cls, body: Mapping[str, Any]) -> Any:
        # Replaced per class by its compiled parser on first use (see ``_install_parser``).
        return _compiled(cls, "_parse", _install_parser)(body)

    @classmethod
    def _build(cls, body: Mapping[str, Any]) -> Any:
        # Replaced per class by its compiled builder on first use (see ``_install_builder``).
        return _compiled(cls, "_build", _install_builder)(body)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Every class gets its own lazy parser and builder; inheriting the parent's compiled
        # ones would build the parent class.
        cls._parse = Model.__dict__["_parse"]  # type: ignore[method-assign]
        cls._build = Model.__dict__["_build"]  # type: ignore[method-assign]

    def to_dict(self) -> dict[str, Any]:
        """Return the record as the API sent it: same keys, same order, absent stays absent.

        A model built in Python (not parsed) lists its fields in declaration order, then
        ``extra``. A field set on a parsed model after parsing is added after the served keys.
        """
        plan = self._field_plan()
        by_name = self._by_name
        extra = self.extra
        out: dict[str, Any] = {}
        served: Mapping[str, Any] | None = self.__dict__.get(SERVED)
        if served is None:
            for entry in plan:
                value = getattr(self, entry.name)
                out[entry.name] = _encode(value) if entry.nested else value
            out.update(extra)
            return out
        for key in served:
            known = by_name.get(key)
            if known is not None:
                value = getattr(self, key)
                out[key] = _encode(value) if known.nested else value
            elif key in extra:
                out[key] = extra[key]
        if len(out) < len(plan) + len(extra):
            for entry in plan:  # fields not served: absent, unless set since
                if entry.name not in out:
                    value = getattr(self, entry.name)
                    if not _is_default(entry, value):
                        out[entry.name] = _encode(value) if entry.nested else value
            for key, value in extra.items():
                out.setdefault(key, value)
        return out


class UnionModel(Model):
    """A model family discriminated by its ``type`` field.

    Subclasses register themselves with ``discriminator=...``; ``from_dict`` on the family's
    base picks the variant, and an unknown ``type`` still parses into the base itself so that
    new API variants pass through unharmed.
    """

    _variants: ClassVar[dict[str, type[UnionModel]]]

    def __init_subclass__(cls, *, discriminator: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "_variants" not in cls.__dict__ and discriminator is None:
            cls._variants = {}  # a new family root
        if discriminator is not None:
            cls._variants[discriminator] = cls
            # Classes above the new variant may have compiled a dispatch without it.
            for base in cls.__mro__[1:]:
                if isinstance(base, type) and issubclass(base, UnionModel):
                    base._parse = Model.__dict__["_parse"]  # type: ignore[method-assign]


def _compiled(
    cls: type[Model],
    name: str,
    install: Callable[[type[Model]], Callable[[Mapping[str, Any]], Any]],
) -> Callable[[Mapping[str, Any]], Any]:
    """The compiled ``_parse`` or ``_build`` of ``cls``, compiled now if it is not yet: a
    reference to the lazy one taken before compiling (a walk's loop) still reaches it."""
    installed = cls.__dict__.get(name)
    if isinstance(installed, staticmethod):
        return installed.__func__
    return install(cls)


def _install_parser(cls: type[Model]) -> Callable[[Mapping[str, Any]], Any]:
    """Set up the parser of ``cls``: its builder, or a dispatch on ``type`` for unions."""
    build = _install_builder(cls)
    parse: Callable[[Mapping[str, Any]], Any] = build
    if issubclass(cls, UnionModel):
        builders = {
            name: _builder_of(variant)
            for name, variant in cls._variants.items()
            if variant is not cls and issubclass(variant, cls)
        }
        if builders:

            def parse(body: Mapping[str, Any]) -> Any:
                kind = body.get("type")
                return (builders.get(kind, build) if kind.__class__ is str else build)(body)

    cls._parse = staticmethod(parse)  # type: ignore[assignment]
    return parse


def _builder_of(cls: type[Model]) -> Callable[[Mapping[str, Any]], Any]:
    compiled = cls.__dict__["_build"]
    if isinstance(compiled, staticmethod):
        function: Callable[[Mapping[str, Any]], Any] = compiled.__func__
        return function
    return _install_builder(cls)


def _install_builder(cls: type[Model]) -> Callable[[Mapping[str, Any]], Any]:
    build = compile_builder(cls, cls._field_plan(), _RUNTIME)
    cls._build = staticmethod(build)  # type: ignore[assignment]
    return build
