"""`./unrolled autograde` on deliberately broken submissions, in the real kernel with tight limits.

The instructor notebook is a small one made here (the library loaded, two exercises, a hidden check) so that the
whole set grades in about a minute and a half; the submissions are made from it the way learners damage notebooks:
left untouched, a check cell edited to pass, check cells deleted, an endless loop, System.exit, a memory hog, an
answer hard-coded to the visible check, a truncated file, no file at all.
"""
import csv
import json

import nbformat
import pytest

from unrolledtools import autograde, grading, paths, student

TOTAL = "double total(INDArray a) {\n    // BEGIN SOLUTION\n    return a.sumNumber().doubleValue();\n    // END SOLUTION\n}"
DOUBLED = "INDArray doubled(INDArray a) {\n    // BEGIN SOLUTION\n    return a.mul(2);\n    // END SOLUTION\n}"
CHECK_TOTAL = 'Exercise.checkNumber("9.1", "sum of all elements", () -> total(x), 66, 1e-9);'
CHECK_DOUBLED = 'Exercise.checkArray("9.2", "every element doubled", () -> doubled(x), x.mul(2), 1e-12);'
HIDDEN_DOUBLED = ('INDArray ones = Nd4j.ones(DataType.DOUBLE, 2, 5);\n'
                  'Exercise.checkArray("9.2", "every element doubled", () -> doubled(ones), ones.mul(2), 1e-12);')
LIMITS = grading.Limits(cell_seconds=12, notebook_seconds=150, memory_mb=1200, restarts=2)


def code(source, *tags):
    cell = nbformat.v4.new_code_cell(source)
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def instructor_notebook():
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": "java", "display_name": "Java", "language": "java"}}
    nb.cells = [code(paths.LOADING_CELL), nbformat.v4.new_markdown_cell("# 90 · Grading fixture"),
                code("INDArray x = Nd4j.arange(12).reshape(3, 4).castTo(DataType.DOUBLE);"),
                code(TOTAL, "exercise-9.1"), code(CHECK_TOTAL, "check-9.1"),
                code(DOUBLED, "exercise-9.2"), code(CHECK_DOUBLED, "check-9.2"),
                code(HIDDEN_DOUBLED, "hidden-check-9.2")]
    return nb


def with_body(nb, exercise_id, body):
    """A copy of the student notebook with the learner's method body for one exercise."""
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    for cell in nb.cells:
        if f"exercise-{exercise_id}" in cell.metadata.get("tags", []):
            cell.source = cell.source.replace(student.STUB, body)
    return nb


def without_checks(nb, *ids):
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    nb.cells = [c for c in nb.cells if not any(f"check-{i}" in c.metadata.get("tags", []) for i in ids)]
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("autograde")
    source = root / "notebooks" / "90-fixture.ipynb"
    source.parent.mkdir()
    nbformat.write(instructor_notebook(), source)
    handout = student.student_version(nbformat.read(source, as_version=4), source.name,
                                      student.sha256(source.read_bytes()))
    solved = with_body(with_body(handout, "9.1", "return a.sumNumber().doubleValue();"), "9.2", "return a.mul(2);")
    tampered = with_body(with_body(handout, "9.1", "return 0;"), "9.2", "return a.mul(2);")
    for cell in tampered.cells:
        if "check-9.1" in cell.metadata.get("tags", []):
            cell.source = 'Exercise.checkNumber("9.1", "sum of all elements", () -> 66, 66, 0);'
    submissions = {
        "ada": solved,
        "ben": handout,
        "cleo": without_checks(tampered, "9.2"),
        "dan": with_body(with_body(handout, "9.1", "while (true) { }"), "9.2", "System.exit(1);\n    return null;"),
        "eve": with_body(with_body(handout, "9.1", "var hoard = new ArrayList<double[]>();\n    "
                                                   "while (true) hoard.add(new double[1 << 22]);"),
                         "9.2", "return Nd4j.arange(12).reshape(3, 4).castTo(DataType.DOUBLE).mul(2);"),
    }
    folder = root / "submissions"
    files = {}
    for learner, nb in submissions.items():
        (folder / learner).mkdir(parents=True)
        files[learner] = folder / learner / source.name
        nbformat.write(nb, files[learner])
    (folder / "fay").mkdir()
    files["fay"] = folder / "fay" / source.name
    files["fay"].write_text(nbformat.writes(solved)[:400], encoding="utf-8")   # cut off mid-file
    (folder / "gus").mkdir()                                                    # submitted nothing
    before = {learner: (f.read_bytes(), f.stat().st_mtime_ns) for learner, f in files.items()}
    out = root / "out"
    results = autograde.grade_all(folder, out, LIMITS, progress=lambda line: None, sources=[source], jobs=2)
    autograde.write_csv(results, out)
    autograde.write_html(results, out, LIMITS)
    after = {learner: (f.read_bytes(), f.stat().st_mtime_ns) for learner, f in files.items()}
    grades = {(r.learner, g.exercise): g for r in results for g in r.grades}
    return grades, results, out, before, after


