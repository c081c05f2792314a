"""Grades one submitted notebook with the official checks, in a fresh kernel with time and memory limits.

The notebook that runs is assembled in memory from the learner's file and the instructor's source: the learner's
cells in the learner's order, except that
* the first cell is the official loading cell (with absolute paths, so the kernel can run in a scratch folder);
* every cell the learner has for a check (tagged `check-<id>`, or calling `Exercise.check("<id>"`) is replaced by the
  instructor's check cell, followed by the exercise's hidden checks; later copies run nothing;
* an exercise whose check the learner deleted gets it back right after the learner's exercise cell (or at the end).
* the exercise's grading cells (`grade-<id>`, instructor only) follow its checks.

The grade comes from the grading cells, decided here, not in the kernel: they record what the learner's method
returns on inputs the learner has not seen (`Exercise.record`), the instructor notebook's own run records its
answers on the same inputs (`reference_answers`), and `compare` holds one against the other. The learner's code runs
in the same JVM as every official cell, so nothing the kernel says is trusted: a verdict it shows, a check class it
shadows, an adapter it rewrites by reflection or output it hides can change the feedback, never the grade; forging a
recorded answer means computing it. There is no grade without grading cells: an instructor notebook with an
exercise that has none is refused (NoReference) before any submission runs, since the only other verdict, the one a
check cell shows in the learner's kernel, can be forged. Every kernel runs in the grading sandbox (sandbox.py)
unless the instructor chose `unsafe`.

A cell that outlives its time limit, or a kernel that dies (out of memory, `System.exit`), costs the exercise it
belongs to; the grader then starts a fresh kernel and runs the notebook again without that cell, so the other
exercises are still graded, as long as restarts and the submission's time budget last.
The learner's file is only read.
"""
from __future__ import annotations

import copy
import json
import math
import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient.exceptions import CellTimeoutError

from ..common import paths
from ..notebooks import exercises, execute
from ..release import student
from . import sandbox
from .verdict import NOT_DONE, THREW, VALUE, Answer, answers_in

PASSED, FAILED, NOT_ATTEMPTED = "passed", "failed", "not attempted"
TIMED_OUT, CRASHED, INVALID, MISSING = "timed out", "crashed", "invalid", "missing"
STATUSES = (PASSED, FAILED, NOT_ATTEMPTED, TIMED_OUT, CRASHED, INVALID, MISSING)

ROLE = "unrolled_grader"  # cell metadata key of the assembled notebook
LOADING_SECONDS = 90      # the loading cell's time limit: it starts the JVM's maths libraries
MAX_SUBMISSION_BYTES = 20 << 20  # a notebook larger than this is not read
MAX_OUTPUT_BYTES = 8 << 20       # outputs kept per run; the rest is dropped (the grading cells' answers are kept)
GRADING_JVM_OPTIONS = ["-Dunrolled.grading=true"]  # Exercise.GRADING_PROPERTY: record() writes for the grader


@dataclass
class Limits:
    cell_seconds: int = 60          # one cell
    notebook_seconds: int = 300     # the whole submission, restarts included
    memory_mb: int = 2048           # the kernel's resident memory
    restarts: int = 2               # fresh kernels after a cell timed out or the kernel died
    startup_seconds: int = 60       # a JVM under a loaded machine's sandbox may take this long to answer
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
                    for i in exercise.check_cells + exercise.hidden_cells + exercise.grade_cells
                    if official.cells[i].get("id")}
    exercise_lines = {first_line(official.cells[e.exercise_cell].source): e.id
                      for e in found.values() if e.exercise_cell is not None}

    def official_checks(exercise_id: str) -> list[nbformat.NotebookNode]:
        exercise = found[exercise_id]
        cells = []
        for kind, indexes in (("check", exercise.check_cells + exercise.hidden_cells), ("grade", exercise.grade_cells)):
            for index in indexes:
                cell = copy.deepcopy(official.cells[index])
                cell.outputs, cell.execution_count = [], None
                cell.metadata[ROLE] = {"role": kind, "exercise": exercise_id}
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
        tagged = [exercises.tagged_id(cell, p)
                  for p in (exercises.CHECK_TAG, exercises.HIDDEN_TAG, exercises.GRADE_TAG)]
        ids = ([i for i in tagged if i in found] or [i for i in exercises.checked_ids(cell.source) if i in found]
               or [i for i in exercises.RECORD_CALL.findall(cell.source) if i in found])
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


