"""Renders executed notebooks into an offline HTML book: index.html with the curriculum map, one page a notebook.

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

from .paths import ROOT

TEMPLATE_DIR = ROOT / "tools" / "book_template"
MATHJAX_SOURCES = [Path("/usr/share/javascript/mathjax"), Path("/usr/share/mathjax")]
# The parts of MathJax 2 that TeX input with CommonHTML output needs.
MATHJAX_PARTS = ["MathJax.js", "config/TeX-AMS_CHTML.js", "extensions", "jax/input/TeX", "jax/output/CommonHTML",
                 "jax/element", "fonts/HTML-CSS/TeX/woff", "localization/en"]
_NOTEBOOK_LINK = re.compile(r'href="((?:\./)?\d\d-[A-Za-z0-9_-]+)\.ipynb')


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
    links = ['<a href="index.html">Unrolled: contents</a>']
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
    for i, path in enumerate(executed):
        nb = nbformat.read(path, as_version=4)
        title = title_of(nb, path.stem)
        resources = {"metadata": {"name": title}, "unrolled_nav": _nav(files, i), "unrolled_mathjax_url": mathjax_url}
        body, _ = exporter.from_notebook_node(nb, resources=resources)
        body = _NOTEBOOK_LINK.sub(r'href="\1.html', body)
        (out / files[i]).write_text(body, encoding="utf-8")
        pages.append(Page(files[i], title, summary_of(nb), questions_of(nb), seconds.get(path.name), count_images(nb)))
    (out / "index.html").write_text(index_html(pages, mathjax_url), encoding="utf-8")
    return pages


def index_html(pages: list[Page], mathjax_url: str = "") -> str:
    rows = []
    for page in pages:
        minutes = "" if page.seconds is None else f"{page.seconds:.0f} s"
        questions = ", ".join(sorted(page.questions)) or "—"
        rows.append(
            f'<tr><td><a href="{page.file}">{html.escape(page.title)}</a>'
            f'<div class="summary">{html.escape(page.summary)}</div></td>'
            f"<td>{html.escape(questions)}</td><td>{minutes}</td></tr>")
    mathjax = "" if not mathjax_url else (
        '<script type="text/x-mathjax-config">MathJax.Hub.Config({tex2jax: {inlineMath: [["$","$"]], '
        f'processEscapes: true}}}});</script><script src="{mathjax_url}"></script>')
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
<h2>Curriculum map</h2>
<table>
<thead><tr><th>Notebook</th><th>Interview questions answered</th><th>Run time</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
</body></html>
"""
