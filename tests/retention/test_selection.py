"""How rules and holds judge one object: owners, organisations, groups, times."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from claude_compliance.archive.store import ArchiveStore, RecordRow
from claude_compliance.retention.directory import Directory, UnknownNameError
from claude_compliance.retention.holds import Hold
from claude_compliance.retention.inventory import Candidate
from claude_compliance.retention.plan import Selector
from claude_compliance.retention.policy import Rule
from claude_compliance.retention.who import actor


def _candidate(**overrides: Any) -> Candidate:
    fields: dict[str, Any] = {
        "kind": "chat",
        "id": "claude_chat_1",
        "organization": "uuid-a",
        "owners": ("user_a",),
        "created_at": "2024-01-01T00:00:00Z",
        "updated_at": "2024-03-01T00:00:00Z",
        "project_id": None,
        "record_sha256": "0" * 64,
        "blob_sha256s": (),
    }
    return Candidate(**{**fields, **overrides})


def _hold(**overrides: Any) -> Hold:
    fields: dict[str, Any] = {
        "id": "hold_1",
        "users": ("user_a",),
        "organization": None,
        "start": None,
        "end": None,
        "matter": "M",
        "reason": "R",
        "added_at": "2026-01-01T00:00:00Z",
        "added_by": {},
    }
    return Hold(**{**fields, **overrides})


@pytest.mark.parametrize(
    ("hold", "protected"),
    [
        ({}, True),
        ({"users": ("user_b",)}, False),
        ({"organization": "uuid-a"}, True),
        ({"organization": "uuid-b"}, False),
        ({"start": "2024-02-01T00:00:00Z"}, True),  # alive until March: overlaps
        ({"start": "2024-04-01T00:00:00Z"}, False),  # last touched before the range
        ({"end": "2024-01-15T00:00:00Z"}, True),  # created before the range ends
        ({"end": "2023-12-01T00:00:00Z"}, False),  # created after the range ended
        ({"released": {"at": "2026-02-01T00:00:00Z"}}, False),
    ],
)
def test_what_a_hold_covers(hold: dict[str, Any], protected: bool) -> None:
    assert (
        _hold(**hold).protects(
            ("user_a",), "uuid-a", "2024-01-01T00:00:00Z", "2024-03-01T00:00:00Z"
        )
        is protected
    )


def test_unknown_times_are_held() -> None:
    assert _hold(start="2030-01-01T00:00:00Z").protects(("user_a",), None, None, None)


@pytest.fixture
def directory(tmp_path: Path) -> Directory:
    store = ArchiveStore(tmp_path)
    with store.transaction():
        store.upsert(RecordRow("organization", "uuid-a", {"uuid": "uuid-a"}, id="uuid-a"))
        store.upsert(
            RecordRow(
                "user",
                "uuid-a/user_a",
                {"id": "user_a", "email": "A@x.example"},
                parent_key="uuid-a",
            )
        )
        store.upsert(
            RecordRow(
                "chat",
                "claude_chat_1",
                {
                    "id": "claude_chat_1",
                    "organization_id": "org_a",
                    "organization_uuid": "uuid-a",
                    "user": {"id": "user_c", "email_address": "c@x.example"},
                },
            )
        )
        store.upsert(
            RecordRow(
                "group_member",
                "group_1/user_b",
                {"user_id": "user_b"},
                parent_key="group_1",
                id="user_b",
            )
        )
    found = Directory(store)
    store.close()
    return found


def test_the_directory_resolves_names(directory: Directory) -> None:
    assert directory.users(["a@x.example", "user_z"]) == {"user_a", "user_z"}
    assert directory.users(["C@X.example"]) == {"user_c"}  # known from content records
    assert directory.organization("org_a") == directory.organization("uuid-a") == "uuid-a"
    assert directory.group_members(["group_1"]) == {"user_b"}
    assert directory.email_of("user_a") == "A@x.example" and directory.email_of(None) is None
    with pytest.raises(UnknownNameError, match="no group"):
        directory.group_members(["group_404"])


@pytest.mark.parametrize(
    ("rule", "candidate", "selected"),
    [
        ({}, {}, True),
        ({"older_than": "1000d"}, {}, False),
        ({"older_than_field": "created_at", "older_than": "700d"}, {}, True),
        ({"organizations": ("org_a",)}, {}, True),
        ({"organizations": ("org_b",)}, {}, False),
        ({"users": ("a@x.example",)}, {}, True),
        ({"users": ("user_b",)}, {}, False),
        ({"groups": ("group_1",)}, {"owners": ("user_b",)}, True),
        ({"groups": ("group_1",)}, {}, False),
        ({"exclude_users": ("user_a",)}, {}, False),
        ({"kind": "file"}, {}, False),
        ({}, {"updated_at": None}, True),  # falls back to created_at
        ({}, {"updated_at": None, "created_at": None}, "its updated_at is unknown"),
    ],
)
def test_what_a_rule_selects(
    directory: Directory, rule: dict[str, Any], candidate: dict[str, Any], selected: object
) -> None:
    chosen = Rule(**{"name": "r", "kind": "chat", "older_than": "365d", **rule})
    selector = Selector([chosen], directory, [], "2026-01-01T00:00:00Z")
    assert selector.selects(chosen, _candidate(**candidate)) == selected


def test_who_never_holds_the_key() -> None:
    key = "sk-ant-api01-abcdefghijklmnopqrstuvwxyz-WXYZ"
    by = actor(key, "sk-ant-api01-…WXYZ")
    assert by["key"] == "sk-ant-api01-…WXYZ" and by["key_fingerprint"]
    assert "abcdef" not in str(by)
    assert actor(None, None)["key_fingerprint"] is None
