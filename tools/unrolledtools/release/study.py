"""`./unrolled study`: opens Jupyter on the learner's own workspace, the student version of every notebook.

    ./unrolled study [FOLDER] [--instructor] [--lab | --classic] [Jupyter's own options]

The workspace (by default `student/`) gets the student version of each notebook on first use (as `./unrolled
release` writes it: every exercise unsolved, hidden checks left out). Later starts add the notebooks the curriculum
gained and refresh the ones the learner never changed; a notebook the learner changed is never overwritten. When the
curriculum changed such a notebook, the learner is told how to get the new version beside theirs.

Every notebook's first cell loads `../lib/target/unrolled.jar` and `../notebooks/init.jsh`, so a workspace is a folder
directly inside the clone, beside `notebooks/`; any other folder is refused with the reason. `--instructor` opens
`notebooks/` itself, every solution filled in.

JupyterLab is used when it is installed, the classic Notebook otherwise (`--lab` or `--classic` choose). As root,
Jupyter needs `--allow-root`, which is added and said. Every other option goes to Jupyter unchanged; the folder may
also be given as Jupyter's `--notebook-dir`, so it is passed once.
"""
from __future__ import annotations

import importlib.util
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ..common import paths
from . import publish, student

DEFAULT_WORKSPACE = paths.ROOT / "student"
# Jupyter's options that name the folder it serves: taken as the workspace, so it reaches Jupyter once.
FOLDER_OPTIONS = ("--notebook-dir", "--ServerApp.root_dir", "--NotebookApp.notebook_dir")
# This command's own flags; everything else goes to Jupyter.
OWN_FLAGS = ("--instructor", "--lab", "--classic")
# What a workspace may hold besides notebooks: the release manifest, and hidden folders (Jupyter's checkpoints).
WORKSPACE_FILES = (".ipynb", publish.MANIFEST)


class StudyError(ValueError):
    """A request `./unrolled study` cannot serve; the message says what was expected and what was given."""


@dataclass
class Options:
    folder: Path | None = None   # None: the default workspace (or notebooks/ with --instructor)
    instructor: bool = False
    ui: str = "auto"             # "auto", "lab" or "classic"
    jupyter: list[str] = field(default_factory=list)


@dataclass
class Workspace:
    folder: Path
    created: list[str] = field(default_factory=list)   # first written now: first use, or new in the curriculum
    refreshed: list[str] = field(default_factory=list)  # the learner had not changed them; the curriculum had
    yours: list[str] = field(default_factory=list)      # changed by the learner, kept; the curriculum is the same
    newer: list[str] = field(default_factory=list)      # changed by the learner, kept; the curriculum changed since
    retired: list[str] = field(default_factory=list)    # student copies of notebooks the curriculum no longer has, kept


USAGE = "./unrolled study [FOLDER] [--instructor] [--lab | --classic] [Jupyter's own options]"


def parse(argv: list[str], caller_dir: Path) -> Options:
    """Splits the command line into this command's options and Jupyter's. FOLDER, if given, comes first or right
    after one of this command's own options (a word after Jupyter's may be that option's value); relative paths are
    relative to `caller_dir`, the folder the command was typed in."""
    options, rest = Options(), list(argv)
    index = 0
    while index < len(rest):
        arg = rest[index]
        name, has_value, value = arg.partition("=")
        ours_before = index == 0 or rest[index - 1] in OWN_FLAGS
        if not arg.startswith("-") and ours_before:
            if options.folder is not None:
                raise StudyError(f"study: expected one folder, but got {options.folder} and {caller_dir / arg}.")
            options.folder = caller_dir / arg
        elif arg == "--instructor":
            options.instructor = True
        elif arg in ("--lab", "--classic"):
            if options.ui not in ("auto", arg[2:]):
                raise StudyError(f"study: expected one of --lab and --classic, but got both. Usage: {USAGE}")
            options.ui = arg[2:]
        elif name in FOLDER_OPTIONS:
            if not has_value:
                if index + 1 >= len(rest):
                    raise StudyError(f"study: {name} expects a folder, but none was given.")
                index += 1
                value = rest[index]
            if options.folder is not None:
                raise StudyError(f"study: expected one folder, but got {options.folder} and {value}.")
            options.folder = caller_dir / value
        else:
            options.jupyter.append(arg)
        index += 1
    if options.instructor and options.folder is not None and options.folder.resolve() != paths.NOTEBOOKS.resolve():
        raise StudyError(f"study: --instructor opens notebooks/, so it takes no other folder, "
                         f"but got {options.folder}.")
    return options


def check_folder(folder: Path, root: Path = paths.ROOT) -> Path:
    """The workspace folder, resolved, if the notebooks' relative loading paths hold there; otherwise StudyError."""
    folder = folder.resolve()
    root = root.resolve()
    if folder.parent != root:
        raise StudyError(
            f"study: a workspace must be a folder directly inside the clone, beside notebooks/ (for example "
            f"{root / 'mywork'}), because each notebook's first cell loads ../lib/target/unrolled.jar and "
            f"../notebooks/init.jsh; {folder} is not.")
    if folder.is_file():
        raise StudyError(f"study: expected a folder, but {folder} is a file.")
    if folder.is_dir():
        others = sorted(p.name for p in folder.iterdir()
                        if not p.name.startswith(".") and not p.name.endswith(WORKSPACE_FILES))
        if others:
            raise StudyError(
                f"study: expected a workspace (a folder of notebooks, or a new folder), but {folder.name}/ holds "
                f"other files: {', '.join(others[:5])}{' …' if len(others) > 5 else ''}. Name a new folder instead.")
    return folder


