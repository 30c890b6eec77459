"""Writing records to stdout as a table, JSON, JSON Lines or CSV; messages to stderr.

Records are the SDK models' wire JSON (``model.to_dict()``), so ``json``/``jsonl`` output is
exactly what the API served. Tables show a few chosen columns (dotted paths reach into nested
objects; ``--columns`` picks others), keep ids whole and show times to the second; CSV has one
column per field, nested objects flattened into dotted columns (``user.email_address``), lists
encoded as JSON.

API data is untrusted: tables and messages show it as plain text (never Rich markup) with
terminal control characters escaped, and CSV cells that a spreadsheet would run as a formula
are neutralised (see ``_inert``).
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol, TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .._inert import csv_cell, csv_line, escape_controls, json_inert

__all__ = ["FORMATS", "Output", "Record", "as_record", "flatten", "is_id_column", "lookup"]

FORMATS = ("table", "json", "jsonl", "csv")

Record = Mapping[str, Any]


class _HasToDict(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


def as_record(item: _HasToDict | Record) -> Record:
    """The wire JSON of a model, or the mapping itself."""
    if isinstance(item, Mapping):
        return item
    return item.to_dict()


def lookup(record: Record, dotted: str) -> Any:
    """``record["user"]["email_address"]`` for ``"user.email_address"``; ``None`` if absent."""
    value: Any = record
    for part in dotted.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


_FRACTION = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\.\d+(Z|[+-]\d{2}:\d{2})$")


def is_id_column(name: str) -> bool:
    """Columns holding ids, which a table never wraps or cuts."""
    last = name.rsplit(".", 1)[-1]
    return last in ("id", "uuid") or last.endswith("_id")


def flatten(record: Record, prefix: str = "") -> dict[str, Any]:
    """Nested objects as dotted keys (``{"user": {"id": 1}}`` → ``{"user.id": 1}``)."""
    flat: dict[str, Any] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            flat.update(flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return _FRACTION.sub(r"\1\2", value)  # a table shows times to the second
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _text(value: str) -> Text:
    """A table cell shown literally: no Rich markup, control characters escaped."""
    return Text(escape_controls(value, keep="\n\t"))


def _title(title: str | None) -> Text | None:
    return None if title is None else _text(title)


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    return csv_cell(value if isinstance(value, str) else _dump(value))


def _dump(record: Any, indent: int | None = None) -> str:
    separators = (",", ": ") if indent else (",", ":")
    return json_inert(json.dumps(record, ensure_ascii=False, indent=indent, separators=separators))


MIN_CELL = 9
"""The narrowest a cut table column gets before whole columns are left out instead."""


def _fair_widths(wanted: list[int], room: int) -> list[int]:
    """Split ``room`` among columns: narrow ones get what they need, wide ones share the rest
    equally (never below :data:`MIN_CELL`)."""
    limits = [0] * len(wanted)
    pending = sorted(range(len(wanted)), key=lambda i: wanted[i])
    while pending:
        share = max(MIN_CELL, room // len(pending))
        index = pending.pop(0)
        limits[index] = min(wanted[index], share)
        room -= limits[index]
    return limits


def _piped_width() -> int:
    try:
        return max(40, int(os.environ.get("COLUMNS", "")))
    except ValueError:
        return 200


class Output:
    """Where a command's records and messages go.

    Args:
        format: One of :data:`FORMATS`.
        stdout: Stream for records (default ``sys.stdout`` at write time).
        stderr: Stream for messages (default ``sys.stderr`` at write time).
    """

    def __init__(
        self, format: str = "table", stdout: TextIO | None = None, stderr: TextIO | None = None
    ) -> None:
        self.format = format
        self.columns: list[str] | None = None
        """Columns chosen with ``--columns`` (dotted paths), replacing a command's defaults."""
        self._stdout = stdout
        self._stderr = stderr

    @property
    def stdout(self) -> TextIO:
        return self._stdout or sys.stdout

    @property
    def stderr(self) -> TextIO:
        return self._stderr or sys.stderr

    def console(self) -> Console:
        """A Rich console on stdout; when piped, as wide as ``COLUMNS`` says (200 if unset)
        so tables are not cut."""
        stream = self.stdout
        width = None if stream.isatty() else _piped_width()
        return Console(file=stream, width=width, highlight=False, soft_wrap=False)

    def error_console(self) -> Console:
        """A Rich console on stderr (progress bars, summaries)."""
        return Console(file=self.stderr, highlight=False)

    def note(self, message: str) -> None:
        """A message for the person at the terminal, on stderr."""
        print(escape_controls(message, keep="\n"), file=self.stderr, flush=True)

    # -- records ------------------------------------------------------------------------------

    def one(self, item: _HasToDict | Record, *, title: str | None = None) -> None:
        """Write one record: a key/value table, a JSON object, one JSON line or one CSV row."""
        record = as_record(item)
        if self.format == "table":
            table = Table(title=_title(title), show_header=False, box=None, pad_edge=False)
            table.add_column("field", style="bold")
            table.add_column("value", overflow="fold")
            for key, value in record.items():
                table.add_row(_text(key), _text(_cell(value)))
            self.console().print(table)
        elif self.format == "json":
            self.stdout.write(_dump(record, indent=2) + "\n")
        else:
            self.many([record], columns=None)

    def many(
        self,
        items: Iterable[_HasToDict | Record],
        *,
        columns: Sequence[str] | None = None,
        title: str | None = None,
    ) -> int:
        """Write a list of records; JSON Lines and JSON stream as the records arrive.

        Args:
            items: Models or mappings, possibly a lazy auto-paginating iterator.
            columns: Dotted paths shown by the table format (all top-level fields if omitted).
            title: Caption of the table.

        Returns:
            How many records were written.
        """
        records = (as_record(item) for item in items)
        columns = self.columns or columns
        if self.columns and self.format in ("jsonl", "json"):
            records = ({c: lookup(r, c) for c in self.columns} for r in records)
        if self.format == "jsonl":
            return self._jsonl(records)
        if self.format == "json":
            return self._json(records)
        rows = list(records)
        if self.format == "csv":
            self._csv(rows, self.columns)
        else:
            self._table(rows, columns, title)
        return len(rows)

    def _jsonl(self, records: Iterable[Record]) -> int:
        count = 0
        out = self.stdout
        for record in records:
            out.write(_dump(record) + "\n")
            out.flush()
            count += 1
        return count

    def _json(self, records: Iterable[Record]) -> int:
        count = 0
        out = self.stdout
        out.write("[")
        for record in records:
            out.write(
                ("," if count else "") + "\n  " + _dump(record, indent=2).replace("\n", "\n  ")
            )
            count += 1
        out.write("\n]\n" if count else "]\n")
        out.flush()
        return count

    def _csv(self, rows: list[Record], columns: Sequence[str] | None) -> None:
        flat = [flatten(row) for row in rows]
        header: dict[str, None] = {}
        if columns:
            header = dict.fromkeys(columns)
            flat = [{c: lookup(row, c) for c in columns} for row in rows]
        for row in flat:
            header.update(dict.fromkeys(row))
        out = self.stdout
        out.write(csv_line([csv_cell(key) for key in header]))
        for row in flat:
            out.write(csv_line([_csv_value(row.get(key)) for key in header]))
        out.flush()

    def _table(self, rows: list[Record], columns: Sequence[str] | None, title: str | None) -> None:
        if columns is None:
            seen: dict[str, None] = {}
            for row in rows:
                seen.update(dict.fromkeys(row))
            columns = list(seen)
        console = self.console()
        cells = [[_cell(lookup(row, column)) for column in columns] for row in rows]
        widths = [
            max([len(column), *(len(r[i]) for r in cells)]) for i, column in enumerate(columns)
        ]
        # The record's own id stays whole on one line; the other columns share what is left
        # and are cut with an ellipsis rather than wrapped; whole columns are left out (and
        # the person told) when they would be too narrow to read.
        keep = next((i for i, c in enumerate(columns) if is_id_column(c)), None)
        shown = len(columns)
        while True:
            left = console.width - 3 * shown - 1 - (widths[keep] if keep is not None else 0)
            others = shown - (keep is not None)
            if not others or left // others >= MIN_CELL or shown - 1 == keep or others <= 1:
                break
            shown -= 1
        if shown < len(columns):
            hidden = len(columns) - shown
            self.note(f"({hidden} more columns do not fit: widen the terminal, or use --columns)")
        limits = _fair_widths([w for i, w in enumerate(widths[:shown]) if i != keep], left)
        table = Table(title=_title(title), header_style="bold")
        for index, column in enumerate(columns[:shown]):
            if index == keep:
                table.add_column(_text(column), no_wrap=True, min_width=widths[index])
            else:
                limit = limits.pop(0)
                table.add_column(_text(column), no_wrap=True, overflow="ellipsis", max_width=limit)
        for row_cells in cells:
            table.add_row(*(_text(cell) for cell in row_cells[:shown]))
        if rows:
            console.print(table)
        else:
            self.note("(no records)")
