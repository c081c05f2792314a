"""`./unrolled study`: the learner's workspace (first use, a changed notebook kept, a new curriculum file added, an
update of an untouched notebook, the copy of a notebook the curriculum renamed kept and named), where a workspace may
be, and the Jupyter command (options passed through once, root, JupyterLab or the classic Notebook)."""
import subprocess
from pathlib import Path

import nbformat
import pytest

from unrolledtools.common import paths
from unrolledtools.release import study

SOLUTION = "double answer() {\n    // BEGIN SOLUTION\n    return 42;\n    // END SOLUTION\n}"


def instructor_notebook(path: Path, extra: str = "") -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(paths.LOADING_CELL),
                nbformat.v4.new_markdown_cell("# A lesson" + extra),
                nbformat.v4.new_code_cell(SOLUTION, metadata={"tags": ["exercise-1.1"]}),
                nbformat.v4.new_code_cell('Exercise.checkNumber("1.1", "the answer", () -> answer(), 42, 0);',
                                          metadata={"tags": ["check-1.1"]})]
    nbformat.write(nb, path)
    return path


@pytest.fixture
def clone(tmp_path):
    """A clone's layout: notebooks/ with two lessons; the workspace goes beside it."""
    (tmp_path / "notebooks").mkdir()
    sources = [instructor_notebook(tmp_path / "notebooks" / name) for name in ("00-start.ipynb", "01-recurrence.ipynb")]
    return tmp_path, sources


def learner_edits(path: Path) -> bytes:
    nb = nbformat.read(path, as_version=4)
    nb.cells[2].source = "double answer() {\n    return 6 * 7;\n}"
    nbformat.write(nb, path)
    return path.read_bytes()


def test_first_use_writes_the_student_version_of_every_notebook(clone):
    root, sources = clone
    workspace = study.prepare(root / "student", sources, root)
    assert workspace.created == ["00-start.ipynb", "01-recurrence.ipynb"]
    assert not workspace.refreshed and not workspace.yours and not workspace.newer
    for source in sources:
        text = (root / "student" / source.name).read_text()
        assert "throw Exercise.todo();" in text and "return 42" not in text and "BEGIN SOLUTION" not in text
    assert study.describe(workspace)[0].endswith(
        "wrote 2 student notebook(s) (00-start.ipynb, 01-recurrence.ipynb), every exercise unsolved.")


def test_a_second_start_changes_nothing(clone):
    root, sources = clone
    study.prepare(root / "student", sources, root)
    before = {p.name: p.read_bytes() for p in (root / "student").glob("*.ipynb")}
    workspace = study.prepare(root / "student", sources, root)
    assert not (workspace.created or workspace.refreshed or workspace.yours or workspace.newer)
    assert {p.name: p.read_bytes() for p in (root / "student").glob("*.ipynb")} == before
    assert study.describe(workspace) == [f"Your workspace {root / 'student'}/ is up to date."]


def test_a_notebook_the_learner_changed_is_kept_even_when_the_curriculum_changes(clone):
    root, sources = clone
    study.prepare(root / "student", sources, root)
    mine = learner_edits(root / "student" / "01-recurrence.ipynb")
    workspace = study.prepare(root / "student", sources, root)
    assert workspace.yours == ["01-recurrence.ipynb"] and not workspace.newer
    instructor_notebook(sources[1], extra=", revised")
    workspace = study.prepare(root / "student", sources, root)
    assert workspace.newer == ["01-recurrence.ipynb"] and not workspace.refreshed
    assert (root / "student" / "01-recurrence.ipynb").read_bytes() == mine
    said = "\n".join(study.describe(workspace))
    assert "01-recurrence.ipynb: the curriculum has a newer version" in said and "01-recurrence.mine.ipynb" in said
    # following the advice gives the new version beside the learner's
    (root / "student" / "01-recurrence.ipynb").rename(root / "student" / "01-recurrence.mine.ipynb")
    workspace = study.prepare(root / "student", sources, root)
    assert workspace.created == ["01-recurrence.ipynb"]
    assert "revised" in (root / "student" / "01-recurrence.ipynb").read_text()
    assert (root / "student" / "01-recurrence.mine.ipynb").read_bytes() == mine


def test_a_notebook_new_in_the_curriculum_is_added_and_the_others_are_left_alone(clone):
    root, sources = clone
    study.prepare(root / "student", sources, root)
    mine = learner_edits(root / "student" / "00-start.ipynb")
    untouched = (root / "student" / "01-recurrence.ipynb").read_bytes()
    sources.append(instructor_notebook(root / "notebooks" / "02-bptt.ipynb"))
    workspace = study.prepare(root / "student", sources, root)
    assert workspace.created == ["02-bptt.ipynb"] and workspace.yours == ["00-start.ipynb"]
    assert (root / "student" / "00-start.ipynb").read_bytes() == mine
    assert (root / "student" / "01-recurrence.ipynb").read_bytes() == untouched
    assert "throw Exercise.todo();" in (root / "student" / "02-bptt.ipynb").read_text()


