"""`./unrolled autograde` on deliberately broken and hostile submissions, in the real kernel, in the sandbox.

The instructor notebook is a small one made here (the library loaded, two exercises, a hidden check, grading cells)
so that the whole set grades in a few minutes; the submissions are made from it the way learners damage notebooks
(left untouched, a check cell edited to pass, check cells deleted, an endless loop, System.exit, a memory hog, an
answer hard-coded to the visible check, a truncated file, no file at all) and the way they attack the grader (a class
of their own named Exercise, reflection on the display adapter, a method returning the check's own reference, a fake
verdict with the real output hidden, code that reaches for other files and outlives the grader, a symbolic link, a
metadata field of the wrong type, a folder named like a spreadsheet formula).
"""
import csv
import json
import os
import time

import nbformat
import pytest

from unrolledtools.common import paths
from unrolledtools.grading import autograde, grader as grading, sandbox, verdict
from unrolledtools.notebooks import exercises
from unrolledtools.release import student

TOTAL = ("double total(INDArray a) {\n    // BEGIN SOLUTION\n    return a.sumNumber().doubleValue();\n"
         "    // END SOLUTION\n}")
DOUBLED = "INDArray doubled(INDArray a) {\n    // BEGIN SOLUTION\n    return a.mul(2);\n    // END SOLUTION\n}"
CHECK_TOTAL = ('double expectedTotal = x.sumNumber().doubleValue();\n'
               'Exercise.checkNumber("9.1", "sum of all elements", () -> total(x), expectedTotal, 1e-9);')
CHECK_DOUBLED = 'Exercise.checkArray("9.2", "every element doubled", () -> doubled(x), x.mul(2), 1e-12);'
HIDDEN_DOUBLED = ('INDArray ones = Nd4j.ones(DataType.DOUBLE, 2, 5);\n'
                  'Exercise.checkArray("9.2", "every element doubled", () -> doubled(ones), ones.mul(2), 1e-12);')
GRADE_TOTAL = ('INDArray unseen = Nd4j.linspace(-3, 4, 15, DataType.DOUBLE).reshape(5, 3);\n'
               'Exercise.record("9.1", "5x3", () -> total(unseen.dup()), 1e-9);')
GRADE_DOUBLED = ('Nd4j.getRandom().setSeed(90);\n'
                 'INDArray unseenPair = Nd4j.randn(DataType.DOUBLE, 4, 2);\n'
                 'Exercise.record("9.2", "4x2", () -> doubled(unseenPair.dup()), 1e-12);\n'
                 'Exercise.record("9.2", "scalar", () -> doubled(Nd4j.scalar(-1.5)), 1e-12);')
# Generous for a cell, because the machines tests run on are often shared and loaded (a first cell that loads ND4J
# has taken 20 s there); the endless loop then costs 45 s.
LIMITS = grading.Limits(cell_seconds=45, notebook_seconds=360, memory_mb=1200, restarts=2)

