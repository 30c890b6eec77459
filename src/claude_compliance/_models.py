"""The base of every response model: plain dataclasses that survive a round trip.

Each model is a dataclass whose fields mirror the wire names. ``from_dict`` accepts any record
the API sends: unknown fields go to ``extra``, nested objects become their own models, and
fields the record lacked are remembered so that ``Model.from_dict(d).to_dict() == d`` holds for
every response body ``d`` — an archive can store what it parsed without losing a byte of meaning.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Self

__all__ = ["Model", "ModelValidationError", "UnionModel"]

_ABSENT = "_absent_fields"
_MISSING: Any = object()


class ModelValidationError(ValueError):
    """A response record does not have the shape its model needs."""


@dataclasses.dataclass(frozen=True)
class _FieldPlan:
    name: str
    required: bool
    nested: type[Model] | None
    """The model class the field holds (alone or in a list), if any."""
    many: bool


def _nested_model(annotation: Any) -> tuple[type[Model] | None, bool]:
    """Find a Model class inside ``X``, ``X | None``, ``list[X]`` or ``list[X] | None``."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(members) == 1:
            return _nested_model(members[0])
        return None, False
    if origin is list:
        (item,) = typing.get_args(annotation) or (Any,)
        model, is_list = _nested_model(item)
        return (model, True) if model is not None and not is_list else (None, False)
    if isinstance(annotation, type) and issubclass(annotation, Model):
        return annotation, False
    return None, False


def _encode_model(value: Any) -> Any:
    if isinstance(value, Model):
        return value.to_dict()
    if isinstance(value, list):
        return [v.to_dict() if isinstance(v, Model) else v for v in value]
    return value


@dataclasses.dataclass(kw_only=True)
class Model:
    """Base class of every response model.

    Attributes:
        extra: Any additional fields the API adds in a later revision.
    """

    extra: dict[str, Any] = dataclasses.field(default_factory=dict)

    _plan: ClassVar[tuple[_FieldPlan, ...] | None] = None

    @classmethod
    def _field_plan(cls) -> tuple[_FieldPlan, ...]:
        plan = cls.__dict__.get("_plan")
        if plan is None:
            hints = typing.get_type_hints(cls)
            entries = []
            for f in dataclasses.fields(cls):
                if f.name == "extra":
                    continue
                model, many = _nested_model(hints.get(f.name, Any))
                required = (
                    f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
                )
                entries.append(_FieldPlan(f.name, required, model, many))
            plan = tuple(entries)
            cls._plan = plan
        return plan

    @classmethod
    def from_dict(cls, body: Mapping[str, Any]) -> Self:
        """Build the model from one decoded JSON record.

        Args:
            body: The record as the API returned it.

        Returns:
            The model; fields the model does not know are kept in ``extra``.

        Raises:
            ModelValidationError: When ``body`` is not a JSON object or lacks a required field.
        """
        if body.__class__ is not dict and not isinstance(body, Mapping):
            raise ModelValidationError(
                f"{cls.__name__} expects a JSON object, got {type(body).__name__}"
            )
        parsed: Self = cls._parse(body)
        return parsed

    @classmethod
    def _parse(cls, body: Mapping[str, Any]) -> Any:
        # Replaced per class by its compiled parser on first use (see ``_install_parser``).
        return _install_parser(cls)(body)

    @classmethod
    def _build(cls, body: Mapping[str, Any]) -> Any:
        # Replaced per class by its compiled builder on first use (see ``_compile_builder``).
        return _install_builder(cls)(body)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Every class gets its own lazy parser and builder; inheriting the parent's compiled
        # ones would build the parent class.
        cls._parse = Model.__dict__["_parse"]  # type: ignore[method-assign]
        cls._build = Model.__dict__["_build"]  # type: ignore[method-assign]

    def to_dict(self) -> dict[str, Any]:
        """Return the record as the API sent it (fields absent there stay absent)."""
        absent: frozenset[str] = getattr(self, _ABSENT, frozenset())
        out: dict[str, Any] = {}
        for entry in self._field_plan():
            if entry.name in absent:
                continue
            value = getattr(self, entry.name)
            out[entry.name] = _encode_model(value) if entry.nested else value
        out.update(self.extra)
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


def _install_parser(cls: type[Model]) -> Callable[[Mapping[str, Any]], Any]:
    """Compile the parser of ``cls``: its builder, or a dispatch on ``type`` for unions."""
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
                return builders.get(body.get("type"), build)(body)  # type: ignore[arg-type]

    cls._parse = staticmethod(parse)  # type: ignore[assignment]
    return parse


def _builder_of(cls: type[Model]) -> Callable[[Mapping[str, Any]], Any]:
    compiled = cls.__dict__["_build"]
    if isinstance(compiled, staticmethod):
        function: Callable[[Mapping[str, Any]], Any] = compiled.__func__
        return function
    return _install_builder(cls)


