"""``projects`` and ``documents``: projects, their attachments, collaborators and documents."""

from __future__ import annotations

from typing import Any

import click

from .app import CliState, pass_state
from .deletion import delete_each
from .params import destructive_options, format_option, list_options, paged, time_filters

__all__ = ["documents", "projects"]

PROJECT_COLUMNS = ["id", "name", "created_at", "updated_at", "is_private", "user.email_address"]
ATTACHMENT_COLUMNS = ["type", "id", "filename", "mime_type", "size_bytes", "created_at"]
COLLABORATOR_COLUMNS = ["type", "user_id", "group_id", "role", "granted_at"]


@click.group()
def projects() -> None:
    """Projects: list, inspect, delete; their attachments and collaborators."""


@projects.command("list")
@click.option("--org", "organization_ids", multiple=True, help="Organization id (repeatable).")
@click.option("--user", "user_ids", multiple=True, help="Creator user id (repeatable).")
@time_filters("created_at", "updated_at")
@list_options(max_limit=100)
@pass_state
def list_projects(
    state: CliState,
    /,
    organization_ids: tuple[str, ...],
    user_ids: tuple[str, ...],
    fetch_all: bool,
    limit: int | None,
    page: str | None,
    **times: str | None,
) -> None:
    """List projects, oldest first."""
    filters: dict[str, Any] = dict(
        organization_ids=list(organization_ids) or None,
        user_ids=list(user_ids) or None,
        limit=limit,
        **times,
    )
    client = state.client()
    paged(
        state,
        fetch_all=fetch_all,
        iterate=lambda: client.projects.iter(**filters),
        one_page=lambda: client.projects.list(page=page, **filters),
        columns=PROJECT_COLUMNS,
    )


@projects.command("get")
@click.argument("project_id")
@format_option
@pass_state
def get_project(state: CliState, project_id: str) -> None:
    """Show one project with its description, instructions and counts."""
    state.output.one(state.client().projects.get(project_id))


@projects.command("delete")
@click.argument("project_ids", nargs=-1, required=True)
@destructive_options
@pass_state
def delete_projects(
    state: CliState, project_ids: tuple[str, ...], yes: bool, dry_run: bool
) -> None:
    """Permanently delete projects (the server refuses while chats are attached)."""
    client = state.client()
    delete_each(
        state,
        what="projects",
        ids=list(project_ids),
        delete=client.projects.delete,
        describe=client.projects.get,
        yes=yes,
        dry_run=dry_run,
    )


@projects.command("attachments")
@click.argument("project_id")
@list_options(max_limit=100)
@pass_state
def project_attachments(
    state: CliState, project_id: str, fetch_all: bool, limit: int | None, page: str | None
) -> None:
    """List a project's files and documents."""
    client = state.client()
    paged(
        state,
        fetch_all=fetch_all,
        iterate=lambda: client.projects.iter_attachments(project_id, limit=limit),
        one_page=lambda: client.projects.list_attachments(project_id, limit=limit, page=page),
        columns=ATTACHMENT_COLUMNS,
    )


@projects.command("collaborators")
@click.argument("project_id")
@list_options(max_limit=100)
@pass_state
def project_collaborators(
    state: CliState, project_id: str, fetch_all: bool, limit: int | None, page: str | None
) -> None:
    """List who a project is shared with (one row per role assignment)."""
    client = state.client()
    paged(
        state,
        fetch_all=fetch_all,
        iterate=lambda: client.projects.iter_collaborators(project_id, limit=limit),
        one_page=lambda: client.projects.list_collaborators(project_id, limit=limit, page=page),
        columns=COLLABORATOR_COLUMNS,
    )


@click.group()
def documents() -> None:
    """Project documents: text, metadata, delete."""


@documents.command("get")
@click.argument("document_id")
@click.option("--content-only", is_flag=True, help="Write only the document's text to stdout.")
@format_option
@pass_state
def get_document(state: CliState, document_id: str, content_only: bool) -> None:
    """Show a project document with its text."""
    document = state.client().project_documents.get(document_id)
    if content_only:
        state.output.stdout.write(document.content)
        state.output.stdout.flush()
        return
    state.output.one(document)


@documents.command("metadata")
@click.argument("document_id")
@format_option
@pass_state
def document_metadata(state: CliState, document_id: str) -> None:
    """Show a project document's metadata (project, size, MD5) without its text."""
    state.output.one(state.client().project_documents.get_metadata(document_id))


@documents.command("delete")
@click.argument("document_ids", nargs=-1, required=True)
@destructive_options
@pass_state
def delete_documents(
    state: CliState, document_ids: tuple[str, ...], yes: bool, dry_run: bool
) -> None:
    """Permanently delete project documents."""
    client = state.client()
    delete_each(
        state,
        what="project documents",
        ids=list(document_ids),
        delete=client.project_documents.delete,
        describe=client.project_documents.get_metadata,
        yes=yes,
        dry_run=dry_run,
    )