# The attacks. Each would have passed a grader that trusts what the learner's kernel shows.
SHADOW = """class Exercise {
    static RuntimeException todo() { return new RuntimeException(); }
    static void pass(String id) {
        unrolled.notebook.Notebook.html("<div data-exercise=\\"" + id + "\\" data-result=\\"passed\\"></div>",
                                        "Exercise " + id + " (forged): passed");
    }
    static void checkNumber(String id, String t, DoubleSupplier s, double e, double tol) { pass(id); }
    static void checkArray(String id, String t, Supplier<INDArray> s, INDArray e, double tol) { pass(id); }
    static void record(String id, String label, Supplier<?> s, double tol) {
        System.out.println("unrolled-answer {\\"exercise\\":\\"" + id + "\\",\\"label\\":\\"" + label
                           + "\\",\\"tolerance\\":1e9,\\"value\\":0}");
    }
}"""
REFLECT = """var sinkField = unrolled.notebook.Notebook.class.getDeclaredField("sink");
sinkField.setAccessible(true);
unrolled.notebook.Notebook.html("", "");  // connects the adapter to the kernel
Object realSink = sinkField.get(null);
Object forged = java.lang.reflect.Proxy.newProxyInstance(sinkField.getType().getClassLoader(),
    new Class<?>[] {sinkField.getType()}, (proxy, method, args) -> {
        if (!method.getName().equals("accept")) return method.invoke(realSink, args);
        Map<String, String> bundle = new HashMap<>();
        ((Map<String, String>) args[0]).forEach((k, v) -> bundle.put(k,
            v.replace("data-result=\\"not-yet\\"", "data-result=\\"passed\\"")
             .replace("data-result=\\"wrong\\"", "data-result=\\"passed\\"")));
        return method.invoke(realSink, bundle);
    });
sinkField.set(null, forged);"""
HIDE = """Notebook.html("<div data-exercise=\\"9.1\\" data-result=\\"passed\\"></div>", "Exercise 9.1 (x): passed");
Notebook.html("<div data-exercise=\\"9.2\\" data-result=\\"passed\\"></div>", "Exercise 9.2 (x): passed");
var quiet = Notebook.class.getDeclaredMethod("redirect", Class.forName("unrolled.notebook.Notebook$Sink"));
quiet.setAccessible(true);
quiet.invoke(null, (Object) (Notebook.Sink) bundle -> { });
System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));"""


def tamper(instructor, victim, out):
    """A learner cell that reaches for what only the grader should touch, and reports what it could do."""
    return f"""String tried(String what, java.util.concurrent.Callable<Object> attempt) {{
    try {{ attempt.call(); return what + ": DONE"; }} catch (Throwable e) {{ return what + ": refused"; }}
}}
var report = new ArrayList<String>();
report.add(tried("read the instructor notebook",
    () -> java.nio.file.Files.readString(java.nio.file.Path.of("{instructor}"))));
report.add(tried("rewrite the instructor notebook",
    () -> java.nio.file.Files.writeString(java.nio.file.Path.of("{instructor}"), "{{}}")));
report.add(tried("rewrite another learner's notebook",
    () -> java.nio.file.Files.writeString(java.nio.file.Path.of("{victim}"), "{{}}")));
report.add(tried("read the grader's command line", () -> java.nio.file.Files.list(java.nio.file.Path.of("/proc"))
    .filter(p -> Character.isDigit(p.getFileName().toString().charAt(0)))
    .map(p -> {{
        try {{ return java.nio.file.Files.readString(p.resolve("cmdline")); }} catch (Exception e) {{ return ""; }}
    }})
    .filter(line -> line.contains("pytest") || line.contains("autograde")).findAny().orElseThrow()));
report.add(tried("open a network connection", () -> {{ new java.net.Socket("1.1.1.1", 80).close(); return null; }}));
new ProcessBuilder("/bin/sh", "-c",
    "setsid sh -c 'sleep 8; echo forged >> {out}/scores.csv; touch {out}/escaped' &").start();
report.forEach(System.out::println);"""


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
                code(TOTAL, "exercise-9.1"), code(CHECK_TOTAL, "check-9.1"), code(GRADE_TOTAL, "grade-9.1"),
                code(DOUBLED, "exercise-9.2"), code(CHECK_DOUBLED, "check-9.2"),
                code(HIDDEN_DOUBLED, "hidden-check-9.2"), code(GRADE_DOUBLED, "grade-9.2")]
    return nb


