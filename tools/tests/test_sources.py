"""The notebook sources as stored: named, numbered, without outputs, each starting with the loading cell."""
import re

import nbformat

from unrolledtools.common import paths
from unrolledtools.notebooks import exercises
from unrolledtools.release import student

NAME = re.compile(r"^(\d\d)-[a-z0-9]+(-[a-z0-9]+)*\.ipynb$")
QUESTION_TAG = re.compile(r"^q-[AB]\d\d$")


def load(name):
    return nbformat.read(paths.NOTEBOOKS / name, as_version=4)


def test_the_curriculum_has_notebooks_numbered_without_gaps():
    names = [p.name for p in paths.notebook_sources()]
    assert names, "no notebooks found"
    assert names[0] == "00-start-here.ipynb"
    numbers = [int(n[:2]) for n in names]
    assert numbers == list(range(len(numbers))), f"notebook numbers must run 00, 01, ... without gaps: {names}"
    stray = [p.name for p in paths.NOTEBOOKS.glob("*.ipynb") if not NAME.match(p.name)]
    assert not stray, f"notebooks must be named NN-slug.ipynb (lower case, hyphens): {stray}"


def test_notebook_is_valid_nbformat(notebook_name):
    nbformat.validate(load(notebook_name))


def test_notebook_is_stored_without_outputs(notebook_name):
    dirty = [i + 1 for i, c in enumerate(load(notebook_name).cells)
             if c.cell_type == "code" and (c.outputs or c.execution_count is not None)]
    assert not dirty, f"{notebook_name}: cells {dirty} have stored outputs; clear them before committing"


def test_notebook_starts_with_the_loading_cell_then_its_title(notebook_name):
    cells = load(notebook_name).cells
    assert cells[0].cell_type == "code" and cells[0].source.strip() == paths.LOADING_CELL, (
        f"{notebook_name}: the first cell must be exactly:\n{paths.LOADING_CELL}")
    assert cells[1].cell_type == "markdown" and cells[1].source.startswith(f"# {notebook_name[:2]} · "), (
        f"{notebook_name}: the second cell must be the title, '# {notebook_name[:2]} · Title'")


def test_notebook_runs_in_the_java_kernel(notebook_name):
    spec = load(notebook_name).metadata.get("kernelspec", {})
    assert spec.get("name") == "java" and spec.get("language") == "java", spec


def test_question_tags_are_well_formed(notebook_name):
    for i, cell in enumerate(load(notebook_name).cells):
        for tag in cell.metadata.get("tags", []):
            if tag.startswith("q-"):
                assert QUESTION_TAG.match(tag), f"{notebook_name} cell {i + 1}: bad question tag {tag!r}"


def test_solution_regions_are_balanced(notebook_name):
    for i, cell in enumerate(load(notebook_name).cells):
        lines = [line.strip() for line in cell.source.splitlines()]
        marks = [line for line in lines if line in ("// BEGIN SOLUTION", "// END SOLUTION")]
        assert marks == ["// BEGIN SOLUTION", "// END SOLUTION"] * (len(marks) // 2) and len(marks) % 2 == 0, (
            f"{notebook_name} cell {i + 1}: BEGIN SOLUTION / END SOLUTION must come in pairs, in order")


def test_exercise_and_check_cells_carry_their_tags(notebook_name):
    found = exercises.problems(load(notebook_name))
    assert not found, (f"{notebook_name}: " + "; ".join(found) + ". The release and the autograder find exercises by "
                       "the cell tags exercise-<id> and check-<id>: ./unrolled release --tag-sources adds them.")


def test_every_exercise_has_exactly_one_grading_cell_after_its_check(notebook_name):
    """The grade comes only from a grading cell: an exercise without one could only be graded by the verdict its check
    shows in the learner's kernel, which the learner's code can forge."""
    nb = load(notebook_name)
    found = exercises.find(nb)
    exercise_cells = sorted(e.exercise_cell for e in found if e.exercise_cell is not None)
    for exercise in found:
        assert len(exercise.grade_cells) == 1, (
            f"{notebook_name}: exercise {exercise.id} has {len(exercise.grade_cells)} cells "
            f"tagged grade-{exercise.id}, "
            "needs exactly one (Exercise.record on inputs the check never shows)")
        at = exercise.grade_cells[0]
        following = [i for i in exercise_cells if i > exercise.exercise_cell]
        assert max(exercise.check_cells) < at < (following[0] if following else len(nb.cells)), (
            f"{notebook_name}: the grading cell of exercise {exercise.id} (cell {at + 1}) must come after its check "
            "and before the next exercise")
        source = nb.cells[at].source
        assert exercises.RECORD_CALL.findall(source), f"{notebook_name}: grade-{exercise.id} records nothing"
        # Its inputs come from its own seeds: the lesson's random state is the same with it (instructor) or without
        # it (student version), and the learner never sees its inputs in the check.
        assert not re.search(r"Nd4j\.(getRandom|rand|randn)\(", source), (
            f"{notebook_name}: grade-{exercise.id} draws from ND4J's shared generator; use Init.normal/uniform with a "
            "seed of its own")


