"""HTML pages rendered from Jinja2 templates: the export bundle's index and the workspace.

Both show archived content, so both render it the same guarded way: every value autoescaped,
an unknown name an error rather than an empty string, and tool inputs shown as indented JSON.
"""

from __future__ import annotations

import json
from typing import Any

import jinja2

__all__ = ["page_templates", "pretty_input", "pretty_json"]


def pretty_json(value: Any) -> str:
    """A JSON value indented for reading, keys sorted."""
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True)


def pretty_input(value: Any) -> str:
    """A tool input (JSON text, usually) indented for reading; other text as it is."""
    if isinstance(value, str):
        try:
            return pretty_json(json.loads(value))
        except ValueError:
            return value
    return pretty_json(value)


def page_templates(package: str) -> jinja2.Environment:
    """The templates in ``<package>/templates``, autoescaped, with the filters ``pretty_json``
    and ``pretty_input``."""
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader(package, "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["pretty_json"] = pretty_json
    environment.filters["pretty_input"] = pretty_input
    return environment
