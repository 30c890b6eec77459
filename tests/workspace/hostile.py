"""A small emulator world with hostile content, archived: what the workspace tests read.

The chat is named like a script tag, a message carries HTML, and the chat's first message has
uploaded ``.html`` and ``.svg`` files that run script if rendered, and a file whose name is
markup. The files are put straight into the emulator's tables (the emulator's own mutations
choose friendly names).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Any

from claude_compliance.emulator import EmulatorConfig, EmulatorServer

from ..archive.conftest import SMALL_WORLD, sync
from ..support import ANCHOR

SCRIPT_NAME = "<script>alert(1)</script>"
HTML_MESSAGE = (
    'Falcon escalation <b>bold</b> <img src=x onerror="alert(2)"> '
    '<script>alert(3)</script> <a href="javascript:alert(4)">click</a>'
)
MARKUP_FILENAME = '<img src=x onerror="alert(5)">.txt'
HOSTILE_FILES = (
    ("falcon-report.html", "text/html", b"<html><script>alert(6)</script><p>Falcon</p></html>"),
    (
        "falcon-chart.svg",
        "image/svg+xml",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(7)">'
        b"<script>alert(8)</script><text>Falcon</text></svg>",
    ),
    (MARKUP_FILENAME, "text/plain", b"Falcon notes with <b>markup</b> inside."),
)


@dataclasses.dataclass
class HostileArchive:
    """The archived world and the ids of its hostile records."""

    server: EmulatorServer
    root: Path
    chat_id: str
    user_id: str
    user_email: str
    file_ids: dict[str, str]


def _add_file(
    server: EmulatorServer,
    chat_id: str,
    message_id: str,
    name: str,
    mime: str,
    content: bytes,
    index: int,
) -> dict[str, Any]:
    file_id = f"claude_file_01Hostile{index:016d}"
    record = {
        "id": file_id,
        "filename": name,
        "mime_type": mime,
        "size_bytes": len(content),
        "md5": hashlib.md5(content).hexdigest(),
        "created_at": "2025-09-01T10:00:00.000000Z",
        "message_ids": [message_id],
        "claude_chat_ids": [chat_id],
    }
    server.store.execute(
        "INSERT INTO files VALUES (?, ?, NULL, ?, ?, ?)",
        (file_id, chat_id, 1756720800000000, json.dumps(record), content),
    )
    return record


def build_hostile_archive(root: Path) -> HostileArchive:
    """Start the emulator, add the hostile chat, and archive everything into ``root``."""
    config = EmulatorConfig(anchor=ANCHOR, seed=11, rpm=0, access_activities=False, **SMALL_WORLD)
    server = EmulatorServer(config).start()
    chat = server.world.add_chat(name=SCRIPT_NAME, messages=2, with_file=True)
    server.world.append_message(chat["id"], text=HTML_MESSAGE)
    first = chat["message_ids"][0]
    (data,) = server.store.one("SELECT data FROM messages WHERE id = ?", (first,)) or ("",)
    message = json.loads(data)
    file_ids = {}
    for index, (name, mime, content) in enumerate(HOSTILE_FILES):
        record = _add_file(server, chat["id"], first, name, mime, content, index)
        keys = ("id", "filename", "mime_type", "size_bytes", "md5", "created_at")
        message["files"] = [*(message["files"] or []), {k: record[k] for k in keys}]
        file_ids[name] = record["id"]
    server.store.execute("UPDATE messages SET data = ? WHERE id = ?", (json.dumps(message), first))
    result = sync(server, root)
    assert result.ok, result.stats.errors
    return HostileArchive(
        server=server,
        root=root,
        chat_id=chat["id"],
        user_id=chat["user"]["id"],
        user_email=chat["user"]["email_address"],
        file_ids=file_ids,
    )
