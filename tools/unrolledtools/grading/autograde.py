"""`./unrolled autograde SUBMISSIONS_DIR`: grades every learner's notebooks with the official checks.

SUBMISSIONS_DIR holds one folder per learner, each with the learner's notebooks under their curriculum names
(`05-lstm.ipynb`); the workshop hub's folder of homes (build/hub/users) works as it is. Each notebook runs in a
fresh kernel with a time and a memory limit, with the instructor's check cells in place of the learner's
(grader.py). The results go to the output folder:

* `scores.csv`: one row per learner, one column per exercise (its status), then the number passed;
* `results.csv`: one row per learner and exercise, with the status and the reason;
* `index.html`: the same table, coloured, with every reason;
* `graded/<learner>/<notebook>`: the notebooks as the grader ran them, with outputs, and the kernels' logs.

A notebook that loops, exhausts memory, calls System.exit, lost its check cells or is not valid JSON is graded as
such; the run goes on, and results.csv grows as the grades arrive. Each submission runs in the grading sandbox
(sandbox.py) as a throw-away user that sees none of the instructor notebooks, other submissions or outputs; where the
sandbox cannot be set up the grader refuses to start, unless told `--unsafe`. Symbolic links and special files among
the submissions are refused. The instructor notebooks are checksummed before and after grading. The learners' files
are only read.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import csv
import multiprocessing
import html
import os
import sys
import time
from pathlib import Path

from ..common import paths
from ..notebooks import exercises
from ..release import student
from . import grader, sandbox

import nbformat

COLOURS = {
    grader.PASSED: ("#1e7b34", "#e3f4e6"), grader.FAILED: ("#a51d24", "#fbe1e2"),
    grader.NOT_ATTEMPTED: ("#8a5a00", "#fff1d1"), grader.TIMED_OUT: ("#5b2a86", "#efe3f8"),
    grader.CRASHED: ("#1a202c", "#e2e8f0"), grader.INVALID: ("#1a202c", "#e2e8f0"),
    grader.MISSING: ("#4a5568", "#ffffff"),
}


HUB_WORKSPACE = Path("unrolled") / "workshop"   # where the workshop hub keeps a learner's notebooks


def learners_in(submissions: Path) -> list[Path]:
    """Every learner's folder (a symbolic link among them is listed, and its notebooks refused)."""
    return sorted(p for p in submissions.iterdir()
                  if (p.is_dir() or p.is_symlink()) and not p.name.startswith("."))


def linked(learner: Path, path: Path) -> bool:
    """Whether `path`, or a folder between the learner's folder and it, is a symbolic link."""
    here = learner
    if here.is_symlink():
        return True
    for part in path.relative_to(learner).parts:
        here = here / part
        if here.is_symlink():
            return True
    return False


def notebooks_of(learner: Path) -> Path:
    """The learner's folder of notebooks: the folder itself, or the workspace inside a hub home."""
    if learner.is_symlink():
        return learner
    if not any(learner.glob("*.ipynb")) and (learner / HUB_WORKSPACE).is_dir():
        return learner / HUB_WORKSPACE
    return learner


def submitted(learner: Path) -> list[Path]:
    if learner.is_symlink():
        return []
    folder = notebooks_of(learner)
    return [] if linked(learner, folder) else sorted(folder.glob("*.ipynb"))


def checksums(sources: list[Path]) -> dict[str, str]:
    """sha256 of each instructor notebook and of what every kernel loads (init.jsh, the library)."""
    files = list(sources) + [paths.NOTEBOOKS / "init.jsh", paths.LIB_JAR]
    return {str(f): student.sha256(f.read_bytes()) for f in files if f.is_file()}


