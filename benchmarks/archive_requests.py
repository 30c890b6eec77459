"""How many requests ``archive sync`` makes, against the fewest the API allows for the same data.

The API allows 600 requests a minute per parent organization, so an archive's duration is its
request count divided by 600: every request that carries nothing new is time lost. This script
builds an emulator world (its counts are printed), then runs three syncs into one archive:

* **first**: an empty archive;
* **idle**: right after, with nothing changed at the source;
* **change**: after a scripted change of about 1% of the world (new chats with uploads,
  messages appended to chats — some inside projects —, new projects with a document and a file,
  and new activities);

and, for information, a fourth with nothing new that lists every collection completely to
notice deletions (``--sweep always``; with the default ``daily`` schedule, the first run each
day does this on top of its changes).

Requests are counted **at the server** (an ASGI wrapper around the emulator counts every request
it answers, by endpoint), not by the client. For each run the script computes the *lower bound*:
the fewest requests the spec permits for the same records and bytes, from the spec's maximum
page sizes and the world's counts (see :func:`first_bound`, :func:`idle_bound` and
:func:`change_bound`, endpoint by endpoint), and prints ``requests / lower bound``.

The idle run is measured on two world sizes (the second with twice the chats and users): its
cost must not grow with the company. Targets: first ≤ 1.05, change ≤ 1.15, idle ≤ 1.5.

The last line is ``requests/lower bound: first x.xx, change x.xx, idle x.xx``. Run it with::

    python benchmarks/archive_requests.py                 # about a minute
    python benchmarks/archive_requests.py --chats 2000    # a bigger world

Finally it extrapolates, at 600 requests a minute, to a 20,000-person company (2M chats, 5M
files, 50M activities, 100k projects): days for the initial archive and hours per daily run,
for this implementation (the measured ratios applied to that company's lower bounds).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import math
import tempfile
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

from claude_compliance.archive.context import SyncOptions
from claude_compliance.archive.sync import (
    RequestCounter,
    archive_client,
    endpoint_family,
    sync_archive,
)
from claude_compliance.emulator.config import EmulatorConfig
from claude_compliance.emulator.server import EmulatorServer

KEY = "sk-ant-api01-emulator-full"

# Maximum page sizes (spec section 3).
ACTIVITIES_PAGE = 5000
CHATS_PAGE = 1000
MESSAGES_PAGE = 1000
DIRECTORY_PAGE = 1000  # organizations, users, roles, permissions, groups, members
PREFERENCES_PAGE = 100
PROJECTS_PAGE = 100  # projects, attachments, collaborators, code artifacts
SESSIONS_PAGE = 500
SESSION_MESSAGES_PAGE = 1000

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


def pages(count: int, size: int) -> int:
    """Requests to list ``count`` items ``size`` at a time (an empty list still takes one)."""
    return max(1, math.ceil(count / size))


class CountingMiddleware:
    """Counts every Compliance API request the emulator answers, by endpoint family."""

    counts: collections.Counter[str] = collections.Counter()

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/v1/"):
            CountingMiddleware.counts[endpoint_family(scope["path"])] += 1
        await self.app(scope, receive, send)


def world_config(args: argparse.Namespace, scale: int) -> EmulatorConfig:
    chats = args.chats * scale
    return EmulatorConfig(
        seed=args.seed,
        rpm=0,
        access_activities=False,
        orgs=3,
        users=max(20, chats // 8),
        projects=max(10, chats // 10),
        chats=chats,
        activities=args.chats * 50,
        local_sessions=max(5, chats // 25),
        remote_sessions=max(5, chats // 25),
        code_artifacts=max(5, chats // 40),
        groups=max(3, chats // 80),
        roles=4,
    )


def world_counts(server: EmulatorServer) -> dict[str, Any]:
    """What the world holds, as the lower bounds need it."""
    store = server.store
    organizations = list(store.iter_organizations())
    chats = list(store.iter_chats())
    projects = [p["id"] for p in store.iter_projects()]
    attachments = collections.Counter(
        str(row[0])
        for row in store.query("SELECT project_id FROM files WHERE project_id IS NOT NULL")
    )
    for document in store.iter_project_documents():
        attachments[document["claude_project_id"]] += 1
    groups = [g["id"] for g in store.iter_groups()]
    roles = [(org["uuid"], r["id"]) for org in organizations for r in store.iter_roles(org["uuid"])]
    local = [s["id"] for s in store.iter_local_sessions()]
    remote = list(store.iter_remote_sessions())
    artifacts = list(store.iter_code_artifacts())
    generated = list(store.iter_generated_files())
    return {
        "organizations": len(organizations),
        "users": {org["uuid"]: len(list(store.iter_users(org["uuid"]))) for org in organizations},
        "preferences": {
            org["uuid"]: len(list(store.iter_user_preferences(org["uuid"])))
            for org in organizations
        },
        "roles": collections.Counter(org for org, _ in roles),
        "permissions": [len(store.role_permissions(role)) for _, role in roles],
        "groups": len(groups),
        "members": [len(store.group_members(g)) for g in groups],
        "activities": sum(1 for _ in store.iter_activities()),
        "chats": len(chats),
        "messages": [len(store.chat_messages(c["id"])) for c in chats],
        "files": sum(1 for f in store.iter_files() if f.get("md5") is not None),
        "generated files": len(generated),
        "generated files with content": sum(1 for g in generated if g.get("md5") is not None),
        "artifact versions": sum(1 for _ in store.iter_artifact_versions()),
        "projects": len(projects),
        "attachments": [attachments[p] for p in projects],
        "collaborators": [len(store.project_collaborators(p)) for p in projects],
        "documents": sum(1 for _ in store.iter_project_documents()),
        "local sessions": len(local),
        "local messages": [len(store.local_session_messages(s)) for s in local],
        "remote sessions": len(remote),
        "remote messages": [
            len(store.remote_session_messages(s["id"])) for s in remote if s["status"] != "pending"
        ],
        "code artifacts": len(artifacts),
        "code artifact versions": sum(len(a["versions"]) for a in artifacts),
    }


def directory_bound(w: dict[str, Any]) -> int:
    """Reading the whole directory once."""
    return (
        pages(w["organizations"], DIRECTORY_PAGE)
        + w["organizations"]  # settings: one object per organization
        + sum(pages(n, DIRECTORY_PAGE) for n in w["users"].values())
        + sum(pages(n, PREFERENCES_PAGE) for n in w["preferences"].values())
        + sum(pages(n, DIRECTORY_PAGE) for n in w["roles"].values())
        + sum(pages(n, DIRECTORY_PAGE) for n in w["permissions"])
        + pages(w["groups"], DIRECTORY_PAGE)
        + sum(pages(n, DIRECTORY_PAGE) for n in w["members"])
    )


def first_bound(w: dict[str, Any]) -> dict[str, int]:
    """The fewest requests for an empty archive, endpoint by endpoint."""
    return {
        # The feed, 5,000 a page.
        "activities": pages(w["activities"], ACTIVITIES_PAGE),
        "directory": directory_bound(w),
        # The chat list, 1,000 a page; each chat's messages: one request without a limit
        # returns them all (spec 4.9).
        "chat list": pages(w["chats"], CHATS_PAGE),
        "chats": w["chats"],
        # Uploaded files: the content only (the reference and the chat carry the metadata).
        "file content": w["files"],
        # Generated files and artifact versions: metadata (only it has created_at) and content
        # (none for an expired generated file: its reference has no MD5 and no size).
        "generated file metadata": w["generated files"],
        "generated file content": w["generated files with content"],
        "artifact metadata": w["artifact versions"],
        "artifact content": w["artifact versions"],
        # Projects, 100 a page; each: detail, attachments (only when it has any), collaborators.
        "project list": pages(w["projects"], PROJECTS_PAGE),
        "projects": w["projects"],
        "attachments": sum(math.ceil(n / PROJECTS_PAGE) for n in w["attachments"]),
        "collaborators": sum(pages(n, PROJECTS_PAGE) for n in w["collaborators"]),
        # Documents: one GET returns the text with its metadata.
        "documents": w["documents"],
        # Sessions, 500 a page; each readable session's messages, 1,000 a page.
        "local sessions": pages(w["local sessions"], SESSIONS_PAGE)
        + sum(pages(n, SESSION_MESSAGES_PAGE) for n in w["local messages"]),
        "remote sessions": pages(w["remote sessions"], SESSIONS_PAGE)
        + sum(pages(n, SESSION_MESSAGES_PAGE) for n in w["remote messages"]),
        # Code artifacts, 100 a page, and every retained version's content.
        "code artifacts": pages(w["code artifacts"], PROJECTS_PAGE) + w["code artifact versions"],
    }


def idle_bound(w: dict[str, Any]) -> dict[str, int]:
    """The fewest requests to learn that nothing changed.

    One page of every list that can be asked for what changed since a time (activities, chats
    by ``updated_at``, projects, local sessions and code artifacts by ``updated_at.gte``); the
    whole remote-session list (it has no such filter); nothing of the directory (the feed shows
    no change to it).
    """
    return {
        "activities": 1,
        "chat list": 1,
        "project list": 1,
        "local sessions": 1,
        "code artifacts": 1,
        "remote sessions": pages(w["remote sessions"], SESSIONS_PAGE),
    }


def sweep_bound(w: dict[str, Any]) -> dict[str, int]:
    """The fewest requests for a run with nothing new that lists everything to find deletions
    (``--sweep always``, or the daily run with the default schedule): every list complete,
    the directory included."""
    return {
        **idle_bound(w),
        "directory": directory_bound(w),
        "chat list": pages(w["chats"], CHATS_PAGE),
        "project list": pages(w["projects"], PROJECTS_PAGE),
        "local sessions": pages(w["local sessions"], SESSIONS_PAGE),
        "code artifacts": pages(w["code artifacts"], PROJECTS_PAGE),
    }


def change_bound(w: dict[str, Any], change: dict[str, int]) -> dict[str, int]:
    """The fewest requests to take in the scripted change (see :func:`apply_change`)."""
    changed_chats = change["new chats"] + change["appended chats"]
    return {
        **idle_bound(w),
        "activities": pages(change["new activities"], ACTIVITIES_PAGE),
        "chat list": pages(changed_chats, CHATS_PAGE),
        "chats": changed_chats,
        "file content": change["new chats"] + change["new projects"],
        "project list": pages(change["new projects"], PROJECTS_PAGE),
        # Each new project: detail, attachments, collaborators, its document.
        "projects": 4 * change["new projects"],
    }


def apply_change(server: EmulatorServer, fraction: float) -> dict[str, int]:
    """Change about ``fraction`` of the world through the emulator's mutations."""
    world = server.world
    chats = list(server.store.iter_chats())
    in_projects = [c["id"] for c in chats if c["project_id"]]
    plain = [c["id"] for c in chats if not c["project_id"]]
    count = max(2, round(len(chats) * fraction))
    appended = in_projects[: count // 2] + plain[: count - count // 2]
    before = sum(1 for _ in server.store.iter_activities())
    for chat_id in appended:
        world.append_message(chat_id, "one more thing")
    for _ in range(count):
        world.add_chat(messages=3, with_file=True)
    new_projects = max(1, round(sum(1 for _ in server.store.iter_projects()) * fraction))
    for _ in range(new_projects):
        world.add_project()
    world.add_activities(max(1, round(before * fraction)))
    return {
        "new chats": count,
        "appended chats": len(appended),
        "appended in projects": len(in_projects[: count // 2]),
        "new projects": new_projects,
        "new activities": sum(1 for _ in server.store.iter_activities()) - before,
    }


def sync_once(server: EmulatorServer, root: Path, sweep: str) -> tuple[int, dict[str, int]]:
    """One sync; the requests the emulator answered, in total and by endpoint."""
    CountingMiddleware.counts.clear()

    async def run() -> None:
        counter = RequestCounter()
        async with archive_client(api_key=KEY, base_url=server.url, counter=counter) as client:
            result = await sync_archive(
                client, root, options=SyncOptions(sweep=sweep), counter=counter
            )
        if not result.ok:
            raise SystemExit(f"the sync failed: {result.stats.errors[:3]}")

    asyncio.run(run())
    counts = dict(sorted(CountingMiddleware.counts.items()))
    return sum(counts.values()), counts


def start(config: EmulatorConfig) -> EmulatorServer:
    server = EmulatorServer(config)
    server.app.add_middleware(CountingMiddleware)
    return server.start()


def report(name: str, requests: int, bound: dict[str, int], by_endpoint: dict[str, int]) -> float:
    total = sum(bound.values())
    ratio = requests / total
    print(f"\n{name}: {requests} requests / lower bound {total} = {ratio:.2f}")
    print("  requests by endpoint: " + ", ".join(f"{k} {v}" for k, v in by_endpoint.items()))
    print("  lower bound: " + ", ".join(f"{k} {v}" for k, v in bound.items() if v))
    return ratio


def company_bounds() -> tuple[int, int]:
    """Lower bounds for the 20,000-person company: the initial archive and one daily run.

    2M chats, 5M files, 50M activities, 100k projects; assumed besides (not in the brief): 10
    messages a chat, one generated file and one artifact version per 20 chats, each project with
    4 attachments (half documents) and 3 collaborators, 2% of chats and projects changing a
    day, 1/365 of the activities arriving a day, 20,000 users in 10 organizations with 200
    groups and 40 roles, sessions and code artifacts left out.
    """
    chats, files, activities, projects, users = 2_000_000, 5_000_000, 50_000_000, 100_000, 20_000
    documents = 2 * projects
    generated = artifacts = chats // 20
    directory = 1 + 10 + 10 * pages(users // 10, 1000) + 10 * pages(users // 10, 100)
    directory += 10 + 40 + 1 + 200
    first = (
        pages(activities, ACTIVITIES_PAGE)
        + directory
        + pages(chats, CHATS_PAGE)
        + chats
        + files
        + 2 * generated
        + 2 * artifacts
        + pages(projects, PROJECTS_PAGE)
        + 3 * projects
        + documents
    )
    changed_chats, changed_projects = chats // 50, projects // 50
    daily = (
        pages(activities // 365, ACTIVITIES_PAGE)
        + pages(changed_chats, CHATS_PAGE)
        + changed_chats
        + files // 50
        + pages(changed_projects, PROJECTS_PAGE)
        + 4 * changed_projects
        + 5
    )
    sweep = pages(chats, CHATS_PAGE) + pages(projects, PROJECTS_PAGE) + directory
    return first, daily, sweep


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chats", type=int, default=400, help="chats in the first world")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--change", type=float, default=0.01, help="fraction changed")
    args = parser.parse_args()

    ratios: dict[str, float] = {}
    idle_requests: list[tuple[int, int, int]] = []
    for scale in (1, 2):
        config = world_config(args, scale)
        server = start(config)
        try:
            w = world_counts(server)
            shown = {k: (sum(v) if isinstance(v, list) else v) for k, v in w.items()}
            shown = {k: (sum(v.values()) if isinstance(v, dict) else v) for k, v in shown.items()}
            print(f"\nworld {scale}: " + ", ".join(f"{k} {v}" for k, v in shown.items()))
            with tempfile.TemporaryDirectory() as folder:
                root = Path(folder)
                requests, by_endpoint = sync_once(server, root, "daily")
                first = report("first sync", requests, first_bound(w), by_endpoint)
                requests, by_endpoint = sync_once(server, root, "daily")
                idle = report("no-change sync", requests, idle_bound(w), by_endpoint)
                idle_requests.append((config.chats, config.users, requests))
                if scale == 1:
                    change = apply_change(server, args.change)
                    print("\nscripted change: " + ", ".join(f"{k} {v}" for k, v in change.items()))
                    requests, by_endpoint = sync_once(server, root, "daily")
                    changed = report(
                        "sync after the change", requests, change_bound(w, change), by_endpoint
                    )
                    w = world_counts(server)
                    requests, by_endpoint = sync_once(server, root, "always")
                    report("sweep sync (nothing new)", requests, sweep_bound(w), by_endpoint)
                    ratios = {"first": first, "change": changed, "idle": idle}
        finally:
            server.stop()

    print("\nno-change sync by world size (it must not grow with chats and users):")
    for chats, users, requests in idle_requests:
        print(f"  {chats} chats, {users} users: {requests} requests")

    first_company, daily_company, sweep_company = company_bounds()
    per_day, per_hour = 600 * 60 * 24, 600 * 60
    ours_daily = daily_company * ratios["change"] + sweep_company
    print(
        "\n20,000-person company at 600 requests a minute (lower bound -> this archive): "
        f"initial archive {first_company / per_day:.1f} -> "
        f"{first_company * ratios['first'] / per_day:.1f} days; daily run "
        f"{daily_company / per_hour:.1f} -> {ours_daily / per_hour:.1f} hours "
        f"(with the daily deletion sweep, {sweep_company} requests)"
    )
    print(
        f"requests/lower bound: first {ratios['first']:.2f}, change {ratios['change']:.2f}, "
        f"idle {ratios['idle']:.2f}"
    )


if __name__ == "__main__":
    main()
