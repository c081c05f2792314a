# JupyterHub configuration for an Unrolled workshop: every learner gets a Jupyter server with the Java kernel and a
# private copy of the student notebooks. Start it with `./unrolled hub start` (which sets the variables below);
# docs/workshop.md explains each choice and how to change it.
#
#   UNROLLED_ROOT          the repository (lib/ built, notebooks/, datasets/)
#   UNROLLED_HUB_DIR       the hub's folder (default build/hub): the student release, the kernelspec, and in private/
#                          (mode 700) the database, cookie secret, tokens, the accounts and their passwords
#   UNROLLED_HUB_API_PORT, UNROLLED_HUB_PROXY_API_PORT  the hub's and the proxy's internal APIs on 127.0.0.1
#                          (default 8081 and 8001)
#   UNROLLED_HUB_IP/PORT   where the hub listens (default 127.0.0.1:8000); any address but loopback needs TLS:
#   UNROLLED_HUB_SSL_CERT/KEY  the certificate and key files the hub serves HTTPS with
#   UNROLLED_HUB_AUTH      "shared": any user name with the shared password (no system accounts; every server runs as
#                          the hub's own user, so it is refused as root, and it has no admins); "pam": the learners
#                          and admins in private/accounts.json (hub setup --roster), each with their own Unix account
#                          and password, each server running as its learner in a control group of its own
#   UNROLLED_HUB_ADMINS    more admin user names (PAM accounts only: an admin never logs in with a shared secret)
#   UNROLLED_HUB_TERMINALS "1" gives learners a terminal (off by default: a terminal is a shell on the server)
#   UNROLLED_HUB_PASSWORD  the shared password (auth "shared")
#   UNROLLED_HUB_MEMORY    memory per learner in MB (the learner's control group; the kernel's heap and native limits)
#   UNROLLED_HUB_CPUS      CPU cores per learner at most (the learner's control group; PAM)
#   UNROLLED_HUB_TOKEN     the API token of the `loadtest` service (admin), used by ./unrolled hub loadtest
import ipaddress
import json
import os
import sys
from pathlib import Path

ROOT = Path(os.environ["UNROLLED_ROOT"]).resolve()
HUB = Path(os.environ.get("UNROLLED_HUB_DIR", ROOT / "build" / "hub")).resolve()
PRIVATE = HUB / "private"
AUTH = os.environ.get("UNROLLED_HUB_AUTH", "shared")
MEMORY_MB = int(os.environ.get("UNROLLED_HUB_MEMORY", "2048"))
CPUS = float(os.environ.get("UNROLLED_HUB_CPUS", "1"))
PYTHON = sys.executable

c = get_config()  # noqa: F821 (JupyterHub provides it)

IP, PORT = os.environ.get("UNROLLED_HUB_IP", "127.0.0.1"), os.environ.get("UNROLLED_HUB_PORT", "8000")
CERT, KEY = os.environ.get("UNROLLED_HUB_SSL_CERT"), os.environ.get("UNROLLED_HUB_SSL_KEY")
ADMINS = set(filter(None, os.environ.get("UNROLLED_HUB_ADMINS", "").split(",")))
ACCOUNTS = (json.loads((PRIVATE / "accounts.json").read_text(encoding="utf-8")) if (PRIVATE / "accounts.json").is_file()
            else {"learners": [], "admins": []})
ADMINS |= set(ACCOUNTS["admins"])


def loopback(ip: str) -> bool:
    try:
        return ip == "localhost" or ipaddress.ip_address(ip).is_loopback
    except ValueError:
        return False


if not loopback(IP) and not (CERT and KEY):
    raise SystemExit(f"Refusing to serve {IP} over plain HTTP: learners' passwords and notebooks would cross the "
                     "network in clear. Set UNROLLED_HUB_SSL_CERT and UNROLLED_HUB_SSL_KEY (certificate and key "
                     "files), or keep the hub on 127.0.0.1 behind a reverse proxy that serves HTTPS.")
if AUTH == "shared" and os.geteuid() == 0:
    raise SystemExit("Refusing the shared-password mode as root: every learner's server would run as root. Give each "
                     "learner an account and use UNROLLED_HUB_AUTH=pam, or start the hub as an unprivileged user.")
if AUTH not in ("shared", "pam"):
    raise SystemExit(f"UNROLLED_HUB_AUTH must be 'shared' or 'pam', not '{AUTH}'.")
if AUTH == "pam" and not ACCOUNTS["learners"]:
    raise SystemExit(f"No learners are recorded in {PRIVATE / 'accounts.json'}: run ./unrolled hub setup --roster FILE "
                     "(only the accounts named there may log in, never every account of the machine).")
if AUTH == "pam" and "root" in ADMINS:
    raise SystemExit("root may not be an admin: an admin's server runs as the admin's own Unix user.")
if AUTH == "shared" and ADMINS:
    raise SystemExit("An admin must log in with an account of their own: UNROLLED_HUB_ADMINS needs "
                     "UNROLLED_HUB_AUTH=pam (the shared password would make anyone who knows it an admin).")
if CERT and KEY:
    c.JupyterHub.ssl_cert, c.JupyterHub.ssl_key = CERT, KEY
