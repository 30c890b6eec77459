"""The bundle's ``index.html``: a static, self-contained, script-free reader of the bundle.

One page: where the bundle came from, then per person their chats (the transcript inline, tool
calls folded), projects, sessions and files, each linking to the bundle's own files. Every piece
of archived content goes through Jinja2's autoescaping, the page carries a policy that allows
no script and no other origin, and links to content are downloads, never navigations.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import jinja2

__all__ = ["pretty_input", "render_index"]


def pretty_input(value: Any) -> str:
    """A tool input (JSON text, usually) indented for reading; other text as it is."""
    if isinstance(value, str):
        try:
            return json.dumps(json.loads(value), indent=2, ensure_ascii=False, sort_keys=True)
        except ValueError:
            return value
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True)


def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("claude_compliance.export", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["href"] = lambda path: quote(str(path), safe="/")
    environment.filters["pretty_input"] = pretty_input
    return environment


def render_index(index: dict[str, Any], summary: dict[str, Any]) -> str:
    """The page for a bundle: ``index`` lists people and what of theirs is in it."""
    template = _environment().get_template("bundle_index.html")
    return template.render(index=index, summary=summary)
