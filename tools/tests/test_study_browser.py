"""`./unrolled study` as a learner meets it, in a browser: a server started in the background (SIGINT ignored, as
with `&`, a script or a service), as root and as a normal user; the learner's own 01 with the exercise unsolved,
"not yet", a typed solution, "passed", ■ on a runaway cell with the notebook saying what happened, re-run, continue,
save (tools/browser/tests/study.mjs drives the classic Notebook UI in chromium).

The kernel is the one rendered from kernel/kernel.json (what ./unrolled setup installs), selected with JUPYTER_PATH,
so the installed kernel is not touched. As root the test also creates a throw-away user and removes it afterwards;
as another user it runs the normal-user session only."""
from __future__ import annotations

import os
import pwd
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from unrolledtools.common import browser, paths
from unrolledtools.notebooks import exercises, kernel

NOTEBOOK = "01-recurrence.ipynb"
EXERCISE = "1.1"
IS_ROOT = os.geteuid() == 0


def sigint_ignored(pid: int) -> bool:
    for line in open(f"/proc/{pid}/status", encoding="ascii"):
        if line.startswith("SigIgn:"):
            return bool(int(line.split()[1], 16) & (1 << (signal.SIGINT - 1)))
    return False


def descendants(pid: int) -> list[int]:
    """Every process below `pid`, read from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def solution_text() -> str:
    """The instructor's solution of exercise 1.1: what the learner types."""
    nb = nbformat.read(paths.NOTEBOOKS / NOTEBOOK, as_version=4)
    cell = next(c for c in nb.cells if exercises.tagged_id(c, exercises.EXERCISE_TAG) == EXERCISE)
    return "\n".join(line for line in cell.source.split("\n")
                     if line.strip() not in (exercises.BEGIN, exercises.END))


@pytest.fixture(scope="module")
def jupyter_path():
    """A private Jupyter data folder with the kernelspec rendered from kernel/kernel.json, readable by every user."""
    share = Path(tempfile.mkdtemp(prefix="unrolled-study-jupyter-"))
    spec = kernel.stage(os.path.realpath(shutil.which("java")), "2g", share / "share" / "jupyter" / "kernels")
    for path in (share, *share.rglob("*")):
        path.chmod(0o755 if path.is_dir() else 0o644)
    assert spec.is_dir()
    yield share / "share" / "jupyter"
    shutil.rmtree(share, ignore_errors=True)


class Server:
    """`./unrolled study FOLDER` started in the background by `user` (None: this process's user)."""

    def __init__(self, folder: Path, user: str | None, jupyter_path: Path, home: Path | None):
        self.folder, self.port, self.token = folder, free_port(), secrets.token_hex(16)
        self.log = Path(tempfile.mkdtemp(prefix="unrolled-study-log-")) / "server.log"
        self.log.parent.chmod(0o777)
        study = (f"cd {shlex.quote(str(paths.ROOT))} && {{ ./unrolled study {shlex.quote(folder.name)} --no-browser "
                 f"--ip=127.0.0.1 --port={self.port} --NotebookApp.token={self.token} "
                 f"< /dev/null > {shlex.quote(str(self.log))} 2>&1 & echo $!; }}")
        env = ["env", f"JUPYTER_PATH={jupyter_path}"] + ([f"HOME={home}", f"USER={user}"] if user else [])
        prefix = ["runuser", "-u", user, "--"] if user else []
        # `&` in a non-interactive shell: the server runs with SIGINT ignored, as one started in the background does
        out = subprocess.run(prefix + env + ["bash", "-c", study], capture_output=True, text=True, timeout=60,
                             check=True)
        self.pid = int(out.stdout.strip())
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/api/status?token={self.token}", timeout=5).read()
                return
            except OSError:
                if not Path(f"/proc/{self.pid}").exists():
                    break
                time.sleep(0.5)
        raise AssertionError(f"./unrolled study did not serve on port {self.port}:\n{self.output()}")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self):
        below = descendants(self.pid)
        for pid in [self.pid, *below]:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in [self.pid, *below]):
            time.sleep(0.2)
        for pid in [self.pid, *below]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        shutil.rmtree(self.log.parent, ignore_errors=True)


@pytest.fixture
def throwaway_user():
    """A new Unix user with a home, removed with its processes and home afterwards; this user when not root."""
    if not IS_ROOT:
        yield pwd.getpwuid(os.getuid()).pw_name, Path.home()
        return
    name = f"unrolled-t{secrets.token_hex(3)}"
    subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", name], check=True, timeout=60)
    try:
        yield name, Path(pwd.getpwnam(name).pw_dir)
    finally:
        uid = pwd.getpwnam(name).pw_uid
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    if os.stat(f"/proc/{entry}").st_uid == uid:
                        os.kill(int(entry), signal.SIGKILL)
                except (OSError, ProcessLookupError):
                    pass
        subprocess.run(["userdel", "--remove", name], capture_output=True, timeout=60)


def study_session(folder: Path, user: str | None, home: Path | None, jupyter_path: Path, tmp_path: Path) -> str:
    server = Server(folder, user, jupyter_path, home)
    try:
        assert sigint_ignored(server.pid), "the test must start the server as a background job does (SIGINT ignored)"
        solution = tmp_path / "solution.java"
        solution.write_text(solution_text())
        solution.chmod(0o644)
        try:
            out = browser.run(browser.BROWSER_DIR / "tests" / "study.mjs", server.url, server.token, NOTEBOOK, EXERCISE,
                              str(solution), timeout=1200)
        except browser.BrowserScriptFailed as failed:
            raise AssertionError(f"{failed}\n--- the server's output:\n{server.output()[-4000:]}") from None
        said = server.output()
    finally:
        server.stop()
    print(f"--- {user or 'root'}\n{out}")
    saved = (folder / NOTEBOOK).read_text()
    assert solution_text().split("\n")[1].strip() in saved, "the learner's typed solution was not saved"
    assert "Opening Jupyter Notebook on" in said or "Opening JupyterLab on" in said, said[-3000:]
    return said


@pytest.mark.skipif(not IS_ROOT, reason="only root can start ./unrolled study as root")
def test_as_root_the_learners_workspace_opens_and_an_interrupt_from_a_background_server_works(jupyter_path, tmp_path):
    folder = paths.ROOT / ".study-under-test-root"
    shutil.rmtree(folder, ignore_errors=True)
    try:
        said = study_session(folder, None, None, jupyter_path, tmp_path)
        assert "Running as root: starting Jupyter with --allow-root" in said, said[-3000:]
        wrote = f"wrote {len(paths.notebook_sources())} student notebook(s), every exercise unsolved"
        assert wrote in said, said[:2000]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_as_a_normal_user_the_learners_workspace_opens_and_an_interrupt_from_a_background_server_works(
        jupyter_path, throwaway_user, tmp_path):
    name, home = throwaway_user
    folder = paths.ROOT / f".study-under-test-{name}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    if IS_ROOT:
        shutil.chown(folder, name, name)
    try:
        said = study_session(folder, name if IS_ROOT else None, home, jupyter_path, tmp_path)
        assert "Running as root" not in said and "--allow-root" not in said
        assert (folder / NOTEBOOK).stat().st_uid == pwd.getpwnam(name).pw_uid
    finally:
        shutil.rmtree(folder, ignore_errors=True)