def test_the_student_version_leaves_out_every_grading_cell(notebook_name):
    handout = student.student_version(load(notebook_name), notebook_name)
    left = [i + 1 for i, cell in enumerate(handout.cells)
            if exercises.tagged_id(cell, exercises.GRADE_TAG) is not None or exercises.RECORD_CALL.search(cell.source)]
    assert not left, f"{notebook_name}: the student version still holds grading cells {left}"


def test_the_shared_init_script_holds_imports_only():
    for number, line in enumerate((paths.NOTEBOOKS / "init.jsh").read_text(encoding="utf-8").splitlines(), 1):
        stripped = line.strip()
        assert not stripped or stripped.startswith("//") or re.match(r"^import (static )?[\w.]+(\.\*)?;$", stripped), (
            f"init.jsh line {number} is not a plain import: {line!r} (every kernel must accept this file)")


def test_the_shared_init_script_imports_every_public_class_of_the_notebook_package():
    # init.jsh names unrolled.notebook's classes one by one (no wildcard a learner's class could hide behind), so a new
    # class there is invisible to every notebook until it is added: a lesson using it fails only when it runs
    package = paths.ROOT / "lib" / "src" / "main" / "java" / "unrolled" / "notebook"
    public = sorted(f.stem for f in package.glob("*.java")
                    if re.search(rf"^public (final )?(abstract )?(class|enum|interface|record) {f.stem}\b",
                                 f.read_text(encoding="utf-8"), re.M))
    imported = set(re.findall(r"^import unrolled\.notebook\.(\w+);$",
                              (paths.NOTEBOOKS / "init.jsh").read_text(encoding="utf-8"), re.M))
    assert "Exercise" in public and "Findings" in public, public
    assert [name for name in public if name not in imported] == [], "init.jsh does not import these notebook classes"


BANK = paths.ROOT / "lib" / "src" / "main" / "resources" / "unrolled" / "questions.tsv"


