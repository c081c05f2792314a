"""Renders executed notebooks into an offline HTML book: index.html with the curriculum map, questions.html with
the question index (every interview question, linked to the sections whose cells are tagged q-<ID>), and one page
a notebook.

Two editions. The learner edition (the default) shows each exercise as a learner meets it: the stub and the check's
"not yet", taken from a run of the student version, with our solution and its passing check folded under a "Show our
solution" disclosure. The instructor edition shows the solutions in place, as executed. Neither shows the loading
cell (its output names the machine's paths).

Every page has the chapter sidebar, an "on this page" list, previous/next with titles, search over every page and
every interview question (MiniSearch, vendored), copy buttons on code, and layouts for phones, print and dark mode.
Images are embedded in the pages (data URIs), with their descriptions as alt text; one stylesheet is shared by all
pages; MathJax is copied from the distribution's package into the book; nothing is loaded from the network, so the
book opens from a USB stick or a file share.
"""
from __future__ import annotations

import argparse
import copy
import html
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

from ..common.paths import ROOT
from ..notebooks import exercises
from ..release import student
from . import coverage as coverage_

TEMPLATE_DIR = ROOT / "tools" / "book_template"
MATHJAX_SOURCES = [Path("/usr/share/javascript/mathjax"), Path("/usr/share/mathjax")]
# The parts of MathJax 2 that TeX input with CommonHTML output needs.
MATHJAX_PARTS = ["MathJax.js", "config/TeX-AMS_CHTML.js", "extensions", "jax/input/TeX", "jax/output/CommonHTML",
                 "jax/element", "fonts/HTML-CSS/TeX/woff", "localization/en"]
# Extensions for other inputs and outputs (MathML, AsciiMath, jsMath, the HTML-CSS output): TeX in CommonHTML never
# loads them. Chemistry (mhchem) is not used; the TeX input and MathML element jax are inside the combined
# config/TeX-AMS_CHTML.js, which MathJax then never fetches again (the CommonHTML output's jax.js it does fetch).
MATHJAX_UNUSED = ["extensions/MathML", "extensions/HTML-CSS", "extensions/asciimath2jax.js",
                  "extensions/jsMath2jax.js", "extensions/mml2jax.js", "extensions/TeX/mhchem.js",
                  "extensions/TeX/mhchem3", "jax/input/TeX/jax.js", "jax/element/mml/jax.js"]
_NOTEBOOK_LINK = re.compile(r'href="((?:\./)?\d\d-[A-Za-z0-9_-]+)\.ipynb')
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_ID = re.compile(r'<h[1-6][^>]*\sid="([^"]+)"')
QUESTIONS_PAGE = "questions.html"
# White text on each is at least 4.5:1 (WCAG AA): 6.7, 5.9 and 6.4.
CHIP_COLOURS = {"Easy": "#276749", "Medium": "#8a5a00", "Hard": "#b91c1c"}
# Pages beyond the notebooks, listed in every sidebar after the question index: (file name in the book, title).
# The drill's pages (unrolledtools.book.drill, written by build) keep their own stylesheet and a line of links back.
EXTRA_PAGES: list[tuple[str, str]] = [("drill.html", "Interview drill"), ("cheatsheet.html", "Cheat sheet")]
STATIC = "_static"
SECONDS_FILE = "seconds.json"  # each notebook's run time, written by ./unrolled run next to the executed notebooks
PRINT_PAGE = "print.html"
STYLESHEET = STATIC + "/book.css"
EDITIONS = ("learner", "instructor")
BROWSER_DIR = ROOT / "tools" / "browser"
MINISEARCH = BROWSER_DIR / "node_modules" / "minisearch" / "dist" / "umd" / "index.js"
LAB_STATIC = [Path("/usr/share/jupyter/nbconvert/templates/lab/static"),
              Path(sys.prefix) / "share" / "jupyter" / "nbconvert" / "templates" / "lab" / "static"]


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
            unused = {str(source / u) for u in MATHJAX_UNUSED if u.startswith(part + "/")}
            shutil.copytree(src, target / part, dirs_exist_ok=True, ignore=lambda folder, names, unused=unused:
                            [n for n in names if str(Path(folder) / n) in unused])
        elif src.is_file():
            (target / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target / part)
    return "_static/mathjax/MathJax.js?config=TeX-AMS_CHTML"