def grade_all(submissions: Path, out: Path, limits: grader.Limits, names: list[str] | None = None,
              progress=print, sources: list[Path] | None = None, jobs: int = 1, unsafe: bool = False,
              on_result=None) -> list[grader.NotebookGrade]:
    """Grades every learner's notebooks against the instructor `sources` (default: notebooks/), `jobs` notebooks at
    a time; `names` restricts to those notebooks (default: every one that some learner submitted). `on_result` is
    called with each notebook's grades as they arrive."""
    official = {p.name: p for p in (sources if sources is not None else paths.notebook_sources())}
    before = checksums(list(official.values()))
    learners = learners_in(submissions)
    handed_in = {p.name for learner in learners for p in submitted(learner)}
    wanted = names or sorted(n for n in official if n in handed_in)
    unknown = [n for n in wanted if n not in official]
    if unknown:
        raise SystemExit(f"No instructor notebook named {', '.join(unknown)} in {paths.NOTEBOOKS}")
    references: dict[str, dict[str, list[grader.Answer]]] = {}
    for name in wanted:
        started = time.monotonic()
        references[name] = grader.reference_answers(official[name], out / "reference", limits, unsafe)
        if references[name]:
            progress(f"  reference answers of {name}: {', '.join(references[name])} "
                     f"({time.monotonic() - started:.0f} s)")
    results: dict[tuple[str, str], grader.NotebookGrade] = {}
    tasks = []

    def report(result: grader.NotebookGrade) -> None:
        results[(result.learner, result.notebook)] = result
        summary = ", ".join(f"{g.exercise} {g.status}" for g in result.grades) or "no exercises"
        progress(f"  {result.learner:<16} {result.notebook:<30} {result.seconds:6.1f} s  {summary}")
        if on_result:
            on_result(result)
    for learner in learners:
        folder = notebooks_of(learner)
        for name in wanted:
            file = folder / name
            ids = [e.id for e in exercises.find(nbformat.read(official[name], as_version=4))]
            if learner.is_symlink() or linked(learner, file):
                report(grader.NotebookGrade(learner.name, name, [grader.Grade(
                    i, grader.INVALID, f"{learner.name}/ or its {name} is a symbolic link: only a learner's own "
                    "files are graded") for i in ids]))
            elif os.path.lexists(file):
                tasks.append((learner.name, file, official[name], out / "graded" / learner.name, limits,
                              references[name], unsafe))
            else:
                report(grader.NotebookGrade(learner.name, name, [
                    grader.Grade(i, grader.MISSING, f"no {name} in {learner.name}/") for i in ids]))
    if jobs <= 1:
        for task in tasks:
            report(grader.grade(*task))
    else:
        context = multiprocessing.get_context("spawn")
        with concurrent.futures.ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            futures = {pool.submit(grader.grade, *task): task for task in tasks}
            for future in concurrent.futures.as_completed(futures):
                try:
                    report(future.result())
                except Exception as e:  # the worker itself died: this notebook's grade says so, the rest go on
                    learner, _, source = futures[future][:3]
                    ids = [x.id for x in exercises.find(nbformat.read(source, as_version=4))]
                    report(grader.NotebookGrade(learner, source.name, [grader.Grade(
                        i, grader.CRASHED, f"the grader's worker failed: {type(e).__name__}: {e}"[:300])
                        for i in ids]))
    changed = [path for path, digest in checksums(list(official.values())).items() if before.get(path) != digest]
    ordered = []
    for learner in learners:
        stray = sorted(p.name for p in submitted(learner) if p.name not in wanted)
        for index, name in enumerate(wanted):
            result = results[(learner.name, name)]
            if stray and index == 0:
                result.notes.append("not graded (no instructor notebook of that name): " + ", ".join(stray))
            if changed:
                result.notes.append(TAMPERED + ", ".join(changed))
            ordered.append(result)
    if changed:
        progress(TAMPERED + ", ".join(changed))
    return ordered


TAMPERED = "WARNING: instructor files changed while grading, so these grades may not be the official ones: "


def columns(results: list[grader.NotebookGrade]) -> list[tuple[str, str]]:
    seen: dict[tuple[str, str], None] = {}
    for result in sorted(results, key=lambda r: r.notebook):
        for g in result.grades:
            seen.setdefault((result.notebook, g.exercise), None)
    return list(seen)


