"""Records exactly as served, whether or not the SDK's models could read them.

The archive, the feed tail and the eDiscovery export keep the decoded JSON the API sent (with
its key order), not what a model made of it: a model's ``to_dict()`` gives that back, and what
no model could read is kept as it came. Code here reads those records defensively, since a
field may be absent or of an unexpected type.

A record without an ``id`` (or not even a JSON object) is still kept, under a key derived from
its content and marked ``raw:``; it is counted as "kept raw".
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from .._models import Model

__all__ = [
    "KEPT_RAW",
    "RAW_MARK",
    "as_served",
    "canonical_json",
    "content_key",
    "is_raw_key",
    "json_items",
    "json_objects",
    "message_references",
    "record_key",
]

KEPT_RAW = "kept raw"
"""The summary's outcome for records no model could read, archived as served."""


def as_served(value: Any) -> Any:
    """The JSON value as served: models become their ``to_dict()``, lists item by item."""
    if isinstance(value, Model):
        return value.to_dict()
    if isinstance(value, list):
        return [as_served(item) for item in value]
    return value


def json_items(value: Any) -> list[Any]:
    """The items of a JSON array, as served (anything but an array yields nothing)."""
    return list(value) if isinstance(value, list) else []


def json_objects(value: Any) -> list[Mapping[str, Any]]:
    """The JSON objects of a JSON array (anything else yields nothing)."""
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, Mapping)]


def _ids(messages: list[Any], field: str, id_field: str) -> list[str]:
    found = {
        ref[id_field]
        for message in messages
        if isinstance(message, Mapping)
        for ref in json_objects(message.get(field))
        if isinstance(ref.get(id_field), str) and ref[id_field]
    }
    return sorted(found)


def message_references(messages: Iterable[Any]) -> tuple[list[str], list[str], list[str]]:
    """The uploaded files, generated files and artifact versions chat messages refer to.

    Args:
        messages: Chat messages as served (JSON objects; anything else is skipped).

    Returns:
        Sorted unique ids: file ids, generated-file ids, artifact ``version_id``\\ s.
    """
    messages = list(messages)
    return (
        _ids(messages, "files", "id"),
        _ids(messages, "generated_files", "id"),
        _ids(messages, "artifacts", "version_id"),
    )


def canonical_json(value: Any) -> str:
    """One spelling per JSON value: sorted keys, no spaces, UTF-8 text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


RAW_MARK = "raw:"
"""Marks the key of a record kept as served because it has no id (see `record_key`)."""


def content_key(parent: str | None, record: Any, *, mark: str = "") -> str:
    """A key for a record without an id of its own, derived from its content."""
    digest = hashlib.sha256(canonical_json(record).encode()).hexdigest()[:20]
    return f"{parent}/{mark}{digest}" if parent else f"{mark}{digest}"


def record_key(record: Any, parent: str | None = None) -> tuple[str, bool]:
    """``(key, kept_raw)``: the record's ``id`` (under ``parent``), or else a key derived from
    its content and marked ``raw:``.

    A record without an id cannot be matched against a later listing, so a ``raw:`` record is
    never marked gone by one (see `ArchiveStore.live_keys`).
    """
    identifier = record.get("id") if isinstance(record, Mapping) else None
    if isinstance(identifier, str) and identifier:
        return (f"{parent}/{identifier}" if parent else identifier), False
    return content_key(parent, record, mark=RAW_MARK), True


def is_raw_key(key: str) -> bool:
    """Whether ``key`` was derived from the content of a record that had no id."""
    return key.startswith(RAW_MARK) or f"/{RAW_MARK}" in key
