"""Emulator at scale: generate a large world into a file database, then time big pages.

Prints the generation time, the peak resident memory of the process (generation streams rows in
batches, so it must stay far below the size of the data), the database size, and the median time
of ``limit=5000`` Activity Feed pages served over loopback HTTP (first page, a deep page reached
by cursor, and a filtered page), next to the time of a one-item page for scale.

    python benchmarks/emulator_scale.py                      # 1,000,000 activities, 100,000 chats
    python benchmarks/emulator_scale.py --activities 100000 --chats 10000   # a quicker run
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable

import httpx2

from claude_compliance.emulator import FULL_KEY, EmulatorConfig, EmulatorServer
from claude_compliance.emulator.generation import build_world


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MiB (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def median_ms(run: Callable[[], object], repeats: int) -> float:
    """Median wall time of ``run`` in milliseconds, after one warm-up call."""
    run()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument("--chats", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=2_000)
    parser.add_argument("--projects", type=int, default=5_000)
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--db", help="database file to build (default: a temporary file)")
    args = parser.parse_args()

    workdir = tempfile.TemporaryDirectory(prefix="emulator-scale-")
    db = args.db or os.path.join(workdir.name, "world.sqlite")
    config = EmulatorConfig(
        seed=1,
        db=db,
        orgs=10,
        users=args.users,
        projects=args.projects,
        chats=args.chats,
        activities=args.activities,
        rpm=0,
        access_activities=False,
    )
    print(f"Generating {args.activities:,} activities and {args.chats:,} chats into {db}")
    rss_before = peak_rss_mb()
    start = time.perf_counter()
    store = build_world(config)
    generation_s = time.perf_counter() - start
    counts = store.counts()
    store.close()
    print(f"  generation time     {generation_s:8.1f} s")
    print(f"  peak RSS            {peak_rss_mb():8.1f} MiB (before generation {rss_before:.1f})")
    print(f"  database size       {os.path.getsize(db) / 1e6:8.1f} MB")
    print(f"  rows                {counts['activities']:,} activities, {counts['chats']:,} chats,")
    print(f"                      {counts['messages']:,} messages, {counts['files']:,} files")

    with (
        EmulatorServer(config) as server,
        httpx2.Client(
            base_url=server.url,
            headers={"x-api-key": FULL_KEY, "anthropic-version": "2023-06-01"},
            timeout=60,
        ) as http,
    ):
        path = "/v1/compliance/activities"

        def page(**params: object) -> httpx2.Response:
            response = http.get(path, params=params)
            response.raise_for_status()
            return response

        first = page(limit=5000).json()
        assert len(first["data"]) == 5000
        cursor = first["last_id"]
        depth_pages = max(1, counts["activities"] // 10_000)  # halfway into the feed
        for _ in range(depth_pages - 1):
            cursor = page(limit=5000, after_id=cursor).json()["last_id"]
        deep_label = f"{depth_pages * 5000:,} items deep"
        size_kb = len(page(limit=5000).content) / 1024
        one_ms = median_ms(lambda: page(limit=1), args.repeats)
        first_ms = median_ms(lambda: page(limit=5000), args.repeats)
        deep_ms = median_ms(lambda: page(limit=5000, after_id=cursor), args.repeats)
        filtered_ms = median_ms(
            lambda: page(limit=5000, **{"exclude_activity_types[]": "claude_chat_viewed"}),
            args.repeats,
        )
        print(f"limit=5000 activity pages over HTTP (median of {args.repeats}, {size_kb:.0f} KiB):")
        print(f"  first page          {first_ms:8.1f} ms")
        print(f"  {deep_label:<19} {deep_ms:8.1f} ms")
        print(f"  filtered (exclude)  {filtered_ms:8.1f} ms")
        print(f"  limit=1 page        {one_ms:8.1f} ms  (ratio 5000/1: {first_ms / one_ms:.1f}x)")
    workdir.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
