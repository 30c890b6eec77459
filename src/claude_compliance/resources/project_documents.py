"""Project Documents resource group: the text documents attached to projects.

* ``GET /v1/compliance/apps/projects/documents/{document_id}`` — the document with its text.
* ``GET /v1/compliance/apps/projects/documents/{document_id}/metadata`` — size, MD5, project.
* ``DELETE /v1/compliance/apps/projects/documents/{document_id}`` — hard delete.
"""

from __future__ import annotations

from typing import Unpack

from .._request import CallOptions, JsonCall, delete, get_json
from .._resource import AsyncResource, Endpoint, SyncResource
from ..models import ProjectDocument, ProjectDocumentMetadata

__all__ = ["AsyncProjectDocuments", "ProjectDocuments"]

_DOCUMENT = "/apps/projects/documents/{document_id}"


def _get(document_id: str, **options: Unpack[CallOptions]) -> JsonCall[ProjectDocument]:
    """Fetch a project document with its full text.

    Parameters:
        document_id: The document's ID (``claude_proj_doc_…``), as listed by
            ``projects.list_attachments``.

    Raises:
        NotFoundError: When the document does not exist or was deleted.
        APIError: For any other non-2xx response.
    """
    return get_json(_DOCUMENT, ProjectDocument.from_dict, document_id=document_id)


def _get_metadata(
    document_id: str, **options: Unpack[CallOptions]
) -> JsonCall[ProjectDocumentMetadata]:
    """Fetch a project document's metadata (project, size and MD5 of its text) without the text.

    Raises:
        NotFoundError: When the document does not exist or was deleted.
        APIError: For any other non-2xx response.
    """
    return get_json(
        _DOCUMENT + "/metadata", ProjectDocumentMetadata.from_dict, document_id=document_id
    )


def _delete(document_id: str, **options: Unpack[CallOptions]) -> JsonCall[None]:
    """Hard-delete a project document. Returns ``None``; a retry that finds it gone succeeds.

    Raises:
        NotFoundError: When the document does not exist or was already deleted.
        APIError: For any other non-2xx response.
    """
    return delete(_DOCUMENT, document_id=document_id)


class _ProjectDocumentsEndpoints:
    """The ProjectDocuments endpoints, one table for both clients."""

    get = Endpoint(_get)
    get_metadata = Endpoint(_get_metadata)
    delete = Endpoint(_delete)


class ProjectDocuments(SyncResource, _ProjectDocumentsEndpoints):
    """Synchronous client for the Project Documents endpoints."""


class AsyncProjectDocuments(AsyncResource, _ProjectDocumentsEndpoints):
    """Asynchronous client for the Project Documents endpoints."""
