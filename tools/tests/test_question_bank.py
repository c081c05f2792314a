"""The question bank as an interviewer hears it: every answer short enough to say, standing on its own, stating the
conventions interviewers probe, linked to the near-duplicate questions it must be told apart from, and shown by code
in the notebook it names. Source checks only: no kernel, fast."""
import html
import re

import nbformat
import pytest

from unrolledtools.book import coverage
from unrolledtools.common import paths

# A spoken answer: about a minute at interview pace.
WORD_LIMIT = 130

# Questions asked in nearly the same words; each answer addresses its own nuance and names the others.
NEAR_DUPLICATES = [("A01", "B01"), ("A03", "B06"), ("A10", "B24"), ("B53", "B79"), ("B72", "B78"), ("B09", "B63"),
                   ("B34", "B38", "B54", "B61"), ("A07", "B33")]

# Phrases that only make sense next to one run of one notebook, not in an interview.
BOUND_TO_A_RUN = re.compile(r"\b(?:the|this|our) notebook\b|\bour (?:run|model|experiment|measurement)s?\b"
                            r"|\bthe (?:cell|plot|table|chart) (?:above|below)\b"
                            r"|\bas (?:measured|shown) (?:above|below|here)\b"
                            r"|\bmeasured:", re.I)

# A parameter count of an LSTM or GRU layer, in any of the spellings used (D, D_in, D_\ell; one or two biases).
GATED_COUNT = re.compile(r"([34])H\s*\(D[^)]{0,20}?\+\s*H\s*\+\s*([12])\)")


def conventions(text):
    """{blocks: {bias vectors}} for every gated parameter count in the text: {"4": {"1", "2"}} is an LSTM count
    given with one bias vector and with two."""
    found = {}
    for blocks, biases in GATED_COUNT.findall(text):
        found.setdefault(blocks, set()).add(biases)
    return found


def one_sided(text):
    """The cell types (LSTM for 4 blocks, GRU for 3) whose count the text gives with only one bias convention."""
    return sorted({"4": "LSTM", "3": "GRU"}[blocks]
                  for blocks, biases in conventions(text).items() if biases != {"1", "2"})


# A card cell shows questions; a demonstration must compute something.
CARD_ONLY = re.compile(r"^(?:\s*(?:Questions\.show|Quiz\.show)\([^;]*\);\s*)+$")


def text_of(answer_html: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", answer_html))


def words(answer_html: str) -> int:
    return len(text_of(answer_html).split())


def demonstrating_cells(notebook, id_):
    """The code cells tagged q-<id> that do more than show cards or a quiz."""
    return [i for i, cell in enumerate(notebook.cells)
            if cell.cell_type == "code" and f"q-{id_}" in cell.metadata.get("tags", [])
            and not CARD_ONLY.match(cell.source)]


@pytest.fixture(scope="module")
def bank():
    questions = coverage.read_bank()
    assert len(questions) == 95
    return {q.id: q for q in questions}


def test_a_card_cell_does_not_count_as_a_demonstration():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('Questions.show("A01", "B01");', metadata={"tags": ["q-A01"]}),
                nbformat.v4.new_markdown_cell("Prose.", metadata={"tags": ["q-A01"]}),
                nbformat.v4.new_code_cell("int h = 3;\nSystem.out.println(h);", metadata={"tags": ["q-A01"]}),
                nbformat.v4.new_code_cell('Quiz.show("00");', metadata={"tags": ["q-B01"]})]
    assert demonstrating_cells(nb, "A01") == [2]
    assert demonstrating_cells(nb, "B01") == []


def test_every_question_is_demonstrated_by_a_code_cell_in_the_notebook_it_names(bank):
    notebooks = {}
    missing = []
    for q in bank.values():
        name = q.where.split("#")[0]
        if name not in notebooks:
            notebooks[name] = nbformat.read(paths.NOTEBOOKS / name, as_version=4)
        if not demonstrating_cells(notebooks[name], q.id):
            missing.append(f"{q.id} ({name})")
    assert not missing, ("no code cell (other than the cards) carries the tag of: " + ", ".join(missing)
                         + ". Tag the cell whose output shows the answer's point, or add one.")


def test_the_length_check_counts_words_of_the_text_not_of_the_markup():
    assert words("h<sub>t</sub> = tanh(<b>a</b>) &lt;eos&gt;") == 4


def test_every_answer_can_be_said_in_about_a_minute(bank):
    long = {id_: words(q.answer) for id_, q in bank.items() if words(q.answer) > WORD_LIMIT}
    assert not long, f"answers over {WORD_LIMIT} words (id: words): {long}"


def test_the_run_bound_phrases_are_recognised():
    for phrase in ("as the notebook measures", "In our run it fell", "Measured: 0.97", "the plot above shows"):
        assert BOUND_TO_A_RUN.search(phrase), phrase
    assert not BOUND_TO_A_RUN.search("a model that works in a notebook is measured by its loss")


def test_no_answer_leans_on_a_notebook_or_a_run(bank):
    bound = {id_: BOUND_TO_A_RUN.search(text_of(q.answer)).group(0) for id_, q in bank.items()
             if BOUND_TO_A_RUN.search(text_of(q.answer))}
    assert not bound, f"answers that do not stand on their own in an interview: {bound}"


@pytest.mark.parametrize("group", NEAR_DUPLICATES, ids="/".join)
def test_near_duplicate_questions_name_each_other(bank, group):
    for id_ in group:
        text = text_of(bank[id_].answer)
        assert "See also" in text, f"{id_} has no 'See also'"
        see_also = text[text.index("See also"):]
        others = [other for other in group if other != id_ and other not in see_also]
        assert not others, f"{id_}'s 'See also' does not name {others}"


def test_see_also_names_only_questions_of_the_bank(bank):
    for id_, q in bank.items():
        text = text_of(q.answer)
        if "See also" in text:
            for named in re.findall(r"\b[AB]\d\d\b", text[text.index("See also"):]):
                assert named in bank and named != id_, f"{id_} refers to {named}"


def test_a_gated_parameter_count_comes_with_both_bias_conventions(bank):
    one_sided_answers = {id_: one_sided(text_of(q.answer)) for id_, q in bank.items() if one_sided(text_of(q.answer))}
    assert not one_sided_answers, ("answers giving a parameter count with one bias convention only: "
                                   f"{one_sided_answers}; "
                                   "state both (PyTorch and cuDNN keep two bias vectors, Keras's LSTM one)")


def test_a_notebook_teaching_a_gated_parameter_count_states_both_conventions():
    for source in paths.notebook_sources():
        cells = nbformat.read(source, as_version=4).cells
        prose = "\n".join(c.source for c in cells if c.cell_type == "markdown")
        if conventions(prose):
            assert not one_sided(prose), (f"{source.name} teaches the {one_sided(prose)} parameter count with one "
                                          "bias convention only; give the two-bias (PyTorch, cuDNN) and the "
                                          "one-bias (Keras's LSTM) counts")
            assert "batch_first" in prose or "(T, N, D)" in prose, (
                f"{source.name} teaches parameter counts and shapes but never mentions PyTorch's (T, N, D) default")


def test_the_count_pattern_reads_every_spelling_and_tells_lstm_from_gru():
    text = "4H(D + H + 1), 3H(D + H + 2), 4H(D_\\ell + H + 1), 4H(D_\\text{in} + H + 2)"
    assert conventions(text) == {"4": {"1", "2"}, "3": {"2"}}
    assert one_sided(text) == ["GRU"]
    assert one_sided("H(D + H + 1) for a vanilla RNN") == []
