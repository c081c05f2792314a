"""Where things are in the repository, and where generated files go."""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
NOTEBOOKS = ROOT / "notebooks"
LIB_JAR = ROOT / "lib" / "target" / "unrolled.jar"
KERNEL_DIR = ROOT / "kernel"
BUILD = ROOT / "build"
EXECUTED = BUILD / "executed"
BOOK = BUILD / "book"
LOGS = BUILD / "logs"


def loading_source(jar: str, init: str) -> str:
    """A loading cell: magics only (rapaio rejects cells that mix magics and Java). `%classpath` with a jar file is
    the one form every supported kernel accepts without writing to stderr: JJava 1.0-a6 and later print a
    deprecation for `%jars`, and Unrolled's launcher teaches rapaio's `%classpath` to take a jar."""
    return f"%classpath {jar}\n%load {init}"


# The first cell of every notebook, with paths relative to notebooks/ (Jupyter's working directory for a notebook).
LOADING_CELL = loading_source("../lib/target/unrolled.jar", "../notebooks/init.jsh")
# First lines that mark a learner's copy of a loading cell, now or in notebooks saved before `%classpath`.
LOADING_MAGICS = ("%classpath ", "%jars ")


def notebook_sources(directory: Path = NOTEBOOKS) -> list[Path]:
    """The curriculum's notebooks in study order: NN-slug.ipynb, sorted by number."""
    return sorted(p for p in directory.glob("[0-9][0-9]-*.ipynb") if p.is_file())