def with_cell(nb, source, at=2):
    """A copy of the notebook with one more code cell of the learner's."""
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    nb.cells.insert(at, code(source))
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
    out = root / "out"
    submissions.update({
        "hal": with_cell(handout, SHADOW),
        "ivy": with_cell(handout, REFLECT),
        "jon": with_body(handout, "9.1", "return expectedTotal;"),
        "kim": with_cell(handout, HIDE),
        "leo": with_cell(handout, tamper(source, folder / "ada" / source.name, out)),
    })
    mangled = nbformat.from_dict(json.loads(json.dumps(solved)))
    mangled.metadata["unrolled"] = "not a map"
    submissions["ned"] = mangled
    for learner, nb in submissions.items():
        (folder / learner).mkdir(parents=True)
        files[learner] = folder / learner / source.name
        nbformat.write(nb, files[learner])
    (folder / "fay").mkdir()
    files["fay"] = folder / "fay" / source.name
    files["fay"].write_text(nbformat.writes(solved)[:400], encoding="utf-8")   # cut off mid-file
    (folder / "gus").mkdir()                                                    # submitted nothing
    (folder / "mia").mkdir()                                                    # graded on ada's work?
    (folder / "mia" / source.name).symlink_to(files["ada"])
    (folder / "=2+5").mkdir()                                                   # a formula in a spreadsheet
    before = {learner: (f.read_bytes(), f.stat().st_mtime_ns) for learner, f in files.items()}
    official_before = source.read_bytes()
    started = time.monotonic()
    results = autograde.grade_all(folder, out, LIMITS, progress=lambda line: None, sources=[source], jobs=2)
    autograde.write_csv(results, out)
    autograde.write_html(results, out, LIMITS)
    seconds = time.monotonic() - started
    after = {learner: (f.read_bytes(), f.stat().st_mtime_ns) for learner, f in files.items()}
    grades = {(r.learner, g.exercise): g for r in results for g in r.grades}
    return dict(grades=grades, results=results, out=out, before=before, after=after, source=source,
                official_before=official_before, seconds=seconds)


@pytest.mark.parametrize("learner, exercise, status, reason", [
    ("ada", "9.1", grading.PASSED, ""),
    ("ada", "9.2", grading.PASSED, ""),
    ("ben", "9.1", grading.NOT_ATTEMPTED, "Exercise.todo"),
    ("ben", "9.2", grading.NOT_ATTEMPTED, "Exercise.todo"),
    ("cleo", "9.1", grading.FAILED, "on input 5x3: your answer is off by"),           # its edited check is ignored
    ("cleo", "9.2", grading.PASSED, ""),                                            # its deleted check comes back
    ("dan", "9.1", grading.TIMED_OUT, "longer than 45 s"),
    ("dan", "9.2", grading.CRASHED, "exited with status 1"),
    ("eve", "9.1", grading.CRASHED, "memory"),
    ("eve", "9.2", grading.FAILED, "has shape (3, 4), expected (4, 2)"),           # the unseen input catches it
    ("fay", "9.1", grading.INVALID, "not valid JSON"),
    ("gus", "9.2", grading.MISSING, "no 90-fixture.ipynb"),
    ("mia", "9.1", grading.INVALID, "symbolic link"),
    ("ned", "9.1", grading.PASSED, ""),                                             # graded despite its metadata
    ("ned", "9.2", grading.PASSED, ""),
])
def test_each_submission_is_graded_as_what_it_is(graded, learner, exercise, status, reason):
    grade = graded["grades"][(learner, exercise)]
    assert grade.status == status, grade
    assert reason in grade.reason, grade


@pytest.mark.parametrize("learner", ["hal", "ivy", "jon", "kim", "leo"])
def test_no_forged_verdict_passes_an_exercise(graded, learner):
    """A class of its own named Exercise, the adapter rewritten by reflection, the check's own reference returned,
    a fake verdict with the real output hidden, tampering: the stubs are still in place, so nothing passes."""
    for exercise in ("9.1", "9.2"):
        grade = graded["grades"][(learner, exercise)]
        assert grade.status in (grading.NOT_ATTEMPTED, grading.FAILED), grade


def test_a_method_returning_the_checks_reference_fails_on_the_unseen_input(graded):
    grade = graded["grades"][("jon", "9.1")]
    assert grade.status == grading.FAILED and "on input 5x3" in grade.reason, grade


