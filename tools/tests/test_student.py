"""The student version: solutions replaced by stubs, hidden checks left out, runs top to bottom without an error,
reports every exercise as not yet done; the release writes a manifest and never overwrites a learner's file."""
import json
import shutil

import nbformat
import pytest

from unrolledtools.common import paths
from unrolledtools.grading import verdict
from unrolledtools.notebooks import exercises
from unrolledtools.release import publish as release, student


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
    outcome = release.write(paths.notebook_sources(), out)
    assert len(outcome.written) == len(paths.notebook_sources()) and not outcome.kept
    yield out
    shutil.rmtree(out, ignore_errors=True)


def test_student_notebooks_hold_no_solution(student_dir, notebook_name):
    nb = nbformat.read(student_dir / notebook_name, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert student.BEGIN not in text and student.END not in text
    source = nbformat.read(paths.NOTEBOOKS / notebook_name, as_version=4)
    assert text.count(student.STUB) == student.exercises_in(source)
    assert nb.metadata["unrolled"]["version"] == "student"


def test_student_notebook_runs_and_reports_every_exercise_not_yet_done(student_executed, notebook_name):
    result = student_executed[notebook_name]
    assert result.ok, result.failure.describe()
    verdicts = verdict.shown(result.executed.cells)
    exercises = student.exercises_in(nbformat.read(paths.NOTEBOOKS / notebook_name, as_version=4))
    assert len(verdicts) >= exercises
    assert all(v == "not-yet" for _, v in verdicts), verdicts


def test_the_manifest_names_each_notebook_its_exercises_and_the_source_checksum(student_dir):
    manifest = json.loads((student_dir / release.MANIFEST).read_text(encoding="utf-8"))
    entries = {entry["notebook"]: entry for entry in manifest["notebooks"]}
    assert sorted(entries) == [p.name for p in paths.notebook_sources()]
    for source in paths.notebook_sources():
        entry = entries[source.name]
        assert entry["instructor_sha256"] == student.sha256(source.read_bytes())
        assert entry["exercises"] == [e.id for e in exercises.find(nbformat.read(source, as_version=4))]
        assert entry["student_sha256"] == student.sha256((student_dir / source.name).read_bytes())


def test_a_learners_changed_file_is_kept_and_named(student_dir):
    target = student_dir / paths.notebook_sources()[0].name
    nb = nbformat.read(target, as_version=4)
    nb.cells[-1].source += "\n\nMy own notes."
    nbformat.write(nb, target)
    before = target.read_bytes()
    outcome = release.write(paths.notebook_sources(), student_dir)
    assert target in outcome.kept and target not in outcome.written
    assert target.read_bytes() == before
    assert release.main(["--out", str(student_dir)]) == 1
    assert target.read_bytes() == before


def test_hidden_checks_and_grading_cells_are_left_out_and_a_new_release_replaces_an_untouched_file(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(paths.LOADING_CELL),
                nbformat.v4.new_code_cell("int twice(int x) {\n    // BEGIN SOLUTION\n    return 2 * x;\n"
                                          "    // END SOLUTION\n}"),
                nbformat.v4.new_code_cell('Exercise.checkNumber("9.1", "twice", () -> twice(3), 6, 0);'),
                nbformat.v4.new_code_cell('Exercise.checkNumber("9.1", "twice", () -> twice(-4), -8, 0);'),
                nbformat.v4.new_code_cell('Exercise.record("9.1", "x=17", () -> twice(17), 0);')]
    nb.cells[3].metadata["tags"] = ["hidden-check-9.1"]
    nb.cells[4].metadata["tags"] = ["grade-9.1"]
    source = tmp_path / "notebooks" / "09-twice.ipynb"
    source.parent.mkdir()
    nbformat.write(nb, source)
    out = tmp_path / "release"
    release.write([source], out)
    written = nbformat.read(out / source.name, as_version=4)
    assert [c.source for c in written.cells[1:]] == ["int twice(int x) {\n    throw Exercise.todo();\n}",
                                                     'Exercise.checkNumber("9.1", "twice", () -> twice(3), 6, 0);']
    assert written.metadata["unrolled"]["exercises"] == ["9.1"]
    manifest = json.loads((out / release.MANIFEST).read_text())["notebooks"][0]
    assert manifest["hidden_checks"] == 1 and manifest["grading_cells"] == 1
    nb.cells.append(nbformat.v4.new_markdown_cell("A new paragraph in the instructor version."))
    nbformat.write(nb, source)
    outcome = release.write([source], out)
    assert outcome.written == [out / source.name] and not outcome.kept
