"""Builds a coherent, seeded world into a ``Store``.

Same seed and sizes give a byte-identical world: every random choice comes from a
``random.Random`` seeded per section (so growing one section does not reshuffle another), ids are
hashes of (seed, kind, n), and timestamps are offsets from the start of the anchor's year
(``EmulatorConfig.anchor``, today unless pinned), never the wall clock at generation time.

The world: one parent organization with child organizations; users with memberships, roles and
preferences; RBAC roles and permissions; groups; effective settings; projects with documents,
files and collaborators; chats with messages, uploads, generated files and artifacts; local and
remote sessions; Claude Code artifacts; and an Activity Feed that refers to all of those.

Rows stream into the store in batches, so a million activities never sit in memory at once.
"""

from .base import api_key_id_for
from .world import WorldGenerator, build_world, world_signature

__all__ = ["WorldGenerator", "api_key_id_for", "build_world", "world_signature"]
