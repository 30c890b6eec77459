"""Server behaviour the emulator cannot produce, through httpx2's MockTransport.

A 2xx with a body that is not the expected JSON, a server that repeats a page token, bytes that
do not match their Content-MD5, an error body that is not JSON: each must surface as a clear
``APIError`` subclass and leave nothing half-done.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2
import pytest

from claude_compliance import (
    APIError,
    APIResponseValidationError,
    AsyncComplianceClient,
    ComplianceClient,
    ContentIntegrityError,
    InternalServerError,
    PaginationError,
    UnrecognizedServerError,
)

Handler = Callable[[httpx2.Request], httpx2.Response]


def sync_client(handler: Handler, **options: Any) -> ComplianceClient:
    http = httpx2.Client(transport=httpx2.MockTransport(handler))
    return ComplianceClient(
        api_key="sk-ant-api01-mock", base_url="http://mock", http_client=http, **options
    )


def async_client(handler: Handler, **options: Any) -> AsyncComplianceClient:
    http = httpx2.AsyncClient(transport=httpx2.MockTransport(handler))
    return AsyncComplianceClient(
        api_key="sk-ant-api01-mock", base_url="http://mock", http_client=http, **options
    )


PROJECT = {
    "id": "claude_proj_1",
    "name": "p",
    "created_at": "2025-01-01T00:00:00Z",
    "updated_at": "2025-01-01T00:00:00Z",
    "organization_id": "org_1",
    "is_private": False,
    "user": None,
}


@pytest.mark.parametrize(
    "response",
    [
        httpx2.Response(200, text="<html>gateway</html>", headers={"content-type": "text/html"}),
        httpx2.Response(200, json=[1, 2, 3]),
        httpx2.Response(200, json={"data": "not a list"}),
        httpx2.Response(200, json={"data": [], "next_page": 7}),
    ],
)
async def test_unexpected_2xx_bodies_are_api_errors(response: httpx2.Response) -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(
            response.status_code,
            content=response.content,
            headers={**response.headers, "request-id": "req_odd"},
        )

    with sync_client(handler) as client, pytest.raises(APIResponseValidationError) as caught:
        client.projects.list()
    assert caught.value.request_id == "req_odd"
    assert isinstance(caught.value, APIError)
    async with async_client(handler) as aclient:
        with pytest.raises(APIResponseValidationError):
            await aclient.projects.list()


def test_detail_without_its_detail_fields_still_reads() -> None:
    with sync_client(lambda r: httpx2.Response(200, json=PROJECT)) as client:
        detail = client.projects.get("claude_proj_1")
    assert detail.description is None and detail.chats_count is None
    assert detail.to_dict() == PROJECT and list(detail.to_dict()) == list(PROJECT)


async def test_a_detail_without_its_id_is_a_validation_error() -> None:
    body = {k: v for k, v in PROJECT.items() if k != "id"}
    with (
        sync_client(lambda r: httpx2.Response(200, json=body)) as client,
        pytest.raises(APIResponseValidationError, match="lacks the field 'id'") as caught,
    ):
        client.projects.get("claude_proj_1")
    assert caught.value.body == body  # what was served stays at hand
    async with async_client(lambda r: httpx2.Response(200, json=body)) as aclient:
        with pytest.raises(APIResponseValidationError, match="'id'"):
            await aclient.projects.get("claude_proj_1")


async def test_repeated_page_token_stops_with_pagination_error() -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(
            200, json={"data": [PROJECT], "has_more": True, "next_page": "page_same"}
        )

    with sync_client(handler) as client:
        seen = []
        with pytest.raises(PaginationError, match="page_same"):
            for project in client.projects.iter():
                seen.append(project)
        assert len(seen) == 2  # the first page, then the page the token led to
    async with async_client(handler) as aclient:
        with pytest.raises(PaginationError):
            async for _ in aclient.projects.iter():
                pass


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (404, "<html><body><h1>Not Found</h1></body></html>", "text/html"),
        (404, '{"detail": "Not Found"}', "application/json"),
        (401, "Authorization Required", "text/plain"),
        (200, "<!doctype html><title>Welcome</title>", "text/html; charset=utf-8"),
    ],
)
async def test_a_server_that_is_not_the_api_is_named_in_one_line(
    status: int, body: str, kind: str
) -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(status, text=body, headers={"content-type": kind})

    expected = (
        f"the server at http://mock did not answer like the Compliance API "
        f"(HTTP {status}, {kind.split(';')[0]}): is the base URL right?"
    )
    with sync_client(handler) as client, pytest.raises(UnrecognizedServerError) as caught:
        client.projects.list()
    assert str(caught.value) == expected and caught.value.status_code == status
    async with async_client(handler) as aclient:
        with pytest.raises(UnrecognizedServerError, match="did not answer like"):
            await aclient.chats.delete("claude_chat_x")


def test_a_gateway_page_is_not_flattened_into_the_message() -> None:
    page = "<html><body>" + "<p>Bad gateway</p>" * 50 + "</body></html>"

    def handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(502, text=page, headers={"content-type": "text/html"})

    with sync_client(handler, max_retries=0) as client, pytest.raises(InternalServerError) as e:
        client.projects.list()
    assert str(e.value) == "502: HTTP 502 (text/html)"
    assert e.value.body == page  # kept for whoever wants to look


def test_non_json_error_body_keeps_its_text() -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(502, text="Bad gateway from proxy", headers={"request-id": "req_p"})

    with (
        sync_client(handler, max_retries=0) as client,
        pytest.raises(InternalServerError) as caught,
    ):
        client.projects.list()
    assert caught.value.status_code == 502
    assert caught.value.message == "Bad gateway from proxy"
    assert "req_p" in str(caught.value)


def test_unknown_4xx_is_a_plain_api_error() -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(
            418, json={"type": "error", "error": {"type": "teapot", "message": "short"}}
        )

    with sync_client(handler) as client, pytest.raises(APIError) as caught:
        client.projects.list()
    assert type(caught.value) is APIError
    assert caught.value.error_type == "teapot"
    assert str(caught.value) == "418 teapot: short"


def _corrupt_download(payload: bytes, *, declared: bytes) -> Handler:
    calls = {"n": 0}

    def handler(request: httpx2.Request) -> httpx2.Response:
        calls["n"] += 1
        md5 = base64.b64encode(hashlib.md5(declared).digest()).decode()
        return httpx2.Response(
            200,
            content=payload,
            headers={
                "content-md5": md5,
                "content-disposition": "attachment; filename*=utf-8''report%20final.pdf",
            },
        )

    handler.calls = calls  # type: ignore[attr-defined]
    return handler


def test_md5_mismatch_is_retried_then_reported(tmp_path: Path) -> None:
    handler = _corrupt_download(b"tampered", declared=b"original")
    with sync_client(handler, max_retries=1) as client:
        with pytest.raises(ContentIntegrityError, match="MD5"):
            client.files.download("claude_file_1")
        with pytest.raises(ContentIntegrityError):
            client.files.download_to_file("claude_file_1", tmp_path)
        with pytest.raises(ContentIntegrityError):
            b"".join(client.files.download_stream("claude_file_1"))
    assert handler.calls["n"] == 5  # type: ignore[attr-defined]
    assert list(tmp_path.iterdir()) == []  # no partial or temporary file left behind


async def test_async_md5_mismatch_leaves_no_file(tmp_path: Path) -> None:
    handler = _corrupt_download(b"tampered", declared=b"original")
    async with async_client(handler, max_retries=0) as client:
        with pytest.raises(ContentIntegrityError):
            await client.files.download_to_file("claude_file_1", tmp_path / "out.bin")
        with pytest.raises(ContentIntegrityError):
            await client.files.download("claude_file_1")
        with pytest.raises(ContentIntegrityError):
            async for _ in client.files.download_stream("claude_file_1"):
                pass
    assert list(tmp_path.iterdir()) == []


def test_bad_content_md5_header_is_ignored() -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, content=b"abc", headers={"content-md5": "***"})

    with sync_client(handler) as client:
        assert client.files.download("claude_file_1") == b"abc"


def test_delete_decodes_confirmation_and_discards_it() -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        assert request.method == "DELETE"
        return httpx2.Response(200, content=json.dumps({"id": "x", "type": "claude_file_deleted"}))

    with sync_client(handler) as client:
        assert client.files.delete("claude_file_1") is None
