"""``python -m claude_compliance.emulator``: the banner, a served request, a clean exit."""

from __future__ import annotations

import signal
import subprocess
import sys

import httpx2
import pytest

from claude_compliance.emulator.__main__ import build_arg_parser, config_from_args


def test_parser_maps_every_option_to_the_config() -> None:
    args = build_arg_parser().parse_args(
        [
            "--seed", "9", "--chats", "3", "--local-sessions", "2", "--rpm", "0",
            "--fault-rate", "0.1", "--scope-error-style", "401", "--ingestion-delay", "2.5",
            "--no-access-activities", "--missing-version", "reject", "--latency-ms", "5",
            "--messages-per-chat", "1", "3", "--no-local-sessions",
        ]
    )  # fmt: skip
    config = config_from_args(args)
    assert (config.seed, config.chats, config.local_sessions, config.rpm) == (9, 3, 2, 0)
    assert config.fault_rate == 0.1 and config.scope_error_style == "401"
    assert config.ingestion_delay_s == 2.5 and config.access_activities is False
    assert config.missing_version == "reject" and config.latency_ms == 5
    assert config.messages_per_chat == (1, 3) and config.local_sessions_available is False


def test_module_serves_and_prints_the_banner() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "claude_compliance.emulator", "--port", "0", "--chats", "5",
         "--activities", "200"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        prefix = "Compliance API emulator listening on http://127.0.0.1:"
        assert line.startswith(prefix), line
        url = line.removeprefix("Compliance API emulator listening on ")
        assert int(url.rsplit(":", 1)[1]) > 0
        assert httpx2.get(url + "/_emulator/stats").json()["chats"] == 5
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover - only when shutdown hangs
            process.kill()
            pytest.fail("the emulator did not stop on SIGINT")
    assert process.returncode in (0, -signal.SIGINT, 130)
