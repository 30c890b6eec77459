"""The root command: global options, the per-invocation state, and error handling.

Every command runs inside :class:`ComplianceGroup`, which turns the SDK's errors into one clear
line on stderr and an exit status (1 for API and runtime failures, 2 for usage errors), so no
command ever shows a traceback or the API key.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import sys
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

import click
import httpx2

from .._client import BASE_URL_VARIABLE, KEY_VARIABLES, AsyncComplianceClient, ComplianceClient
from .._errors import APIError
from .._inert import escape_controls, one_line
from .._version import __version__
from .budget import interactive_budget
from .output import FORMATS, Output

__all__ = ["CliState", "ComplianceGroup", "Group", "cli", "command_group", "fail", "pass_state"]

F = TypeVar("F", bound=Callable[..., Any])

logger = logging.getLogger("claude_compliance.cli")
http_logger = logging.getLogger("claude_compliance.http")


class CliError(click.ClickException):
    """A runtime or API failure: one line on stderr, exit status 1.

    The message often quotes API data or a server's error text, so control characters are
    shown escaped and it stays on one line.
    """

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message))


def fail(message: str) -> NoReturn:
    """Stop the command with a runtime error (exit status 1)."""
    raise CliError(message)


@dataclasses.dataclass
class CliState:
    """What the global options configure, shared by every command of one invocation.

    Attributes:
        api_key: The key from ``--api-key`` or the environment, if any.
        base_url: The API origin from ``--base-url`` or the environment, if any.
        output: Where and how records are written.
        quiet: Suppress progress and informational messages.
        verbose: How talkative logging is (0, 1 or 2).
    """

    api_key: str | None = dataclasses.field(repr=False)  # never in a repr, log or traceback
    base_url: str | None
    output: Output
    quiet: bool = False
    verbose: int = 0
    cache: dict[str, Any] = dataclasses.field(default_factory=dict, repr=False)
    """Lookups kept for the rest of the run (the org user lists, for emails)."""
    _clients: list[ComplianceClient] = dataclasses.field(default_factory=list)
    _http: list[httpx2.Client] = dataclasses.field(default_factory=list)
    response_hooks: list[Callable[[httpx2.Response], None]] = dataclasses.field(
        default_factory=list, repr=False
    )
    """Called with every response the synchronous client receives (after it is logged)."""
    last_request_id: str | None = None
    """The ``request-id`` of the latest response, for receipts."""

    def require_key(self) -> str:
        """The API key, or a usage error naming where it can come from."""
        if not self.api_key:
            raise click.UsageError(
                "no API key: pass --api-key or set ANTHROPIC_COMPLIANCE_ACCESS_KEY "
                "(ANTHROPIC_COMPLIANCE_API_KEY is accepted too)"
            )
        return self.api_key

    def client(self) -> ComplianceClient:
        """A synchronous client, created on first use and closed when the command ends.

        Every response it receives is logged with ``-v`` (method, path, status, request id)
        and passed to :attr:`response_hooks`.
        """
        if not self._clients:
            http = httpx2.Client(event_hooks={"response": [self._observe]})
            self._http.append(http)
            self._clients.append(
                ComplianceClient(
                    api_key=self.require_key(),
                    base_url=self.base_url,
                    http_client=http,
                    # A person (or a live feed) waits on these commands: first in the budget.
                    rate_budget=interactive_budget(),
                )
            )
        return self._clients[0]

    def _observe(self, response: httpx2.Response) -> None:
        self.last_request_id = response.headers.get("request-id")
        request = response.request
        http_logger.info(
            "%s %s -> %s (request-id %s)",
            request.method,
            request.url.path,
            response.status_code,
            self.last_request_id or "none",
        )
        for hook in self.response_hooks:
            hook(response)

    def async_client(self, **options: Any) -> AsyncComplianceClient:
        """A new asynchronous client; the caller closes it (``async with``)."""
        return AsyncComplianceClient(api_key=self.require_key(), base_url=self.base_url, **options)

    def info(self, message: str) -> None:
        """An informational line on stderr, unless ``--quiet``."""
        if not self.quiet:
            self.output.note(message)

    def close(self) -> None:
        for client in self._clients:
            client.close()
        for http in self._http:
            http.close()  # a client does not close an http client it was given
        self._clients.clear()
        self._http.clear()

    def scrub(self, text: str) -> str:
        """Remove the API key from text about to be shown."""
        return text.replace(self.api_key, "***") if self.api_key else text


pass_state = click.make_pass_decorator(CliState)


def describe_api_error(error: APIError) -> str:
    """One line for an API error: status, type, message and the request id to quote."""
    return one_line(str(error).replace("\n", " "))


class Group(click.Group):
    """A command group whose listing shows each command's summary whole, not cut at 45
    characters (the terminal folds long lines instead)."""

    group_class = type  # subgroups made with .group() are of this class too

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, _summary(command)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def command_group(name: str, help: str) -> Group:
    """A group of commands: its name and its ``--help`` text (the group itself runs nothing)."""
    return Group(name, help=help)


def _summary(command: click.Command) -> str:
    if command.short_help:
        return command.short_help
    first = (command.help or "").split("\n\n")[0]
    return " ".join(first.split())


GLOBAL_FLAGS = frozenset({"-q", "--quiet", "-v", "-vv", "-vvv", "--verbose"})
GLOBAL_VALUED = frozenset({"--api-key", "--base-url"})


def hoist_global_options(args: list[str]) -> list[str]:
    """Move global options given after the subcommand (``chats list -v``) to the front, where
    Click looks for them. ``--format`` stays put: every leaf command takes it too."""
    front: list[str] = []
    rest: list[str] = []
    seen_command = False
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rest.extend(args[index:])
            break
        name = arg.split("=", 1)[0]
        if seen_command and arg in GLOBAL_FLAGS:
            front.append(arg)
        elif seen_command and name in GLOBAL_VALUED:
            front.append(arg)
            if "=" not in arg and index + 1 < len(args):
                index += 1
                front.append(args[index])
        else:
            if not arg.startswith("-") and not (rest and rest[-1] in (*GLOBAL_VALUED, "--format")):
                seen_command = True
            rest.append(arg)
        index += 1
    return front + rest


def _silence_stdout() -> None:
    """The reader went away (``| head``): later writes and the final flush go nowhere."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass  # not a real file descriptor (a test runner's buffer): nothing to flush there