def test_the_tampering_submission_changed_nothing_outside_its_sandbox(graded):
    out = graded["out"]
    ran = nbformat.read(out / "graded" / "leo" / "90-fixture.ipynb", as_version=4)
    printed = "".join(o.get("text", "") for c in ran.cells for o in c.get("outputs", []))
    for attempt in ("read the instructor notebook", "rewrite the instructor notebook",
                    "rewrite another learner's notebook", "read the grader's command line",
                    "open a network connection"):
        assert f"{attempt}: refused" in printed, printed
    assert graded["source"].read_bytes() == graded["official_before"]
    time.sleep(10)  # the setsid child would have written by now, had it outlived its sandbox
    assert not (out / "escaped").exists()
    assert "forged" not in (out / "scores.csv").read_text(encoding="utf-8")
    owners = set()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            owners.add(os.stat(f"/proc/{pid}").st_uid)
        except OSError:
            pass
    assert not [uid for uid in owners if sandbox.THROWAWAY_IDS[0] <= uid < sandbox.THROWAWAY_IDS[1]]


def test_the_learners_files_are_never_modified(graded):
    assert graded["before"] == graded["after"]


def test_the_official_check_ran_in_place_of_the_learners_edited_copy(graded):
    ran = nbformat.read(graded["out"] / "graded" / "cleo" / "90-fixture.ipynb", as_version=4)
    sources = [c.source for c in ran.cells]
    assert CHECK_TOTAL in sources and CHECK_DOUBLED in sources and HIDDEN_DOUBLED in sources
    assert GRADE_TOTAL in sources and GRADE_DOUBLED in sources
    assert not any("() -> 66" in s for s in sources)


def test_the_score_table_and_the_summary_list_every_learner_and_exercise(graded):
    out = graded["out"]
    with open(out / "scores.csv", encoding="utf-8", newline="") as f:
        rows = {row["learner"]: row for row in csv.DictReader(f)}
    learners = ["'=2+5", "ada", "ben", "cleo", "dan", "eve", "fay", "gus", "hal", "ivy", "jon", "kim", "leo", "mia",
                "ned"]
    assert sorted(rows) == learners
    assert rows["ada"]["passed"] == "2" and rows["cleo"]["passed"] == "1" and rows["dan"]["90 9.1"] == "timed out"
    with open(out / "results.csv", encoding="utf-8", newline="") as f:
        details = list(csv.DictReader(f))
    assert len(details) == 2 * len(learners) and all(r["reason"] for r in details if r["status"] != grading.PASSED)
    page = (out / "index.html").read_text(encoding="utf-8")
    assert all(learner.lstrip("'") in page for learner in rows) and "exited with status 1" in page


def test_a_field_that_starts_like_a_formula_is_quoted_as_text(graded, tmp_path):
    raw = (graded["out"] / "scores.csv").read_text(encoding="utf-8")
    assert '"\'=2+5"' in raw and "\n=2+5" not in raw and ',=2+5' not in raw
    assert [autograde.cell(v) for v in ("=1+1", "+1", "-1", "@SUM(A1)", "ada", "2")] == [
        "'=1+1", "'+1", "'-1", "'@SUM(A1)", "ada", "2"]


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


def test_a_notebook_of_ten_thousand_cells_stops_at_its_time_budget(tmp_path):
    source = tmp_path / "90-fixture.ipynb"
    nbformat.write(instructor_notebook(), source)
    flood = student.student_version(nbformat.read(source, as_version=4), source.name)
    flood.cells[2:2] = [code(f"int cell{i} = {i};") for i in range(10_000)]
    file = tmp_path / "flood.ipynb"
    nbformat.write(flood, file)
    limits = grading.Limits(cell_seconds=20, notebook_seconds=45, memory_mb=1200, restarts=2)
    result = grading.grade("oli", file, source, tmp_path / "work", limits, reference={})
    assert result.seconds < 45 + 30, result
    assert [g.status for g in result.grades] == [grading.TIMED_OUT] * 2, result
    assert all("time limit (45 s)" in g.reason for g in result.grades), result


def answer(label, value, tolerance=1e-9, outcome="value", error=""):
    return grading.Answer("9.9", label, tolerance, value, outcome, error)


