"""A learner's workspace on the workshop hub, made at each log-in with the learner's own rights.

The hub runs as root when each learner has an account (PAM), and the learner owns their home: anything in it may be
a symbolic link the learner planted (`~/unrolled -> /etc`). So the hub never touches a learner's home as root. It
reads what it hands out (the student notebooks, `init.jsh`) itself, then a child process that has become the learner
(no supplementary groups, the learner's user and group ids) creates the folders and writes the files: a link then
leads only where the learner could write anyway.
"""
from __future__ import annotations

import os
import traceback
from pathlib import Path


def handout(root: Path, release: Path) -> dict[str, bytes]:
    """What every learner gets: the student notebooks by name, and `init.jsh`."""
    files = {notebook.name: notebook.read_bytes() for notebook in sorted(release.glob("[0-9][0-9]-*.ipynb"))}
    files["init.jsh"] = (root / "notebooks" / "init.jsh").read_bytes()
    return files


def prepare(home: Path, root: Path, files: dict[str, bytes]) -> Path:
    """Makes `home/unrolled/workshop` (student notebooks, copied once and never overwritten) beside links to the
    repository's `lib` and `datasets` and a copy of `notebooks/init.jsh`, so the notebooks' relative loading cell
    works unchanged. Returns the workshop folder. Run it as the learner (`as_learner`)."""
    base = home / "unrolled"
    work = base / "workshop"
    work.mkdir(parents=True, exist_ok=True)
    (base / "notebooks").mkdir(exist_ok=True)
    (base / "notebooks" / "init.jsh").write_bytes(files["init.jsh"])
    for name in ("lib", "datasets"):
        link = base / name
        if not os.path.lexists(link):
            link.symlink_to(root / name)
    for name, data in files.items():
        if name != "init.jsh" and not os.path.lexists(work / name):
            (work / name).write_bytes(data)
    return work


def as_learner(uid: int, gid: int, action, *args) -> None:
    """Runs `action(*args)` in a child process with the learner's user and group ids only; raises RuntimeError with
    the child's error when it fails. Called as root by the hub (as anyone else, only for one's own ids)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop every privilege, then act
        os.close(read)
        status = 0
        try:
            os.setgroups([])
            os.setgid(gid)
            os.setuid(uid)
            action(*args)
        except BaseException:
            os.write(write, traceback.format_exc(limit=2).encode("utf-8", "replace")[-2000:])
            status = 1
        finally:
            os._exit(status)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        error = pipe.read().decode("utf-8", "replace")
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"preparing the learner's workspace as user {uid} failed: {error.strip()}")
