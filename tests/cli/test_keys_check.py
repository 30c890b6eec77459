"""``keys check`` answers only from evidence: yes on the endpoint's 2xx, no on the API's own
scope error, unknown (exit 1) for anything else, whatever answers at the base URL."""

from __future__ import annotations

from claude_compliance.emulator.server import EmulatorServer

from ..support import ADMIN_KEY, FULL_KEY, READONLY_KEY, ForeignServer
from .conftest import Invoke, invoke_cli, jsonl

DELETE = "delete:compliance_user_data"


def _held(result: object) -> dict[str, str]:
    return {row["scope"]: row["held"] for row in jsonl(result)}  # type: ignore[arg-type]


def test_the_summary_names_key_kind_url_and_organizations(
    run: Invoke, emulator: EmulatorServer
) -> None:
    result = run("keys", "check")
    assert result.exit_code == 0, result.stderr
    assert "sk-ant-api01-…full" in result.stdout and FULL_KEY not in result.stdout
    assert "Compliance Access Key" in result.stdout
    assert emulator.url in result.stdout
    assert "Acme Holdings" in result.stdout and "4 visible" in result.stdout
    assert "--probe-delete" in result.stdout  # the delete scope is not probed by default
    admin = run("--format", "json", "keys", "check", key=ADMIN_KEY)
    assert admin.exit_code == 0 and '"Admin key (Activity Feed only)"' in admin.stdout


def test_the_delete_probe_runs_only_when_asked(run: Invoke) -> None:
    assert _held(run("--format", "jsonl", "keys", "check"))[DELETE] == "not checked"
    full = run("--format", "jsonl", "keys", "check", "--probe-delete")
    assert full.exit_code == 0 and _held(full)[DELETE] == "yes"
    readonly = run("--format", "jsonl", "keys", "check", "--probe-delete", key=READONLY_KEY)
    assert readonly.exit_code == 0 and _held(readonly)[DELETE] == "no"


def test_a_base_url_ending_in_v1_is_unknown_not_yes(emulator: EmulatorServer) -> None:
    result = invoke_cli(None, "--base-url", emulator.url + "/v1", "--format", "jsonl",
                        "keys", "check", "--probe-delete")  # fmt: skip
    assert result.exit_code == 1
    assert set(_held(result).values()) == {"unknown"}
    assert result.stderr.count("\n") == 1 and "could not tell" in result.stderr


def test_another_web_server_is_named_as_such() -> None:
    with ForeignServer() as foreign:
        result = invoke_cli(None, "--base-url", foreign.url, "--format", "jsonl",
                            "keys", "check", "--probe-delete")  # fmt: skip
    assert result.exit_code == 1
    rows = jsonl(result)
    assert {row["held"] for row in rows} == {"unknown"}
    assert rows[0]["reason"] == (
        f"the server at {foreign.url} did not answer like the Compliance API "
        "(HTTP 404, text/html): is the base URL right?"
    )
    assert "<html>" not in result.stdout + result.stderr


def test_nothing_listening_is_unknown_and_names_the_url() -> None:
    result = invoke_cli(None, "--base-url", "http://127.0.0.1:9", "--format", "jsonl",
                        "keys", "check")  # fmt: skip
    assert result.exit_code == 1
    assert all("http://127.0.0.1:9" in row["reason"] for row in jsonl(result)[:3])


def test_a_json_answer_without_the_list_shape_is_unknown() -> None:
    with ForeignServer(200, b'{"status": "ok"}', "application/json") as foreign:
        result = invoke_cli(None, "--base-url", foreign.url, "--format", "jsonl",
                            "keys", "check")  # fmt: skip
    assert result.exit_code == 1
    assert {row["held"] for row in jsonl(result)[:3]} == {"unknown"}


def test_probe_bodies_are_read_within_the_response_cap() -> None:
    import itertools

    from ..hostile import HostileServer, SeenRequest, Send, head

    def endless(request: SeenRequest, send: Send) -> None:
        send(head(200, {"content-type": "application/json", "transfer-encoding": "chunked"}))
        chunk = b"x" * 65536
        for piece in itertools.chain([b'{"data": ["'], itertools.repeat(chunk)):
            if not send(b"%x\r\n%s\r\n" % (len(piece), piece)):
                return

    with HostileServer(endless) as server:
        result = invoke_cli(None, "--base-url", server.url, "--format", "jsonl",
                            "keys", "check")  # fmt: skip
    assert result.exit_code == 1
    rows = jsonl(result)[:3]
    assert {row["held"] for row in rows} == {"unknown"}
    assert all("max_response_bytes=" in row["reason"] for row in rows), rows
