"""``completion SHELL``: the script that teaches a shell to complete ``claude-compliance``."""

from __future__ import annotations

import click
from click.shell_completion import get_completion_class

from .params import examples

__all__ = ["completion"]

PROGRAM = "claude-compliance"
COMPLETE_VARIABLE = "_CLAUDE_COMPLIANCE_COMPLETE"


@examples(
    'eval "$(claude-compliance completion bash)"        # in ~/.bashrc',
    'eval "$(claude-compliance completion zsh)"         # in ~/.zshrc',
    "claude-compliance completion fish > ~/.config/fish/completions/claude-compliance.fish",
)
@click.command()
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
@click.pass_context
def completion(ctx: click.Context, shell: str) -> None:
    """Print the shell completion script for bash, zsh or fish (commands, options, choices)."""
    root = ctx.find_root().command
    completer = get_completion_class(shell)
    assert completer is not None  # click.Choice admits only the shells Click supports
    click.echo(completer(root, {}, PROGRAM, COMPLETE_VARIABLE).source())
