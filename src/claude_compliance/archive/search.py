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

from .search_index import MARK_END, MARK_START, SEARCH_KINDS, Reader

__all__ = [
    "SearchFilters",
    "SearchHit",
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


def _where(filters: SearchFilters) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    for column, values in (
        ("d.owner", filters.users),
        ("d.kind", filters.kinds),
    ):
        if values:
            clauses.append(f"{column} IN ({','.join('?' * len(values))})")
            params.extend(values)
    if filters.organizations:
        clauses.append(f"d.organization IN ({','.join('?' * len(filters.organizations))})")
        params.extend(filters.organizations)
    if filters.time_from:
        clauses.append("d.time >= ?")
        params.append(filters.time_from)
    if filters.time_to:
        clauses.append("d.time < ?")
        params.append(filters.time_to)
    return "".join(f" AND {clause}" for clause in clauses), params


def _syntax_error(error: sqlite3.OperationalError, query: str) -> SearchSyntaxError | None:
    message = str(error)
    if any(sign in message for sign in QUERY_ERRORS):
        reason = message.removeprefix("fts5: ")
        return SearchSyntaxError(
            f'invalid search query {query!r}: {reason} (use words, "a phrase", prefix*, '
            "AND, OR, NOT and parentheses)"
        )
    return None


def _ranked(
    reader: Reader,
    columns: str,
    query: str,
    filters: SearchFilters | None,
    limit: int,
    offset: int,
) -> list[tuple[Any, ...]]:
    """Rank in the full-text table alone, then join only the page's rows to their documents.

    Joining before ranking would look up every match's document (a common word matches a
    fifth of a large archive). Filters become a rowid set checked after the full-text match
    (the ``+`` keeps SQLite from running the match once per rowid of the set instead).
    """
    if not query.strip():
        raise SearchSyntaxError("the search query is empty")
    filters = filters or SearchFilters()
    if filters.organizations:
        organizations = resolve_organizations(reader, filters.organizations)
        filters = dataclasses.replace(filters, organizations=organizations)
    where, params = _where(filters)
    restrict = (
        f" AND +search_text.rowid IN (SELECT d.rowid FROM search_documents AS d WHERE 1{where})"
        if where
        else ""
    )
    try:
        return reader.query(
            f"SELECT {columns} FROM (SELECT rowid AS id, "
            f"bm25(search_text, {TITLE_WEIGHT}, 1.0) AS score FROM search_text "
            f"WHERE search_text MATCH ?{restrict} ORDER BY score LIMIT ? OFFSET ?) AS m "
            "JOIN search_documents AS d ON d.rowid = m.id "
            "LEFT JOIN records AS r ON r.kind = d.record_kind AND r.key = d.record_key "
            "ORDER BY m.score",
            (query, *params, limit, offset),
        )
    except sqlite3.OperationalError as error:
        syntax = _syntax_error(error, query)
        if syntax is None:
            raise
        raise syntax from None


def matching_records(
    reader: Reader, query: str, filters: SearchFilters | None = None
) -> list[tuple[str, str, str | None]]:
    """``(record kind, key, container)`` of every match, best first (for exports).

    Raises:
        SearchSyntaxError: When the query is not valid FTS5 syntax.
    """
    rows = _ranked(reader, "d.record_kind, d.record_key, d.container", query, filters, -1, 0)
    return [(str(kind), str(key), container) for kind, key, container in rows]


def search(
    reader: Reader,
    query: str,
    filters: SearchFilters | None = None,
    *,
    limit: int = 20,
    offset: int = 0,
) -> list[SearchHit]:
    """The best ``limit`` matches of ``query`` (after skipping ``offset``), best first.

    Raises:
        SearchSyntaxError: When the query is not valid FTS5 syntax.
    """
    ranked = _ranked(
        reader,
        "d.kind, d.record_kind, d.record_key, d.container, d.owner, d.owner_email, "
        "d.organization, d.time, d.title, m.id, r.gone_at IS NOT NULL, m.score",
        query,
        filters,
        limit,
        offset,
    )
    hits = []
    for kind, record_kind, key, container, owner, email, org, time, title, *rest in ranked:
        rowid, gone, score = rest
        # Snippets only for the page shown, each found by rowid: cheap whatever the match count.
        snippet = reader.query(
            f"SELECT snippet(search_text, -1, ?, ?, '…', {SNIPPET_TOKENS}) FROM search_text "
            "WHERE search_text MATCH ? AND rowid = ?",
            (MARK_START, MARK_END, query, rowid),
        )
        hits.append(
            SearchHit(
                kind=kind,
                record_kind=record_kind,
                id=key,
                container=container,
                owner=owner,
                owner_email=email,
                organization=org,
                time=time,
                title=title or None,
                snippet=snippet[0][0] if snippet else "",
                gone=bool(gone),
                score=float(score),
            )
        )
    return hits
