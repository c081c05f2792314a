"""The workshop hub's spawner for learners with accounts: JupyterHub's LocalProcessSpawner (each server runs as its
learner's own Unix user), plus a control group per learner, so the learner's server and every kernel and process
under it share one memory limit (`Spawner.mem_limit`), one CPU limit (`Spawner.cpu_limit`, in cores) and one limit on
processes, all enforced by the Linux kernel whatever the learner's code does to its environment.

Why control groups: they are the one mechanism that limits a whole process tree (a learner's code can start
processes of its own). `prlimit` limits each process on its own, so a learner could add up as many limits as they
start processes; systemd slices are control groups too, but need systemd as PID 1, which containers and CI often
lack. Where the hub cannot make a control group it refuses to start the learner's server and says why, rather
than run without limits.

Imported by JupyterHub (tools/hub/jupyterhub_config.py names it) when the hub runs as root with PAM accounts.
"""
from __future__ import annotations

import os
import pwd

from jupyterhub.spawner import LocalProcessSpawner

from ..grading import sandbox

PROCESSES = 2048  # processes and threads per learner: a server, a few kernels of some 60 threads each
CPU_PERIOD_US = 100_000


class CpuGroup:
    """The CPU share of one learner: at most `cpus` cores' time in every 0.1 s (v1: the cpu hierarchy's quota; v2:
    cpu.max in the learner's control group)."""

    def __init__(self, name: str, cpus: float, group: sandbox.ControlGroup):
        quota = max(1000, int(cpus * CPU_PERIOD_US))
        if group.v2:
            self.folder = group.dirs["all"]
            (self.folder / "cpu.max").write_text(f"{quota} {CPU_PERIOD_US}", encoding="ascii")
        else:
            self.folder = sandbox.CGROUP_ROOT / "cpu" / sandbox._own_cgroup("cpu") / name
            self.folder.mkdir(exist_ok=True)
            (self.folder / "cpu.cfs_period_us").write_text(str(CPU_PERIOD_US), encoding="ascii")
            (self.folder / "cpu.cfs_quota_us").write_text(str(quota), encoding="ascii")

    def throttled(self) -> int:
        """How many times the kernel has held the learner's processes back at the limit."""
        try:
            stat = dict(line.split() for line in (self.folder / "cpu.stat").read_text(encoding="ascii").splitlines())
        except (OSError, ValueError):
            return 0
        return int(stat.get("nr_throttled", 0))

    def join(self, pid: str) -> None:
        with open(self.folder / "cgroup.procs", "w", encoding="ascii") as procs:
            procs.write(pid)


def learner_groups(name: str, memory_mb: int, cpus: float) -> tuple[sandbox.ControlGroup, CpuGroup]:
    """The control groups of learner `name` (made at the first log-in, reused after); SandboxUnavailable when the
    system has none the hub may write."""
    group = sandbox.ControlGroup(f"unrolled-hub-{name}", memory_mb, PROCESSES, reuse=True)
    try:
        return group, CpuGroup(f"unrolled-hub-{name}", cpus, group)
    except OSError as e:
        raise sandbox.SandboxUnavailable(f"cannot limit the CPU of {name} with a control group ({e})") from e


def remove_groups(name: str) -> None:
    """Removes learner `name`'s control groups once no process is left in them (when their account is removed)."""
    names = [f"unrolled-hub-{name}"]
    for folder in [sandbox.CGROUP_ROOT / "cpu" / sandbox._own_cgroup("cpu") / names[0],
                   sandbox.CGROUP_ROOT / sandbox._own_cgroup(None) / names[0]] + [
                   sandbox.CGROUP_ROOT / c / sandbox._own_cgroup(c) / names[0] for c in sandbox.ControlGroup.V1]:
        try:
            folder.rmdir()
        except OSError:
            pass


class LimitedLocalProcessSpawner(LocalProcessSpawner):
    def make_preexec_fn(self, name):
        user = pwd.getpwnam(name)
        if user.pw_uid == 0:
            raise RuntimeError(f"Refusing to start a server for {name}: it would run as root (user id 0).")
        cpus = float(self.cpu_limit) if self.cpu_limit else 1.0
        try:
            group, cpu = learner_groups(name, int(self.mem_limit) >> 20, cpus)
        except sandbox.SandboxUnavailable as e:
            raise RuntimeError(f"Refusing to start a server for {name} without its memory and CPU limits: {e}. "
                               "Run the hub as root on a system with writable control groups.") from e
        become_learner = super().make_preexec_fn(name)

        def preexec():
            group.join()       # as root, before the learner's ids are taken
            cpu.join(str(os.getpid()))
            become_learner()
        return preexec
