"""The reviewer's workspace at scale: search and viewer latency, index size, sync overhead.

1. Builds (or reuses, with ``--archive DIR``) an archive of 100,000 chats and 1,000,000
   messages: the emulator generates the world into a file, its chats, messages and people are
   stored as ``archive sync`` stores them, and the search index is built (or rebuilt, if a
   reused archive's index is of an older version). Prints how long each step took.
2. Prints the median time of ``archive search`` for two-word queries -- a selective one and
   one of two common words (each with how many records it matches), alone and with each
   filter: ``--kind chat``, ``--kind message``, ``--user``, ``--org``, ``--from`` (the newer
   half) and a one-week window -- measured in-process with the same code the command runs,
   and of the viewer's transcript and search pages over loopback HTTP.
3. Prints the index's size relative to the archive database.
4. Syncs the demo world (``make demo``'s emulator: seed 42, 3000 requests a minute) into
   fresh archives with and without indexing, alternating, and prints the ratio of the medians.

    python benchmarks/workspace.py                                     # the full scale
    python benchmarks/workspace.py --chats 10000 --archive /tmp/ws     # a quicker run
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import httpx2

from claude_compliance.archive.context import SyncOptions
from claude_compliance.archive.reader import ArchiveReader
from claude_compliance.archive.search import SearchFilters, search
from claude_compliance.archive.search_index import index_is_built, rebuild
from claude_compliance.archive.store import ArchiveStore, RecordRow
from claude_compliance.archive.sync import RequestCounter, archive_client, sync_archive
from claude_compliance.common.timestamps import parse_timestamp, rfc3339
from claude_compliance.emulator import FULL_KEY, EmulatorConfig
from claude_compliance.emulator.generation import build_world
from claude_compliance.workspace import WorkspaceServer
from emulator_scale import median_ms  # this folder's scripts share one timing helper

SELECTIVE_QUERY = "kubernetes upgrade"
COMMON_QUERY = "termination clause"


def start_emulator(arguments: list[str]) -> tuple[subprocess.Popen[str], str]:
    """``claude-compliance emulator serve`` in its own process; returns it and its URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "claude_compliance.cli", "emulator", "serve", "--port", "0",
         "--no-access-activities", *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )  # fmt: skip
    assert process.stdout is not None
    for line in process.stdout:
        found = re.search(r"http://\S+", line)
        if found:
            return process, found.group(0)
    raise RuntimeError("the emulator did not start")


def stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    process.wait(timeout=30)


def sync_once(url: str, root: Path, *, index: bool) -> float:
    """One ``archive sync`` of the emulator at ``url`` into ``root``; returns seconds."""

    async def run() -> float:
        counter = RequestCounter()
        async with archive_client(api_key=FULL_KEY, base_url=url, counter=counter) as client:
            options = SyncOptions(index=index)
            result = await sync_archive(client, root, options=options, counter=counter)
        assert result.ok, result.stats.errors[:3]
        return result.elapsed

    return asyncio.run(run())