ARRAY = {"shape": [2], "data": [1.0, -2.5]}


@pytest.mark.parametrize("mine, status, reason", [
    ([answer("a", ARRAY)], grading.PASSED, ""),
    ([answer("a", {"shape": [2], "data": [1.0, -2.5 + 1e-12]})], grading.PASSED, ""),
    ([answer("a", {"shape": [2], "data": [1.0, -2.4]})], grading.FAILED, "differs by up to 0.1"),
    ([answer("a", {"shape": [1, 2], "data": [1.0, -2.5]})], grading.FAILED, "has shape (1, 2), expected (2,)"),
    ([answer("a", {"shape": [2], "data": [1.0, "NaN"]})], grading.FAILED, "differs by up to inf"),
    ([answer("a", 3.0)], grading.FAILED, "not an array"),
    ([answer("a", None, outcome="not-yet")], grading.NOT_ATTEMPTED, "Exercise.todo"),
    ([answer("a", None, outcome="threw", error="IllegalStateException: no")], grading.FAILED, "threw Illegal"),
    ([], grading.FAILED, "no answer was recorded for input a"),
    ([answer("a", ARRAY), answer("a", ARRAY)], grading.FAILED, "recorded 2 times"),
    ([answer("a", ARRAY, tolerance=1e9)], grading.PASSED, ""),   # the learner's tolerance is never used
])
def test_recorded_answers_are_compared_in_the_grader_with_the_instructors_tolerance(mine, status, reason):
    reference = [answer("a", ARRAY, tolerance=1e-9)]
    grade = grading.compare(mine, reference, "9.9")
    assert grade.status == status and reason in grade.reason, grade


def test_a_wrong_answer_behind_a_huge_tolerance_of_its_own_still_fails():
    grade = grading.compare([answer("a", 5.0, tolerance=1e9)], [answer("a", 4.0, tolerance=1e-9)], "9.9")
    assert grade.status == grading.FAILED and "off by 1" in grade.reason


def test_maps_and_lists_are_compared_key_by_key():
    expected = {"dx": ARRAY, "steps": [1, 2]}
    assert grading.compare([answer("a", expected)], [answer("a", expected)], "9.9").status == grading.PASSED
    wrong = {"dx": ARRAY, "steps": [1, 3]}
    grade = grading.compare([answer("a", wrong)], [answer("a", expected)], "9.9")
    assert grade.status == grading.FAILED and "steps[1]" in grade.reason, grade
    grade = grading.compare([answer("a", {"dx": ARRAY})], [answer("a", expected)], "9.9")
    assert grade.status == grading.FAILED and "keys" in grade.reason, grade


def test_a_failure_of_the_grader_on_one_file_becomes_that_files_crashed(tmp_path, monkeypatch):
    source = tmp_path / "90-fixture.ipynb"
    nbformat.write(instructor_notebook(), source)
    file = tmp_path / "mine.ipynb"
    nbformat.write(student.student_version(instructor_notebook(), source.name), file)

    def broken(*args):
        raise AttributeError("'str' object has no attribute 'get'")
    monkeypatch.setattr(grading, "assemble", broken)
    result = grading.grade("ada", file, source, tmp_path / "work", LIMITS, reference={})
    assert [g.status for g in result.grades] == [grading.CRASHED] * 2
    assert "AttributeError" in result.grades[0].reason


@pytest.mark.parametrize("make, reason", [
    (lambda path: path.symlink_to(path.parent / "real.ipynb"), "symbolic link"),
    (lambda path: os.mkfifo(path), "not a regular file"),
    (lambda path: path.mkdir(), "not a regular file"),
])
def test_links_and_special_files_are_refused_without_being_read(tmp_path, make, reason):
    nbformat.write(instructor_notebook(), tmp_path / "real.ipynb")
    path = tmp_path / "submitted.ipynb"
    make(path)
    nb, problem = grading.read_submission(path)
    assert nb is None and reason in problem


