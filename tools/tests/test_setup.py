"""`./unrolled setup` is idempotent: a second run changes nothing and is fast (it was run before the tests)."""
import subprocess
import time

from jupyter_client.kernelspec import KernelSpecManager

from unrolledtools.common import paths


def snapshot():
    spec = __import__("pathlib").Path(KernelSpecManager().get_kernel_spec("java").resource_dir)
    files = [paths.LIB_JAR, *sorted((paths.ROOT / "lib" / "target" / "lib").iterdir()), *sorted(spec.iterdir())]
    return {str(f): f.stat().st_mtime_ns for f in files}


def test_a_second_setup_changes_nothing():
    before = snapshot()
    started = time.monotonic()
    done = subprocess.run([str(paths.ROOT / "unrolled"), "setup"], capture_output=True, text=True, timeout=600)
    seconds = time.monotonic() - started
    assert done.returncode == 0, done.stdout + done.stderr
    assert "library: up to date" in done.stdout and "is installed and up to date" in done.stdout, done.stdout
    assert snapshot() == before, "a second setup rewrote files"
    print(f"second setup took {seconds:.1f} s")


def test_an_unknown_option_is_refused_with_the_accepted_one():
    done = subprocess.run([str(paths.ROOT / "unrolled"), "setup", "--force"], capture_output=True, text=True)
    assert done.returncode == 2
    assert "unknown option '--force' (expected --replace-kernel)" in done.stderr
