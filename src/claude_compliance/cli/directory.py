"""``orgs``, ``users``, ``user-preferences``, ``roles`` and ``groups``: the organization's
directory."""

from __future__ import annotations

import click

from .app import CliState, pass_state
from .params import format_option, list_options, paged

__all__ = ["groups", "orgs", "roles", "user_preferences", "users"]


@click.group()
def orgs() -> None:
    """Organizations under the key's parent organization."""


@orgs.command("list")
@list_options(max_limit=1000)
@pass_state
def list_orgs(state: CliState, fetch_all: bool, limit: int | None, page: str | None) -> None:
    """List organizations, oldest first."""
    client = state.client()
    paged(
        state,
        fetch_all=fetch_all,
        iterate=lambda: client.organizations.iter(limit=limit),
        one_page=lambda: client.organizations.list(limit=limit, page=page),
        columns=["uuid", "name", "created_at"],
    )


@orgs.command("settings")
@click.argument("org_uuid")
@click.option("--keys", "show_keys", is_flag=True, help="List the Compliance API keys instead.")
@format_option
@pass_state
def org_settings(state: CliState, org_uuid: str, show_keys: bool) -> None:
    """Show an organization's effective settings (ORG_UUID is the bare UUID)."""
    settings = state.client().organizations.get_settings(org_uuid).to_dict()
    if show_keys:
        state.output.many(
            settings.get("api_keys") or [],
            columns=["id", "name", "scopes", "is_active", "created_at", "expires_at"],
        )
    elif state.output.format == "table":
        state.output.many(settings.get("settings") or [], columns=["name", "type", "value"])
    else:
        state.output.one(settings)


@click.group()
def users() -> None:
    """Members of an organization."""


@users.command("list")
@click.argument("org_uuid")
@list_options(max_limit=1000)
@pass_state
def list_users(
    state: CliState, org_uuid: str, fetch_all: bool, limit: int | None, page: str | None
) -> None:
    """List an organization's current members, by join date."""
    client = state.client()
    paged(
        state,
        fetch_all=fetch_all,
        iterate=lambda: client.organizations.iter_users(org_uuid, limit=limit),
        one_page=lambda: client.organizations.list_users(org_uuid, limit=limit, page=page),
        columns=["id", "email", "full_name", "organization_role", "created_at"],
    )


@click.command("user-preferences")
@click.argument("org_uuid")
@click.option(
    "--include-unset", is_flag=True, help="List every member, with nulls for unset values."
)
@list_options(max_limit=100)
@pass_state
def user_preferences(
    state: CliState,
    org_uuid: str,
    include_unset: bool,
    fetch_all: bool,
    limit: int | None,
    page: str | None,
) -> None:
    """List members' personal instructions for Claude in an organization."""
    client = state.client()
    unset = include_unset or None
    organizations = client.organizations
    paged(
        state,
        fetch_all=fetch_all,
        iterate=lambda: organizations.iter_user_preferences(
            org_uuid, include_unset=unset, limit=limit
        ),
        one_page=lambda: organizations.list_user_preferences(
            org_uuid, include_unset=unset, limit=limit, page=page
        ),
    )


@click.group()
def roles() -> None:
    """RBAC roles of an organization, and their permissions."""


@roles.command("list")
@click.argument("org_uuid")
@list_options(max_limit=1000)
@pass_state
def list_roles(
    state: CliState, org_uuid: str, fetch_all: bool, limit: int | None, page: str | None
) -> None:
    """List an organization's roles."""
    client = state.client()
    paged(
        state,
        fetch_all=fetch_all,
        iterate=lambda: client.roles.iter(org_uuid, limit=limit),
        one_page=lambda: client.roles.list(org_uuid, limit=limit, page=page),
        columns=["id", "name", "description", "created_at", "updated_at"],
    )


@roles.command("get")
@click.argument("org_uuid")
@click.argument("role_id")
@format_option
@pass_state
def get_role(state: CliState, org_uuid: str, role_id: str) -> None:
    """Show one role."""
    state.output.one(state.client().roles.get(org_uuid, role_id))


@roles.command("permissions")
@click.argument("org_uuid")
@click.argument("role_id")
@list_options(max_limit=1000)
@pass_state
def role_permissions(
    state: CliState,
    org_uuid: str,
    role_id: str,
    fetch_all: bool,
    limit: int | None,
    page: str | None,
) -> None:
    """List what a role allows."""
    client = state.client()
    paged(
        state,
        fetch_all=fetch_all,
        iterate=lambda: client.roles.iter_permissions(org_uuid, role_id, limit=limit),
        one_page=lambda: client.roles.list_permissions(org_uuid, role_id, limit=limit, page=page),
        columns=["action", "resource_type", "resource_id"],
    )


@click.group()
def groups() -> None:
    """Groups (directly created or synced by SCIM) and their members."""


@groups.command("list")
@click.option("--name-prefix", help="Only groups whose name starts with this.")
@list_options(max_limit=1000)
@pass_state
def list_groups(
    state: CliState, name_prefix: str | None, fetch_all: bool, limit: int | None, page: str | None
) -> None:
    """List groups."""
    client = state.client()
    paged(
        state,
        fetch_all=fetch_all,
        iterate=lambda: client.groups.iter(name_prefix=name_prefix, limit=limit),
        one_page=lambda: client.groups.list(name_prefix=name_prefix, limit=limit, page=page),
        columns=["id", "name", "source_type", "roles", "created_at"],
    )


@groups.command("get")
@click.argument("group_id")
@format_option
@pass_state
def get_group(state: CliState, group_id: str) -> None:
    """Show one group."""
    state.output.one(state.client().groups.get(group_id))


@groups.command("members")
@click.argument("group_id")
@list_options(max_limit=1000)
@pass_state
def group_members(
    state: CliState, group_id: str, fetch_all: bool, limit: int | None, page: str | None
) -> None:
    """List a group's members."""
    client = state.client()
    paged(
        state,
        fetch_all=fetch_all,
        iterate=lambda: client.groups.iter_members(group_id, limit=limit),
        one_page=lambda: client.groups.list_members(group_id, limit=limit, page=page),
        columns=["user_id", "email", "created_at", "updated_at"],
    )