# --- the learner edition ----------------------------------------------------------------------------------------

def is_loading_cell(cell) -> bool:
    """The notebook's set-up cell: Jupyter magics only (`%jars`, `%load`). Its output names the machine's paths."""
    lines = [line.strip() for line in cell.source.splitlines() if line.strip()]
    return cell.cell_type == "code" and bool(lines) and all(line.startswith("%") for line in lines)


def without_loading_cell(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb = copy.deepcopy(nb)
    first = next((i for i, cell in enumerate(nb.cells) if cell.cell_type == "code"), None)
    if first is not None and is_loading_cell(nb.cells[first]):
        del nb.cells[first]
    return nb


def _output_html(outputs) -> str:
    """A check cell's outputs as HTML, for the solution's disclosure."""
    parts = []
    for output in outputs:
        data = output.get("data", {})
        if output.get("output_type") == "stream":
            parts.append(f'<pre class="solution-output">{html.escape(output.get("text", ""))}</pre>')
        elif "text/html" in data:
            parts.append(data["text/html"])
        elif "text/plain" in data:
            parts.append(f'<pre class="solution-output">{html.escape(data["text/plain"])}</pre>')
    return "\n".join(parts)


def solution_disclosure(exercise_id: str, solution_cell, check_cells) -> nbformat.NotebookNode:
    """A raw HTML cell: our solution and what the check says of it, folded under "Show our solution"."""
    from nbconvert.filters.highlight import Highlight2HTML
    code = Highlight2HTML(pygments_lexer="java")(solution_cell.source)
    checks = "".join(_output_html(cell.get("outputs", [])) for cell in check_cells)
    said = f"<p>With it, the check says:</p>\n{checks}" if checks else ""
    body = (f'<details class="solution" data-exercise="{html.escape(exercise_id)}">'
            f"<summary>Show our solution to exercise {html.escape(exercise_id)}</summary>\n"
            f'<div class="solution-body">{code}\n{said}</div></details>')
    return nbformat.v4.new_raw_cell(body, metadata={"raw_mimetype": "text/html",
                                                    "unrolled": {"solution": exercise_id}})


def learner_notebook(instructor: nbformat.NotebookNode, learner: nbformat.NotebookNode,
                     name: str = "notebook") -> nbformat.NotebookNode:
    """The executed notebook as a learner meets it: each exercise cell and check cell comes from the learner's run
    (`learner`: the executed student version, or just its exercise and check cells, found by their tags), hidden
    checks and grading cells are left out (the autograder's, not the reader's), and our solution follows the
    exercise's last check inside a disclosure."""
    theirs: dict[tuple[str, str], list] = {}
    for cell in learner.cells:
        for prefix in (exercises.EXERCISE_TAG, exercises.CHECK_TAG):
            id_ = exercises.tagged_id(cell, prefix)
            if id_ is not None:
                theirs.setdefault((prefix, id_), []).append(cell)

    def take(prefix: str, id_: str):
        found = theirs.get((prefix, id_))
        if not found:
            raise ValueError(f"{name}: the learner's run has no cell tagged {prefix}{id_}, so the learner edition "
                             "cannot show that exercise as a learner meets it")
        return copy.deepcopy(found.pop(0))

    nb = copy.deepcopy(instructor)
    cells, solution, checks = [], {}, {}
    remaining = {}
    for cell in nb.cells:
        id_ = exercises.tagged_id(cell, exercises.CHECK_TAG)
        if id_ is not None:
            remaining[id_] = remaining.get(id_, 0) + 1
    for cell in nb.cells:
        if any(exercises.tagged_id(cell, tag) is not None for tag in (exercises.HIDDEN_TAG, exercises.GRADE_TAG)):
            continue
        exercise = exercises.tagged_id(cell, exercises.EXERCISE_TAG)
        check = exercises.tagged_id(cell, exercises.CHECK_TAG)
        if exercise is not None:
            cells.append(take(exercises.EXERCISE_TAG, exercise))
            solution[exercise] = cell
        elif check is not None:
            cells.append(take(exercises.CHECK_TAG, check))
            checks.setdefault(check, []).append(cell)
            remaining[check] -= 1
            if remaining[check] == 0 and check in solution:
                cells.append(solution_disclosure(check, solution.pop(check), checks.pop(check)))
        else:
            cells.append(cell)
    for exercise, cell in solution.items():  # an exercise without a check: its solution still goes in a disclosure
        cells.append(solution_disclosure(exercise, cell, []))
    nb.cells = cells
    return nb


def solution_texts(nb: nbformat.NotebookNode) -> list[str]:
    """The lines inside every solution region of an instructor notebook (what the learner edition must fold away),
    without blank lines, braces-only lines, lines the stub keeps, and lines the notebook also has outside its solution
    regions (a loop header or a softmax the lesson itself writes may be shown: it gives nothing away)."""
    found, elsewhere = [], set()
    for cell in nb.cells:
        inside = False
        for line in cell.source.splitlines():
            text = line.strip()
            if cell.cell_type == "code" and text == exercises.BEGIN:
                inside = True
            elif cell.cell_type == "code" and text == exercises.END:
                inside = False
            elif inside and len(text) > 12 and not re.fullmatch(r"[{}();\s]*", text):
                found.append(text)
            elif not inside:
                elsewhere.add(text)
    return [text for text in found if text not in elsewhere]


# --- Markdown details the renderer gets wrong --------------------------------------------------------------------

_TASK_ITEM = re.compile(r"^(\s*)[-*+] \[[ xX]\] ")
_TASK_HTML = re.compile(r"<li>\s*\[([ xX])\]\s*(.*?)</li>", re.S)


def tidy_markdown(source: str) -> str:
    """Continuation lines of a checklist item indented like code (4+ spaces past the bullet) are pulled back under
    the item, so that they stay part of it instead of turning into a code block."""
    out, in_task = [], False
    for line in source.splitlines():
        match = _TASK_ITEM.match(line)
        if match:
            in_task, indent = True, match.group(1)
        elif not line.strip() or re.match(r"^\s*[-*+] ", line):
            in_task = False
        elif in_task:
            line = indent + "  " + line.lstrip()
        out.append(line)
    return "\n".join(out)


def _checkbox(match: re.Match) -> str:
    checked = " checked" if match.group(1) in "xX" else ""
    return (f'<li class="task"><label><input type="checkbox"{checked}> <span>{match.group(2).strip()}</span>'
            "</label></li>")


def checklists(body: str) -> str:
    """"- [ ] item" lists as real checkboxes, each labelled by its item (the browser remembers them, book.js)."""
    return _TASK_HTML.sub(_checkbox, body)


def describe_images(nb: nbformat.NotebookNode, title: str) -> None:
    """Every PNG output gets alt text: the description the library gave it (its `text/plain`), else a plain one."""
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            data = output.get("data", {})
            if "image/png" in data:
                alt = data.get("text/plain") or f"A plot from {title} (no description was recorded)"
                output.setdefault("metadata", {})["unrolled_alt"] = " ".join(str(alt).split())


# --- the parts every page shares ----------------------------------------------------------------------------------

@dataclass
class Chapter:
    file: str
    title: str


def _short(title: str) -> str:
    return title.split(":")[0].strip() if len(title) > 42 and ":" in title else title


def sidebar_html(chapters: list[Chapter], current: str) -> str:
    items = []
    for chapter in chapters:
        mark = ' aria-current="page"' if chapter.file == current else ""
        items.append(f'<li><a href="{chapter.file}"{mark}>{html.escape(_short(chapter.title))}</a></li>')
    extras = [(QUESTIONS_PAGE, "Question index")] + EXTRA_PAGES
    current_mark = ' aria-current="page"'
    more = "".join(f'<li><a href="{file}"{current_mark if file == current else ""}>{html.escape(name)}</a></li>'
                   for file, name in extras)
    home = ' aria-current="page"' if current == "index.html" else ""
    return (f'<nav id="book-side" class="book-side" aria-label="Chapters">'
            f'<p class="book-side-home"><a href="index.html"{home}>Contents</a></p>'
            f'<ol class="book-chapters">{"".join(items)}</ol><ul class="book-more">{more}</ul></nav>')


def has_search() -> bool:
    """Whether the search library is at hand (npm ci in tools/browser, which ./unrolled test runs)."""
    return MINISEARCH.is_file()


def topbar_html(edition: str) -> str:
    label = "learner edition" if edition == "learner" else "instructor edition"
    return ('<a class="skip-link" href="#main">Skip to the content</a>'
            '<header class="book-top">'
            '<button type="button" class="menu-toggle" aria-controls="book-side" aria-expanded="false">'
            "Chapters</button>"
            f'<a class="book-name" href="index.html">Unrolled</a><span class="book-edition">{label}</span>'
            + (_SEARCH_BOX if has_search() else "") + "</header>")


_SEARCH_BOX = ('<div class="book-search" role="search">'
               '<label for="book-search-input" class="visually-hidden">Search the book and the interview questions'
               '</label><input id="book-search-input" type="search" placeholder="Search" '
               'autocomplete="off" aria-controls="book-search-results">'
               '<div id="book-search-results" class="book-search-results" aria-live="polite"></div></div>')


def head_html(title: str, mathjax_url: str) -> str:
    mathjax = "" if not mathjax_url else (
        '<script type="text/x-mathjax-config">MathJax.Hub.Config('
        '{tex2jax: {inlineMath: [["$","$"], ["\\\\(","\\\\)"]], '
        'displayMath: [["$$","$$"], ["\\\\[","\\\\]"]], processEscapes: true}, menuSettings: {inTabOrder: false}, '
        'CommonHTML: {linebreaks: {automatic: true}}, messageStyle: "none"});</script>'
        f'<script src="{mathjax_url}"></script>')
    return (f'<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)}</title>"
            f'<link rel="stylesheet" href="{STATIC}/notebook.css"><link rel="stylesheet" href="{STYLESHEET}">'
            f'<script src="{STATIC}/book.js" defer></script>{mathjax}')


def prevnext_html(chapters: list[Chapter], index: int) -> str:
    links = []
    if index > 0:
        links.append(f'<a class="prev" rel="prev" href="{chapters[index - 1].file}"><span>Previous</span> '
                     f"{html.escape(chapters[index - 1].title)}</a>")
    if index + 1 < len(chapters):
        links.append(f'<a class="next" rel="next" href="{chapters[index + 1].file}"><span>Next</span> '
                     f"{html.escape(chapters[index + 1].title)}</a>")
    return f'<nav class="prevnext" aria-label="Previous and next chapter">{"".join(links)}</nav>'


_H23 = re.compile(r'<h([23])\s+id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)


def toc_html(body: str) -> str:
    """"On this page": the page's level-2 and level-3 headings, as nbconvert rendered them."""
    items = []
    for level, anchor, inner in _H23.findall(body):
        text = re.sub(r"<a class=\"anchor-link\".*?</a>", "", inner, flags=re.S)
        text = re.sub(r"<[^>]+>", "", text).strip()
        if text:
            items.append(f'<li class="toc-{level}"><a href="#{anchor}">{text}</a></li>')
    if not items:
        return ""
    return (f'<details class="book-toc" open><summary>On this page</summary>'
            f'<nav aria-label="On this page"><ul>{"".join(items)}</ul></nav></details>')


def download_html(href: str, edition: str) -> str:
    which = " (the learner's version, with the exercises to do)" if edition == "learner" else ""
    return (f'<p class="book-download"><a href="{href}" download>Download this notebook</a>{which}: it runs from the '
            "<code>notebooks/</code> folder of a clone of Unrolled, where its first cell finds the library.</p>")


def _with_lead(body: str, lead: str) -> str:
    """Puts "on this page" and the download link under the page's title (at the top when it has none)."""
    body = body.replace("<!--unrolled-lead-->", "", 1)
    at = body.find("</h1>")
    if at < 0:
        at = body.find('<main id="main"')
        at = body.find(">", at)
        return body[:at + 1] + lead + body[at + 1:]
    return body[:at + 5] + lead + body[at + 5:]


def shell(title: str, body: str, chapters: list[Chapter], current: str, mathjax_url: str, edition: str,
          toc: str = "") -> str:
    """A whole page of the book around `body` (index, question index, and the extra pages)."""
    return (f'<!DOCTYPE html>\n<html lang="en"><head>{head_html(title, mathjax_url)}</head>\n'
            f'<body class="book">{topbar_html(edition)}<div class="book-frame">{sidebar_html(chapters, current)}'
            f'<main id="main" class="book-main book-plain">{toc}{body}</main></div></body></html>\n')


# --- search --------------------------------------------------------------------------------------------------------

def _text(markdown: str) -> str:
    return " ".join(re.sub(r"[#*`>|]|\$+|\\\\|<[^>]+>", " ", markdown).split())


def search_documents(nb: nbformat.NotebookNode, page: str, title: str) -> list[dict]:
    """One document a section of a page (its heading, its prose and code), for the search index."""
    docs, heading, anchor, parts = [], title, "", []

    def flush():
        # each word once: a section is found by the words it holds, and the index the browser loads stays small
        text = " ".join(dict.fromkeys(" ".join(parts).split()))
        if text or anchor:
            docs.append({"title": _plain(heading), "page": title, "href": page + ("#" + anchor if anchor else ""),
                         "text": text})

    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                found = headings_in(line)
                if found:
                    flush()
                    heading, anchor, parts = found[0], heading_anchor(found[0]), []
                else:
                    parts.append(_text(line))
        elif cell.cell_type == "code":  # code is found by its names
            parts.append(" ".join(dict.fromkeys(re.findall(r"[A-Za-z_]\w{2,}", cell.source))))
    flush()
    return docs


def question_documents(questions: list[coverage_.Question]) -> list[dict]:
    return [{"title": f"{q.id} · {q.question}", "page": "Question index", "href": f"{QUESTIONS_PAGE}#{q.id}",
             "text": " ".join([q.difficulty, " ".join(q.tags), q.section, _text(q.answer)])} for q in questions]


# --- the book -------------------------------------------------------------------------------------------------------

def _lab_css() -> str:
    """JupyterLab's notebook stylesheet (nbconvert's lab template), with its dark theme for dark-mode browsers."""
    folder = next((p for p in LAB_STATIC if (p / "index.css").is_file()), None)
    if folder is None:
        raise FileNotFoundError("nbconvert's lab template stylesheet (lab/static/index.css) was not found in "
                                + ", ".join(str(p) for p in LAB_STATIC))
    from pygments.formatters import HtmlFormatter
    light = (folder / "theme-light.css").read_text(encoding="utf-8")
    dark = (folder / "theme-dark.css").read_text(encoding="utf-8")
    css = ((folder / "index.css").read_text(encoding="utf-8") + "\n" + light
           + "\n@media (prefers-color-scheme: dark) {\n" + dark + "\n}\n"
           + HtmlFormatter(style="default").get_style_defs(".highlight")
           + "\n@media (prefers-color-scheme: dark) {\n"
           + HtmlFormatter(style="github-dark").get_style_defs(".highlight") + "\n}\n")
    # comments and indentation are a third of it
    return re.sub(r"\s+", " ", re.sub(r"/\*.*?\*/", "", css, flags=re.S))


_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
_CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')
# classes that book.js adds after the page loads
SCRIPT_CLASSES = {"js", "open", "highlight-box", "copy-code"}


def used_classes(pages: list[str]) -> set[str]:
    return {name for page in pages for value in _CLASS_ATTRIBUTE.findall(page) for name in value.split()}


def prune_css(css: str, classes: set[str]) -> str:
    """The rules of a stylesheet whose selectors can match these pages: a selector naming a class no page uses is
    dropped (JupyterLab's stylesheet is mostly its editor's widgets); @-rules other than @media are kept whole."""
    out, i, n = [], 0, len(css)
    while i < n:
        brace = css.find("{", i)
        if brace < 0:
            break
        head = css[i:brace].strip()
        depth, j = 1, brace + 1
        while j < n and depth:
            depth += {"{": 1, "}": -1}.get(css[j], 0)
            j += 1
        block = css[brace + 1:j - 1]
        if head.startswith("@media"):
            inner = prune_css(block, classes)
            if inner.strip():
                out.append(f"{head}{{{inner}}}")
        elif head.startswith("@"):
            out.append(f"{head}{{{block}}}")
        else:
            kept = [sel for sel in head.split(",") if set(_CLASS.findall(sel)) <= classes]
            if kept:
                out.append(f"{','.join(s.strip() for s in kept)}{{{block}}}")
        i = j
    return "".join(out)


# Pygments' classes for names, punctuation and whitespace: neither colour style gives them a colour that differs from
# the code's own text colour, and they are a third of a page's markup.
_PLAIN_TOKEN = re.compile(r'<span class="(?:n|p|w)">([^<]*)</span>')


def lean_code(body: str) -> str:
    """Highlighted code without the spans that change nothing on the screen."""
    return _PLAIN_TOKEN.sub(r"\1", body).replace("<pre><span></span>", "<pre>")


def _write_static(out: Path, documents: list[dict], classes: set[str]) -> None:
    static = out / STATIC
    static.mkdir(parents=True, exist_ok=True)
    (static / "notebook.css").write_text(prune_css(_lab_css(), classes | SCRIPT_CLASSES), encoding="utf-8")
    shutil.copy2(TEMPLATE_DIR / "unrolled" / "static" / "book.css", static / "book.css")
    shutil.copy2(TEMPLATE_DIR / "unrolled" / "static" / "book.js", static / "book.js")
    if has_search():  # without it the pages have no search box (see topbar_html)
        shutil.copy2(MINISEARCH, static / "minisearch.js")
        data = json.dumps([dict(doc, id=i) for i, doc in enumerate(documents)], ensure_ascii=False,
                          separators=(",", ":"))
        (static / "search-data.js").write_text(f"window.UNROLLED_SEARCH_DOCUMENTS = {data};\n", encoding="utf-8")


def _download(nb: nbformat.NotebookNode, name: str, edition: str, out: Path) -> str:
    """Writes the notebook a reader can download (the student version in the learner edition, outputs cleared)."""
    folder = out / "notebooks"
    folder.mkdir(parents=True, exist_ok=True)
    clean = copy.deepcopy(nb)
    if edition == "learner":
        clean = student.student_version(clean, name)
    else:
        for cell in clean.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
    nbformat.validate(clean)
    # without indentation: a fifth smaller, and Jupyter reads it the same
    (folder / name).write_text(json.dumps(clean, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    return f"notebooks/{name}"


def build(executed: list[Path], out: Path, seconds: dict[str, float] | None = None,
          learner_runs: dict[str, Path] | None = None) -> list[Page]:
    """Writes out/index.html, out/questions.html and out/NN-slug.html for each executed notebook, with the shared
    files in out/_static and the notebooks to download in out/notebooks; returns the curriculum map.

    With `learner_runs` (notebook file name -> the executed student version, or just its exercise and check cells)
    the book is the learner edition; without, the instructor edition."""
    seconds = seconds or {}
    edition = "learner" if learner_runs is not None else "instructor"
    out.mkdir(parents=True, exist_ok=True)
    mathjax_url = _copy_mathjax(out / STATIC) or ""
    exporter = HTMLExporter(template_name="unrolled", extra_template_basedirs=[str(TEMPLATE_DIR)])
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    notebooks = [nbformat.read(path, as_version=4) for path in executed]
    chapters = [Chapter(p.stem + ".html", title_of(nb, p.stem)) for p, nb in zip(executed, notebooks)]
    pages: list[Page] = []
    sections: dict[str, list[Section]] = {}
    documents: list[dict] = []
    classes: set[str] = set()
    for i, (path, source_nb) in enumerate(zip(executed, notebooks)):
        file, title = chapters[i].file, chapters[i].title
        nb = source_nb
        if learner_runs is not None:
            nb = learner_notebook(nb, nbformat.read(learner_runs[path.name], as_version=4), path.name)
        nb = without_loading_cell(nb)
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = tidy_markdown(cell.source)
        describe_images(nb, title)
        resources = {"metadata": {"name": title},
                     "unrolled_head": head_html(title, mathjax_url),
                     "unrolled_top": topbar_html(edition),
                     "unrolled_side": sidebar_html(chapters, file),
                     "unrolled_prevnext": prevnext_html(chapters, i),
                     "unrolled_download": _download(source_nb, path.name, edition, out),
                     "unrolled_edition": edition}
        body, _ = exporter.from_notebook_node(nb, resources=resources)
        body = lean_code(checklists(_NOTEBOOK_LINK.sub(r'href="\1.html', body)))
        body = _with_lead(body, toc_html(body) + download_html(resources["unrolled_download"], edition))
        (out / file).write_text(body, encoding="utf-8")
        classes |= used_classes([body])
        pages.append(Page(file, title, summary_of(source_nb), questions_of(source_nb), seconds.get(path.name),
                          count_images(source_nb)))
        for id_, found in sections_of(source_nb, file, title).items():
            sections.setdefault(id_, []).extend(found)
        documents.extend(search_documents(nb, file, title))
    questions = coverage_.read_bank()
    covered = sum(1 for q in questions if q.answer and sections.get(q.id))
    documents.extend(question_documents(questions))
    documents.append({"title": "Unrolled: contents and curriculum map", "page": "Contents", "href": "index.html",
                      "text": " ".join(f"{p.title} {p.summary}" for p in pages)})
    documents.append({"title": "Question index", "page": "Question index", "href": QUESTIONS_PAGE,
                      "text": "Every interview question, its difficulty, and the sections that answer it"})
    _write_static(out, documents, classes)
    (out / "index.html").write_text(index_html(pages, mathjax_url, (covered, len(questions)), chapters, edition),
                                    encoding="utf-8")
    (out / QUESTIONS_PAGE).write_text(question_index_html(questions, sections, mathjax_url, chapters, edition),
                                      encoding="utf-8")
    from . import drill  # the drill imports this module for the question links
    drill.build(out)
    return pages


def _plain(markdown: str) -> str:
    """A heading's text for a link: Markdown emphasis and code marks dropped, LaTeX kept for MathJax."""
    return re.sub(r"\*\*|(?<![\w\\])\*|\*(?!\w)|`", "", markdown)


def question_index_html(questions: list[coverage_.Question], sections: dict[str, list[Section]],
                        mathjax_url: str = "", chapters: list[Chapter] | None = None,
                        edition: str = "instructor") -> str:
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
                f'<td data-label="Answered in">{links}</td></tr>')
        parts.append(f"<h2 id=\"{html.escape(re.sub(r'[^A-Za-z0-9]+', '-', group).strip('-'))}\">{html.escape(group)}"
                     f'</h2>\n<div class="table-scroll"><table>\n<thead><tr><th scope="col">ID</th>'
                     f'<th scope="col">Question</th><th scope="col">Difficulty</th><th scope="col">Answered in</th>'
                     f"</tr></thead>\n<tbody>\n{chr(10).join(rows)}\n</tbody></table></div>")
    body = f"""<h1>Question index</h1>
<p>Every interview question of the curriculum, with the sections of this book that answer it (the cells tagged
<code>q-&lt;ID&gt;</code> in the notebooks). {covered} of {len(questions)} questions are answered so far.</p>
{chr(10).join(parts)}"""
    return shell("Unrolled: question index", body, chapters or [], QUESTIONS_PAGE, mathjax_url, edition)


def index_html(pages: list[Page], mathjax_url: str = "", covered: tuple[int, int] | None = None,
               chapters: list[Chapter] | None = None, edition: str = "instructor") -> str:
    rows = []
    for page in pages:
        minutes = "" if page.seconds is None else f"{page.seconds:.0f} s"
        questions = ", ".join(f'<a href="{QUESTIONS_PAGE}#{html.escape(q)}">{html.escape(q)}</a>'
                              for q in sorted(page.questions)) or "—"
        rows.append(
            f'<tr><td><a href="{page.file}">{html.escape(page.title)}</a>'
            f'<div class="summary">{html.escape(page.summary)}</div></td>'
            f'<td data-label="Questions">{questions}</td><td data-label="Run time">{minutes}</td></tr>')
    questions = "" if covered is None else (
        f'<p><a href="{QUESTIONS_PAGE}">Question index</a>: every interview question and the sections that answer '
        f"it ({covered[0]} of {covered[1]} answered so far).</p>")
    how = ("This is the learner edition: each exercise appears as you meet it, with the check saying "
           "<em>not yet</em>; our solution is folded under <em>Show our solution</em>." if edition == "learner" else
           "This is the instructor edition: every exercise shows our solution and its check passing.")
    body = f"""<h1>Unrolled</h1>
<p>Recurrent neural networks the way interviews ask about them, with live Java code, plots and self-checking
exercises. This book shows every notebook as executed; to run and change the code, open the notebooks in Jupyter
(see the project's README). {how}</p>
{questions}
<p><a href="drill.html">Interview drill</a>: every question as a flashcard with our answer and what an interviewer
listens for, reviews scheduled by spaced repetition, and timed mock interviews; with a printable
<a href="cheatsheet.html">cheat sheet</a>.</p>
<h2 id="Curriculum-map">Curriculum map</h2>
<div class="table-scroll"><table>
<thead><tr><th scope="col">Notebook</th><th scope="col">Interview questions answered</th>
<th scope="col">Run time</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table></div>"""
    return shell("Unrolled: recurrent neural networks for interviews, in Java", body, chapters or [], "index.html",
                 mathjax_url, edition)


# --- the whole book on one page, for print and PDF -----------------------------------------------------------------

_MAIN = re.compile(r'<main id="main"[^>]*>(.*)</main>', re.S)


def print_html(out: Path, pages: list[str]) -> Path:
    """out/print.html: the contents and every chapter, each starting on a new page, every folded answer open, no
    navigation; the page tells the PDF printer when MathJax has typeset it (data-print-wait)."""
    chapters = []
    for file in ["index.html"] + pages + [QUESTIONS_PAGE]:
        text = (out / file).read_text(encoding="utf-8")
        match = _MAIN.search(text)
        if match:
            inner = re.sub(r"<details(?![^>]*\bopen\b)", "<details open", match.group(1))
            chapters.append(f'<section class="print-chapter" aria-label="{html.escape(file)}">{inner}</section>')
    head = head_html("Unrolled: the whole book", "_static/mathjax/MathJax.js?config=TeX-AMS_CHTML"
                     if (out / STATIC / "mathjax" / "MathJax.js").is_file() else "")
    signal = ('<script>(function () { var done = function () { document.documentElement.setAttribute('
              '"data-print-wait", "done"); }; if (window.MathJax && MathJax.Hub) { MathJax.Hub.Queue(done); } '
              'else { window.addEventListener("load", done); } })();</script>')
    target = out / PRINT_PAGE
    target.write_text(f'<!DOCTYPE html>\n<html lang="en" data-print-wait="pending"><head>{head}</head>\n'
                      f'<body class="book"><main id="main" class="book-main jp-Notebook book-plain">'
                      f'{"".join(chapters)}</main>{signal}</body></html>\n', encoding="utf-8")
    return target


def pdf(out: Path, target: Path, pages: list[str]) -> str:
    """Prints the whole book to one PDF with Debian's chromium (tools/browser/pdf.mjs); returns what it printed."""
    page = print_html(out, pages)
    done = subprocess.run(["node", str(BROWSER_DIR / "pdf.mjs"), str(page), str(target.resolve())], cwd=BROWSER_DIR,
                          capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        raise RuntimeError(f"printing {page.name} to PDF failed:\n{done.stdout}{done.stderr}")
    return done.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    from ..common import paths
    parser = argparse.ArgumentParser(prog="./unrolled book",
                                     description="Builds the HTML book again from the notebooks ./unrolled run "
                                                 "executed (no kernel needed), and prints it to one PDF.")
    parser.add_argument("--from", dest="source", type=Path, default=paths.BUILD,
                        help="the folder ./unrolled run wrote (default: build/); its executed/ is read")
    parser.add_argument("--out", type=Path, help="where the book goes (default: book/ in the --from folder)")
    parser.add_argument("--edition", choices=EDITIONS, default="learner",
                        help="learner (exercises to do, solutions folded; default) or instructor")
    parser.add_argument("--pdf", type=Path, nargs="?", const=Path(""), metavar="FILE",
                        help="also print the whole book to FILE (default: unrolled-book.pdf next to the book), "
                             "with Debian's chromium and the npm packages in tools/browser")
    args = parser.parse_args(argv)
    executed_dir = args.source / "executed"
    executed = sorted(executed_dir.glob("[0-9][0-9]-*.ipynb"))
    if not executed:
        print(f"No executed notebooks in {executed_dir}: run ./unrolled run first.", file=sys.stderr)
        return 2
    learner = None
    if args.edition == "learner":
        learner = {p.name: executed_dir / "learner" / p.name for p in executed}
        missing = [name for name, p in learner.items() if not p.is_file()]
        if missing:
            print(f"The learner edition needs the learner runs that ./unrolled run writes to {executed_dir}/learner/; "
                  f"missing for {', '.join(missing)}. Run ./unrolled run again, or build --edition instructor.",
                  file=sys.stderr)
            return 2
    try:
        seconds = json.loads((executed_dir / SECONDS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        seconds = {}
    out = args.out or args.source / "book"
    built = build(executed, out, seconds, learner)
    print(f"Book ({args.edition} edition): {out / 'index.html'} ({len(built)} page(s)).")
    if args.pdf is not None:
        target = args.pdf if str(args.pdf) else out.parent / "unrolled-book.pdf"
        print(pdf(out, target, [p.file for p in built]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