def build(args: argparse.Namespace, root: Path, world: Path) -> None:
    """Generate the world with the emulator, then store its chats, messages and people as
    ``archive sync`` stores them (same rows, same wire JSON), and build the search index.

    Over HTTP the same archive takes hours on a small machine (a request per chat and per
    file); the search and viewer figures depend on what the archive holds, not on how it got
    there, and the cost of indexing during a sync is measured separately below.
    """
    per_chat = args.messages // args.chats
    print(f"Building an archive of {args.chats:,} chats and {args.messages:,} messages in {root}")
    config = EmulatorConfig(
        seed=1,
        db=str(world),
        orgs=10,
        users=2000,
        projects=100,
        chats=args.chats,
        messages_per_chat=(per_chat, per_chat),
        activities=1000,
        rpm=0,
        access_activities=False,
    )
    start = time.perf_counter()
    emulator = build_world(config)
    print(f"  emulator world generated              {time.perf_counter() - start:8.1f} s")
    start = time.perf_counter()
    store = ArchiveStore(root)
    batch: list[RecordRow] = []

    def flush() -> None:
        with store.transaction():
            store.insert_new(batch)
        batch.clear()

    for organization in emulator.iter_organizations():
        uuid = organization["uuid"]
        batch.append(RecordRow("organization", uuid, organization, id=uuid))
        for user in emulator.iter_users(uuid):
            batch.append(RecordRow("user", f"{uuid}/{user['id']}", user, parent_key=uuid))
    for chat in emulator.iter_chats():
        batch.append(RecordRow("chat", chat["id"], chat))
        for position, message in enumerate(emulator.chat_messages(chat["id"])):
            batch.append(
                RecordRow("chat_message", message["id"], message, parent_key=chat["id"],
                          position=position)
            )  # fmt: skip
        if len(batch) >= 20_000:
            flush()
    flush()
    emulator.close()
    store.close()
    print(f"  records stored in the archive         {time.perf_counter() - start:8.1f} s")


def build_index(root: Path) -> None:
    """Build the search index (of an archive just built, or one whose index is older)."""
    store = ArchiveStore(root)
    try:
        if index_is_built(store):
            return
        start = time.perf_counter()
        indexed = rebuild(store, root).indexed
    finally:
        store.close()
    print(f"  search index built                    {time.perf_counter() - start:8.1f} s"
          f"  ({indexed:,} records)")  # fmt: skip


def index_share(database: Path) -> tuple[float, float]:
    """Bytes of the index's tables and of the whole database (from SQLite's page map)."""
    with sqlite3.connect(database) as db:
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        total = db.execute("PRAGMA page_count").fetchone()[0] * page_size
        try:
            index_pages = db.execute(
                "SELECT COUNT(*) FROM dbstat WHERE name LIKE 'search_%' "
                "OR name LIKE 'sqlite_autoindex_search_%'"
            ).fetchone()[0]
        except sqlite3.OperationalError:  # SQLite built without dbstat
            return float("nan"), float(total)
    return float(index_pages * page_size), float(total)


def filter_mix(reader: ArchiveReader) -> list[tuple[str, SearchFilters]]:
    """The filters each query runs with: none, each kind of filter, a narrow time window."""
    (owner, organization, middle) = reader.query(
        "SELECT owner, organization, time FROM search_documents WHERE kind = 'chat' "
        "AND owner IS NOT NULL ORDER BY rowid LIMIT 1 OFFSET "
        "(SELECT COUNT(*) / 2 FROM records WHERE kind = 'chat')"
    )[0]
    week_end = rfc3339(parse_timestamp(middle) + timedelta(days=7))
    return [
        ("", SearchFilters()),
        ("--kind chat", SearchFilters(kinds=("chat",))),
        ("--kind message", SearchFilters(kinds=("message",))),
        ("--user", SearchFilters(users=(owner,))),
        ("--org", SearchFilters(organizations=(organization,))),
        ("--from (newer half)", SearchFilters(time_from=middle)),
        ("--from/--to-time (a week)", SearchFilters(time_from=middle, time_to=week_end)),
    ]