def bank_rows():
    import csv
    with open(BANK, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def test_every_answered_question_points_to_a_notebook_cell_tagged_with_it():
    tagged = {}
    for source in paths.notebook_sources():
        for cell in nbformat.read(source, as_version=4).cells:
            for tag in cell.metadata.get("tags", []):
                if tag.startswith("q-"):
                    tagged.setdefault(tag[2:], set()).add(source.name)
    for row in bank_rows():
        if row["answer"].strip():
            notebook = row["where"].split("#")[0]
            assert (paths.NOTEBOOKS / notebook).is_file(), f"{row['id']} points to {notebook}, which does not exist"
            assert notebook in tagged.get(row["id"], set()), (
                f"{row['id']} is answered in {notebook} by the bank, but no cell there is tagged q-{row['id']}")


def test_every_question_tag_names_an_answered_question():
    answered = {row["id"] for row in bank_rows() if row["answer"].strip()}
    for source in paths.notebook_sources():
        for i, cell in enumerate(nbformat.read(source, as_version=4).cells):
            for tag in cell.metadata.get("tags", []):
                if tag.startswith("q-"):
                    assert tag[2:] in answered, (
                        f"{source.name} cell {i + 1} is tagged {tag}, but the bank has no answer for it")


def test_every_notebook_shows_its_quiz_of_at_least_three_questions(notebook_name):
    import csv
    number = notebook_name[:2]
    quiz = paths.ROOT / "lib" / "src" / "main" / "resources" / "unrolled" / "quiz" / f"{number}.tsv"
    assert quiz.is_file(), f"{notebook_name} has no quiz file {quiz.relative_to(paths.ROOT)}"
    with open(quiz, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    assert len(rows) >= 3, f"{quiz.name} has {len(rows)} questions; each notebook needs at least three"
    code = "\n".join(c.source for c in load(notebook_name).cells if c.cell_type == "code")
    assert f'Quiz.show("{number}")' in code, (
        f"{notebook_name} never shows its quiz: add a cell with Quiz.show(\"{number}\");")


def section_ids(notebook) -> set[str]:
    """The targets a link `NN-x.ipynb#id` can land on: each heading's id as Jupyter and nbconvert write it (the
    heading's text with spaces as hyphens), and explicit `id="..."` or `name="..."` anchors in the prose."""
    ids = set()
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            heading = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
            if heading:
                text = re.sub(r"\*\*|__|`|(?<!\w)[*_]|[*_](?!\w)", "", heading.group(1))
                ids.add(re.sub(r"\s+", "-", text.strip()))
        ids.update(re.findall(r'\b(?:id|name)="([^"]+)"', cell.source))
    return ids


def test_every_link_from_a_card_lands_on_a_section_that_exists():
    for row in bank_rows():
        where = row["where"].strip()
        if "#" not in where:
            continue
        notebook, section = where.split("#", 1)
        assert (paths.NOTEBOOKS / notebook).is_file(), f"{row['id']} points to {notebook}, which does not exist"
        ids = section_ids(load(notebook))
        assert section in ids, (f"{row['id']} links to {where}, but {notebook} has no heading or anchor with the id "
                                f"{section!r}; its headings give {sorted(ids)}")


def test_section_ids_follow_the_headings_as_jupyter_writes_them():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("## The gates, one by one\n\ntext <a id=\"gates\"></a>"),
                nbformat.v4.new_markdown_cell("### Why **additive** helps")]
    assert section_ids(nb) == {"The-gates,-one-by-one", "gates", "Why-additive-helps"}


# --- measured figures belong to the run, not to the prose ---------------------------------------------------------
# A lesson states what its run shows through unrolled.notebook.Findings (printed from the run's variables, or a claim
# that fails the cell). Markdown that types in a decimal or a percentage is flagged unless it is in a formula or code,
# an exercise number, a version or licence, a setting the lesson chooses (a learning rate, a probability, a gain, a
# threshold, a chance level), or a stable fact listed in ALLOWED_FIGURES with the reason it does not depend on the run.

_FENCE = re.compile(r"```.*?```", re.S)
_FORMULA_OR_CODE = re.compile(r"\$\$.*?\$\$|\$[^$]*\$|`[^`\n]*`|\]\([^)]*\)|<[^>]+>", re.S)
_NOT_A_MEASUREMENT = re.compile(
    r"(?:Exercise|exercise|\*\*)\s*\d+\.\d+|\*\*\d+\.\d+\*\*"
    r"|\b(?:PyTorch|ND4J|CC[ -]BY|ODC-BY|Python|Java|JDK|version|in)[\s-]+\d+(?:\.\d+)+"
    r"|(?:learning rate|rates?|probability|gain|bias|dropout|threshold|temperature|τ|scale|momentum|decay"
    r"|clipp?(?:ed|ing)? (?:at|to)(?: (?:global )?norm)?|chance|guess(?:ing)?(?: gives| scores)?|keep)"
    r"(?: (?:of|is|at|to|=|about|near|from))*\s*\(?\d+(?:\.\d+)?\s?%?(?:\s?(?:–|-|to|and|or)\s?\d+(?:\.\d+)?\s?%?)*",
    re.I)
_FIGURE = re.compile(r"(?<![\w.,])(\d+\.\d+|\d+(?:\.\d+)?\s?%)(?![\w.]*\d)")

# (notebook number, words around the figure as the notebook writes them): why the figure does not depend on the run
ALLOWED_FIGURES: dict[tuple[str, str], str] = {
    # the tanh slope's threshold, a property of tanh
    ("00", "falls below 0.1 once"): "tanh'(z) < 0.1 for |z| > 1.82 is a fact of the function, not of a run",
    # settings the lesson chooses, or asks the reader to choose
    ("01", "a single **pulse** of 1.5"): "the input the lesson feeds in",
    ("01", "$W_h$ by 0.5 with"): "a try-it-yourself change",
    ("02", "add a scale of 1.5 and of 3.0"): "a try-it-yourself change",
    ("04", "the smallest should be 1.5"): "every singular value of 1.5 × an orthogonal matrix is 1.5",
    ("04", "Around 1.5 it stays roughly level"): "a gain the lesson sets; the run asserts that 1.5 breaks even",
    ("04", "to 0.1 and to 3"): "a try-it-yourself change",
    ("07", "Typical rates are 0.2–0.5"): "common practice, not this run",
    ("07", "only about 9 % in all"): "1 − (1 − ηλ)^48 from the settings, before training",
    ("07", "within 0.01 of 0 or 1"): "the definition of a saturated gate the run counts",
    ("07", "slope is below 0.01"): "the same definition",
    ("09", "more than 25 % above the lowest loss"): "the divergence rule the trainer is given",
    ("09", "(chance: 25 %)"): "one of four symbols",
    ("09", "Compare the 0.3 row"): "a threshold the table is built at",
    ("10", "about 1.19 million characters"): "the size of the shipped text",
    ("10", "(greedy), 0.5, 1.0 and 1.5"): "the temperatures the lesson samples at",
    ("16", "leaves the 25 % line"): "chance on a four-way task",
    ("17", "a drop towards 50 %"): "chance on a two-way task",
    ("17", "can reach 50 % at best"): "chance on a two-way task",
    ("18", "stay at 50 % whatever it learns"): "chance on a two-way task",
    ("18", "a memoryless one stays at 50 %"): "chance on a two-way task (the run's seeds are shown above it)",
    ("18", "cannot beat 50 %"): "chance on a two-way task",
    ("19", "rather than 0.5)"): "σ(0) = 0.5",
    ("19", "about 9.6 million"): "the parameter count worked out above it",
    ("19", "by about 0.9, how long"): "the premise of an interview question",
}


def typed_figures(markdown: str) -> list[tuple[str, str]]:
    """(figure, the words around it) for every decimal or percentage in `markdown` outside formulas, code, exercise
    numbers, versions and chosen settings."""
    text = _NOT_A_MEASUREMENT.sub(" ", _FORMULA_OR_CODE.sub(" ", _FENCE.sub(" ", markdown)))
    return [(m.group(1), " ".join(text[max(0, m.start() - 60):m.end() + 30].split())) for m in _FIGURE.finditer(text)]


def test_the_figure_heuristic_flags_a_measured_number_and_passes_settings_and_formulas():
    flagged = [figure for figure, _ in typed_figures(
        "The LSTM reached 0.97 accuracy, 12 % better. With learning rate 0.02 and gain 1.5, chance is 25 %; "
        "$\\sigma(1) \\approx 0.73$, `clip(5.0)`, PyTorch 1.13, CC-BY-4.0, **Exercise 4.1**.")]
    assert flagged == ["0.97", "12 %"], flagged


def test_markdown_quotes_no_measured_figure_outside_findings(notebook_name):
    number = notebook_name[:2]
    allowed = [words for (nb, words) in ALLOWED_FIGURES if nb == number]
    found = []
    for i, cell in enumerate(load(notebook_name).cells):
        if cell.cell_type != "markdown":
            continue
        prose = " ".join(cell.source.split())
        for figure, words in typed_figures(cell.source):
            if not any(figure in entry and entry in prose for entry in allowed):
                found.append(f"cell {i + 1}: {figure} in \"…{words}…\"")
    assert not found, (f"{notebook_name}: markdown quotes figures that look measured; show them with Findings "
                       "(from the run's variables, or as a claim), or, if they do not depend on the run, add them to "
                       "ALLOWED_FIGURES with the reason:\n" + "\n".join(found))


def test_every_allowed_figure_is_still_in_its_notebook():
    prose = {p.name[:2]: " ".join(" ".join(c.source for c in load(p.name).cells if c.cell_type == "markdown").split())
             for p in paths.notebook_sources()}
    stale = [f"{nb}: {words!r}" for (nb, words) in ALLOWED_FIGURES if words not in prose.get(nb, "")]
    assert not stale, "ALLOWED_FIGURES lists words no notebook has any more (remove them):\n" + "\n".join(stale)


_RUN_REFERENCE = re.compile(r"\b(?:our run|this run|the run|in the notebook|we (?:measured|got|saw))\b", re.I)


def test_quizzes_and_the_question_bank_quote_no_figure_of_a_run():
    import csv
    texts = [(f"quiz {row['id']}", " ".join(row.values()))
             for tsv in sorted((paths.ROOT / "lib" / "src" / "main" / "resources" / "unrolled" / "quiz").glob("*.tsv"))
             for row in csv.DictReader(tsv.open(encoding="utf-8", newline=""), delimiter="\t")]
    texts += [(f"question {row['id']}", row["answer"]) for row in bank_rows()]
    found = [f"{where}: …{sentence.strip()[:160]}…" for where, text in texts
             for sentence in re.split(r"(?<=[.!?])\s", text)
             if _RUN_REFERENCE.search(sentence) and _FIGURE.search(sentence)]
    assert not found, "quiz explanations and bank answers quote a number from a run:\n" + "\n".join(found)
