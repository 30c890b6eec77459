"""Activity Feed throughput: the SDK's ``activities.iter`` against raw httpx2 + ``json.loads``.

Both sides walk the same feed of an emulator (rate limiting off) page by page with
``limit=5000``, following ``last_id``; the raw side only decodes JSON, the SDK side also builds
an :class:`~claude_compliance.Activity` (with its typed actor) per record. Each round runs both
sides back to back (alternating which goes first), so drift on a noisy machine hits both alike;
the final ratio is the median of the per-round ratios, and the best runs are printed too.

    python benchmarks/activities_throughput.py [--activities 60000] [--rounds 7]

Ends with ``ratio SDK/raw activities per second: <x.xx>`` (higher is better; 1.00 = no cost).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable

import httpx2

from claude_compliance import ComplianceClient
from claude_compliance.emulator.config import FULL_KEY, EmulatorConfig
from claude_compliance.emulator.server import EmulatorServer

PAGE = 5000


def raw_walk(http: httpx2.Client, url: str) -> int:
    """Fetch every page with plain httpx2 and decode it with ``json.loads``."""
    count = 0
    params: dict[str, str | int] = {"limit": PAGE}
    while True:
        response = http.get(url, params=params)
        response.raise_for_status()
        body = json.loads(response.content)
        count += len(body["data"])
        if not body["has_more"] or not body["data"]:
            return count
        params = {"limit": PAGE, "after_id": body["last_id"]}


def sdk_walk(client: ComplianceClient) -> int:
    """Walk the same pages through the SDK, building an ``Activity`` per record."""
    return sum(1 for _ in client.activities.iter(limit=PAGE))


def timed(walk: Callable[[], int]) -> tuple[int, float]:
    start = time.perf_counter()
    count = walk()
    return count, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--activities", type=int, default=60_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()

    config = EmulatorConfig(
        seed=args.seed,
        rpm=0,
        remote_sessions_rpm=0,
        access_activities=False,
        activities=args.activities,
    )
    print(f"building a world of {args.activities} activities ...", flush=True)
    with EmulatorServer(config) as server:
        headers = {"x-api-key": FULL_KEY, "anthropic-version": "2023-06-01"}
        url = f"{server.url}/v1/compliance/activities"
        with (
            httpx2.Client(headers=headers, timeout=120) as http,
            ComplianceClient(api_key=FULL_KEY, base_url=server.url, timeout=120) as client,
        ):
            expected = raw_walk(http, url)  # warm-up: caches, connections, imports
            assert sdk_walk(client) == expected
            raw_rates: list[float] = []
            sdk_rates: list[float] = []
            for round_number in range(1, args.rounds + 1):
                # Alternate which side goes first, so neither always inherits a warm cache.
                sides = [("raw", lambda: raw_walk(http, url)), ("sdk", lambda: sdk_walk(client))]
                if round_number % 2 == 0:
                    sides.reverse()
                for name, walk in sides:
                    count, seconds = timed(walk)
                    assert count == expected, (name, count, expected)
                    rate = count / seconds
                    (raw_rates if name == "raw" else sdk_rates).append(rate)
                    print(
                        f"round {round_number} {name}: {count} activities in {seconds:.3f}s "
                        f"= {rate:,.0f}/s",
                        flush=True,
                    )
    raw_best, sdk_best = max(raw_rates), max(sdk_rates)
    # Each round runs both sides back to back, so their ratio cancels most machine drift; the
    # median of those ratios is what one slow or fast outlier run cannot move.
    paired = statistics.median(sdk / raw for sdk, raw in zip(sdk_rates, raw_rates, strict=True))
    print(
        f"raw httpx2 + json.loads: best {raw_best:,.0f}/s, "
        f"median {statistics.median(raw_rates):,.0f}/s"
    )
    print(
        f"SDK activities.iter:     best {sdk_best:,.0f}/s, "
        f"median {statistics.median(sdk_rates):,.0f}/s"
    )
    print(f"ratio of the best runs: {sdk_best / raw_best:.2f}")
    print(f"ratio SDK/raw activities per second: {paired:.2f}")


if __name__ == "__main__":
    main()
