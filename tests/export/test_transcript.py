"""Markdown transcripts of chats."""

from __future__ import annotations

from claude_compliance.export.transcript import chat_transcript


def test_transcript_renders_every_block_kind() -> None:
    chat = {"id": "c1", "name": "", "user": None, "deleted_at": "2025-02-01T00:00:00Z"}
    messages = [
        {
            "role": "assistant",
            "created_at": "2025-01-01T00:00:00Z",
            "content": [
                {"type": "text", "text": "hi", "thinking_redacted": True, "truncated": True},
                {"type": "tool_use", "name": "search", "input": "{not json", "mcp_server_url": "x"},
                {"type": "tool_result", "name": "search", "is_error": True,
                 "content": [{"type": "text", "text": "boom"}]},
                {"type": "image"},
            ],
            "generated_files": [{"id": "g1", "filename": "out.csv"}],
            "artifacts": [{"version_id": "v1", "title": None}],
        }
    ]  # fmt: skip
    text = chat_transcript(chat, messages)
    assert text.startswith("# Untitled chat")
    expected = ["Deleted by the user", "reasoning removed", "truncated", "via x", "{not json"]
    expected += ["(error)", "boom", "type `image`", "out.csv", "untitled"]
    assert all(part in text for part in expected), text
