"""Shared fixtures: every notebook is executed once per test session, in the real Java kernel, and the book
is built from the results, exactly as `./unrolled run` does."""
from __future__ import annotations

import nbformat
import pytest

from unrolledtools import book, execute, paths


@pytest.fixture(scope="session")
def build_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("build")


@pytest.fixture(scope="session")
def executed(build_dir) -> dict[str, execute.Result]:
    """name -> result for every notebook in notebooks/, executed in study order."""
    assert paths.LIB_JAR.is_file(), "the library is not built: run ./unrolled setup"
    results = {}
    for source in paths.notebook_sources():
        log = build_dir / (source.stem + ".kernel.log")
        result = execute.execute(source, cwd=source.parent, kernel_log=log)
        if result.executed is not None:
            nbformat.write(result.executed, build_dir / source.name)
        results[source.name] = result
    return results


@pytest.fixture(scope="session")
def book_pages(executed, build_dir):
    ok = [build_dir / name for name, result in executed.items() if result.ok]
    out = build_dir / "book"
    pages = book.build(ok, out, {name: r.seconds for name, r in executed.items()})
    return out, pages


def pytest_generate_tests(metafunc):
    if "notebook_name" in metafunc.fixturenames:
        metafunc.parametrize("notebook_name", [p.name for p in paths.notebook_sources()])
