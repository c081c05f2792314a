"""Grades one submitted notebook with the official checks, in a fresh kernel with time and memory limits.

The notebook that runs is assembled in memory from the learner's file and the instructor's source: the learner's
cells in the learner's order, except that
* the first cell is the official loading cell (with absolute paths, so the kernel can run in a scratch folder);
* every cell the learner has for a check (tagged `check-<id>`, or calling `Exercise.check("<id>"`) is replaced by the
  instructor's check cell, followed by the exercise's hidden checks; later copies run nothing;
* an exercise whose check the learner deleted gets it back right after the learner's exercise cell (or at the end).
Only the outputs of those official cells are read, so nothing a learner prints can pass an exercise.

A cell that outlives its time limit, or a kernel that dies (out of memory, `System.exit`), costs the exercise it
belongs to; the grader then starts a fresh kernel and runs the notebook again without that cell, so the other
exercises are still graded, as long as restarts and the submission's time budget last.
The learner's file is only read.
"""
from __future__ import annotations

import copy
import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from . import ansi, exercises, execute, paths, sandbox, student

PASSED, FAILED, NOT_ATTEMPTED = "passed", "failed", "not attempted"
TIMED_OUT, CRASHED, INVALID, MISSING = "timed out", "crashed", "invalid", "missing"
STATUSES = (PASSED, FAILED, NOT_ATTEMPTED, TIMED_OUT, CRASHED, INVALID, MISSING)

VERDICT = re.compile(r'data-exercise="([^"]+)" data-result="([a-z-]+)"')
ROLE = "unrolled_grader"  # cell metadata key of the assembled notebook
LOADING_SECONDS = 90      # the loading cell's time limit: it starts the JVM's maths libraries


@dataclass
class Limits:
    cell_seconds: int = 60          # one cell
    notebook_seconds: int = 300     # the whole submission, restarts included
    memory_mb: int = 2048           # the kernel's resident memory
    restarts: int = 2               # fresh kernels after a cell timed out or the kernel died
    startup_seconds: int = 30
    start_attempts: int = 4         # rapaio-jupyter-kernel sometimes never answers at start-up: try a fresh one


@dataclass
class Grade:
    exercise: str
    status: str
    reason: str = ""


@dataclass
class NotebookGrade:
    learner: str
    notebook: str
    grades: list[Grade]
    seconds: float = 0.0
    runs: int = 0
    peak_memory_mb: float | None = None
    notes: list[str] = field(default_factory=list)
    source_matches: bool | None = None  # the student file came from this instructor source (its recorded sha256)


def first_line(source: str) -> str:
    stripped = [line.strip() for line in source.splitlines() if line.strip()]
    return stripped[0] if stripped else ""


def _role(kind: str, exercise: str | None = None) -> dict:
    return {ROLE: {"role": kind, "exercise": exercise}}


def loading_cell() -> nbformat.NotebookNode:
    jar = paths.LIB_JAR.resolve()
    init = (paths.NOTEBOOKS / "init.jsh").resolve()
    return nbformat.v4.new_code_cell(paths.loading_source(str(jar), str(init)), metadata=_role("loading"))


