"""`./unrolled hub setup|start`: a JupyterHub that serves the curriculum to a class on one machine.

`setup` prepares the hub's folder (build/hub unless UNROLLED_HUB_DIR says otherwise): the student release the
learners get, a `java` kernelspec with the per-learner memory limits, and in `private/` (readable by the instructor
only) the hub's database, the load test's API token and either the shared password (a demonstration) or, with
`--roster FILE`, the learners' accounts and their passwords (accounts.py). `start` runs JupyterHub with
tools/hub/jupyterhub_config.py in the foreground (Ctrl+C stops it and every learner's server). `remove-accounts`
deletes the learners' accounts after the workshop. docs/workshop.md describes the set-up, the limits and the
measured capacity.
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import sys
from pathlib import Path

from ..common import paths
from ..grading import sandbox
from ..notebooks import kernel
from ..release import publish
from . import accounts

CONFIG = paths.ROOT / "tools" / "hub" / "jupyterhub_config.py"


def hub_dir() -> Path:
    return Path(os.environ.get("UNROLLED_HUB_DIR", paths.BUILD / "hub")).resolve()


def private_dir() -> Path:
    """The hub's secrets and state (database, cookie secret, tokens, passwords): a folder only its owner can open."""
    folder = hub_dir() / "private"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    return folder


