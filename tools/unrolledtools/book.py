"""Renders executed notebooks into an offline HTML book: index.html with the curriculum map, questions.html with
the question index (every interview question, linked to the sections whose cells are tagged q-<ID>), and one page
a notebook.

Images are embedded in the pages (data URIs), MathJax is copied from the distribution's package into the book,
and nothing is loaded from the network, so the book opens from a USB stick or a file share.
"""
from __future__ import annotations

import html
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

from . import coverage as coverage_
from .paths import ROOT

TEMPLATE_DIR = ROOT / "tools" / "book_template"
MATHJAX_SOURCES = [Path("/usr/share/javascript/mathjax"), Path("/usr/share/mathjax")]
# The parts of MathJax 2 that TeX input with CommonHTML output needs.
MATHJAX_PARTS = ["MathJax.js", "config/TeX-AMS_CHTML.js", "extensions", "jax/input/TeX", "jax/output/CommonHTML",
                 "jax/element", "fonts/HTML-CSS/TeX/woff", "localization/en"]
_NOTEBOOK_LINK = re.compile(r'href="((?:\./)?\d\d-[A-Za-z0-9_-]+)\.ipynb')
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_ID = re.compile(r'<h[1-6][^>]*\sid="([^"]+)"')
QUESTIONS_PAGE = "questions.html"
CHIP_COLOURS = {"Easy": "#2f855a", "Medium": "#b7791f", "Hard": "#c53030"}


@dataclass
class Page:
    """One notebook of the book, as the curriculum map lists it."""

    file: str  # NN-slug.html
    title: str
    summary: str
    questions: list[str]
    seconds: float | None
    images: int


