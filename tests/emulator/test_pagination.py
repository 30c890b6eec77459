"""The three pagination styles, walked across many pages in every direction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx2

from claude_compliance.emulator import EmulatorServer

from .helpers import V1


def _walk_cursor(
    client: httpx2.Client,
    path: str,
    params: dict[str, Any],
    cursor: str = "after_id",
    min_pages: int = 2,
) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    position = None
    pages = 0
    while True:
        query = dict(params)
        if position:
            query[cursor] = position
        body = client.get(V1 + path, params=query).json()
        items += body["data"]
        pages += 1
        if not body["has_more"]:
            break
        position = body["last_id"] if cursor == "after_id" else body["first_id"]
        assert position
    assert pages >= min_pages
    return items


def _walk_pages(client: httpx2.Client, path: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    token = None
    while True:
        body = client.get(V1 + path, params={**params, **({"page": token} if token else {})})
        body.raise_for_status()
        page = body.json()
        items += page["data"]
        token = page["next_page"]
        if not token:
            return items


def _key(activity: dict[str, Any]) -> tuple[str, str]:
    return activity["created_at"], activity["id"]


def test_activities_newest_first_walk_covers_everything(
    client: httpx2.Client, server: EmulatorServer
) -> None:
    walked = _walk_cursor(client, "/activities", {"limit": 150})
    expected = list(server.store.iter_activities())
    assert [a["id"] for a in walked] == [a["id"] for a in expected]
    assert walked == sorted(walked, key=_key, reverse=True)


def test_activities_oldest_first_and_backwards(client: httpx2.Client) -> None:
    ascending = _walk_cursor(client, "/activities", {"limit": 333, "order": "asc"})
    assert ascending == sorted(ascending, key=_key)
    # From the oldest page, walk back towards... nothing: before_id from the first page of an
    # ascending walk has no older items.
    first = client.get(V1 + "/activities", params={"limit": 10, "order": "asc"}).json()
    back = client.get(
        V1 + "/activities", params={"limit": 10, "order": "asc", "before_id": first["first_id"]}
    ).json()
    assert back == {"data": [], "has_more": False, "first_id": None, "last_id": None}


def test_activities_before_id_walks_back_to_the_newest(client: httpx2.Client) -> None:
    everything = _walk_cursor(client, "/activities", {"limit": 5000}, min_pages=1)
    oldest_page = client.get(
        V1 + "/activities",
        params={"limit": 100, "order": "desc", "after_id": everything[-101]["id"]},
    ).json()
    assert [a["id"] for a in oldest_page["data"]] == [a["id"] for a in everything[-100:]]
    assert oldest_page["has_more"] is False
    collected = list(oldest_page["data"])
    position = oldest_page["first_id"]
    while True:
        page = client.get(V1 + "/activities", params={"limit": 97, "before_id": position}).json()
        collected = page["data"] + collected
        if not page["has_more"]:
            break
        position = page["first_id"]
    assert [a["id"] for a in collected] == [a["id"] for a in everything]


def test_activity_filters(client: httpx2.Client, server: EmulatorServer) -> None:
    org = client.get(V1 + "/organizations").json()["data"][1]
    tagged = next(
        a["organization_id"]
        for a in server.store.iter_activities()
        if a["organization_uuid"] == org["uuid"]
    )
    by_uuid = client.get(
        V1 + "/activities", params={"organization_ids[]": org["uuid"], "limit": 5000}
    ).json()["data"]
    by_tag = client.get(
        V1 + "/activities", params={"organization_ids[]": tagged, "limit": 5000}
    ).json()["data"]
    assert by_uuid == by_tag and by_uuid
    assert {a["organization_uuid"] for a in by_uuid} == {org["uuid"]}
    only = client.get(
        V1 + "/activities",
        params=[("activity_types[]", "claude_chat_created"), ("limit", "5000")],
    ).json()["data"]
    assert {a["type"] for a in only} == {"claude_chat_created"}
    without = client.get(
        V1 + "/activities",
        params=[("exclude_activity_types[]", "claude_chat_viewed"), ("limit", "5000")],
    ).json()["data"]
    assert "claude_chat_viewed" not in {a["type"] for a in without}
    user_id = only[0]["actor"]["user_id"]
    mine = client.get(V1 + "/activities", params={"user_ids[]": user_id, "limit": 5000}).json()
    alias = client.get(V1 + "/activities", params={"actor_ids[]": user_id, "limit": 5000}).json()
    assert mine == alias
    assert {a["actor"].get("user_id") for a in mine["data"]} == {user_id}


def test_raw_activity_ids_work_as_cursors(client: httpx2.Client) -> None:
    page = client.get(V1 + "/activities", params={"limit": 5}).json()
    by_cursor = client.get(V1 + "/activities", params={"limit": 5, "after_id": page["last_id"]})
    raw = client.get(V1 + "/activities", params={"limit": 5, "after_id": page["data"][-1]["id"]})
    assert by_cursor.json() == raw.json()


def test_chats_walk_in_both_sort_orders(client: httpx2.Client, server: EmulatorServer) -> None:
    by_created = _walk_cursor(client, "/apps/chats", {"limit": 7})
    assert [c["id"] for c in by_created] == [c["id"] for c in server.store.iter_chats()]
    by_updated = _walk_cursor(client, "/apps/chats", {"limit": 9, "order_by": "updated_at"})
    assert [c["updated_at"] for c in by_updated] == sorted(c["updated_at"] for c in by_updated)
    assert {c["id"] for c in by_updated} == {c["id"] for c in by_created}


def test_user_filtered_chats_walk_backwards(client: httpx2.Client, server: EmulatorServer) -> None:
    counts: dict[str, int] = {}
    for chat in server.store.iter_chats():
        if chat["user"]:
            counts[chat["user"]["id"]] = counts.get(chat["user"]["id"], 0) + 1
    user_id = max(counts, key=lambda key: counts[key])
    params = {"user_ids[]": user_id, "limit": 1}
    forward = _walk_cursor(client, "/apps/chats", params)
    assert len(forward) == counts[user_id]
    last = client.get(V1 + "/apps/chats", params={**params, "after_id": forward[-2]["id"]}).json()
    assert last["data"] == [forward[-1]] and last["has_more"] is False
    backward: list[dict[str, Any]] = list(last["data"])
    position = last["first_id"]
    while True:
        page = client.get(V1 + "/apps/chats", params={**params, "before_id": position}).json()
        backward = page["data"] + backward
        if not page["has_more"]:
            break
        position = page["first_id"]
    assert backward == forward


def test_chat_messages_whole_or_paged(client: httpx2.Client, server: EmulatorServer) -> None:
    chat = max(server.store.iter_chats(), key=lambda c: len(server.store.chat_messages(c["id"])))
    path = f"/apps/chats/{chat['id']}/messages"
    whole = client.get(V1 + path, params={"tool_use_input_max_chars": -1,
                                          "tool_result_max_chars": -1}).json()  # fmt: skip
    assert whole["has_more"] is False
    assert whole["chat_messages"] == server.store.chat_messages(chat["id"])
    assert {k: whole[k] for k in chat} == chat
    paged: list[dict[str, Any]] = []
    position = None
    while True:
        params: dict[str, Any] = {"limit": 2, "tool_use_input_max_chars": -1,
                                  "tool_result_max_chars": -1}  # fmt: skip
        if position:
            params["after_id"] = position
        page = client.get(V1 + path, params=params).json()
        paged += page["chat_messages"]
        if not page["has_more"]:
            break
        position = page["last_id"]
    assert paged == whole["chat_messages"]
    newest_first = client.get(V1 + path, params={"order": "desc", "tool_use_input_max_chars": -1,
                                                 "tool_result_max_chars": -1}).json()  # fmt: skip
    assert newest_first["chat_messages"] == list(reversed(whole["chat_messages"]))
    tail = client.get(V1 + path, params={"limit": 2, "order": "desc"}).json()
    newer = client.get(
        V1 + path, params={"limit": 2, "order": "desc", "before_id": tail["first_id"]}
    ).json()
    assert newer["chat_messages"] == [] and newer["has_more"] is False
    older = client.get(V1 + path, params={"limit": 2, "before_id": tail["first_id"]}).json()
    assert [m["id"] for m in older["chat_messages"]] == [
        m["id"] for m in whole["chat_messages"][-3:-1]
    ]


def test_chat_message_truncation(client: httpx2.Client, server: EmulatorServer) -> None:
    for chat in server.store.iter_chats():
        for message in server.store.chat_messages(chat["id"]):
            for block in message["content"]:
                if block["type"] == "tool_use" and len(block["input"]) > 10_000:
                    body = client.get(f"{V1}/apps/chats/{chat['id']}/messages").json()
                    served = next(m for m in body["chat_messages"] if m["id"] == message["id"])
                    use = next(b for b in served["content"] if b["type"] == "tool_use")
                    assert use["truncated"] is True and len(use["input"]) == 10_000
                    small = client.get(
                        f"{V1}/apps/chats/{chat['id']}/messages",
                        params={"tool_use_input_max_chars": 50},
                    ).json()
                    served = next(m for m in small["chat_messages"] if m["id"] == message["id"])
                    assert len(served["content"][0]["input"]) == 50
                    return
    raise AssertionError("the world has no long tool input")


def test_directory_pages(client: httpx2.Client, server: EmulatorServer) -> None:
    orgs = _walk_pages(client, "/organizations", {"limit": 1})
    assert orgs == list(server.store.iter_organizations())
    for org in orgs:
        users = _walk_pages(client, f"/organizations/{org['uuid']}/users", {"limit": 3})
        assert users == list(server.store.iter_users(org["uuid"]))
    groups = _walk_pages(client, "/groups", {"limit": 2})
    assert len(groups) == server.store.counts()["groups"]
    prefixed = _walk_pages(client, "/groups", {"name_prefix": groups[0]["name"][:6], "limit": 1})
    assert prefixed and all(g["name"].startswith(groups[0]["name"][:6]) for g in prefixed)


def test_user_preferences_pages_may_be_short(client: httpx2.Client, server: EmulatorServer) -> None:
    org = max(
        server.store.iter_organizations(),
        key=lambda o: len(list(server.store.iter_users(o["uuid"]))),
    )
    path = f"/organizations/{org['uuid']}/user_preferences"
    everyone = _walk_pages(client, path, {"include_unset": "true", "limit": 2})
    assert len(everyone) == len(list(server.store.iter_users(org["uuid"])))
    set_only = _walk_pages(client, path, {"limit": 2})
    assert all(p["conversation_preferences"] or p["cowork_global_instructions"] for p in set_only)
    assert len(set_only) < len(everyone)


def test_projects_and_their_children(client: httpx2.Client, server: EmulatorServer) -> None:
    projects = _walk_pages(client, "/apps/projects", {"limit": 3})
    assert projects == list(server.store.iter_projects())
    first = client.get(V1 + "/apps/projects", params={"limit": 3}).json()
    assert first["next_page"].startswith("page_") and first["has_more"] is True
    some = next(p for p in projects if p["user"])
    mine = _walk_pages(client, "/apps/projects", {"user_ids[]": some["user"]["id"]})
    assert {p["user"]["id"] for p in mine} == {some["user"]["id"]}
    attachments = []
    for project in projects:
        items = _walk_pages(client, f"/apps/projects/{project['id']}/attachments", {"limit": 1})
        assert items == sorted(items, key=lambda a: (a["created_at"], a["id"]))
        attachments += items
        collaborators = _walk_pages(
            client, f"/apps/projects/{project['id']}/collaborators", {"limit": 1}
        )
        assert collaborators[0]["role"] == "owner"
    assert {a["type"] for a in attachments} == {"project_file", "project_doc"}


def test_local_sessions_token_only(client: httpx2.Client, server: EmulatorServer) -> None:
    first = client.get(V1 + "/apps/sessions/local", params={"limit": 5}).json()
    assert set(first) == {"data", "next_page"} and first["next_page"].startswith("page_")
    sessions = _walk_pages(client, "/apps/sessions/local", {"limit": 5})
    assert sessions == list(server.store.iter_local_sessions())
    for session in sessions:
        messages = _walk_pages(
            client, f"/apps/sessions/local/{session['id']}/messages", {"limit": 2}
        )
        page = client.get(f"{V1}/apps/sessions/local/{session['id']}/messages").json()
        assert page["session"]["user"]["email_address"] is None
        assert [m["id"] for m in messages] == [m["id"] for m in page["data"]]
        descending = _walk_pages(
            client, f"/apps/sessions/local/{session['id']}/messages", {"order": "desc", "limit": 3}
        )
        assert [m["id"] for m in descending] == [m["id"] for m in reversed(messages)]


def test_message_tokens_are_bound_to_session_and_order(
    client: httpx2.Client, server: EmulatorServer
) -> None:
    sessions = list(server.store.iter_local_sessions())
    path = f"{V1}/apps/sessions/local/{sessions[0]['id']}/messages"
    token = client.get(path, params={"limit": 1}).json()["next_page"]
    assert client.get(path, params={"page": token, "order": "desc"}).status_code == 400
    other = f"{V1}/apps/sessions/local/{sessions[1]['id']}/messages"
    assert client.get(other, params={"page": token}).status_code == 400


def test_remote_sessions(client: httpx2.Client, server: EmulatorServer) -> None:
    sessions = _walk_pages(client, "/apps/sessions/remote", {"limit": 3})
    assert sessions == list(server.store.iter_remote_sessions())
    owned = next(s for s in sessions if s["user"])
    mine = _walk_pages(client, "/apps/sessions/remote", {"user_ids[]": owned["user"]["id"]})
    assert all(s["agent_id"] is None for s in mine)
    active = next(s for s in sessions if s["status"] == "active")
    page = client.get(f"{V1}/apps/sessions/remote/{active['id']}/messages").json()
    assert set(page) == {"data", "next_page", "session"}
    assert page["session"]["started_by_user"] is None


def test_code_artifacts_may_end_with_an_empty_page(
    fresh: Callable[..., EmulatorServer],
) -> None:
    server = fresh(code_artifacts=6)
    with server, httpx2.Client(base_url=server.url) as raw:
        raw.headers.update({"x-api-key": "sk-ant-api01-emulator-full"})
        first = raw.get(V1 + "/apps/code/artifacts", params={"limit": 3}).json()
        second = raw.get(
            V1 + "/apps/code/artifacts", params={"limit": 3, "page": first["next_page"]}
        ).json()
        third = raw.get(
            V1 + "/apps/code/artifacts", params={"limit": 3, "page": second["next_page"]}
        ).json()
    assert first["has_more"] and second["has_more"]
    assert third == {"data": [], "has_more": False, "next_page": None}
    ids = [a["id"] for a in first["data"] + second["data"]]
    assert ids == sorted(ids)
