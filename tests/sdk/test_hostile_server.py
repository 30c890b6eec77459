"""A hostile or broken server cannot exhaust memory, hold a call, loop a walk or get the key:
over real loopback HTTP, against a small misbehaving server (tests/hostile.py)."""

from __future__ import annotations

import itertools
import time
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import httpx2
import pytest

from claude_compliance import (
    APIError,
    APITimeoutError,
    AsyncComplianceClient,
    ComplianceClient,
    PaginationError,
    ResponseTooLargeError,
)

from ..hostile import HostileServer, SeenRequest, Send, head, json_response
from ..support import FULL_KEY

Api = Callable[..., Any]
MiB = 1024 * 1024

PROJECT = {
    "id": "claude_proj_1",
    "name": "p",
    "created_at": "2025-01-01T00:00:00Z",
    "updated_at": "2025-01-01T00:00:00Z",
    "organization_id": "org_1",
    "is_private": False,
    "user": None,
}


def _chunked(chunks: Iterator[bytes], send: Send) -> None:
    """Send ``chunks`` with chunked transfer encoding until the client goes away."""
    for chunk in chunks:
        if not send(b"%x\r\n%s\r\n" % (len(chunk), chunk)):
            return


def _endless_json(request: SeenRequest, send: Send) -> None:
    send(head(200, {"content-type": "application/json", "transfer-encoding": "chunked"}))
    _chunked(itertools.chain([b'{"data": ["'], itertools.repeat(b"x" * 65536)), send)


