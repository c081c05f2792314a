"""`./unrolled hub setup|start`: a JupyterHub that serves the curriculum to a class on one machine.

`setup` prepares the hub's folder (build/hub unless UNROLLED_HUB_DIR says otherwise): the student release the
learners get, a `java` kernelspec with the per-learner memory limits, the shared password and the load test's
API token. `start` runs JupyterHub with tools/hub/jupyterhub_config.py in the foreground (Ctrl+C stops it and
every learner's server). docs/workshop.md describes the set-up, the limits and the measured capacity.
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import sys
from pathlib import Path

from . import kernel, paths, release, sandbox

CONFIG = paths.ROOT / "tools" / "hub" / "jupyterhub_config.py"


def hub_dir() -> Path:
    return Path(os.environ.get("UNROLLED_HUB_DIR", paths.BUILD / "hub")).resolve()


def secret(path: Path) -> str:
    """A random secret kept in `path` (created once, readable by its owner only)."""
    if not path.is_file():
        path.write_text(secrets.token_hex(16) + "\n", encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def setup(java: str, memory_mb: int) -> int:
    hub = hub_dir()
    (hub / "users").mkdir(parents=True, exist_ok=True)
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
    outcome = release.write(paths.notebook_sources(), hub / "release")
    print(f"  hub: student release in {hub / 'release'} ({len(outcome.written)} written, "
          f"{len(outcome.unchanged)} unchanged); each learner gets a copy at first login")
    password = os.environ.get("UNROLLED_HUB_PASSWORD") or secret(hub / "password")
    secret(hub / "api_token")
    (hub / "memory_mb").write_text(f"{memory_mb}\n", encoding="utf-8")
    print(f"  hub: learners log in with any user name and the password {password} "
          f"(kept in {hub / 'password'}; set UNROLLED_HUB_PASSWORD to choose it)")
    print("Hub ready. Start it with: ./unrolled hub start")
    return 0


def start(extra: list[str]) -> int:
    hub = hub_dir()
    if not (hub / "share" / "jupyter" / "kernels" / "java" / "kernel.json").is_file():
        print("The hub is not set up. Run ./unrolled hub setup first.", file=sys.stderr)
        return 2
    env = dict(os.environ)
    env.setdefault("UNROLLED_HUB_PASSWORD", secret(hub / "password"))
    env.setdefault("UNROLLED_HUB_TOKEN", secret(hub / "api_token"))
    env.setdefault("UNROLLED_HUB_MEMORY", (hub / "memory_mb").read_text(encoding="utf-8").strip())
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
    run = sub.add_parser("start", help="run JupyterHub in the foreground")
    run.add_argument("extra", nargs=argparse.REMAINDER, help="passed to jupyterhub")
    args = parser.parse_args(argv)
    if args.command == "setup":
        return setup(args.java, args.memory)
    return start(args.extra)


if __name__ == "__main__":
    sys.exit(main())
