"""Claude Code artifacts over real HTTP: listing (empty pages included), downloads, delete."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from claude_compliance import (
    BadRequestError,
    CodeArtifact,
    CodeArtifactVersion,
    NotFoundError,
    OffsetPage,
    PermissionDeniedError,
    UserReference,
)
from claude_compliance.emulator.server import EmulatorServer

from ..support import ADMIN_KEY, READONLY_KEY, raw_get


def when(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def artifacts(server: EmulatorServer) -> list[dict[str, Any]]:
    """Every code artifact, by id (the list's order)."""
    return list(server.store.iter_code_artifacts())


def contents(server: EmulatorServer) -> dict[str, bytes]:
    """Content by ``<artifact id>/<version id>``."""
    return {b.id: b.content for b in server.store.iter_blobs() if b.kind == "code_artifact_version"}


async def test_list_and_iter(api: Any, emulator: EmulatorServer) -> None:
    expected = artifacts(emulator)
    assert len(expected) == 8
    page = await api.code_artifacts.list()
    assert isinstance(page, OffsetPage)
    assert [a.to_dict() for a in page.data] == expected
    assert [a.to_dict() async for a in api.code_artifacts.iter(limit=3)] == expected


async def test_an_empty_page_can_follow_has_more(api: Any, emulator: EmulatorServer) -> None:
    expected = [a["id"] for a in artifacts(emulator)]
    pages = []
    token = None
    while True:
        page = await api.code_artifacts.list(limit=4, page=token)
        pages.append(page)
        if page.next_page is None:
            break
        token = page.next_page
    # 8 artifacts in pages of 4: the index only learns it is done on a third, empty page.
    assert [len(p.data) for p in pages] == [4, 4, 0]
    assert pages[1].has_more and pages[1].next_page
    assert [a.id for p in pages for a in p.data] == expected
    assert [a.id async for a in api.code_artifacts.iter(limit=4)] == expected


async def test_records_round_trip(api: Any, emulator: EmulatorServer) -> None:
    raw = raw_get(emulator, "/apps/code/artifacts", limit=100)["data"]
    parsed = [a async for a in api.code_artifacts.iter(limit=100)]
    assert [a.to_dict() for a in parsed] == raw
    assert all(CodeArtifact.from_dict(r).to_dict() == r for r in raw)
    assert all(v.__class__ is CodeArtifactVersion for a in parsed for v in a.versions)
    assert {a.read_mode for a in parsed} == {"owner", "users", "org", "public"}
    by_agent = [a for a in parsed if a.owner_user_id is None]
    assert by_agent and all(a.user is None for a in by_agent)
    assert all(isinstance(a.user, UserReference) for a in parsed if a.owner_user_id)
    assert any(a.updated_at is None for a in parsed)
    assert any(a.published_version_id is None for a in parsed)


async def test_filters(api: Any, emulator: EmulatorServer) -> None:
    records = artifacts(emulator)
    org = records[0]["organization_uuid"]
    tagged = emulator.store.scalar("SELECT tagged_id FROM orgs WHERE uuid = ?", (org,))
    expected = [a["id"] for a in records if a["organization_uuid"] == org]
    assert [a.id async for a in api.code_artifacts.iter(organization_ids=[org])] == expected
    assert [a.id async for a in api.code_artifacts.iter(organization_ids=[tagged])] == expected
    owner = next(a["owner_user_id"] for a in records if a["owner_user_id"])
    owned = [a["id"] for a in records if a["owner_user_id"] == owner]
    assert [a.id async for a in api.code_artifacts.iter(user_ids=[owner], limit=1)] == owned

    dated = sorted(when(a["updated_at"]) for a in records if a["updated_at"])
    middle = dated[len(dated) // 2]
    for name, keep in {
        "updated_at_gte": lambda t: t >= middle,
        "updated_at_gt": lambda t: t > middle,
        "updated_at_lte": lambda t: t <= middle,
        "updated_at_lt": lambda t: t < middle,
    }.items():
        got = [a.id async for a in api.code_artifacts.iter(**{name: middle})]
        # Artifacts without updated_at never match a time filter.
        assert got == [
            a["id"] for a in records if a["updated_at"] and keep(when(a["updated_at"]))
        ], name


async def test_downloads(api: Any, emulator: EmulatorServer, tmp_path: Path) -> None:
    blobs = contents(emulator)
    for record in artifacts(emulator):
        for version in record["versions"]:
            expected = blobs[f"{record['id']}/{version['id']}"]
            data = await api.code_artifacts.download_version(record["id"], version["id"])
            assert data == expected and data.startswith(b"<!doctype html>")
            chunks = [
                c
                async for c in api.code_artifacts.download_version_stream(
                    record["id"], version["id"]
                )
            ]
            assert b"".join(chunks) == expected
    record = artifacts(emulator)[0]
    version = record["versions"][0]["id"]
    written = await api.code_artifacts.download_version_to_file(record["id"], version, tmp_path)
    assert written == tmp_path / f"{version}.html"
    assert written.read_bytes() == blobs[f"{record['id']}/{version}"]
    target = tmp_path / "site.html"
    assert (
        await api.code_artifacts.download_version_to_file(record["id"], version, target) == target
    )
    with pytest.raises(FileExistsError):
        await api.code_artifacts.download_version_to_file(
            record["id"], version, target, overwrite=False
        )


async def test_unknown_artifact_or_version(api: Any, emulator: EmulatorServer) -> None:
    record = artifacts(emulator)[0]
    with pytest.raises(NotFoundError, match="1700000000-beef") as caught:
        await api.code_artifacts.download_version(record["id"], "1700000000-beef")
    assert caught.value.resource_id == "1700000000-beef"
    with pytest.raises(NotFoundError):
        await api.code_artifacts.download_version("cart_nope", record["versions"][0]["id"])
    with pytest.raises(ValueError, match="version_id"):
        await api.code_artifacts.download_version(record["id"], "../../chats")


async def test_delete_then_404(make_api: Any, make_emulator: Any, tmp_path: Path) -> None:
    server = make_emulator()
    api = make_api(server=server)
    record = artifacts(server)[0]
    assert await api.code_artifacts.delete(record["id"]) is None
    assert record["id"] not in {a.id async for a in api.code_artifacts.iter()}
    with pytest.raises(NotFoundError):
        await api.code_artifacts.download_version(record["id"], record["versions"][0]["id"])
    with pytest.raises(NotFoundError, match=record["id"]):
        await api.code_artifacts.delete(record["id"])  # a repeated delete is a real 404


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"limit": 0}, r"between 1 and 100, inclusive\. Got 0"),
        ({"limit": 101}, "Got 101"),
        ({"updated_at_gt": "last week"}, r"updated_at\.gt"),
        ({"page": "garbage"}, "not a valid cursor"),
        ({"user_ids": [f"user_{n}" for n in range(201)]}, "at most 200"),
    ],
)
async def test_bad_parameters(api: Any, params: dict[str, Any], message: str) -> None:
    with pytest.raises(BadRequestError, match=message):
        await api.code_artifacts.list(**params)


async def test_scopes(make_api: Any, emulator: EmulatorServer) -> None:
    record = artifacts(emulator)[0]
    with pytest.raises(PermissionDeniedError, match="delete:compliance_user_data"):
        await make_api(key=READONLY_KEY).code_artifacts.delete(record["id"])
    with pytest.raises(PermissionDeniedError, match="read:compliance_user_data"):
        await make_api(key=ADMIN_KEY).code_artifacts.list()
