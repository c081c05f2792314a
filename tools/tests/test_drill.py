"""The interview drill: every question has a complete rubric, the drill and cheat-sheet pages build from the bank
alone and load nothing from the network, the scheduler is vendored or the build says why not, and in a real browser
the flashcards, the mock interview, export and import behave as a learner needs (tools/browser/tests/drill.mjs);
the cheat sheet prints to a PDF of exactly its pages."""
import json
import re
import subprocess

import pytest

from unrolledtools.book import coverage, drill, render as book
from unrolledtools.common import browser, paths


@pytest.fixture(scope="module")
def drill_book(tmp_path_factory):
    out = tmp_path_factory.mktemp("drill-book")
    drill.build(out)
    return out


def test_every_question_of_the_bank_has_a_complete_rubric_and_nothing_else():
    rubrics = drill.read_rubrics()
    assert list(rubrics) == [q.id for q in coverage.read_bank()]
    assert len(rubrics) == 95


def _lines(rubric):
    return [*rubric.points, *rubric.red_flags, rubric.follow_up, rubric.follow_up_answer]


def test_rubric_parameter_counts_name_their_convention():
    # two bias vectors per layer is PyTorch's and cuDNN's count, one is Keras's; a bare formula invites the classic slip
    for id_, rubric in drill.read_rubrics().items():
        for line in _lines(rubric):
            for formula in re.findall(r"\d?H\(D \+ H \+ [12]\)", line):
                assert ("PyTorch" in line or "Keras" in line), f"{id_}: {formula} without its convention: {line}"
            if re.search(r"4H\(D \+ H \+ 2\)", line):
                assert "PyTorch" in line, f"{id_}: the two-bias LSTM count is PyTorch's: {line}"
            if re.search(r"4H\(D \+ H \+ 1\)", line):
                assert "Keras" in line, f"{id_}: the one-bias LSTM count is Keras's: {line}"


def test_rubrics_keep_the_teacher_forcing_and_exposure_bias_facts():
    rubrics = drill.read_rubrics()
    for id_ in ("A10", "B24"):
        assert any("recurrence" in p and "step by step" in p for p in rubrics[id_].points), id_
        assert any("parallel" in f for f in rubrics[id_].red_flags), id_
        assert any("beam search" in p.lower() and "not" in p for p in rubrics[id_].points), id_
    assert any("Beam search does not cure it" in p for p in rubrics["B69"].points)
    assert any("beam search fixes exposure bias" in f.lower() for f in rubrics["B69"].red_flags)


def test_rubric_problems_are_named_one_by_one():
    good = {"points": ["a", "b", "c"], "red_flags": ["x"], "follow_up": {"question": "q?", "answer": "a."}}
    raw = {"A01": good, "A02": {**good, "points": ["only", "two"]}, "A03": {**good, "follow_up": {"question": "q?"}},
           "Z99": good}
    problems = drill.rubric_problems(raw, ["A01", "A02", "A03", "A04"])
    assert problems == ["A04: no rubric", "Z99: a rubric for a question the bank does not have",
                        "A02: points must be 3 to 6 non-empty strings",
                        "A03: follow_up must hold a non-empty question and answer"]
    assert drill.rubric_problems(raw, ["A01"])[0] == "A02: a rubric for a question the bank does not have"


def test_a_broken_rubrics_file_stops_the_build_naming_the_file(tmp_path):
    broken = tmp_path / "rubrics.json"
    broken.write_text('{"A01": ', encoding="utf-8")
    with pytest.raises(drill.DrillBuildError, match=r"rubrics\.json: cannot be read as JSON"):
        drill.read_rubrics(broken)


def test_the_build_stops_clearly_when_the_scheduler_is_not_installed(tmp_path, monkeypatch):
    monkeypatch.setattr(drill, "FSRS_BUNDLE", tmp_path / "missing" / "index.umd.js")
    with pytest.raises(drill.DrillBuildError) as raised:
        drill.build(tmp_path / "book")
    message = str(raised.value)
    assert f"ts-fsrs {drill.pinned_fsrs_version()} (npm), is not installed" in message
    assert "npm ci` in tools/browser" in message


