"""Shared fixtures: every notebook, in its instructor and its student version, is executed once per test session in
the real Java kernel, and the book is built from the results, exactly as `./unrolled run` does.

The executions are independent (a fresh kernel each), so they run UNROLLED_TEST_JOBS at a time (default 2, one per
core of the machines we measure on) in separate processes; set UNROLLED_TEST_JOBS=1 to run them one after another."""
from __future__ import annotations

import multiprocessing
import os
import shutil
from concurrent.futures import ProcessPoolExecutor

import nbformat
import pytest

from unrolledtools.book import render as book
from unrolledtools.common import paths
from unrolledtools.notebooks import execute
from unrolledtools.release import publish as release


def _jobs() -> int:
    value = os.environ.get("UNROLLED_TEST_JOBS", "2")
    if not value.isdigit() or int(value) < 1:
        raise pytest.UsageError(f"UNROLLED_TEST_JOBS must be a whole number of at least 1, but is {value!r}")
    return int(value)


# The session's notebook runs, kept for the run-time table printed at the end of the session.
_RUNS: dict[tuple[str, str], execute.Result] = {}


@pytest.fixture(scope="session")
def all_runs(tmp_path_factory) -> dict[tuple[str, str], execute.Result]:
    """("instructor" | "student", name) -> result, for every notebook in notebooks/ and its student version."""
    assert paths.LIB_JAR.is_file(), "the library is not built: run ./unrolled setup"
    sources = paths.notebook_sources()
    student_dir = paths.ROOT / ".student-runs-under-test"
    shutil.rmtree(student_dir, ignore_errors=True)
    outcome = release.write(sources, student_dir)
    assert len(outcome.written) == len(sources) and not outcome.kept
    logs = tmp_path_factory.mktemp("kernel-logs")
    work = [("instructor", source, source.parent) for source in sources]
    work += [("student", student_dir / source.name, student_dir) for source in sources]
    try:
        with ProcessPoolExecutor(max_workers=_jobs(), mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = {(version, path.name): pool.submit(execute.execute, path, cwd,
                                                         kernel_log=logs / f"{version}-{path.stem}.log")
                       for version, path, cwd in work}
            results = {key: future.result() for key, future in futures.items()}
        _RUNS.clear()
        # A kernel that never answered its start-up (rapaio's rare silent start, several times in a row) says nothing
        # about the notebook: such a run gets one more round of start attempts, alone, before it counts as failed.
        for version, path, cwd in work:
            result = results[(version, path.name)]
            if result.failure is not None and result.failure.kind == "start":
                results[(version, path.name)] = execute.execute(
                    path, cwd, kernel_log=logs / f"{version}-{path.stem}.retry.log")
        _RUNS.update(results)
        return results
    finally:
        shutil.rmtree(student_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def build_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("build")


@pytest.fixture(scope="session")
def executed(all_runs, build_dir) -> dict[str, execute.Result]:
    """name -> result for every notebook in notebooks/, in study order."""
    results = {}
    for source in paths.notebook_sources():
        result = all_runs[("instructor", source.name)]
        if result.executed is not None:
            nbformat.write(result.executed, build_dir / source.name)
        results[source.name] = result
    return results


@pytest.fixture(scope="session")
def student_executed(all_runs) -> dict[str, execute.Result]:
    """name -> result of the student version of every notebook in notebooks/."""
    return {source.name: all_runs[("student", source.name)] for source in paths.notebook_sources()}


@pytest.fixture(scope="session")
def book_pages(executed, student_executed, build_dir):
    """The book as `./unrolled run` builds it by default: the learner edition, whose exercises come from the student
    runs (the stub and the check's real "not yet"), with our solutions folded."""
    learner_dir = build_dir / "learner"
    learner_dir.mkdir(exist_ok=True)
    ok, learner = [], {}
    for name, result in executed.items():
        theirs = student_executed[name]
        if result.ok and theirs.ok:
            nbformat.write(theirs.executed, learner_dir / name)
            ok.append(build_dir / name)
            learner[name] = learner_dir / name
    out = build_dir / "book"
    pages = book.build(ok, out, {name: r.seconds for name, r in executed.items()}, learner)
    return out, pages


def pytest_generate_tests(metafunc):
    if "notebook_name" in metafunc.fixturenames:
        metafunc.parametrize("notebook_name", [p.name for p in paths.notebook_sources()])


def pytest_terminal_summary(terminalreporter):
    """After a session that executed the notebooks: each one's wall time, its kernel's CPU time and peak memory, so a
    run's costs are on record beside its verdict (wall times are shared out over UNROLLED_TEST_JOBS parallel runs;
    the CPU time is the kernel's own)."""
    if not _RUNS:
        return
    terminalreporter.section("notebook runs (wall s / kernel CPU s / peak MB)")
    for version in ("instructor", "student"):
        rows = sorted((name, result) for (kind, name), result in _RUNS.items() if kind == version)
        for name, result in rows:
            cpu = "?" if result.cpu_seconds is None else f"{result.cpu_seconds:.0f}"
            memory = "?" if result.peak_memory_mb is None else f"{result.peak_memory_mb:.0f}"
            verdict = "ok" if result.ok else "FAILED"
            terminalreporter.write_line(f"{version:10} {name:40} {result.seconds:7.1f} {cpu:>6} {memory:>6}  {verdict}")
