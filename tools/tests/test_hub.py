"""The workshop hub's security posture, from its configuration file and its workspace hook (no hub is started)."""
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from traitlets.config import Config

from unrolledtools.common import paths
from unrolledtools.grading import sandbox
from unrolledtools.hub import accounts as hubaccounts, workspace as hubspace

CONFIG = paths.ROOT / "tools" / "hub" / "jupyterhub_config.py"


def load(monkeypatch, tmp_path, euid=0, roster=("ada", "ben"), roster_admins=(), **env):
    """The configuration the hub would start with, for the given UNROLLED_HUB_* variables and the accounts that
    `hub setup --roster` recorded."""
    (tmp_path / "private").mkdir(mode=0o700, exist_ok=True)
    accounts = tmp_path / "private" / "accounts.json"
    accounts.unlink(missing_ok=True)
    if roster:
        accounts.write_text(json.dumps({"learners": list(roster), "admins": list(roster_admins)}), encoding="utf-8")
    for key in [k for k in os.environ if k.startswith("UNROLLED_HUB_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("UNROLLED_ROOT", str(paths.ROOT))
    monkeypatch.setenv("UNROLLED_HUB_DIR", str(tmp_path))
    monkeypatch.setenv("UNROLLED_HUB_PASSWORD", "shared-secret")
    for key, value in env.items():
        monkeypatch.setenv(f"UNROLLED_HUB_{key.upper()}", value)
    monkeypatch.setattr(os, "geteuid", lambda: euid)
    config = Config()
    exec(compile(CONFIG.read_text(encoding="utf-8"), str(CONFIG), "exec"), {"get_config": lambda: config})
    return config


def test_no_learner_server_runs_as_root_and_terminals_are_off(monkeypatch, tmp_path):
    config = load(monkeypatch, tmp_path, auth="pam")
    assert "--allow-root" not in config.Spawner.args
    assert "--NotebookApp.terminals_enabled=False" in config.Spawner.args
    assert config.JupyterHub.spawner_class == "unrolledtools.hub.spawner.LimitedLocalProcessSpawner"
    assert config.JupyterHub.authenticator_class == "jupyterhub.auth.PAMAuthenticator"
    assert load(monkeypatch, tmp_path, auth="pam", terminals="1").Spawner.args == []


def test_only_the_rosters_learners_and_the_admins_may_log_in_and_memory_is_not_left_to_a_watchdog(  # noqa: E501
        monkeypatch, tmp_path):
    config = load(monkeypatch, tmp_path, auth="pam", roster_admins=("teacher",), admins="helper")
    assert config.Authenticator.allowed_users == {"ada", "ben", "teacher", "helper"}
    assert config.Authenticator.admin_users == {"teacher", "helper"}
    assert config.LocalAuthenticator.create_system_users is False
    assert config.JupyterHub.services == []   # no memory watchdog (nor load-test token, not asked for)
    assert config.Spawner.cpu_limit == 1.0
    with pytest.raises(SystemExit, match="No learners are recorded"):
        load(monkeypatch, tmp_path, auth="pam", roster=())
    with pytest.raises(SystemExit, match="root may not be an admin"):
        load(monkeypatch, tmp_path, auth="pam", admins="root")
    with pytest.raises(SystemExit, match="runs as root"):
        load(monkeypatch, tmp_path, euid=1000, auth="pam")


def test_the_hubs_secrets_are_kept_in_a_folder_only_its_owner_opens(monkeypatch, tmp_path):
    config = load(monkeypatch, tmp_path, auth="pam")
    private = tmp_path / "private"
    assert (private.stat().st_mode & 0o777) == 0o700
    assert config.JupyterHub.db_url == f"sqlite:///{private / 'jupyterhub.sqlite'}"
    assert config.JupyterHub.cookie_secret_file == str(private / "cookie_secret")


def test_the_shared_password_mode_is_refused_as_root(monkeypatch, tmp_path):
    with pytest.raises(SystemExit, match="as root"):
        load(monkeypatch, tmp_path, euid=0, auth="shared")
    assert "--allow-root" not in load(monkeypatch, tmp_path, euid=1000, auth="shared").Spawner.args


def test_an_admin_is_never_authenticated_by_the_shared_password(monkeypatch, tmp_path):
    with pytest.raises(SystemExit, match="account of their own"):
        load(monkeypatch, tmp_path, euid=1000, auth="shared", admins="teacher")
    assert load(monkeypatch, tmp_path, auth="pam", admins="teacher").Authenticator.admin_users == {"teacher"}
    assert "memory-watchdog" in [s["name"] for s in load(monkeypatch, tmp_path, euid=1000).JupyterHub.services]


@pytest.mark.parametrize("ip", ["0.0.0.0", "192.168.1.20", "::"])
def test_the_hub_refuses_plain_http_beyond_loopback(monkeypatch, tmp_path, ip):
    with pytest.raises(SystemExit, match="plain HTTP"):
        load(monkeypatch, tmp_path, auth="pam", ip=ip)
    config = load(monkeypatch, tmp_path, auth="pam", ip=ip, ssl_cert="/etc/hub.crt", ssl_key="/etc/hub.key")
    assert config.JupyterHub.bind_url.startswith("https://") and config.JupyterHub.ssl_key == "/etc/hub.key"
    assert load(monkeypatch, tmp_path, auth="pam").JupyterHub.bind_url == "http://127.0.0.1:8000"


@pytest.fixture
def learner():
    """A home folder owned by a user id nobody has, in a folder anyone may pass through, as /home is."""
    uid = random.randrange(2_100_000_000, 2_140_000_000)
    top = Path(tempfile.mkdtemp(prefix="unrolled-hubtest-"))
    top.chmod(0o755)
    home = top / "home"
    home.mkdir()
    os.chown(home, uid, uid)
    yield home, uid
    shutil.rmtree(top)


def test_the_workspace_is_made_with_the_learners_rights_and_never_overwritten(learner):
    home, uid = learner
    files = {"init.jsh": b"import java.util.*;\n", "01-recurrence.ipynb": b"{}"}
    hubspace.as_learner(uid, uid, hubspace.prepare, home, paths.ROOT, files)
    work = home / "unrolled" / "workshop"
    assert (work / "01-recurrence.ipynb").stat().st_uid == uid and (work / "01-recurrence.ipynb").read_bytes() == b"{}"
    assert os.readlink(home / "unrolled" / "lib") == str(paths.ROOT / "lib")
    (work / "01-recurrence.ipynb").write_bytes(b"learner's work")
    hubspace.as_learner(uid, uid, hubspace.prepare, home, paths.ROOT, files)
    assert (work / "01-recurrence.ipynb").read_bytes() == b"learner's work"


@pytest.mark.parametrize("planted", ["unrolled", "unrolled/workshop", "unrolled/notebooks/init.jsh"])
def test_the_hook_refuses_a_link_the_learner_planted_and_writes_nothing_through_it(learner, planted):
    home, uid = learner
    protected = home.parent / "protected"       # root's, like /etc
    protected.mkdir(mode=0o777)                 # even where the learner may write, the hook does not go
    for folder in Path(planted).parents[:-1][::-1]:
        (home / folder).mkdir()
        os.chown(home / folder, uid, uid)
    (home / planted).symlink_to(protected / "target" if planted.endswith(".jsh") else protected)
    os.lchown(home / planted, uid, uid)
    files = {"init.jsh": b"x", "01-a.ipynb": b"{}"}
    with pytest.raises(RuntimeError, match=f"~/{planted} is a symbolic link"):
        hubspace.as_learner(uid, uid, hubspace.prepare, home, paths.ROOT, files)
    assert list(protected.iterdir()) == []


def test_a_learners_processes_share_one_memory_limit_that_the_kernel_enforces():
    """What the hub's spawner does before a learner's server starts: join the learner's control group (made at the
    first log-in, reused at the next). A grandchild that outgrows the limit is stopped, whatever its environment."""
    name = f"unrolled-hub-test-{os.getpid()}"
    group = sandbox.ControlGroup(name, memory_mb=150, processes=64, reuse=True)
    try:
        again = sandbox.ControlGroup(name, memory_mb=150, processes=64, reuse=True)
        hog = "import subprocess, sys; subprocess.run([sys.executable, '-c', 'b = bytes(1) * (400 << 20)'])"
        server = subprocess.Popen([sys.executable, "-c", hog], preexec_fn=again.join, env={"JUPYTERHUB_USER": "x"})
        assert server.wait(timeout=60) == 0 and group.out_of_memory()
    finally:
        assert group.kill_all()
        group.remove()


def test_a_learners_processes_share_one_cpu_limit_that_the_kernel_enforces():
    """Two busy processes of one learner (a server and a child, say), limited to 0.02 cores together: the kernel
    holds them back (its throttling count grows) and they get no more than 0.02 cores' time between them, however
    many cores are idle. (0.02, so that the limit bites even on a machine so loaded that an unlimited process gets
    only a few percent of a core.)"""
    from unrolledtools.hub import spawner as hubspawner
    name = f"test-cpu-{os.getpid()}"
    group, cpu = hubspawner.learner_groups(name, memory_mb=200, cpus=0.02)
    burn = "import os, time\nchild = os.fork()\nwhile time.process_time() < 0.03: pass\nchild and os.waitpid(child, 0)"
    try:
        began = time.monotonic()
        busy = subprocess.Popen([sys.executable, "-S", "-c", burn],
                                preexec_fn=lambda: (group.join(), cpu.join(str(os.getpid()))))
        assert busy.wait(timeout=120) == 0
        wall, seconds = time.monotonic() - began, group.cpu_seconds() or 0
        assert cpu.throttled() > 0
        assert 0.06 <= seconds < 0.02 * wall + 0.03, f"{seconds:.2f} s of CPU in {wall:.1f} s under a 0.02-core limit"
    finally:
        group.kill_all()
        group.remove()
        hubspawner.remove_groups(name)


def test_no_server_is_started_as_root():
    from unrolledtools.hub import spawner as hubspawner
    spawner = hubspawner.LimitedLocalProcessSpawner.__new__(hubspawner.LimitedLocalProcessSpawner)
    with pytest.raises(RuntimeError, match="would run as root"):
        spawner.make_preexec_fn("root")


def test_a_roster_is_read_with_full_names_and_comments_and_every_bad_line_is_named(tmp_path):
    roster = tmp_path / "roster.txt"
    roster.write_text("# class of March\nada   Ada  Lovelace\n\nben # no full name\n", encoding="utf-8")
    assert hubaccounts.read_roster(roster) == [hubaccounts.Learner("ada", "Ada Lovelace"), hubaccounts.Learner("ben")]
    roster.write_text("ada\nAda\n../x\nada\ncy Cy:x\n" + "d" * 33 + "\n", encoding="utf-8")
    with pytest.raises(hubaccounts.RosterError) as refused:
        hubaccounts.read_roster(roster)
    message = str(refused.value)
    for expected in ["5 problem(s)", "line 2: 'Ada' is not a user name", "line 3: '../x'",
                     "line 4: 'ada' is listed twice", "line 5: the full name of 'cy'", "line 6:"]:
        assert expected in message
    roster.write_text("# nobody yet\n", encoding="utf-8")
    with pytest.raises(hubaccounts.RosterError, match="names no learner"):
        hubaccounts.read_roster(roster)


def test_the_system_names_and_accounts_the_hub_did_not_make_are_refused_before_anything_changes():
    learners = [hubaccounts.Learner(n) for n in ("root", "nobody", "sudo", "daemon", "unrolled-nobody-has-this")]
    with pytest.raises(hubaccounts.RosterError) as refused:
        hubaccounts.check(learners, admins=["no-such-teacher"])
    message = str(refused.value)
    assert "admin 'no-such-teacher' has no account" in message
    for name in ("root", "nobody", "sudo", "daemon"):
        assert f"'{name}' is a name the system keeps for itself" in message
    with pytest.raises(hubaccounts.RosterError, match="admin 'root' is a system account"):
        hubaccounts.check([], admins=["root"])
    to_make, existing = hubaccounts.check([hubaccounts.Learner("unrolled-nobody-has-this")], admins=[])
    assert [learner.name for learner in to_make] == ["unrolled-nobody-has-this"] and existing == []


def test_learner_passwords_are_long_random_and_unambiguous():
    passwords = {hubaccounts.new_password() for _ in range(200)}
    assert len(passwords) == 200
    assert all(len(p) == 14 and set(p) <= set(hubaccounts.PASSWORD_ALPHABET) for p in passwords)
    assert not set("0o1li") & set(hubaccounts.PASSWORD_ALPHABET)
