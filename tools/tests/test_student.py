"""The student version: solutions replaced by stubs, runs top to bottom without an error, reports every exercise as
not yet done, and never overwrites a learner's file."""
import re
import shutil

import nbformat
import pytest

from unrolledtools import execute, paths, student

RESULT = re.compile(r'data-exercise="([^"]+)" data-result="([a-z-]+)"')


def test_a_solution_region_becomes_the_stub_at_its_indentation():
    source = "int f(int x) {\n    // BEGIN SOLUTION\n    int y = x + 1;\n    return y;\n    // END SOLUTION\n}\nf(1)"
    assert student.strip_solutions(source) == "int f(int x) {\n    throw Exercise.todo();\n}\nf(1)"


@pytest.mark.parametrize("source, complaint", [
    ("// BEGIN SOLUTION\nx();\n", "without // END SOLUTION"),
    ("x();\n// END SOLUTION\n}", "without // BEGIN SOLUTION"),
    ("void f() {\n// BEGIN SOLUTION\nx();\n// END SOLUTION\ny();\n}", "must end its method's body"),
])
def test_malformed_regions_are_refused_with_the_line(source, complaint):
    with pytest.raises(student.SolutionError, match=complaint):
        student.strip_solutions(source, "nb cell 3")


@pytest.fixture(scope="module")
def student_dir():
    out = paths.ROOT / ".student-under-test"
    shutil.rmtree(out, ignore_errors=True)
    written, unchanged, kept = student.write_all(paths.notebook_sources(), out)
    assert len(written) == len(paths.notebook_sources()) and not kept
    yield out
    shutil.rmtree(out, ignore_errors=True)


def test_student_notebooks_hold_no_solution(student_dir, notebook_name):
    nb = nbformat.read(student_dir / notebook_name, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert student.BEGIN not in text and student.END not in text
    assert text.count(student.STUB) == student.exercises_in(nbformat.read(paths.NOTEBOOKS / notebook_name, as_version=4))
    assert nb.metadata["unrolled"]["version"] == "student"


def test_student_notebook_runs_and_reports_every_exercise_not_yet_done(student_dir, notebook_name):
    result = execute.execute(student_dir / notebook_name, cwd=student_dir)
    assert result.ok, result.failure.describe()
    verdicts = [v for cell in result.executed.cells for output in cell.get("outputs", [])
                for v in RESULT.findall(output.get("data", {}).get("text/html", ""))]
    exercises = student.exercises_in(nbformat.read(paths.NOTEBOOKS / notebook_name, as_version=4))
    assert len(verdicts) >= exercises
    assert all(v == "not-yet" for _, v in verdicts), verdicts


def test_a_learners_changed_file_is_kept_and_named(student_dir):
    target = student_dir / paths.notebook_sources()[0].name
    nb = nbformat.read(target, as_version=4)
    nb.cells[-1].source += "\n\nMy own notes."
    nbformat.write(nb, target)
    before = target.read_bytes()
    written, unchanged, kept = student.write_all(paths.notebook_sources(), student_dir)
    assert target in kept and target not in written
    assert target.read_bytes() == before
