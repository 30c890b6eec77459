"""How much of the rate budget ``archive sync`` uses, and whether any 429 gets through.

Starts the emulator in a subprocess with a shared budget of ``--rpm`` requests a minute (3000)
and ``--latency-ms`` added to every request (100), generates a world big enough for the sync to
span several budget windows, runs ``claude-compliance archive sync`` against it, and prints:

* the requests made, the 429 responses received (retried by the SDK after waiting) and the 429s
  that surfaced as errors (the target is zero);
* the achieved request rate against the budget's rate, measured over the sync.

The last line is ``budget used: <x.x>%`` (target: at least 90%). Run it with::

    python benchmarks/archive_rate_budget.py            # about five minutes
    python benchmarks/archive_rate_budget.py --chats 600 # quicker, less precise

The emulator's windows are fixed minutes and the SDK spends a window's budget as fast as its
requests allow, then waits for the reset; so over a short run the rate can exceed the budget's
(the last window's requests all land early in it). The longer the run, the closer to 100%.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KEY = "sk-ant-api01-emulator-full"


def start_emulator(args: argparse.Namespace, *extra: str) -> tuple[subprocess.Popen[str], str]:
    command = [
        sys.executable, "-m", "claude_compliance.emulator", "--port", "0",
        "--seed", str(args.seed), "--rpm", str(args.rpm), "--latency-ms", str(args.latency_ms),
        "--no-access-activities", "--chats", str(args.chats),
        "--projects", str(max(10, args.chats // 12)), "--users", str(max(20, args.chats // 10)),
        "--activities", str(args.chats * 12), "--local-sessions", str(max(5, args.chats // 25)),
        "--remote-sessions", str(max(5, args.chats // 25)),
        "--code-artifacts", str(max(5, args.chats // 40)), *extra,
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    if "listening on " not in line:
        process.kill()
        raise SystemExit(f"the emulator did not start: {line!r}")
    return process, line.rsplit(" ", 1)[1]


def run_sync(url: str, root: Path, concurrency: int) -> dict[str, object]:
    env = {
        **os.environ,
        "ANTHROPIC_COMPLIANCE_ACCESS_KEY": KEY,
        "ANTHROPIC_COMPLIANCE_BASE_URL": url,
    }
    command = [
        sys.executable, "-m", "claude_compliance.cli", "--format", "json", "archive", "sync",
        "--to", str(root), "--concurrency", str(concurrency),
        # Alone on the organisation: the whole budget, not a bulk job's default 90%.
        "--budget-share", "1",
    ]  # fmt: skip
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600)
    if not done.stdout.strip():
        raise SystemExit(f"archive sync failed ({done.returncode}): {done.stderr.strip()}")
    summary: dict[str, object] = json.loads(done.stdout)
    summary["exit_code"] = done.returncode
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rpm", type=int, default=3000, help="the emulator's budget a minute")
    parser.add_argument("--latency-ms", type=int, default=100, help="added to every request")
    parser.add_argument("--chats", type=int, default=2400, help="size of the world")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--concurrency", type=int, default=8, help="archive sync --concurrency")
    args = parser.parse_args()

    emulator, url = start_emulator(args)
    try:
        with tempfile.TemporaryDirectory(prefix="archive-bench-") as folder:
            print(f"emulator {url}: --rpm {args.rpm} --latency-ms {args.latency_ms}, "
                  f"{args.chats} chats; archive sync --concurrency {args.concurrency}")  # fmt: skip
            started = time.monotonic()
            summary = run_sync(url, Path(folder) / "archive", args.concurrency)
            wall = time.monotonic() - started
    finally:
        emulator.terminate()
        emulator.wait(timeout=30)

    requests = int(summary["requests"])  # type: ignore[call-overload]
    elapsed = float(summary["elapsed_seconds"])  # type: ignore[arg-type]
    errors = [str(e) for e in summary["errors"]]  # type: ignore[attr-defined]
    surfaced_429 = sum(1 for e in errors if "429" in e or "rate_limit" in e)
    rate = requests / elapsed
    budget_rate = args.rpm / 60
    windows = elapsed / 60
    print(f"requests: {requests} in {elapsed:.1f}s of sync ({wall:.1f}s with start-up), "
          f"{windows:.2f} budget windows")  # fmt: skip
    print(f"downloads: {summary['downloads']}, errors: {len(errors)}, "
          f"exit code: {summary['exit_code']}")  # fmt: skip
    print(f"429 responses received and retried: {summary['rate_limited']} "
          f"(by endpoint: {summary['rate_limited_by_endpoint']})")  # fmt: skip
    per_minute = dict(summary["requests_per_minute"])  # type: ignore[call-overload]
    minutes = sorted(per_minute, key=int)
    print("requests per budget window (first and last are partial): "
          + ", ".join(str(per_minute[m]) for m in minutes))  # fmt: skip
    full = [per_minute[m] for m in minutes[1:-1]]
    if full:
        print(f"full windows: {100 * sum(full) / (len(full) * args.rpm):.1f}% of their budget")
    print(f"429s surfaced as errors: {surfaced_429}")
    print(f"achieved rate: {rate:.1f} requests/s against a budget of {budget_rate:.1f}/s")
    print(f"budget used: {100 * rate / budget_rate:.1f}%")


if __name__ == "__main__":
    main()
