"""The workshop hub as a class meets it: Debian's JupyterHub and configurable-http-proxy started by
`./unrolled hub start` on loopback, with learners' and an admin's real Unix accounts made by
`./unrolled hub setup --roster`. Every account has a prefix unique to this run and is deleted, home included, at
the end. Needs root (accounts, control groups), as the hub itself does."""
import csv
import grp
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from unrolledtools.common import paths
from unrolledtools.hub import accounts as hubaccounts, spawner as hubspawner, workspace as hubspace

PREFIX = "uht" + secrets.token_hex(3)
LEARNERS = [f"{PREFIX}-ada", f"{PREFIX}-ben", f"{PREFIX}-cy"]
ADMIN, OUTSIDER = f"{PREFIX}-teach", f"{PREFIX}-guest"   # ordinary accounts not made by the hub


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tools_env(hub_dir: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("UNROLLED_HUB_")}
    env.update({"UNROLLED_HUB_DIR": str(hub_dir), "PYTHONPATH": str(paths.ROOT / "tools")}, **extra)
    return env


def hub_command(*args) -> list[str]:
    return ["/usr/bin/python3", "-m", "unrolledtools.hub.workshop", *args]


def make_person(name: str, password: str, base: Path) -> None:
    subprocess.run(["useradd", "--create-home", "--home-dir", str(base / name), "--shell", "/bin/sh", name],
                   check=True, capture_output=True)
    subprocess.run(["chpasswd"], input=f"{name}:{password}\n", text=True, check=True, capture_output=True)


def delete_person(name: str) -> None:
    if hubaccounts.account(name) is not None:
        subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)
        time.sleep(0.2)
        subprocess.run(["userdel", "--remove", name], capture_output=True)
    hubspawner.remove_groups(name)


@dataclass
class Hub:
    url: str
    dir: Path
    homes: Path
    log: Path
    token: str
    passwords: dict = field(default_factory=dict)

    def api(self, method: str, path: str, **kwargs):
        return requests.request(method, f"{self.url}/hub/api{path}", timeout=60,
                                headers={"Authorization": f"token {self.token}"}, **kwargs)

    def log_in(self, name: str, password: str) -> requests.Session | None:
        """A session logged in as `name`, or None when the hub refused (its log-in page again, with the error)."""
        session = requests.Session()
        answer = session.post(f"{self.url}/hub/login", data={"username": name, "password": password},
                              allow_redirects=False, timeout=60)
        if answer.status_code == 302 and "jupyterhub-hub-login" in session.cookies:
            return session
        assert answer.status_code in (200, 403) and "Invalid username or password" in answer.text, answer.status_code
        assert "jupyterhub-hub-login" not in session.cookies
        return None

    def start_server(self, name: str, timeout: float = 150) -> dict:
        """Starts `name`'s server through the admin API; the user's model once it is ready, or once it failed."""
        self.api("POST", f"/users/{name}/server")
        began = time.monotonic()
        while time.monotonic() - began < timeout:
            model = self.api("GET", f"/users/{name}").json()
            server = model.get("servers", {}).get("", {})
            if server.get("ready") or (not server and time.monotonic() - began > 3):
                return model
            time.sleep(0.5)
        raise AssertionError(f"{name}'s server neither started nor failed in {timeout:.0f} s")

    def token_of(self, name: str) -> str:
        return self.api("POST", f"/users/{name}/tokens", json={"note": "test", "expires_in": 600}).json()["token"]