def _gzip_bomb(decompressed: int) -> bytes:
    """A small gzip body that inflates to ``decompressed`` bytes of JSON whitespace."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b" " * MiB
    out = [packer.compress(b"[") for _ in range(1)]
    out += [packer.compress(block) for _ in range(decompressed // MiB)]
    return b"".join([*out, packer.compress(b"]"), packer.flush()])


async def test_an_endless_body_stops_at_the_size_cap(make_api: Api) -> None:
    with HostileServer(_endless_json) as server:
        api = make_api(server=server, max_response_bytes=2 * MiB, max_retries=0)
        with pytest.raises(ResponseTooLargeError, match="max_response_bytes=2097152"):
            await api.projects.list()


async def test_a_declared_huge_body_is_refused_before_reading(make_api: Api) -> None:
    def declared(request: SeenRequest, send: Send) -> None:
        send(head(200, {"content-type": "application/json", "content-length": str(2 * 1024**3)}))
        send(b"[" * 1024)

    with HostileServer(declared) as server:
        api = make_api(server=server, max_retries=0)
        with pytest.raises(ResponseTooLargeError, match="declares 2147483648 bytes"):
            await api.projects.list()


async def test_a_gzip_bomb_is_counted_decompressed(make_api: Api) -> None:
    bomb = _gzip_bomb(64 * MiB)
    assert len(bomb) < MiB

    def respond(request: SeenRequest, send: Send) -> None:
        send(
            head(
                200,
                {
                    "content-type": "application/json",
                    "content-encoding": "gzip",
                    "content-length": str(len(bomb)),
                },
            )
            + bomb
        )

    with HostileServer(respond) as server:
        api = make_api(server=server, max_response_bytes=4 * MiB, max_retries=0)
        with pytest.raises(ResponseTooLargeError):
            await api.projects.list()


async def test_an_error_body_is_capped_too(make_api: Api) -> None:
    def respond(request: SeenRequest, send: Send) -> None:
        send(head(400, {"content-type": "application/json", "transfer-encoding": "chunked"}))
        _chunked(itertools.repeat(b"x" * 65536), send)

    with HostileServer(respond) as server:
        api = make_api(server=server, max_response_bytes=MiB, max_retries=0)
        with pytest.raises(ResponseTooLargeError):
            await api.projects.list()


def _trickle(request: SeenRequest, send: Send) -> None:
    """A valid start, then one byte every 0.1 s: no single read ever times out."""
    send(head(200, {"content-type": "application/json", "transfer-encoding": "chunked"}))
    for _ in range(600):
        if not send(b"1\r\n \r\n"):
            return
        time.sleep(0.1)


async def test_a_byte_at_a_time_cannot_hold_a_call(make_api: Api) -> None:
    with HostileServer(_trickle) as server:
        api = make_api(server=server, timeout=1.0, max_retries=1)
        started = time.monotonic()
        with pytest.raises(APITimeoutError):
            await api.projects.list()
        elapsed = time.monotonic() - started
    # Two attempts of one second each, plus the backoff between them; nowhere near 60 s.
    assert elapsed < 10, elapsed
    assert len(server.requests) == 2


async def test_trickled_headers_cannot_hold_an_async_call() -> None:
    def respond(request: SeenRequest, send: Send) -> None:
        for byte in b"HTTP/1.1 200 OK\r\nx-slow: " + b"a" * 600:
            if not send(bytes([byte])):
                return
            time.sleep(0.1)

    with HostileServer(respond) as server:
        async with AsyncComplianceClient(
            api_key=FULL_KEY, base_url=server.url, timeout=1.0, max_retries=0
        ) as client:
            started = time.monotonic()
            with pytest.raises(APITimeoutError):
                await client.projects.list()
            assert time.monotonic() - started < 5


async def test_endless_empty_token_pages_end_in_pagination_error(make_api: Api) -> None:
    counter = itertools.count()

    def respond(request: SeenRequest, send: Send) -> None:
        send(json_response({"data": [], "next_page": f"page_{next(counter)}"}))

    with HostileServer(respond) as server:
        api = make_api(server=server, max_retries=0)
        with pytest.raises(PaginationError, match="empty pages in a row"):
            async for _ in api.local_sessions.iter():
                pass
        assert len(server.requests) <= 25


# -- the key never travels to another origin ----------------------------------------------------


@pytest.fixture
def landing() -> Iterator[HostileServer]:
    def respond(request: SeenRequest, send: Send) -> None:
        send(json_response({"data": [PROJECT], "has_more": False, "next_page": None}))

    with HostileServer(respond) as server:
        yield server


def _redirecting_to(target: str) -> Callable[[SeenRequest, Send], None]:
    def respond(request: SeenRequest, send: Send) -> None:
        send(head(302, {"location": target + request.target, "content-length": "0"}))

    return respond


def test_cross_origin_redirects_drop_the_key(landing: HostileServer) -> None:
    with HostileServer(_redirecting_to(landing.url)) as origin:
        http = httpx2.Client(follow_redirects=True)
        with ComplianceClient(api_key=FULL_KEY, base_url=origin.url, http_client=http) as client:
            page = client.projects.list()
        http.close()
    assert [p.id for p in page.data] == ["claude_proj_1"]
    assert origin.requests[0].headers["x-api-key"] == FULL_KEY
    assert "x-api-key" not in landing.requests[0].headers
    assert landing.requests[0].headers["anthropic-version"] == "2023-06-01"


async def test_cross_origin_redirects_drop_the_key_async(landing: HostileServer) -> None:
    with HostileServer(_redirecting_to(landing.url)) as origin:
        async with httpx2.AsyncClient(follow_redirects=True) as http:
            client = AsyncComplianceClient(api_key=FULL_KEY, base_url=origin.url, http_client=http)
            page = await client.projects.list()
    assert len(page.data) == 1
    assert "x-api-key" not in landing.requests[0].headers


def test_same_origin_redirects_keep_the_key() -> None:
    def respond(request: SeenRequest, send: Send) -> None:
        if request.target.startswith("/moved"):
            send(json_response({"data": [PROJECT], "has_more": False, "next_page": None}))
        else:
            send(head(307, {"location": "/moved" + request.target, "content-length": "0"}))

    with HostileServer(respond) as server, httpx2.Client(follow_redirects=True) as http:
        client = ComplianceClient(api_key=FULL_KEY, base_url=server.url, http_client=http)
        client.projects.list()
    assert [r.headers.get("x-api-key") for r in server.requests] == [FULL_KEY, FULL_KEY]


def test_redirects_are_not_followed_unless_the_client_says_so(landing: HostileServer) -> None:
    with (
        HostileServer(_redirecting_to(landing.url)) as origin,
        ComplianceClient(api_key=FULL_KEY, base_url=origin.url, max_retries=0) as client,
        pytest.raises(APIError) as caught,
    ):
        client.projects.list()
    assert caught.value.status_code == 302
    assert landing.requests == []


# -- the key as it comes from files and secret stores ------------------------------------------


@pytest.mark.parametrize("padded", [f"  {FULL_KEY}\n", f"{FULL_KEY}\r\n", f"\t{FULL_KEY} "])
async def test_surrounding_whitespace_is_stripped_from_the_key(make_api: Api, padded: str) -> None:
    api = make_api(key=padded)
    page = await api.projects.list(limit=1)
    assert len(page.data) == 1


@pytest.mark.parametrize("bad", ["sk-ant-\r\nx-injected: 1", "sk-ant key", "sk-ant-\x00", "sk-ä"])
@pytest.mark.parametrize("client_type", [ComplianceClient, AsyncComplianceClient])
def test_illegal_key_characters_are_a_value_error_without_the_key(
    bad: str, client_type: type[ComplianceClient] | type[AsyncComplianceClient]
) -> None:
    with pytest.raises(ValueError, match="cannot carry") as caught:
        client_type(api_key=bad, base_url="http://127.0.0.1:9")
    assert bad.strip() not in str(caught.value) and "sk-ant" not in str(caught.value)
    good = ComplianceClient(api_key=FULL_KEY, base_url="http://127.0.0.1:9")
    with pytest.raises(ValueError, match="cannot carry"):
        good.with_options(api_key=bad)
    good.close()
