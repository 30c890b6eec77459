"""Griffe extensions for the API reference (loaded by mkdocstrings, see ``mkdocs.yml``).

The reference is built by inspecting the live package (``force_inspection``), because the
resource methods are generated when their classes are created. Inspection sees what the
interpreter sees, which differs from the source in two ways these extensions undo:

- ``DataclassFieldTypes``: a dataclass field without a class-level default is not a class
  attribute at all, and under ``from __future__ import annotations`` its annotation is a
  string, so inspection found no attribute and no type, and every "Attributes" table had an
  empty Type column. Each field becomes an attribute of its class with its annotation parsed
  into an expression (so types link to their models); it gets no docstring of its own, so it
  shows in the class's table only, not as a separate entry.
- ``PublicBases``: a class's "Bases" line lists only bases a user can name. A base whose own
  name is private (``_ChatsEndpoints``) is left out, and so is a public-named class of a private
  module that the package does not export; one the package exports (``Model``) is shown by
  its public path. The rule looks at names only, never at particular classes.
- ``ImportsKnown``: a name a module imports (``Model`` in each models module) is not a member
  to document there. The source visitor records imports; inspection does not, so each page
  showed the imported classes again. Aliases to other modules are recorded as imports, which
  the templates already leave out unless the module exports them.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
from typing import Any

import griffe

PACKAGE = "claude_compliance"


class DataclassFieldTypes(griffe.Extension):
    """Every dataclass field, inherited ones included, as a typed attribute of its class."""

    def on_class_members(self, *, node: Any, cls: griffe.Class, **_: Any) -> None:
        live = getattr(node, "obj", None)  # an ast node when the source was visited: typed already
        if live is None or not dataclasses.is_dataclass(live):
            return
        for field in dataclasses.fields(live):
            annotation = _expression(field.type, cls)
            member = cls.members.get(field.name)
            if isinstance(member, griffe.Attribute):
                member.annotation = annotation
                member.docstring = None  # inspection lent it the docstring of the default's type
            elif member is None:
                cls.set_member(field.name, griffe.Attribute(field.name, annotation=annotation))


def _expression(annotation: Any, parent: griffe.Class) -> str | griffe.Expr | None:
    if not isinstance(annotation, str):
        annotation = getattr(annotation, "__name__", None) or repr(annotation)
    try:
        tree = ast.parse(annotation, mode="eval").body
    except SyntaxError:
        return annotation
    return griffe.safe_get_annotation(tree, parent=parent) or annotation


class ImportsKnown(griffe.Extension):
    """Members an inspected module holds by reference to another module count as imports."""

    def on_module_members(self, *, node: Any, mod: griffe.Module, **_: Any) -> None:
        if getattr(node, "obj", None) is None:
            return
        for name, member in mod.members.items():
            if member.is_alias and name not in mod.imports:
                mod.imports[name] = member.target_path


class PublicBases(griffe.Extension):
    """Bases a user can name, by their public path, for the "Bases" line.

    The class keeps its real bases (inherited members, such as a merged ``__init__``, resolve
    through them); the list shown goes into ``extra["docs"]["public_bases"]``, which the
    class template override in ``docs/templates`` renders instead.
    """

    def on_class_members(self, *, cls: griffe.Class, **_: Any) -> None:
        shown = []
        for base in cls.bases:
            path = base.canonical_path if isinstance(base, griffe.Expr) else str(base)
            public = _public_path(path)
            if public is not None:
                shown.append(base if public == path else public)
        cls.extra["docs"]["public_bases"] = shown


def _public_path(path: str) -> str | None:
    parts = path.split(".")
    if parts[-1].startswith("_"):
        return None
    if not any(part.startswith("_") for part in parts[:-1]):
        return path
    if parts[0] != PACKAGE:
        return path  # another package's business (e.g. typing.Generic)
    package = importlib.import_module(PACKAGE)
    exported = getattr(package, "__all__", ())
    return f"{PACKAGE}.{parts[-1]}" if parts[-1] in exported else None
