"""The workshop hub's accounts: one Unix user per learner, made from a roster, and the instructors who administer it.

A roster is a text file with one learner a line: a user name, then optionally the learner's full name.

    # workshop, 12 March
    ada    Ada Lovelace
    ben

`./unrolled hub setup --roster FILE` makes each learner who has no account yet: a Unix user of their own (in the group
`unrolled-learners`, which marks the accounts the hub made and may remove), a home folder only they can open, no
login shell (the hub's log-in is the only way in), and a random password, written once, with the user name, to a file
only the instructor (root) can read. A learner who already has such an account keeps it and its password. A name is
refused when it is not a plain lower-case user name, is one the system keeps (root, daemon, sudo, ...), belongs to an
account the hub did not make, or is the name of an existing group; `--existing-accounts` lets ordinary accounts of
the machine's people (user ids from 1000) log in as learners with their own passwords instead, unchanged.

Admins are named separately (`--admins`), must already have an ordinary account, and log in with its password (PAM):
no shared secret ever makes anyone an admin, and no one logs in as root.
"""
from __future__ import annotations

import grp
import os
import pwd
import re
import secrets
import subprocess
from dataclasses import dataclass
from pathlib import Path

GROUP = "unrolled-learners"
NAME = re.compile(r"[a-z][a-z0-9_-]{0,31}")
# Names a learner may not take even where no such account exists on this machine: they mean something to other
# systems, to JupyterHub (its services), or to the people reading the hub's logs.
RESERVED = {"root", "admin", "administrator", "daemon", "bin", "sys", "sync", "games", "man", "lp", "mail", "news",
            "uucp", "proxy", "www-data", "backup", "list", "irc", "gnats", "nobody", "sudo", "wheel", "adm", "staff",
            "operator", "shadow", "systemd-network", "systemd-resolve", "messagebus", "sshd", "jupyterhub", "hub",
            "jovyan", "loadtest", "memory-watchdog", "ubuntu", "debian", "postgres", "mysql"}
FIRST_PERSON_UID, LAST_PERSON_UID = 1000, 60000   # Debian's UID_MIN and UID_MAX: ids outside are the system's
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"   # no 0/o, 1/l/i: read aloud or copied from paper
PASSWORD_LENGTH = 14                                    # 31^14: about 69 bits


def is_person(user: pwd.struct_passwd) -> bool:
    """An ordinary account of a person, not one the system keeps (root, daemons, nobody)."""
    return FIRST_PERSON_UID <= user.pw_uid <= LAST_PERSON_UID and user.pw_name not in RESERVED


class RosterError(ValueError):
    """The roster or the admins cannot be used as they are; the message lists every problem."""


@dataclass(frozen=True)
class Learner:
    name: str
    full_name: str = ""


def read_roster(path: Path) -> list[Learner]:
    """The learners of a roster file, in its order; RosterError names every line that is not a usable entry."""
    learners, problems, seen = [], [], set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        name, _, full_name = text.partition(" ")
        full_name = " ".join(full_name.split())
        if not NAME.fullmatch(name):
            problems.append(f"line {number}: '{name}' is not a user name (expected a lower-case letter, then up to 31 "
                            "lower-case letters, digits, '-' or '_')")
        elif name in seen:
            problems.append(f"line {number}: '{name}' is listed twice")
        elif any(c in full_name for c in ":,="):
            problems.append(f"line {number}: the full name of '{name}' may not contain ':', ',' or '='")
        else:
            seen.add(name)
            learners.append(Learner(name, full_name))
    if problems:
        raise RosterError(f"The roster {path} has {len(problems)} problem(s):\n  " + "\n  ".join(problems))
    if not learners:
        raise RosterError(f"The roster {path} names no learner (one user name a line, '#' starts a comment).")
    return learners


def account(name: str) -> pwd.struct_passwd | None:
    try:
        return pwd.getpwnam(name)
    except KeyError:
        return None


def group_exists(name: str) -> bool:
    try:
        grp.getgrnam(name)
        return True
    except KeyError:
        return False


def is_hub_learner(name: str, group: str = GROUP) -> bool:
    """An account the hub made: a member of the learners' group."""
    try:
        return name in grp.getgrnam(group).gr_mem
    except KeyError:
        return False


