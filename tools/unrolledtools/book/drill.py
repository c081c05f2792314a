"""The interview drill of the book: drill.html (flashcards scheduled by spaced repetition, and a timed mock
interview) and cheatsheet.html (the essentials of every topic on a few printable pages).

Both pages are built from the question bank, the rubrics beside it and the notebook sources' `q-<ID>` cell tags
alone, so they need no executed notebook. The deck is embedded as a script (`_static/drill/deck.js`), not fetched,
so the pages work from `file://`. The scheduler is FSRS as implemented by the npm package ts-fsrs, pinned in
tools/browser/package.json and copied into the book at build time; the build stops with a clear message when it is
not installed.

    python3 -m unrolledtools.book.drill cheatsheet [--out FILE.pdf]   # what `./unrolled cheatsheet` runs
"""
from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from ..common import browser, paths
from . import coverage, render

RUBRICS = paths.ROOT / "lib" / "src" / "main" / "resources" / "unrolled" / "rubrics.json"
ASSETS = paths.ROOT / "tools" / "drill"
PACKAGE_JSON = browser.BROWSER_DIR / "package.json"
FSRS_PACKAGE = browser.BROWSER_DIR / "node_modules" / "ts-fsrs"
FSRS_BUNDLE = FSRS_PACKAGE / "dist" / "index.umd.js"
STATIC = "_static/drill"
DRILL_PAGE = "drill.html"
CHEATSHEET_PAGE = "cheatsheet.html"
CHEATSHEET_PDF = paths.BUILD / "cheatsheet.pdf"
RUBRIC_LIMITS = {"points": (3, 6), "red_flags": (1, 3)}


class DrillBuildError(RuntimeError):
    """The drill cannot be built: a rubric is missing or malformed, or the scheduler library is not installed."""


@dataclass(frozen=True)
class Rubric:
    """What an interviewer listens for in an answer to one question."""

    points: tuple[str, ...]  # the key points, 3 to 6
    red_flags: tuple[str, ...]  # common wrong or weak answers, 1 to 3
    follow_up: str  # the follow-up question
    follow_up_answer: str  # its short answer


def rubric_problems(raw: object, ids: list[str]) -> list[str]:
    """Every way the rubrics file fails to give each bank id exactly one complete rubric (empty when it does)."""
    if not isinstance(raw, dict):
        return [f"expected an object mapping question ids to rubrics, but found {type(raw).__name__}"]
    problems = [f"{i}: no rubric" for i in ids if i not in raw]
    problems += [f"{i}: a rubric for a question the bank does not have" for i in raw if i not in ids]
    for id_, entry in raw.items():
        if id_ not in ids:
            continue
        if not isinstance(entry, dict) or set(entry) != {"points", "red_flags", "follow_up"}:
            problems.append(f"{id_}: expected exactly the keys points, red_flags and follow_up")
            continue
        for key, (low, high) in RUBRIC_LIMITS.items():
            items = entry[key]
            if not isinstance(items, list) or not low <= len(items) <= high or not all(
                    isinstance(s, str) and s.strip() for s in items):
                problems.append(f"{id_}: {key} must be {low} to {high} non-empty strings")
        follow = entry["follow_up"]
        if not isinstance(follow, dict) or set(follow) != {"question", "answer"} or not all(
                isinstance(follow[k], str) and follow[k].strip() for k in ("question", "answer")):
            problems.append(f"{id_}: follow_up must hold a non-empty question and answer")
    return problems


def read_rubrics(path: Path = RUBRICS, bank: Path = coverage.BANK) -> dict[str, Rubric]:
    """The rubric of every bank question, in bank order. Raises DrillBuildError naming every problem."""
    ids = [q.id for q in coverage.read_bank(bank)]
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DrillBuildError(f"{path.name}: cannot be read as JSON ({error})") from None
    problems = rubric_problems(raw, ids)
    if problems:
        raise DrillBuildError(f"{path.name}: " + "; ".join(problems))
    return {i: Rubric(tuple(raw[i]["points"]), tuple(raw[i]["red_flags"]), raw[i]["follow_up"]["question"],
                      raw[i]["follow_up"]["answer"]) for i in ids}


def _number(notebook: str) -> str:
    match = re.match(r"(\d\d)-", notebook)
    return match.group(1) if match else ""


def sections_from_sources(notebooks: list[Path]) -> dict[str, list[render.Section]]:
    """For each question id, the book sections that answer it, read from the notebook sources' cell tags (the same
    links as the book's question index, without executing anything)."""
    found: dict[str, list[render.Section]] = {}
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        for id_, sections in render.sections_of(nb, path.stem + ".html", render.title_of(nb, path.stem)).items():
            found.setdefault(id_, []).extend(sections)
    return found