def test_a_copy_of_a_notebook_the_curriculum_renamed_is_kept_and_named_as_no_longer_in_it(clone):
    root, sources = clone
    study.prepare(root / "student", sources, root)
    mine = learner_edits(root / "student" / "01-recurrence.ipynb")
    (root / "student" / "00-start.mine.ipynb").write_bytes(mine)               # set aside as describe() suggests
    nbformat.write(nbformat.v4.new_notebook(), root / "student" / "02-scratch.ipynb")   # the learner's own notebook
    sources[1].rename(root / "notebooks" / "02-recurrence.ipynb")
    sources[1] = root / "notebooks" / "02-recurrence.ipynb"
    workspace = study.prepare(root / "student", sources, root)
    assert workspace.created == ["02-recurrence.ipynb"]
    assert workspace.retired == ["01-recurrence.ipynb"]
    assert (root / "student" / "01-recurrence.ipynb").read_bytes() == mine
    said = "\n".join(study.describe(workspace))
    assert "No longer in the curriculum, which renamed or split them: 01-recurrence.ipynb. They are kept" in said
    assert "02-scratch" not in said and "mine" not in said


def test_a_notebook_the_learner_never_changed_follows_the_curriculum(clone):
    root, sources = clone
    study.prepare(root / "student", sources, root)
    instructor_notebook(sources[0], extra=", revised")
    workspace = study.prepare(root / "student", sources, root)
    assert workspace.refreshed == ["00-start.ipynb"] and not workspace.newer
    assert "revised" in (root / "student" / "00-start.ipynb").read_text()


def test_a_workspace_outside_the_clone_or_in_a_folder_of_other_files_is_refused(clone, tmp_path_factory):
    root, sources = clone
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "work"
    with pytest.raises(study.StudyError,
                       match=r"directly inside the clone, beside notebooks/.*\.\./lib/target/unrolled.jar"):
        study.prepare(elsewhere, sources, root)
    with pytest.raises(study.StudyError, match="directly inside the clone"):
        study.prepare(root / "student" / "deeper", sources, root)
    (root / "lib").mkdir()
    (root / "lib" / "pom.xml").write_text("<project/>")
    with pytest.raises(study.StudyError, match=r"lib/ holds other files: pom.xml"):
        study.prepare(root / "lib", sources, root)
    assert not elsewhere.exists() and list((root / "lib").iterdir()) == [root / "lib" / "pom.xml"]


def test_the_default_workspace_is_student_beside_notebooks_and_git_ignores_it():
    assert study.DEFAULT_WORKSPACE == paths.ROOT / "student"
    ignored = subprocess.run(["git", "-C", str(paths.ROOT), "check-ignore", "-q", "student/01-recurrence.ipynb"])
    assert ignored.returncode == 0, "student/ must be git-ignored: it holds the learner's work"


def test_the_folder_comes_first_or_as_jupyters_notebook_dir_and_every_other_option_passes_through(tmp_path):
    options = study.parse(["mine", "--port=8899", "--no-browser", "--NotebookApp.token=abc"], tmp_path)
    assert options.folder == tmp_path / "mine" and options.ui == "auto" and not options.instructor
    assert options.jupyter == ["--port=8899", "--no-browser", "--NotebookApp.token=abc"]
    for given in (["--notebook-dir=mine"], ["--notebook-dir", "mine"], ["--ServerApp.root_dir=mine"]):
        options = study.parse([*given, "--lab"], tmp_path)
        assert options.folder == tmp_path / "mine" and options.jupyter == [] and options.ui == "lab"
    assert study.parse(["--instructor", "--classic"], tmp_path).instructor
    options = study.parse(["--lab", "mine", "--port", "8899"], tmp_path)
    assert options.folder == tmp_path / "mine" and options.jupyter == ["--port", "8899"]
    with pytest.raises(study.StudyError, match="--instructor opens notebooks/, so it takes no other folder"):
        study.parse(["--instructor", "mine"], tmp_path)
    with pytest.raises(study.StudyError, match="expected one folder, but got"):
        study.parse(["mine", "--notebook-dir=other"], tmp_path)
    with pytest.raises(study.StudyError, match="--lab and --classic, but got both"):
        study.parse(["--lab", "--classic"], tmp_path)


def test_the_command_serves_the_folder_once_adds_allow_root_for_root_and_prefers_jupyterlab(tmp_path):
    def with_modules(*names):
        return lambda module: module in names

    options = study.parse(["--notebook-dir=w", "--port=8899"], tmp_path)
    command, notes = study.jupyter_command(options, tmp_path / "w", "py", is_root=True,
                                           installed=with_modules("notebook"))
    assert command == ["py", "-m", "notebook", f"--notebook-dir={tmp_path / 'w'}", "--port=8899", "--allow-root"]
    assert "Running as root" in notes[0] and "Jupyter Notebook" in notes[1]
    command, notes = study.jupyter_command(study.parse(["--allow-root"], tmp_path), tmp_path, "py", is_root=True,
                                           installed=with_modules("notebook", "jupyterlab"))
    assert command[:3] == ["py", "-m", "jupyterlab"] and command.count("--allow-root") == 1
    assert not any("Running as root" in note for note in notes)
    command, _ = study.jupyter_command(study.parse(["--classic"], tmp_path), tmp_path, "py", is_root=False,
                                       installed=with_modules("notebook", "jupyterlab"))
    assert command == ["py", "-m", "notebook", f"--notebook-dir={tmp_path}"]
    with pytest.raises(study.StudyError, match="--lab asks for JupyterLab, but it is not installed"):
        study.jupyter_command(study.parse(["--lab"], tmp_path), tmp_path, "py", installed=with_modules("notebook"))


def test_the_command_line_refuses_a_folder_elsewhere_relative_to_where_it_was_typed(tmp_path):
    done = subprocess.run([str(paths.ROOT / "unrolled"), "study", "work", "--no-browser"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done
    assert f"{tmp_path / 'work'} is not" in done.stderr and "beside notebooks/" in done.stderr
    assert not (tmp_path / "work").exists()