def answers(nb: nbformat.NotebookNode, exercise_id: str) -> tuple[list[Answer], bool]:
    """The answers the grading cells of `exercise_id` recorded in an executed notebook, and whether they all ran."""
    cells = [cell for cell in nb.cells if role(cell) == ("grade", exercise_id)]
    ran = all(cell.get("execution_count") is not None or cell.get("outputs") for cell in cells)
    found = [answer for cell in cells for output in cell.get("outputs", [])
             if output.get("output_type") == "stream" and output.get("name") == "stdout"
             for answer in answers_in(output.get("text", ""), exercise_id)]
    return found, bool(cells) and ran


def _as_number(value) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if value in ("NaN", "Infinity", "-Infinity"):
        return float(value)
    return None


def difference(answer, expected, tolerance: float, where: str = "") -> str | None:
    """Why `answer` differs from `expected` (JSON from Exercise.record) beyond `tolerance`; None if it does not."""
    here = f" at {where}" if where else ""
    if isinstance(expected, dict) and "shape" in expected and "data" in expected:
        if not (isinstance(answer, dict) and "shape" in answer and "data" in answer):
            return f"your answer{here} is not an array, expected an array of shape {tuple(expected['shape'])}"
        if answer["shape"] != expected["shape"]:
            return f"your array{here} has shape {tuple(answer['shape'])}, expected {tuple(expected['shape'])}"
        worst, worst_at = -1.0, None
        for index, (a, e) in enumerate(zip(answer["data"], expected["data"])):
            a, e = _as_number(a), _as_number(e)
            if a is None or e is None:
                return f"your array{here} holds something that is not a number"
            gap = 0.0 if (a == e or (math.isnan(a) and math.isnan(e))) else abs(a - e)
            gap = math.inf if math.isnan(gap) else gap
            if gap > worst:
                worst, worst_at = gap, index
        if len(answer["data"]) != len(expected["data"]):
            return f"your array{here} has {len(answer['data'])} elements, expected {len(expected['data'])}"
        if worst > tolerance:
            return (f"your array{here} differs by up to {worst:.3g} (at flat index {worst_at}; tolerance "
                    f"{tolerance:g})")
        return None
    if _as_number(expected) is not None:
        a, e = _as_number(answer), _as_number(expected)
        if a is None:
            return f"your answer{here} is not a number"
        if not (a == e or (math.isnan(a) and math.isnan(e)) or abs(a - e) <= tolerance):
            return f"your answer{here} is off by {abs(a - e):.3g} (tolerance {tolerance:g})"
        return None
    if isinstance(expected, dict):
        if not isinstance(answer, dict):
            return f"your answer{here} is not a map with the keys {sorted(expected)}"
        if sorted(answer) != sorted(expected):
            return f"your map{here} has the keys {sorted(answer)}, expected {sorted(expected)}"
        for key in expected:
            problem = difference(answer[key], expected[key], tolerance, f"{where}[{key}]" if where else key)
            if problem:
                return problem
        return None
    if isinstance(expected, list):
        if not isinstance(answer, list) or len(answer) != len(expected):
            size = len(answer) if isinstance(answer, list) else "no"
            return f"your answer{here} has {size} items, expected {len(expected)}"
        for index, (a, e) in enumerate(zip(answer, expected)):
            problem = difference(a, e, tolerance, f"{where}[{index}]")
            if problem:
                return problem
        return None
    return None if answer == expected else f"your answer{here} is {str(answer)[:80]!r}, expected another value"


def compare(learner: list[Answer], reference: list[Answer], exercise_id: str) -> Grade:
    """The grade of one exercise: the learner's recorded answers held against the instructor notebook's, input by
    input, with the instructor's tolerance. Decided here, in the grader's process."""
    by_label: dict[str, list[Answer]] = {}
    for answer in learner:
        by_label.setdefault(answer.label, []).append(answer)
    for expected in reference:
        mine = by_label.get(expected.label, [])
        if len(mine) > 1:
            return Grade(exercise_id, FAILED, f"the answer for input {expected.label} was recorded {len(mine)} times "
                                              "(something else in the kernel wrote answers)")
        if not mine:
            return Grade(exercise_id, FAILED, f"no answer was recorded for input {expected.label} (the grading cell "
                                              "did not run to the end, or its output was hidden)")
        answer = mine[0]
        if answer.outcome == NOT_DONE:
            return Grade(exercise_id, NOT_ATTEMPTED, "the stub `throw Exercise.todo();` is still in place")
        if answer.outcome == THREW:
            return Grade(exercise_id, FAILED, f"on input {expected.label} your code threw {answer.error}"[:300])
        problem = difference(answer.value, expected.value, expected.tolerance)
        if problem:
            return Grade(exercise_id, FAILED, f"on input {expected.label}: {problem}")
    return Grade(exercise_id, PASSED)