def test_an_instructor_notebook_whose_grading_cell_records_nothing_stops_grading_with_the_reason(tmp_path,
                                                                                                 monkeypatch, capsys):
    source = tmp_path / "notebooks" / "90-fixture.ipynb"
    source.parent.mkdir()
    nbformat.write(instructor_notebook(), source)
    (tmp_path / "submissions" / "ada").mkdir(parents=True)
    nbformat.write(instructor_notebook(), tmp_path / "submissions" / "ada" / source.name)

    def no_answers(official_source, work, limits, unsafe=False):
        raise grading.NoReference(f"{official_source.name}: the instructor notebook's own run gave no reference "
                                  "answer for exercise 9.1")
    monkeypatch.setattr(grading, "reference_answers", no_answers)
    monkeypatch.setattr(paths, "notebook_sources", lambda: [source])
    status = autograde.main([str(tmp_path / "submissions"), "--out", str(tmp_path / "out"), "--unsafe"])
    assert status == 2 and "no reference answer for exercise 9.1" in capsys.readouterr().err


def test_output_beyond_the_runs_limit_is_dropped_but_a_grading_cell_keeps_its_own_budget():
    """A cell that prints without end must not fill the grader's memory, nor crowd out the recorded answers."""
    from types import SimpleNamespace
    from unrolledtools.notebooks import execute
    client = SimpleNamespace(nb=nbformat.v4.new_notebook(cells=[code("learner"), code("grading")]),
                             output=lambda outs, msg, display_id, cell_index: outs.append(msg["content"]["text"]))
    execute._cap_outputs(client, 100, lambda cell: cell.source == "grading")
    flood, answers = [], []
    for _ in range(50):
        client.output(flood, {"content": {"text": "x" * 40}}, None, 0)
    for _ in range(2):
        client.output(answers, {"content": {"text": "a" * 20}}, None, 1)
    assert flood[0] == "x" * 40 and len(flood) == 2 and "dropped by the runner" in flood[1].text
    assert answers == ["a" * 20] * 2


# The curriculum's own exercises, graded the way a workshop's submissions are: every notebook's exercise cells and
# grading cells after one loading cell. A grading cell needs nothing but its exercise's method and the library (the
# source tests hold them to that), so it grades the same here as in its lesson, in a fraction of the time.
def curriculum_notebook(ids=None):
    """An instructor notebook of the curriculum's exercises (`ids`, default every one), each exercise cell followed by
    its check cells (only with `ids`: those checks need no lesson state) and its grading cell."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": "java", "display_name": "Java", "language": "java"}}
    nb.cells = [code(paths.LOADING_CELL)]
    for source in paths.notebook_sources():
        official = nbformat.read(source, as_version=4)
        for exercise in exercises.find(official):
            if ids is not None and exercise.id not in ids:
                continue
            checks = exercise.check_cells if ids is not None else []
            for index in [exercise.exercise_cell] + checks + exercise.grade_cells:
                cell = nbformat.from_dict(json.loads(json.dumps(official.cells[index])))
                cell["id"] = f"cell-{len(nb.cells)}"
                nb.cells.append(cell)
    return nb


def solved(handout, official):
    """The student notebook with every exercise written as the instructor's solution."""
    nb = nbformat.from_dict(json.loads(json.dumps(handout)))
    answers = {exercises.tagged_id(c, exercises.EXERCISE_TAG): c.source for c in official.cells}
    for cell in nb.cells:
        exercise_id = exercises.tagged_id(cell, exercises.EXERCISE_TAG)
        if exercise_id is not None:
            cell.source = "\n".join(line for line in answers[exercise_id].split("\n")
                                    if line.strip() not in (exercises.BEGIN, exercises.END))
    return nb