class ComplianceGroup(Group):
    """The root group: global options anywhere, and failures mapped to exit codes and
    one-line messages."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, hoist_global_options(args))

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:
            _silence_stdout()
            raise click.exceptions.Exit(0) from None
        except APIError as error:
            raise CliError(_scrub(ctx, describe_api_error(error))) from None
        except ValueError as error:
            # Input Click did not check (an id the SDK refuses, a corrupt checkpoint) is a
            # runtime error: one line, exit 1. Usage errors are only those Click raises.
            raise CliError(one_line(_scrub(ctx, str(error)))) from None
        except OSError as error:
            where = f": {error.filename}" if error.filename else ""
            raise CliError(_scrub(ctx, f"{error.strerror or error}{where}")) from None
        except KeyboardInterrupt:
            raise click.Abort() from None
        except Exception as error:
            if _verbosity(ctx) >= 2:
                logger.exception("unexpected error")
            raise CliError(_scrub(ctx, f"unexpected {type(error).__name__}: {error}")) from None


def _verbosity(ctx: click.Context) -> int:
    state = ctx.find_object(CliState)
    return state.verbose if state else 0


def _scrub(ctx: click.Context, text: str) -> str:
    state = ctx.find_object(CliState)
    return state.scrub(text) if state else text


class _StderrHandler(logging.Handler):
    """Writes to whatever ``sys.stderr`` is at the time (test runners swap it)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            # Log lines quote API data (names, server messages): escape what a terminal runs.
            sys.stderr.write(escape_controls(self.format(record), keep="\n") + "\n")
        except (OSError, ValueError):
            self.handleError(record)


def _configure_logging(verbose: int, quiet: bool) -> None:
    levels = (logging.WARNING, logging.INFO, logging.DEBUG)
    level = logging.ERROR if quiet else levels[min(verbose, 2)]
    root = logging.getLogger("claude_compliance")
    root.setLevel(level)
    handler = next((h for h in root.handlers if isinstance(h, _StderrHandler)), None)
    if handler is None:
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    handler.setLevel(level)


@click.group(
    cls=ComplianceGroup,
    # Every option with a default shows it in --help, in every command below this one.
    context_settings={"help_option_names": ["-h", "--help"], "show_default": True},
)
@click.option(
    "--api-key",
    envvar=list(KEY_VARIABLES),
    show_envvar=True,
    metavar="KEY",
    help="Compliance Access Key (or an Admin key, for the Activity Feed only).",
)
@click.option(
    "--base-url",
    envvar=BASE_URL_VARIABLE,
    show_envvar=True,
    metavar="URL",
    help="API origin (default https://api.anthropic.com).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="table",
    help="How records are written to stdout.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress or informational messages.")
@click.option(
    "--verbose",
    "-v",
    count=True,
    show_default=False,  # a count: "[default: 0]" says nothing
    help="Log requests (-v) and details (-vv) to stderr.",
)
@click.version_option(__version__, prog_name="claude-compliance")
@click.pass_context
def cli(
    ctx: click.Context,
    api_key: str | None,
    base_url: str | None,
    output_format: str,
    quiet: bool,
    verbose: int,
) -> None:
    """Anthropic Compliance API from the shell: every resource, plus archive, tail and export.

    Data goes to stdout, progress and logs to stderr. Exit status: 0 success, 1 API or runtime
    error, 2 usage error.
    """
    _configure_logging(verbose, quiet)
    state = CliState(
        api_key=api_key or None,
        base_url=base_url or None,
        output=Output(output_format),
        quiet=quiet,
        verbose=verbose,
    )
    ctx.obj = state
    ctx.call_on_close(state.close)


def interactive() -> bool:
    """Whether a person can answer a prompt (stdin is a terminal)."""
    return sys.stdin.isatty() and os.environ.get("CI") is None
