"""The HTML book: an index with the curriculum map, one page a notebook, every plot embedded, nothing fetched
from the network."""
import html
import json
import re

import nbformat
import pytest

from unrolledtools.book import coverage, render as book, run
from unrolledtools.common import browser, paths
from unrolledtools.notebooks import execute


def test_index_links_every_notebook(book_pages):
    out, pages = book_pages
    index = (out / "index.html").read_text(encoding="utf-8")
    for source in paths.notebook_sources():
        assert f'href="{source.stem}.html"' in index, f"index.html does not link {source.stem}.html"
    assert "Curriculum map" in index


def test_every_page_embeds_all_its_plots(book_pages, executed):
    out, pages = book_pages
    assert len(pages) == len(paths.notebook_sources()), "a notebook failed to execute, so its page is missing"
    for page in pages:
        html = (out / page.file).read_text(encoding="utf-8")
        embedded = len(re.findall(r'<img[^>]+src="data:image/png;base64,', html))
        assert embedded == page.images, f"{page.file}: {page.images} plots executed, {embedded} embedded"
    assert sum(p.images for p in pages) > 0


def test_the_question_index_links_land_on_headings_of_the_executed_pages(book_pages):
    out, pages = book_pages
    index = (out / book.QUESTIONS_PAGE).read_text(encoding="utf-8")
    links = re.findall(r'<a href="(\d\d-[\w-]+\.html)#([^"]+)"', index)
    assert links
    for target, anchor in links:
        assert f'id="{html.unescape(anchor)}"' in (out / target).read_text(encoding="utf-8"), f"{target}#{anchor}"


