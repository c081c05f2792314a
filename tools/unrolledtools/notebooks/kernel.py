"""Installs Unrolled's Java kernel for Jupyter: rapaio-jupyter-kernel under the kernelspec name `java`.

The kernelspec is rendered from kernel/kernel.json (the java command and heap filled in) next to the kernel jar
that `mvn -f kernel/pom.xml package` fetched, and installed for the current user. A `java` kernel that is not
Unrolled's (IJava, JJava, another of the learner's) is never replaced unless asked, and then kept as a backup.
"""
from __future__ import annotations

import argparse
import filecmp
import json
import shutil
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

from ..common.paths import BUILD, KERNEL_DIR

NAME = "java"


def render(java: str, heap: str) -> dict:
    template = (KERNEL_DIR / "kernel.json").read_text(encoding="utf-8")
    return json.loads(template.replace("@JAVA@", java).replace("@HEAP@", heap))


def stage(java: str, heap: str, kernels: Path = BUILD / "kernelspec") -> Path:
    """Writes the kernelspec folder `kernels`/java (by default build/kernelspec/java) and returns it.

    A folder `share/jupyter/kernels` given here, with `JUPYTER_PATH=.../share/jupyter`, selects this kernel for one
    Jupyter server or client without installing it for the user."""
    jars = [KERNEL_DIR / "target" / name for name in ("rapaio-jupyter-kernel.jar", "unrolled-kernel.jar")]
    for jar in jars:
        if not jar.is_file():
            raise SystemExit(f"The kernel jar {jar} is missing: run `mvn -f kernel/pom.xml package` "
                             "(./unrolled setup does).")
    spec = kernels / NAME
    if spec.exists():
        shutil.rmtree(spec)
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps(render(java, heap), indent=2) + "\n", encoding="utf-8")
    for jar in jars:
        shutil.copy2(jar, spec / jar.name)
    return spec


def is_ours(spec_dir: Path) -> bool:
    try:
        return "unrolled" in json.loads((spec_dir / "kernel.json").read_text(encoding="utf-8")).get("metadata", {})
    except (OSError, ValueError):
        return False


def same(a: Path, b: Path) -> bool:
    names = sorted(p.name for p in a.iterdir())
    return names == sorted(p.name for p in b.iterdir()) and all(
        filecmp.cmp(a / n, b / n, shallow=False) for n in names)


# Where each kernel's jar says what it is and which version:
# (kernel, entry in the jar, how the entry gives the version).
MARKERS = (
    ("JJava", "META-INF/maven/org.dflib.jjava/jjava-kernel/pom.properties", "properties"),  # 1.0-a6 and later
    ("JJava", "jjava-kernel-metadata.json", "json"),  # 1.0-a5 and earlier
    ("IJava", "ijava-kernel-metadata.json", "json"),
    ("rapaio-jupyter-kernel", "META-INF/maven/io.github.padreati/rapaio-jupyter-kernel/pom.properties", "properties"),
)
# The kernel versions the notebooks support when a learner's own kernel is `java`, and how each was established
# (1.0-SNAPSHOT: JJava's main branch). rapaio-jupyter-kernel is not among them: its own %classpath refuses the loading
# cell's jar, which Unrolled's launcher teaches it to take.
RUN = "notebooks run in it"
READ = "its source read, the same API as IJava 1.3.0; not run here"
SUPPORTED = {("JJava", "1.0-a5"): RUN, ("JJava", "1.0-a6"): RUN, ("JJava", "1.0-a7"): RUN,
             ("JJava", "1.0-SNAPSHOT"): RUN, ("IJava", "1.3.0"): RUN, ("IJava", "1.4.0"): READ}
SUPPORTED_TEXT = ("JJava 1.0-a5, 1.0-a6, 1.0-a7 and its main branch, IJava 1.3.0 and 1.4.0, "
                  "and Unrolled's own kernel")


@dataclass(frozen=True)
class Identity:
    """What a kernelspec runs: the kernel's name and version (None where they cannot be read)."""
    kernel: str | None
    version: str | None

    @property
    def supported(self) -> bool:
        return (self.kernel, self.version) in SUPPORTED

    def __str__(self) -> str:
        if self.kernel is None:
            return "a kernel Unrolled does not recognise"
        return f"{self.kernel} {self.version or '(version unknown)'}"


def _version(text: str, form: str) -> str | None:
    if form == "json":
        try:
            return json.loads(text).get("version")
        except ValueError:
            return None
    for line in text.splitlines():
        key, _, value = line.partition("=")
        if key.strip() == "version":
            return value.strip()
    return None


def identify(spec_dir: Path) -> Identity:
    """Reads which kernel a kernelspec folder runs: the jars its kernel.json names, then the jars beside it."""
    jars: list[Path] = []
    try:
        argv = json.loads((spec_dir / "kernel.json").read_text(encoding="utf-8")).get("argv", [])
        jars += [Path(arg.replace("{resource_dir}", str(spec_dir))) for arg in argv
                 if isinstance(arg, str) and arg.endswith(".jar")]
    except (OSError, ValueError, AttributeError):
        pass
    jars += sorted(spec_dir.glob("*.jar"))
    for jar in jars:
        try:
            with zipfile.ZipFile(jar) as archive:
                names = set(archive.namelist())
                for kernel, entry, form in MARKERS:
                    if entry in names:
                        return Identity(kernel, _version(archive.read(entry).decode("utf-8", "replace"), form))
        except (OSError, zipfile.BadZipFile):
            continue
    return Identity(None, None)


def install(java: str, heap: str, replace_other: bool, manager: KernelSpecManager | None = None) -> int:
    staged = stage(java, heap)
    manager = manager or KernelSpecManager()
    try:
        existing = Path(manager.get_kernel_spec(NAME).resource_dir)
    except NoSuchKernel:
        existing = None
    if existing is not None and is_ours(existing):
        if same(staged, existing):
            print(f"  kernel: '{NAME}' is installed and up to date ({existing})")
            return 0
    elif existing is not None:
        if not replace_other:
            found = identify(existing)
            print(f"  kernel: a kernel named '{NAME}' is already installed at {existing}, and it is not Unrolled's:\n"
                  f"          {found}. It was left untouched.")
            if found.supported:
                print(f"          Supported ({SUPPORTED[found.kernel, found.version]}).")
                return 0
            print(f"          Not supported: the notebooks run in {SUPPORTED_TEXT}, and may fail in this one.\n"
                  "          To install Unrolled's kernel in its place (the old one is kept as a backup):\n"
                  "              ./unrolled setup --replace-kernel")
            return 0
        backup = existing.with_name(f"{existing.name}.before-unrolled-{time.strftime('%Y%m%d-%H%M%S')}")
        shutil.move(str(existing), backup)
        print(f"  kernel: moved the previous '{NAME}' kernel to {backup}")
    target = manager.install_kernel_spec(str(staged), kernel_name=NAME, user=True)
    print(f"  kernel: installed '{NAME}' (rapaio-jupyter-kernel) at {target}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="unrolledtools.notebooks.kernel")
    parser.add_argument("--java", required=True, help="the java command of a JDK 17 or newer")
    parser.add_argument("--heap", default="3g", help="the kernel's heap limit, also ND4J's off-heap limit")
    parser.add_argument("--replace-kernel", action="store_true")
    args = parser.parse_args(argv)
    return install(args.java, args.heap, args.replace_kernel)


if __name__ == "__main__":
    sys.exit(main())
