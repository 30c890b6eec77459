"""A stateful, seeded, local emulation of Anthropic's Compliance API.

Start one in-process with ``EmulatorServer`` (tests), or from a shell with
``python -m claude_compliance.emulator``. ``create_app`` returns the bare ASGI app.
"""

try:
    import starlette  # noqa: F401 - imported first only to check the extra is installed
    import uvicorn  # noqa: F401
except ModuleNotFoundError as missing:  # pragma: no cover - depends on the install
    raise ModuleNotFoundError(
        "the emulator needs the 'emulator' extra: pip install 'claude-compliance[emulator]'",
        name=missing.name,
    ) from missing

from .app import create_app
from .config import ADMIN_KEY, FULL_KEY, READONLY_KEY, REVOKED_KEY, EmulatorConfig
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