def read_submission(path: Path) -> tuple[nbformat.NotebookNode | None, str]:
    """The learner's notebook, or None and why it cannot be read. Reads the file once and never writes it; refuses a
    symbolic link (it could point at another learner's work) and anything but a regular file."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as e:
        if os.path.islink(path):
            return None, "the file is a symbolic link: only a learner's own regular files are graded"
        return None, f"the file cannot be opened ({e.strerror})"
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, "the file is not a regular file (a device, a pipe or a folder): refused"
        if info.st_size > MAX_SUBMISSION_BYTES:
            return None, f"the file is {info.st_size >> 20} MB, more than the {MAX_SUBMISSION_BYTES >> 20} MB accepted"
        with os.fdopen(fd, "rb") as f:
            fd = -1
            data = f.read(MAX_SUBMISSION_BYTES + 1)
    finally:
        if fd >= 0:
            os.close(fd)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return None, f"the file cannot be read as UTF-8 text ({e})"
    try:
        json.loads(text)
    except (ValueError, RecursionError) as e:
        return None, f"the file is not valid JSON ({str(e)[:200]})"
    try:
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
    except Exception as e:  # nbformat raises several types for a JSON file that is not a notebook
        return None, f"the file is JSON but not a Jupyter notebook ({str(e).splitlines()[0][:200] if str(e) else e!r})"
    return nb, ""


def describe_death(out_of_memory: bool, exit_code: int | None, log: Path, limits: Limits) -> str:
    if out_of_memory:
        return f"the kernel used more than the memory limit ({limits.memory_mb} MB) and was stopped"
    tail = sandbox.log_tail(log)
    if "OutOfMemoryError" in tail:
        return f"the kernel ran out of memory (Java heap; the limit is {limits.memory_mb} MB in all)"
    return ("the kernel exited" + (f" with status {exit_code}" if exit_code is not None else "")
            + " (System.exit, or a crash)")


@dataclass
class Run:
    result: execute.Result
    out_of_memory: bool
    exit_code: int | None
    peak_mb: float | None


def run_graded(nb: nbformat.NotebookNode, name: str, work: Path, limits: Limits, log: Path, timeout_for,
               unsafe: bool, deadline: float | None = None) -> Run:
    """Runs an assembled notebook in a fresh kernel: in its own sandbox, or with `unsafe` under a memory watchdog.
    Kernel start-up counts against `deadline` too."""
    env = {"UNROLLED_DATASETS": str(paths.ROOT / "datasets")}
    startup = limits.startup_seconds
    if deadline is not None:
        startup = max(5, int(min(startup, deadline - time.monotonic())))
    options = dict(cell_timeout=limits.cell_seconds, startup_timeout=startup, give_up_at=deadline,
                   attempts=limits.start_attempts, kernel_log=log, allow_errors=True, timeout_func=timeout_for,
                   max_output_bytes=MAX_OUTPUT_BYTES, keep_outputs=lambda cell: role(cell)[0] == "grade")
    if unsafe:
        watchdog = sandbox.Watchdog(limits.memory_mb)
        manager = sandbox.kernel_manager_class(limits.memory_mb, env, GRADING_JVM_OPTIONS)
        result = execute.run_notebook(nb, name, work, kernel_manager_class=manager,
                                      on_start=lambda client: watchdog.watch(client.km.provisioner.process), **options)
        watchdog.stop()
        return Run(result, watchdog.killed, watchdog.exit_code(), watchdog.peak_mb or result.peak_memory_mb)
    read_only = [paths.LIB_JAR.parent, paths.NOTEBOOKS / "init.jsh", paths.ROOT / "datasets"]
    box_limits = sandbox.SandboxLimits(memory_mb=limits.memory_mb)
    processes = []
    with sandbox.Sandbox(read_only, box_limits, env) as box:
        manager = sandbox.sandboxed_kernel_manager_class(box, limits.memory_mb, GRADING_JVM_OPTIONS)
        result = execute.run_notebook(nb, name, box.base, kernel_manager_class=manager,
                                      on_start=lambda client: processes.append(client.km.provisioner.process),
                                      **options)
        out_of_memory, peak = box.group.out_of_memory(), box.group.peak_mb()
    code = None
    if processes:
        try:
            code = processes[-1].poll()
        except (AttributeError, OSError):
            code = None
    return Run(result, out_of_memory, code, peak)


class NoReference(RuntimeError):
    """The instructor notebook's own run did not record an answer for an exercise that has grading cells."""


