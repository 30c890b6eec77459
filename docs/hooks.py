"""MkDocs hook: the home page is the README, whose links are relative to the repository root.

``docs/index.md`` only includes the README; this hook puts the README's text in its place with
``](docs/...)`` links made relative to the docs folder, so that the images and pages it points at
resolve both on the repository host and on the built site.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

README = Path(__file__).resolve().parent.parent / "README.md"


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    """The README, with links into ``docs/`` rewritten, for the home page."""
    if page.file.src_uri == "index.md":
        return README.read_text(encoding="utf-8").replace("](docs/", "](")
    return markdown
