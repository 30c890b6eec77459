"""Response models, one module per resource group; every public name is re-exported here."""

from .files import FileMetadata
from .projects import (
    Project,
    ProjectAttachment,
    ProjectDetail,
    ProjectDocAttachment,
    ProjectDocument,
    ProjectDocumentMetadata,
    ProjectFileAttachment,
)

__all__ = [
    "FileMetadata",
    "Project",
    "ProjectAttachment",
    "ProjectDetail",
    "ProjectDocAttachment",
    "ProjectDocument",
    "ProjectDocumentMetadata",
    "ProjectFileAttachment",
]