def deck(notebooks: list[Path] | None = None, bank: Path = coverage.BANK, rubrics: Path = RUBRICS) -> dict:
    """The deck the drill page embeds: every question with our answer, its rubric and the sections teaching it."""
    questions = coverage.read_bank(bank)
    rubric = read_rubrics(rubrics, bank)
    sections = sections_from_sources(paths.notebook_sources() if notebooks is None else notebooks)
    titles = {s.page: s.notebook for found in sections.values() for s in found}
    cards = []
    for q in questions:
        r = rubric[q.id]
        links = [{"href": s.href, "label": s.notebook + (f" › {render._plain(s.heading)}"
                                                         if s.heading and s.heading != s.notebook else "")}
                 for s in sections.get(q.id, [])]
        page = q.where.replace(".ipynb", ".html")
        cards.append({
            "id": q.id, "difficulty": q.difficulty, "tags": list(q.tags), "topic": q.tags[0] if q.tags else "Other",
            "section": q.section, "question": q.question, "answer": q.answer,
            "notebook": _number(q.where), "page": page, "notebookTitle": titles.get(page, q.where),
            "points": list(r.points), "redFlags": list(r.red_flags),
            "followUp": r.follow_up, "followUpAnswer": r.follow_up_answer, "links": links})
    return {"format": "unrolled-drill-deck", "version": 1, "cards": cards}


def pinned_fsrs_version() -> str:
    return json.loads(PACKAGE_JSON.read_text(encoding="utf-8"))["dependencies"]["ts-fsrs"]


def _vendor_fsrs(target: Path) -> None:
    """Copies ts-fsrs's browser bundle (and its licence) into the book, after checking it is the pinned version."""
    pinned = pinned_fsrs_version()
    if not FSRS_BUNDLE.is_file():
        raise DrillBuildError(
            f"the drill's scheduler, ts-fsrs {pinned} (npm), is not installed: expected its browser bundle at "
            "tools/browser/node_modules/ts-fsrs/dist/index.umd.js. Install it with `npm ci` in tools/browser "
            "(./unrolled setup does it).")
    installed = json.loads((FSRS_PACKAGE / "package.json").read_text(encoding="utf-8")).get("version")
    if installed != pinned:
        raise DrillBuildError(f"tools/browser/node_modules holds ts-fsrs {installed}, but package.json pins {pinned}; "
                              "run `npm ci` in tools/browser.")
    shutil.copy2(FSRS_BUNDLE, target / "ts-fsrs.umd.js")
    shutil.copy2(FSRS_PACKAGE / "LICENSE", target / "ts-fsrs.LICENSE.txt")


def _page(name: str, **values: str) -> str:
    text = (ASSETS / name).read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    if "{{" in text:
        raise DrillBuildError(f"{name}: a placeholder was left unfilled: {re.search(r'{{[^}]*}}', text).group(0)}")
    return text


def write_cheatsheet(out: Path) -> Path:
    """Writes out/cheatsheet.html and its stylesheet; returns the page's path."""
    static = out / STATIC
    static.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ASSETS / "cheatsheet.css", static / "cheatsheet.css")
    page = out / CHEATSHEET_PAGE
    page.write_text(_page("cheatsheet.html", static=STATIC), encoding="utf-8")
    return page


def build(out: Path, notebooks: list[Path] | None = None) -> list[Path]:
    """Writes drill.html, cheatsheet.html and their assets into the book folder `out`; returns the pages written."""
    static = out / STATIC
    static.mkdir(parents=True, exist_ok=True)
    _vendor_fsrs(static)
    data = deck(notebooks)
    # "</" cannot close the script element early when escaped as "<\/"
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    (static / "deck.js").write_text(f"window.UNROLLED_DECK = {payload};\n", encoding="utf-8")
    for asset in ("drill.js", "drill.css"):
        shutil.copy2(ASSETS / asset, static / asset)
    topics = sorted({c["topic"] for c in data["cards"]})
    drill = out / DRILL_PAGE
    drill.write_text(_page("drill.html", static=STATIC, count=str(len(data["cards"])),
                           topics="".join(f'<option value="{html.escape(t)}">{html.escape(t)}</option>'
                                          for t in topics),
                           notebooks="".join(
                               f'<option value="{n}">{html.escape(t)}</option>' for n, t in sorted(
                                   {(c["notebook"], c["notebookTitle"]) for c in data["cards"]}))),
                     encoding="utf-8")
    return [drill, write_cheatsheet(out)]


def print_cheatsheet(pdf: Path = CHEATSHEET_PDF) -> str:
    """Prints the cheat sheet to `pdf` with Debian's chromium; returns pdf.mjs's report (the path and page count)."""
    with tempfile.TemporaryDirectory(prefix="unrolled-cheatsheet-") as tmp:
        page = write_cheatsheet(Path(tmp))
        pdf.parent.mkdir(parents=True, exist_ok=True)
        return browser.run(browser.BROWSER_DIR / "pdf.mjs", str(page), str(pdf.resolve()), "--format", "A4").strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./unrolled cheatsheet",
                                     description="Print the interview cheat sheet to PDF with Debian's chromium.")
    parser.add_argument("--out", type=Path, default=CHEATSHEET_PDF,
                        help="the PDF to write (default build/cheatsheet.pdf)")
    args = parser.parse_args(argv)
    if args.out.suffix.lower() != ".pdf":
        parser.error(f"--out must name a .pdf file, but is {args.out}")
    lacking = browser.missing()
    if lacking:
        print(f"cheatsheet: printing needs {', '.join(lacking)}; ./unrolled test installs them "
              "(or: apt-get install chromium nodejs npm, then npm ci in tools/browser)", file=sys.stderr)
        return 2
    try:
        print(print_cheatsheet(args.out))
    except browser.BrowserScriptFailed as failed:
        print(f"cheatsheet: {failed}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
