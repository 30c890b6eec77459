"""Resource groups, one module each; every group has a sync and an async class."""

from .activities import Activities, AsyncActivities
from .artifacts import Artifacts, AsyncArtifacts
from .chats import AsyncChats, Chats
from .code_artifacts import AsyncCodeArtifacts, CodeArtifacts
from .files import AsyncFiles, Files
from .generated_files import AsyncGeneratedFiles, GeneratedFiles
from .groups import AsyncGroups, Groups
from .local_sessions import AsyncLocalSessions, LocalSessions
from .organizations import AsyncOrganizations, Organizations
from .project_documents import AsyncProjectDocuments, ProjectDocuments
from .projects import AsyncProjects, Projects
from .remote_sessions import AsyncRemoteSessions, RemoteSessions
from .roles import AsyncRoles, Roles

__all__ = [
    "Activities",
    "Artifacts",
    "AsyncActivities",
    "AsyncArtifacts",
    "AsyncChats",
    "AsyncCodeArtifacts",
    "AsyncFiles",
    "AsyncGeneratedFiles",
    "AsyncGroups",
    "AsyncLocalSessions",
    "AsyncOrganizations",
    "AsyncProjectDocuments",
    "AsyncProjects",
    "AsyncRemoteSessions",
    "AsyncRoles",
    "Chats",
    "CodeArtifacts",
    "Files",
    "GeneratedFiles",
    "Groups",
    "LocalSessions",
    "Organizations",
    "ProjectDocuments",
    "Projects",
    "RemoteSessions",
    "Roles",
]
