"""`./unrolled run`: executes every notebook in study order in the Java kernel, then builds the HTML book.

Sources in notebooks/ are never modified: executed copies go to build/executed/, the book to build/book/.
Exit status 0 when every notebook ran cleanly; 1 naming the notebook, the cell and the error otherwise.

The book is the learner edition unless `--edition instructor`: each exercise as a learner meets it. For that, after
a notebook's last cell, the same kernel runs the student version of each exercise cell (the stub) and of its check
cells, so that the book shows the real check's real "not yet"; those cells are saved apart, in
build/executed/learner/, and the instructor notebook in build/executed/ is exactly what its own cells produced.
This costs seconds, where running every student notebook would double the run.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import nbformat

from ..common import paths
from ..notebooks import execute, exercises
from ..release import student
from . import coverage, drill, render


def learner_cells(source: nbformat.NotebookNode, name: str) -> list:
    """The cells a learner meets in each exercise: the student version's exercise cells (stubs) and visible checks."""
    version = student.student_version(source, name)
    return [cell for cell in version.cells
            if exercises.tagged_id(cell, exercises.EXERCISE_TAG) is not None
            or exercises.tagged_id(cell, exercises.CHECK_TAG) is not None]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./unrolled run", description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="notebooks to run (default: all of notebooks/NN-*.ipynb)")
    parser.add_argument("--cell-timeout", type=int, default=180, help="seconds one cell may take (default 180)")
    parser.add_argument("--out", type=Path, default=paths.BUILD, help="where executed notebooks and the book go")
    parser.add_argument("--no-book", action="store_true", help="execute only")
    parser.add_argument("--edition", choices=render.EDITIONS, default="learner",
                        help="the book's edition: learner (exercises to do, solutions folded; default) or instructor")
    args = parser.parse_args(argv)

    if not paths.LIB_JAR.is_file():
        print(f"The helper library is not built ({paths.LIB_JAR.relative_to(paths.ROOT)} is missing). "
              "Run ./unrolled setup first.", file=sys.stderr)
        return 2
    sources = [Path(n).resolve() for n in args.notebooks] or paths.notebook_sources()
    missing = [str(s) for s in sources if not s.is_file()]
    if missing:
        print("No such notebook: " + ", ".join(missing), file=sys.stderr)
        return 2
    if not sources:
        print(f"No notebooks found in {paths.NOTEBOOKS}", file=sys.stderr)
        return 2

    executed_dir, logs = args.out / "executed", args.out / "logs"
    learner_dir = executed_dir / "learner"
    learner_dir.mkdir(parents=True, exist_ok=True)
    logs.mkdir(parents=True, exist_ok=True)
    width = max(len(s.name) for s in sources)
    print(f"Executing {len(sources)} notebook(s) in the Java kernel '{execute.KERNEL_NAME}':", flush=True)
    started = time.monotonic()
    seconds: dict[str, float] = {}
    written: list[Path] = []
    for source in sources:
        print(f"  {source.name:<{width}}  ", end="", flush=True)
        log = logs / (source.stem + ".kernel.log")
        log.write_text("", encoding="utf-8")
        learner_book = args.edition == "learner" and not args.no_book
        replay = learner_cells(nbformat.read(source, as_version=4), source.name) if learner_book else []
        result = execute.execute(source, cwd=source.parent, cell_timeout=args.cell_timeout, kernel_log=log,
                                 append=replay)
        retried = f" (kernel started on attempt {result.attempts})" if result.attempts > 1 else ""
        if result.executed is not None:
            target = executed_dir / source.name
            nbformat.write(result.executed, target)
            written.append(target)
            if learner_book:
                replayed = nbformat.v4.new_notebook(metadata=result.executed.metadata)
                replayed.cells = result.appended or []
                nbformat.write(replayed, learner_dir / source.name)
        if not result.ok:
            print(f"{result.seconds:6.1f} s  FAILED{retried}", flush=True)
            print(f"\nFAILED {result.failure.describe()}", file=sys.stderr)
            print(f"\nThe executed copy with its outputs so far: {executed_dir / source.name}\n"
                  f"The kernel's own log: {log}", file=sys.stderr)
            return 1
        seconds[source.name] = result.seconds
        kernel = ""
        if result.startup_seconds is not None and result.peak_memory_mb is not None:
            cpu = f", CPU {result.cpu_seconds:.0f} s" if result.cpu_seconds is not None else ""
            kernel = (f"  (kernel: started in {result.startup_seconds:.1f} s, "
                      f"peak memory {result.peak_memory_mb:.0f} MB"
                      f"{cpu})")
        print(f"{result.seconds:6.1f} s  ok{kernel}{retried}", flush=True)
    print(f"All {len(sources)} notebook(s) ran in {time.monotonic() - started:.1f} s.", flush=True)
    questions = coverage.coverage()
    missing = f"; ./unrolled coverage lists the {len(questions.missing)} missing" if questions.missing else ""
    print(f"Questions covered: {questions.summary()}{missing}.", flush=True)
    (executed_dir / render.SECONDS_FILE).write_text(json.dumps(seconds, indent=1) + "\n", encoding="utf-8")
    if not args.no_book:
        learner = None if args.edition == "instructor" else {p.name: learner_dir / p.name for p in written}
        try:
            pages = render.build(written, args.out / "book", seconds, learner)
        except drill.DrillBuildError as error:
            print(f"The book could not be built: {error}", file=sys.stderr)
            return 2
        images = sum(p.images for p in pages)
        print(f"Book ({args.edition} edition): {args.out / 'book' / 'index.html'} ({len(pages)} page(s), "
              f"{images} plot(s)). ./unrolled book --pdf prints it to one PDF.", flush=True)
        if not render.has_search():
            print("The book has no search box: its search library comes from npm (cd tools/browser && npm ci, "
                  "then ./unrolled book).", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