def test_the_deck_holds_every_card_with_its_rubric_and_the_sections_teaching_it(drill_book):
    source = (drill_book / drill.STATIC / "deck.js").read_text(encoding="utf-8")
    deck = json.loads(source[source.index("{"):source.rindex("}") + 1])
    cards = {c["id"]: c for c in deck["cards"]}
    assert len(cards) == 95
    lstm = cards["B14"]
    assert lstm["difficulty"] == "Hard" and lstm["notebook"] == "05" and lstm["page"] == "05-lstm.html"
    assert lstm["points"] == list(drill.read_rubrics()["B14"].points)
    # the same links as the book's question index: read from the sources' q-<ID> tags
    expected = drill.sections_from_sources(paths.notebook_sources())["B14"]
    assert [link["href"] for link in lstm["links"]] == [s.href for s in expected]
    assert all(card["links"] for card in cards.values()), "every question is taught in a tagged section"
    assert "</script" not in source.lower()


def test_the_pages_load_nothing_from_the_network_and_vendor_the_pinned_scheduler(drill_book):
    for name in (drill.DRILL_PAGE, drill.CHEATSHEET_PAGE):
        text = (drill_book / name).read_text(encoding="utf-8")
        assert not re.search(r'(src|href)="(https?:)?//', text), name
        for ref in re.findall(r'(?:src|href)="([^"#?]+)', text):
            if ref.startswith("_static/"):
                assert (drill_book / ref).is_file(), f"{name} refers to {ref}, which the build did not write"
    notebooks = {p.stem + ".html" for p in paths.notebook_sources()}
    sheet = (drill_book / drill.CHEATSHEET_PAGE).read_text(encoding="utf-8")
    pages = set(re.findall(r'href="(\d\d-[\w-]+\.html)"', sheet))
    assert pages and pages <= notebooks, f"the cheat sheet links notebooks that do not exist: {pages - notebooks}"
    bundle = (drill_book / drill.STATIC / "ts-fsrs.umd.js").read_text(encoding="utf-8")
    assert f'const version="{drill.pinned_fsrs_version()}"' in bundle


def test_the_contents_page_links_the_drill_and_the_cheat_sheet():
    page = book.index_html([], "", (95, 95))
    assert 'href="drill.html"' in page and 'href="cheatsheet.html"' in page


def test_a_learner_drills_in_a_real_browser(drill_book):
    out = browser.run(browser.BROWSER_DIR / "tests" / "drill.mjs", str(drill_book), timeout=420)
    assert "checked in" in out
    print(out)


def test_the_cheat_sheet_command_prints_a_pdf_of_exactly_its_pages(tmp_path):
    pdf = tmp_path / "sheet.pdf"
    done = subprocess.run([str(paths.ROOT / "unrolled"), "cheatsheet", "--out", str(pdf)], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    pages = len(re.findall(r'<section class="page"', (paths.ROOT / "tools" / "drill" / "cheatsheet.html")
                           .read_text(encoding="utf-8")))
    assert pages == 4
    sheet = (paths.ROOT / "tools" / "drill" / "cheatsheet.html").read_text(encoding="utf-8")
    for fact in ("4H(D + H + 1)", "4H(D + H + 2)", "3H(D + H + 2)",
                 "<b>Beam search is not a remedy</b> for exposure bias", "recurrence stays <b>sequential</b>",
                 "<b>9,625,600</b>", "<b>9,633,792</b>"):
        assert fact in sheet, fact
    # one printed page per sheet: a sheet that overflows its page adds one and fails here
    assert done.stdout.strip() == f"{pdf}: {pages} pages"
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_the_cheat_sheet_command_names_what_is_missing_to_print(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(browser, "CHROMIUM", tmp_path / "no-chromium")
    assert drill.main(["--out", str(tmp_path / "sheet.pdf")]) == 2
    assert f"printing needs chromium at {tmp_path / 'no-chromium'} (Debian package chromium)" in capsys.readouterr().err
    assert not (tmp_path / "sheet.pdf").exists()
