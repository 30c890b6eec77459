"""The bundle's ``index.html``: a static, self-contained, script-free reader of the bundle.

One page: where the bundle came from, then per person their chats (the transcript inline, tool
calls folded), projects, sessions and files, each linking to the bundle's own files. Every piece
of archived content goes through Jinja2's autoescaping, the page carries a policy that allows
no script and no other origin, and links to content are downloads, never navigations.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import jinja2

from ..common.pages import page_templates

__all__ = ["render_index"]


def _environment() -> jinja2.Environment:
    environment = page_templates("claude_compliance.export")
    environment.filters["href"] = lambda path: quote(str(path), safe="/")
    return environment


def render_index(index: dict[str, Any], summary: dict[str, Any]) -> str:
    """The page for a bundle: ``index`` lists people and what of theirs is in it."""
    template = _environment().get_template("bundle_index.html")
    return template.render(index=index, summary=summary)
