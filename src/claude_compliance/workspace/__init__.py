"""The reviewer's workspace: a read-only, server-rendered web view of an archive.

``claude-compliance archive serve --to DIR`` runs it; :class:`WorkspaceServer` runs it in a
thread. Needs the ``workspace`` extra (Starlette, uvicorn, Jinja2).
"""

from __future__ import annotations

from .server import WorkspaceServer, serve_foreground

__all__ = ["WorkspaceServer", "serve_foreground"]
