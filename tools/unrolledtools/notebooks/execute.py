"""Executes notebooks headless in the installed Java kernel, through Jupyter's own nbclient.

A notebook passes when every code cell runs without an error output and writes nothing to stderr
(a logging warning in a learner's notebook is a defect). rapaio-jupyter-kernel's start-up races are closed
by kernel/'s launcher; a kernel that still does not answer in time (a machine too busy to start a JVM) is
retried with a fresh one. Each result also reports the kernel's start-up time and peak memory.
"""
from __future__ import annotations

import atexit
import base64
import copy
import hashlib
import os
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import nbformat
from nbclient import NotebookClient
from jupyter_client.kernelspec import NoSuchKernel
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from ..common import ansi

KERNEL_NAME = "java"
# The library appends "sha256(PNG)<TAB>description" to this file for every picture it renders (unrolled.plot).
PLOT_DESCRIPTIONS = "UNROLLED_PLOT_DESCRIPTIONS"


@dataclass
class Failure:
    """What went wrong, and where: enough for a learner to open the notebook at the right cell."""

    notebook: str
    cell_index: int | None  # index among all cells, 0-based
    cell_source: str
    error: str
    kind: str = "error"  # "error" (an error output or stderr), "timeout", "dead" (the kernel died), "start", "missing"

    def describe(self) -> str:
        if self.cell_index is None:
            return f"{self.notebook}: {self.error}"
        first_line = self.cell_source.strip().splitlines()[0] if self.cell_source.strip() else ""
        return (f"{self.notebook}, cell {self.cell_index + 1} (\"{first_line[:60]}\"):\n"
                + "\n".join("    " + line for line in self.error.strip().splitlines()))


@dataclass
class Result:
    notebook: str
    seconds: float
    attempts: int
    failure: Failure | None = None
    executed: nbformat.NotebookNode | None = field(default=None, repr=False)
    startup_seconds: float | None = None  # from launching the kernel to its first answer, last attempt
    peak_memory_mb: float | None = None   # the kernel process's peak resident memory (Linux), after the last cell
    cpu_seconds: float | None = None      # the kernel process's CPU time, user + system, all threads (Linux)
    appended: list | None = field(default=None, repr=False)  # the executed cells that execute(append=...) added

    @property
    def ok(self) -> bool:
        return self.failure is None


class KernelStartError(RuntimeError):
    pass


def _first_problem(nb: nbformat.NotebookNode, name: str) -> Failure | None:
    """The first cell with an error output or with anything written to stderr."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                text = ansi.strip("\n".join(output.get("traceback", [])) or f"{output.ename}: {output.evalue}")
                return Failure(name, index, cell.source, f"{output.ename}: {text}")
            if output.output_type == "stream" and output.name == "stderr":
                return Failure(name, index, cell.source, "wrote to stderr:\n" + ansi.strip(output.text))
    return None


def execute(source: Path, cwd: Path, cell_timeout: int = 180, startup_timeout: int = 20,
            attempts: int = 4, kernel_log: Path | None = None, append: list | None = None) -> Result:
    """Runs every cell of `source` in a fresh kernel started in `cwd`; never modifies `source`.

    Returns the executed notebook (with the outputs produced up to a failure) and the first failure. Each PNG output
    that the library drew carries the library's description of it as its `text/plain`. Cells in `append` run after
    the notebook's own, in the same kernel; they come back executed in `Result.appended`, not in the notebook.
    """
    notebook = nbformat.read(source, as_version=4)
    own = len(notebook.cells)
    notebook.cells.extend(copy.deepcopy(append or []))
    with tempfile.TemporaryDirectory(prefix="unrolled-plots-") as scratch:
        log = Path(scratch) / "descriptions.tsv"
        result = run_notebook(notebook, source.name, cwd, cell_timeout=cell_timeout,
                              startup_timeout=startup_timeout, attempts=attempts, kernel_log=kernel_log,
                              kernel_env={PLOT_DESCRIPTIONS: str(log)})
        if result.executed is not None:
            describe_plots(result.executed, read_descriptions(log))
            result.appended = result.executed.cells[own:]
            result.executed.cells = result.executed.cells[:own]
        if result.failure is not None and result.failure.cell_index is not None and result.failure.cell_index >= own:
            result.failure.error = ("in a cell run after the notebook's own (the learner's exercise stub or its check, "
                                    "for the learner edition; an unsolved exercise must not fail): "
                                    + result.failure.error)
    return result


def read_descriptions(log: Path) -> dict[str, str]:
    """sha256 of a PNG -> what it shows, from the library's log (empty when nothing was logged)."""
    try:
        lines = log.read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    return dict(line.split("\t", 1) for line in lines if "\t" in line)


