"""The whole world, section by section, and the entry point that builds (or reuses) it."""

from __future__ import annotations

import json

from ..config import EmulatorConfig
from ..store import Store
from .chats import ChatSections
from .directory import DirectorySections
from .feed import FeedSection
from .projects import ProjectSections
from .sessions import SessionSections


class WorldGenerator(
    DirectorySections, ProjectSections, ChatSections, SessionSections, FeedSection
):
    """Generates the world described by an ``EmulatorConfig`` into a ``Store``."""

    def generate(self) -> None:
        """Build the whole world; sections run in a fixed order."""
        self._organizations()
        self._users()
        self._roles()
        self._groups()
        self._settings()
        self._projects()
        self._chats()
        self._local_sessions()
        self._remote_sessions()
        self._code_artifacts()
        self._background_activities()
        self.out.flush()


WORLD_VERSION = "2"
"""Bump when generation changes, so a file database built by an older emulator is rebuilt."""


def world_signature(config: EmulatorConfig) -> str:
    """Identifies the world a config generates (seed, sizes, generator version)."""
    return json.dumps(
        {
            "version": WORLD_VERSION,
            "seed": config.seed,
            "start": config.world_start_us(),
            "sizes": [
                config.orgs,
                config.users,
                config.projects,
                config.chats,
                list(config.messages_per_chat),
                config.activities,
                config.local_sessions,
                config.remote_sessions,
                config.code_artifacts,
                config.groups,
                config.roles,
            ],
        },
        sort_keys=True,
    )


def build_world(config: EmulatorConfig, store: Store | None = None) -> Store:
    """Return a store holding the world of ``config`` (generated unless already present)."""
    config.validate()
    store = store or Store(config.db)
    signature = world_signature(config)
    existing = store.get_meta("world_signature")
    if existing == signature:
        return store
    if existing is not None:
        raise ValueError(
            f"the database {config.db!r} holds a different world; remove it or use another path"
        )
    WorldGenerator(config, store).generate()
    store.set_meta("world_signature", signature)
    return store
