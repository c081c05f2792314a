"""`./unrolled run` on deliberately broken notebooks, in the real kernel: it must stop, exit non-zero, and name
the notebook, the cell and the error; and it must never modify the source notebook."""
import re

import nbformat

from unrolledtools.book import run


def notebook(tmp_path, name, *sources):
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": "java", "display_name": "Java", "language": "java"}}
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {name}")] + [nbformat.v4.new_code_cell(s) for s in sources]
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


def test_a_failing_cell_stops_the_run_naming_notebook_cell_and_error(tmp_path, capsys):
    path = notebook(tmp_path, "01-broken.ipynb", "int a = 1;", "int b = a / 0;", "int c = 3;")
    before = path.read_bytes()
    code = run.main([str(path), "--out", str(tmp_path / "out"), "--no-book"])
    captured = capsys.readouterr()
    assert code == 1
    assert "01-broken.ipynb  " in captured.out and "FAILED" in captured.out
    assert "FAILED 01-broken.ipynb, cell 3 (\"int b = a / 0;\")" in captured.err
    assert "ArithmeticException" in captured.err
    assert path.read_bytes() == before, "the source notebook was modified"
    executed = nbformat.read(tmp_path / "out" / "executed" / "01-broken.ipynb", as_version=4)
    assert executed.cells[3].execution_count is None, "cells after the failure must not run"


def test_a_compile_error_is_reported_with_the_compilers_words(tmp_path, capsys):
    path = notebook(tmp_path, "02-typo.ipynb", "int a = undefinedName + 1;")
    assert run.main([str(path), "--out", str(tmp_path / "out"), "--no-book"]) == 1
    err = capsys.readouterr().err
    assert "cell 2" in err and "cannot find symbol" in err


def test_anything_written_to_stderr_fails_the_notebook(tmp_path, capsys):
    path = notebook(tmp_path, "03-noisy.ipynb", "System.out.println(\"fine\");",
                    "System.err.println(\"WARN something\");")
    assert run.main([str(path), "--out", str(tmp_path / "out"), "--no-book"]) == 1
    err = capsys.readouterr().err
    assert "03-noisy.ipynb, cell 3" in err and "wrote to stderr" in err and "WARN something" in err


def test_a_clean_notebook_passes_and_its_copy_has_outputs(tmp_path, capsys):
    path = notebook(tmp_path, "04-fine.ipynb", "System.out.println(6 * 7);")
    assert run.main([str(path), "--out", str(tmp_path / "out")]) == 0
    executed = nbformat.read(tmp_path / "out" / "executed" / "04-fine.ipynb", as_version=4)
    assert executed.cells[1].outputs[0].text.strip() == "42"
    assert (tmp_path / "out" / "book" / "04-fine.html").is_file()
    out = capsys.readouterr().out
    assert "04-fine.ipynb" in out
    assert re.search(r"kernel: started in \d+\.\d s, peak memory \d+ MB", out), out


def test_a_missing_notebook_is_named(tmp_path, capsys):
    assert run.main([str(tmp_path / "nope.ipynb")]) == 2
    assert "No such notebook" in capsys.readouterr().err
