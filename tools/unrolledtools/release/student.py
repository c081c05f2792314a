"""The student version of one notebook: solutions replaced by stubs, hidden checks left out, outputs cleared.

Each region between `// BEGIN SOLUTION` and `// END SOLUTION` (markers included) becomes the stub
`throw Exercise.todo();` at the same indentation, and outputs are cleared. A region must end its method's body
(the next line closes the method), so the stub is always the method's last statement and the rest compiles.
The check cells then report "not yet" for every exercise, and nothing else in the notebook depends on them.

Cells tagged `hidden-check-<id>` or `grade-<id>` (see unrolledtools.notebooks.exercises) are left out: only the
autograder runs them.
The student copy records the sha256 of the instructor source it came from, so a grader can tell which version a
learner worked on.
`./unrolled release` (unrolledtools.release.publish) writes the student version of every notebook with a manifest.
"""
from __future__ import annotations

import copy
import hashlib

import nbformat

from ..notebooks import exercises
from ..notebooks.exercises import BEGIN, END

STUB = "throw Exercise.todo();"


class SolutionError(ValueError):
    pass


def strip_solutions(source: str, where: str = "cell") -> str:
    """Replaces every solution region of a cell's source with the stub."""
    out: list[str] = []
    lines = source.split("\n")
    inside = False
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped == BEGIN:
            if inside:
                raise SolutionError(f"{where}, line {number}: {BEGIN} inside another solution region")
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            out.append(indent + STUB)
        elif stripped == END:
            if not inside:
                raise SolutionError(f"{where}, line {number}: {END} without {BEGIN}")
            inside = False
            following = next((rest.strip() for rest in lines[number:] if rest.strip()), "")
            if not following.startswith("}"):
                raise SolutionError(f"{where}, line {number}: a solution region must end its method's body "
                                    f"(the next line must close it with '}}'), but the next line is {following!r}")
        elif not inside:
            out.append(line)
    if inside:
        raise SolutionError(f"{where}: {BEGIN} without {END}")
    return "\n".join(out)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def student_version(nb: nbformat.NotebookNode, name: str, source_sha256: str | None = None) -> nbformat.NotebookNode:
    """The learner's copy of an instructor notebook; `source_sha256` is the instructor file's checksum, recorded in
    the copy's metadata."""
    student = copy.deepcopy(nb)
    student.cells = [cell for cell in student.cells
                     if exercises.tagged_id(cell, exercises.HIDDEN_TAG) is None
                     and exercises.tagged_id(cell, exercises.GRADE_TAG) is None]
    for index, cell in enumerate(student.cells):
        if cell.cell_type == "code":
            cell.source = strip_solutions(cell.source, f"{name} cell {index + 1}")
            cell.outputs = []
            cell.execution_count = None
    unrolled = student.metadata.setdefault("unrolled", {})
    unrolled["version"] = "student"
    unrolled["exercises"] = [exercise.id for exercise in exercises.find(nb)]
    if source_sha256:
        unrolled["source_sha256"] = source_sha256
    return student


def exercises_in(nb: nbformat.NotebookNode) -> int:
    """How many solution regions the notebook holds (one per exercise in the curriculum's notebooks)."""
    return sum(cell.source.count(BEGIN) for cell in nb.cells if cell.cell_type == "code")
