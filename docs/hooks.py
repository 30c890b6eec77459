"""MkDocs hooks: the home page from the README, and async classes stated once, not copied.

``docs/index.md`` only includes the README; the README's text is put in its place with
``](docs/...)`` links made relative to the docs folder, so that the images and pages it points
at resolve both on the repository host and on the built site.

A reference page documents a resource group's methods once, on the sync class. A line
``<!-- async: claude_compliance.AsyncChats -->`` becomes a short section saying that the async
class has the same methods with the same parameters, awaited, and listing them by name (linked
to the sync ones): read from the live classes, so it never goes stale.
"""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path
from typing import Any

README = Path(__file__).resolve().parent.parent / "README.md"
ASYNC_TWIN = re.compile(r"^<!-- async: ([\w.]+) -->$", re.M)


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    """The README for the home page; async twins stated on reference pages."""
    if page.file.src_uri == "index.md":
        return README.read_text(encoding="utf-8").replace("](docs/", "](")
    return ASYNC_TWIN.sub(lambda match: async_twin(match.group(1)), markdown)


def async_twin(path: str) -> str:
    """Markdown saying that the async class at ``path`` is its sync twin's methods, awaited."""
    module_name, _, name = path.rpartition(".")
    module = importlib.import_module(module_name)
    async_class = getattr(module, name)
    sync_name = name.removeprefix("Async")
    sync_class = getattr(module, sync_name)
    sync_path = f"{module_name}.{sync_name}"
    awaited, iterated = [], []
    for method in _public_methods(sync_class):
        if not hasattr(async_class, method):
            raise ValueError(f"{path} lacks {sync_name}.{method}")
        link = f"[`{method}`][{sync_path}.{method}]"
        twin = getattr(async_class, method)
        (awaited if inspect.iscoroutinefunction(twin) else iterated).append(link)
    extra = sorted(set(_public_methods(async_class)) - set(_public_methods(sync_class)))
    if extra:
        raise ValueError(f"{path} has methods its sync twin lacks: {extra}")
    attribute = _client_attribute(sync_class)
    lines = [
        f'### `{name}` {{ #{path} data-toc-label="{name}" }}',
        "",
        f"`{name}` (`client.{attribute}` of an `AsyncComplianceClient`) has the same methods as "
        f"[`{sync_name}`][{sync_path}], with the same parameters and results:",
        "",
    ]
    if awaited:
        lines.append(f"- awaited (`await client.{attribute}.…(…)`): {', '.join(awaited)};")
    if iterated:
        lines.append(
            f"- async iterators, used with `async for` and no `await`: {', '.join(iterated)}."
        )
    if awaited:
        lines.append(
            "- `with_raw_response` on each awaited method is awaited too "
            f"(`await client.{attribute}.<method>.with_raw_response(…)`)."
        )
    return "\n".join(lines) + "\n"


def _public_methods(cls: type) -> list[str]:
    return [
        name
        for name, value in vars(cls).items()
        if not name.startswith("_") and callable(getattr(cls, name, None))
        and not isinstance(value, (staticmethod, classmethod, type))
    ]  # fmt: skip


def _client_attribute(resource: type) -> str:
    """The attribute of ``ComplianceClient`` holding this resource group (``chats``)."""
    from claude_compliance import ComplianceClient

    with ComplianceClient(api_key="sk-ant-api01-docs", base_url="http://127.0.0.1:9") as client:
        for name in dir(client):
            if not name.startswith("_") and type(getattr(client, name, None)) is resource:
                return name
    raise ValueError(f"no ComplianceClient attribute holds a {resource.__name__}")
