"""Client CPU per request: the SDK against raw httpx2 + ``json.loads`` on the same requests.

The emulator runs in its own process, so ``time.process_time()`` in this one counts only the
client: building the request, pacing, sending, reading, decoding and (for the SDK) parsing into
models. Each pass makes the same requests on both sides — ``projects.list``, then ``get`` and
``list_attachments`` for every project — and each round runs both sides back to back, alternating
which goes first. The ratio is the median of the per-round ratios.

It also starts fresh Python processes that make one request and reports the CPU that first
request costs (interpreter start excluded; imports and any one-time model compilation included),
since a command-line tool pays that on every run.

    python benchmarks/transport_overhead.py [--rounds 9] [--passes 4]

Ends with ``ratio SDK/raw CPU: <x.xx>`` (lower is better; 1.00 = no overhead).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx2

from claude_compliance import ComplianceClient
from claude_compliance.emulator.config import FULL_KEY

HEADERS = {"x-api-key": FULL_KEY, "anthropic-version": "2023-06-01"}
PROJECTS = "/v1/compliance/apps/projects"


@contextmanager
def emulator(seed: int, projects: int) -> Iterator[str]:
    """An emulator in a separate process (its CPU is not ours), yielding its URL."""
    command = [sys.executable, "-m", "claude_compliance.emulator", "--port", "0", "--rpm", "0"]
    command += ["--seed", str(seed), "--projects", str(projects), "--no-access-activities"]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if found := re.search(r"http://[\d.]+:\d+", line):
                yield found.group(0)
                return
        raise RuntimeError("the emulator did not start")
    finally:
        process.terminate()
        process.wait(timeout=10)


def raw_pass(http: httpx2.Client, url: str) -> int:
    """One pass with plain httpx2: list, then get and attachments for every project."""
    listing = json.loads(http.get(url + PROJECTS, params={"limit": 100}).content)
    requests = 1
    for project in listing["data"]:
        detail = http.get(f"{url}{PROJECTS}/{project['id']}")
        detail.raise_for_status()
        json.loads(detail.content)
        attachments = http.get(f"{url}{PROJECTS}/{project['id']}/attachments")
        attachments.raise_for_status()
        json.loads(attachments.content)
        requests += 2
    return requests


def sdk_pass(client: ComplianceClient) -> int:
    """The same pass through the SDK, parsing every answer into models."""
    requests = 1
    for project in client.projects.list(limit=100).data:
        client.projects.get(project.id)
        client.projects.list_attachments(project.id)
        requests += 2
    return requests


def cpu(work: Callable[[], int], passes: int) -> tuple[int, float]:
    start = time.process_time()
    requests = sum(work() for _ in range(passes))
    return requests, time.process_time() - start


FIRST_REQUEST = """
import time, sys
start = time.process_time()
{body}
print(time.process_time() - start)
"""
SDK_FIRST = """
from claude_compliance import ComplianceClient
with ComplianceClient(api_key=sys.argv[2], base_url=sys.argv[1]) as client:
    client.projects.list(limit=1)
"""
RAW_FIRST = """
import json, httpx2
with httpx2.Client(headers={"x-api-key": sys.argv[2], "anthropic-version": "2023-06-01"}) as h:
    json.loads(h.get(sys.argv[1] + "/v1/compliance/apps/projects", params={"limit": 1}).content)
"""


def first_request_ms(body: str, url: str, runs: int) -> float:
    """Median CPU of a fresh process's imports plus its first request, in milliseconds."""
    script = FIRST_REQUEST.format(body=body)
    samples = [
        float(subprocess.check_output([sys.executable, "-c", script, url, FULL_KEY], text=True))
        for _ in range(runs)
    ]
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--passes", type=int, default=4)
    parser.add_argument("--projects", type=int, default=40)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()

    with emulator(args.seed, args.projects) as url:
        with (
            httpx2.Client(headers=HEADERS, timeout=60) as http,
            ComplianceClient(api_key=FULL_KEY, base_url=url, timeout=60) as client,
        ):
            expected = raw_pass(http, url)  # warm-up: connections, imports, compiled parsers
            assert sdk_pass(client) == expected
            ratios: list[float] = []
            per_request: dict[str, list[float]] = {"raw": [], "sdk": []}
            for round_number in range(1, args.rounds + 1):
                sides: list[tuple[str, Callable[[], int]]] = [
                    ("raw", lambda: raw_pass(http, url)),
                    ("sdk", lambda: sdk_pass(client)),
                ]
                if round_number % 2 == 0:
                    sides.reverse()
                measured: dict[str, float] = {}
                for name, work in sides:
                    requests, seconds = cpu(work, args.passes)
                    assert requests == expected * args.passes, (name, requests)
                    measured[name] = seconds / requests * 1e6
                    per_request[name].append(measured[name])
                ratios.append(measured["sdk"] / measured["raw"])
                print(
                    f"round {round_number}: raw {measured['raw']:.0f} µs, "
                    f"SDK {measured['sdk']:.0f} µs CPU per request "
                    f"({expected * args.passes} requests each)",
                    flush=True,
                )
        sdk_first = first_request_ms(SDK_FIRST, url, runs=5)
        raw_first = first_request_ms(RAW_FIRST, url, runs=5)

    print(f"raw httpx2 + json.loads: median {statistics.median(per_request['raw']):.0f} µs CPU")
    print(f"SDK (parsed models):     median {statistics.median(per_request['sdk']):.0f} µs CPU")
    print(
        f"first request in a fresh process (imports + first call): SDK {sdk_first:.0f} ms CPU, "
        f"raw httpx2 {raw_first:.0f} ms CPU"
    )
    print(f"ratio SDK/raw CPU: {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
