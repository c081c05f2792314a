"""The installed Java kernel: Unrolled's kernelspec, and an interrupt that never leaves a silently broken kernel.

rapaio-jupyter-kernel's own interrupt (interrupt_mode "message") was measured to leave the kernel answering
"ok" to every later cell while running none of them. The kernelspec therefore asks Jupyter to send SIGINT,
which ends the JVM at once; Jupyter's restarter then starts a fresh kernel and tells the learner so.
"""
import json
import os
import shutil
import signal
import subprocess
import time

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

from unrolledtools.notebooks import kernel as unrolled_kernel
from unrolledtools.common import paths


def started_kernel(attempts=4, specs=None):
    """A started kernel `java` (from `specs`, a KernelSpecManager, or the installed one) and its client."""
    for _ in range(attempts):
        km = KernelManager(kernel_name="java", **({"kernel_spec_manager": specs} if specs else {}))
        km.start_kernel(stderr=subprocess.DEVNULL)
        kc = km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=20)
            return km, kc
        except RuntimeError:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
    raise AssertionError(f"the kernel did not start in {attempts} attempts")


def test_the_installed_java_kernel_is_unrolleds():
    spec = KernelSpecManager().get_kernel_spec("java")
    assert spec.interrupt_mode == "signal"
    assert "unrolled" in spec.metadata
    assert any(arg.startswith("-Xmx") for arg in spec.argv)
    assert "{resource_dir}/unrolled-kernel.jar" in spec.argv, "the kernel must start through Unrolled's launcher"


