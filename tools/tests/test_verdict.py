"""The verdict lines (unrolledtools.grading.verdict): what the library's Exercise prints reads back as it was meant,
written lines read back unchanged, and anything else is refused."""
import math
import re

import pytest

from unrolledtools.common import paths
from unrolledtools.grading import verdict
from unrolledtools.grading.verdict import Answer, Check

# A check's verdict as Exercise.report writes it (its HTML for a "not yet", written out from the Java code).
SHOWN = ('<div class="unrolled-check" data-exercise="5.1" data-result="not-yet" '
         'style="border-left:6px solid #8a5a00;background:#fff1d1;color:#1a202c;padding:6px 12px;margin:4px 0;'
         'font-family:sans-serif"><b style="color:#8a5a00">… Exercise 5.1: not yet</b> — one LSTM step</div>')


def exercise_source() -> str:
    found = sorted(paths.ROOT.glob("lib/src/main/java/**/notebook/Exercise.java"))
    assert len(found) == 1, f"expected the library's Exercise.java once, found {found}"
    return found[0].read_text(encoding="utf-8")


def test_the_format_is_the_one_the_library_writes():
    source = exercise_source()
    assert f'ANSWER_MARK = "{verdict.ANSWER_MARK}";' in source
    results = re.search(r"enum Result \{(.*?)\}", source, re.S).group(1)
    named = re.findall(r"^\s*([A-Z_]+)[,;]?\s*$", results, re.M)
    assert [name.lower().replace("_", "-") for name in named] == list(verdict.RESULTS)
    assert 'data-exercise=\\"" + Html.escape(id) + "\\" data-result=\\""' in source


def test_a_shown_verdict_reads_as_its_exercise_and_result():
    assert verdict.checks(SHOWN) == [Check("5.1", "not-yet")]
    assert verdict.checks("<p>no verdict here</p>") == []


@pytest.mark.parametrize("result", verdict.RESULTS)
@pytest.mark.parametrize("exercise", ["5.1", "14.2", 'a "quoted" <id> & more'])
def test_a_written_verdict_reads_back_unchanged(exercise, result):
    html = verdict.check_html(exercise, result)
    assert verdict.checks(html) == [Check(exercise, result)]
    assert verdict.checks(html + "<br>" + SHOWN) == [Check(exercise, result), Check("5.1", "not-yet")]


def test_verdicts_are_read_from_html_outputs_only_in_order():
    printed = {"output_type": "stream", "name": "stdout", "text": verdict.check_html("1.1", "passed")}
    wrong = {"output_type": "display_data",
             "data": {"text/html": verdict.check_html("2.1", "wrong"), "text/plain": "Exercise 2.1: wrong"}}
    cells = [{"outputs": [printed]}, {"outputs": [wrong]}, {"cell_type": "markdown"},
             {"outputs": [{"output_type": "display_data", "data": {"text/html": SHOWN}}]}]
    assert verdict.shown(cells) == [Check("2.1", "wrong"), Check("5.1", "not-yet")]


@pytest.mark.parametrize("text", [
    '<div data-exercise="5.1" data-result="maybe"></div>',
    '<div data-exercise="5.1" data-result=""></div>',
    '<div data-exercise="5.1" data-result="Passed"></div>',
])
def test_a_verdict_with_an_unknown_result_is_refused(text):
    with pytest.raises(verdict.MalformedVerdict, match="5.1"):
        verdict.checks(text)


def test_a_verdict_without_an_exercise_or_its_attributes_in_another_order_is_no_verdict():
    assert verdict.checks('<div data-exercise="" data-result="passed"></div>') == []
    assert verdict.checks('<div data-result="passed" data-exercise="5.1"></div>') == []


@pytest.mark.parametrize("exercise, result", [("5.1", "maybe"), ("5.1", "not yet"), ("", "passed")])
def test_only_a_well_formed_verdict_can_be_written(exercise, result):
    with pytest.raises(verdict.MalformedVerdict):
        verdict.check_html(exercise, result)


