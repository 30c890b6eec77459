"""Models of the Local Sessions and Remote Sessions resource groups.

Local sessions ran on users' machines (Cowork, Claude Code, Office agents, …); remote sessions
ran in Anthropic-managed cloud (Cowork remote). Both list with page tokens only: follow
``next_page`` until it is ``None`` — a short or empty page is not the end. Their transcripts use
the chat content blocks ([`TextBlock`][claude_compliance.TextBlock] and friends).
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any, TypeVar

from .._models import Model, ModelValidationError
from .._pagination import TokenPage
from .._request import as_mapping
from .chats import ContentBlock
from .common import UserReference

S = TypeVar("S", bound=Model)

logger = logging.getLogger("claude_compliance")

__all__ = [
    "LocalSession",
    "LocalSessionMessage",
    "LocalSessionMessagePage",
    "MessageProvenance",
    "RemoteSession",
    "RemoteSessionMessage",
    "RemoteSessionMessagePage",
]


@dataclasses.dataclass(kw_only=True)
class LocalSession(Model):
    """A session that ran on a user's machine.

    Attributes:
        id: Session ID (``clls_…``).
        organization_uuid: The child organization's bare UUID.
        user: The user (``email_address`` is ``None`` on the messages endpoint).
        created_at: RFC 3339 time of the earliest *retained* inference call; it moves forward
            as calls age out, so dedupe by ``id``.
        updated_at: RFC 3339 time of the last retained call (on the list, a lower bound that can
            briefly lag).
        type: ``"compliance_local_session"``.
        workspace_id: Workspace ID (``wrkspc_…``), or ``None``.
        product_surface: Where it ran: ``cowork``, ``claude_code``, ``claude_science``,
            ``office_agents/excel`` and others (new values pass through), or ``None``.
        extra: Any additional fields the API adds in a later revision.
    """

    id: str
    organization_uuid: str | None = None
    user: UserReference | None = None
    created_at: str | None = None
    updated_at: str | None = None
    type: str | None = None
    workspace_id: str | None = None
    product_surface: str | None = None


@dataclasses.dataclass(kw_only=True)
class MessageProvenance(Model):
    """Where a local-session message's content came from, when it is not a plain capture.

    Attributes:
        type: ``"content_unavailable"`` (the message has no content), ``"client_asserted"``
            (assistant history supplied by the client) or ``"synthetic_marker"`` (a bracketed
            marker the server inserted).
        reason: Why content is unavailable: ``not_captured``, ``client_aborted``,
            ``cmek_key_revoked``, ``retention_elapsed``, ``oversize`` (new values pass
            through); ``None`` for the other types.
        extra: Any additional fields the API adds in a later revision.
    """

    type: str | None = None
    reason: str | None = None


@dataclasses.dataclass(kw_only=True)
class LocalSessionMessage(Model):
    """One message of a local session's transcript.

    Attributes:
        id: Message ID (``clsm_…``), stable while retained.
        role: ``"user"`` or ``"assistant"``.
        created_at: RFC 3339 time of the inference call it was reconstructed from (messages of
            one call share it).
        content: The content blocks (empty when content is unavailable).
        type: ``"compliance_local_session_message"``.
        model: The serving model for assistant turns, else ``None``.
        provenance: Set when the content is not a plain capture, else ``None``.
        extra: Any additional fields the API adds in a later revision.
    """

    id: str
    role: str | None = None
    created_at: str | None = None
    content: list[ContentBlock] | None = None
    type: str | None = None
    model: str | None = None
    provenance: MessageProvenance | None = None


@dataclasses.dataclass(kw_only=True)
class RemoteSession(Model):
    """A Cowork session that ran in Anthropic-managed cloud.

    Attributes:
        id: Session ID (``cse_…``).
        organization_uuid: The child organization's bare UUID.
        created_at: RFC 3339 creation time.
        updated_at: RFC 3339 last-update time.
        status: ``pending``, ``active``, ``paused``, ``archived`` or ``failed`` (new values
            pass through).
        user: The owning user, or ``None`` for agent-owned sessions.
        agent_id: The owning agent (``cagt_…``), or ``None`` for user-owned sessions.
        started_by_user: The person who triggered an agent-owned run, or ``None``.
        product_surface: ``"cowork_remote"``, or ``None`` for old sessions.
        claude_project_id: The project the session belongs to, or ``None``.
        extra: Any additional fields the API adds in a later revision.
    """

    id: str
    organization_uuid: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    status: str | None = None
    user: UserReference | None = None
    agent_id: str | None = None
    started_by_user: UserReference | None = None
    product_surface: str | None = None
    claude_project_id: str | None = None


@dataclasses.dataclass(kw_only=True)
class RemoteSessionMessage(Model):
    """One message (event) of a remote session's transcript.

    Attributes:
        id: Message ID (``csev_…``).
        role: ``"user"`` or ``"assistant"``.
        created_at: RFC 3339 commit time (may tie or invert; keep the server's order).
        content: The content blocks (empty when ``content_unavailable``).
        content_unavailable: True when the content could not be decrypted or was too large.
        sent_by_user_id: The user who sent it, on agent-owned sessions; else ``None``.
        extra: Any additional fields the API adds in a later revision.
    """

    id: str
    role: str | None = None
    created_at: str | None = None
    content: list[ContentBlock] | None = None
    content_unavailable: bool | None = None
    sent_by_user_id: str | None = None


def _session(body: Any, model: type[S]) -> S | None:
    session = as_mapping(body, "page").get("session")
    if session is None:
        return None
    try:
        return model.from_dict(session)
    except ModelValidationError as exc:
        logger.warning("a transcript page's session cannot be read (%s); left out", exc)
        return None


@dataclasses.dataclass
class LocalSessionMessagePage(TokenPage[LocalSessionMessage]):
    """One page of a local session's transcript, with the session itself.

    Attributes:
        session: The session (its ``user.email_address`` is always ``None`` here), or ``None``
            when the page did not carry a readable one.
    """

    session: LocalSession | None = dataclasses.field(default=None, kw_only=True)

    @staticmethod
    def decode(body: Any) -> LocalSessionMessagePage:
        """Turn a response body into a page."""
        page = TokenPage.decoder(LocalSessionMessage)(body)
        session = _session(body, LocalSession)
        return LocalSessionMessagePage(
            data=page.data, next_page=page.next_page, unreadable=page.unreadable, session=session
        )


@dataclasses.dataclass
class RemoteSessionMessagePage(TokenPage[RemoteSessionMessage]):
    """One page of a remote session's transcript, with the session itself.

    Attributes:
        session: The session (its ``user.email_address``, ``started_by_user`` and
            ``claude_project_id`` are always ``None`` here), or ``None`` when the page did not
            carry a readable one.
    """

    session: RemoteSession | None = dataclasses.field(default=None, kw_only=True)

    @staticmethod
    def decode(body: Any) -> RemoteSessionMessagePage:
        """Turn a response body into a page."""
        page = TokenPage.decoder(RemoteSessionMessage)(body)
        session = _session(body, RemoteSession)
        return RemoteSessionMessagePage(
            data=page.data, next_page=page.next_page, unreadable=page.unreadable, session=session
        )
