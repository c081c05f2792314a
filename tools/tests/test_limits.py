"""The memory limits of the autograder's kernels and of the workshop hub's learners, on real Java processes."""
import os
import shutil
import subprocess
import sys
import time

import pytest

from unrolledtools.grading import sandbox
from unrolledtools.hub import watchdog as hubwatch

JAVA = shutil.which("java")
HOG = "public class Hog { public static void main(String[] a) throws Exception { Thread.sleep(60_000); } }"


@pytest.fixture
def java_process(tmp_path):
    """Starts a JVM that touches `heap_mb` of heap at start-up and then sleeps, with a hub learner's variable."""
    if JAVA is None:
        pytest.skip("no java on PATH")
    source = tmp_path / "Hog.java"
    source.write_text(HOG, encoding="utf-8")
    started = []

    def start(learner, heap_mb):
        env = dict(os.environ, JUPYTERHUB_USER=learner)
        process = subprocess.Popen([JAVA, f"-Xms{heap_mb}m", f"-Xmx{heap_mb}m", "-XX:+AlwaysPreTouch", str(source)],
                                   env=env)
        started.append(process)
        deadline = time.monotonic() + 60
        while (sandbox.resident_mb(process.pid) or 0) < heap_mb and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1)  # the source launcher compiles Hog before main sleeps
        return process
    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait()


def test_the_kernels_command_line_gets_heap_and_native_limits_from_the_memory():
    argv = ["java", "-Xmx3g", "-Dorg.bytedeco.javacpp.maxbytes=3g", "-XX:+ExitOnOutOfMemoryError", "-jar", "k.jar"]
    assert sandbox.limited_argv(argv, 1000) == [
        "java", "-Xmx400m", "-Dorg.bytedeco.javacpp.maxphysicalbytes=900m", "-Dorg.bytedeco.javacpp.maxbytes=300m",
        "-XX:+ExitOnOutOfMemoryError", "-jar", "k.jar"]
    assert sandbox.limited_argv(["java", "-jar", "ijava.jar"], 1000) == ["java", "-jar", "ijava.jar"]


def test_jvm_options_go_after_the_java_program_even_behind_an_env_wrapper():
    # Unrolled's kernelspec starts java through `env --default-signal=INT`: an option put before java reaches env
    wrapped = ["/usr/bin/env", "--default-signal=INT", "/usr/lib/jvm/bin/java", "-Xmx3g", "-jar", "k.jar"]
    assert sandbox.with_jvm_options(wrapped, ["-Dunrolled.grading=true"]) == [
        "/usr/bin/env", "--default-signal=INT", "/usr/lib/jvm/bin/java", "-Dunrolled.grading=true", "-Xmx3g", "-jar",
        "k.jar"]
    assert sandbox.with_jvm_options(["java", "-jar", "k.jar"], ["-Da=1"]) == ["java", "-Da=1", "-jar", "k.jar"]


def test_the_grading_watchdog_kills_a_kernel_over_its_limit(java_process):
    process = java_process("grading-test", 300)
    watchdog = sandbox.Watchdog(limit_mb=250, interval=0.1)
    watchdog.watch(process)
    process.wait(timeout=10)
    watchdog.stop()
    assert watchdog.killed and watchdog.peak_mb > 250 and process.returncode == -9


def test_the_hub_watchdog_kills_the_kernel_of_the_learner_over_the_limit_only(java_process):
    big, small = java_process("hubwatch-test-big", 400), java_process("hubwatch-test-small", 16)
    found = hubwatch.scan()
    assert [pid for pid, _ in found["hubwatch-test-big"]] == [big.pid]
    limit = (sandbox.resident_mb(big.pid) + sandbox.resident_mb(small.pid)) / 2
    lines = []
    killed = hubwatch.enforce(limit, log=lines.append, prefix="hubwatch-test-")
    assert [(learner, pid) for learner, pid, _ in killed] == [("hubwatch-test-big", big.pid)]
    assert big.wait(timeout=10) == -9 and small.poll() is None
    assert "hubwatch-test-big used" in lines[0]


def test_the_grading_sandbox_can_be_set_up_on_this_machine():
    assert sandbox.available() is None


def test_a_control_group_stops_a_child_process_that_passes_the_memory_limit():
    """The limit holds for the whole tree: here the process that grows is a grandchild, as a learner's would be."""
    group = sandbox.ControlGroup(f"unrolled-test-{os.getpid()}", memory_mb=150, processes=64)
    try:
        hog = "b = bytes(1) * (400 << 20); import time; time.sleep(30)"
        join = " && ".join(f"echo $$ > {f}" for f in group.procs_files)
        parent = subprocess.Popen(["/bin/sh", "-c", f"{join} && {sys.executable} -c '{hog}'; echo $? > /dev/null"])
        assert parent.wait(timeout=60) == 0   # the shell survives: only the grandchild went over
        assert group.out_of_memory()
    finally:
        assert group.kill_all()
        group.remove()


def test_the_sandbox_hides_the_hosts_files_and_leaves_no_process_behind(tmp_path):
    tmp_path.chmod(0o755)
    shared = tmp_path / "shared.txt"
    shared.write_text("library\n", encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("instructor\n", encoding="utf-8")
    script = (f"id -u; cat {shared}; cat {secret} || echo no-secret; echo x > {shared} || echo read-only; "
              "ls /root 2>/dev/null || echo no-root; setsid sleep 300 & echo started")
    with sandbox.Sandbox([shared], sandbox.SandboxLimits(memory_mb=256), {}) as box:
        kernel = tmp_path / "kernel"
        kernel.mkdir(mode=0o755)
        run = subprocess.run(box.command(["/bin/sh", "-c", script, "connection-file"], str(kernel)),
                             capture_output=True, text=True, timeout=60)
        lines = run.stdout.split()
        assert lines[0] == str(box.uid) and box.uid >= sandbox.THROWAWAY_IDS[0]
        assert "library" in lines and "no-secret" in lines and "instructor" not in lines
        assert "read-only" in lines and "no-root" in lines and "started" in lines
    assert box.leftovers() == [] and shared.read_text(encoding="utf-8") == "library\n"


def test_the_grader_refuses_to_run_without_the_sandbox_unless_told_unsafe(tmp_path, monkeypatch, capsys):
    from unrolledtools.grading import autograde
    (tmp_path / "submissions" / "ada").mkdir(parents=True)
    monkeypatch.setattr(sandbox, "available", lambda: "bwrap not found")
    assert autograde.main([str(tmp_path / "submissions"), "--out", str(tmp_path / "out")]) == 2
    message = capsys.readouterr().err
    assert "Refusing to grade: bwrap not found" in message and "--unsafe" in message
