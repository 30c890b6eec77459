"""The eDiscovery export: one reproducible bundle with everything about some users.

:mod:`~claude_compliance.export.ediscovery` builds the bundle from the live API;
:mod:`~claude_compliance.export.transcript` renders a chat as readable Markdown (the bundle's
``transcript.md``, and ``chats get --markdown``).
"""

from __future__ import annotations

from .ediscovery import ExportQuery, ExportResult, UnknownUserError, export_ediscovery

__all__ = ["ExportQuery", "ExportResult", "UnknownUserError", "export_ediscovery"]
