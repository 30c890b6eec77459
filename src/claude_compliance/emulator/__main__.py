"""``python -m claude_compliance.emulator``: serve an emulated Compliance API from a shell.

``build_arg_parser``, ``config_from_args`` and ``main`` are reused by
``claude-compliance emulator serve``.
"""

from __future__ import annotations

import argparse
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
        type=float,
        default=0.0,
        help="seconds before access activities become visible",
    )
    parser.add_argument(
        "--no-local-sessions",
        action="store_true",
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
        action="store_true",
        help="do not record compliance_api_accessed activities",
    )
    return parser


def config_from_args(args: argparse.Namespace) -> EmulatorConfig:
    """An ``EmulatorConfig`` from parsed options."""
    sizes = {name: getattr(args, name) for name, _ in _SIZE_OPTIONS}
    return EmulatorConfig(
        seed=args.seed,
        anchor=args.anchor,
        db=args.db,
        rpm=args.rpm,
        rate_window_s=args.rate_window,
        remote_sessions_rpm=args.remote_sessions_rpm,
        latency_ms=args.latency_ms,
        fault_rate=args.fault_rate,
        scope_error_style=args.scope_error_style,
        missing_version=args.missing_version,
        shapes=args.shapes,
        ingestion_delay_s=args.ingestion_delay,
        access_activities=not args.no_access_activities,
        control_token=args.control_token,
        local_sessions_available=not args.no_local_sessions,
        messages_per_chat=(args.messages_per_chat[0], args.messages_per_chat[1]),
        **sizes,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Parse options and serve until interrupted."""
    args = build_arg_parser().parse_args(argv)
    config = config_from_args(args)
    try:
        config.validate()
    except ValueError as error:
        build_arg_parser().error(str(error))
    serve(config, args.host, args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
