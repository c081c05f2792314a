"""Every notebook, executed top to bottom in the real Java kernel: no error, nothing on stderr, no blank plot,
and every exercise of the instructor version passes."""
import base64
import re
import struct
import zlib

from unrolledtools.grading import verdict


def png_pixels_vary(b64: str) -> bool:
    """True if the PNG's decompressed scanlines hold more than a handful of distinct byte values.

    A blank or single-colour image compresses to scanlines of a few repeated bytes; a chart with text and
    lines has hundreds of distinct values.
    """
    data = base64.b64decode(b64)
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    return len(set(zlib.decompress(idat))) > 16


def test_notebook_executes_without_errors_or_stderr(executed, notebook_name):
    result = executed[notebook_name]
    assert result.ok, result.failure.describe()


def test_every_plot_has_ink(executed, notebook_name):
    nb = executed[notebook_name].executed
    assert nb is not None
    for i, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if "image/png" in output.get("data", {}):
                assert png_pixels_vary(output.data["image/png"]), f"{notebook_name} cell {i + 1}: the plot is blank"


def test_every_exercise_passes_in_the_instructor_version(executed, notebook_name):
    nb = executed[notebook_name].executed
    verdicts = verdict.shown(nb.cells)
    failing = [(ex, v) for ex, v in verdicts if v != "passed"]
    assert not failing, f"{notebook_name}: exercises not passing with the solutions in place: {failing}"
    solutions = sum(c.source.count("// BEGIN SOLUTION") for c in nb.cells)
    assert len(verdicts) >= solutions, f"{notebook_name}: {solutions} solution(s) but only {len(verdicts)} check(s) ran"


def test_no_cell_shows_an_object_identity(executed, notebook_name):
    """A cell whose last statement returns an object (printf returns its PrintStream) shows
    'java.io.PrintStream@1de7607'."""
    identity = re.compile(r"^\s*[\w.$]+@[0-9a-f]{5,}\s*$")
    for i, cell in enumerate(executed[notebook_name].executed.cells):
        for output in cell.get("outputs", []):
            if output.output_type == "execute_result":
                for text in output.get("data", {}).values():
                    assert not identity.match(str(text)), (
                        f"{notebook_name} cell {i + 1} shows {text!r}: "
                        "end the cell with a statement that returns nothing "
                        "(e.g. System.out.print(String.format(...)) instead of System.out.printf(...))")
