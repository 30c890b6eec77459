"""Querying the archive's full-text index: filters, bm25 ranking, highlighted snippets.

Used by ``archive search``, the browser workspace and eDiscovery exports selected by a query.
The query language is FTS5's: words, ``"a phrase"``, ``prefix*``, ``AND``/``OR``/``NOT`` and
parentheses. Results come best first (bm25, with a match in a title worth more than one in a
body) and carry whether the record is gone at the source.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Sequence
from typing import Any

from .search_index import (
    MARK_END,
    MARK_START,
    SEARCH_KINDS,
    Reader,
    kind_tag,
    organization_tag,
    owner_tag,
    time_rowid,
)

__all__ = [
    "CANDIDATES",
    "SearchFilters",
    "SearchHit",
    "SearchResults",
    "SearchSyntaxError",
    "UnknownUserError",
    "matching_records",
    "resolve_users",
    "search",
]

TITLE_WEIGHT = 4.0
QUERY_ERRORS = (
    "fts5:",
    "syntax error",
    "unterminated string",
    "no such column",
    "unknown special query",
    "malformed MATCH",
)
"""How SQLite words errors in a MATCH expression (as opposed to errors of the database)."""
SNIPPET_TOKENS = 24
CANDIDATES = 5_000
"""Matches ranked at most: beyond this many, the newest this many are (see :func:`search`)."""


class SearchSyntaxError(ValueError):
    """The query is not valid FTS5 syntax (or names a column that does not exist)."""


class UnknownUserError(LookupError):
    """An email address given as a filter matches no user the archive holds."""


@dataclasses.dataclass(frozen=True)
class SearchFilters:
    """Which records a query may return (every given filter must hold; repeated values OR).

    Attributes:
        users: Owner user ids (resolve emails with :func:`resolve_users` first).
        organizations: Organization ids or uuids.
        kinds: Search kinds (``chat``, ``message``, ``project``, ``document``, ``file``,
            ``session``, ``activity``).
        time_from: Records created at or after this RFC 3339 time.
        time_to: ... and before this one (exclusive).
    """

    users: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    time_from: str | None = None
    time_to: str | None = None

    def __post_init__(self) -> None:
        unknown = sorted(set(self.kinds) - set(SEARCH_KINDS))
        if unknown:
            raise ValueError(f"unknown kind {unknown[0]!r} (one of: {', '.join(SEARCH_KINDS)})")
        for time in (self.time_from, self.time_to):
            if time is not None:
                time_rowid(time)  # a ValueError names what is not a time


@dataclasses.dataclass(frozen=True)
class SearchHit:
    """One result.

    Attributes:
        kind: Search kind (``message``, ``file``...).
        record_kind: The archive's record kind (``chat_message``, ``generated_file``...).
        id: The record's key in the archive (its id for top-level records).
        container: The chat, project or session it belongs to, if any.
        owner: The owning user's id, if known.
        owner_email: ... and email address.
        organization: Organization uuid, if known.
        time: When it was created.
        title: Its name (chat name, file name...), if it has one.
        snippet: Matching text; matches between :data:`MARK_START` and :data:`MARK_END`.
        gone: Whether the record is gone at the source (the archive still holds it).
        score: bm25 score (lower is better).
    """

    kind: str
    record_kind: str
    id: str
    container: str | None
    owner: str | None
    owner_email: str | None
    organization: str | None
    time: str | None
    title: str | None
    snippet: str
    gone: bool
    score: float

    def as_dict(self, mark: tuple[str, str] = ("«", "»")) -> dict[str, Any]:
        """Plain values, with the highlight markers replaced by ``mark``."""
        return {
            "kind": self.kind,
            "id": self.id,
            "record_kind": self.record_kind,
            "container": self.container,
            "owner": self.owner,
            "owner_email": self.owner_email,
            "organization": self.organization,
            "time": self.time,
            "title": self.title,
            "snippet": " ".join(self.snippet.split())
            .replace(MARK_START, mark[0])
            .replace(MARK_END, mark[1]),
            "gone": self.gone,
            "score": round(self.score, 4),
        }


@dataclasses.dataclass(frozen=True)
class SearchResults:
    """One page of results, and how many matches were ranked to find them.

    Attributes:
        hits: The page, best first.
        ranked: How many matches were ranked.
        complete: Whether those are all the matches; if not, more than ``ranked`` records
            match and the ranked ones are the newest (a narrower query or filter ranks all).
    """

    hits: list[SearchHit]
    ranked: int
    complete: bool

    def summary(self) -> str:
        """``12 matches``, or ``more than 5,000 matches: ranked among the newest 5,000``."""
        if self.complete:
            return f"{self.ranked:,} match{'' if self.ranked == 1 else 'es'}"
        return f"more than {self.ranked:,} matches: ranked among the newest {self.ranked:,}"


def resolve_users(reader: Reader, given: Sequence[str]) -> tuple[str, ...]:
    """User ids for ids or email addresses, looked up among the users the archive holds.

    Raises:
        UnknownUserError: When an email address matches nobody.
    """
    resolved: list[str] = []
    for value in given:
        if "@" not in value:
            resolved.append(value)
            continue
        found = {
            str(user_id)
            for (user_id,) in reader.query(
                "SELECT id FROM records WHERE kind = 'user' AND lower(name) = lower(?) "
                "UNION SELECT owner FROM search_documents "
                "WHERE lower(owner_email) = lower(?) AND owner IS NOT NULL",
                (value, value),
            )
            if user_id
        }
        if not found:
            raise UnknownUserError(f"no user in the archive has the email address {value}")
        resolved.extend(sorted(found))
    return tuple(dict.fromkeys(resolved))


def resolve_organizations(reader: Reader, given: Sequence[str]) -> tuple[str, ...]:
    """Organization uuids for uuids or ``org_…`` ids (records carry the uuid; people often
    know the id, which chats, projects and activities also carry)."""
    resolved: list[str] = []
    for value in given:
        resolved.append(value)
        if value.startswith("org_"):
            for kind in ("chat", "project", "activity"):
                found = reader.query(
                    "SELECT organization FROM records WHERE kind = ? AND organization IS NOT NULL "
                    "AND json_extract(data, '$.organization_id') = ? LIMIT 1",
                    (kind, value),
                )
                if found:
                    resolved.append(str(found[0][0]))
                    break
    return tuple(dict.fromkeys(resolved))


def _syntax_error(error: sqlite3.OperationalError, query: str) -> SearchSyntaxError | None:
    message = str(error)
    if any(sign in message for sign in QUERY_ERRORS):
        reason = message.removeprefix("fts5: ")
        return SearchSyntaxError(
            f'invalid search query {query!r}: {reason} (use words, "a phrase", prefix*, '
            "AND, OR, NOT and parentheses)"
        )
    return None


def _unbalanced(query: str) -> bool:
    """Whether a ``)`` closes more than the query opened (outside "strings"): wrapped in the
    filters' expression it would close theirs instead of being the syntax error it is."""
    depth = 0
    quoted = False
    for char in query:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "()":
            depth += 1 if char == "(" else -1
            if depth < 0:
                return True
    return False


