"""``orgs``, ``users``, ``user-preferences``, ``roles`` and ``groups``: the organization's
directory."""

from __future__ import annotations

from typing import Any

import click

from .app import CliState, command_group, fail, pass_state
from .listing import Getter, Listing, add_all, add_list, build_list
from .org_ids import resolve_org
from .params import examples, format_option
from .people import find_by_email, memberships

__all__ = ["groups", "orgs", "roles", "user_preferences", "users"]

MEMBER_COLUMNS = ["id", "email", "full_name", "organization_role", "created_at"]


orgs = command_group("orgs", "Organizations under the key's parent organization.")


add_list(
    orgs,
    Listing(
        "list",
        "organizations",
        "List organizations, oldest first (the parent first).",
        columns=["uuid", "name", "created_at"],
        max_limit=1000,
        examples=("claude-compliance orgs list", "claude-compliance orgs list --format json"),
    ),
)


@examples(
    "claude-compliance orgs settings 8f1c…-uuid",
    "claude-compliance orgs settings org_01… --keys",
)
@orgs.command("settings")
@click.argument("org_uuid", metavar="ORG")
@click.option("--keys", "show_keys", is_flag=True, help="List the Compliance API keys instead.")
@format_option
@pass_state
def org_settings(state: CliState, org_uuid: str, show_keys: bool) -> None:
    """Show an organization's effective settings (ORG: its org_… id or its UUID)."""
    uuid = resolve_org(state, org_uuid)
    settings = state.client().organizations.get_settings(uuid).to_dict()
    if show_keys:
        state.output.many(
            settings.get("api_keys") or [],
            columns=["id", "name", "scopes", "is_active", "created_at", "expires_at"],
        )
    elif state.output.format == "table":
        state.output.many(settings.get("settings") or [], columns=["name", "type", "value"])
    else:
        state.output.one(settings)


users = command_group("users", "Members of an organization.")


add_list(
    users,
    Listing(
        "list",
        "organizations",
        "List an organization's current members, by join date.",
        method="list_users",
        arguments=("org_uuid",),
        columns=MEMBER_COLUMNS,
        max_limit=1000,
        examples=(
            "claude-compliance users list 8f1c…-uuid --all",
            "claude-compliance users list 8f1c…-uuid --since 30d --format csv",
        ),
    ),
)


@examples(
    "claude-compliance users find alice@example.com",
    "claude-compliance --format json users find alice@example.com",
)
@users.command("find")
@click.argument("email")
@format_option
@pass_state
def find_user(state: CliState, email: str) -> None:
    """Find a person by email address in every organization the key sees (one row per
    membership)."""
    found = find_by_email(state, email)
    if not found:
        fail(f"no member of any organization this key can read has the email {email}")
    state.output.many(found, columns=[*MEMBER_COLUMNS[:4], "organization_name"])


@examples(
    "claude-compliance users get user_01…", "claude-compliance --format json users get user_01…"
)
@users.command("get")
@click.argument("user_id", metavar="ID")
@format_option
@pass_state
def get_user(state: CliState, user_id: str) -> None:
    """Show one person (by user_… id or email) with the organizations they belong to."""
    key = "email" if "@" in user_id else "id"
    found = [m for m in memberships(state) if str(m.get(key, "")).lower() == user_id.lower()]
    if not found:
        fail(f"no member of any organization this key can read is {user_id}")
    person: dict[str, Any] = {k: v for k, v in found[0].items() if not k.startswith("organization")}
    person["organizations"] = [
        {"uuid": m["organization_uuid"], "name": m["organization_name"],
         "role": m.get("organization_role")}
        for m in found
    ]  # fmt: skip
    state.output.one(person)


user_preferences = build_list(
    Listing(
        "user-preferences",
        "organizations",
        "List members' personal instructions for Claude in an organization.",
        arguments=("org_uuid",),
        options=(
            click.option(
                "--include-unset",
                is_flag=True,
                default=None,
                help="List every member, with nulls for unset values.",
            ),
        ),
        max_limit=100,
        examples=(
            "claude-compliance user-preferences 8f1c…-uuid --include-unset",
            "claude-compliance user-preferences 8f1c…-uuid --user alice@example.com --format json",
        ),
    )
)


roles = command_group("roles", "RBAC roles of an organization, and their permissions.")


add_all(
    roles,
    [
        Listing(
            "list",
            "roles",
            "List an organization's roles.",
            arguments=("org_uuid",),
            columns=["id", "name", "description", "created_at", "updated_at"],
            max_limit=1000,
            examples=(
                "claude-compliance roles list 8f1c…-uuid",
                "claude-compliance roles list org_01… --all --format jsonl",
            ),
        ),
        Getter(
            "get",
            "roles",
            "Show one role.",
            arguments=("org_uuid", "role_id"),
            examples=(
                "claude-compliance roles get 8f1c…-uuid role_01…",
                "claude-compliance roles get org_01… role_01… --format json",
            ),
        ),
        Listing(
            "permissions",
            "roles",
            "List what a role allows.",
            arguments=("org_uuid", "role_id"),
            columns=["action", "resource_type", "resource_id"],
            max_limit=1000,
            examples=(
                "claude-compliance roles permissions 8f1c…-uuid role_01… --all",
                "claude-compliance roles permissions 8f1c…-uuid role_01… --all --format csv",
            ),
        ),
    ],
)


groups = command_group("groups", "Groups (directly created or synced by SCIM) and their members.")


add_all(
    groups,
    [
        Listing(
            "list",
            "groups",
            "List groups.",
            columns=["id", "name", "source_type", "roles", "created_at"],
            options=(
                click.option("--name-prefix", help="Only groups whose name starts with this."),
            ),
            max_limit=1000,
            examples=(
                "claude-compliance groups list --name-prefix Eng",
                "claude-compliance groups list --all --format jsonl",
            ),
        ),
        Getter(
            "get",
            "groups",
            "Show one group.",
            examples=(
                "claude-compliance groups get group_01…",
                "claude-compliance groups get group_01… --format json",
            ),
        ),
        Listing(
            "members",
            "groups",
            "List a group's members.",
            arguments=("group_id",),
            columns=["user_id", "email", "created_at", "updated_at"],
            max_limit=1000,
            examples=(
                "claude-compliance groups members group_01… --all",
                "claude-compliance groups members group_01… --all --format csv",
            ),
        ),
    ],
)
