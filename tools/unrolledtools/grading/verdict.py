"""The two lines exercise cells print for the tools to read, defined once: how each is written and how it is read.

Both come from the library's `unrolled.notebook.Exercise`:

* a check's verdict, shown to the learner as HTML (`Exercise.check`, `checkArray`, `checkNumber`):

      <div class="unrolled-check" data-exercise="5.1" data-result="passed" ...>

  with the result `passed`, `not-yet` or `wrong`. It is feedback: the learner's kernel shows it, so a learner can
  forge it, and no grade is ever read from it. The tests read it to see that every exercise passes with its solution
  in place and reports "not yet" without;
* a grading cell's answer (`Exercise.record`, in a kernel the autograder started), one line on standard output:

      unrolled-answer {"exercise":"5.1","label":"5x3","tolerance":1e-09,"value":...}

  where `value` is missing and `outcome` says why when there is no value (`"not-yet"`: the stub is still in place;
  `"threw"`, with the exception in `error`). The grader holds it against the instructor notebook's own answer.

The readers reject what these writers never print: `checks` raises on a verdict with a result of another name, and
`parse_answer` returns None for any line that is not a well-formed answer (the learner's own output, or a forgery
that lacks a field), so such lines never count as answers.
"""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from typing import NamedTuple

PASSED, NOT_YET, WRONG = "passed", "not-yet", "wrong"
RESULTS = (PASSED, NOT_YET, WRONG)  # Exercise.Result, lower case with '-' for '_'

# The two attributes Exercise.report writes, in this order, into the verdict's HTML.
CHECK = re.compile(r'data-exercise="([^"]+)" data-result="([^"]*)"')

ANSWER_MARK = "unrolled-answer "    # Exercise.ANSWER_MARK
VALUE, NOT_DONE, THREW = "value", "not-yet", "threw"   # an answer's outcome


class MalformedVerdict(ValueError):
    """A check's verdict whose result is none of RESULTS: not something the library's checks print."""


class Check(NamedTuple):
    """One verdict a check cell showed: the exercise's id and its result, one of RESULTS."""
    exercise: str
    result: str


def check_html(exercise: str, result: str) -> str:
    """The verdict's attributes as Exercise.report writes them, in an otherwise empty element."""
    if result not in RESULTS:
        raise MalformedVerdict(f"check_html: result must be one of {', '.join(RESULTS)}, but is {result!r}")
    if not exercise:
        raise MalformedVerdict("check_html: exercise must be an exercise's id such as '5.1', but is empty")
    return f'<div class="unrolled-check" data-exercise="{html.escape(exercise)}" data-result="{result}"></div>'


def checks(text: str) -> list[Check]:
    """Every check verdict in an output's HTML, in order; raises MalformedVerdict for a result of another name."""
    found = []
    for exercise, result in CHECK.findall(text):
        if result not in RESULTS:
            raise MalformedVerdict(f"exercise {exercise}'s verdict has the result {result!r}, but a check shows one of "
                                   f"{', '.join(RESULTS)}")
        found.append(Check(html.unescape(exercise), result))
    return found


def shown(cells) -> list[Check]:
    """Every check verdict the HTML outputs of these executed cells show, in order."""
    return [check for cell in cells for output in cell.get("outputs", [])
            for check in checks(str(output.get("data", {}).get("text/html", "")))]


@dataclass
class Answer:
    """One answer `Exercise.record` wrote: the value, or why there is none (`outcome` not-yet or threw, `error`)."""
    exercise: str
    label: str
    tolerance: float
    value: object = None
    outcome: str = VALUE
    error: str = ""


def answer_line(answer: Answer) -> str:
    """The line Exercise.record prints for `answer` (without the line break)."""
    record: dict[str, object] = {"exercise": answer.exercise, "label": answer.label, "tolerance": answer.tolerance}
    if answer.outcome == VALUE:
        record["value"] = answer.value
    elif answer.outcome == NOT_DONE:
        record["outcome"] = NOT_DONE
    elif answer.outcome == THREW:
        record.update(outcome=THREW, error=answer.error)
    else:
        raise ValueError(f"answer_line: outcome must be one of {VALUE}, {NOT_DONE}, {THREW}, but is {answer.outcome!r}")
    return ANSWER_MARK + json.dumps(record, separators=(",", ":"))


def parse_answer(line: str) -> Answer | None:
    """The answer one output line records, or None when the line is not an answer Exercise.record could have written:
    no mark, not a JSON object, an exercise id that is not a string, no label or no numeric tolerance."""
    if not line.startswith(ANSWER_MARK):
        return None
    try:
        record = json.loads(line[len(ANSWER_MARK):])
        if not isinstance(record, dict) or not isinstance(record.get("exercise"), str):
            return None
        return Answer(record["exercise"], str(record["label"]), float(record["tolerance"]), record.get("value"),
                      str(record.get("outcome", VALUE)), str(record.get("error", "")))
    except (ValueError, KeyError, TypeError, RecursionError):
        return None


def answers_in(text: str, exercise: str) -> list[Answer]:
    """The answers for `exercise` among the lines of one stdout output, in order."""
    return [answer for answer in map(parse_answer, text.splitlines())
            if answer is not None and answer.exercise == exercise]
