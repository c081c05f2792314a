"""Set-up with a `java` kernel that is not Unrolled's: it names the kernel and version and says whether the notebooks
are verified in it. The kernelspecs here are built the way each kernel's own build lays them out (the jar entries
that carry the version were read from jars built from each kernel's source)."""
import json
import zipfile

import pytest
from jupyter_client.kernelspec import KernelSpecManager

from unrolledtools.notebooks import kernel as unrolled_kernel

JJAVA_ARGV = ["java", "-jar", "{resource_dir}/jjava-launcher.jar", "{resource_dir}/jjava.jar", "{connection_file}"]
IJAVA_ARGV = ["java", "-jar", "{resource_dir}/ijava-1.3.0.jar", "{connection_file}"]


def pom_properties(artifact, version):
    return f"artifactId={artifact}\ngroupId=org.dflib.jjava\nversion={version}\n"


# (what the spec folder holds: jar name -> {entry: text}, argv) for each kernel version
SPECS = {
    "JJava 1.0-a5": ({"jjava-launcher.jar": {"META-INF/MANIFEST.MF": "Main-Class: x\n"},
                      "jjava.jar": {"jjava-kernel-metadata.json": '{"version": "1.0-a5", "project": "jjava"}'}},
                     JJAVA_ARGV),
    "JJava 1.0-a7": ({"jjava-launcher.jar": {},
                      "jjava.jar": {"META-INF/maven/org.dflib.jjava/jjava-kernel/pom.properties":
                                    pom_properties("jjava-kernel", "1.0-a7")}}, JJAVA_ARGV),
    "JJava 1.0-SNAPSHOT": ({"jjava.jar": {"META-INF/maven/org.dflib.jjava/jjava-kernel/pom.properties":
                                          pom_properties("jjava-kernel", "1.0-SNAPSHOT")}}, JJAVA_ARGV),
    "JJava 1.0-a4": ({"jjava.jar": {"jjava-kernel-metadata.json": '{"version": "1.0-a4"}'}}, JJAVA_ARGV),
    "IJava 1.3.0": ({"ijava-1.3.0.jar": {"ijava-kernel-metadata.json": '{"version": "1.3.0", "project": "ijava"}'}},
                    IJAVA_ARGV),
    "IJava 1.4.0": ({"ijava-1.4.0.jar": {"ijava-kernel-metadata.json": '{"version": "1.4.0"}'}},
                    ["java", "-jar", "{resource_dir}/ijava-1.4.0.jar", "{connection_file}"]),
    "IJava 1.2.0": ({"ijava-1.2.0.jar": {"ijava-kernel-metadata.json": '{"version": "1.2.0"}'}},
                    ["java", "-jar", "{resource_dir}/ijava-1.2.0.jar", "{connection_file}"]),
    "rapaio-jupyter-kernel 3.0.1": (
        {"rapaio-jupyter-kernel-3.0.1.jar": {
            "META-INF/maven/io.github.padreati/rapaio-jupyter-kernel/pom.properties": "version=3.0.1\n"}},
        ["java", "-jar", "{resource_dir}/rapaio-jupyter-kernel-3.0.1.jar", "{connection_file}"]),
    "a kernel Unrolled does not recognise": ({"other.jar": {"a/B.class": ""}},
                                             ["java", "-jar", "{resource_dir}/other.jar", "{connection_file}"]),
}
SUPPORTED = {"JJava 1.0-a5", "JJava 1.0-a7", "JJava 1.0-SNAPSHOT", "IJava 1.3.0", "IJava 1.4.0"}


def write_spec(folder, name):
    jars, argv = SPECS[name]
    folder.mkdir(parents=True)
    for jar, entries in jars.items():
        with zipfile.ZipFile(folder / jar, "w") as archive:
            archive.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n")
            for entry, text in entries.items():
                if entry != "META-INF/MANIFEST.MF":
                    archive.writestr(entry, text)
    (folder / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "Java", "language": "java"}))
    return folder


@pytest.mark.parametrize("name", sorted(SPECS))
def test_the_kernel_and_its_version_are_read_from_its_jar(tmp_path, name):
    found = unrolled_kernel.identify(write_spec(tmp_path / "java", name))
    assert str(found) == name
    assert found.supported == (name in SUPPORTED)


def test_a_jar_named_only_in_kernel_json_is_read_too(tmp_path):
    elsewhere = write_spec(tmp_path / "lib", "IJava 1.3.0")
    spec = tmp_path / "java"
    spec.mkdir()
    (spec / "kernel.json").write_text(json.dumps({"argv": ["java", "-jar", str(elsewhere / "ijava-1.3.0.jar")]}))
    assert str(unrolled_kernel.identify(spec)) == "IJava 1.3.0"


def setup_with(tmp_path, capsys, name):
    kernels = tmp_path / "kernels"
    spec = write_spec(kernels / "java", name)
    before = sorted((p.name, p.read_bytes()) for p in spec.iterdir())
    manager = KernelSpecManager(kernel_dirs=[str(kernels)])
    assert unrolled_kernel.install("java", "1g", replace_other=False, manager=manager) == 0
    assert sorted((p.name, p.read_bytes()) for p in spec.iterdir()) == before, "the learner's kernel was changed"
    return capsys.readouterr().out


def test_setup_names_a_supported_foreign_kernel_and_leaves_it(tmp_path, capsys):
    out = setup_with(tmp_path, capsys, "JJava 1.0-a7")
    assert "not Unrolled's:\n          JJava 1.0-a7. It was left untouched." in out, out
    assert "Supported (notebooks run in it)." in out, out
    assert "--replace-kernel" not in out, out


def test_setup_says_how_a_version_it_has_not_run_is_known_to_work(tmp_path, capsys):
    out = setup_with(tmp_path, capsys, "IJava 1.4.0")
    assert "Supported (its source read, the same API as IJava 1.3.0; not run here)." in out, out


@pytest.mark.parametrize("name", ["JJava 1.0-a4", "IJava 1.2.0", "rapaio-jupyter-kernel 3.0.1",
                                  "a kernel Unrolled does not recognise"])
def test_setup_gives_an_unsupported_foreign_kernel_the_replace_advice(tmp_path, capsys, name):
    out = setup_with(tmp_path, capsys, name)
    assert f"not Unrolled's:\n          {name}. It was left untouched." in out, out
    assert "Not supported:" in out and "./unrolled setup --replace-kernel" in out, out
