"""The HTML book: an index with the curriculum map, one page a notebook, every plot embedded, nothing fetched
from the network."""
import html
import re

from unrolledtools import book, paths


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