def _any_of(tags: Sequence[str]) -> str:
    return "{tags}: (" + " OR ".join(tags) + ")"


@dataclasses.dataclass(frozen=True)
class _Plan:
    """One query as FTS5 runs it: the match expression with the filters' tags, the rowid range
    of the time filter (see :func:`~.search_index.time_rowid`)."""

    expression: str
    lowest: int | None
    below: int | None

    @classmethod
    def of(cls, reader: Reader, query: str, filters: SearchFilters | None) -> _Plan:
        if not query.strip():
            raise SearchSyntaxError("the search query is empty")
        if _unbalanced(query):
            raise SearchSyntaxError(
                f'invalid search query {query!r}: a ) without its ( (use words, "a phrase", '
                "prefix*, AND, OR, NOT and parentheses)"
            )
        filters = filters or SearchFilters()
        # The reader's words match titles and bodies only, never the filters' tags.
        parts = [f"{{title body}}: ({query})"]
        if filters.kinds:
            parts.append(_any_of([kind_tag(kind) for kind in filters.kinds]))
        if filters.users:
            parts.append(_any_of([owner_tag(user) for user in filters.users]))
        if filters.organizations:
            organizations = resolve_organizations(reader, filters.organizations)
            parts.append(_any_of([organization_tag(org) for org in organizations]))
        timed = filters.time_from is not None or filters.time_to is not None
        return cls(
            expression=" AND ".join(parts),
            # Any time filter leaves out documents without a time (their rowids are negative).
            lowest=time_rowid(filters.time_from) if filters.time_from else 1 if timed else None,
            below=time_rowid(filters.time_to) if filters.time_to else None,
        )

    def query(
        self,
        reader: Reader,
        query: str,
        select: str,
        rest: str,
        params: Sequence[Any] = (),
        *,
        join: str = "",
        lowest: int | None = None,
    ) -> list[tuple[Any, ...]]:
        """``SELECT select FROM search_text join`` matching the plan (from rowid ``lowest``
        on, if given), then ``rest``."""
        if lowest is None or (self.lowest is not None and self.lowest > lowest):
            lowest = self.lowest
        # One bound each way at most: FTS5 seeks to one, and would check any other on every
        # match it reads.
        bounds = [
            (f" AND search_text.rowid {operator} ?", bound)
            for operator, bound in ((">=", lowest), ("<", self.below))
            if bound is not None
        ]
        try:
            return reader.query(
                f"SELECT {select} FROM search_text{join} WHERE search_text MATCH ?"
                f"{''.join(sql for sql, _ in bounds)} {rest}",
                (self.expression, *(bound for _, bound in bounds), *params),
            )
        except sqlite3.OperationalError as error:
            syntax = _syntax_error(error, query)
            if syntax is None:
                raise
            raise syntax from None


