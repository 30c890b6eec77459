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


class ModelValidationError(ValueError):
    """A response record does not have the shape its model needs."""


# One converter per field: turns a wire value into the model's value and back.
_Decode = Callable[[Any], Any]
_Encode = Callable[[Any], Any]


@dataclasses.dataclass(frozen=True)
class _FieldPlan:
    name: str
    required: bool
    decode: _Decode | None
    encode: _Encode | None


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


def _decode_model(model: type[Model], many: bool) -> _Decode:
    def one(value: Any) -> Any:
        return model.from_dict(value) if isinstance(value, Mapping) else value

    def each(value: Any) -> Any:
        return [one(v) for v in value] if isinstance(value, list) else value

    return each if many else one


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
                entries.append(
                    _FieldPlan(
                        name=f.name,
                        required=required,
                        decode=_decode_model(model, many) if model else None,
                        encode=_encode_model if model else None,
                    )
                )
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
        if not isinstance(body, Mapping):
            raise ModelValidationError(
                f"{cls.__name__} expects a JSON object, got {type(body).__name__}"
            )
        plan = cls._field_plan()
        values: dict[str, Any] = {}
        absent: list[str] = []
        for entry in plan:
            if entry.name in body:
                raw = body[entry.name]
                values[entry.name] = entry.decode(raw) if entry.decode else raw
            elif entry.required:
                raise ModelValidationError(f"{cls.__name__} record lacks the field {entry.name!r}")
            else:
                absent.append(entry.name)
        known = {entry.name for entry in plan}
        values["extra"] = {k: v for k, v in body.items() if k not in known}
        instance = cls(**values)
        if absent:
            object.__setattr__(instance, _ABSENT, frozenset(absent))
        return instance

    def to_dict(self) -> dict[str, Any]:
        """Return the record as the API sent it (fields absent there stay absent)."""
        absent: frozenset[str] = getattr(self, _ABSENT, frozenset())
        out: dict[str, Any] = {}
        for entry in self._field_plan():
            if entry.name in absent:
                continue
            value = getattr(self, entry.name)
            out[entry.name] = entry.encode(value) if entry.encode else value
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

    @classmethod
    def from_dict(cls, body: Mapping[str, Any]) -> Self:
        """Build the variant named by ``body["type"]`` (the family base for unknown types)."""
        if isinstance(body, Mapping):
            variant = cls._variants.get(body.get("type"))  # type: ignore[arg-type]
            if variant is not None and variant is not cls and issubclass(variant, cls):
                return variant.from_dict(body)
        return super().from_dict(body)