@pytest.mark.parametrize("answer", [
    Answer("9.1", "5x3", 1e-9, 1.5),
    Answer("9.2", "4x2", 1e-12, {"shape": [4, 2], "data": [0.5, -1.0, 2.0, 3.25, 0.0, 1e-300, -7.0, 8.0]}),
    Answer("9.3", "N=1", 0.0, {"weights": {"shape": [1], "data": ["NaN"]}, "ok": True, "names": ["h", "c"]}),
    Answer("9.4", "scalar", 1e-6, None, "not-yet"),
    Answer("9.5", "empty", 1e-6, None, "threw", "IllegalArgumentException: x must have shape (N, D)"),
    Answer("9.6", "label with \"quotes\" and ünïcode", 0.5, "a string"),
])
def test_a_written_answer_reads_back_unchanged(answer):
    line = verdict.answer_line(answer)
    assert line.startswith("unrolled-answer {") and "\n" not in line
    assert verdict.parse_answer(line) == answer


def test_answers_as_the_library_prints_them_are_read():
    # Exercise.record's output for a value, a stub and a throw (the library writes tolerances with Double.toString)
    value = ('unrolled-answer {"exercise":"9.1","label":"5x3","tolerance":1.0E-9,'
             '"value":{"shape":[2],"data":[1.0,-2.5]}}')
    todo = 'unrolled-answer {"exercise":"9.1","label":"scalar","tolerance":1.0E-9,"outcome":"not-yet"}'
    threw = ('unrolled-answer {"exercise":"9.1","label":"big","tolerance":"Infinity","outcome":"threw",'
             '"error":"ArithmeticException: / by zero"}')
    assert verdict.parse_answer(value) == Answer("9.1", "5x3", 1e-9, {"shape": [2], "data": [1.0, -2.5]})
    assert verdict.parse_answer(todo) == Answer("9.1", "scalar", 1e-9, None, "not-yet")
    parsed = verdict.parse_answer(threw)
    assert (parsed.outcome, parsed.error) == ("threw", "ArithmeticException: / by zero")
    assert math.isinf(parsed.tolerance)


@pytest.mark.parametrize("line", [
    '{"exercise":"9.1","label":"a","tolerance":1,"value":1}',                  # no mark
    ' unrolled-answer {"exercise":"9.1","label":"a","tolerance":1,"value":1}',  # not at the start of the line
    'unrolled-answer',
    'unrolled-answer {"exercise":"9.1","label":"a","tolerance":1,"value":',    # cut short
    'unrolled-answer ["9.1", "a", 1, 1]',                                      # not an object
    'unrolled-answer {"exercise":9.1,"label":"a","tolerance":1,"value":1}',    # the id is not a string
    'unrolled-answer {"label":"a","tolerance":1,"value":1}',
    'unrolled-answer {"exercise":"9.1","tolerance":1,"value":1}',
    'unrolled-answer {"exercise":"9.1","label":"a","value":1}',
    'unrolled-answer {"exercise":"9.1","label":"a","tolerance":"small","value":1}',
    'unrolled-answer {"exercise":"9.1","label":"a","tolerance":null,"value":1}',
    'unrolled-answer ' + '[' * 100_000 + ']' * 100_000,                        # nested past the parser's depth
    'Exercise 9.1, 5x3: recorded for the autograder (a Double).',              # record()'s line outside the grader
])
def test_a_line_that_is_not_a_well_formed_answer_is_no_answer(line):
    assert verdict.parse_answer(line) is None


def test_only_the_exercises_own_answers_are_read_from_an_output():
    text = "\n".join(["learner's own output", verdict.answer_line(Answer("9.1", "a", 0.1, 1.0)),
                      verdict.answer_line(Answer("9.2", "a", 0.1, 2.0)), "unrolled-answer {broken",
                      verdict.answer_line(Answer("9.1", "b", 0.1, None, "not-yet"))])
    assert verdict.answers_in(text, "9.1") == [Answer("9.1", "a", 0.1, 1.0), Answer("9.1", "b", 0.1, None, "not-yet")]
    assert verdict.answers_in(text, "9.3") == []


def test_an_answer_with_an_unknown_outcome_cannot_be_written():
    with pytest.raises(ValueError, match="outcome"):
        verdict.answer_line(Answer("9.1", "a", 0.1, None, "maybe"))
