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
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

from .paths import BUILD, KERNEL_DIR

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
            raise SystemExit(f"The kernel jar {jar} is missing: run `mvn -f kernel/pom.xml package` (./unrolled setup does).")
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


def install(java: str, heap: str, replace_other: bool) -> int:
    staged = stage(java, heap)
    manager = KernelSpecManager()
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
            print(f"  kernel: a kernel named '{NAME}' is already installed at {existing}, and it is not Unrolled's.\n"
                  "          It was left untouched; the notebooks will run in it if it is IJava or JJava.\n"
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
    parser = argparse.ArgumentParser(prog="unrolledtools.kernel")
    parser.add_argument("--java", required=True, help="the java command of a JDK 17 or newer")
    parser.add_argument("--heap", default="3g", help="the kernel's heap limit, also ND4J's off-heap limit")
    parser.add_argument("--replace-kernel", action="store_true")
    args = parser.parse_args(argv)
    return install(args.java, args.heap, args.replace_kernel)


if __name__ == "__main__":
    sys.exit(main())
