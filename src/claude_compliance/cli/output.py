"""Writing records to stdout as a table, JSON, JSON Lines or CSV; messages to stderr.

Records are the SDK models' wire JSON (``model.to_dict()``), so ``json``/``jsonl`` output is
exactly what the API served. Tables show a few chosen columns (dotted paths reach into nested
objects); CSV has one column per top-level field, nested values encoded as JSON.

API data is untrusted: tables and messages show it as plain text (never Rich markup) with
terminal control characters escaped, and CSV cells that a spreadsheet would run as a formula
are neutralised (see ``_inert``).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol, TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .._inert import csv_cell, csv_line, escape_controls, json_inert

__all__ = ["FORMATS", "Output", "Record", "as_record", "lookup"]

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


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value
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
        self._stdout = stdout
        self._stderr = stderr

    @property
    def stdout(self) -> TextIO:
        return self._stdout or sys.stdout

    @property
    def stderr(self) -> TextIO:
        return self._stderr or sys.stderr

    def console(self) -> Console:
        """A Rich console on stdout; wide when piped so tables are not folded."""
        stream = self.stdout
        width = None if stream.isatty() else 200
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
        if self.format == "jsonl":
            return self._jsonl(records)
        if self.format == "json":
            return self._json(records)
        rows = list(records)
        if self.format == "csv":
            self._csv(rows)
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

    def _csv(self, rows: list[Record]) -> None:
        header: dict[str, None] = {}
        for row in rows:
            header.update(dict.fromkeys(row))
        out = self.stdout
        out.write(csv_line([csv_cell(key) for key in header]))
        for row in rows:
            out.write(csv_line([_csv_value(row.get(key)) for key in header]))
        out.flush()

    def _table(self, rows: list[Record], columns: Sequence[str] | None, title: str | None) -> None:
        if columns is None:
            seen: dict[str, None] = {}
            for row in rows:
                seen.update(dict.fromkeys(row))
            columns = list(seen)
        table = Table(title=_title(title), header_style="bold")
        for column in columns:
            table.add_column(_text(column), overflow="fold")
        for row in rows:
            table.add_row(*(_text(_cell(lookup(row, column))) for column in columns))
        console = self.console()
        if rows:
            console.print(table)
        else:
            self.note("(no records)")
