"""The ``claude-compliance`` console script, kept importable without the ``cli`` extra.

The base install depends on ``httpx2`` alone; the command line needs Click and Rich. Without
them the script says which extra to install instead of ending in a traceback.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Run the CLI, or explain how to install it."""
    try:
        from .cli import main as run_cli
    except ModuleNotFoundError as missing:
        if missing.name not in {"click", "rich"}:
            raise
        print(
            "claude-compliance: the command line needs the 'cli' extra: "
            "pip install 'claude-compliance[cli]'",
            file=sys.stderr,
        )
        sys.exit(2)
    run_cli()
