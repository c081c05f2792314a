"""A learner's workspace on the workshop hub, made at each log-in with the learner's own rights.

The hub runs as root when each learner has an account (PAM), and the learner owns their home: anything in it may be
a symbolic link the learner planted (`~/unrolled -> /etc`). So the hub never touches a learner's home as root. It
reads what it hands out (the student notebooks, `init.jsh`) itself, then a child process that has become the learner
(no supplementary groups, the learner's user and group ids) creates the folders and writes the files, opening each
folder by descriptor with O_NOFOLLOW: a symbolic link where the hub would write stops the log-in with a message
saying which, and even a link planted between two steps leads only where the learner could write anyway.
"""
from __future__ import annotations

import errno
import os
import stat
import traceback
from pathlib import Path


def handout(root: Path, release: Path) -> dict[str, bytes]:
    """What every learner gets: the student notebooks by name, and `init.jsh`."""
    files = {notebook.name: notebook.read_bytes() for notebook in sorted(release.glob("[0-9][0-9]-*.ipynb"))}
    files["init.jsh"] = (root / "notebooks" / "init.jsh").read_bytes()
    return files


class LinkRefused(OSError):
    """A folder or file the hub writes in a learner's home is a symbolic link (or not a folder, or not a file)."""


def _folder(parent: int, name: str, shown: str) -> int:
    """An open descriptor of the folder `name` in the folder `parent` (made if missing), never through a link."""
    try:
        os.mkdir(name, 0o755, dir_fd=parent)
    except FileExistsError:
        pass
    try:
        return os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=parent)
    except OSError as e:
        if e.errno in (errno.ELOOP, errno.ENOTDIR):
            raise LinkRefused(f"{shown} is a symbolic link or not a folder: the hub does not follow links in a "
                              f"learner's home. Move it away (mv {shown} {shown}.old) and log in again.") from None
        raise


def _write(folder: int, name: str, data: bytes, shown: str, replace: bool) -> bool:
    """Writes `data` to the file `name` in `folder`; an existing file is kept unless `replace`. Never through a
    link: True when written."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC | (os.O_TRUNC if replace else os.O_EXCL)
    try:
        descriptor = os.open(name, flags, 0o644, dir_fd=folder)
    except FileExistsError:
        return False
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise LinkRefused(f"{shown} is a symbolic link: the hub does not follow links in a learner's home. "
                              f"Move it away and log in again.") from None
        raise
    with os.fdopen(descriptor, "wb") as out:
        if not stat.S_ISREG(os.fstat(out.fileno()).st_mode):
            raise LinkRefused(f"{shown} is not a regular file; move it away and log in again.")
        out.write(data)
    return True


def prepare(home: Path, root: Path, files: dict[str, bytes]) -> Path:
    """Makes `home/unrolled/workshop` (student notebooks, copied once and never overwritten) beside links to the
    repository's `lib` and `datasets` and a copy of `notebooks/init.jsh`, so the notebooks' relative loading cell
    works unchanged. Returns the workshop folder. Every folder is opened by descriptor without following links, and
    a link where the hub would write stops it (LinkRefused). Run it as the learner (`as_learner`)."""
    opened = []
    try:
        opened.append(os.open(home, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC))
        base = _folder(opened[0], "unrolled", "~/unrolled")
        opened.append(base)
        opened.append(_folder(base, "workshop", "~/unrolled/workshop"))
        work = opened[-1]
        opened.append(_folder(base, "notebooks", "~/unrolled/notebooks"))
        _write(opened[-1], "init.jsh", files["init.jsh"], "~/unrolled/notebooks/init.jsh", replace=True)
        for name in ("lib", "datasets"):
            try:
                os.lstat(name, dir_fd=base)
            except FileNotFoundError:
                os.symlink(root / name, name, dir_fd=base)
        for name, data in files.items():
            if name != "init.jsh":
                _write(work, name, data, f"~/unrolled/workshop/{name}", replace=False)
    finally:
        for descriptor in opened:
            os.close(descriptor)
    return home / "unrolled" / "workshop"


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
        except BaseException as e:
            os.write(write, "".join(traceback.format_exception_only(type(e), e)).encode("utf-8", "replace")[-2000:])
            status = 1
        finally:
            os._exit(status)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        error = pipe.read().decode("utf-8", "replace")
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"preparing the learner's workspace as user {uid} failed: {error.strip()}")
