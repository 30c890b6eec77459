"""Resource groups, one module each; every group has a sync and an async class."""

from .files import AsyncFiles, Files
from .project_documents import AsyncProjectDocuments, ProjectDocuments
from .projects import AsyncProjects, Projects

__all__ = [
    "AsyncFiles",
    "AsyncProjectDocuments",
    "AsyncProjects",
    "Files",
    "ProjectDocuments",
    "Projects",
]