def _install_builder(cls: type[Model]) -> Callable[[Mapping[str, Any]], Any]:
    build = _compile_builder(cls)
    cls._build = staticmethod(build)  # type: ignore[assignment]
    return build


def _missing_field(cls: type[Model], name: object) -> ModelValidationError:
    return ModelValidationError(f"{cls.__name__} record lacks the field {name!r}")


def _compile_builder(cls: type[Model]) -> Callable[[Mapping[str, Any]], Any]:
    """Generate a function that builds exactly ``cls`` from a record (no type dispatch).

    Parsing is the hot path of bulk reads (the Activity Feed serves thousands of records a
    page), so each class gets straight-line code, as ``dataclasses`` does for ``__init__``:
    one lookup per field, nested models parsed through their own compiled parsers, unknown
    keys collected into ``extra``, and fields the record lacked remembered for ``to_dict``.
    """
    plan = cls._field_plan()
    defaults = {f.name: f for f in dataclasses.fields(cls)}
    env: dict[str, Any] = {
        "_cls": cls,
        "_new": object.__new__,
        "_Mapping": Mapping,
        "_missing": _missing_field,
        "_MISSING": _MISSING,
        "_frozenset": frozenset,
    }
    body_lines: list[str] = []
    required = [entry for entry in plan if entry.required]
    optional = [entry for entry in plan if not entry.required]
    local = {entry.name: f"v{index}" for index, entry in enumerate(plan)}

    def decode(entry: _FieldPlan, indent: str) -> list[str]:
        if entry.nested is None:
            return []
        var = local[entry.name]
        env[f"_M_{var}"] = entry.nested
        one = f"_M_{var}._parse(x) if x.__class__ is dict or isinstance(x, _Mapping) else x"
        if entry.many:
            return [
                f"{indent}if {var}.__class__ is list:",
                f"{indent}    {var} = [{one} for x in {var}]",
            ]
        return [
            f"{indent}if {var}.__class__ is dict or isinstance({var}, _Mapping):",
            f"{indent}    {var} = _M_{var}._parse({var})",
        ]

    # Fast path: a record carrying every field (the usual case) costs one lookup per field.
    body_lines.append("    try:")
    body_lines += [f"        {local[e.name]} = body[{e.name!r}]" for e in plan]
    body_lines += ["    except KeyError:", "        absent = ()"]
    if required:
        body_lines.append("        try:")
        body_lines += [f"            {local[e.name]} = body[{e.name!r}]" for e in required]
        body_lines += [
            "        except KeyError as exc:",
            "            raise _missing(_cls, exc.args[0] if exc.args else None) from None",
        ]
    for entry in optional:
        var = local[entry.name]
        field = defaults[entry.name]
        if field.default_factory is not dataclasses.MISSING:
            env[f"_F_{var}"] = field.default_factory
            fallback = f"_F_{var}()"
        else:
            env[f"_D_{var}"] = field.default
            fallback = f"_D_{var}"
        body_lines += [
            f"        {var} = body.get({entry.name!r}, _MISSING)",
            f"        if {var} is _MISSING:",
            f"            {var} = {fallback}",
            f"            absent += ({entry.name!r},)",
        ]
    body_lines += ["    else:", "        absent = ()"]
    for entry in plan:
        body_lines += decode(entry, "    ")
    # Unknown keys: none when the record holds only known fields; otherwise copy the record
    # and drop the known ones (cheaper than filtering every key, and it keeps their order).
    body_lines += [
        f"    if len(body) == {len(plan)} - len(absent):",
        "        extra = {}",
        "    else:",
        "        extra = dict(body)",
    ]
    if optional:
        body_lines.append("        if absent:")
        body_lines += [f"            del extra[{e.name!r}]" for e in required]
        body_lines += [f"            extra.pop({e.name!r}, None)" for e in optional]
        body_lines.append("        else:")
    body_lines += [f"{'    ' if optional else ''}        del extra[{e.name!r}]" for e in plan]
    # Attribute stores, as the dataclass ``__init__`` would do them, minus the call.
    body_lines.append("    obj = _new(_cls)")
    body_lines += [f"    obj.{e.name} = {local[e.name]}" for e in plan]
    body_lines += [
        "    obj.extra = extra",
        "    if absent:",
        f"        obj.{_ABSENT} = _frozenset(absent)",
    ]
    if hasattr(cls, "__post_init__"):
        body_lines.append("    obj.__post_init__()")
    body_lines.append("    return obj")
    source = "def build(body):\n" + "\n".join(body_lines) + "\n"
    exec(compile(source, f"<{cls.__qualname__} parser>", "exec"), env)
    build: Callable[[Mapping[str, Any]], Any] = env["build"]
    return build
