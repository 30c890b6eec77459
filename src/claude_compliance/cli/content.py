"""``files``, ``generated-files`` and ``artifacts``: metadata, downloads and (for files) delete.

The three groups work alike, so one factory builds them from the SDK resource's name.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from .app import CliState, Group, pass_state
from .deletion import Deleter, add_delete
from .params import examples, format_option

__all__ = ["artifacts", "files", "generated_files"]


def _resource(state: CliState, attribute: str) -> Any:
    return getattr(state.client(), attribute)


def content_group(
    name: str, *, attribute: str, noun: str, id_help: str, deletable: bool
) -> click.Group:
    """Build a command group with ``get``, ``download`` and optionally ``delete``.

    Args:
        name: The group's command name.
        attribute: The client attribute of the SDK resource (``files``).
        noun: Plural noun for help and messages.
        id_help: What the id argument is.
        deletable: Whether the API can delete these objects.
    """

    @click.group(name=name, cls=Group, help=f"{noun.capitalize()}: metadata and content.")
    def group() -> None:
        pass

    example_id = id_help.split()[-1].rstrip(")") if "," in id_help else id_help.split()[0]

    @examples(
        f"claude-compliance {name} get {example_id}",
        f"claude-compliance {name} get {example_id} --format json",
    )
    @group.command("get", help=f"Show one of the {noun}' metadata. ID: {id_help}.")
    @click.argument("object_id", metavar="ID")
    @format_option
    @pass_state
    def get(state: CliState, object_id: str) -> None:
        state.output.one(_resource(state, attribute).get(object_id))

    @examples(
        f"claude-compliance {name} download {example_id}",
        f"claude-compliance {name} download {example_id} --out downloads/",
        f"claude-compliance {name} download {example_id} --out - | sha256sum",
    )
    @group.command(
        "download",
        help=(
            f"Download the content of one of the {noun}. ID: {id_help}. Without --out the file "
            "lands in the current folder under the server's name (made safe); --out - writes "
            "the bytes to stdout."
        ),
    )
    @click.argument("object_id", metavar="ID")
    @click.option(
        "--out",
        "-o",
        type=click.Path(dir_okay=True, writable=True, allow_dash=True),
        default=".",
        help="File path, folder (existing, or ending in /), or - for stdout.",
    )
    @click.option(
        "--overwrite/--no-overwrite",
        default=None,
        help="Replace a different file already there (default: only one with the same "
        "content) / never replace any.",
    )
    @format_option
    @pass_state
    def download(state: CliState, object_id: str, out: str, overwrite: bool | None) -> None:
        resource = _resource(state, attribute)
        if out == "-":
            sink = sys.stdout.buffer
            for chunk in resource.download_stream(object_id):
                sink.write(chunk)
            sink.flush()
            return
        written = Path(resource.download_to_file(object_id, out, overwrite=overwrite))
        state.output.one(
            {"id": object_id, "path": os.fspath(written), "size_bytes": written.stat().st_size}
        )

    if deletable:
        add_delete(
            group,
            Deleter(
                attribute,
                noun,
                f"Permanently delete {noun}. IDs: {id_help}.",
                examples=(
                    f"claude-compliance {name} delete {id_help.split()[0]} --dry-run",
                    f"claude-compliance {name} delete - --yes --receipt receipts.jsonl < ids.txt",
                ),
            ),
        )

    return group


files = content_group(
    "files",
    attribute="files",
    noun="files",
    id_help="claude_file_… (chat uploads and project files)",
    deletable=True,
)
generated_files = content_group(
    "generated-files",
    attribute="generated_files",
    noun="generated files",
    id_help="claude_gen_file_…",
    deletable=False,
)
artifacts = content_group(
    "artifacts",
    attribute="artifacts",
    noun="artifacts",
    id_help="artifact version id, claude_artifact_version_…",
    deletable=False,
)