def measure(root: Path, repeats: int) -> None:
    slowest = 0.0
    with ArchiveReader(root) as reader:
        mix = filter_mix(reader)
        print(f"archive search, two-word queries (median of {repeats}; target < 200 ms each):")
        for label, query in (("selective", SELECTIVE_QUERY), ("common words", COMMON_QUERY)):
            matches = reader.query(
                "SELECT COUNT(*) FROM search_text WHERE search_text MATCH ?", (query,)
            )[0][0]
            print(f"  {query!r} ({label}: matches {matches:,} records)")
            for name, filters in mix:
                results = search(reader, query, filters, limit=20)
                took = median_ms(lambda: search(reader, query, filters, limit=20), repeats)  # noqa: B023
                slowest = max(slowest, took)
                print(f"    {name or 'no filter':<28} {took:8.1f} ms  ({results.summary()})")
        print(f"  slowest median of the {2 * len(mix)} queries      {slowest:8.1f} ms")
        (chat_id,) = reader.query(
            "SELECT key FROM records WHERE kind = 'chat' ORDER BY key LIMIT 1 OFFSET ?",
            (reader.query("SELECT COUNT(*) FROM records WHERE kind = 'chat'")[0][0] // 2,),
        )[0]
    with WorkspaceServer(root) as server, httpx2.Client(base_url=server.url) as http:
        http.get(server.entry_url)  # takes the cookie

        def page(path: str, **params: str) -> Callable[[], None]:
            def get() -> None:
                response = http.get(path, params=params)
                response.raise_for_status()

            return get

        print(f"viewer pages over loopback HTTP (median of {repeats}; target < 100 ms):")
        transcript = median_ms(page(f"/conversations/chat/{chat_id}"), repeats)
        print(f"  transcript page (10 messages)           {transcript:8.1f} ms")
        for query, kind in (
            (SELECTIVE_QUERY, ""),
            (COMMON_QUERY, ""),
            (COMMON_QUERY, "chat"),
            (COMMON_QUERY, "message"),
        ):
            took = median_ms(page("/search", q=query, kind=kind), repeats)
            label = f"search page {query!r}" + (f" kind={kind}" if kind else "")
            print(f"  {label:<40} {took:8.1f} ms")
    index_bytes, total = index_share(root / "archive.sqlite3")
    print(
        f"index size                                {index_bytes / 1e6:8.1f} MB of "
        f"{total / 1e6:.1f} MB ({index_bytes / (total - index_bytes):.2f}x the rest of the "
        "database)"
    )


def sync_overhead(rounds: int) -> None:
    """The demo world as ``make demo`` serves it (seed 42, 3000 requests a minute), synced
    into a fresh archive each round, with and without indexing alternating."""
    process, url = start_emulator(["--seed", "42", "--rpm", "3000"])
    timings: dict[bool, list[float]] = {True: [], False: []}
    try:
        with tempfile.TemporaryDirectory(prefix="workspace-sync-") as scratch:
            for round_number in range(rounds):
                for index in (False, True) if round_number % 2 == 0 else (True, False):
                    root = Path(scratch) / f"a{round_number}{index}"
                    timings[index].append(sync_once(url, root, index=index))
                    shutil.rmtree(root)
    finally:
        stop(process)
    with_index = statistics.median(timings[True])
    without = statistics.median(timings[False])
    print(f"Demo-world archive sync, median of {rounds} fresh syncs each:")
    print(f"  without indexing                      {without * 1000:8.1f} ms")
    print(f"  with indexing                         {with_index * 1000:8.1f} ms")
    print(f"  ratio                                 {with_index / without:8.3f}  (target <= 1.15)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--sync-rounds", type=int, default=5)
    parser.add_argument("--archive", type=Path, help="archive folder to build or reuse")
    args = parser.parse_args()

    scratch = tempfile.TemporaryDirectory(prefix="workspace-bench-")
    root = args.archive or Path(scratch.name) / "archive"
    world = root.parent / f"{root.name}.world.sqlite3"
    if (root / "archive.sqlite3").is_file():
        print(f"Reusing the archive in {root}")
    else:
        build(args, root, world)
    build_index(root)
    with ArchiveReader(root) as reader:
        counts = dict(
            reader.query(
                "SELECT kind, COUNT(*) FROM records WHERE kind IN ('chat', 'chat_message') "
                "GROUP BY kind"
            )
        )
    print(f"  holds {counts.get('chat', 0):,} chats, {counts.get('chat_message', 0):,} messages")
    measure(root, args.repeats)
    sync_overhead(args.sync_rounds)
    if args.archive is None:
        scratch.cleanup()
    elif world.exists():
        os.remove(world)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
