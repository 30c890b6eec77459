"""``emulator serve``: the local Compliance API emulator, with the emulator's own options."""

from __future__ import annotations

import argparse

import click

from .app import command_group, fail

__all__ = ["emulator"]

SERVE_EXAMPLES = """Examples:

  $ claude-compliance emulator serve --port 8000 --seed 42
  $ claude-compliance emulator serve --anchor 2026-01-01 --rpm 0 --db world.sqlite3
  $ claude-compliance emulator serve --shapes rev-j --fault-rate 0.05
"""


emulator = command_group("emulator", "A local, stateful Compliance API for tests, demos and CI.")


@emulator.command(
    "serve",
    context_settings={"ignore_unknown_options": True, "help_option_names": []},
    add_help_option=False,
)
@click.argument("arguments", nargs=-1, type=click.UNPROCESSED)
def serve(arguments: tuple[str, ...]) -> None:
    """Serve the emulator until interrupted (see --help for its options).

    Prints "Compliance API emulator listening on http://HOST:PORT" once it accepts requests.
    """
    try:
        from ..emulator.__main__ import build_arg_parser, parse_config
        from ..emulator.server import serve as run_server
    except ImportError as error:
        fail(
            f"the emulator needs the 'emulator' extra ({error.name} is missing): "
            "pip install 'claude-compliance[emulator]'"
        )
    parser = build_arg_parser(
        argparse.ArgumentParser(
            prog="claude-compliance emulator serve",
            description="Serve a stateful, seeded emulation of Anthropic's Compliance API.",
            epilog=SERVE_EXAMPLES,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
    )
    config, options = parse_config(parser, list(arguments))
    run_server(config, options.host, options.port)
