"""Peak memory of one SDK call against a hostile server: an endless JSON body and a gzip bomb.

A server in a child process answers ``GET /v1/compliance/apps/projects`` with either a JSON body
of ``--gigabytes`` GiB sent chunked (no length to refuse up front), or a gzip stream that
inflates to that size. The client here makes one ``projects.list()`` call per case with the
default ``max_response_bytes`` (64 MiB), and the script prints this process's peak RSS
(``ru_maxrss``) after each case, beside the peak before any call, so the ratio shows what the
hostile body cost.

    python benchmarks/hostile_memory.py [--gigabytes 2]

Ends with ``peak RSS after the hostile calls: <n> MiB (<x.x>x the baseline)``.
"""

from __future__ import annotations

import argparse
import resource
import socket
import subprocess
import sys
import time
import zlib

from claude_compliance import ComplianceClient, ResponseTooLargeError

MiB = 1024 * 1024


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _chunk(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


def serve(mode: str, gigabytes: float) -> None:
    """The hostile server (child process): prints its port, answers until killed."""
    listener = socket.create_server(("127.0.0.1", 0))
    print(listener.getsockname()[1], flush=True)
    total = int(gigabytes * 1024 * MiB)
    block = b" " * MiB
    while True:
        conn, _ = listener.accept()
        try:
            conn.recv(65536)
            encoding = "content-encoding: gzip\r\n" if mode == "gzip" else ""
            conn.sendall(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                + encoding.encode()
                + b"transfer-encoding: chunked\r\nconnection: close\r\n\r\n"
            )
            packer = zlib.compressobj(9, zlib.DEFLATED, 31) if mode == "gzip" else None
            sent = 0
            while sent < total:
                data = packer.compress(block) if packer else block
                if data:
                    conn.sendall(_chunk(data))
                sent += len(block)
            last = _chunk(packer.flush()) if packer else b""
            conn.sendall(last + b"0\r\n\r\n")
        except OSError:
            pass  # the client stopped reading: what it should do
        finally:
            conn.close()


def measure(mode: str, gigabytes: float) -> tuple[float, float]:
    """(seconds, peak RSS MiB) of one call against a server in ``mode``."""
    child = subprocess.Popen(
        [sys.executable, __file__, "--serve", mode, "--gigabytes", str(gigabytes)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        port = int(child.stdout.readline())
        started = time.perf_counter()
        with ComplianceClient(
            api_key="sk-ant-api01-benchmark", base_url=f"http://127.0.0.1:{port}", max_retries=0
        ) as client:
            try:
                client.projects.list()
            except ResponseTooLargeError as error:
                print(f"  {mode}: {type(error).__name__}: {error}")
        return time.perf_counter() - started, _peak_mib()
    finally:
        child.kill()
        child.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gigabytes", type=float, default=2.0, help="size of the hostile body")
    parser.add_argument("--serve", choices=("plain", "gzip"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.gigabytes)
        return
    baseline = _peak_mib()
    print(f"baseline peak RSS: {baseline:.0f} MiB")
    for mode in ("plain", "gzip"):
        seconds, peak = measure(mode, args.gigabytes)
        print(f"  {mode}: {args.gigabytes:g} GiB hostile body, {seconds:.2f}s, peak {peak:.0f} MiB")
    peak = _peak_mib()
    print(f"peak RSS after the hostile calls: {peak:.0f} MiB ({peak / baseline:.1f}x the baseline)")


if __name__ == "__main__":
    main()