def describe_plots(nb: nbformat.NotebookNode, descriptions: dict[str, str]) -> int:
    """Gives every PNG output whose image the library described that description as its `text/plain` (the form
    shown where images are not, and the book's alt text); returns how many outputs were described."""
    described = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            png = output.get("data", {}).get("image/png")
            if not png:
                continue
            data = base64.b64decode("".join(png.split()))
            # whole 3-byte groups only, as the library digests them: rapaio's unclosed base64 stream drops the rest
            digest = hashlib.sha256(data[:len(data) - len(data) % 3]).hexdigest()
            if digest in descriptions:
                output["data"]["text/plain"] = descriptions[digest]
                described += 1
    return described


def run_notebook(notebook: nbformat.NotebookNode, name: str, cwd: Path, cell_timeout: int = 180,
                 startup_timeout: int = 20, attempts: int = 4, kernel_log: Path | None = None,
                 allow_errors: bool = False, kernel_manager_class: type | None = None,
                 timeout_func: Callable[[nbformat.NotebookNode], int] | None = None,
                 on_start: Callable[[NotebookClient], None] | None = None, max_output_bytes: int | None = None,
                 keep_outputs: Callable[[nbformat.NotebookNode], bool] | None = None,
                 give_up_at: float | None = None, kernel_env: dict[str, str] | None = None) -> Result:
    """Runs every cell of an in-memory notebook (a copy; `notebook` is left as it is) in a fresh kernel.

    With `allow_errors`, cells after an error still run and the first error is reported at the end (the autograder
    does this); `kernel_manager_class` starts the kernel its own way (with other limits, say),
    `timeout_func` gives each cell its time limit, `on_start` is called once the kernel answers;
    `max_output_bytes` bounds what the run's outputs may hold in memory (beyond it they are dropped, except in the
    cells `keep_outputs` accepts, which each keep that much again); no new start-up attempt begins after
    `give_up_at` (a time.monotonic() value); `kernel_env` adds
    environment variables to the kernel's.
    """
    started = time.monotonic()
    last_error = ""
    for attempt in range(1, attempts + 1):
        if give_up_at is not None and attempt > 1 and time.monotonic() >= give_up_at:
            attempts = attempt - 1
            break
        nb = copy.deepcopy(notebook)
        options = {"kernel_manager_class": kernel_manager_class} if kernel_manager_class else {}
        client = NotebookClient(nb, kernel_name=KERNEL_NAME, timeout=cell_timeout, startup_timeout=startup_timeout,
                                allow_errors=allow_errors, record_timing=False, timeout_func=timeout_func, **options)
        running: list[int] = []
        client.on_cell_execute = lambda cell, cell_index: running.append(cell_index)
        launched = time.monotonic()
        measured: dict[str, float] = {}

        def notebook_started(notebook, client=client, measured=measured, launched=launched):
            measured.setdefault("startup", time.monotonic() - launched)
            if on_start:
                on_start(client)
        client.on_notebook_start = notebook_started
        client.on_cell_executed = lambda cell, cell_index, execute_reply: _sample_memory(client, measured)
        if max_output_bytes is not None:
            _cap_outputs(client, max_output_bytes, keep_outputs or (lambda cell: False))
        log = open(kernel_log, "a", encoding="utf-8") if kernel_log else subprocess.DEVNULL
        try:
            env = {"env": {**os.environ, **kernel_env}} if kernel_env else {}
            client.execute(cwd=str(cwd), stdout=log, stderr=log, **env)
        except NoSuchKernel:
            return Result(name, time.monotonic() - started, attempt,
                          Failure(name, None, "", f"no Jupyter kernel named '{KERNEL_NAME}' is installed. "
                                  "Install it with: ./unrolled setup", "start"), None)
        except CellTimeoutError as e:
            index = running[-1] if running else None
            return Result(name, time.monotonic() - started, attempt,
                          Failure(name, index, nb.cells[index].source if index is not None else "",
                                  f"the cell did not finish within its time limit ({ansi.strip(str(e)).strip()})",
                                  "timeout"), nb, measured.get("startup"), measured.get("peak_mb"), measured.get("cpu"))
        except CellExecutionError:
            return Result(name, time.monotonic() - started, attempt,
                          _first_problem(nb, name) or Failure(name, None, "", "a cell failed"), nb)
        except DeadKernelError as e:
            index = running[-1] if running else None
            if not running:
                atexit.unregister(client._cleanup_kernel)
                last_error = f"the kernel died at start-up: {e}"
                continue
            return Result(name, time.monotonic() - started, attempt,
                          Failure(name, index, nb.cells[index].source if index is not None else "",
                                  f"the Java kernel died while running this cell ({e}); "
                                  "it may have run out of memory, see build/logs", "dead"), nb,
                          measured.get("startup"), measured.get("peak_mb"), measured.get("cpu"))
        except RuntimeError as e:
            if not running:
                # nbclient has already shut the silent kernel down; its exit hook would fail on the missing kernel.
                atexit.unregister(client._cleanup_kernel)
                last_error = f"the kernel did not start: {e}"
                continue
            raise
        finally:
            if kernel_log:
                log.close()
        return Result(name, time.monotonic() - started, attempt, _first_problem(nb, name), nb,
                      measured.get("startup"), measured.get("peak_mb"), measured.get("cpu"))
    return Result(name, time.monotonic() - started, attempts,
                  Failure(name, None, "", f"{last_error} (tried {attempts} times). "
                          "Is the kernel installed? Run ./unrolled setup", "start"), None)


