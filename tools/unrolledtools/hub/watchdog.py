"""The demonstration hub's memory watchdog (a JupyterHub service): one learner may not take the machine's memory.

Only the shared-password mode runs it, where every learner's processes are the hub user's own; with accounts, each
learner's control group limits their memory (spawner.py), since a learner can change the variable this reads.

Every second it adds up the resident memory (VmRSS) of each learner's processes (their Jupyter server and kernels,
found by the JUPYTERHUB_USER variable they inherit) and, when a learner passes the limit, kills that learner's
biggest kernel. The learner sees Jupyter's "kernel died, restarting" and keeps a working server; the hub's log
names the learner and the memory. Linux only; it needs to read the processes' /proc entries (same user, or root).
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path

from ..grading.sandbox import resident_mb


def learner_of(pid: int) -> str | None:
    try:
        environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    except OSError:
        return None
    for entry in environ:
        if entry.startswith(b"JUPYTERHUB_USER="):
            return entry.split(b"=", 1)[1].decode("utf-8", "replace")
    return None


def is_kernel(pid: int) -> bool:
    """A Java kernel (or an IPython one), not the learner's Jupyter server."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return argv[0].endswith(b"java") or any(b"ipykernel" in arg for arg in argv)


def scan() -> dict[str, list[tuple[int, float]]]:
    """learner -> [(pid, resident MB)] for every process that belongs to a hub learner."""
    found: dict[str, list[tuple[int, float]]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        pid = int(entry)
        learner = learner_of(pid)
        if learner is None:
            continue
        rss = resident_mb(pid)
        if rss is not None:
            found.setdefault(learner, []).append((pid, rss))
    return found


def enforce(limit_mb: float, log=print, prefix: str = "") -> list[tuple[str, int, float]]:
    """One pass: kills the biggest kernel of every learner (whose name starts with `prefix`) over the limit;
    returns (learner, pid, total MB) for each kernel killed."""
    killed = []
    for learner, processes in scan().items():
        if not learner.startswith(prefix):
            continue
        total = sum(rss for _, rss in processes)
        if total <= limit_mb:
            continue
        kernels = sorted(((rss, pid) for pid, rss in processes if is_kernel(pid)), reverse=True)
        if not kernels:
            continue
        rss, pid = kernels[0]
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            continue
        log(f"memory-watchdog: {learner} used {total:.0f} MB (limit {limit_mb:.0f} MB); "
            f"killed their biggest kernel (pid {pid}, {rss:.0f} MB)")
        killed.append((learner, pid, total))
    return killed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="unrolledtools.hub.watchdog", description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=float, required=True, help="MB per learner")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between checks")
    args = parser.parse_args(argv)
    print(f"memory-watchdog: limit {args.limit:.0f} MB per learner, checked every {args.interval:g} s", flush=True)
    while True:
        enforce(args.limit, log=lambda line: print(line, flush=True))
        time.sleep(args.interval)


if __name__ == "__main__":
    sys.exit(main())
