"""Organizations, users and memberships, RBAC roles, groups and effective settings."""

from __future__ import annotations

from ..config import BUILTIN_KEY_SCOPES, FULL_KEY, READONLY_KEY, REVOKED_KEY
from ..content import ORG_NAMES, ascii_slug, paragraph, person
from ..ids import uuid_for
from ..settings_catalog import effective_settings
from ..timeutil import DAY_US, iso_naive, iso_offset, iso_z
from .base import (
    HOUR_US,
    ORG_ROLES,
    PERMISSION_ACTIONS,
    ROLE_NAMES,
    SECOND_US,
    GeneratorBase,
    OrgRef,
    UserRef,
    api_key_id_for,
    dump_json,
)


class DirectorySections(GeneratorBase):
    """The directory of the parent organization."""

    def _organizations(self) -> None:
        for n in range(self.config.orgs + 1):
            # Index 0 is the parent; its children were created later, one week apart.
            org = OrgRef(
                uuid_for(self.seed, "org", n),
                self._id("org_", n),
                ORG_NAMES[n % len(ORG_NAMES)] + ("" if n < len(ORG_NAMES) else f" {n}"),
            )
            self.orgs.append(org)
            ts = self.start_us - 400 * DAY_US + n * 7 * DAY_US
            record = {"uuid": org.uuid, "name": org.name, "created_at": iso_offset(ts)}
            self.out.add("orgs", (org.uuid, org.tagged_id, n, ts, dump_json(record)))
            self.members_by_org[org.uuid] = []
            self.projects_by_org[org.uuid] = []

    def _users(self) -> None:
        rng = self._rng("users")
        children = self.orgs[1:]
        count = self.config.users
        for n in range(count):
            first, last = person(rng)
            user_id = self._id("user_", n)
            email = f"{ascii_slug(first)}.{ascii_slug(last)}{n}@acme.example"
            deleted = n > 0 and (rng.random() < 0.08 or (n == count - 1 and count >= 5))
            primary = children[n % len(children)]
            user = UserRef(user_id, email, f"{first} {last}", primary, deleted)
            self.users.append(user)
            self.out.add("users", (user_id, email, user.full_name, int(deleted)))
            if deleted:
                continue
            self.active_users.append(user)
            created_ts = self.start_us - rng.randrange(200 * DAY_US)
            conversation = paragraph(rng, 2) if rng.random() < 0.5 else None
            cowork = paragraph(rng, 1) if rng.random() < 0.3 else None
            orgs = [primary]
            if n == 0:
                orgs.insert(0, self.orgs[0])
            elif len(children) > 1 and rng.random() < 0.2:
                orgs.append(children[(n + 1) % len(children)])
            for position, org in enumerate(orgs):
                if n == 0:
                    role = "primary_owner" if org is self.orgs[0] else "owner"
                elif n < len(ORG_ROLES) and position == 0:
                    role = ORG_ROLES[n]
                else:
                    role = rng.choice(("user", "user", "user", "developer", "admin"))
                joined_ts = max(created_ts, self.start_us) + rng.randrange(30 * DAY_US)
                member = {
                    "id": user_id,
                    "created_at": iso_z(created_ts),
                    "email": email,
                    "full_name": user.full_name,
                    "organization_role": role,
                }
                preferences = {
                    "user_id": user_id,
                    "email": email,
                    "conversation_preferences": conversation,
                    "cowork_global_instructions": cowork,
                }
                row = (org.uuid, user_id, joined_ts, dump_json(member), dump_json(preferences))
                self.out.add("memberships", row)
                self.members_by_org[org.uuid].append(user)

    def _roles(self) -> None:
        rng = self._rng("roles")
        n = 0
        for org in self.orgs:
            for position in range(self.config.roles):
                role_id = self._id("rbac_role_", n)
                n += 1
                created = self._moment(rng, 0, 60)
                record = {
                    "id": role_id,
                    "name": ROLE_NAMES[position % len(ROLE_NAMES)],
                    "description": f"Grants {ROLE_NAMES[position % len(ROLE_NAMES)].lower()}.",
                    "created_at": iso_naive(created + rng.randrange(SECOND_US)),
                    "updated_at": None if position % 3 == 2 else iso_naive(created + DAY_US),
                }
                self.out.add("roles", (role_id, org.uuid, position, dump_json(record)))
                self.refs.roles.append(role_id)
                actions = rng.sample(PERMISSION_ACTIONS, rng.randint(1, 4))
                for seq, action in enumerate(actions):
                    permission = {
                        "action": action,
                        "resource_id": org.uuid,
                        "resource_type": "organization",
                    }
                    self.out.add("role_permissions", (role_id, seq, dump_json(permission)))

    def _groups(self) -> None:
        rng = self._rng("groups")
        for n in range(self.config.groups):
            group_id = self._id("rbac_group_", n)
            self.refs.groups.append(group_id)
            created = self._moment(rng, 0, 90)
            roles = rng.sample(self.refs.roles, min(len(self.refs.roles), rng.randint(0, 2)))
            record = {
                "id": group_id,
                "name": f"{ROLE_NAMES[n % len(ROLE_NAMES)]} {'EMEA' if n % 2 else 'Global'} {n}",
                "description": "Synced from the identity provider." if n % 2 else "",
                "source_type": "scim" if n % 2 else "direct",
                "roles": roles if n % 3 else None,
                "created_at": iso_naive(created + rng.randrange(SECOND_US)),
                "updated_at": None if n % 4 == 3 else iso_naive(created + 2 * DAY_US),
            }
            self.out.add("groups", (group_id, n, record["name"], dump_json(record)))
            members = rng.sample(self.active_users, min(len(self.active_users), rng.randint(1, 8)))
            for seq, user in enumerate(members):
                joined = created + rng.randrange(30 * DAY_US)
                member = {
                    "user_id": user.id,
                    "email": user.email,
                    "created_at": iso_naive(joined),
                    "updated_at": None if seq % 2 else iso_naive(joined + HOUR_US),
                }
                self.out.add("group_members", (group_id, seq, dump_json(member)))
            admin = self.users[0]
            self.activity(
                created,
                "group_created",
                self.actor_for(rng, admin),
                self.orgs[0],
                {"group_id": group_id, "group_name": record["name"]},
            )

    def _settings(self) -> None:
        rng = self._rng("settings")
        keys = []
        for position, (key, scopes) in enumerate(
            [*BUILTIN_KEY_SCOPES.items(), (REVOKED_KEY, ("read:compliance_user_data",))]
        ):
            if key.startswith("sk-ant-admin01-"):
                continue  # Admin keys are not Compliance API keys
            keys.append(
                {
                    "id": api_key_id_for(self.seed, key),
                    "type": "compliance_api_key",
                    "name": {
                        FULL_KEY: "SIEM export (full)",
                        READONLY_KEY: "eDiscovery (read only)",
                    }.get(key, "Rotated key"),
                    "scopes": list(scopes),
                    "is_active": key != REVOKED_KEY,
                    "created_at": iso_z(self.start_us + position * DAY_US),
                    "created_by_id": self.users[0].id,
                    "expires_at": None,
                }
            )
        keys.append(
            {
                "id": api_key_id_for(self.seed, "retired-settings-key"),
                "type": "compliance_api_key",
                "name": "Settings reader (retired scope)",
                "scopes": ["read:compliance_org_settings"],
                "is_active": True,
                "created_at": iso_z(self.start_us + 10 * DAY_US),
                "created_by_id": None,
                "expires_at": iso_z(self.start_us + 500 * DAY_US),
            }
        )
        for org in self.orgs:
            record = {
                "type": "effective_organization_settings",
                "organization_id": org.uuid,
                "api_keys": keys,
                "settings": effective_settings(rng),
            }
            self.out.add("org_settings", (org.uuid, dump_json(record)))