c.JupyterHub.bind_url = f"{'https' if CERT and KEY else 'http'}://{IP}:{PORT}"
c.JupyterHub.hub_ip = "127.0.0.1"
# The hub's own API and the proxy's API, on loopback (change them when another hub runs on the machine).
c.JupyterHub.hub_port = int(os.environ.get("UNROLLED_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('UNROLLED_HUB_PROXY_API_PORT', '8001')}"
PRIVATE.mkdir(mode=0o700, exist_ok=True)
PRIVATE.chmod(0o700)
c.JupyterHub.db_url = f"sqlite:///{PRIVATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(PRIVATE / "cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(PRIVATE / "proxy.pid")
c.JupyterHub.cleanup_servers = True
c.JupyterHub.concurrent_spawn_limit = 40   # spawns in flight at once; more wait (a whole class logging in together)

if AUTH == "pam":
    c.JupyterHub.authenticator_class = "jupyterhub.auth.PAMAuthenticator"
    c.PAMAuthenticator.open_sessions = False       # no login session: the server is not a shell
    c.PAMAuthenticator.check_account = True        # a locked or expired account is refused
    c.LocalAuthenticator.create_system_users = False
    # Only the roster's learners and the admins, never any other account of the machine.
    c.Authenticator.allowed_users = set(ACCOUNTS["learners"]) | ADMINS
    if os.geteuid() != 0:
        raise SystemExit("The hub with accounts runs as root: it starts each learner's server as that learner, in a "
                         "control group of its own. Start it with sudo.")
    # A control group per learner (memory, CPU and processes, enforced by the Linux kernel); no server as root.
    c.JupyterHub.spawner_class = "unrolledtools.hub.spawner.LimitedLocalProcessSpawner"
else:
    c.JupyterHub.authenticator_class = "jupyterhub.auth.DummyAuthenticator"
    c.DummyAuthenticator.password = os.environ["UNROLLED_HUB_PASSWORD"]
    c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
    c.SimpleLocalProcessSpawner.home_dir_template = str(HUB / "users" / "{username}")

c.Authenticator.admin_users = ADMINS

c.Spawner.cmd = ["jupyterhub-singleuser"]
c.Spawner.default_url = "/tree"
c.Spawner.start_timeout = 180   # a loaded machine starts servers slowly
c.Spawner.http_timeout = 120
c.Spawner.mem_limit = f"{MEMORY_MB}M"   # the learner's control group (PAM), the kernelspec's heap, the watchdog
c.Spawner.cpu_limit = CPUS              # the learner's control group (PAM)
c.Spawner.environment = {
    "JUPYTERHUB_SINGLEUSER_APP": "notebook.notebookapp.NotebookApp",
    "JUPYTER_PATH": str(HUB / "share" / "jupyter"),     # the hub's `java` kernelspec, with the per-learner limits
    "UNROLLED_DATASETS": str(ROOT / "datasets"),
    # One compute thread per kernel: with many learners the cores are shared already, and every kernel spreading
    # each matrix product over all cores only adds contention.
    "OMP_NUM_THREADS": "1",
    "UNROLLED_BLAS_THREADS": "1",
}
# The server opens a kernel's websocket once the kernel has answered a kernel_info request, waiting at most
# kernel_info_timeout (60 s by default). Unrolled's launcher makes the kernel answer its first request, so the wait
# ends as soon as the JVM is up; a shorter limit only hurts: when ten kernels started in the same second took just
# over 10 s, the websockets opened before two of them were ready and those learners' first requests went unanswered.
# No --allow-root: no learner's server runs as root. Terminals are off unless asked for.
c.Spawner.args = [] if os.environ.get("UNROLLED_HUB_TERMINALS") == "1" else ["--NotebookApp.terminals_enabled=False"]


def workspace(spawner):
    """Each learner's folder: the student notebooks (copied once, never overwritten), the shared library. Made with
    the learner's own rights (unrolledtools.hub.workspace), so a link the learner planted in their home leads nowhere
    new."""
    import pwd
    from unrolledtools.hub.workspace import as_learner, handout, prepare
    files = handout(ROOT, HUB / "release")
    if AUTH == "pam":
        user = pwd.getpwnam(spawner.user.name)
        home = Path(user.pw_dir)
        as_learner(user.pw_uid, user.pw_gid, prepare, home, ROOT, files)
    else:
        home = Path(spawner.home_dir)
        prepare(home, ROOT, files)
    spawner.notebook_dir = str(home / "unrolled" / "workshop")


c.Spawner.pre_spawn_hook = workspace

c.JupyterHub.services = []
if AUTH == "shared":   # with accounts, each learner's control group limits their memory
    c.JupyterHub.services.append({   # kills the biggest kernel of a learner whose processes pass the memory limit
        "name": "memory-watchdog",
        "command": [PYTHON, "-m", "unrolledtools.hub.watchdog", "--limit", str(MEMORY_MB)],
        "environment": {"PYTHONPATH": str(ROOT / "tools")},
    })
if os.environ.get("UNROLLED_HUB_TOKEN"):
    c.JupyterHub.services.append({"name": "loadtest", "api_token": os.environ["UNROLLED_HUB_TOKEN"]})
    c.JupyterHub.load_roles = [{"name": "admin", "services": ["loadtest"]}]
