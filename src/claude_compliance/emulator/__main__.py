"""``python -m claude_compliance.emulator``: serve an emulated Compliance API from a shell.

``build_arg_parser`` and ``parse_config`` are reused by ``claude-compliance emulator serve``.
Each option's ``dest`` is the ``EmulatorConfig`` field it sets, so the options are the one
place that names them.
"""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Sequence
from datetime import date

from .config import SHAPES, EmulatorConfig
from .server import serve

_SIZE_OPTIONS = (
    ("orgs", "child organizations"),
    ("users", "users"),
    ("projects", "projects"),
    ("chats", "chats"),
    ("activities", "activities in the generated feed"),
    ("local_sessions", "local sessions"),
    ("remote_sessions", "remote sessions"),
    ("code_artifacts", "Claude Code artifacts"),
    ("groups", "groups"),
    ("roles", "RBAC roles per organization"),
)


def build_arg_parser(parser: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    """The emulator's command-line options (added to ``parser`` when one is given)."""
    parser = parser or argparse.ArgumentParser(
        prog="python -m claude_compliance.emulator",
        description="Serve a stateful, seeded emulation of Anthropic's Compliance API.",
    )
    defaults = EmulatorConfig()
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one")
    parser.add_argument("--seed", type=int, default=defaults.seed, help="world seed")
    parser.add_argument(
        "--anchor",
        type=date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help="the generated year of data ends at the start of this day (default: today); "
        "pin it for a reproducible world",
    )
    parser.add_argument("--db", default=None, help="SQLite file for the world (default: memory)")
    for name, what in _SIZE_OPTIONS:
        parser.add_argument(
            "--" + name.replace("_", "-"),
            type=int,
            default=getattr(defaults, name),
            dest=name,
            help=f"number of {what} ({getattr(defaults, name)})",
        )
    parser.add_argument(
        "--messages-per-chat",
        type=int,
        nargs=2,
        metavar=("LOW", "HIGH"),
        default=list(defaults.messages_per_chat),
        help="inclusive range of messages per chat (2 8)",
    )
    parser.add_argument(
        "--rpm", type=int, default=defaults.rpm, help="requests per minute; 0 = unlimited"
    )
    parser.add_argument(
        "--rate-window",
        dest="rate_window_s",
        type=int,
        default=defaults.rate_window_s,
        metavar="SECONDS",
        help="length of the rate-limit window; --rpm requests are allowed per window (60)",
    )
    parser.add_argument(
        "--remote-sessions-rpm",
        type=int,
        default=defaults.remote_sessions_rpm,
        help="secondary remote-session budget; 0 = off",
    )
    parser.add_argument("--latency-ms", type=int, default=0, help="delay added to each request")
    parser.add_argument("--fault-rate", type=float, default=0.0, help="random fault probability")
    parser.add_argument(
        "--scope-error-style",
        choices=("403", "401"),
        default="403",
        help="403 permission_error (newest) or the Rev J 401 wording",
    )
    parser.add_argument(
        "--missing-version",
        choices=("accept", "reject"),
        default="accept",
        help="what a request without anthropic-version gets",
    )
    parser.add_argument(
        "--shapes",
        choices=SHAPES,
        default=defaults.shapes,
        help="how records are rendered: current (newest reference), sparse (absent optionals "
        "omitted, deprecated fields dropped) or rev-j (the Rev J shapes)",
    )
    parser.add_argument(
        "--ingestion-delay",
        dest="ingestion_delay_s",
        metavar="INGESTION_DELAY",
        type=float,
        default=0.0,
        help="seconds before access activities become visible",
    )
    parser.add_argument(
        "--no-local-sessions",
        dest="local_sessions_available",
        action="store_false",
        help="answer every local-session call with 'Local sessions are not available.'",
    )
    parser.add_argument(
        "--control-token",
        default=None,
        metavar="TOKEN",
        help="require this token (header x-emulator-control-token) on the /_emulator control API",
    )
    parser.add_argument(
        "--no-access-activities",
        dest="access_activities",
        action="store_false",
        help="do not record compliance_api_accessed activities",
    )
    return parser


def config_from_args(args: argparse.Namespace) -> EmulatorConfig:
    """An ``EmulatorConfig`` from parsed options (``--host`` and ``--port`` are not part of it)."""
    fields = {field.name for field in dataclasses.fields(EmulatorConfig)}
    settings = {name: value for name, value in vars(args).items() if name in fields}
    low, high = settings.pop("messages_per_chat")
    return EmulatorConfig(messages_per_chat=(low, high), **settings)


def parse_config(
    parser: argparse.ArgumentParser, argv: Sequence[str] | None
) -> tuple[EmulatorConfig, argparse.Namespace]:
    """The checked config and the parsed options; exits with a usage error for a bad one."""
    args = parser.parse_args(argv)  # --help and unknown options exit here (0 / 2)
    config = config_from_args(args)
    try:
        config.validate()
    except ValueError as error:
        parser.error(str(error))
    return config, args


def main(argv: Sequence[str] | None = None) -> int:
    """Parse options and serve until interrupted."""
    config, args = parse_config(build_arg_parser(), argv)
    serve(config, args.host, args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