def reference_answers(official_source: Path, work: Path, limits: Limits, unsafe: bool = False
                      ) -> dict[str, list[Answer]]:
    """The instructor notebook's answers on its grading cells' inputs, by exercise: runs the instructor notebook itself
    (its solutions in place) the way submissions run. Raises NoReference when one is missing or is not a value."""
    official = nbformat.read(official_source, as_version=4)
    found = exercises.find(official)
    ungraded = [e.id for e in found if not e.grade_cells]
    if ungraded:
        raise NoReference(f"{official_source.name}: exercise {', '.join(ungraded)} has no grading cell (a code cell "
                          f"tagged grade-{ungraded[0]} that calls Exercise.record on inputs of its own), so it cannot "
                          "be graded: a check cell's verdict, shown in the learner's kernel, can be forged")
    graded = [e.id for e in found]
    if not graded:
        return {}
    work.mkdir(parents=True, exist_ok=True)
    log = work / (official_source.stem + ".reference.log")
    seconds = max(limits.notebook_seconds, 600)
    deadline = time.monotonic() + seconds
    run = run_graded(assemble(official, official), official_source.name, work,
                     Limits(max(limits.cell_seconds, 300), seconds, max(limits.memory_mb, 2048), 0),
                     log, lambda cell: max(1, int(min(LOADING_SECONDS * 3, deadline - time.monotonic()))), unsafe)
    executed = run.result.executed
    if executed is not None:
        nbformat.write(executed, work / (official_source.stem + ".reference.ipynb"))
    found = {}
    for exercise_id in graded:
        recorded, ran = answers(executed, exercise_id) if executed is not None else ([], False)
        bad = [a for a in recorded if a.outcome != VALUE]
        if not ran or not recorded or bad:
            why = (run.result.failure.describe() if run.result.failure else "") or (
                f"{bad[0].label}: {bad[0].outcome} {bad[0].error}" if bad else "no answer was recorded")
            raise NoReference(f"{official_source.name}: the instructor notebook's own run gave no reference answer "
                              f"for exercise {exercise_id} ({why[:300]}); see {log}")
        labels = [a.label for a in recorded]
        if len(set(labels)) != len(labels):
            raise NoReference(f"{official_source.name}: exercise {exercise_id} records two answers with one label")
        found[exercise_id] = recorded
    return found


def grade(learner: str, submission: Path, official_source: Path, work: Path, limits: Limits,
          reference: dict[str, list[Answer]] | None = None, unsafe: bool = False) -> NotebookGrade:
    """Grades `submission` against the instructor notebook `official_source` and its `reference` answers (by exercise,
    from reference_answers); scratch files go to `work`. Never raises: a failure of the grader itself on this file
    becomes its exercises' `crashed`, with the reason."""
    started = time.monotonic()
    try:
        return _grade(learner, submission, official_source, work, limits, reference or {}, unsafe, started)
    except sandbox.SandboxUnavailable:
        raise
    except Exception as e:  # one submission must never stop everyone's grading
        try:
            ids = [exercise.id for exercise in exercises.find(nbformat.read(official_source, as_version=4))]
        except Exception:
            ids = ["?"]
        why = f"the grader failed on this file: {type(e).__name__}: {str(e)[:200]}"
        return NotebookGrade(learner, official_source.name, [Grade(i, CRASHED, why) for i in ids],
                             time.monotonic() - started)


