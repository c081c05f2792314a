"""`./unrolled release`: writes the student version of every notebook, with a manifest, into a release folder.

Each notebook becomes its student version (student.py: solutions replaced by stubs, hidden checks and grading cells
left out, outputs cleared). `manifest.json` lists, per notebook, its exercises, how many hidden checks and grading
cells the autograder adds, and the sha256 of the instructor source and of the student file written.

A file already in the folder is overwritten only when it is exactly what a release wrote (the manifest's sha256)
or already equal to the fresh copy; otherwise a learner changed it, and it is kept and named (exit status 1).
The notebooks' first cell loads `../lib/target/unrolled.jar` and `../notebooks/init.jsh`, so a release folder is
opened from beside `notebooks/` in a clone with the library built (the default, `release/`, is).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ..common import paths
from ..notebooks import exercises
from . import student

DEFAULT_OUT = paths.ROOT / "release"
MANIFEST = "manifest.json"


@dataclass
class Outcome:
    written: list[Path] = field(default_factory=list)    # new, or replacing an untouched earlier release
    unchanged: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)       # a learner changed them: not overwritten


def read_manifest(out: Path) -> dict:
    try:
        return json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def source_commit() -> str | None:
    try:
        return subprocess.run(["git", "-C", str(paths.ROOT), "rev-parse", "HEAD"], capture_output=True, text=True,
                              check=True, timeout=10).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def write(sources: list[Path], out: Path) -> Outcome:
    """Writes the student version of `sources` and the manifest into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    previous = {entry["notebook"]: entry for entry in read_manifest(out).get("notebooks", [])}
    outcome, entries = Outcome(), []
    for source in sources:
        data = source.read_bytes()
        nb = nbformat.reads(data.decode("utf-8"), as_version=4)
        found = exercises.find(nb)
        text = nbformat.writes(student.student_version(nb, source.name, student.sha256(data))) + "\n"
        entry = {
            "notebook": source.name,
            "exercises": [exercise.id for exercise in found],
            "hidden_checks": sum(len(exercise.hidden_cells) for exercise in found),
            "grading_cells": sum(len(exercise.grade_cells) for exercise in found),
            "instructor_sha256": student.sha256(data),
            "student_sha256": student.sha256(text.encode("utf-8")),
        }
        target = out / source.name
        if target.exists():
            current = target.read_bytes()
            if current == text.encode("utf-8"):
                outcome.unchanged.append(target)
            elif student.sha256(current) == previous.get(source.name, {}).get("student_sha256"):
                target.write_text(text, encoding="utf-8")
                outcome.written.append(target)
            else:
                outcome.kept.append(target)
                entry = dict(previous.get(source.name, entry), learner_changed=True)
                entry["student_sha256"] = previous.get(source.name, {}).get("student_sha256")
        else:
            target.write_text(text, encoding="utf-8")
            outcome.written.append(target)
        entries.append(entry)
    manifest = {
        "release": "Unrolled student notebooks",
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "source_commit": source_commit(),
        "notebooks": entries,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return outcome


def shown(path: Path) -> str:
    try:
        return str(path.relative_to(paths.ROOT))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None, default_out: Path = DEFAULT_OUT, prog: str = "./unrolled release") -> int:
    parser = argparse.ArgumentParser(prog=prog, description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="instructor notebooks (default: all of notebooks/)")
    parser.add_argument("--out", type=Path, default=default_out,
                        help=f"release folder (default: {shown(default_out)}/)")
    parser.add_argument("--tag-sources", action="store_true",
                        help="first add the missing exercise-<id> / check-<id> tags to the instructor notebooks")
    args = parser.parse_args(argv)
    sources = [n.resolve() for n in args.notebooks] or paths.notebook_sources()
    missing = [str(s) for s in sources if not s.is_file()]
    if missing:
        print("No such notebook: " + ", ".join(missing), file=sys.stderr)
        return 2
    if args.tag_sources:
        for name, added in exercises.tag_sources(sources).items():
            print(f"  tagged {name}: {', '.join(added)}")
    untagged = {s.name: p for s in sources if (p := exercises.problems(nbformat.read(s, as_version=4)))}
    for name, found in untagged.items():
        print(f"  note   {name}: {'; '.join(found)} (./unrolled release --tag-sources adds missing tags)")
    out = args.out.resolve()
    try:
        outcome = write(sources, out)
    except student.SolutionError as e:
        print(f"unrolled: {e}", file=sys.stderr)
        return 2
    for path in outcome.written:
        print(f"  wrote  {shown(path)}")
    for path in outcome.unchanged:
        print(f"  same   {shown(path)}")
    for path in outcome.kept:
        print(f"  KEPT   {shown(path)}: a learner changed it since the release wrote it, so it was not overwritten. "
              "Move it away to write the new version.")
    print(f"Student version: {len(outcome.written)} written, {len(outcome.unchanged)} unchanged, "
          f"{len(outcome.kept)} kept, in {shown(out)} (manifest: {MANIFEST}).")
    if out.parent != paths.NOTEBOOKS.resolve().parent:
        print(f"Note: the notebooks load ../lib/target/unrolled.jar, so open them from a folder beside notebooks/ "
              f"in a clone with the library built ({shown(out)} is not).")
    return 1 if outcome.kept else 0


if __name__ == "__main__":
    sys.exit(main())