def _cap_outputs(client: NotebookClient, limit: int, kept: Callable[[nbformat.NotebookNode], bool]) -> None:
    """Drops output messages once the run's outputs pass `limit` bytes (a cell that prints without end would fill
    the runner's memory); each cell that `kept` accepts has a budget of its own. A note marks where output stopped."""
    original = client.output
    used: dict[object, int] = {}

    def output(outs, msg, display_id, cell_index):
        cell = client.nb.cells[cell_index] if cell_index is not None and cell_index < len(client.nb.cells) else None
        budget = ("cell", cell_index) if cell is not None and kept(cell) else "run"
        size = len(str(msg.get("content", "")))
        used[budget] = used.get(budget, 0) + size
        if used[budget] <= limit:
            return original(outs, msg, display_id, cell_index)
        if used[budget] - size <= limit:
            outs.append(nbformat.v4.new_output("stream", name="stdout",
                                               text=f"[output beyond {limit >> 20} MB dropped by the runner]\n"))
        return None
    client.output = output


def _sample_memory(client: NotebookClient, measured: dict[str, float]) -> None:
    """Records the kernel's peak resident memory (VmHWM) and CPU time so far; Linux only, silently skipped elsewhere."""
    try:
        pid = client.km.provisioner.process.pid
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    measured["peak_mb"] = int(line.split()[1]) / 1024
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            # utime and stime are fields 14 and 15, counted after the command name's closing parenthesis.
            fields = stat.read().rsplit(")", 1)[1].split()
            measured["cpu"] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (AttributeError, OSError, ValueError):
        pass
