"""Where things are in the repository, and where generated files go."""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
LIB_JAR = ROOT / "lib" / "target" / "unrolled.jar"
KERNEL_DIR = ROOT / "kernel"
BUILD = ROOT / "build"
EXECUTED = BUILD / "executed"
BOOK = BUILD / "book"
LOGS = BUILD / "logs"

# The first cell of every notebook: magics only (rapaio rejects cells that mix magics and Java).
LOADING_CELL = "%jars ../lib/target/unrolled.jar\n%load ../notebooks/init.jsh"


def notebook_sources(directory: Path = NOTEBOOKS) -> list[Path]:
    """The curriculum's notebooks in study order: NN-slug.ipynb, sorted by number."""
    return sorted(p for p in directory.glob("[0-9][0-9]-*.ipynb") if p.is_file())
