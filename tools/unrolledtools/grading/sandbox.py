"""Running code nobody has reviewed (a learner's submission): a Java kernel in a sandbox, with limits.

The sandbox (`Sandbox`, used by the autograder for every submission) combines three things Debian provides:

* a throw-away identity: the kernel runs as a numeric user id that belongs to nobody on the machine (`setpriv`,
  util-linux), chosen at random for each submission, without capabilities and with `no_new_privs`; whatever it
  leaves behind is killed by that id at the end (`kill -1` as that user reaches every process it owns, `setsid` or not);
* fresh namespaces (`bwrap --unshare-all`, Debian's bubblewrap): its own mount table holding only the system's
  programs and libraries, the helper library, `init.jsh`, the datasets and the kernel, all read-only, plus an empty
  size-limited home and `/tmp`; no instructor notebook, no other submission and no grading output exist in it; its
  own process table (when its first process ends, every process in it ends); its own network with loopback only (the
  kernel's channels leave through Unix sockets, sandbox_relay.py);
* a control group per submission (cgroup v1 or v2, under the grader's own): a memory limit on the whole process tree
  (children included), a limit on processes and threads, and CPU accounting; the grader kills everything in it at
  the end. `prlimit` adds per-process limits on CPU time, file size and core dumps.

bubblewrap rather than systemd-run: it needs no systemd as PID 1 (containers, CI machines), isolates the file
system and the network (systemd-run alone does not), and works the same wherever unprivileged user namespaces are on.
The control group gives what bubblewrap does not: limits on the whole tree, and a way to find every process.
`available()` says why the sandbox cannot be set up (not root, no bwrap, no writable control groups); the grader
then refuses to run unless told `--unsafe`.

Inside the kernel, three layers of memory limit, from gentle to hard, for a limit of M MB:

* the JVM's heap is capped at 40 % of M (`-Xmx`); with `-XX:+ExitOnOutOfMemoryError` (in Unrolled's kernelspec) a
  full heap ends the kernel;
* ND4J's off-heap memory is capped at 30 % of M (JavaCPP's `maxbytes`), and JavaCPP refuses allocations once the
  process's resident memory passes 90 % of M (`maxphysicalbytes`): the cell fails with an OutOfMemoryError;
* the control group's memory limit (in the sandbox), or without the sandbox (`--unsafe`) a watchdog thread that
  reads the kernel's resident memory (`/proc/<pid>/status`, VmRSS) every 0.2 s and kills it when it passes M.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import zmq
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


def with_jvm_options(argv: list[str], options: list[str]) -> list[str]:
    """The kernel's command line with more JVM options, right after the java program.

    The java program is the first argument named `java`: Unrolled's kernelspec starts it through
    `env --default-signal=INT`, whose options must stay before it. A command line with no `java` (another kernel's)
    gets the options after its first argument, as before."""
    at = next((i for i, arg in enumerate(argv) if Path(arg).name == "java"), 0) + 1
    return argv[:at] + list(options) + argv[at:]


def kernel_manager_class(memory_mb: int, env: dict[str, str], jvm_options: list[str] = ()) -> type:
    """A kernel manager that starts the installed `java` kernel with a memory limit and extra environment."""

    class LimitedKernelManager(AsyncKernelManager):
        @property
        def kernel_spec(self):
            if self._kernel_spec is None and self.kernel_name != "":
                spec = self.kernel_spec_manager.get_kernel_spec(self.kernel_name)
                spec.argv = with_jvm_options(limited_argv(list(spec.argv), memory_mb), jvm_options)
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


# --- The grading sandbox --------------------------------------------------------------------------------------------

CGROUP_ROOT = Path("/sys/fs/cgroup")
RELAY = Path(__file__).with_name("sandbox_relay.py")
THROWAWAY_IDS = (2_000_000_000, 2_100_000_000)  # user ids no account uses; one is drawn per submission
CHANNEL_PORTS = {"shell": 1, "iopub": 2, "stdin": 3, "control": 4, "hb": 5}
INSIDE_BASE_PORT = 47000                         # the kernel's ports on the sandbox's own loopback: 47001..47005
INSIDE_CHANNEL = "/run/unrolled"                 # the shared folder of Unix sockets, as the sandbox sees it
INSIDE_HOME = "/home/learner"
MAX_MESSAGE_BYTES = 64 << 20                    # the largest message the grader accepts from a sandboxed kernel
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
SYSTEM_FILES = ("/etc/alternatives", "/etc/java-17-openjdk", "/etc/java-21-openjdk", "/etc/ld.so.cache",
                "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime", "/etc/timezone", "/etc/fonts",
                "/etc/ssl/certs", "/etc/mime.types")


class SandboxUnavailable(RuntimeError):
    """The sandbox cannot be set up on this machine; the message says why and what to do."""


@dataclass
class SandboxLimits:
    memory_mb: int = 2048       # the whole process tree, page cache and its tmpfs included
    processes: int = 1024       # processes and threads (a JVM starts some 40 threads; ND4J adds one per core)
    cpu_seconds: int = 900      # per process (prlimit): a last stop behind the grader's wall clock
    file_mb: int = 64           # the largest file it may write
    scratch_mb: int = 256       # its home and /tmp (tmpfs, counted in its memory)


def _own_cgroup(controller: str | None) -> str:
    """This process's control group path in one v1 hierarchy, or in the v2 one (controller None)."""
    try:
        for line in Path("/proc/self/cgroup").read_text(encoding="ascii").splitlines():
            _, controllers, path = line.split(":", 2)
            if (controller is None and controllers == "") or (controller in controllers.split(",")):
                return path.lstrip("/")
    except (OSError, ValueError):
        pass
    return ""


class ControlGroup:
    """One control group (v1: memory, pids, cpuacct; v2: one folder) holding a sandbox's every process."""

    V1 = ("memory", "pids", "cpuacct")

    def __init__(self, name: str, memory_mb: int, processes: int, reuse: bool = False):
        self.v2 = not (CGROUP_ROOT / "memory").is_dir() and (CGROUP_ROOT / "cgroup.controllers").is_file()
        if self.v2:
            self.dirs = {"all": CGROUP_ROOT / _own_cgroup(None) / name}
        else:
            self.dirs = {c: CGROUP_ROOT / c / _own_cgroup(c) / name for c in self.V1}
        try:
            for folder in self.dirs.values():
                folder.mkdir(exist_ok=reuse)
            if self.v2:
                self._write("all", "memory.max", str(memory_mb << 20))
                self._write("all", "memory.swap.max", "0", optional=True)
                self._write("all", "pids.max", str(processes))
            else:
                self._write("memory", "memory.limit_in_bytes", str(memory_mb << 20))
                self._write("memory", "memory.memsw.limit_in_bytes", str(memory_mb << 20), optional=True)
                self._write("pids", "pids.max", str(processes))
        except OSError as e:
            if not reuse:
                self.remove()
            raise SandboxUnavailable(f"cannot set up a control group under {CGROUP_ROOT} ({e})") from e

    def _write(self, controller: str, name: str, value: str, optional: bool = False) -> None:
        try:
            (self.dirs[controller] / name).write_text(value, encoding="ascii")
        except OSError:
            if not optional:
                raise

    def _read(self, controller: str, name: str) -> str:
        try:
            return (self.dirs[controller] / name).read_text(encoding="ascii")
        except (OSError, KeyError):
            return ""

    def join(self) -> None:
        """Moves the calling process into the group (its children follow); for a pre-exec hook, run as root."""
        for path in self.procs_files:
            with open(path, "w", encoding="ascii") as procs:
                procs.write(str(os.getpid()))

    @property
    def procs_files(self) -> list[Path]:
        return [folder / "cgroup.procs" for folder in self.dirs.values()]

    def pids(self) -> list[int]:
        found = set()
        for controller in self.dirs:
            found.update(int(p) for p in self._read(controller, "cgroup.procs").split())
        return sorted(found)

    def peak_mb(self) -> float | None:
        text = (self._read("all", "memory.peak") if self.v2 else self._read("memory", "memory.max_usage_in_bytes"))
        return int(text) / 2**20 if text.strip().isdigit() else None

    def out_of_memory(self) -> bool:
        """The memory limit was reached (and the kernel's out-of-memory killer may have struck)."""
        if self.v2:
            events = dict(line.split() for line in self._read("all", "memory.events").splitlines() if line.strip())
            return int(events.get("oom_kill", 0)) > 0 or int(events.get("max", 0)) > 0
        control = dict(line.split() for line in self._read("memory", "memory.oom_control").splitlines() if line.strip())
        return (int(control.get("oom_kill", 0)) > 0
                or any(self._read("memory", f).strip() not in ("", "0")
                       for f in ("memory.failcnt", "memory.memsw.failcnt")))

    def cpu_seconds(self) -> float | None:
        if self.v2:
            stat = dict(line.split() for line in self._read("all", "cpu.stat").splitlines() if line.strip())
            return int(stat["usage_usec"]) / 1e6 if "usage_usec" in stat else None
        text = self._read("cpuacct", "cpuacct.usage").strip()
        return int(text) / 1e9 if text.isdigit() else None

    def kill_all(self, timeout: float = 10) -> bool:
        """SIGKILLs every process in the group until none is left; True when it is empty."""
        deadline = time.monotonic() + timeout
        if self.v2 and (self.dirs["all"] / "cgroup.kill").exists():
            self._write("all", "cgroup.kill", "1", optional=True)
        while time.monotonic() < deadline:
            pids = self.pids()
            if not pids:
                return True
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            time.sleep(0.05)
        return not self.pids()

    def remove(self) -> None:
        for folder in self.dirs.values():
            try:
                folder.rmdir()
            except OSError:
                pass


def _quote(path: Path | str) -> str:
    return "'" + str(path).replace("'", "'\\''") + "'"


def _run_as(uid: int, argv: list[str]) -> list[str]:
    return ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--inh-caps=-all",
            "--bounding-set=-all", "--no-new-privs", "--"] + argv


