"""Models of the Projects and Project Documents resource groups."""

from __future__ import annotations

import dataclasses
from typing import Any

from .._models import NOT_SENT, Model, UnionModel

__all__ = [
    "GroupCollaborator",
    "OrganizationCollaborator",
    "OrganizationRoleCollaborator",
    "Project",
    "ProjectAttachment",
    "ProjectCollaborator",
    "ProjectDetail",
    "ProjectDocAttachment",
    "ProjectDocument",
    "ProjectDocumentMetadata",
    "ProjectFileAttachment",
    "UserCollaborator",
]


@dataclasses.dataclass(kw_only=True)
class Project(Model):
    """A single Compliance API project (list-shape).

    Use [`Projects.get`][claude_compliance.Projects.get] to fetch the richer
    [`ProjectDetail`][claude_compliance.ProjectDetail].

    Only ``id`` is required: any other field a record lacks reads as ``None`` and stays absent
    from ``to_dict()`` (the annotations are those of the published contract).

    Attributes:
        id: Tagged project identifier (``claude_proj_...``).
        name: Project name.
        created_at: RFC 3339 creation timestamp.
        updated_at: RFC 3339 last-update timestamp.
        organization_id: Owning organisation's tagged ID. Deprecated by the API; may be absent
            (then ``None``).
        is_private: True when the project is visible only to the creator and specified
            collaborators.
        user: Creator info (``id``, ``email_address``) or ``None`` when the creator's account has
            been deleted. Kept as a raw dict.
        deleted_at: RFC 3339 time the end user deleted the project, or ``None``. Newer API field;
            absent from older responses.
        organization_uuid: Owning organisation's bare UUID. Newer API field.
        extra: Any additional fields the API adds in a later revision.
    """

    id: str
    name: str = NOT_SENT
    created_at: str = NOT_SENT
    updated_at: str = NOT_SENT
    organization_id: str | None = None
    is_private: bool = NOT_SENT
    user: dict[str, Any] | None = None
    deleted_at: str | None = None
    organization_uuid: str | None = None


@dataclasses.dataclass(kw_only=True)
class ProjectDetail(Project):
    """Detail view of a project, returned by [`Projects.get`][claude_compliance.Projects.get].

    Inherits every [`Project`][claude_compliance.Project] field and adds four counts / text fields
    that the list endpoint omits.

    Attributes:
        description: Free-form project description.
        instructions: Project's custom instructions / prompt.
        chats_count: Number of chats inside the project.
        attachments_count: Number of files + documents attached.
    """

    description: str = NOT_SENT
    instructions: str = NOT_SENT
    chats_count: int = NOT_SENT
    attachments_count: int = NOT_SENT


@dataclasses.dataclass(kw_only=True)
class ProjectAttachment(UnionModel):
    """An attachment on a project — either a binary file or a doc.

    Discriminate on ``type``:

    * ``"project_file"`` — binary file
      ([`ProjectFileAttachment`][claude_compliance.ProjectFileAttachment]). Download via the
      [`Files`][claude_compliance.Files] resource using ``id`` as ``claude_file_id``.
    * ``"project_doc"`` — plain-text document
      ([`ProjectDocAttachment`][claude_compliance.ProjectDocAttachment]). Fetch contents via
      [`ProjectDocuments.get`][claude_compliance.ProjectDocuments.get] using ``id`` as the
      document ID.

    An attachment of a type this SDK does not know yet parses as a plain ``ProjectAttachment``.

    Attributes:
        type: Discriminator string. ``"project_file"`` or ``"project_doc"``.
        id: Attachment identifier (``claude_file_...`` or ``claude_proj_doc_...``).
        created_at: RFC 3339 creation timestamp.
        filename: Display name.
        mime_type: MIME type. ``"text/plain"`` for project docs; otherwise whatever the user
            uploaded.
        extra: Any additional fields the API adds in a later revision.
    """

    type: str
    id: str
    created_at: str = NOT_SENT
    filename: str = NOT_SENT
    mime_type: str = NOT_SENT