def check(learners: list[Learner], admins: list[str], existing_accounts: bool = False,
          group: str = GROUP) -> tuple[list[Learner], list[str]]:
    """Which learners need an account made, and which log in with an account they already have; RosterError lists
    every learner or admin that cannot be used."""
    to_make, existing, problems = [], [], []
    for admin in admins:
        user = account(admin)
        if not NAME.fullmatch(admin):
            problems.append(f"admin '{admin}' is not a user name")
        elif user is None:
            problems.append(f"admin '{admin}' has no account on this machine: an admin logs in with an account of "
                            f"their own (create it with adduser first)")
        elif not is_person(user):
            problems.append(f"admin '{admin}' is a system account (user id {user.pw_uid}); an admin needs an "
                            f"ordinary account (user id {FIRST_PERSON_UID} to {LAST_PERSON_UID})")
        elif is_hub_learner(admin, group):
            problems.append(f"admin '{admin}' is a learner's account")
    for learner in learners:
        name, user = learner.name, account(learner.name)
        if name in admins:
            problems.append(f"'{name}' is listed as a learner and as an admin")
        elif name in RESERVED or (user is not None and not is_person(user)):
            problems.append(f"'{name}' is a name the system keeps for itself; choose another")
        elif user is None and group_exists(name):
            problems.append(f"'{name}' is the name of an existing group; choose another")
        elif user is None:
            to_make.append(learner)
        elif is_hub_learner(name, group):
            existing.append(name)
        elif existing_accounts:
            existing.append(name)
        else:
            problems.append(f"'{name}' already has an account that the hub did not make (user id {user.pw_uid}); "
                            "choose another name, or pass --existing-accounts to let existing accounts log in with "
                            "their own passwords")
    if problems:
        raise RosterError(f"Not set up: {len(problems)} problem(s):\n  " + "\n  ".join(problems))
    return to_make, existing


def new_password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))


def open_private(path: Path):
    """`path` for appending, created readable and writable by its owner only; a link there is refused."""
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    os.fchmod(descriptor, 0o600)
    return os.fdopen(descriptor, "a", encoding="utf-8")


def create(learners: list[Learner], passwords: Path, home_base: Path = Path("/home"),
           group: str = GROUP) -> list[str]:
    """Makes an account for each learner and appends `name,password` lines to `passwords` (mode 0600), each
    password written there only; returns the names made. Run as root."""
    if not group_exists(group):
        subprocess.run(["groupadd", "--system", group], check=True, capture_output=True, text=True)
    made = []
    with open_private(passwords) as out:
        if out.tell() == 0:
            out.write("user,password\n")
        for learner in learners:
            home = home_base / learner.name
            comment = f"{learner.full_name or learner.name} (Unrolled learner)"
            done = subprocess.run(["useradd", "--create-home", "--home-dir", str(home), "--shell", "/usr/sbin/nologin",
                                   "--user-group", "--groups", group, "--comment", comment, learner.name],
                                  capture_output=True, text=True)
            if done.returncode != 0:
                raise RosterError(f"useradd {learner.name} failed: {done.stderr.strip()}")
            os.chmod(home, 0o700)
            password = new_password()
            subprocess.run(["chpasswd"], input=f"{learner.name}:{password}\n", check=True, capture_output=True,
                           text=True)
            out.write(f"{learner.name},{password}\n")
            out.flush()
            made.append(learner.name)
    return made


def remove(names: list[str], group: str = GROUP) -> list[str]:
    """Deletes the accounts among `names` that the hub made (members of `group`), home folders included, and the
    group once no one is left in it; returns the names deleted. Any other account is left alone."""
    removed = []
    for name in names:
        if not is_hub_learner(name, group):
            continue
        subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)
        done = subprocess.run(["userdel", "--remove", name], capture_output=True, text=True)
        if done.returncode not in (0, 12):   # 12: the home folder was already gone
            raise RuntimeError(f"userdel {name} failed: {done.stderr.strip()}")
        removed.append(name)
    if group_is_empty(group):
        subprocess.run(["groupdel", group], capture_output=True)
    return removed


def group_is_empty(group: str) -> bool:
    try:
        return not grp.getgrnam(group).gr_mem
    except KeyError:
        return False
