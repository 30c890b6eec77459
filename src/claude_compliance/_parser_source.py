"""Generated record parsers: the one place where the SDK turns source text into code.

Why generate code at all: parsing is the hot path of bulk reads (an Activity Feed page holds up
to 5000 records). A generic loop over a model's fields costs several times what straight-line
code does, so each model class gets its own builder function — one dictionary lookup and one
type test per field, the way :mod:`dataclasses` generates ``__init__``. The gain is measured by
``benchmarks/activities_throughput.py``.

Why it is safe: the source is assembled here only from fixed templates and a model class's own
field names, each checked to be a plain Python identifier; a field name enters the source only
as a ``repr`` string literal or an attribute name. Everything else (defaults, nested model
classes, expected types, the helpers that report odd values) is passed in the namespace, never
written into the text. No byte of any server response ever reaches the source. This module
holds the package's only ``exec``; :mod:`claude_compliance._models` decides *what* each field
needs (its `FieldPlan`), this module only writes it down.

What a builder does with a record (a mapping):

* a required field that is missing raises the runtime's ``missing`` error (only identifying
  fields are required);
* a field that is missing takes its default; the record itself is kept on the object for its
  key order, so ``to_dict`` reproduces what was served;
* a value of an unexpected JSON type is kept as sent and reported to the runtime's ``odd``;
  a nested record that cannot be read stays the raw value, reported the same way;
* keys no field claims go to ``extra``, in their order.
"""

from __future__ import annotations

import dataclasses
import keyword
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["NO_DEFAULT", "SERVED", "FieldPlan", "ParserRuntime", "compile_builder"]

NO_DEFAULT: Any = object()
"""Marks a required field (no default, no factory) in a `FieldPlan`."""

SERVED = "_served"
"""Attribute holding the record a model was parsed from, for its key order (absent on models
built in Python). Holding a reference costs one attribute store; copying the keys would cost
far more on the hot path."""


@dataclasses.dataclass(frozen=True)
class FieldPlan:
    """What parsing one field needs.

    Attributes:
        name: The field (and wire key) name.
        default: The value when the record lacks the field, or `NO_DEFAULT` if required.
        factory: Makes the default instead (``list`` and the like), or ``None``.
        nested: The model class the field holds (alone or as list items), or ``None``.
        many: Whether ``nested`` comes as a list.
        expected: JSON types the value may have (``None`` is always accepted); empty when
            anything goes.
    """

    name: str
    default: Any = NO_DEFAULT
    factory: Callable[[], Any] | None = None
    nested: type | None = None
    many: bool = False
    expected: tuple[type, ...] = ()

    @property
    def required(self) -> bool:
        return self.default is NO_DEFAULT and self.factory is None


@dataclasses.dataclass(frozen=True)
class ParserRuntime:
    """The helpers generated builders call.

    Attributes:
        missing: ``missing(cls, name)`` returns the error to raise for a missing required field.
        odd: ``odd(cls, name, value, error)`` is told about a value kept as sent because it
            did not have an expected type (``error`` is the nested parse failure, if any).
        unreadable: The exception type a nested model's parser raises for a record it cannot
            read (caught: the raw value is kept).
        items: ``items(model, values, cls, name)`` parses a list of nested records.
    """

    missing: Callable[[type, object], Exception]
    odd: Callable[[type, str, Any, Exception | None], None]
    unreadable: type[Exception]
    items: Callable[[type, list[Any], type, str], list[Any]]


def _identifier(name: str) -> str:
    if not name.isidentifier() or keyword.iskeyword(name) or name.startswith("__"):
        raise ValueError(f"cannot generate a parser for the field name {name!r}")
    return name


def _check(entry: FieldPlan, var: str, env: dict[str, Any]) -> list[str]:
    """Lines testing the JSON type of a plain (not nested) field's value."""
    if not entry.expected:
        return []
    tests = []
    for index, kind in enumerate(entry.expected):
        env[f"_T{index}_{var}"] = kind
        exact = f"{var}.__class__ is not _T{index}_{var}"
        # Mappings other than dict are accepted where a JSON object is expected.
        tests.append(f"({exact} and not isinstance({var}, _Mapping))" if kind is dict else exact)
    return [
        f"    if {' and '.join(tests)} and {var} is not None:",
        f"        _odd(_cls, {entry.name!r}, {var}, None)",
    ]