def title_of(nb: nbformat.NotebookNode, fallback: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def summary_of(nb: nbformat.NotebookNode) -> str:
    """The first paragraph of prose after the title: what the notebook is about."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for paragraph in re.split(r"\n\s*\n", cell.source):
            text = paragraph.strip()
            if text and not text.startswith("#") and not text.startswith("<"):
                # Markdown emphasis and code marks go; LaTeX ($…$) stays for MathJax to typeset.
                return re.sub(r"\*\*|(?<![\w\\])\*|\*(?!\w)|`", "", " ".join(text.split()))
    return ""


def questions_of(nb: nbformat.NotebookNode) -> list[str]:
    """The interview questions a notebook answers: its cells' `q-<ID>` tags, in order of first appearance."""
    seen: list[str] = []
    for cell in nb.cells:
        for tag in cell.get("metadata", {}).get("tags", []):
            if tag.startswith("q-") and tag[2:] not in seen:
                seen.append(tag[2:])
    return seen


@dataclass(frozen=True)
class Section:
    """A place in the book that answers a question: a heading of a notebook's page."""

    page: str  # NN-slug.html
    notebook: str  # the notebook's title
    heading: str  # the heading's text as written in the notebook's Markdown
    anchor: str  # the id the page gives that heading; "" to link the page itself

    @property
    def href(self) -> str:
        return self.page + ("#" + self.anchor if self.anchor else "")


def headings_in(markdown: str) -> list[str]:
    """The text of every Markdown heading in a cell, in order (lines inside fenced code blocks are not headings)."""
    found, fenced = [], False
    for line in markdown.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and (match := _HEADING.match(line)) and match.group(2):
            found.append(match.group(2))
    return found


def heading_anchor(heading: str) -> str:
    """The id nbconvert gives a heading on the page (rendered by nbconvert's own Markdown renderer, so the two
    agree); "" when it gives none."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune
    match = _ID.search(markdown2html_mistune("## " + heading))
    return match.group(1) if match else ""


def sections_of(nb: nbformat.NotebookNode, page: str, title: str) -> dict[str, list[Section]]:
    """For each question id tagged in a notebook, the sections that answer it, in order: a tagged cell that opens
    with a heading belongs to that heading, any other to the last heading above it."""
    found: dict[str, list[Section]] = {}
    current = ""
    for cell in nb.cells:
        own = headings_in(cell.source) if cell.cell_type == "markdown" else []
        ids = [t[2:] for t in cell.get("metadata", {}).get("tags", []) if t.startswith("q-")]
        if ids:
            opens = own and headings_in(cell.source.strip().splitlines()[0]) == own[:1]
            heading = own[0] if opens else current
            section = Section(page, title, heading, heading_anchor(heading) if heading else "")
            for id_ in ids:
                if section not in found.setdefault(id_, []):
                    found[id_].append(section)
        if own:
            current = own[-1]
    return found


def count_images(nb: nbformat.NotebookNode) -> int:
    return sum(1 for cell in nb.cells if cell.cell_type == "code"
               for output in cell.get("outputs", []) if "image/png" in output.get("data", {}))


def _copy_mathjax(static: Path) -> str | None:
    source = next((p for p in MATHJAX_SOURCES if (p / "MathJax.js").is_file()), None)
    if source is None:
        return None
    target = static / "mathjax"
    for part in MATHJAX_PARTS:
        src = source / part
        if src.is_dir():
            shutil.copytree(src, target / part, dirs_exist_ok=True)
        elif src.is_file():
            (target / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target / part)
    return "_static/mathjax/MathJax.js?config=TeX-AMS_CHTML"


def _nav(pages: list[str], index: int) -> str:
    links = ['<a href="index.html">Unrolled: contents</a>', f'<a href="{QUESTIONS_PAGE}">question index</a>']
    if index > 0:
        links.append(f'<a href="{pages[index - 1]}">← previous</a>')
    if index + 1 < len(pages):
        links.append(f'<a href="{pages[index + 1]}">next →</a>')
    return " ".join(links)


def build(executed: list[Path], out: Path, seconds: dict[str, float] | None = None) -> list[Page]:
    """Writes out/index.html and out/NN-slug.html for each executed notebook; returns the curriculum map."""
    seconds = seconds or {}
    out.mkdir(parents=True, exist_ok=True)
    mathjax_url = _copy_mathjax(out / "_static") or ""
    exporter = HTMLExporter(template_name="unrolled", extra_template_basedirs=[str(TEMPLATE_DIR)])
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    files = [p.stem + ".html" for p in executed]
    pages: list[Page] = []
    sections: dict[str, list[Section]] = {}
    for i, path in enumerate(executed):
        nb = nbformat.read(path, as_version=4)
        title = title_of(nb, path.stem)
        resources = {"metadata": {"name": title}, "unrolled_nav": _nav(files, i), "unrolled_mathjax_url": mathjax_url}
        body, _ = exporter.from_notebook_node(nb, resources=resources)
        body = _NOTEBOOK_LINK.sub(r'href="\1.html', body)
        (out / files[i]).write_text(body, encoding="utf-8")
        pages.append(Page(files[i], title, summary_of(nb), questions_of(nb), seconds.get(path.name), count_images(nb)))
        for id_, found in sections_of(nb, files[i], title).items():
            sections.setdefault(id_, []).extend(found)
    questions = coverage_.read_bank()
    covered = sum(1 for q in questions if q.answer and sections.get(q.id))
    (out / "index.html").write_text(index_html(pages, mathjax_url, (covered, len(questions))), encoding="utf-8")
    (out / QUESTIONS_PAGE).write_text(question_index_html(questions, sections, mathjax_url), encoding="utf-8")
    from . import drill  # the drill imports this module for the question links
    drill.build(out)
    return pages


def _mathjax(mathjax_url: str) -> str:
    return "" if not mathjax_url else (
        '<script type="text/x-mathjax-config">MathJax.Hub.Config({tex2jax: {inlineMath: [["$","$"]], '
        f'processEscapes: true}}}});</script><script src="{mathjax_url}"></script>')


def _plain(markdown: str) -> str:
    """A heading's text for a link: Markdown emphasis and code marks dropped, LaTeX kept for MathJax."""
    return re.sub(r"\*\*|(?<![\w\\])\*|\*(?!\w)|`", "", markdown)


def question_index_html(questions: list[coverage_.Question], sections: dict[str, list[Section]],
                        mathjax_url: str = "") -> str:
    """questions.html: every question of the bank, grouped by its section, with its difficulty and links to the
    sections of the book whose cells are tagged with it."""
    covered = sum(1 for q in questions if q.answer and sections.get(q.id))
    groups: dict[str, list[coverage_.Question]] = {}
    for q in questions:
        groups.setdefault(q.section, []).append(q)
    parts = []
    for group, members in groups.items():
        rows = []
        for q in members:
            found = sections.get(q.id, [])
            links = "<br>".join(
                f'<a href="{html.escape(s.href)}">{html.escape(s.notebook)}'
                + (f" › {html.escape(_plain(s.heading))}" if s.heading and s.heading != s.notebook else "") + "</a>"
                for s in found) or '<span class="none">not yet answered</span>'
            colour = CHIP_COLOURS.get(q.difficulty, "#4a5568")
            rows.append(
                f'<tr id="{html.escape(q.id)}"><td class="id">{html.escape(q.id)}</td>'
                f"<td>{html.escape(q.question)}"
                f'<div class="tags">{html.escape(" · ".join(q.tags))}</div></td>'
                f'<td><span class="chip" style="background:{colour}">{html.escape(q.difficulty)}</span></td>'
                f"<td>{links}</td></tr>")
        parts.append(f"<h2>{html.escape(group)}</h2>\n<table>\n<thead><tr><th>ID</th><th>Question</th>"
                     f"<th>Difficulty</th><th>Answered in</th></tr></thead>\n<tbody>\n{chr(10).join(rows)}\n"
                     "</tbody></table>")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Unrolled: question index</title>
<style>
body {{ font-family: sans-serif; max-width: 64em; margin: 2em auto; color: #1a202c; line-height: 1.45; padding: 0 1em; }}
table {{ border-collapse: collapse; width: 100%; margin-bottom: 1.5em; }}
th, td {{ border-bottom: 1px solid #e2e8f0; padding: 6px 8px; text-align: left; vertical-align: top; }}
th {{ background: #f7fafc; }}
td.id {{ font-family: monospace; white-space: nowrap; }}
.chip {{ color: white; border-radius: 10px; padding: 1px 9px; font-size: 12px; white-space: nowrap; }}
.tags {{ color: #718096; font-size: 12px; margin-top: 2px; }}
.none {{ color: #a0aec0; }}
a {{ color: #2b6cb0; }}
tr:target {{ background: #fefcbf; }}
</style>
{_mathjax(mathjax_url)}</head>
<body>
<p><a href="index.html">Unrolled: contents</a></p>
<h1>Question index</h1>
<p>Every interview question of the curriculum, with the sections of this book that answer it (the cells tagged
<code>q-&lt;ID&gt;</code> in the notebooks). {covered} of {len(questions)} questions are answered so far.</p>
{chr(10).join(parts)}
</body></html>
"""


def index_html(pages: list[Page], mathjax_url: str = "", covered: tuple[int, int] | None = None) -> str:
    rows = []
    for page in pages:
        minutes = "" if page.seconds is None else f"{page.seconds:.0f} s"
        questions = ", ".join(sorted(page.questions)) or "—"
        rows.append(
            f'<tr><td><a href="{page.file}">{html.escape(page.title)}</a>'
            f'<div class="summary">{html.escape(page.summary)}</div></td>'
            f"<td>{html.escape(questions)}</td><td>{minutes}</td></tr>")
    mathjax = _mathjax(mathjax_url)
    questions = "" if covered is None else (
        f'<p><a href="{QUESTIONS_PAGE}">Question index</a>: every interview question and the sections that answer '
        f"it ({covered[0]} of {covered[1]} answered so far).</p>")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Unrolled: recurrent neural networks for interviews, in Java</title>
<style>
body {{ font-family: sans-serif; max-width: 60em; margin: 2em auto; color: #1a202c; line-height: 1.45; padding: 0 1em; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border-bottom: 1px solid #e2e8f0; padding: 8px; text-align: left; vertical-align: top; }}
th {{ background: #f7fafc; }}
.summary {{ color: #4a5568; font-size: 14px; margin-top: 4px; }}
a {{ color: #2b6cb0; }}
</style>
{mathjax}</head>
<body>
<h1>Unrolled</h1>
<p>Recurrent neural networks the way interviews ask about them, with live Java code, plots and self-checking
exercises. This book shows every notebook as executed; to run and change the code, open the notebooks in Jupyter
(see the project's README).</p>
{questions}
<p><a href="drill.html">Interview drill</a>: every question as a flashcard with our answer and what an interviewer listens
for, reviews scheduled by spaced repetition, and timed mock interviews; with a printable
<a href="cheatsheet.html">cheat sheet</a>.</p>
<h2>Curriculum map</h2>
<table>
<thead><tr><th>Notebook</th><th>Interview questions answered</th><th>Run time</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
</body></html>
"""
