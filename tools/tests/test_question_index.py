"""The book's question index and the coverage count: every question of the bank listed with its difficulty,
linked to the sections whose cells carry its tag, every link landing on a heading of the page it names."""
import html
import re

import nbformat
import pytest

from unrolledtools.book import coverage, render as book
from unrolledtools.common import paths


def notebook(*cells):
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": "java", "display_name": "Java", "language": "java"}}
    nb.cells = list(cells)
    return nb


def md(source, *tags):
    return nbformat.v4.new_markdown_cell(source, metadata={"tags": list(tags)})


def code(source, *tags):
    return nbformat.v4.new_code_cell(source, metadata={"tags": list(tags)})


def test_a_tagged_cell_belongs_to_its_own_heading_or_the_last_one_above():
    nb = notebook(md("# 99 · Title"), code("Questions.show(\"A01\");", "q-A01"),
                  md("## First part\n\nText.", "q-A02"), code("x", "q-A02", "q-B07"),
                  md("Prose only.\n\n```\n# not a heading\n```"), code("y", "q-B07"),
                  md("### A subsection\n## Second part", "q-A02"),
                  md("Closing words of the second part.\n\n## Third part", "q-B08"))
    found = book.sections_of(nb, "99-t.html", "99 · Title")
    assert [s.heading for s in found["A01"]] == ["99 · Title"]
    assert [s.heading for s in found["A02"]] == ["First part", "A subsection"]
    assert [s.heading for s in found["B07"]] == ["First part"], "one section listed once, however many cells"
    assert found["A02"][0].href == "99-t.html#First-part"
    assert [s.heading for s in found["B08"]] == ["Second part"], "prose before a heading belongs to the section above"


def test_headings_inside_code_fences_are_not_headings():
    assert book.headings_in("# Title\n```java\n# comment\n```\n## Part") == ["Title", "Part"]


@pytest.fixture(scope="module")
def source_book(tmp_path_factory):
    """The book built from the notebook sources as stored (no outputs): enough for headings and tags."""
    out = tmp_path_factory.mktemp("book")
    book.build(paths.notebook_sources(), out)
    return out


def test_the_index_lists_every_question_of_the_bank_with_its_difficulty(source_book):
    page = (source_book / book.QUESTIONS_PAGE).read_text(encoding="utf-8")
    bank = coverage.read_bank()
    assert len(bank) == 95
    for q in bank:
        row = re.search(rf'<tr id="{q.id}">(.*?)</tr>', page, re.S)
        assert row, f"{q.id} is missing from the question index"
        assert html.escape(q.question) in row.group(1)
        assert f">{q.difficulty}</span>" in row.group(1)


def test_every_tagged_question_links_to_a_heading_that_exists_on_its_page(source_book):
    page = (source_book / book.QUESTIONS_PAGE).read_text(encoding="utf-8")
    links = re.findall(r'<a href="(\d\d-[\w-]+\.html)#([^"]+)"', page)
    assert links, "no section links in the question index"
    for target, anchor in links:
        assert f'id="{html.unescape(anchor)}"' in (source_book / target).read_text(encoding="utf-8"), (
            f"{target}#{anchor} does not exist")
    for source in paths.notebook_sources():
        for id_ in coverage.tagged_ids(nbformat.read(source, as_version=4)):
            row = re.search(rf'<tr id="{id_}">(.*?)</tr>', page, re.S).group(1)
            assert f'href="{source.stem}.html' in row, (
                f"{id_} is tagged in {source.name} but the index does not link it")


def test_the_contents_page_links_the_question_index_with_the_count(source_book):
    index = (source_book / "index.html").read_text(encoding="utf-8")
    covered = coverage.coverage()
    assert f'href="{book.QUESTIONS_PAGE}"' in index
    assert f"{len(covered.covered)} of {covered.total} answered" in index


def test_coverage_counts_ids_both_answered_and_tagged(tmp_path):
    bank = tmp_path / "questions.tsv"
    bank.write_text("\t".join(coverage.BANK_COLUMNS) + "\n"
                    "A01\tEasy\tTime\tEssentials\tQ one?\tAnswer one.\t01-x.ipynb\n"
                    "A02\tMedium\tTime\tEssentials\tQ two?\tAnswer two.\t\n"
                    "A03\tHard\tTime\tEssentials\tQ three?\t\t\n"
                    "A04\tHard\tTime\tEssentials\tQ four?\t\t\n", encoding="utf-8")
    source = tmp_path / "01-x.ipynb"
    nbformat.write(notebook(md("# 01 · X"), code("a", "q-A01"), code("b", "q-A03", "q-Z99")), source)
    result = coverage.coverage([source], bank)
    assert result.summary() == "1/4"
    assert result.covered == ["A01"]
    assert result.missing == ["A02", "A03", "A04"]
    assert result.unknown_tags == ["Z99"]
    report = result.report()
    assert "Questions covered: 1/4" in report
    assert "answered in the bank, but no notebook cell is tagged: A02" in report
    assert "tagged in a notebook, but no answer in the bank: A03" in report
    assert "q-Z99" in report
    with pytest.raises(AssertionError, match="missing \\(3\\): A02, A03, A04"):
        coverage.require_full_coverage([source], bank)


def test_full_coverage_passes_the_helper(tmp_path):
    bank = tmp_path / "questions.tsv"
    bank.write_text("\t".join(coverage.BANK_COLUMNS) + "\nA01\tEasy\tTime\tEssentials\tQ?\tA.\t01-x.ipynb\n",
                    encoding="utf-8")
    source = tmp_path / "01-x.ipynb"
    nbformat.write(notebook(md("# 01 · X"), code("a", "q-A01")), source)
    coverage.require_full_coverage([source], bank)


def test_a_malformed_bank_row_is_named_by_line(tmp_path):
    bank = tmp_path / "questions.tsv"
    bank.write_text("\t".join(coverage.BANK_COLUMNS) + "\nA01\tEasy\tonly three\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 2: expected 7 tab-separated columns, found 3"):
        coverage.read_bank(bank)


def test_the_project_coverage_is_computed_from_the_sources():
    result = coverage.coverage()
    assert result.total == 95
    assert not result.unknown_tags, f"cells tagged with ids that are not in the bank: {result.unknown_tags}"
    assert set(result.covered) <= {q.id for q in coverage.read_bank() if q.answer}


def test_every_one_of_the_95_questions_is_answered_and_tagged_in_a_notebook():
    coverage.require_full_coverage()
    assert coverage.coverage().total == 95