def secret(path: Path) -> str:
    """A random secret kept in `path` (created once, readable by its owner only)."""
    if not path.is_file():
        path.write_text(secrets.token_hex(16) + "\n", encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def setup(java: str, memory_mb: int, cpus: float, roster: Path | None = None, admins: list[str] = (),
          existing_accounts: bool = False, home_base: Path = Path("/home")) -> int:
    hub = hub_dir()
    roster_accounts = None
    if roster is not None:   # check everything before changing anything
        if os.geteuid() != 0:
            print("hub setup --roster makes Unix accounts, which needs root: run it with sudo.", file=sys.stderr)
            return 2
        try:
            learners = accounts.read_roster(roster)
            to_make, existing = accounts.check(learners, list(admins), existing_accounts)
        except (OSError, accounts.RosterError) as e:
            print(e, file=sys.stderr)
            return 2
        roster_accounts = (learners, to_make, existing)
    hub.mkdir(parents=True, exist_ok=True)
    private = private_dir()
    staged = kernel.stage(java, "3g")
    spec_dir = hub / "share" / "jupyter" / "kernels" / "java"
    if spec_dir.exists():
        shutil.rmtree(spec_dir)
    shutil.copytree(staged, spec_dir)
    spec = json.loads((spec_dir / "kernel.json").read_text(encoding="utf-8"))
    spec["argv"] = sandbox.limited_argv(spec["argv"], memory_mb)
    spec["metadata"]["unrolled"]["hub_memory_mb"] = memory_mb
    (spec_dir / "kernel.json").write_text(json.dumps(spec, indent=2) + "\n", encoding="utf-8")
    print(f"  hub: kernelspec with {memory_mb} MB per learner in {spec_dir}")
    outcome = publish.write(paths.notebook_sources(), hub / "release")
    print(f"  hub: student release in {hub / 'release'} ({len(outcome.written)} written, "
          f"{len(outcome.unchanged)} unchanged); each learner gets a copy at first login")
    secret(private / "api_token")
    (private / "limits.json").write_text(json.dumps({"memory_mb": memory_mb, "cpus": cpus}) + "\n", encoding="utf-8")
    if roster_accounts is None:
        password = os.environ.get("UNROLLED_HUB_PASSWORD") or secret(private / "password")
        print(f"  hub: a demonstration: anyone logs in with any user name and the password {password} "
              f"(kept in {private / 'password'}), all as your own user. For a class: --roster FILE")
        print("Hub ready. Start it with: ./unrolled hub start")
        return 0
    learners, to_make, existing = roster_accounts
    passwords = private / "learner-passwords.csv"
    made = accounts.create(to_make, passwords, home_base)
    record = {"learners": [learner.name for learner in learners], "admins": list(admins)}
    (private / "accounts.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"  hub: {len(made)} learner account(s) made, {len(existing)} existing kept; the new passwords are in "
          f"{passwords} (root only; hand each learner theirs)")
    print(f"  hub: admins, with their own accounts' passwords: {', '.join(admins) or 'none'}")
    print(f"  hub: per learner {memory_mb} MB and {cpus:g} CPU core(s), enforced by a control group")
    print("Hub ready. Start it with: sudo ./unrolled hub start")
    return 0


def remove_accounts(everyone: bool) -> int:
    """Deletes the learners' accounts the hub made (and their homes, with their notebooks)."""
    record = private_dir() / "accounts.json"
    if not record.is_file():
        print("No learners' accounts are recorded (hub setup --roster makes them).", file=sys.stderr)
        return 2
    names = json.loads(record.read_text(encoding="utf-8"))["learners"]
    if not everyone:
        print(f"This deletes {len(names)} learners' accounts and their home folders, with their notebooks. Collect "
              "the notebooks first (./unrolled autograde), then run: ./unrolled hub remove-accounts --yes",
              file=sys.stderr)
        return 2
    removed = accounts.remove(names)
    from .spawner import remove_groups   # imports JupyterHub, which hub setup installed
    for name in removed:
        remove_groups(name)
    record.unlink()
    print(f"  hub: {len(removed)} learner account(s) deleted with their home folders")
    return 0


def start(extra: list[str]) -> int:
    hub = hub_dir()
    if not (hub / "share" / "jupyter" / "kernels" / "java" / "kernel.json").is_file():
        print("The hub is not set up. Run ./unrolled hub setup first.", file=sys.stderr)
        return 2
    env = dict(os.environ)
    private = private_dir()
    limits = json.loads((private / "limits.json").read_text(encoding="utf-8"))
    if (private / "accounts.json").is_file():
        env.setdefault("UNROLLED_HUB_AUTH", "pam")
    if env.get("UNROLLED_HUB_AUTH", "shared") == "shared":
        env.setdefault("UNROLLED_HUB_PASSWORD", secret(private / "password"))
    env.setdefault("UNROLLED_HUB_TOKEN", secret(private / "api_token"))
    env.setdefault("UNROLLED_HUB_MEMORY", str(limits["memory_mb"]))
    env.setdefault("UNROLLED_HUB_CPUS", str(limits["cpus"]))
    env["UNROLLED_ROOT"] = str(paths.ROOT)
    env["UNROLLED_HUB_DIR"] = str(hub)
    env["PYTHONPATH"] = str(paths.ROOT / "tools") + os.pathsep + env.get("PYTHONPATH", "")
    # Debian's configurable-http-proxy finds its modules where Debian's node looks; a node from elsewhere
    # (NodeSource, nvm) needs to be told.
    debian_modules = [p for p in ("/usr/share/nodejs", "/usr/lib/nodejs") if Path(p).is_dir()]
    env["NODE_PATH"] = os.pathsep.join(filter(None, [env.get("NODE_PATH")] + debian_modules))
    ip, port = env.get("UNROLLED_HUB_IP", "127.0.0.1"), env.get("UNROLLED_HUB_PORT", "8000")
    print(f"JupyterHub on http://{ip}:{port}/ (state in {hub}; log on this terminal; Ctrl+C stops it)", flush=True)
    os.chdir(hub)
    jupyterhub = shutil.which("jupyterhub")
    if jupyterhub is None:
        print("jupyterhub is not installed. Run ./unrolled hub setup first.", file=sys.stderr)
        return 2
    os.execve(jupyterhub, [jupyterhub, "-f", str(CONFIG)] + extra, env)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./unrolled hub", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    set_up = sub.add_parser("setup", help="prepare build/hub (the packages are installed by ./unrolled hub setup)")
    set_up.add_argument("--java", required=True)
    set_up.add_argument("--memory", type=int, default=int(os.environ.get("UNROLLED_HUB_MEMORY", "2048")),
                        help="MB per learner (default 2048)")
    set_up.add_argument("--cpus", type=float, default=1.0, help="CPU cores per learner at most (default 1)")
    set_up.add_argument("--roster", type=Path, help="learners, one user name a line: makes their Unix accounts")
    set_up.add_argument("--admins", default="", help="admins' existing user names, comma-separated (with --roster)")
    set_up.add_argument("--existing-accounts", action="store_true",
                        help="learners who already have ordinary accounts log in with them")
    set_up.add_argument("--home-base", type=Path, default=Path("/home"), help="where learners' homes are made")
    remove = sub.add_parser("remove-accounts", help="delete the learners' accounts and homes after the workshop")
    remove.add_argument("--yes", action="store_true", help="really delete them")
    run = sub.add_parser("start", help="run JupyterHub in the foreground")
    run.add_argument("extra", nargs=argparse.REMAINDER, help="passed to jupyterhub")
    args = parser.parse_args(argv)
    if args.command == "setup":
        if args.admins and args.roster is None:
            parser.error("--admins needs --roster: admins log in with their own accounts, beside learners' accounts")
        if args.memory < 256 or not 0.05 <= args.cpus <= (os.cpu_count() or 1):
            parser.error(f"--memory must be at least 256 (MB) and --cpus from 0.05 to {os.cpu_count()} (cores), "
                         f"not {args.memory} and {args.cpus:g}")
        return setup(args.java, args.memory, args.cpus, args.roster, [a for a in args.admins.split(",") if a],
                     args.existing_accounts, args.home_base)
    if args.command == "remove-accounts":
        return remove_accounts(args.yes)
    return start(args.extra)


if __name__ == "__main__":
    sys.exit(main())