def test_the_kernel_gives_the_library_the_vector_units():
    """The kernelspec adds the incubating jdk.incubator.vector module, without which the fast recurrent layers fall
    back to their portable loops (the same numbers, about 1.6 times slower for an LSTM forward pass)."""
    km, kc = started_kernel()
    try:
        out = []

        def hook(message):
            if message["msg_type"] == "stream":
                out.append(message["content"].get("text", ""))

        jar = paths.LIB_JAR
        for code in (f"%classpath {jar}", "System.out.println(unrolled.fast.FastRecurrentLayer.elementwiseUnits());"):
            reply = kc.execute_interactive(code, timeout=60, output_hook=hook)
            assert reply["content"]["status"] == "ok", reply["content"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    assert out and out[-1].startswith("Vector API, "), out


def test_the_loading_cell_runs_without_a_word_and_the_library_finds_the_kernel():
    """The notebooks' first cell is `%classpath <jar>`, the form JJava and IJava accept silently; rapaio's own
    %classpath takes folders only, so the launcher adds a handler for jar files that prints nothing."""
    km, kc = started_kernel()
    try:
        outputs = []
        loading = paths.loading_source(str(paths.LIB_JAR), str(paths.NOTEBOOKS / "init.jsh"))
        reply = kc.execute_interactive(loading, timeout=60, output_hook=outputs.append)
        assert reply["content"]["status"] == "ok", reply["content"]
        shown = [m for m in outputs if m["msg_type"] in ("stream", "display_data", "execute_result", "error")]
        assert shown == [], shown
        reply = kc.execute_interactive("Notebook.kernelName()", timeout=60, output_hook=outputs.append)
        assert reply["content"]["status"] == "ok", reply["content"]
        results = [m["content"]["data"] for m in outputs if m["msg_type"] == "execute_result"]
        assert results and "RAPAIO" in " ".join(results[-1].values()), results
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_the_kernel_answers_and_logs_nothing_at_info_level(tmp_path):
    log = tmp_path / "kernel.log"
    with open(log, "w") as err:
        for _ in range(4):
            km = KernelManager(kernel_name="java")
            km.start_kernel(stderr=err, stdout=err)
            kc = km.client()
            kc.start_channels()
            try:
                kc.wait_for_ready(timeout=20)
                reply = kc.execute_interactive("1 + 1", timeout=30, output_hook=lambda m: None)
                assert reply["content"]["status"] == "ok"
                break
            except RuntimeError:
                continue
            finally:
                kc.stop_channels()
                km.shutdown_kernel(now=True)
        else:
            raise AssertionError("the kernel did not start in 4 attempts")
    text = log.read_text()
    assert "[INFO" not in text and "NullPointerException" not in text, text[-2000:]


def test_every_start_answers_at_once_and_keeps_its_heartbeat(tmp_path):
    """rapaio's LoopThread starts its thread before setting the flag its loop tests, so a loop could end before it
    began: without the launcher's repair, 3 to 4 starts in 20 never answered. And a first request that arrives while
    the handler map fills is dropped ("Unhandled message"), which costs a Jupyter server its 60 s kernel_info wait."""
    silent, no_heartbeat = [], []
    log = tmp_path / "kernels.log"
    for attempt in range(20):
        km = KernelManager(kernel_name="java")
        with open(log, "a") as err:
            km.start_kernel(stderr=err, stdout=err)
        kc = km.client()
        kc.start_channels()
        try:
            try:
                kc.wait_for_ready(timeout=30)
            except RuntimeError:
                silent.append(attempt)
                continue
            deadline = time.monotonic() + 5
            while not kc.hb_channel.is_beating() and time.monotonic() < deadline:
                time.sleep(0.1)
            time.sleep(1.5)  # the client's heartbeat pings once a second and marks a missed reply
            if not kc.hb_channel.is_beating():
                no_heartbeat.append(attempt)
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
    assert not silent and not no_heartbeat, \
        f"of 20 starts, {silent} never answered kernel_info and {no_heartbeat} did not answer heartbeats"
    assert "Unhandled message" not in log.read_text(), log.read_text()[-2000:]


def test_the_template_renders_to_a_kernelspec_with_the_given_java_and_heap():
    rendered = unrolled_kernel.render("/opt/jdk/bin/java", "2g")
    assert rendered["argv"][:3] == ["/usr/bin/env", "--default-signal=INT", "/opt/jdk/bin/java"]
    assert "-Xmx2g" in rendered["argv"] and "-Dorg.bytedeco.javacpp.maxbytes=2g" in rendered["argv"]
    assert "@" not in json.dumps(rendered), "a placeholder was left unfilled"


def interrupt_a_runaway_cell(km, kc) -> str:
    """Runs an endless loop, interrupts it after 2 s, waits up to 10 s for the kernel to end; returns the request id."""
    msg_id = kc.execute("long n = 0; while (true) { n++; }")
    time.sleep(2)
    km.interrupt_kernel()
    deadline = time.monotonic() + 10
    while km.is_alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    return msg_id


def test_an_interrupt_ends_a_busy_kernel_promptly_and_a_restart_works():
    km, kc = started_kernel()
    try:
        interrupt_a_runaway_cell(km, kc)
        assert not km.is_alive(), "the interrupted kernel is still running: it would look busy or broken"
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        # What Jupyter's restarter does next: start a fresh kernel (with the runner's retries for rapaio's rare silent
        # start).
        km, kc = started_kernel()
        outputs = []
        reply = kc.execute_interactive("6 * 7", timeout=30, output_hook=outputs.append)
        assert reply["content"]["status"] == "ok"
        results = [m["content"]["data"] for m in outputs if m["msg_type"] == "execute_result"]
        assert results and "42" in next(iter(results[0].values()))
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def sigint_ignored(pid: int) -> bool:
    """Whether the process ignores SIGINT (bit 2 of the SigIgn mask in /proc/<pid>/status)."""
    for line in open(f"/proc/{pid}/status", encoding="ascii"):
        if line.startswith("SigIgn:"):
            return bool(int(line.split()[1], 16) & (1 << (signal.SIGINT - 1)))
    raise AssertionError(f"/proc/{pid}/status has no SigIgn line")


def test_a_kernel_started_with_sigint_ignored_still_stops_on_interrupt_and_tells_the_cell_what_to_do(tmp_path):
    """A Jupyter server started in the background (`./unrolled study &`, a script, a service) runs with SIGINT
    ignored, and its kernels inherit that; a JVM that starts so never reacts to ■. The kernelspec rendered from
    kernel/kernel.json (what ./unrolled setup installs) must restore the default, and the running cell must say
    what happened and what to do."""
    java = os.path.realpath(shutil.which("java"))
    unrolled_kernel.stage(java, "1g", tmp_path / "kernels")
    specs = KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")])
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        assert sigint_ignored(os.getpid())
        km, kc = started_kernel(specs=specs)
    finally:
        signal.signal(signal.SIGINT, previous)
    try:
        pid = km.provisioner.pid
        assert not sigint_ignored(pid), "the JVM inherited SIGINT ignored: an interrupt would do nothing"
        msg_id = interrupt_a_runaway_cell(km, kc)
        assert not km.is_alive(), "the interrupted kernel is still running: the cell would run on, silently"
        said = []
        while True:
            try:
                message = kc.get_iopub_msg(timeout=1)
            except Exception:  # queue.Empty: nothing more arrived
                break
            if message["msg_type"] == "stream" and message["parent_header"].get("msg_id") == msg_id:
                said.append(message["content"]["text"])
        text = "".join(said)
        assert "Interrupted" in text and "first cell" in text and "Run All Above" in text, said
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_a_started_kernel_announces_starting_so_the_notebook_ui_sees_a_restarted_kernel(tmp_path):
    """After Jupyter restarts a kernel that died, the classic Notebook shows "Dead kernel" until the new kernel
    publishes status "starting" on IOPub (ipykernel does at start; rapaio does not, Unrolled's launcher does)."""
    unrolled_kernel.stage(os.path.realpath(shutil.which("java")), "1g", tmp_path / "kernels")
    km = KernelManager(kernel_name="java",
                       kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")]))
    km.start_kernel(stderr=subprocess.DEVNULL)
    kc = km.client()
    kc.start_channels()
    try:
        states = []
        deadline = time.monotonic() + 60
        while "starting" not in states and time.monotonic() < deadline:
            try:
                message = kc.get_iopub_msg(timeout=1)
            except Exception:  # queue.Empty: nothing yet
                continue
            if message["msg_type"] == "status":
                states.append(message["content"]["execution_state"])
        assert "starting" in states, f"the kernel published only {states} in 60 s"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