def _decode(entry: FieldPlan, var: str, env: dict[str, Any]) -> list[str]:
    """Lines parsing a nested model (or list of them), keeping what cannot be read."""
    env[f"_M_{var}"] = entry.nested
    name = repr(entry.name)
    if entry.many:
        return [
            f"    if {var}.__class__ is list:",
            f"        {var} = _items(_M_{var}, {var}, _cls, {name})",
            f"    elif {var} is not None:",
            f"        _odd(_cls, {name}, {var}, None)",
        ]
    return [
        f"    if {var}.__class__ is dict or isinstance({var}, _Mapping):",
        "        try:",
        f"            {var} = _M_{var}._parse({var})",
        "        except _Unreadable as exc:",
        f"            _odd(_cls, {name}, {var}, exc)",
        f"    elif {var} is not None:",
        f"        _odd(_cls, {name}, {var}, None)",
    ]


def _source(cls: type, plan: tuple[FieldPlan, ...], env: dict[str, Any]) -> str:
    local = {entry.name: f"v{index}" for index, entry in enumerate(plan)}
    required = [entry for entry in plan if entry.required]
    optional = [entry for entry in plan if not entry.required]
    lines = ["def build(body):", "    try:"]
    # Fast path: a record carrying every field (the usual case) costs one lookup per field.
    lines += [f"        {local[e.name]} = body[{e.name!r}]" for e in plan]
    lines += ["    except KeyError:"]
    if required:
        lines.append("        try:")
        lines += [f"            {local[e.name]} = body[{e.name!r}]" for e in required]
        lines += [
            "        except KeyError as exc:",
            "            raise _missing(_cls, exc.args[0] if exc.args else None) from None",
        ]
    lines.append(f"        present = {len(required)}")
    for entry in optional:
        var = local[entry.name]
        if entry.factory is not None:
            env[f"_F_{var}"] = entry.factory
            fallback = f"_F_{var}()"
        else:
            env[f"_D_{var}"] = entry.default
            fallback = f"_D_{var}"
        lines += [
            f"        {var} = body.get({entry.name!r}, _MISSING)",
            f"        if {var} is _MISSING:",
            f"            {var} = {fallback}",
            "        else:",
            "            present += 1",
        ]
    lines += ["    else:", f"        present = {len(plan)}"]
    for entry in plan:
        var = local[entry.name]
        lines += _decode(entry, var, env) if entry.nested else _check(entry, var, env)
    # Unknown keys: none when the record holds only known fields; otherwise copy the record
    # and drop the known ones (cheaper than filtering every key, and it keeps their order).
    lines += [
        "    if len(body) == present:",
        "        extra = {}",
        "    else:",
        "        extra = dict(body)",
    ]
    lines += [f"        extra.pop({e.name!r}, None)" for e in plan]
    # Attribute stores, as the dataclass ``__init__`` would do them, minus the call.
    lines.append("    obj = _new(_cls)")
    lines += [f"    obj.{e.name} = {local[e.name]}" for e in plan]
    lines += ["    obj.extra = extra", f"    obj.{SERVED} = body"]
    if hasattr(cls, "__post_init__"):
        lines.append("    obj.__post_init__()")
    lines.append("    return obj")
    return "\n".join(lines) + "\n"


def compile_builder(
    cls: type, plan: tuple[FieldPlan, ...], runtime: ParserRuntime
) -> Callable[[Mapping[str, Any]], Any]:
    """Generate and compile the function that builds exactly ``cls`` from one record.

    Args:
        cls: The model class (a dataclass whose fields ``plan`` describes).
        plan: One entry per field, in declaration order (``extra`` excluded).
        runtime: The helpers the builder calls.

    Raises:
        ValueError: When a field name is not a plain identifier (it would not be safe to
            write into source).
    """
    for entry in plan:
        _identifier(entry.name)
    env: dict[str, Any] = {
        "_cls": cls,
        "_new": object.__new__,
        "_Mapping": Mapping,
        "_MISSING": NO_DEFAULT,
        "_missing": runtime.missing,
        "_odd": runtime.odd,
        "_Unreadable": runtime.unreadable,
        "_items": runtime.items,
    }
    source = _source(cls, plan, env)
    # The package's only exec: the source above holds no data (see the module docstring).
    exec(compile(source, f"<{cls.__qualname__} parser>", "exec"), env)
    build: Callable[[Mapping[str, Any]], Any] = env["build"]
    return build
