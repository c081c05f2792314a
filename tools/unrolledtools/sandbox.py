"""A Java kernel with a memory limit, for running code nobody has reviewed (a learner's submission).

Three layers, from gentle to hard, for a limit of M MB:

* the JVM's heap is capped at 40 % of M (`-Xmx`); with `-XX:+ExitOnOutOfMemoryError` (in Unrolled's kernelspec) a
  full heap ends the kernel;
* ND4J's off-heap memory is capped at 30 % of M (JavaCPP's `maxbytes`), and JavaCPP refuses allocations once the
  process's resident memory passes 90 % of M (`maxphysicalbytes`): the cell fails with an OutOfMemoryError;
* a watchdog thread reads the kernel's resident memory (`/proc/<pid>/status`, VmRSS) every 0.2 s and kills the
  kernel when it passes M. This one holds for any kernel, ours or not; Linux only.
"""
from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager

HEAP_SHARE, OFF_HEAP_SHARE, PHYSICAL_SHARE = 0.40, 0.30, 0.90


def limited_argv(argv: list[str], memory_mb: int) -> list[str]:
    """The kernel's command line with the JVM's and ND4J's limits set for `memory_mb` (Unrolled's kernelspec)."""
    heap, off_heap, physical = (int(memory_mb * share) for share in (HEAP_SHARE, OFF_HEAP_SHARE, PHYSICAL_SHARE))
    out = []
    for arg in argv:
        if arg.startswith("-Xmx"):
            arg = f"-Xmx{heap}m"
        elif arg.startswith("-Dorg.bytedeco.javacpp.maxbytes="):
            arg = f"-Dorg.bytedeco.javacpp.maxbytes={off_heap}m"
        elif arg.startswith("-Dorg.bytedeco.javacpp.maxphysicalbytes="):
            continue
        out.append(arg)
    if any(arg.startswith("-Xmx") for arg in out):
        at = next(i for i, arg in enumerate(out) if arg.startswith("-Xmx")) + 1
        out.insert(at, f"-Dorg.bytedeco.javacpp.maxphysicalbytes={physical}m")
    return out


def kernel_manager_class(memory_mb: int, env: dict[str, str]) -> type:
    """A kernel manager that starts the installed `java` kernel with a memory limit and extra environment."""

    class LimitedKernelManager(AsyncKernelManager):
        @property
        def kernel_spec(self):
            if self._kernel_spec is None and self.kernel_name != "":
                spec = self.kernel_spec_manager.get_kernel_spec(self.kernel_name)
                spec.argv = limited_argv(list(spec.argv), memory_mb)
                spec.env = dict(spec.env or {}, **env)
                self._kernel_spec = spec
            return self._kernel_spec

    return LimitedKernelManager


def resident_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        return None
    return None


class Watchdog:
    """Kills a process whose resident memory passes a limit; records its peak and whether it had to kill."""

    def __init__(self, limit_mb: int, interval: float = 0.2):
        self.limit_mb = limit_mb
        self.interval = interval
        self.peak_mb = 0.0
        self.killed = False
        self.process = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def watch(self, process) -> None:
        """Starts watching `process` (a Popen, or anything with a pid)."""
        self.process = process
        self._thread = threading.Thread(target=self._run, name="unrolled-watchdog", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        pid = self.process.pid
        while not self._stop.wait(self.interval):
            rss = resident_mb(pid)
            if rss is None:
                return
            self.peak_mb = max(self.peak_mb, rss)
            if rss > self.limit_mb:
                self.killed = True
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
                return

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)

    def exit_code(self) -> int | None:
        try:
            return self.process.poll() if self.process is not None else None
        except (AttributeError, OSError):
            return None


def log_tail(log: Path, lines: int = 40) -> str:
    try:
        return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""
