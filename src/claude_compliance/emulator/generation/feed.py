"""The rest of the Activity Feed: sign-ins, views, admin and machine work of every actor type."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from .. import actors
from ..config import FULL_KEY, READONLY_KEY
from ..timeutil import WORLD_DAYS
from .base import MINUTE_US, GeneratorBase, UserRef, api_key_id_for


class FeedSection(GeneratorBase):
    """Fills the Activity Feed up to its configured size with everyday activities."""

    def _background_activities(self) -> None:
        rng = self._rng("activities")
        builders = _background_builders(self)
        coverage = [builder for builder in builders if builder[2]]
        for _, build, _ in coverage:
            build(rng, self._moment(rng, 0, WORLD_DAYS))
        weights = [weight for weight, _, _ in builders]
        remaining = self.config.activities - self.activity_count
        for _ in range(max(0, remaining)):
            _, build, _ = rng.choices(builders, weights)[0]
            build(rng, self._moment(rng, 0, WORLD_DAYS))


Builder = Callable[[random.Random, int], None]


def _background_builders(gen: GeneratorBase) -> list[tuple[float, Builder, bool]]:
    """Weighted activity builders: ``(weight, build, covers_an_actor_type)``.

    The builders flagged as covering an actor type run once each before the weighted fill, so
    every actor type of the spec appears in every world.
    """
    seed = gen.seed
    users = gen.users
    parent = gen.orgs[0]

    def some_user(rng: random.Random) -> UserRef:
        return gen._any_user(rng)[1]

    def chat_viewed(rng: random.Random, ts: int) -> None:
        if not gen.refs.chats:
            return sign_in(rng, ts)
        chat_id, chat_ts, owner_index, project_id = rng.choice(gen.refs.chats)
        owner = users[owner_index]
        kind = "claude_chat_viewed" if rng.random() < 0.85 else "claude_chat_updated"
        fields = {"claude_chat_id": chat_id, "claude_project_id": project_id}
        when = max(ts, chat_ts + MINUTE_US)
        gen.activity(when, kind, gen.actor_for(rng, owner), owner.org, fields)

    def project_viewed(rng: random.Random, ts: int) -> None:
        if not gen.refs.projects:
            return sign_in(rng, ts)
        project_id, project_ts, owner_index = rng.choice(gen.refs.projects)
        viewer = users[owner_index]
        fields = {"claude_project_id": project_id, "preview_only": rng.random() < 0.2}
        when = max(ts, project_ts + MINUTE_US)
        gen.activity(when, "claude_project_viewed", gen.actor_for(rng, viewer), viewer.org, fields)

    def file_viewed(rng: random.Random, ts: int) -> None:
        if not gen.refs.files:
            return sign_in(rng, ts)
        file_id, filename, file_ts, _, project_id = rng.choice(gen.refs.files)
        viewer = some_user(rng)
        fields = {
            "claude_file_id": file_id,
            "claude_artifact_id": None,
            "claude_project_id": project_id,
            "filename": filename,
        }
        when = max(ts, file_ts + MINUTE_US)
        gen.activity(when, "claude_file_viewed", gen.actor_for(rng, viewer), viewer.org, fields)

    def artifact_viewed(rng: random.Random, ts: int) -> None:
        if not gen.refs.artifacts:
            return sign_in(rng, ts)
        artifact_id, version_id, artifact_ts, _ = rng.choice(gen.refs.artifacts)
        viewer = some_user(rng)
        fields = {"claude_artifact_id": artifact_id, "claude_artifact_version_id": version_id}
        when = max(ts, artifact_ts + MINUTE_US)
        gen.activity(when, "claude_artifact_viewed", gen.actor_for(rng, viewer), viewer.org, fields)

    def sign_in(rng: random.Random, ts: int) -> None:
        user = some_user(rng)
        actor = gen.actor_for(rng, user)
        choice = rng.random()
        if choice < 0.6:
            gen.activity(
                ts,
                "sso_login_succeeded",
                actor,
                None,
                {"auth_method": "sso", "mfa_method": "not_used"},
            )
        elif choice < 0.8:
            provider = rng.choice(("google", "apple", "microsoft"))
            fields = {"provider": provider, "auth_method": "social", "mfa_method": "not_used"}
            gen.activity(ts, "social_login_succeeded", actor, None, fields)
        else:
            magic = {"auth_method": "magic_link", "mfa_method": None}
            gen.activity(ts, "magic_link_login_succeeded", actor, None, magic)

    def sign_out(rng: random.Random, ts: int) -> None:
        user = some_user(rng)
        gen.activity(ts, "user_logged_out", gen.actor_for(rng, user), None, {})

    def failed_login(rng: random.Random, ts: int) -> None:
        email = rng.choice((some_user(rng).email, "mallory@evil.example", None))
        kind = rng.choice(("sso_login_failed", "magic_link_login_initiated", "sso_login_initiated"))
        gen.activity(ts, kind, actors.unauthenticated_user_actor(rng, email), None, {})

    def old_api_call(rng: random.Random, ts: int) -> None:
        key = rng.choice((FULL_KEY, READONLY_KEY))
        path = rng.choice(("/v1/compliance/activities", "/v1/compliance/apps/chats"))
        fields = {
            "request_id": f"req_{gen._id('', f'req:{ts}')}",
            "url": f"https://api.anthropic.com{path}?limit=100",
            "request_method": "GET",
            "status_code": rng.choice((200, 200, 200, 429)),
            "request_body": None,
        }
        actor = actors.api_actor(api_key_id_for(seed, key), "198.51.100.7", "python-httpx/0.27.0")
        gen.activity(ts, "compliance_api_accessed", actor, None, fields)

    def settings_changed(rng: random.Random, ts: int) -> None:
        actor = rng.choice((gen.actor_for(rng, users[0]), actors.anthropic_actor()))
        update = {"type": "web_search_enabled", "current_value": True, "previous_value": False}
        gen.activity(
            ts, "claude_organization_settings_updated", actor, parent, {"updates": [update]}
        )

    def export_completed(rng: random.Random, ts: int) -> None:
        fields = {"export_type": rng.choice(("conversations", "workbench"))}
        gen.activity(ts, "org_data_export_completed", actors.anthropic_actor(), parent, fields)

    def scim(rng: random.Random, ts: int) -> None:
        user = some_user(rng)
        kind = rng.choice(("scim_user_created", "scim_user_updated", "scim_user_deleted"))
        gen.activity(
            ts, kind, actors.scim_directory_sync_actor(rng), user.org, {"user_id": user.id}
        )

    def admin_key(rng: random.Random, ts: int) -> None:
        actor = actors.admin_api_key_actor(rng, gen._id("apikey_", "admin"))
        workspace = gen._id("wrkspc_", rng.randrange(3))
        gen.activity(ts, "platform_workspace_created", actor, parent, {"workspace_id": workspace})

    def system(rng: random.Random, ts: int) -> None:
        fields = {"reason": "org_member_removed", "revoked_count": 1, "trusted_device_id": None}
        actor = actors.system_actor("device-trust-reaper")
        gen.activity(ts, "trusted_device_revoked", actor, parent, fields)

    def service_account(rng: random.Random, ts: int) -> None:
        user = some_user(rng)
        actor = actors.service_account_actor(rng, gen._id("svcacct_", 1))
        fields = {"user_id": user.id, "workspace_id": gen._id("wrkspc_", rng.randrange(3))}
        gen.activity(ts, "platform_workspace_member_added", actor, parent, fields)

    def federated_identity(rng: random.Random, ts: int) -> None:
        fields: dict[str, Any] = {
            "event_data": None,
            "request_id": f"req_{gen._id('', f'fed:{ts}')}",
            "resources": [],
            "status": {"outcome": "success", "detail": None, "reason": None},
        }
        actor = actors.federated_identity_actor(rng)
        gen.activity(ts, "platform_federated_authentication", actor, parent, fields)

    def federated(rng: random.Random, ts: int) -> None:
        fields = {"file_id": gen._id("file_", f"platform:{ts}"), "session_id": None}
        gen.activity(ts, "platform_file_uploaded", actors.federated_actor(rng), parent, fields)

    def attested(rng: random.Random, ts: int) -> None:
        fields: dict[str, Any] = {"event_data": None, "request_id": None, "status": None}
        actor = actors.attested_device_actor(rng)
        gen.activity(ts, "platform_app_attest_authentication", actor, parent, fields)

    def org_admin(rng: random.Random, ts: int) -> None:
        admin = users[0]
        actor = gen.actor_for(rng, admin)
        if gen.refs.groups and rng.random() < 0.5:
            target = some_user(rng)
            fields = {"group_id": rng.choice(gen.refs.groups), "member_ids": [target.id]}
            gen.activity(ts, "group_member_added", actor, parent, fields)
        elif gen.refs.roles:
            fields = {
                "principal_id": some_user(rng).id,
                "principal_type": "user",
                "role_id": rng.choice(gen.refs.roles),
            }
            gen.activity(ts, "rbac_role_assigned", actor, parent, fields)
        else:
            gen.activity(ts, "org_users_listed", actor, parent, {})

    return [
        (30.0, chat_viewed, False),
        (8.0, project_viewed, False),
        (4.0, file_viewed, False),
        (3.0, artifact_viewed, False),
        (14.0, sign_in, True),
        (4.0, sign_out, False),
        (3.0, failed_login, True),
        (5.0, old_api_call, True),
        (1.0, settings_changed, False),
        (0.5, export_completed, True),
        (2.0, scim, True),
        (1.0, admin_key, True),
        (0.5, system, True),
        (1.0, service_account, True),
        (0.5, federated_identity, True),
        (0.5, federated, True),
        (0.5, attested, True),
        (2.0, org_admin, False),
    ]
