"""Making untrusted text inert before a person sees it.

Names, messages and file names come from any employee of the customer, or from whatever answers
at the base URL. Shown on a terminal, written to a spreadsheet or rendered as Markdown they must
stay data: no escape sequences, no formulas, no forged headings. JSON output needs none of this
(JSON escaping already makes control characters inert), so only the human-facing paths call it.
"""

from __future__ import annotations

import re

__all__ = [
    "csv_cell",
    "csv_line",
    "escape_controls",
    "json_inert",
    "markdown_code",
    "markdown_fence",
    "markdown_inline",
    "one_line",
]

# C0 controls, DEL, C1 controls, and the Unicode bidirectional overrides/isolates that can make
# text read differently from what it is ("Trojan Source").
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def escape_controls(text: str, *, keep: str = "") -> str:
    """``text`` with every control character shown as ``\\x1b``-style escapes.

    Args:
        text: Untrusted text.
        keep: Control characters the layout allows through as they are (e.g. ``"\\n\\t"``).
    """
    if keep:
        return _CONTROLS.sub(lambda m: m.group() if m.group() in keep else _escaped(m), text)
    return _CONTROLS.sub(_escaped, text)


# What ``json.dumps(..., ensure_ascii=False)`` leaves raw although a terminal may act on it.
_JSON_RAW_CONTROLS = re.compile("[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def json_inert(dumped: str) -> str:
    """JSON text with DEL, C1 controls and bidi overrides written as ``\\u`` escapes: the same
    data, but nothing a terminal acts on (such characters only occur inside JSON strings)."""
    return _JSON_RAW_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)


def one_line(text: str) -> str:
    """``text`` escaped for a single terminal line: newlines are shown as ``\\n`` too."""
    return escape_controls(text)


# OWASP "CSV injection": a cell starting with one of these is a formula to a spreadsheet.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    """A CSV cell a spreadsheet shows as text: formula-like values get a leading ``'``."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def csv_line(cells: list[str], delimiter: str = ",") -> str:
    """One CSV record; any cell holding CR, LF, a quote or the delimiter is quoted.

    The standard library's writer leaves a lone CR unquoted when the line terminator is LF,
    which lets a value split a row in some readers; this never does.
    """
    special = ("\r", "\n", '"', delimiter)
    return (
        delimiter.join(
            '"' + cell.replace('"', '""') + '"' if any(s in cell for s in special) else cell
            for cell in cells
        )
        + "\n"
    )


# The characters that open inline structure (emphasis, code, links, images, HTML, entities,
# strikethrough, table cells). CommonMark lets a backslash escape any of them; line-start
# structure (headings, lists, quotes, rules) cannot arise because values never start a line.
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]<>&!~|])")
_NEWLINES = re.compile(r"\r\n|\r|\n")


def markdown_inline(value: object) -> str:
    """Untrusted text as literal Markdown on one line: it cannot start a heading, a list item,
    a block, a link or HTML, and cannot end the line it is on."""
    text = escape_controls(_NEWLINES.sub(" ", str(value)), keep="\t")
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)


def markdown_code(value: object) -> str:
    """Untrusted text as an inline code span, however many backticks it contains."""
    text = escape_controls(_NEWLINES.sub(" ", str(value)), keep="\t")
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def markdown_fence(text: str, info: str = "") -> list[str]:
    """Untrusted multi-line text as a fenced code block no line of it can close early."""
    body = escape_controls(_NEWLINES.sub("\n", text), keep="\n\t")
    longest = max((len(run) for run in re.findall("`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}{info}", body, fence]
