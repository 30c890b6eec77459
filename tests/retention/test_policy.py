"""Policies are read strictly: a filter that is misspelt must never widen a deletion."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from claude_compliance.retention.policy import Policy, PolicyError, Rule, parse_duration

GOOD = """
[[rule]]
name = "chats-2y"
kind = "chat"
older_than = "730d"
organizations = ["org_b", "org_a", "org_a"]
exclude_users = ["ceo@example.com"]

[[rule]]
name = "sites"
kind = "code_artifact"
older_than = "2y"
older_than_field = "created_at"
"""


def test_a_valid_policy_is_read_and_normalised() -> None:
    policy = Policy.parse(GOOD)
    chats, sites = policy.rules
    assert chats == Rule(
        name="chats-2y",
        kind="chat",
        older_than="730d",
        organizations=("org_a", "org_b"),
        exclude_users=("ceo@example.com",),
    )
    assert sites.older_than_field == "created_at" and sites.age == timedelta(days=730)
    assert Rule.from_dict(chats.as_dict()) == chats
    assert policy.sha256 == Policy.parse(GOOD).sha256 != Policy.parse(GOOD + "\n").sha256


@pytest.mark.parametrize(
    ("text", "duration"),
    [
        ("730d", timedelta(days=730)),
        ("12h", timedelta(hours=12)),
        ("2w", timedelta(weeks=2)),
        (" 1y ", timedelta(days=365)),
    ],
)
def test_durations(text: str, duration: timedelta) -> None:
    assert parse_duration(text) == duration


@pytest.mark.parametrize("text", ["0d", "-3d", "3", "3m", "d", "1.5d", ""])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration(text)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "no rules"),
        ("rule = 3", "no rules"),
        ("[[rules]]\nname='x'", "unknown top-level"),
        ('[[rule]]\nkind="chat"\nolder_than="1d"', "needs a name"),
        ('[[rule]]\nname="x"\nkind="chat"\nolder_than="1d"\nusres=["a"]', "unknown key.*usres"),
        ('[[rule]]\nname="x"\nkind="chats"\nolder_than="1d"', "kind must be one of"),
        ('[[rule]]\nname="x"\nkind="chat"', "needs older_than"),
        ('[[rule]]\nname="x"\nkind="chat"\nolder_than="soon"', "rule 'x'.*not a duration"),
        ('[[rule]]\nname="x"\nkind="chat"\nolder_than="1d"\nolder_than_field="x"', "updated_at"),
        ('[[rule]]\nname="x"\nkind="chat"\nolder_than="1d"\nusers="a@b"', "list of non-empty"),
        (
            '[[rule]]\nname="x"\nkind="chat"\nolder_than="1d"\n[[rule]]\nname="x"\nkind="file"\n'
            'older_than="1d"',
            "unique: x",
        ),
        ("[[rule]\n", "not valid TOML"),
    ],
)
def test_every_mistake_is_named(body: str, message: str) -> None:
    with pytest.raises(PolicyError, match=message):
        Policy.parse(body)


def test_a_policy_file_that_is_not_text(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(PolicyError, match="not UTF-8"):
        Policy.load(path)
