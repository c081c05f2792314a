"""Runs the browser tests' Node.js scripts (tools/browser) against Debian's chromium.

A script is an ES module that drives chromium through `tools/browser/chromium.mjs`, asserts with `node:assert`, and
exits non-zero when an assertion fails; `run` returns its output and raises with all of it when the script fails."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from . import paths

BROWSER_DIR = paths.ROOT / "tools" / "browser"
CHROMIUM = Path(os.environ.get("UNROLLED_CHROMIUM", "/usr/bin/chromium"))


class BrowserScriptFailed(AssertionError):
    pass


def missing() -> list[str]:
    """What the browser tests need and this machine lacks (empty when everything is there)."""
    lacking = []
    if shutil.which("node") is None:
        lacking.append("node (Debian package nodejs)")
    if not CHROMIUM.is_file():
        lacking.append(f"chromium at {CHROMIUM} (Debian package chromium)")
    if not (BROWSER_DIR / "node_modules" / "playwright-core").is_dir():
        lacking.append("playwright-core in tools/browser/node_modules (npm ci in tools/browser)")
    return lacking


def run(script: Path, *args: str, timeout: float = 300, env: dict[str, str] | None = None) -> str:
    """Runs `node script args...` from tools/browser and returns its standard output.

    Raises BrowserScriptFailed with the script's output when it exits non-zero or runs longer than `timeout` s."""
    lacking = missing()
    if lacking:
        raise BrowserScriptFailed("the browser tests need " + ", ".join(lacking) + "; ./unrolled test installs them")
    try:
        done = subprocess.run(["node", str(script), *args], cwd=BROWSER_DIR, capture_output=True, text=True,
                              timeout=timeout, env={**os.environ, **(env or {})})
    except subprocess.TimeoutExpired as timed_out:
        raise BrowserScriptFailed(f"{script.name} ran longer than {timeout} s:\n{timed_out.stdout or ''}"
                                  f"{timed_out.stderr or ''}") from None
    if done.returncode != 0:
        raise BrowserScriptFailed(f"{script.name} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done.stdout