@pytest.mark.parametrize("learner, exercise, status, reason", [
    ("ada", "9.1", grading.PASSED, ""),
    ("ada", "9.2", grading.PASSED, ""),
    ("ben", "9.1", grading.NOT_ATTEMPTED, "Exercise.todo"),
    ("ben", "9.2", grading.NOT_ATTEMPTED, "Exercise.todo"),
    ("cleo", "9.1", grading.FAILED, "your answer is 0.0, the expected answer is 66"),  # its edited check is ignored
    ("cleo", "9.2", grading.PASSED, ""),                                            # its deleted check comes back
    ("dan", "9.1", grading.TIMED_OUT, "longer than 12 s"),
    ("dan", "9.2", grading.CRASHED, "exited with status 1"),
    ("eve", "9.1", grading.CRASHED, "memory"),
    ("eve", "9.2", grading.FAILED, "answer has shape (2, 5)"),                     # the hidden check catches it
    ("fay", "9.1", grading.INVALID, "not valid JSON"),
    ("gus", "9.2", grading.MISSING, "no 90-fixture.ipynb"),
])
def test_each_submission_is_graded_as_what_it_is(graded, learner, exercise, status, reason):
    grade = graded[0][(learner, exercise)]
    assert grade.status == status, grade
    assert reason in grade.reason, grade


def test_the_learners_files_are_never_modified(graded):
    _, _, _, before, after = graded
    assert before == after


def test_the_official_check_ran_in_place_of_the_learners_edited_copy(graded):
    out = graded[2]
    ran = nbformat.read(out / "graded" / "cleo" / "90-fixture.ipynb", as_version=4)
    sources = [c.source for c in ran.cells]
    assert CHECK_TOTAL in sources and CHECK_DOUBLED in sources and HIDDEN_DOUBLED in sources
    assert not any("() -> 66" in s for s in sources)


def test_the_score_table_and_the_summary_list_every_learner_and_exercise(graded):
    out = graded[2]
    with open(out / "scores.csv", encoding="utf-8", newline="") as f:
        rows = {row["learner"]: row for row in csv.DictReader(f)}
    assert sorted(rows) == ["ada", "ben", "cleo", "dan", "eve", "fay", "gus"]
    assert rows["ada"]["passed"] == "2" and rows["cleo"]["passed"] == "1" and rows["dan"]["90 9.1"] == "timed out"
    with open(out / "results.csv", encoding="utf-8", newline="") as f:
        details = list(csv.DictReader(f))
    assert len(details) == 14 and all(r["reason"] for r in details if r["status"] != grading.PASSED)
    page = (out / "index.html").read_text(encoding="utf-8")
    assert all(learner in page for learner in rows) and "exited with status 1" in page


def test_a_check_cell_is_found_by_its_call_when_the_learner_dropped_its_tag():
    official = instructor_notebook()
    learner = student.student_version(official, "90-fixture.ipynb")
    for cell in learner.cells:
        cell.metadata.pop("tags", None)
    learner.cells[4].source = 'Exercise.checkNumber("9.1", "mine", () -> 1, 1, 0);'
    assembled = grading.assemble(learner, official)
    roles = [grading.role(c) for c in assembled.cells]
    assert roles.count(("check", "9.1")) == 1 and roles.count(("check", "9.2")) == 2
    assert [c.source for c in assembled.cells if grading.role(c) == ("check", "9.1")] == [CHECK_TOTAL]
    assert ("exercise", "9.1") in roles and ("exercise", "9.2") in roles