@dataclasses.dataclass(kw_only=True)
class ProjectFileAttachment(ProjectAttachment, discriminator="project_file"):
    """A binary file attached to a project (``type == "project_file"``).

    Attributes:
        size_bytes: Size in bytes, or ``None`` when unknown.
        md5: Lower-hex MD5 of the downloadable content, or ``None``.
    """

    size_bytes: int | None = None
    md5: str | None = None


@dataclasses.dataclass(kw_only=True)
class ProjectDocAttachment(ProjectAttachment, discriminator="project_doc"):
    """A plain-text document attached to a project (``type == "project_doc"``).

    Attributes:
        updated_at: Reserved by the API; always ``None`` today.
    """

    updated_at: str | None = None


@dataclasses.dataclass(kw_only=True)
class ProjectDocument(Model):
    """A project document with its text, returned by
    [`ProjectDocuments.get`][claude_compliance.ProjectDocuments.get].

    Attributes:
        id: Document identifier (``claude_proj_doc_...``).
        filename: Display name.
        content: The document's full text.
        created_at: RFC 3339 creation timestamp.
        user: Uploader info (``id``, ``email_address``) or ``None`` when unavailable.
        extra: Any additional fields the API adds in a later revision.
    """

    id: str
    filename: str | None = None
    content: str | None = None
    created_at: str | None = None
    user: dict[str, Any] | None = None


@dataclasses.dataclass(kw_only=True)
class ProjectDocumentMetadata(Model):
    """A project document's metadata without its text.

    Attributes:
        id: Document identifier (``claude_proj_doc_...``).
        claude_project_id: The project the document belongs to.
        filename: Display name.
        mime_type: Always ``"text/plain"``.
        size_bytes: Size of the UTF-8 content in bytes.
        md5: Lower-hex MD5 of the UTF-8 content.
        created_at: RFC 3339 creation timestamp.
        user: Uploader info or ``None``.
        extra: Any additional fields the API adds in a later revision.
    """

    id: str
    claude_project_id: str | None = None
    filename: str | None = None
    mime_type: str | None = None
    size_bytes: int | None = None
    md5: str | None = None
    created_at: str | None = None
    user: dict[str, Any] | None = None


@dataclasses.dataclass(kw_only=True)
class ProjectCollaborator(UnionModel):
    """One active role assignment on a project, discriminated by ``type``.

    Variants: [`UserCollaborator`][claude_compliance.UserCollaborator] (``"user"``),
    [`GroupCollaborator`][claude_compliance.GroupCollaborator] (``"group"``),
    [`OrganizationCollaborator`][claude_compliance.OrganizationCollaborator]
    (``"organization"``) and
    [`OrganizationRoleCollaborator`][claude_compliance.OrganizationRoleCollaborator]
    (``"organization_role"``). A collaborator of a type this SDK does not know parses as a plain
    ``ProjectCollaborator``.

    Attributes:
        type: Who holds the role.
        role: The project role: ``"admin"``, ``"editor"``, ``"owner"`` or ``"viewer"``.
        granted_at: RFC 3339 time the role was granted.
        extra: Fields this SDK does not model, kept as sent.
    """

    type: str
    role: str | None = None
    granted_at: str | None = None


@dataclasses.dataclass(kw_only=True)
class UserCollaborator(ProjectCollaborator, discriminator="user"):
    """A role held by one user (``type == "user"``).

    Attributes:
        user_id: The user's ID, or ``None`` when the account was deleted.
    """

    user_id: str | None = None


@dataclasses.dataclass(kw_only=True)
class GroupCollaborator(ProjectCollaborator, discriminator="group"):
    """A role held by a group (``type == "group"``).

    Attributes:
        group_id: The group's ID (``rbac_group_…``).
    """

    group_id: str | None = None


@dataclasses.dataclass(kw_only=True)
class OrganizationCollaborator(ProjectCollaborator, discriminator="organization"):
    """A role held by everyone in an organization (``type == "organization"``).

    Attributes:
        organization_uuid: The organization's bare UUID.
    """

    organization_uuid: str | None = None


@dataclasses.dataclass(kw_only=True)
class OrganizationRoleCollaborator(ProjectCollaborator, discriminator="organization_role"):
    """A role held by everyone with a built-in organization role (``"organization_role"``).

    Attributes:
        organization_role: The organization role, e.g. ``"admin"``.
    """

    organization_role: str | None = None
