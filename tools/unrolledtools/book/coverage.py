"""Which interview questions the curriculum answers, computed rather than claimed.

A question counts as covered when the question bank (lib/src/main/resources/unrolled/questions.tsv) holds an
answer for it AND at least one notebook cell carries its tag `q-<ID>`. `./unrolled coverage` prints the count and
the ids still missing, with the reason for each.
"""
from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ..common import paths

BANK = paths.ROOT / "lib" / "src" / "main" / "resources" / "unrolled" / "questions.tsv"
BANK_COLUMNS = ["id", "difficulty", "tags", "section", "question", "answer", "where"]


@dataclass(frozen=True)
class Question:
    """One row of the question bank."""

    id: str
    difficulty: str  # Easy, Medium or Hard
    tags: tuple[str, ...]
    section: str
    question: str
    answer: str  # HTML, our own words; empty while no notebook answers it yet
    where: str


def read_bank(path: Path = BANK) -> list[Question]:
    """The question bank in file order. Fails naming the file and line when a row is malformed."""
    with path.open(encoding="utf-8", newline="") as f:
        # quoted as the library's reader (Tablesaw) reads it: a field in double quotes, "" for a quote inside
        rows = list(csv.reader(f, delimiter="\t"))
    if not rows or rows[0] != BANK_COLUMNS:
        raise ValueError(f"{path}: the header must be {BANK_COLUMNS}, but is {rows[0] if rows else 'missing'}")
    questions = []
    for number, row in enumerate(rows[1:], 2):
        if len(row) != len(BANK_COLUMNS):
            raise ValueError(f"{path}, line {number}: expected {len(BANK_COLUMNS)} tab-separated columns, "
                             f"found {len(row)}")
        id_, difficulty, tags, section, question, answer, where = (c.strip() for c in row)
        questions.append(Question(id_, difficulty, tuple(t for t in tags.split(",") if t), section, question,
                                  answer, where))
    return questions


def tagged_ids(notebook: nbformat.NotebookNode) -> set[str]:
    """The ids of every `q-<ID>` cell tag in one notebook."""
    return {tag[2:] for cell in notebook.cells for tag in cell.get("metadata", {}).get("tags", [])
            if tag.startswith("q-")}


@dataclass
class Coverage:
    """Which bank ids are covered, and why the others are not; every list in bank order."""

    total: int
    order: list[str]  # every bank id
    covered: list[str]
    not_tagged: list[str]  # no notebook cell carries q-<ID>
    not_answered: list[str]  # the bank has no answer for it
    unknown_tags: list[str] = field(default_factory=list)  # q-<ID> tags naming no bank id

    @property
    def missing(self) -> list[str]:
        """Every bank id not covered."""
        covered = set(self.covered)
        return [i for i in self.order if i not in covered]

    @property
    def complete(self) -> bool:
        return not self.missing and not self.unknown_tags

    def summary(self) -> str:
        return f"{len(self.covered)}/{self.total}"

    def report(self) -> str:
        """What `./unrolled coverage` prints: the count, then the missing ids with their reasons."""
        lines = [f"Questions covered: {self.summary()} (answered in the question bank and tagged q-<ID> in a notebook)"]
        if self.missing:
            lines.append(f"  missing ({len(self.missing)}): {', '.join(self.missing)}")
        unanswered = set(self.not_answered)
        untagged = set(self.not_tagged)
        answered_only = [i for i in self.not_tagged if i not in unanswered]
        tagged_only = [i for i in self.not_answered if i not in untagged]
        if answered_only:
            lines.append(f"  answered in the bank, but no notebook cell is tagged: {', '.join(answered_only)}")
        if tagged_only:
            lines.append(f"  tagged in a notebook, but no answer in the bank: {', '.join(tagged_only)}")
        if self.unknown_tags:
            lines.append(f"  tags naming no question in the bank: {', '.join('q-' + t for t in self.unknown_tags)}")
        return "\n".join(lines)


def coverage(notebooks: list[Path] | None = None, bank: Path = BANK) -> Coverage:
    """Coverage of the bank by the notebook sources (default: every notebooks/NN-*.ipynb)."""
    questions = read_bank(bank)
    sources = paths.notebook_sources() if notebooks is None else notebooks
    tagged: set[str] = set()
    for source in sources:
        tagged |= tagged_ids(nbformat.read(source, as_version=4))
    order = [q.id for q in questions]
    known = set(order)
    return Coverage(
        total=len(questions),
        covered=[q.id for q in questions if q.id in tagged and q.answer],
        not_tagged=[q.id for q in questions if q.id not in tagged],
        not_answered=[q.id for q in questions if not q.answer],
        unknown_tags=sorted(tagged - known),
        order=order)


def require_full_coverage(notebooks: list[Path] | None = None, bank: Path = BANK) -> None:
    """Raises AssertionError with the report unless every bank id is answered and tagged (a one-line test)."""
    result = coverage(notebooks, bank)
    if not result.complete:
        raise AssertionError(result.report())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./unrolled coverage", description=__doc__.splitlines()[0])
    parser.add_argument("--require", action="store_true", help="exit 1 unless every question is covered")
    args = parser.parse_args(argv)
    result = coverage()
    print(result.report())
    return 1 if args.require and not result.complete else 0


if __name__ == "__main__":
    sys.exit(main())
