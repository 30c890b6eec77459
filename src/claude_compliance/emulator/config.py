"""Configuration of one emulator instance: the world to generate and how the server behaves."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Literal

ScopeErrorStyle = Literal["403", "401"]
MissingVersionPolicy = Literal["accept", "reject"]
RecordShapes = Literal["current", "sparse", "rev-j"]
SHAPES: tuple[RecordShapes, ...] = ("current", "sparse", "rev-j")

SCOPE_ACTIVITIES = "read:compliance_activities"
SCOPE_USER_DATA = "read:compliance_user_data"
SCOPE_DELETE = "delete:compliance_user_data"
SCOPE_ORG_DATA = "read:compliance_org_data"

FULL_KEY = "sk-ant-api01-emulator-full"
READONLY_KEY = "sk-ant-api01-emulator-readonly"
ADMIN_KEY = "sk-ant-admin01-emulator"
REVOKED_KEY = "sk-ant-api01-emulator-revoked"

BUILTIN_KEY_SCOPES: dict[str, tuple[str, ...]] = {
    FULL_KEY: (SCOPE_ACTIVITIES, SCOPE_USER_DATA, SCOPE_DELETE, SCOPE_ORG_DATA),
    READONLY_KEY: (SCOPE_ACTIVITIES, SCOPE_USER_DATA, SCOPE_ORG_DATA),
    ADMIN_KEY: (SCOPE_ACTIVITIES,),
}
"""Keys every emulator accepts, with their scopes. ``REVOKED_KEY`` is known but always 401s."""


@dataclass
class EmulatorConfig:
    """Everything that shapes one emulator: the seeded world and the server's behaviour.

    The defaults build a small but complete world in well under a second, which is what tests
    want. Scale runs raise the sizes and point ``db`` at a file.
    """

    seed: int = 1
    db: str | None = None
    """SQLite file to build the world in; ``None`` keeps it in memory."""
    anchor: date | None = None
    """The world's year of data ends at the start of this day (UTC); ``None`` means today, so
    "the last 30 days" finds data. Pin it for a reproducible world (the tests do)."""

    # -- world sizes ---------------------------------------------------------------------------
    orgs: int = 3
    """Child organizations under the one parent organization."""
    users: int = 30
    projects: int = 20
    chats: int = 80
    messages_per_chat: tuple[int, int] = (2, 8)
    """Inclusive range of messages generated per chat."""
    activities: int = 2000
    """Activities in the generated feed (at least the ones the objects themselves imply)."""
    local_sessions: int = 12
    remote_sessions: int = 10
    code_artifacts: int = 8
    groups: int = 5
    roles: int = 4
    """RBAC roles per organization."""

    # -- server behaviour ----------------------------------------------------------------------
    rpm: int = 600
    """Shared requests-per-minute budget of the parent organization; 0 = unlimited."""
    rate_window_s: int = 60
    """Length of the budget's window in seconds: ``rpm`` requests are allowed per window. The
    real API's is one minute; tests shorten it so that several windows pass quickly."""
    remote_sessions_rpm: int = 300
    """Secondary budget of the remote-session endpoints (a token bucket refilled at rpm/60 per
    second, bursting to ten seconds' worth); 0 = off."""
    latency_ms: int = 0
    """Delay added to every compliance request."""
    fault_rate: float = 0.0
    """Probability that a compliance request meets a random fault (5xx or dropped connection)."""
    scope_error_style: ScopeErrorStyle = "403"
    """``"403"``: newest ``permission_error``; ``"401"``: the Rev J ``authentication_error``."""
    missing_version: MissingVersionPolicy = "accept"
    """What a request without ``anthropic-version`` gets: served, or a 400."""
    shapes: RecordShapes = "current"
    """How records are rendered: ``"current"`` (the newest reference, nulls sent), ``"sparse"``
    (absent optionals omitted, deprecated fields dropped) or ``"rev-j"`` (the Rev J shapes); see
    :mod:`claude_compliance.emulator.shapes`."""
    ingestion_delay_s: float = 0.0
    """Seconds before a recorded ``compliance_api_accessed`` activity becomes visible."""
    access_activities: bool = True
    """Record every compliance request as an activity; False keeps reads side-effect free."""
    local_sessions_available: bool = True
    """False makes every local-session call 404 ``Local sessions are not available.``, as while
    the feature is not yet enabled for a parent organization."""
    api_keys: dict[str, tuple[str, ...]] = field(default_factory=dict)
    control_token: str | None = None
    """When set, the ``/_emulator/`` control API answers only requests carrying it in
    ``x-emulator-control-token`` (needed whenever the emulator listens beyond loopback)."""
    """Extra keys (key -> scopes) accepted in addition to the built-in ones."""

    def world_start_us(self) -> int:
        """Where the generated year begins: one year (365 days) before the anchor day."""
        end = self.anchor or datetime.now(UTC).date()
        start = datetime(end.year, end.month, end.day, tzinfo=UTC) - timedelta(days=365)
        return int(start.timestamp()) * 1_000_000

    def key_scopes(self) -> dict[str, tuple[str, ...]]:
        """All accepted keys with their scopes (built-in keys first, then extras)."""
        return {**BUILTIN_KEY_SCOPES, **self.api_keys}

    def validate(self) -> None:
        """Raise ``ValueError`` for a configuration that cannot describe a world."""
        for name in (
            "orgs",
            "users",
            "projects",
            "chats",
            "activities",
            "local_sessions",
            "remote_sessions",
            "code_artifacts",
            "groups",
            "roles",
            "rpm",
            "remote_sessions_rpm",
            "latency_ms",
        ):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        if self.rate_window_s < 1:
            raise ValueError("rate_window_s must be at least 1")
        if self.orgs < 1 or self.users < 1:
            raise ValueError("a world needs at least one child organization and one user")
        low, high = self.messages_per_chat
        if low < 1 or high < low:
            raise ValueError("messages_per_chat must be a range (low, high) with 1 <= low <= high")
        if not 0.0 <= self.fault_rate <= 1.0:
            raise ValueError("fault_rate must be between 0 and 1")
        if self.scope_error_style not in ("403", "401"):
            raise ValueError('scope_error_style must be "403" or "401"')
        if self.missing_version not in ("accept", "reject"):
            raise ValueError('missing_version must be "accept" or "reject"')
        if self.shapes not in SHAPES:
            raise ValueError(f"shapes must be one of {', '.join(SHAPES)}")