CURRICULUM, ATTACKED = "91-curriculum.ipynb", "92-attacked.ipynb"
# From seven notebooks; every one's check cell runs without its lesson, so the attacks below can read its variables.
ATTACKED_IDS = ("1.1", "5.1", "6.2", "7.1", "8.1", "14.1", "15.2", "19.3")
WRONG = {   # a mistake learners make; the last two pass their visible checks
    "1.1": "return Transforms.tanh(x.mmul(Wx).add(hPrev.mmul(Wh)));",                  # the bias left out
    "6.2": "return 3L * hiddenSize * (inputSize + hiddenSize + 1);",                    # one bias per gate
    "8.1": "return losses.meanNumber().doubleValue();",                                # the padding averaged in
    "15.2": "return x.dup('c').reshape('c', 6, 4, 3);",                                # the check's shape hard-coded
    "19.3": "return (int) Math.round(Math.log(factor) / -Math.log(gain));",            # rounded, not the first k past
}
# The learner's method returns what the check cell holds, or is coded to the check's inputs: the visible check passes.
FROM_THE_CHECK = {
    "1.1": "return expectedH;",
    "5.1": "return new INDArray[] {exCache.i(), exCache.f(), exCache.o(), exCache.g(), exStep.state().c(), "
           "exStep.state().h()};",
    "7.1": "return exExpected;",
    "14.1": "return new INDArray[] {exDot.weights(), exDot.context()};",
    "15.2": "return x.dup('c').reshape('c', 6, 4, 3);",
}
# The learner's code writes the answer channel itself. 6.2: its method prints answers for the grading cell's inputs
# (the labels are easy to guess) with a tolerance of its own. 19.3: its method puts a filter on System.out that turns
# the grader's "not done yet" line into a value (21, right for the first input only: forging means computing).
FORGED_LINES = ("for (String label : List.of(\"D=2, H=3\", \"D=1, H=10\", \"D=64, H=32\", \"D=300, H=1\"))\n"
                "        System.out.println(\"unrolled-answer {\\\"exercise\\\":\\\"6.2\\\","
                "\\\"label\\\":\\\"\" + label"
                " + \"\\\",\\\"tolerance\\\":1e9,\\\"value\\\":0}\");\n    return 0;")
CHANNEL = r"""var realOut = System.out;
    System.setOut(new java.io.PrintStream(new java.io.OutputStream() {
        private final StringBuilder line = new StringBuilder();
        @Override public void write(int b) {
            if (b != '\n') { line.append((char) b); return; }
            realOut.println(line.toString().replace("\"outcome\":\"not-yet\"", "\"value\":21"));
            line.setLength(0);
        }
    }, true));
    throw Exercise.todo();"""
PROPERTY = 'System.setProperty(Exercise.GRADING_PROPERTY, "false");   // record() then shows a summary, not an answer'


def fake_verdicts(ids):
    """Passing verdicts for `ids`, then the adapter and System.out silenced (HIDE without its fixture's ids)."""
    forged = {i: verdict.check_html(i, verdict.PASSED).replace('"', '\\"') for i in ids}
    shown = "\n".join(f'Notebook.html("{forged[i]}", "Exercise {i} (x): passed");' for i in ids)
    return shown + "\n" + HIDE.split("\n", 2)[2]


@pytest.fixture(scope="module")
def curriculum(tmp_path_factory):
    """The curriculum's exercises graded: every one solved (ada); eight of them, from seven notebooks, with mistakes
    and stubs (wes) and under attack (mallory: the check's values and a forged answer channel; trent: fake verdicts,
    the real output hidden, the adapter and the grader's property rewritten by reflection, a class named Exercise)."""
    root = tmp_path_factory.mktemp("curriculum")
    folder, out = root / "submissions", root / "out"
    sources = {CURRICULUM: curriculum_notebook(), ATTACKED: curriculum_notebook(ATTACKED_IDS)}
    handouts = {}
    for name, nb in sources.items():
        (root / "notebooks").mkdir(exist_ok=True)
        nbformat.write(nb, root / "notebooks" / name)
        handouts[name] = student.student_version(nb, name)
    attacked = handouts[ATTACKED]

    def bodies(nb, written):
        for exercise_id, body in written.items():
            nb = with_body(nb, exercise_id, body)
        return nb
    submissions = {
        ("ada", CURRICULUM): solved(handouts[CURRICULUM], sources[CURRICULUM]),
        ("wes", ATTACKED): bodies(attacked, WRONG),
        ("mallory", ATTACKED): bodies(attacked, {**FROM_THE_CHECK, "6.2": FORGED_LINES, "19.3": CHANNEL}),
        ("trent", ATTACKED): with_cell(with_cell(with_cell(with_cell(attacked, SHADOW, at=1), REFLECT, at=1),
                                                 PROPERTY, at=1), fake_verdicts(ATTACKED_IDS), at=1),
    }
    for (learner, name), nb in submissions.items():
        (folder / learner).mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, folder / learner / name)
    started = time.monotonic()
    results = autograde.grade_all(folder, out, LIMITS, progress=lambda line: None,
                                  sources=[root / "notebooks" / n for n in sources], jobs=2)
    grades = {(r.learner, g.exercise): g for r in results for g in r.grades if g.status != grading.MISSING}
    return dict(grades=grades, out=out, seconds=time.monotonic() - started)