def test_pages_load_nothing_from_the_network(book_pages):
    out, pages = book_pages
    for page in pages:
        html = (out / page.file).read_text(encoding="utf-8")
        remote = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(https?:[^"]+)"', html)
        assert not remote, f"{page.file} loads {remote}"


def test_pages_use_the_books_own_mathjax(book_pages):
    out, pages = book_pages
    assert (out / "_static" / "mathjax" / "MathJax.js").is_file()
    assert (out / "_static" / "mathjax" / "config" / "TeX-AMS_CHTML.js").is_file()
    for page in pages:
        assert 'src="_static/mathjax/MathJax.js?config=TeX-AMS_CHTML"' in (out / page.file).read_text(encoding="utf-8")


def test_links_between_notebooks_point_to_pages(book_pages):
    out, pages = book_pages
    for page in pages:
        html = (out / page.file).read_text(encoding="utf-8")
        assert not re.search(r'href="\d\d-[\w-]+\.ipynb', html), f"{page.file} links a .ipynb instead of a page"


def test_the_map_lists_questions_from_cell_tags():
    import nbformat
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# 99 · T\n\nFirst words."),
                nbformat.v4.new_code_cell("x", metadata={"tags": ["q-B02", "other"]}),
                nbformat.v4.new_code_cell("y", metadata={"tags": ["q-A01", "q-B02"]})]
    assert book.questions_of(nb) == ["B02", "A01"]
    assert book.title_of(nb, "fallback") == "99 · T"
    assert book.summary_of(nb) == "First words."


def test_links_to_notebooks_and_their_sections_lead_to_pages_in_prose_and_in_outputs(tmp_path):
    import nbformat
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Java", "language": "java", "name": "java"}
    card = ('<div class="unrolled-card"><a href="05-lstm.ipynb#The-gates">In depth</a> '
            '<a href="#card-A01">A01</a> <a href="https://example.org/x.ipynb">far</a></div>')
    nb.cells = [nbformat.v4.new_markdown_cell("# 99 · Links\n\nSee [notebook 02](./02-bptt.ipynb#Summary)."),
                nbformat.v4.new_code_cell("Questions.show(\"A01\");", outputs=[nbformat.v4.new_output(
                    "display_data", data={"text/html": card, "text/plain": "A01"})])]
    source = tmp_path / "99-links.ipynb"
    nbformat.write(nb, source)
    book.build([source], tmp_path / "book")
    page = (tmp_path / "book" / "99-links.html").read_text(encoding="utf-8")
    assert 'href="./02-bptt.html#Summary"' in page, "a link in prose keeps its section"
    assert 'href="05-lstm.html#The-gates"' in page, "a card's link in an output keeps its section"
    assert 'href="#card-A01"' in page and 'href="https://example.org/x.ipynb"' in page, "other links are left alone"


# --- the book a reader would choose (learner edition, navigation, search, phone, print, accessibility) -------------


def _notebook(*cells):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Java", "language": "java", "name": "java"}
    nb.metadata["language_info"] = {"name": "java"}
    nb.cells = list(cells)
    return nb


def _code(source, *tags, outputs=()):
    return nbformat.v4.new_code_cell(source, metadata={"tags": list(tags)}, outputs=list(outputs))


def _said(text):
    return nbformat.v4.new_output("display_data", data={"text/html": f"<b>{text}</b>", "text/plain": text})


SOLVED = "int twice(int x) {\n    // BEGIN SOLUTION\n    return x + x; // the secret\n    // END SOLUTION\n}"
CHECK = 'Exercise.check("9.1", "twice", () -> twice(3) == 6 ? null : "twice(3) should be 6");'


def _instructor():
    return _notebook(_code("%jars /somewhere/lib/target/unrolled.jar\n%load /somewhere/notebooks/init.jsh",
                           outputs=[nbformat.v4.new_output("stream", name="stdout", text="/somewhere/lib\n")]),
                     nbformat.v4.new_markdown_cell("# 99 · Exercises\n\n## Review checklist\n\n"
                                                   "- [ ] I can say why, and\n      what follows.\n- [x] Done."),
                     _code(SOLVED, "exercise-9.1"),
                     _code(CHECK, "check-9.1", outputs=[_said("Exercise 9.1: passed")]),
                     _code('Exercise.check("9.1", "twice, big", () -> null);', "hidden-check-9.1",
                           outputs=[_said("Exercise 9.1: passed (hidden)")]),
                     _code('Exercise.record("9.1", "x=7", () -> twice(7), 0);', "grade-9.1"))


def _learner():
    return _notebook(_code("int twice(int x) {\n    throw Exercise.todo();\n}", "exercise-9.1"),
                     _code(CHECK, "check-9.1", outputs=[_said("Exercise 9.1: not yet")]))


def test_the_learner_edition_shows_the_stub_and_its_not_yet_and_folds_our_solution():
    nb = book.learner_notebook(_instructor(), _learner(), "99-x.ipynb")
    sources = [c.source for c in nb.cells]
    assert "throw Exercise.todo();" in sources[2] and "the secret" not in sources[2]
    assert nb.cells[3].outputs[0]["data"]["text/plain"] == "Exercise 9.1: not yet"
    assert not any("hidden" in s for s in sources), "hidden checks are the autograder's, not the reader's"
    assert not any("Exercise.record" in s for s in sources), "so are grading cells"
    disclosure = nb.cells[4]
    assert disclosure.cell_type == "raw" and disclosure.source.startswith('<details class="solution"')
    assert "the secret" in disclosure.source and "Exercise 9.1: passed" in disclosure.source
    assert "(hidden)" not in disclosure.source
    assert book.solution_texts(_instructor()) == ["return x + x; // the secret"]


def test_a_learner_run_without_the_exercise_is_named():
    with pytest.raises(ValueError, match="99-x.ipynb: the learner's run has no cell tagged exercise-9.1"):
        book.learner_notebook(_instructor(), _notebook(), "99-x.ipynb")


def test_both_editions_leave_out_the_loading_cell_and_show_checklists_as_checkboxes(tmp_path):
    source = tmp_path / "99-x.ipynb"
    nbformat.write(_instructor(), source)
    learner = tmp_path / "learner.ipynb"
    nbformat.write(_learner(), learner)
    for edition, runs in (("learner", {"99-x.ipynb": learner}), ("instructor", None)):
        out = tmp_path / edition
        book.build([source], out, learner_runs=runs)
        page = (out / "99-x.html").read_text(encoding="utf-8")
        assert "/somewhere" not in page and "%jars" not in page, f"{edition}: the loading cell is shown"
        assert '<li class="task"><label><input type="checkbox"> <span>I can say why, and\nwhat follows.</span>' in page
        assert '<input type="checkbox" checked> <span>Done.</span>' in page
        assert "[ ]" not in page and "<pre><code>what follows" not in page
        shown = re.sub(r"<[^>]+>", "", page.split('<details class="solution"')[0])
        assert ("the secret" in shown) == (edition == "instructor")
        download = nbformat.read(out / "notebooks" / "99-x.ipynb", as_version=4)
        assert ("the secret" in nbformat.writes(download)) == (edition == "instructor")
        assert not any(c.get("outputs") for c in download.cells if c.cell_type == "code")


def test_every_page_has_lang_viewport_the_shared_stylesheet_sidebar_and_titled_prev_next(book_pages):
    out, pages = book_pages
    files = [p.file for p in pages]
    for file in files + ["index.html", book.QUESTIONS_PAGE]:
        page = (out / file).read_text(encoding="utf-8")
        assert '<html lang="en">' in page and 'name="viewport"' in page, file
        assert f'href="{book.STYLESHEET}"' in page and "<style" not in page, f"{file} inlines a stylesheet"
        assert all(f'href="{other}"' in page for other in files), f"{file}: the sidebar misses a chapter"
    middle = (out / files[1]).read_text(encoding="utf-8")
    assert f'rel="prev" href="{files[0]}"><span>Previous</span> {html.escape(pages[0].title)}' in middle
    assert f'rel="next" href="{files[2]}"><span>Next</span> {html.escape(pages[2].title)}' in middle
    assert 'aria-label="On this page"' in middle and 'href="notebooks/' in middle


def test_no_page_shows_an_absolute_path_of_the_machine(book_pages):
    out, pages = book_pages
    machine = {str(paths.ROOT), "/work/", "/root/", "/home/", "/tmp/", "/usr/"}
    for path in sorted(out.rglob("*")):
        if path.suffix in {".html", ".ipynb"} or path.name == "search-data.js":
            text = path.read_text(encoding="utf-8")
            found = sorted(m for m in machine if m in text)
            assert not found, f"{path.relative_to(out)} shows {found}"


def test_every_plot_has_the_librarys_description_as_alt_text(book_pages):
    out, pages = book_pages
    for page in pages:
        alts = re.findall(r'<img src="data:image/png;base64,[^"]*" alt="([^"]*)"', (out / page.file).read_text("utf-8"))
        assert len(alts) == page.images, page.file
        for alt in alts:
            assert re.match(r'(Chart|Heatmap|Document attention) &quot;|Diagram: ', alt), f"{page.file}: alt {alt!r}"


def test_the_book_without_its_plots_weighs_under_5_mb(book_pages):
    """What a reader's browser loads, plots aside: pages, stylesheet, scripts, search data, MathJax. The notebooks to
    download (notebooks/) are files to take away, which no page loads."""
    out, pages = book_pages
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file() and "notebooks" not in p.relative_to(out).parts)
    plots = sum(len(m) for p in out.glob("*.html")
                for m in re.findall(r"data:image/png;base64,[^\"]*", p.read_text(encoding="utf-8")))
    assert total - plots < 5_000_000, (f"the book weighs {total / 1e6:.1f} MB, {(total - plots) / 1e6:.1f} MB "
                                       "without its plots")