def assemble(learner: nbformat.NotebookNode, official: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook the grader runs (see the module's description); `learner` and `official` are not changed."""
    found = {exercise.id: exercise for exercise in exercises.find(official)}
    official_ids = {official.cells[i].get("id"): exercise.id for exercise in found.values()
                    for i in exercise.check_cells + exercise.hidden_cells if official.cells[i].get("id")}
    exercise_lines = {first_line(official.cells[e.exercise_cell].source): e.id
                      for e in found.values() if e.exercise_cell is not None}

    def official_checks(exercise_id: str) -> list[nbformat.NotebookNode]:
        exercise = found[exercise_id]
        cells = []
        for index in exercise.check_cells + exercise.hidden_cells:
            cell = copy.deepcopy(official.cells[index])
            cell.outputs, cell.execution_count = [], None
            cell.metadata[ROLE] = {"role": "check", "exercise": exercise_id}
            cells.append(cell)
        return cells

    cells: list[nbformat.NotebookNode] = [loading_cell()]
    placed: set[str] = set()
    exercise_at: dict[str, int] = {}
    body = list(learner.cells)
    if body and body[0].cell_type == "code" and body[0].source.lstrip().startswith(paths.LOADING_MAGICS):
        body = body[1:]
    for cell in body:
        cell = copy.deepcopy(cell)
        cell.metadata.pop(ROLE, None)
        if cell.cell_type != "code":
            cells.append(cell)
            continue
        cell.outputs, cell.execution_count = [], None
        tagged = [exercises.tagged_id(cell, p) for p in (exercises.CHECK_TAG, exercises.HIDDEN_TAG)]
        ids = [i for i in tagged if i in found] or [i for i in exercises.checked_ids(cell.source) if i in found]
        if not ids and cell.get("id") in official_ids:
            ids = [official_ids[cell.get("id")]]
        if ids:
            for exercise_id in ids:
                if exercise_id not in placed:
                    cells.extend(official_checks(exercise_id))
                    placed.add(exercise_id)
            continue  # the learner's copy of a check never runs
        exercise_id = exercises.tagged_id(cell, exercises.EXERCISE_TAG)
        if exercise_id not in found:
            exercise_id = exercise_lines.get(first_line(cell.source))
        cell.metadata[ROLE] = {"role": "exercise" if exercise_id else "learner", "exercise": exercise_id}
        cells.append(cell)
        if exercise_id:
            exercise_at[exercise_id] = len(cells) - 1
    # Deleted checks come back after their exercise cell, or at the end; insert from the bottom up.
    missing = [e for e in found if e not in placed]
    for exercise_id in sorted(missing, key=lambda e: -exercise_at.get(e, len(cells))):
        at = exercise_at.get(exercise_id, len(cells) - 1) + 1
        cells[at:at] = official_checks(exercise_id)
    for number, cell in enumerate(cells):
        cell["id"] = f"graded-{number}"  # unique ids, whatever the learner's file held
    nb = nbformat.v4.new_notebook(metadata=copy.deepcopy(official.metadata))
    nb.metadata.pop("unrolled", None)
    nb.cells = cells
    return nb


def role(cell) -> tuple[str | None, str | None]:
    info = cell.get("metadata", {}).get(ROLE, {})
    return info.get("role"), info.get("exercise")


def cell_error(cell) -> str | None:
    for output in cell.get("outputs", []):
        if output.output_type == "error":
            text = ansi.strip("\n".join(output.get("traceback", [])) or f"{output.ename}: {output.evalue}")
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            return " ".join(lines[:3])[:300] or output.ename
    return None


def verdicts(cell, exercise_id: str) -> list[tuple[str, str]]:
    """(result, reason) for every verdict an official check cell showed for `exercise_id`."""
    found = []
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        html, plain = data.get("text/html", ""), data.get("text/plain", "")
        for shown_id, result in VERDICT.findall(html):
            if shown_id != exercise_id:
                continue
            reason = ""
            match = re.search(r"^Exercise " + re.escape(shown_id) + r" \(.*?\): [a-z ]+?(?:: (.*))?$", plain, re.S)
            if match and match.group(1):
                reason = match.group(1).strip()
            found.append((result, reason))
    return found


def judge(nb: nbformat.NotebookNode, exercise_id: str) -> Grade | None:
    """The grade the executed notebook shows for one exercise; None if its checks never ran."""
    checks = [cell for cell in nb.cells if role(cell) == ("check", exercise_id)]
    ran = [cell for cell in checks if cell.get("execution_count") is not None or cell.get("outputs")]
    if not checks or len(ran) < len(checks):
        return None
    shown = [v for cell in ran for v in verdicts(cell, exercise_id)]
    errors = [e for cell in ran if (e := cell_error(cell))]
    wrong = [reason for result, reason in shown if result == "wrong"]
    if wrong:
        return Grade(exercise_id, FAILED, wrong[0])
    if errors:
        own = [cell_error(cell) for cell in nb.cells if role(cell) == ("exercise", exercise_id) and cell_error(cell)]
        reason = f"your exercise cell failed: {own[0]}; " if own else ""
        return Grade(exercise_id, FAILED, f"{reason}the check could not run: {errors[0]}")
    if any(result == "not-yet" for result, _ in shown):
        return Grade(exercise_id, NOT_ATTEMPTED, "the stub `throw Exercise.todo();` is still in place")
    if shown and all(result == "passed" for result, _ in shown):
        return Grade(exercise_id, PASSED)
    return Grade(exercise_id, FAILED, "the check showed no verdict")


def read_submission(path: Path) -> tuple[nbformat.NotebookNode | None, str]:
    """The learner's notebook, or None and why it cannot be read. Reads the file once and never writes it."""
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        return None, f"the file cannot be read as UTF-8 text ({e})"
    try:
        json.loads(text)
    except ValueError as e:
        return None, f"the file is not valid JSON ({e})"
    try:
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
    except Exception as e:  # nbformat raises several types for a JSON file that is not a notebook
        return None, f"the file is JSON but not a Jupyter notebook ({str(e).splitlines()[0][:200]})"
    return nb, ""


def describe_death(watchdog: sandbox.Watchdog, log: Path, limits: Limits) -> str:
    if watchdog.killed:
        return f"the kernel used more than the memory limit ({limits.memory_mb} MB) and was stopped"
    tail = sandbox.log_tail(log)
    if "OutOfMemoryError" in tail:
        return f"the kernel ran out of memory (Java heap; the limit is {limits.memory_mb} MB in all)"
    code = watchdog.exit_code()
    return ("the kernel exited" + (f" with status {code}" if code is not None else "")
            + " (System.exit, or a crash)")


def grade(learner: str, submission: Path, official_source: Path, work: Path, limits: Limits) -> NotebookGrade:
    """Grades `submission` against the instructor notebook `official_source`; scratch files go to `work`."""
    official = nbformat.read(official_source, as_version=4)
    ids = [exercise.id for exercise in exercises.find(official)]
    name = official_source.name
    started = time.monotonic()
    learner_nb, problem = read_submission(submission)
    if learner_nb is None:
        return NotebookGrade(learner, name, [Grade(i, INVALID, problem) for i in ids])
    recorded = learner_nb.metadata.get("unrolled", {}).get("source_sha256")
    matches = None if recorded is None else recorded == student.sha256(official_source.read_bytes())
    assembled = assemble(learner_nb, official)
    work.mkdir(parents=True, exist_ok=True)
    log = work / (official_source.stem + ".kernel.log")
    log.write_text("", encoding="utf-8")
    deadline = started + limits.notebook_seconds
    manager = sandbox.kernel_manager_class(limits.memory_mb, {"UNROLLED_DATASETS": str(paths.ROOT / "datasets")})
    blamed: dict[str, Grade] = {}
    notes: list[str] = []
    peak = None
    runs = 0
    executed = None
    for run in range(limits.restarts + 1):
        runs += 1
        budget_limited = {"value": False}

        def timeout_for(cell, budget_limited=budget_limited):
            # The official loading cell runs no learner code; under load it may take longer than a learner's cell.
            allowed = max(limits.cell_seconds, LOADING_SECONDS) if role(cell)[0] == "loading" else limits.cell_seconds
            remaining = deadline - time.monotonic()
            budget_limited["value"] = remaining < allowed
            return max(1, int(min(allowed, remaining)))

        watchdog = sandbox.Watchdog(limits.memory_mb)
        result = execute.run_notebook(assembled, name, work, cell_timeout=limits.cell_seconds,
                                      startup_timeout=limits.startup_seconds, attempts=limits.start_attempts, kernel_log=log,
                                      allow_errors=True, kernel_manager_class=manager, timeout_func=timeout_for,
                                      on_start=lambda client, w=watchdog: w.watch(client.km.provisioner.process))
        watchdog.stop()
        peak = max(peak or 0, watchdog.peak_mb or result.peak_memory_mb or 0) or None
        executed = result.executed
        failure = result.failure
        if failure is None or failure.kind == "error":
            break
        if failure.kind in ("start", "missing") or failure.cell_index is None:
            notes.append(failure.error)
            break
        index = failure.cell_index
        kind, exercise_id = role(assembled.cells[index])
        if failure.kind == "timeout":
            status = TIMED_OUT
            why = (f"the submission's time limit ({limits.notebook_seconds} s) ran out in this cell"
                   if budget_limited["value"] else f"a cell ran longer than {limits.cell_seconds} s (an endless loop?)")
        else:
            status, why = CRASHED, describe_death(watchdog, log, limits)
        where = f"cell {index + 1} (\"{first_line(assembled.cells[index].source)[:50]}\")"
        if exercise_id and exercise_id not in blamed:
            blamed[exercise_id] = Grade(exercise_id, status, f"{why}, in {where}")
        else:
            notes.append(f"{status}: {why}, in {where}; the grader skipped that cell")
        if status == TIMED_OUT and budget_limited["value"]:
            break
        if executed is not None and all(e in blamed or judge(executed, e) is not None for e in ids):
            break  # every exercise has its grade: no need for another kernel
        if time.monotonic() >= deadline - 5 or run == limits.restarts:
            break
        assembled = copy.deepcopy(assembled)
        assembled.cells[index].source = ""  # nbclient skips an empty cell: run everything else again
    grades = []
    for exercise_id in ids:
        if exercise_id in blamed:
            grades.append(blamed[exercise_id])
            continue
        judged = judge(executed, exercise_id) if executed is not None else None
        if judged is None:
            stopped = notes[-1] if notes else "the run stopped early"
            status = TIMED_OUT if TIMED_OUT in stopped or "time limit" in stopped else CRASHED
            judged = Grade(exercise_id, status, f"its check never ran: {stopped}")
        grades.append(judged)
    if executed is not None:
        nbformat.write(executed, work / name)
    return NotebookGrade(learner, name, grades, time.monotonic() - started, runs, peak, notes, matches)