def _grade(learner: str, submission: Path, official_source: Path, work: Path, limits: Limits,
           reference: dict[str, list[Answer]], unsafe: bool, started: float) -> NotebookGrade:
    official = nbformat.read(official_source, as_version=4)
    ids = [exercise.id for exercise in exercises.find(official)]
    name = official_source.name
    learner_nb, problem = read_submission(submission)
    if learner_nb is None:
        return NotebookGrade(learner, name, [Grade(i, INVALID, problem) for i in ids], time.monotonic() - started)
    meta = learner_nb.metadata.get("unrolled")
    recorded = meta.get("source_sha256") if isinstance(meta, dict) else None
    matches = None if not isinstance(recorded, str) else recorded == student.sha256(official_source.read_bytes())
    assembled = assemble(learner_nb, official)
    work.mkdir(parents=True, exist_ok=True)
    log = work / (official_source.stem + ".kernel.log")
    log.write_text("", encoding="utf-8")
    deadline = started + limits.notebook_seconds
    blamed: dict[str, Grade] = {}
    notes: list[str] = []
    if not isinstance(meta, (dict, type(None))):
        notes.append(f"the notebook's metadata 'unrolled' is a {type(meta).__name__}, not a map: ignored")
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
            if remaining < 1:  # the submission's wall-clock budget is spent: no further cell starts
                raise CellTimeoutError("the submission's time budget is spent")
            return max(1, int(min(allowed, remaining)))

        outcome = run_graded(assembled, name, work, limits, log, timeout_for, unsafe, deadline)
        result = outcome.result
        peak = max(peak or 0, outcome.peak_mb or result.peak_memory_mb or 0) or None
        executed = result.executed
        failure = result.failure
        if failure is None or failure.kind == "error":
            break
        if failure.kind in ("start", "missing") or failure.cell_index is None:
            out_of_time = failure.kind == "start" and time.monotonic() >= deadline - 1
            notes.append(f"the submission's time limit ({limits.notebook_seconds} s) ran out while "
                         f"{failure.error[:200]}" if out_of_time else failure.error)
            break
        index = failure.cell_index
        kind, exercise_id = role(assembled.cells[index])
        if failure.kind == "timeout":
            status = TIMED_OUT
            why = (f"the submission's time limit ({limits.notebook_seconds} s) ran out in this cell"
                   if budget_limited["value"] else f"a cell ran longer than {limits.cell_seconds} s (an endless loop?)")
        else:
            status, why = CRASHED, describe_death(outcome.out_of_memory, outcome.exit_code, log, limits)
        where = f"cell {index + 1} (\"{first_line(assembled.cells[index].source)[:50]}\")"
        if exercise_id and exercise_id not in blamed:
            blamed[exercise_id] = Grade(exercise_id, status, f"{why}, in {where}")
        else:
            notes.append(f"{status}: {why}, in {where}; the grader skipped that cell")
        if status == TIMED_OUT and budget_limited["value"]:
            break
        if executed is not None and all(e in blamed or judged(executed, e, reference) is not None for e in ids):
            break  # every exercise has its grade: no need for another kernel
        if time.monotonic() >= deadline - 5 or run == limits.restarts:
            break
        assembled = copy.deepcopy(assembled)
        assembled.cells[index].source = ""  # nbclient skips an empty cell: run everything else again
        if exercise_id in blamed:  # its grade is settled: its official cells would only repeat the damage
            for cell in assembled.cells:
                if role(cell) in (("check", exercise_id), ("grade", exercise_id)):
                    cell.source = ""
    grades = []
    for exercise_id in ids:
        if exercise_id in blamed:
            grades.append(blamed[exercise_id])
            continue
        verdict = judged(executed, exercise_id, reference) if executed is not None else None
        if verdict is None:
            stopped = notes[-1] if notes else "the run stopped early"
            status = TIMED_OUT if TIMED_OUT in stopped or "time limit" in stopped else CRASHED
            verdict = Grade(exercise_id, status, f"its grading cell never ran: {stopped}")
        grades.append(verdict)
    if executed is not None:
        nbformat.write(executed, work / name)
    return NotebookGrade(learner, name, grades, time.monotonic() - started, runs, peak, notes, matches)


def judged(executed: nbformat.NotebookNode, exercise_id: str, reference: dict[str, list[Answer]]) -> Grade | None:
    """The exercise's grade, from its grading cells' answers against the reference; None when they never ran."""
    recorded, ran = answers(executed, exercise_id)
    if not ran:
        return None
    if exercise_id not in reference:
        return Grade(exercise_id, CRASHED, "the grader has no reference answers for this exercise (its instructor "
                                           "notebook has no grading cell for it)")
    return compare(recorded, reference[exercise_id], exercise_id)