def test_the_book_reads_well_in_a_real_browser(book_pages, tmp_path):
    """Links, images and alt text, no network, no console error, axe-core, phone width, search, and no solution
    outside its disclosure (tools/browser/tests/book.mjs)."""
    out, pages = book_pages
    expected = {"solutions": {p.stem + ".html": book.solution_texts(nbformat.read(p, as_version=4))
                              for p in paths.notebook_sources()},
                "questions": [{"id": q.id, "question": q.question} for q in coverage.read_bank()]}
    (tmp_path / "expected.json").write_text(json.dumps(expected), encoding="utf-8")
    shots = tmp_path / "phone"
    shots.mkdir()
    report = browser.run(browser.BROWSER_DIR / "tests" / "book.mjs", str(out), str(tmp_path / "expected.json"),
                         str(shots), timeout=3600)
    counts = json.loads(report.strip().splitlines()[-1])
    # the notebooks, the contents, the question index and the extra pages (the drill, the cheat sheet)
    assert counts["pages"] == len(pages) + 2 + len(book.EXTRA_PAGES)
    assert counts["images"] == sum(p.images for p in pages)
    assert counts["axe"]["serious"] == 0 and counts["axe"]["critical"] == 0
    assert len(list(shots.glob("*.png"))) == counts["pages"]


def test_the_whole_book_prints_to_one_pdf_with_every_answer_open(tmp_path):
    source = tmp_path / "99-x.ipynb"
    nbformat.write(_instructor(), source)
    out = tmp_path / "book"
    built = book.build([source], out)
    printed = book.pdf(out, tmp_path / "book.pdf", [p.file for p in built])
    assert (tmp_path / "book.pdf").read_bytes().startswith(b"%PDF")
    assert int(re.search(r": (\d+) pages", printed).group(1)) >= 2, printed
    whole = (out / book.PRINT_PAGE).read_text(encoding="utf-8")
    assert whole.count('class="print-chapter"') == 3 and not re.search(r"<details(?![^>]*\bopen\b)", whole)


def test_run_replays_the_learners_stub_and_check_after_the_notebook_in_the_same_kernel(tmp_path):
    nb = _instructor()
    nb.cells[0] = _code(f"%jars {paths.LIB_JAR}\n%load {paths.NOTEBOOKS / 'init.jsh'}")
    del nb.cells[4]  # the hidden check: only the autograder runs it
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    source = tmp_path / "99-x.ipynb"
    nbformat.write(nb, source)
    result = execute.execute(source, tmp_path, append=run.learner_cells(nb, source.name))
    assert result.ok, result.failure and result.failure.describe()
    assert len(result.executed.cells) == len(nb.cells), "the replayed cells are not part of the executed notebook"
    assert "passed" in result.executed.cells[3].outputs[0]["data"]["text/plain"]
    stub, check = result.appended
    assert "throw Exercise.todo();" in stub.source and "the secret" not in stub.source
    assert "not yet" in check.outputs[0]["data"]["text/plain"]


def test_without_the_search_library_the_book_builds_without_a_search_box(tmp_path, monkeypatch):
    monkeypatch.setattr(book, "MINISEARCH", tmp_path / "missing.js")
    source = tmp_path / "99-x.ipynb"
    nbformat.write(_instructor(), source)
    book.build([source], tmp_path / "book")
    assert "book-search-input" not in (tmp_path / "book" / "99-x.html").read_text(encoding="utf-8")
    assert not (tmp_path / "book" / book.STATIC / "search-data.js").exists()
