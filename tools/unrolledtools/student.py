"""`./unrolled student`: writes the student version of every notebook.

Each region between `// BEGIN SOLUTION` and `// END SOLUTION` (markers included) becomes the stub
`throw Exercise.todo();` at the same indentation, and outputs are cleared. A region must end its method's body
(the next line closes the method), so the stub is always the method's last statement and the rest compiles.
The check cells then report "not yet" for every exercise, and nothing else in the notebook depends on them.

A file that already exists in the output folder and differs from a fresh student copy is a learner's work:
it is never overwritten; the command says which files it kept.
"""
from __future__ import annotations

import argparse
import copy
import re
import sys
from pathlib import Path

import nbformat

from . import paths

BEGIN = "// BEGIN SOLUTION"
END = "// END SOLUTION"
STUB = "throw Exercise.todo();"
DEFAULT_OUT = paths.ROOT / "student"


class SolutionError(ValueError):
    pass


def strip_solutions(source: str, where: str = "cell") -> str:
    """Replaces every solution region of a cell's source with the stub."""
    out: list[str] = []
    lines = source.split("\n")
    inside = False
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped == BEGIN:
            if inside:
                raise SolutionError(f"{where}, line {number}: {BEGIN} inside another solution region")
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            out.append(indent + STUB)
        elif stripped == END:
            if not inside:
                raise SolutionError(f"{where}, line {number}: {END} without {BEGIN}")
            inside = False
            following = next((l.strip() for l in lines[number:] if l.strip()), "")
            if not following.startswith("}"):
                raise SolutionError(f"{where}, line {number}: a solution region must end its method's body "
                                    f"(the next line must close it with '}}'), but the next line is {following!r}")
        elif not inside:
            out.append(line)
    if inside:
        raise SolutionError(f"{where}: {BEGIN} without {END}")
    return "\n".join(out)


def student_version(nb: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    student = copy.deepcopy(nb)
    for index, cell in enumerate(student.cells):
        if cell.cell_type == "code":
            cell.source = strip_solutions(cell.source, f"{name} cell {index + 1}")
            cell.outputs = []
            cell.execution_count = None
    student.metadata.setdefault("unrolled", {})["version"] = "student"
    return student


def exercises_in(nb: nbformat.NotebookNode) -> int:
    return sum(cell.source.count(BEGIN) for cell in nb.cells if cell.cell_type == "code")


def write_all(sources: list[Path], out: Path) -> tuple[list[Path], list[Path], list[Path]]:
    """Returns (written, unchanged, kept because a learner changed them)."""
    if out.resolve().parent != paths.NOTEBOOKS.resolve().parent:
        raise SystemExit(f"The student folder must sit beside notebooks/ (so '../lib' and '../notebooks' resolve), "
                         f"but {out} does not.")
    out.mkdir(parents=True, exist_ok=True)
    written, unchanged, kept = [], [], []
    for source in sources:
        nb = nbformat.read(source, as_version=4)
        text = nbformat.writes(student_version(nb, source.name)) + "\n"
        target = out / source.name
        if target.exists():
            if target.read_text(encoding="utf-8") == text:
                unchanged.append(target)
                continue
            kept.append(target)
            continue
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written, unchanged, kept


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./unrolled student", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder beside notebooks/ (default: student/)")
    args = parser.parse_args(argv)
    try:
        written, unchanged, kept = write_all(paths.notebook_sources(), args.out)
    except SolutionError as e:
        print(f"unrolled: {e}", file=sys.stderr)
        return 2
    for path in written:
        print(f"  wrote  {path.relative_to(paths.ROOT)}")
    for path in unchanged:
        print(f"  same   {path.relative_to(paths.ROOT)}")
    for path in kept:
        print(f"  KEPT   {path.relative_to(paths.ROOT)}: it differs from a fresh student copy (a learner's work?), "
              "so it was not overwritten. Move it away to regenerate it.")
    print(f"Student version: {len(written)} written, {len(unchanged)} unchanged, {len(kept)} kept, in {args.out}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
