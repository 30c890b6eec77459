"""Downloads: streamed bodies with Content-Disposition, Content-Type and Content-MD5."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import unquote

import httpx2

from claude_compliance.emulator import EmulatorServer

from .helpers import V1


def _filename(disposition: str) -> str:
    prefix = "attachment; filename*=utf-8''"
    assert disposition.startswith(prefix)
    encoded = disposition[len(prefix) :]
    assert all(ch not in encoded for ch in ' "/\\\n;')
    return unquote(encoded)


def test_every_file_downloads_with_matching_headers(
    client: httpx2.Client, server: EmulatorServer
) -> None:
    for record in server.store.iter_files():
        response = client.get(f"{V1}/apps/chats/files/{record['id']}/content")
        assert response.status_code == 200
        assert response.headers["transfer-encoding"] == "chunked"
        assert response.headers["content-type"].startswith(record["mime_type"])
        assert _filename(response.headers["content-disposition"]) == record["filename"]
        digest = hashlib.md5(response.content).digest()
        assert response.headers["content-md5"] == base64.b64encode(digest).decode()
        assert hashlib.md5(response.content).hexdigest() == record["md5"]
        assert len(response.content) == record["size_bytes"]


def test_hostile_filenames_are_percent_encoded(
    client: httpx2.Client, server: EmulatorServer
) -> None:
    record = next(r for r in server.store.iter_files() if r["filename"] == "../../etc/passwd")
    response = client.get(f"{V1}/apps/chats/files/{record['id']}/content")
    assert response.headers["content-disposition"] == (
        "attachment; filename*=utf-8''..%2F..%2Fetc%2Fpasswd"
    )


def test_other_downloads(client: httpx2.Client, server: EmulatorServer) -> None:
    generated = next(g for g in server.store.iter_generated_files() if g["md5"])
    response = client.get(f"{V1}/apps/chats/generated-files/{generated['id']}/content")
    assert hashlib.md5(response.content).hexdigest() == generated["md5"]
    expired = next(g for g in server.store.iter_generated_files() if g["md5"] is None)
    response = client.get(f"{V1}/apps/chats/generated-files/{expired['id']}/content")
    assert response.status_code == 404
    artifact = next(server.store.iter_code_artifacts())
    version = artifact["versions"][0]["id"]
    response = client.get(f"{V1}/apps/code/artifacts/{artifact['id']}/versions/{version}")
    assert response.headers["content-type"].startswith("text/html")
    assert (
        response.headers["content-md5"]
        == base64.b64encode(hashlib.md5(response.content).digest()).decode()
    )
    missing = client.get(f"{V1}/apps/code/artifacts/{artifact['id']}/versions/0-0000")
    assert missing.status_code == 404
    assert client.get(f"{V1}/apps/code/artifacts/cart_nope/versions/{version}").status_code == 404


def test_blobs_cover_everything_downloadable(client: httpx2.Client, server: EmulatorServer) -> None:
    paths = {
        "file": "/apps/chats/files/{}/content",
        "generated_file": "/apps/chats/generated-files/{}/content",
        "artifact_version": "/apps/artifacts/{}/content",
    }
    for blob in server.store.iter_blobs():
        if blob.kind in paths:
            served = client.get(V1 + paths[blob.kind].format(blob.id)).content
        elif blob.kind == "project_document":
            served = client.get(f"{V1}/apps/projects/documents/{blob.id}").json()["content"]
            served = served.encode()
        else:
            artifact_id, version_id = blob.id.split("/")
            served = client.get(
                f"{V1}/apps/code/artifacts/{artifact_id}/versions/{version_id}"
            ).content
        assert served == blob.content, blob
