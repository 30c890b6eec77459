"""A stateful, seeded, local emulation of Anthropic's Compliance API.

Start one in-process with ``EmulatorServer`` (tests), or from a shell with
``python -m claude_compliance.emulator``. ``create_app`` returns the bare ASGI app.
"""

from .app import create_app
from .config import (
    ADMIN_KEY,
    FULL_KEY,
    READONLY_KEY,
    REVOKED_KEY,
    EmulatorConfig,
)
from .mutations import WorldMutator
from .server import EmulatorServer, serve
from .store import Blob, Store

__all__ = [
    "ADMIN_KEY",
    "FULL_KEY",
    "READONLY_KEY",
    "REVOKED_KEY",
    "Blob",
    "EmulatorConfig",
    "EmulatorServer",
    "Store",
    "WorldMutator",
    "create_app",
    "serve",
]
