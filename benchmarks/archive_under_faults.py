"""``archive sync`` killed mid-run under faults: does every resumed archive equal a clean one?

A defect a 300-chat world under faults shows can hide in the 80-chat demo world, and a kill only
tests resumption if it lands mid-work. This script builds two emulators from the same seed (one
fault-free, one answering a ``--fault-rate`` share of requests with a transient fault), then:

* **reference**: one sync of the fault-free world, and its ``archive digest``;
* **under faults**: one uninterrupted sync of the faulty world (its wall time sets the kill
  moments), then, for each kill moment, a fresh archive whose sync is sent SIGKILL at that share
  of the wall time and then rerun to completion;
* after each completed sync, a second sync that must archive nothing new.

Each sync is the real CLI in its own process (``python -m claude_compliance.cli``), so a kill is
a real SIGKILL. For each run it prints the wall time and requests of the
sync that completes the archive (for a killed run: the resumed one), the digest and whether it
equals the reference; it exits 1 if any does not. Run it with::

    python benchmarks/archive_under_faults.py                      # 300 chats, faults 0.2
    python benchmarks/archive_under_faults.py --kills 0.1 0.5 0.9 --fault-rate 0.3
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from claude_compliance.emulator.config import EmulatorConfig
from claude_compliance.emulator.server import EmulatorServer

KEY = "sk-ant-api01-emulator-full"


def world(args: argparse.Namespace, fault_rate: float) -> EmulatorConfig:
    return EmulatorConfig(
        seed=args.seed,
        anchor=date.fromisoformat(args.anchor),
        rpm=0,
        access_activities=False,  # the sync's own reads would change the world it archives
        chats=args.chats,
        users=args.users,
        projects=args.projects,
        activities=args.activities,
        fault_rate=fault_rate,
        latency_ms=args.latency_ms,
    )


def cli(url: str, *arguments: str) -> subprocess.Popen[str]:
    environment = dict(os.environ, ANTHROPIC_COMPLIANCE_BASE_URL=url)
    environment["ANTHROPIC_COMPLIANCE_ACCESS_KEY"] = KEY
    command = [sys.executable, "-m", "claude_compliance.cli", "-q", *arguments]
    return subprocess.Popen(
        command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def finish(process: subprocess.Popen[str]) -> str:
    out, err = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"{process.args} exited {process.returncode}: {err.strip()}")
    return out


def sync(url: str, root: Path) -> tuple[float, int]:
    """One complete sync; its wall time in seconds and the requests it made."""
    started = time.perf_counter()
    out = finish(cli(url, "--format", "json", "archive", "sync", "--to", str(root)))
    return time.perf_counter() - started, int(json.loads(out)["requests"])


def killed_sync(url: str, root: Path, after: float) -> bool:
    """A sync sent SIGKILL ``after`` seconds in; False if it finished before the kill."""
    process = cli(url, "archive", "sync", "--to", str(root))
    try:
        process.wait(timeout=after)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.communicate()
        return True
    finish(process)
    return False


def digest(root: Path) -> str:
    return finish(cli("http://127.0.0.1:9", "archive", "digest", "--to", str(root))).strip()


def new_objects(url: str, root: Path) -> int:
    """Objects a further sync archives as new or changed (must be 0)."""
    out = finish(cli(url, "--format", "json", "archive", "sync", "--to", str(root)))
    kinds = json.loads(out)["records"].values()
    return sum(outcomes.get("new", 0) + outcomes.get("changed", 0) for outcomes in kinds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chats", type=int, default=300)
    parser.add_argument("--users", type=int, default=120)
    parser.add_argument("--projects", type=int, default=40)
    parser.add_argument("--activities", type=int, default=20000)
    parser.add_argument("--fault-rate", type=float, default=0.2)
    parser.add_argument("--latency-ms", type=int, default=0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--anchor", default="2026-01-01")
    parser.add_argument(
        "--kills",
        type=float,
        nargs="+",
        default=[0.1, 0.35, 0.6, 0.85],
        help="kill moments, as shares of the uninterrupted run's wall time",
    )
    args = parser.parse_args()
    print(
        f"world: seed {args.seed}, {args.chats} chats, {args.users} users, "
        f"{args.projects} projects, {args.activities} activities; fault rate {args.fault_rate}"
    )
    failures = 0
    with (
        EmulatorServer(world(args, 0.0)) as clean,
        EmulatorServer(world(args, args.fault_rate)) as faulty,
        tempfile.TemporaryDirectory() as folder,
    ):
        root = Path(folder)
        seconds, requests = sync(clean.url, root / "reference")
        reference = digest(root / "reference")
        print(f"reference (no faults)   {seconds:6.1f} s {requests:6} requests  {reference}")

        seconds, requests = sync(faulty.url, root / "faults")
        result = digest(root / "faults")
        again = new_objects(faulty.url, root / "faults")
        failures += result != reference or again != 0
        print(
            f"under faults, no kill   {seconds:6.1f} s {requests:6} requests  {result}  "
            f"{'equal' if result == reference else 'DIFFERENT'}; rerun archived {again} new"
        )
        whole = seconds
        for share in args.kills:
            archive = root / f"killed-{share}"
            landed = killed_sync(faulty.url, archive, share * whole)
            seconds, requests = sync(faulty.url, archive)
            result = digest(archive)
            again = new_objects(faulty.url, archive)
            failures += result != reference or again != 0
            moment = f"killed at {share:.0%}" if landed else f"(done before {share:.0%})"
            print(
                f"{moment:<22}  {seconds:6.1f} s {requests:6} requests  {result}  "
                f"{'equal' if result == reference else 'DIFFERENT'}; rerun archived {again} new"
            )
    print(f"resumed digests equal to the reference: {'all' if not failures else 'NOT all'}")
    raise SystemExit(1 if failures else 0)


if __name__ == "__main__":
    main()