def test_every_exercise_of_the_curriculum_passes_when_solved(curriculum):
    found = {e: g for (learner, e), g in curriculum["grades"].items() if learner == "ada"}
    assert len(found) == sum(len(exercises.find(nbformat.read(s, as_version=4))) for s in paths.notebook_sources())
    assert all(g.status == grading.PASSED for g in found.values()), [g for g in found.values() if g.status != "passed"]


@pytest.mark.parametrize("exercise", ATTACKED_IDS)
def test_a_wrong_answer_fails_and_a_stub_is_not_attempted(curriculum, exercise):
    grade = curriculum["grades"][("wes", exercise)]
    if exercise in WRONG:
        assert grade.status == grading.FAILED and "on input" in grade.reason, grade
    else:
        assert grade.status == grading.NOT_ATTEMPTED, grade


@pytest.mark.parametrize("learner", ["mallory", "trent"])
def test_no_forgery_passes_an_exercise_of_the_curriculum(curriculum, learner):
    for exercise in ATTACKED_IDS:
        grade = curriculum["grades"][(learner, exercise)]
        assert grade.status in (grading.FAILED, grading.NOT_ATTEMPTED), grade


def test_the_checks_values_fool_the_visible_check_but_not_the_grade(curriculum):
    ran = nbformat.read(curriculum["out"] / "graded" / "mallory" / ATTACKED, as_version=4)
    shown = {i: verdict.shown(c for c in ran.cells if grading.role(c) == ("check", i)) for i in FROM_THE_CHECK}
    assert all(verdict.Check(i, verdict.PASSED) in checks for i, checks in shown.items()), shown
    for exercise in FROM_THE_CHECK:
        assert curriculum["grades"][("mallory", exercise)].status == grading.FAILED
    grade = curriculum["grades"][("mallory", "6.2")]
    assert grade.status == grading.FAILED and "was recorded" in grade.reason, grade       # its lines and the real one
    grade = curriculum["grades"][("mallory", "19.3")]
    assert grade.status == grading.FAILED and "on input gain 0.6" in grade.reason, grade  # its stub's line rewritten


def test_answers_hidden_or_never_written_fail_whatever_verdict_the_kernel_shows(curriculum):
    for exercise in ATTACKED_IDS:
        grade = curriculum["grades"][("trent", exercise)]
        assert grade.status == grading.FAILED and "no answer was recorded" in grade.reason, grade


def test_an_instructor_notebook_with_an_ungraded_exercise_is_refused_before_anything_runs(tmp_path):
    nb = instructor_notebook()
    nb.cells = [c for c in nb.cells if "grade-9.2" not in c.metadata.get("tags", [])]
    source = tmp_path / "90-fixture.ipynb"
    nbformat.write(nb, source)
    with pytest.raises(grading.NoReference, match="exercise 9.2 has no grading cell"):
        grading.reference_answers(source, tmp_path / "work", LIMITS)
    assert not (tmp_path / "work").exists()
