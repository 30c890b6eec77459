"""``projects`` and ``documents``: projects, their attachments, collaborators and documents."""

from __future__ import annotations

import click

from .app import CliState, command_group, pass_state
from .deletion import Deleter, add_delete
from .listing import ORG, USER, Getter, Listing, add_all, add_get, every_time
from .params import examples, format_option

__all__ = ["documents", "projects"]

PROJECT_COLUMNS = ["id", "name", "created_at", "updated_at", "is_private", "user.email_address"]
ATTACHMENT_COLUMNS = ["type", "id", "filename", "mime_type", "size_bytes", "created_at"]
COLLABORATOR_COLUMNS = ["type", "user_id", "group_id", "role", "granted_at"]


projects = command_group(
    "projects", "Projects: list, inspect, delete; their attachments and collaborators."
)


PROJECT_LIST = Listing(
    "list",
    "projects",
    "List projects, oldest first.",
    columns=PROJECT_COLUMNS,
    options=(ORG, USER),
    times=every_time("created_at", "updated_at"),
    max_limit=100,
    examples=(
        "claude-compliance projects list --since 30d",
        "claude-compliance projects list --user alice@example.com --all --format csv",
    ),
)

add_all(
    projects,
    [
        PROJECT_LIST,
        Getter(
            "get",
            "projects",
            "Show one project with its description, instructions and counts.",
            examples=(
                "claude-compliance projects get claude_proj_01…",
                "claude-compliance projects get claude_proj_01… --format json",
            ),
        ),
        Listing(
            "attachments",
            "projects",
            "List a project's files and documents.",
            arguments=("project_id",),
            columns=ATTACHMENT_COLUMNS,
            max_limit=100,
            examples=(
                "claude-compliance projects attachments claude_proj_01… --all",
                "claude-compliance projects attachments claude_proj_01… --all --format jsonl",
            ),
        ),
        Listing(
            "collaborators",
            "projects",
            "List who a project is shared with (one row per role assignment).",
            arguments=("project_id",),
            columns=COLLABORATOR_COLUMNS,
            max_limit=100,
            examples=(
                "claude-compliance projects collaborators claude_proj_01…",
                "claude-compliance projects collaborators claude_proj_01… --format csv",
            ),
        ),
    ],
)


add_delete(
    projects,
    Deleter(
        "projects",
        "projects",
        "Permanently delete projects (the server refuses while chats are attached).",
        selection=PROJECT_LIST,
        examples=(
            "claude-compliance projects delete claude_proj_01… --dry-run",
            "claude-compliance projects delete --user alice@example.com --until 2025-12-31",
        ),
    ),
)


documents = command_group("documents", "Project documents: text, metadata, delete.")


@examples(
    "claude-compliance documents get claude_proj_doc_01…",
    "claude-compliance documents get claude_proj_doc_01… --content-only > document.txt",
)
@documents.command("get")
@click.argument("document_id")
@click.option("--content-only", is_flag=True, help="Write only the document's text to stdout.")
@format_option
@pass_state
def get_document(state: CliState, document_id: str, content_only: bool) -> None:
    """Show a project document with its text."""
    document = state.client().project_documents.get(document_id)
    if content_only:
        state.output.stdout.write(document.content if isinstance(document.content, str) else "")
        state.output.stdout.flush()
        return
    state.output.one(document)


add_get(
    documents,
    Getter(
        "metadata",
        "project_documents",
        "Show a project document's metadata (project, size, MD5) without its text.",
        method="get_metadata",
        examples=(
            "claude-compliance documents metadata claude_proj_doc_01…",
            "claude-compliance documents metadata claude_proj_doc_01… --format json",
        ),
    ),
)


add_delete(
    documents,
    Deleter(
        "project_documents",
        "project documents",
        "Permanently delete project documents.",
        describe=lambda documents: documents.get_metadata,
        examples=(
            "claude-compliance documents delete claude_proj_doc_01… --dry-run",
            "claude-compliance documents delete - --yes < document-ids.txt",
        ),
    ),
)