def _kill_user(uid: int) -> None:
    """Kills every process the throw-away user owns, wherever it is (kill(-1) as that user)."""
    subprocess.run(_run_as(uid, ["kill", "-KILL", "-1"]), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)


def available() -> str | None:
    """None when this machine can run the grading sandbox; otherwise why not, and what to do."""
    if not sys.platform.startswith("linux"):
        return "the grading sandbox needs Linux (namespaces and control groups)"
    missing = [tool for tool in ("bwrap", "setpriv", "prlimit", "unshare", "mount") if shutil.which(tool) is None]
    if missing:
        return (f"{', '.join(missing)} not found: install them with `sudo apt-get install bubblewrap util-linux` "
                "(./unrolled autograde installs bubblewrap when it can)")
    if os.geteuid() != 0:
        return ("the grading sandbox runs each submission as a throw-away user in its own control group, which "
                "needs root: run the grader with sudo")
    try:
        group = ControlGroup(f"unrolled-probe-{os.getpid()}", 64, 16)
        group.remove()
    except SandboxUnavailable as e:
        return str(e)
    probe = subprocess.run(_run_as(_throwaway_id(), ["bwrap", "--unshare-all", "--die-with-parent"]
                                   + _system_binds() + ["--", "/bin/true"]),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
    if probe.returncode != 0:
        return (f"bubblewrap cannot create namespaces for an unprivileged user here ({probe.stdout.strip()[:200]}); "
                "unprivileged user namespaces must be enabled (sysctl kernel.unprivileged_userns_clone=1)")
    return None


def _throwaway_id() -> int:
    while True:
        uid = random.randrange(*THROWAWAY_IDS)
        if not any(_owner(pid) == uid for pid in _all_pids()):
            return uid


def _all_pids() -> list[int]:
    return [int(p) for p in os.listdir("/proc") if p.isdigit()]


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return True


def _owner(pid: int) -> int | None:
    try:
        return os.stat(f"/proc/{pid}").st_uid
    except OSError:
        return None


def _system_binds() -> list[str]:
    binds = []
    for folder in SYSTEM_DIRS:
        if os.path.islink(folder):
            binds += ["--symlink", os.readlink(folder), folder]
        elif os.path.isdir(folder):
            binds += ["--ro-bind", folder, folder]
    for entry in SYSTEM_FILES:
        binds += ["--ro-bind-try", entry, entry]
    return binds + ["--proc", "/proc", "--dev", "/dev"]


class Sandbox:
    """One submission's sandbox: a throw-away user, a control group, and the bubblewrap command line around a kernel.

    `read_only` are host paths the kernel may read (at the same paths inside); nothing else of the host's files is
    visible. Use as a context manager: on exit every process of the sandbox is killed and its traces removed.
    """

    def __init__(self, read_only: list[Path], limits: SandboxLimits, env: dict[str, str]):
        reason = available()
        if reason:
            raise SandboxUnavailable(reason)
        self.limits = limits
        self.env = env
        self.read_only = [Path(p).resolve() for p in read_only]
        self.uid = _throwaway_id()
        self.base = Path(tempfile.mkdtemp(prefix="unrolled-sb-"))   # root's: the throw-away user may only pass
        os.chmod(self.base, 0o711)
        (self.base / "stage").mkdir(mode=0o755)
        self.channel = self.base / "channel"                       # the throw-away user's: its Unix sockets
        self.channel.mkdir(mode=0o700)
        os.chown(self.channel, self.uid, self.uid)
        self.group = ControlGroup(f"unrolled-grade-{self.uid}", limits.memory_mb, limits.processes)

    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def command(self, kernel_argv: list[str], resource_dir: str) -> list[str]:
        """The command line that starts `kernel_argv` (whose last argument is replaced by the connection file).

        It joins the control group, makes the read-only paths reachable for the throw-away user (bind mounts in a
        private mount namespace of its own, under a staging folder: their parents, such as a home folder, may be
        closed to other users), sets the per-process limits, drops to the throw-away user and starts bubblewrap.
        """
        sources = {Path(p).resolve(): Path(p).resolve() for p in self.read_only + [Path(resource_dir)]}
        # ND4J's native libraries, unpacked once by set-up: each read-only, in a cache folder of the sandbox's own
        # (JavaCPP wants to write its lock file there, and takes a read-only cache for none).
        cache = Path.home() / ".javacpp" / "cache"
        for unpacked in sorted(cache.iterdir()) if cache.is_dir() else []:
            if unpacked.is_dir() and not unpacked.is_symlink():
                sources[unpacked.resolve()] = Path(INSIDE_HOME) / ".javacpp" / "cache" / unpacked.name
        sources[RELAY.resolve()] = Path("/opt/unrolled/relay.py")
        # The throw-away user's own account files, so that the JVM finds its name and home (user.home).
        for name, line in (("passwd", f"learner:x:{self.uid}:{self.uid}:learner:{INSIDE_HOME}:/bin/false\n"),
                           ("group", f"learner:x:{self.uid}:\n")):
            (self.base / name).write_text(line, encoding="ascii")
            sources[self.base / name] = Path("/etc") / name
        stage = self.base / "stage"
        staging, binds = [], []
        # Parents before children: a folder bound later would hide what was bound inside it.
        for number, (source, inside) in enumerate(sorted(sources.items(), key=lambda item: len(item[1].parts))):
            point = stage / str(number)
            if source.is_dir():
                point.mkdir(exist_ok=True)
            else:
                point.touch()
            staging.append(f"mount --bind {_quote(source)} {_quote(point)} && "
                           f"mount -o remount,bind,ro {_quote(point)}")
            binds += ["--ro-bind", str(point), str(inside)]
        setup = " && ".join([f"echo $$ > {_quote(f)}" for f in self.group.procs_files] + staging + ['exec "$@"'])
        env = ["--clearenv", "--setenv", "HOME", INSIDE_HOME, "--setenv", "PATH", "/usr/bin:/bin",
               "--setenv", "LANG", "C.UTF-8", "--setenv", "USER", "learner"]
        for key, value in self.env.items():
            env += ["--setenv", key, value]
        bwrap = (["bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--hostname", "sandbox"]
                 + _system_binds()
                 + ["--perms", "0700", "--size", str(self.limits.scratch_mb << 20), "--tmpfs", "/tmp",
                    "--perms", "0700", "--size", str(self.limits.scratch_mb << 20), "--tmpfs", INSIDE_HOME]
                 + binds + ["--bind", str(self.channel), INSIDE_CHANNEL]
                 + env + ["--chdir", INSIDE_HOME, "--"])
        relay = ["/usr/bin/python3", "-I", "-S", "/opt/unrolled/relay.py", f"{INSIDE_CHANNEL}/k",
                 str(INSIDE_BASE_PORT), ",".join(str(n) for n in CHANNEL_PORTS.values()), "--"]
        limits = ["prlimit", f"--cpu={self.limits.cpu_seconds}", f"--fsize={self.limits.file_mb << 20}",
                  "--core=0", "--"]
        inside_connection = f"{INSIDE_CHANNEL}/connection.json"
        return (["unshare", "--mount", "--propagation", "private", "--", "/bin/sh", "-c", setup, "sh"]
                + limits + _run_as(self.uid, bwrap + relay + kernel_argv[:-1] + [inside_connection]))

    def write_connection(self, key: bytes, signature_scheme: str) -> None:
        info = {f"{name}_port": INSIDE_BASE_PORT + n for name, n in CHANNEL_PORTS.items()}
        info.update(ip="127.0.0.1", transport="tcp", key=key.decode("ascii"), signature_scheme=signature_scheme,
                    kernel_name="java")
        path = self.channel / "connection.json"
        path.write_text(json.dumps(info), encoding="utf-8")
        os.chown(path, self.uid, self.uid)
        os.chmod(path, 0o600)

    def close(self) -> None:
        """Kills every process of the sandbox (by control group, then by user id) and removes its traces."""
        self.group.kill_all()
        _kill_user(self.uid)
        self.group.remove()
        shutil.rmtree(self.base, ignore_errors=True)

    def leftovers(self) -> list[int]:
        """Processes still owned by the throw-away user (none, after close)."""
        return [pid for pid in _all_pids() if _owner(pid) == self.uid and not _zombie(pid)]


def sandboxed_kernel_manager_class(sandbox: Sandbox, memory_mb: int, jvm_options: list[str] = ()) -> type:
    """A kernel manager that starts the installed `java` kernel inside `sandbox`, reached over its Unix sockets."""

    class SandboxedKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.transport = "ipc"
            self.ip = str(sandbox.channel / "k")
            for name, number in CHANNEL_PORTS.items():
                setattr(self, f"{name}_port", number)

        @property
        def kernel_spec(self):
            if self._kernel_spec is None and self.kernel_name != "":
                spec = self.kernel_spec_manager.get_kernel_spec(self.kernel_name)
                argv = [a.replace("{resource_dir}", spec.resource_dir)
                        for a in with_jvm_options(limited_argv(list(spec.argv), memory_mb), jvm_options)]
                sandbox.env = dict(spec.env or {}, **sandbox.env)  # the kernelspec's own variables, inside
                spec.argv = sandbox.command(argv, spec.resource_dir)
                spec.env = {}
                self._kernel_spec = spec
            return self._kernel_spec

        def client(self, **kwargs):
            client = super().client(**kwargs)
            # A message larger than this from the kernel is dropped by ZeroMQ, not held in the grader's memory.
            client.context.setsockopt(zmq.MAXMSGSIZE, MAX_MESSAGE_BYTES)
            return client

        async def pre_start_kernel(self, **kw):
            result = await super()._async_pre_start_kernel(**kw)
            sandbox.write_connection(self.session.key, self.session.signature_scheme)
            return result

    return SandboxedKernelManager
