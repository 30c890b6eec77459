"""Small models shared by several resource groups."""

from __future__ import annotations

import dataclasses

from .._models import Model

__all__ = ["UserReference"]


@dataclasses.dataclass(kw_only=True)
class UserReference(Model):
    """A reference to a user, as embedded in chats, sessions and code artifacts.

    Attributes:
        id: User ID (``user_…``).
        email_address: Email address, or ``None`` where the endpoint does not resolve it.
        extra: Any additional fields the API adds in a later revision.
    """

    id: str
    email_address: str | None = None