def matching_records(
    reader: Reader, query: str, filters: SearchFilters | None = None
) -> list[tuple[str, str, str | None]]:
    """``(record kind, key, container)`` of every match, newest first (for exports: all of
    them, however many; ranking them would cost time and change nothing in a bundle).

    Raises:
        SearchSyntaxError: When the query is not valid FTS5 syntax.
    """
    rows = _Plan.of(reader, query, filters).query(
        reader,
        query,
        "d.record_kind, d.record_key, d.container",
        "ORDER BY search_text.rowid DESC",
        join=" JOIN search_documents AS d ON d.rowid = search_text.rowid",
    )
    return [(str(kind), str(key), container) for kind, key, container in rows]


def search(
    reader: Reader,
    query: str,
    filters: SearchFilters | None = None,
    *,
    limit: int = 20,
    offset: int = 0,
    candidates: int | None = None,
) -> SearchResults:
    """The best ``limit`` matches of ``query`` (after skipping ``offset``), best first.

    Every match is ranked when there are at most ``candidates`` (default
    :data:`CANDIDATES`); beyond that, the newest ``candidates`` matches are (reading the
    newest matches is cheap, ranking costs a little for every match ranked), and the results
    say so. Filters are part of the match, so the newest candidates are the newest that pass.

    Raises:
        SearchSyntaxError: When the query is not valid FTS5 syntax.
    """
    plan = _Plan.of(reader, query, filters)
    candidates = candidates or CANDIDATES
    newest = plan.query(reader, query, "rowid", "ORDER BY rowid DESC LIMIT ?", (candidates + 1,))
    complete = len(newest) <= candidates
    ranked = plan.query(
        reader,
        query,
        f"rowid, bm25(search_text, {TITLE_WEIGHT}, 1.0, 0.0) AS score",
        "ORDER BY score LIMIT ? OFFSET ?",
        (limit, offset),
        lowest=None if complete else int(newest[candidates - 1][0]),
    )
    hits = [_hit(reader, query, int(rowid), float(score)) for rowid, score in ranked]
    return SearchResults(
        hits=[hit for hit in hits if hit is not None],
        ranked=min(len(newest), candidates),
        complete=complete,
    )


def _hit(reader: Reader, query: str, rowid: int, score: float) -> SearchHit | None:
    """One ranked match with its document and a snippet (found by rowid: cheap whatever the
    number of matches)."""
    found = reader.query(
        "SELECT d.kind, d.record_kind, d.record_key, d.container, d.owner, d.owner_email, "
        "d.organization, d.time, d.title, r.gone_at IS NOT NULL, "
        f"snippet(search_text, -1, ?, ?, '…', {SNIPPET_TOKENS}) "
        "FROM search_text JOIN search_documents AS d ON d.rowid = search_text.rowid "
        "LEFT JOIN records AS r ON r.kind = d.record_kind AND r.key = d.record_key "
        "WHERE search_text MATCH ? AND search_text.rowid = ?",
        (MARK_START, MARK_END, f"{{title body}}: ({query})", rowid),
    )
    if not found:
        return None
    kind, record_kind, key, container, owner, email, org, time, title, gone, snippet = found[0]
    return SearchHit(
        kind=kind,
        record_kind=record_kind,
        id=key,
        container=container,
        owner=owner,
        owner_email=email,
        organization=org,
        time=time,
        title=title or None,
        snippet=snippet or "",
        gone=bool(gone),
        score=score,
    )
