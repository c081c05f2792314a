"""Where a notebook's exercises are: the convention the student release and the autograder share.

An exercise has an id (`"5.1"`) and three kinds of cells, each marked with a Jupyter cell tag:

* `exercise-<id>`: the cell the learner edits, a method whose body sits between `// BEGIN SOLUTION` and
  `// END SOLUTION` in the instructor version;
* `check-<id>`: the check cell below it, which calls `Exercise.check("<id>", ...)` (or `checkArray` /
  `checkNumber`) and shows passed / not yet / wrong; learners see it and run it;
* `hidden-check-<id>` (optional, any number): more checks of the same exercise that the student version leaves out
  and only the autograder runs, right after the visible check (for example other sizes, or edge cases a learner
  could otherwise code to). A hidden check calls `Exercise.check` with the same id.
* `grade-<id>` (exactly one, after the check): the cell the grade comes from. It calls the learner's method on inputs
  of its own (which the student version never shows) through `Exercise.record("<id>", label, () -> ..., tolerance)`,
  one record per case, and must not compute the reference answer: the autograder runs it in the learner's kernel and
  in the instructor notebook's, and compares the recorded answers itself (unrolledtools.grading.grader). It needs
  nothing but its exercise's method and the library (no variable of the lesson's, no change to the lesson's random
  state), so it grades the same wherever the lesson around it changes. Left out of the student version; an exercise
  without one cannot be graded.

`./unrolled release --tag-sources` adds the `exercise-` and `check-` tags to notebooks that lack them: a check cell is
found by its `Exercise.check...("<id>"` call, its exercise cell is the nearest solution cell above it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

BEGIN = "// BEGIN SOLUTION"
END = "// END SOLUTION"
CHECK_CALL = re.compile(r'\bExercise\.check(?:Array|Number)?\(\s*"([^"]+)"')
EXERCISE_TAG, CHECK_TAG, HIDDEN_TAG, GRADE_TAG = "exercise-", "check-", "hidden-check-", "grade-"
RECORD_CALL = re.compile(r'\bExercise\.record\(\s*"([^"]+)"')


@dataclass
class Exercise:
    """One exercise of an instructor notebook: its id and the indexes (0-based, among all cells) of its cells."""

    id: str
    exercise_cell: int | None = None
    check_cells: list[int] = field(default_factory=list)
    hidden_cells: list[int] = field(default_factory=list)
    grade_cells: list[int] = field(default_factory=list)


def tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []) or [])


def tagged_id(cell, prefix: str) -> str | None:
    """The exercise id of a tag starting with `prefix` (`check-` does not match `hidden-check-`)."""
    for tag in tags(cell):
        if tag.startswith(prefix):
            return tag[len(prefix):]
    return None


def is_solution_cell(cell) -> bool:
    return cell.cell_type == "code" and any(line.strip() == BEGIN for line in cell.source.splitlines())


def checked_ids(source: str) -> list[str]:
    """The exercise ids a cell's source checks, in order, without repeats."""
    return list(dict.fromkeys(CHECK_CALL.findall(source)))


def find(nb: nbformat.NotebookNode) -> list[Exercise]:
    """The exercises of an instructor notebook in the order of their first check, from tags or, without tags,
    from the `Exercise.check` calls and the solution cells above them."""
    found: dict[str, Exercise] = {}
    last_solution: int | None = None
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        graded = tagged_id(cell, GRADE_TAG)
        if graded is not None:
            found.setdefault(graded, Exercise(graded)).grade_cells.append(index)
            continue
        hidden = tagged_id(cell, HIDDEN_TAG)
        if hidden is not None:
            found.setdefault(hidden, Exercise(hidden)).hidden_cells.append(index)
            continue
        exercise = tagged_id(cell, EXERCISE_TAG)
        if exercise is not None:
            found.setdefault(exercise, Exercise(exercise)).exercise_cell = index
        if is_solution_cell(cell):
            last_solution = index
        check = tagged_id(cell, CHECK_TAG)
        ids = [check] if check is not None else checked_ids(cell.source)
        for exercise_id in ids:
            entry = found.setdefault(exercise_id, Exercise(exercise_id))
            entry.check_cells.append(index)
            if entry.exercise_cell is None and last_solution is not None:
                entry.exercise_cell = last_solution
    return list(found.values())


def add_tags(nb: nbformat.NotebookNode) -> list[str]:
    """Tags the exercise and check cells of an instructor notebook that lack their tags; returns what it added."""
    added = []
    for exercise in find(nb):
        wanted = [(exercise.exercise_cell, EXERCISE_TAG + exercise.id)] if exercise.exercise_cell is not None else []
        wanted += [(index, CHECK_TAG + exercise.id) for index in exercise.check_cells]
        for index, tag in wanted:
            cell = nb.cells[index]
            if tag not in tags(cell):
                cell.metadata["tags"] = tags(cell) + [tag]
                added.append(f"cell {index + 1}: {tag}")
    return added


def problems(nb: nbformat.NotebookNode) -> list[str]:
    """What breaks the convention: untagged or mistagged check and exercise cells, exercises without a check, or
    without exactly one grading cell."""
    found = []
    for index, cell in enumerate(nb.cells):
        where = f"cell {index + 1}"
        if cell.cell_type != "code":
            continue
        calls = checked_ids(cell.source)
        check, hidden, exercise = (tagged_id(cell, p) for p in (CHECK_TAG, HIDDEN_TAG, EXERCISE_TAG))
        label = check if check is not None else hidden
        if calls and label is None:
            found.append(f"{where} checks exercise {', '.join(calls)} but has no tag check-{calls[0]}")
        graded = tagged_id(cell, GRADE_TAG)
        if graded is not None and RECORD_CALL.findall(cell.source) != [graded] * len(RECORD_CALL.findall(cell.source)):
            found.append(f"{where} is tagged grade-{graded} but records answers for "
                         f"{sorted(set(RECORD_CALL.findall(cell.source)))}")
        if graded is not None and not RECORD_CALL.findall(cell.source):
            found.append(f"{where} is tagged grade-{graded} but calls no Exercise.record")
        if label is not None and calls != [label]:
            found.append(f"{where} is tagged for exercise {label} but calls Exercise.check for {calls or 'none'}")
        if is_solution_cell(cell) and exercise is None:
            found.append(f"{where} holds a solution region but has no exercise-<id> tag")
        if exercise is not None and not is_solution_cell(cell):
            found.append(f"{where} is tagged exercise-{exercise} but holds no solution region")
    for exercise in find(nb):
        if not exercise.check_cells:
            found.append(f"exercise {exercise.id} has no visible check cell (tag check-{exercise.id})")
        if len(exercise.grade_cells) != 1:
            found.append(f"exercise {exercise.id} has {len(exercise.grade_cells) or 'no'} grading cells (tag "
                         f"grade-{exercise.id}), but needs exactly one: without it the autograder cannot grade it")
        if exercise.exercise_cell is None:
            found.append(f"exercise {exercise.id} has no exercise cell above its check")
    return found


def tag_sources(sources: list[Path]) -> dict[str, list[str]]:
    """Adds the missing tags to instructor notebooks in place; only the tags change (nbformat writes the rest back
    byte for byte). Returns, per notebook changed, the tags added."""
    changed = {}
    for source in sources:
        nb = nbformat.read(source, as_version=4)
        added = add_tags(nb)
        if added:
            source.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
            changed[source.name] = added
    return changed