@pytest.fixture(scope="module")
def hub():
    assert os.geteuid() == 0, "the live hub tests make Unix accounts and control groups: run them as root"
    assert shutil.which("jupyterhub") and shutil.which("configurable-http-proxy"), \
        "Debian's jupyterhub and node-configurable-http-proxy are missing (./unrolled test installs them)"
    top = Path(tempfile.mkdtemp(prefix="unrolled-hublive-"))
    top.chmod(0o755)
    homes, hub_dir = top / "home", top / "hub"
    homes.mkdir(mode=0o755)
    group_existed = hubaccounts.group_exists(hubaccounts.GROUP)
    process = None
    try:
        person_password = secrets.token_urlsafe(12)
        make_person(ADMIN, person_password, homes)
        make_person(OUTSIDER, person_password, homes)
        roster = top / "roster.txt"
        roster.write_text("# test class\n" + "".join(f"{name}  Learner {i}\n" for i, name in enumerate(LEARNERS)))
        java = shutil.which("java")
        setup = subprocess.run(hub_command("setup", "--java", java, "--roster", str(roster), "--admins", ADMIN,
                                           "--memory", "1024", "--cpus", "0.5", "--home-base", str(homes)),
                               env=tools_env(hub_dir), capture_output=True, text=True, timeout=300)
        assert setup.returncode == 0, setup.stdout + setup.stderr
        with open(hub_dir / "private" / "learner-passwords.csv", encoding="utf-8") as f:
            passwords = {row["user"]: row["password"] for row in csv.DictReader(f)}
        passwords[ADMIN] = passwords[OUTSIDER] = person_password
        port = free_port()
        log = top / "hub.log"
        env = tools_env(hub_dir, UNROLLED_HUB_PORT=str(port), UNROLLED_HUB_API_PORT=str(free_port()),
                        UNROLLED_HUB_PROXY_API_PORT=str(free_port()))
        with open(log, "wb") as out:
            process = subprocess.Popen(hub_command("start"), env=env, stdout=out, stderr=subprocess.STDOUT,
                                       start_new_session=True)
        url = f"http://127.0.0.1:{port}"
        began = time.monotonic()
        while True:
            try:
                if requests.get(f"{url}/hub/api", timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert process.poll() is None, f"the hub exited: {log.read_text(errors='replace')[-3000:]}"
            assert time.monotonic() - began < 90, f"the hub did not answer in 90 s: {log.read_text()[-3000:]}"
            time.sleep(0.5)
        token = (hub_dir / "private" / "api_token").read_text().strip()
        yield Hub(url, hub_dir, homes, log, token, passwords)
    finally:
        if process is not None and process.poll() is None:
            process.terminate()           # the hub stops every learner's server as it ends (cleanup_servers)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)
                process.wait()
        # the instructor's command after a workshop: the learners' accounts go, with their homes; nobody else's
        removal = subprocess.run(hub_command("remove-accounts", "--yes"), env=tools_env(hub_dir), capture_output=True,
                                 text=True, timeout=120)
        left = [name for name in LEARNERS if hubaccounts.account(name) or (homes / name).exists()]
        admin_kept = hubaccounts.account(ADMIN) is not None
        for name in LEARNERS + [ADMIN, OUTSIDER]:
            delete_person(name)
        if not group_existed and hubaccounts.group_exists(hubaccounts.GROUP):
            subprocess.run(["groupdel", hubaccounts.GROUP], capture_output=True)
        shutil.rmtree(top, ignore_errors=True)
    assert all(hubaccounts.account(name) is None for name in LEARNERS + [ADMIN, OUTSIDER])
    assert removal.returncode == 0 and not left and admin_kept, (removal.stdout, removal.stderr, left)


def test_the_roster_made_one_locked_down_account_per_learner_and_a_root_only_password_file(hub):
    passwords = hub.dir / "private" / "learner-passwords.csv"
    info = passwords.stat()
    assert info.st_uid == 0 and (info.st_mode & 0o777) == 0o600
    assert (hub.dir / "private").stat().st_mode & 0o777 == 0o700
    seen = set()
    for name in LEARNERS:
        user = pwd.getpwnam(name)
        home = Path(user.pw_dir)
        assert user.pw_uid >= 1000 and user.pw_shell == "/usr/sbin/nologin" and home.parent == hub.homes
        assert home.stat().st_uid == user.pw_uid and (home.stat().st_mode & 0o777) == 0o700
        assert name in grp.getgrnam(hubaccounts.GROUP).gr_mem
        assert len(hub.passwords[name]) >= 14
        seen.add(hub.passwords[name])
    assert len(seen) == len(LEARNERS)    # a password per learner


def test_setup_again_keeps_every_password_and_refuses_names_it_must_not_take(hub, tmp_path):
    before = (hub.dir / "private" / "learner-passwords.csv").read_bytes()
    roster = tmp_path / "roster.txt"
    roster.write_text("\n".join(LEARNERS) + "\n")
    again = subprocess.run(hub_command("setup", "--java", shutil.which("java"), "--roster", str(roster), "--admins",
                                       ADMIN, "--home-base", str(hub.homes)),
                           env=tools_env(hub.dir), capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "0 learner account(s) made, 3 existing kept" in again.stdout, again.stderr
    assert (hub.dir / "private" / "learner-passwords.csv").read_bytes() == before
    roster.write_text(f"{LEARNERS[0]}\nroot\n")
    refused = subprocess.run(hub_command("setup", "--java", shutil.which("java"), "--roster", str(roster),
                                         "--home-base", str(hub.homes)),
                             env=tools_env(hub.dir), capture_output=True, text=True, timeout=300)
    assert refused.returncode == 2 and "'root' is a name the system keeps for itself" in refused.stderr
    # the accounts this machine now has: an ordinary one the hub did not make, a learner's, an admin's
    for learners, admins, why in [([OUTSIDER], [], "did not make"), ([LEARNERS[0]], [LEARNERS[1]], "learner's account"),
                                  ([ADMIN], [ADMIN], "as a learner and as an admin")]:
        with pytest.raises(hubaccounts.RosterError, match=why):
            hubaccounts.check([hubaccounts.Learner(name) for name in learners], admins)
    assert hubaccounts.check([hubaccounts.Learner(OUTSIDER)], [ADMIN], existing_accounts=True) == ([], [OUTSIDER])
    assert hubaccounts.check([hubaccounts.Learner(LEARNERS[0])], [ADMIN]) == ([], [LEARNERS[0]])


def test_each_learner_logs_in_with_their_own_password_only(hub):
    ada, ben = LEARNERS[0], LEARNERS[1]
    assert hub.log_in(ada, hub.passwords[ada]) is not None
    assert hub.log_in(ben, hub.passwords[ben]) is not None
    assert hub.log_in(ben, hub.passwords[ada]) is None        # not as another learner
    assert hub.log_in(ada, "") is None and hub.log_in(ada, hub.passwords[ada].upper()) is None
    assert hub.log_in(OUTSIDER, hub.passwords[OUTSIDER]) is None   # a real account, but not on the roster
    assert hub.log_in("root", hub.passwords[ada]) is None


def test_the_admin_is_reached_with_the_admins_own_password_only(hub):
    for name in LEARNERS:
        assert hub.log_in(ADMIN, hub.passwords[name]) is None
    admin = hub.log_in(ADMIN, hub.passwords[ADMIN])
    assert admin is not None
    assert admin.get(f"{hub.url}/hub/admin", timeout=60).status_code == 200
    learner = hub.log_in(LEARNERS[0], hub.passwords[LEARNERS[0]])
    assert learner.get(f"{hub.url}/hub/admin", timeout=60, allow_redirects=False).status_code == 403


def server_processes() -> dict[int, tuple[int, str]]:
    """pid -> (user id, JUPYTERHUB_USER) of every Jupyter single-user server on the machine."""
    found = {}
    for entry in os.listdir("/proc"):
        try:
            argv = Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0")
            if not any(b"jupyterhub-singleuser" in arg for arg in argv):
                continue
            env = dict(e.split(b"=", 1) for e in Path(f"/proc/{entry}/environ").read_bytes().split(b"\0") if b"=" in e)
            found[int(entry)] = (os.stat(f"/proc/{entry}").st_uid, env.get(b"JUPYTERHUB_USER", b"").decode())
        except (OSError, ValueError):
            continue
    return found


def control_groups(pid: int) -> dict[str, str]:
    """The process's control group for memory and for CPU (cgroup v1), or its one group (v2)."""
    found = {}
    for line in Path(f"/proc/{pid}/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        for controller in controllers.split(","):
            if controller in ("memory", "cpu"):
                found[controller] = path
    return found or {"v2": next(line for line in Path(f"/proc/{pid}/cgroup").read_text().splitlines()
                                if line.startswith("0::")).split(":", 2)[2]}


@pytest.fixture(scope="module")
def servers(hub):
    """Ada's and Ben's servers, started."""
    models = {name: hub.start_server(name) for name in LEARNERS[:2]}
    for name, model in models.items():
        assert model["servers"].get("", {}).get("ready"), f"{name}: {model} {hub.log.read_text()[-3000:]}"
    return models


def test_every_learners_server_runs_as_that_learner_in_their_control_group_and_none_as_root(hub, servers):
    found = server_processes()
    ours = {pid: who for pid, who in found.items() if who[1] in LEARNERS}
    assert {who[1] for who in ours.values()} == set(LEARNERS[:2])
    for pid, (uid, name) in ours.items():
        assert uid == pwd.getpwnam(name).pw_uid
        status = Path(f"/proc/{pid}/status").read_text()
        real, effective, saved, _ = next(line for line in status.splitlines() if line.startswith("Uid:")).split()[1:]
        assert real == effective == saved == str(uid)
        assert control_groups(pid) and all(path.endswith(f"/unrolled-hub-{name}")
                                           for path in control_groups(pid).values())
    assert all(uid != 0 for uid, _ in found.values())


def test_terminals_are_off_and_a_learner_cannot_reach_another_learners_server(hub, servers):
    ada, ben = LEARNERS[0], LEARNERS[1]
    ada_token = hub.token_of(ada)
    headers = {"Authorization": f"token {ada_token}"}
    own = requests.get(f"{hub.url}/user/{ada}/api/contents", headers=headers, timeout=60)
    assert own.status_code == 200 and "00-start-here.ipynb" in {item["name"] for item in own.json()["content"]}
    assert requests.get(f"{hub.url}/user/{ada}/api/terminals", headers=headers, timeout=60).status_code == 404
    assert requests.post(f"{hub.url}/user/{ada}/api/terminals", headers=headers, timeout=60).status_code in (403, 404)
    other = requests.get(f"{hub.url}/user/{ben}/api/contents", headers=headers, timeout=60, allow_redirects=False)
    assert other.status_code in (403, 404), other.status_code
    escape = requests.get(f"{hub.url}/user/{ada}/api/contents/..%2F..%2F{ben}", headers=headers, timeout=60)
    assert escape.status_code in (400, 403, 404)


def test_a_learner_cannot_read_or_change_another_learners_files(hub, servers):
    ada, ben = (pwd.getpwnam(name) for name in LEARNERS[:2])
    notebook = next((Path(ben.pw_dir) / "unrolled" / "workshop").glob("*.ipynb"))

    def read():
        notebook.read_bytes()

    def write():
        (Path(ben.pw_dir) / "planted").write_text("x")

    for attempt in (read, write):
        with pytest.raises(RuntimeError, match="Permission denied"):
            hubspace.as_learner(ada.pw_uid, ada.pw_gid, attempt)
    assert not (Path(ben.pw_dir) / "planted").exists()


def test_the_hook_refuses_a_symlinked_notebook_folder_and_the_server_does_not_start(hub):
    cy = pwd.getpwnam(LEARNERS[2])
    target = hub.dir.parent / "elsewhere"      # root's, and writable by all: still not followed
    target.mkdir(mode=0o777)
    target.chmod(0o777)
    base = Path(cy.pw_dir) / "unrolled"
    base.mkdir()
    os.chown(base, cy.pw_uid, cy.pw_gid)
    (base / "workshop").symlink_to(target)
    os.lchown(base / "workshop", cy.pw_uid, cy.pw_gid)
    model = hub.start_server(LEARNERS[2])
    assert not model["servers"].get("", {}).get("ready")
    assert list(target.iterdir()) == []
    assert "~/unrolled/workshop is a symbolic link" in hub.log.read_text(errors="replace")


def test_the_hub_refuses_to_listen_beyond_loopback_without_tls(hub):
    port = free_port()
    refused = subprocess.run(hub_command("start"),
                             env=tools_env(hub.dir, UNROLLED_HUB_IP="0.0.0.0", UNROLLED_HUB_PORT=str(port)),
                             capture_output=True, text=True, timeout=120)
    assert refused.returncode != 0
    assert "Refusing to serve 0.0.0.0 over plain HTTP" in refused.stdout + refused.stderr
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0
