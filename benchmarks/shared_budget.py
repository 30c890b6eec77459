"""The feed tail and ``archive sync`` on one rate budget: is the tail still live?

Starts the emulator in a subprocess (``--rpm 600 --latency-ms 50``, a world big enough for the
sync to take at least three minutes), then ``claude-compliance activities tail --follow`` and
``claude-compliance archive sync`` side by side, both with their default budget settings, while
a new activity is created through the control API every few seconds. Prints:

* the tail's delivery delay, from an activity's creation to its line in the tail's output file
  (checked every 20 ms), p50 and p99, against the target of twice the poll interval;
* the 429s each process met (received and retried, and surfaced to the process);
* each full window's requests as counted by the emulator, against the budget, while both ran.

The last line is ``tail p99 delay: x.x s; 429s: n; budget used: x.x%`` with the 429s every
process met (retried or not) and the smallest share of a full window's budget both used
together. Run it with::

    python benchmarks/shared_budget.py                 # about six minutes
    python benchmarks/shared_budget.py --chats 300     # quicker: fewer full windows
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx2

# The emulator starts as for the archive's own rate-budget benchmark (run as scripts, the
# benchmarks import each other from their folder).
from archive_rate_budget import KEY, start_emulator


class Watcher(threading.Thread):
    """Notes when each activity id first appears in the tail's output file."""

    def __init__(self, out: Path) -> None:
        super().__init__(daemon=True)
        self.out = out
        self.seen: dict[str, float] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        offset = 0
        pending = b""
        while not self.stop.is_set():
            if self.out.exists():
                with self.out.open("rb") as handle:
                    handle.seek(offset)
                    chunk = handle.read()
                offset += len(chunk)
                now = time.monotonic()
                lines = (pending + chunk).split(b"\n")
                pending = lines.pop()
                for line in lines:
                    if line.strip():
                        self.seen.setdefault(json.loads(line)["id"], now)
            time.sleep(0.02)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rpm", type=int, default=600, help="the emulator's budget a minute")
    parser.add_argument("--latency-ms", type=int, default=50, help="added to every request")
    parser.add_argument("--chats", type=int, default=700, help="size of the world")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--interval", type=float, default=2.0, help="the tail's poll interval")
    parser.add_argument("--every", type=float, default=3.0, help="seconds between new activities")
    args = parser.parse_args()

    # The generated world ends a week ago: the tail's new activities are the newest there are.
    anchor = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 7 * 86400))
    emulator, url = start_emulator(args, "--anchor", anchor)
    control = httpx2.Client(base_url=url + "/_emulator", timeout=30)
    with tempfile.TemporaryDirectory(prefix="shared-budget-") as folder:
        env = {
            **os.environ,
            "ANTHROPIC_COMPLIANCE_ACCESS_KEY": KEY,
            "ANTHROPIC_COMPLIANCE_BASE_URL": url,
            "CLAUDE_COMPLIANCE_CACHE_DIR": str(Path(folder) / "cache"),
        }
        out = Path(folder) / "feed.jsonl"
        cli = [sys.executable, "-m", "claude_compliance.cli", "-v"]
        since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        started: list[subprocess.Popen[str]] = []
        tail_log_file = (Path(folder) / "tail.log").open("w+")
        try:
            tail = subprocess.Popen(
                [*cli, "activities", "tail", "--follow", "--interval", str(args.interval),
                 "--since", since, "--out", str(out)],
                # A file, not a pipe: with -v the tail logs every request.
                env=env, stderr=tail_log_file, stdout=subprocess.DEVNULL, text=True,
            )  # fmt: skip
            started.append(tail)
            watcher = Watcher(out)
            watcher.start()
            time.sleep(1.0)
            sync_started = time.time()
            sync = subprocess.Popen(
                [*cli, "--format", "json", "archive", "sync", "--to", str(Path(folder) / "a")],
                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )  # fmt: skip
            started.append(sync)
            created: dict[str, float] = {}
            sync_output: list[str] = []
            reader = threading.Thread(
                target=lambda: sync_output.extend(sync.communicate()), daemon=True
            )
            reader.start()
            while sync.poll() is None:
                for key in control.post("/activities", json={"count": 1}).json()["ids"]:
                    created[key] = time.monotonic()
                time.sleep(args.every)
            sync_ended = time.time()
            reader.join()
            deadline = time.monotonic() + 4 * args.interval + 10
            while set(created) - set(watcher.seen) and time.monotonic() < deadline:
                time.sleep(0.1)
            tail.send_signal(signal.SIGINT)
            tail.wait(timeout=60)
            tail_log_file.seek(0)
            tail_log = tail_log_file.read()
            watcher.stop.set()
            windows = control.get("/ratelimit").json()["windows"]
        finally:
            for process in started:
                if process.poll() is None:
                    process.kill()
            tail_log_file.close()
            emulator.terminate()
            emulator.wait(timeout=30)

    summary: dict[str, Any] = json.loads(sync_output[0])
    sync_log = sync_output[1]
    missing = set(created) - set(watcher.seen)
    delays = [watcher.seen[key] - created[key] for key in created if key in watcher.seen]
    tail_retried = len(re.findall(r"after HTTP 429", tail_log))
    tail_surfaced = len(re.findall(r"rate limited \(request-id", tail_log))
    sync_retried = int(summary["rate_limited"])
    sync_surfaced = sum(1 for error in summary["errors"] if "429" in str(error))
    at_emulator = sum(w["rejected"] for w in windows)
    full = [w for w in windows if w["start"] >= sync_started and w["start"] + 60 <= sync_ended]

    print(f"emulator {url}: --rpm {args.rpm} --latency-ms {args.latency_ms}, {args.chats} chats")
    print(f"archive sync: {summary['requests']} requests in {summary['elapsed_seconds']:.1f}s, "
          f"exit {sync.returncode}, {len(summary['errors'])} errors")  # fmt: skip
    print(f"activities tail --interval {args.interval:g}: {len(delays)} of {len(created)} new "
          f"activities delivered, {len(missing)} missing, exit {tail.returncode}")  # fmt: skip
    if delays:
        print(f"tail delivery delay: p50 {statistics.median(delays):.2f} s, "
              f"p99 {percentile(delays, 0.99):.2f} s, max {max(delays):.2f} s "
              f"(target p99 <= {2 * args.interval:.1f} s)")  # fmt: skip
    print(f"429s met: archive sync {sync_retried} retried, {sync_surfaced} surfaced; "
          f"activities tail {tail_retried} retried, {tail_surfaced} surfaced; "
          f"rejected at the emulator {at_emulator}")  # fmt: skip
    for w in windows:
        share = 100 * (w["allowed"] + w["rejected"]) / args.rpm
        label = "full" if w in full else "partial"
        print(
            f"window {time.strftime('%H:%M:%S', time.localtime(w['start']))} ({label}): "
            f"{w['allowed']} allowed, {w['rejected']} rejected = {share:.1f}% of the budget"
        )
    budget_lines = [line for line in sync_log.splitlines() if "rate budget, window" in line]
    for line in budget_lines[-3:]:
        print("sync -v: " + line.split(": ", 1)[1])
    used = min((100 * w["allowed"] / args.rpm for w in full), default=0.0)
    p99 = percentile(delays, 0.99) if delays else float("nan")
    print(f"tail p99 delay: {p99:.1f} s; 429s: {sync_retried + tail_retried + tail_surfaced}; "
          f"budget used: {used:.1f}%")  # fmt: skip


if __name__ == "__main__":
    main()
