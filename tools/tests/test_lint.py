"""The tooling passes its linter: Debian's flake8, with the settings in tools/.flake8, finds nothing in tools/."""
import shutil
import subprocess
import sys

from unrolledtools.common import paths

TOOLS = paths.ROOT / "tools"


def flake8() -> list[str]:
    command = shutil.which("flake8")
    if command:
        return [command]
    found = subprocess.run([sys.executable, "-m", "flake8", "--version"], capture_output=True, text=True)
    assert found.returncode == 0, ("flake8 is not installed: `./unrolled test` installs Debian's (apt package flake8); "
                                   f"{found.stderr.strip()}")
    return [sys.executable, "-m", "flake8"]


def test_flake8_finds_nothing_in_the_tooling():
    done = subprocess.run(flake8(), cwd=TOOLS, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and not done.stdout.strip(), f"flake8 in tools/ found:\n{done.stdout}{done.stderr}"


def test_the_settings_still_report_what_they_are_meant_to(tmp_path):
    """The configuration is not so lax that it passes everything: an unused import, an undefined name and a line of
    121 characters are each reported."""
    sample = tmp_path / "sample.py"
    sample.write_text("import os\n\n\ndef f():\n    return undefined_name\n\n\n" + "x = '" + "a" * 115 + "'\n",
                      encoding="utf-8")
    assert len(sample.read_text(encoding="utf-8").splitlines()[-1]) == 121
    done = subprocess.run(flake8() + ["--config", str(TOOLS / ".flake8"), str(sample)], capture_output=True,
                          text=True, timeout=120)
    codes = sorted(line.split()[1] for line in done.stdout.splitlines())
    assert codes == ["E501", "F401", "F821"], done.stdout + done.stderr