def table(results: list[grader.NotebookGrade]) -> dict[str, dict[tuple[str, str], grader.Grade]]:
    rows: dict[str, dict[tuple[str, str], grader.Grade]] = {}
    for result in results:
        row = rows.setdefault(result.learner, {})
        for g in result.grades:
            row[(result.notebook, g.exercise)] = g
    return rows


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    """A CSV field a spreadsheet shows as text: one starting like a formula gets a leading apostrophe."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class SafeWriter:
    """csv.writer whose every field goes through `cell` (learner names and reasons come from learners)."""

    def __init__(self, f):
        self.writer = csv.writer(f, quoting=csv.QUOTE_ALL)

    def writerow(self, row) -> None:
        self.writer.writerow([cell(v) for v in row])


RESULT_HEADER = ["learner", "notebook", "exercise", "status", "reason", "seconds", "runs", "peak_memory_mb", "notes"]


def result_rows(r: grader.NotebookGrade) -> list[list]:
    return [[r.learner, r.notebook, g.exercise, g.status, g.reason, f"{r.seconds:.1f}", r.runs,
             f"{r.peak_memory_mb:.0f}" if r.peak_memory_mb else "", " | ".join(r.notes)] for g in r.grades]


def write_csv(results: list[grader.NotebookGrade], out: Path) -> None:
    cols, rows = columns(results), table(results)
    with open(out / "scores.csv", "w", encoding="utf-8", newline="") as f:
        writer = SafeWriter(f)
        writer.writerow(["learner"] + [f"{n[:2]} {e}" for n, e in cols] + ["passed", "exercises"])
        for learner, row in rows.items():
            statuses = [row[c].status if c in row else grader.MISSING for c in cols]
            writer.writerow([learner] + statuses + [statuses.count(grader.PASSED), len(cols)])
    with open(out / "results.csv", "w", encoding="utf-8", newline="") as f:
        writer = SafeWriter(f)
        writer.writerow(RESULT_HEADER)
        for r in results:
            for row in result_rows(r):
                writer.writerow(row)


def write_html(results: list[grader.NotebookGrade], out: Path, limits: grader.Limits) -> None:
    cols, rows = columns(results), table(results)
    e = html.escape
    head = "".join(f"<th title=\"{e(n)}\">{e(ex)}<br><small>{e(n[:2])}</small></th>" for n, ex in cols)
    body = []
    for learner, row in rows.items():
        cells = []
        for c in cols:
            g = row.get(c, grader.Grade(c[1], grader.MISSING, "no submission"))
            fg, bg = COLOURS[g.status]
            cells.append(f"<td style=\"color:{fg};background:{bg}\" title=\"{e(g.reason)}\">{e(g.status)}</td>")
        passed = sum(1 for c in cols if c in row and row[c].status == grader.PASSED)
        body.append(f"<tr><th>{e(learner)}</th>{''.join(cells)}<td>{passed} / {len(cols)}</td></tr>")
    reasons = []
    for r in results:
        for g in r.grades:
            if g.status != grader.PASSED:
                reasons.append(f"<tr><td>{e(r.learner)}</td><td>{e(r.notebook)}</td><td>{e(g.exercise)}</td>"
                               f"<td>{e(g.status)}</td><td>{e(g.reason)}</td></tr>")
        for note in r.notes:
            reasons.append(f"<tr><td>{e(r.learner)}</td><td>{e(r.notebook)}</td><td></td><td>note</td>"
                           f"<td>{e(note)}</td></tr>")
        if r.source_matches is False:
            reasons.append(f"<tr><td>{e(r.learner)}</td><td>{e(r.notebook)}</td><td></td><td>note</td><td>the "
                           "learner's copy came from another version of the instructor notebook</td></tr>")
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Unrolled · autograde</title>
<style>body{{font-family:sans-serif;margin:2em;color:#1a202c}} table{{border-collapse:collapse;margin:1em 0}}
td,th{{border:1px solid #cbd5e0;padding:4px 8px;text-align:left;vertical-align:top}} th small{{color:#718096}}</style>
</head><body>
<h1>Autograde</h1>
<p>{len(rows)} learner(s), {len(cols)} exercise(s), graded {e(time.strftime('%Y-%m-%d %H:%M'))} with the official
checks; limits per notebook: {limits.cell_seconds} s per cell, {limits.notebook_seconds} s in all, {limits.memory_mb} MB
of memory, {limits.restarts} restart(s). Hover a cell for its reason; all reasons are listed below.</p>
<table><tr><th>learner</th>{head}<th>passed</th></tr>
{''.join(body)}
</table>
<h2>Reasons</h2>
<table><tr><th>learner</th><th>notebook</th><th>exercise</th><th>status</th><th>reason</th></tr>
{''.join(reasons)}
</table>
</body></html>
"""
    (out / "index.html").write_text(page, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./unrolled autograde", description=__doc__.splitlines()[0])
    parser.add_argument("submissions", type=Path, help="a folder with one sub-folder of notebooks per learner")
    parser.add_argument("--out", type=Path, default=paths.BUILD / "autograde", help="default: build/autograde/")
    parser.add_argument("--notebooks", nargs="+", help="grade only these (names in notebooks/)")
    parser.add_argument("--cell-timeout", type=int, default=grader.Limits.cell_seconds, help="seconds per cell")
    parser.add_argument("--notebook-timeout", type=int, default=grader.Limits.notebook_seconds,
                        help="seconds per submitted notebook, restarts included")
    parser.add_argument("--memory", type=int, default=grader.Limits.memory_mb, help="MB per kernel")
    parser.add_argument("--restarts", type=int, default=grader.Limits.restarts,
                        help="fresh kernels after a timeout or a dead kernel, per notebook")
    parser.add_argument("--jobs", type=int, default=1,
                        help="notebooks graded at once (default 1; at most one per two cores is a fair start)")
    parser.add_argument("--unsafe", action="store_true",
                        help="grade without the sandbox: learners' code then runs with your rights (only for "
                             "submissions you trust, on a machine where the sandbox cannot be set up)")
    args = parser.parse_args(argv)
    if not args.submissions.is_dir():
        print(f"No such folder: {args.submissions}", file=sys.stderr)
        return 2
    if not paths.LIB_JAR.is_file():
        print("The helper library is not built. Run ./unrolled setup first.", file=sys.stderr)
        return 2
    if args.out.resolve().is_relative_to(args.submissions.resolve()):
        print("--out must not be inside the submissions folder (the learners' files are never written to)",
              file=sys.stderr)
        return 2
    if args.submissions.resolve().is_relative_to(args.out.resolve()):
        print("the submissions folder must not be inside --out", file=sys.stderr)
        return 2
    if not args.unsafe:
        reason = sandbox.available()
        if reason:
            print(f"Refusing to grade: {reason}.\nEvery submission runs learners' code, which is graded only inside "
                  "the sandbox (a throw-away user, its own namespaces and control group). To grade anyway, with the "
                  "learners' code running with your rights, pass --unsafe.", file=sys.stderr)
            return 2
    limits = grader.Limits(args.cell_timeout, args.notebook_timeout, args.memory, args.restarts)
    args.out.mkdir(parents=True, exist_ok=True)
    learners = learners_in(args.submissions)
    if not learners:
        print(f"No learner folders in {args.submissions}: expected one sub-folder of notebooks per learner.",
              file=sys.stderr)
        return 2
    print(f"Grading {len(learners)} learner(s) in {args.submissions}"
          + (" WITHOUT the sandbox (--unsafe)" if args.unsafe else " in the sandbox") + ":", flush=True)
    started = time.monotonic()
    with open(args.out / "results.csv", "w", encoding="utf-8", newline="") as partial:
        writer = SafeWriter(partial)   # grades as they arrive: a stopped run still leaves them
        writer.writerow(RESULT_HEADER)

        def arrived(result: grader.NotebookGrade) -> None:
            for row in result_rows(result):
                writer.writerow(row)
            partial.flush()
        try:
            results = grade_all(args.submissions, args.out, limits, args.notebooks,
                                progress=lambda line: print(line, flush=True), jobs=args.jobs, unsafe=args.unsafe,
                                on_result=arrived)
        except (grader.NoReference, sandbox.SandboxUnavailable) as e:
            print(f"Grading stopped: {e}", file=sys.stderr)
            return 2
    write_csv(results, args.out)
    write_html(results, args.out, limits)
    if any(note.startswith(TAMPERED) for r in results for note in r.notes):
        return 1
    print(f"Graded in {time.monotonic() - started:.0f} s: {args.out / 'scores.csv'}, {args.out / 'results.csv'}, "
          f"{args.out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