def source_of(notebook: Path) -> str | None:
    """The sha256 of the instructor notebook a student copy was made from (recorded in its metadata)."""
    try:
        return nbformat.read(notebook, as_version=4).metadata.get("unrolled", {}).get("source_sha256")
    except (OSError, ValueError, AttributeError):
        return None


def prepare(folder: Path, sources: list[Path] | None = None, root: Path = paths.ROOT) -> Workspace:
    """Creates or brings up to date the workspace `folder` (checked with check_folder against the clone `root`) from
    `sources` (by default every notebook in notebooks/), never overwriting a notebook the learner changed."""
    sources = paths.notebook_sources() if sources is None else sources
    folder = check_folder(folder, root)
    existed = {source.name for source in sources if (folder / source.name).exists()}
    outcome = publish.write(sources, folder)
    workspace = Workspace(folder)
    for path in outcome.written:
        (workspace.refreshed if path.name in existed else workspace.created).append(path.name)
    by_name = {source.name: source for source in sources}
    for path in outcome.kept:
        current = student.sha256(by_name[path.name].read_bytes())
        (workspace.yours if source_of(path) == current else workspace.newer).append(path.name)
    # a copy this command once wrote of a notebook since renamed or split (it records its source): kept, and named
    workspace.retired = sorted(path.name for path in folder.glob("[0-9][0-9]-*.ipynb")
                               if path.name not in by_name and not path.name.endswith(".mine.ipynb")
                               and source_of(path) is not None)
    return workspace


def newer_name(name: str) -> str:
    """Where a learner's own copy can go to make room for the curriculum's new version: `05-lstm.mine.ipynb`."""
    return name[: -len(".ipynb")] + ".mine.ipynb"


def describe(workspace: Workspace) -> list[str]:
    """What the learner is told about their workspace."""
    shown = publish.shown(workspace.folder)
    lines = []
    if workspace.created:
        names = f" ({', '.join(workspace.created)})" if len(workspace.created) <= 3 else ""
        lines.append(f"Your workspace {shown}/: wrote {len(workspace.created)} student notebook(s){names}, every "
                     f"exercise unsolved.")
    if workspace.refreshed:
        lines.append(f"Updated {len(workspace.refreshed)} notebook(s) you had not changed to the curriculum's new "
                     f"version: {', '.join(workspace.refreshed)}.")
    if workspace.yours:
        lines.append(f"Kept your work in {len(workspace.yours)} notebook(s): {', '.join(workspace.yours)}.")
    for name in workspace.newer:
        lines.append(f"{name}: the curriculum has a newer version, and yours has your changes, so it was kept. To get "
                     f"the new one beside yours, rename yours (for example to {newer_name(name)}) and run "
                     f"./unrolled study again.")
    if workspace.retired:
        lines.append(f"No longer in the curriculum, which renamed or split them: {', '.join(workspace.retired)}. "
                     f"They are kept as they are, with your work; the notebooks that replace them are beside them.")
    if not lines:
        lines.append(f"Your workspace {shown}/ is up to date.")
    return lines


def jupyter_command(options: Options, folder: Path, python: str = sys.executable,
                    is_root: bool | None = None, installed=None) -> tuple[list[str], list[str]]:
    """The command that starts Jupyter on `folder`, and what to tell the learner about it."""
    installed = installed or (lambda module: importlib.util.find_spec(module) is not None)
    is_root = os.geteuid() == 0 if is_root is None else is_root
    notes = []
    if options.ui == "lab" or (options.ui == "auto" and installed("jupyterlab")):
        if not installed("jupyterlab"):
            raise StudyError("study: --lab asks for JupyterLab, but it is not installed for " + python +
                             ". Leave out --lab to use the classic Notebook, or install JupyterLab.")
        module, ui = "jupyterlab", "JupyterLab"
    else:
        if not installed("notebook"):
            raise StudyError("study: Jupyter Notebook is not installed. Run ./unrolled setup first.")
        module, ui = "notebook", "Jupyter Notebook"
    extra = list(options.jupyter)
    if is_root and "--allow-root" not in extra:
        extra.append("--allow-root")
        notes.append("Running as root: starting Jupyter with --allow-root, which it needs to run as root.")
    command = [python, "-m", module, f"--notebook-dir={folder}", *extra]
    what = ("the instructor notebooks, every solution filled in" if folder == paths.NOTEBOOKS.resolve()
            else "your own copies, every exercise to do")
    notes.append(f"Opening {ui} on {publish.shown(folder)}/ ({what}). Start with 00-start-here.ipynb; "
                 "stop the server with Ctrl+C twice.")
    return command, notes


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if any(arg in ("-h", "--help") for arg in argv):
        print(__doc__)
        return 0
    caller_dir = Path(os.environ.get("UNROLLED_CALLER_DIR") or os.getcwd())
    try:
        options = parse(argv, caller_dir)
        if options.instructor or (options.folder is not None
                                  and options.folder.resolve() == paths.NOTEBOOKS.resolve()):
            folder = paths.NOTEBOOKS.resolve()
        else:
            workspace = prepare(options.folder or DEFAULT_WORKSPACE)
            folder = workspace.folder
            for line in describe(workspace):
                print(line)
        command, notes = jupyter_command(options, folder)
    except (StudyError, student.SolutionError) as e:
        print(f"unrolled: {e}", file=sys.stderr)
        return 2
    for note in notes:
        print(note)
    sys.stdout.flush()
    os.execv(command[0], command)
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
