"""`./unrolled run`: executes every notebook in study order in the Java kernel, then builds the HTML book.

Sources in notebooks/ are never modified: executed copies go to build/executed/, the book to build/book/.
Exit status 0 when every notebook ran cleanly; 1 naming the notebook, the cell and the error otherwise.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat

from . import book, coverage, drill, execute, paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./unrolled run", description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="notebooks to run (default: all of notebooks/NN-*.ipynb)")
    parser.add_argument("--cell-timeout", type=int, default=180, help="seconds one cell may take (default 180)")
    parser.add_argument("--out", type=Path, default=paths.BUILD, help="where executed notebooks and the book go")
    parser.add_argument("--no-book", action="store_true", help="execute only")
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
    executed_dir.mkdir(parents=True, exist_ok=True)
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
        result = execute.execute(source, cwd=source.parent, cell_timeout=args.cell_timeout, kernel_log=log)
        retried = f" (kernel started on attempt {result.attempts})" if result.attempts > 1 else ""
        if result.executed is not None:
            target = executed_dir / source.name
            nbformat.write(result.executed, target)
            written.append(target)
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
            kernel = (f"  (kernel: started in {result.startup_seconds:.1f} s, peak memory {result.peak_memory_mb:.0f} MB"
                      f"{cpu})")
        print(f"{result.seconds:6.1f} s  ok{kernel}{retried}", flush=True)
    print(f"All {len(sources)} notebook(s) ran in {time.monotonic() - started:.1f} s.", flush=True)
    questions = coverage.coverage()
    missing = f"; ./unrolled coverage lists the {len(questions.missing)} missing" if questions.missing else ""
    print(f"Questions covered: {questions.summary()}{missing}.", flush=True)
    if not args.no_book:
        try:
            pages = book.build(written, args.out / "book", seconds)
        except drill.DrillBuildError as error:
            print(f"The book could not be built: {error}", file=sys.stderr)
            return 2
        images = sum(p.images for p in pages)
        print(f"Book: {args.out / 'book' / 'index.html'} ({len(pages)} page(s), {images} plot(s)).", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
