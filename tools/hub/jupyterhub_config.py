# JupyterHub configuration for an Unrolled workshop: every learner gets a Jupyter server with the Java kernel and a
# private copy of the student notebooks. Start it with `./unrolled hub start` (which sets the variables below);
# docs/workshop.md explains each choice and how to change it.
#
#   UNROLLED_ROOT          the repository (lib/ built, notebooks/, datasets/)
#   UNROLLED_HUB_DIR       the hub's state: database, cookie secret, the learners' homes (default build/hub)
#   UNROLLED_HUB_IP/PORT   where the hub listens (default 127.0.0.1:8000; 0.0.0.0 for a classroom network)
#   UNROLLED_HUB_AUTH      "shared": any user name with the shared password (no system accounts; every server runs as
#                          the hub's own user); "pam": the machine's local users and their passwords
#   UNROLLED_HUB_PASSWORD  the shared password (auth "shared")
#   UNROLLED_HUB_MEMORY    memory per learner in MB (kernel heap and native limits, and the watchdog's hard limit)
#   UNROLLED_HUB_TOKEN     the API token of the `loadtest` service (admin), used by ./unrolled hub loadtest
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(os.environ["UNROLLED_ROOT"]).resolve()
HUB = Path(os.environ.get("UNROLLED_HUB_DIR", ROOT / "build" / "hub")).resolve()
AUTH = os.environ.get("UNROLLED_HUB_AUTH", "shared")
MEMORY_MB = int(os.environ.get("UNROLLED_HUB_MEMORY", "2048"))
PYTHON = sys.executable

c = get_config()  # noqa: F821 (JupyterHub provides it)

c.JupyterHub.bind_url = f"http://{os.environ.get('UNROLLED_HUB_IP', '127.0.0.1')}:{os.environ.get('UNROLLED_HUB_PORT', '8000')}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.db_url = f"sqlite:///{HUB / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(HUB / "cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(HUB / "proxy.pid")
c.JupyterHub.cleanup_servers = True
c.JupyterHub.concurrent_spawn_limit = 40   # spawns in flight at once; more wait (a whole class logging in together)

if AUTH == "pam":
    c.JupyterHub.authenticator_class = "jupyterhub.auth.PAMAuthenticator"
    c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"
    c.LocalProcessSpawner.create_system_users = False
else:
    c.JupyterHub.authenticator_class = "jupyterhub.auth.DummyAuthenticator"
    c.DummyAuthenticator.password = os.environ["UNROLLED_HUB_PASSWORD"]
    c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
    c.SimpleLocalProcessSpawner.home_dir_template = str(HUB / "users" / "{username}")

c.Authenticator.admin_users = set(filter(None, os.environ.get("UNROLLED_HUB_ADMINS", "").split(",")))

c.Spawner.cmd = ["jupyterhub-singleuser"]
c.Spawner.default_url = "/tree"
c.Spawner.start_timeout = 180   # a loaded machine starts servers slowly
c.Spawner.http_timeout = 120
c.Spawner.mem_limit = f"{MEMORY_MB}M"   # advisory for local spawners: enforced by the kernelspec and the watchdog
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
c.Spawner.args = []
if os.geteuid() == 0 and AUTH != "pam":
    c.Spawner.args.append("--allow-root")   # shared mode runs every server as the hub's user, here root


def workspace(spawner):
    """Each learner's folder: the student notebooks (copied once, never overwritten), the shared library."""
    import pwd
    home = Path(spawner.home_dir) if AUTH != "pam" else Path(pwd.getpwnam(spawner.user.name).pw_dir)
    base = home / "unrolled"
    work = base / "workshop"
    work.mkdir(parents=True, exist_ok=True)
    (base / "notebooks").mkdir(exist_ok=True)
    shutil.copy2(ROOT / "notebooks" / "init.jsh", base / "notebooks" / "init.jsh")
    for name in ("lib", "datasets"):
        link = base / name
        if not link.exists():
            link.symlink_to(ROOT / name)
    for notebook in sorted((HUB / "release").glob("[0-9][0-9]-*.ipynb")):
        if not (work / notebook.name).exists():
            shutil.copy2(notebook, work / notebook.name)
    if AUTH == "pam":
        user = pwd.getpwnam(spawner.user.name)
        for path in [base, work, base / "notebooks", base / "notebooks" / "init.jsh"] + list(work.iterdir()):
            os.lchown(path, user.pw_uid, user.pw_gid)
    spawner.notebook_dir = str(work)


c.Spawner.pre_spawn_hook = workspace

c.JupyterHub.services = [
    {   # kills the biggest kernel of a learner whose processes together pass the memory limit
        "name": "memory-watchdog",
        "command": [PYTHON, "-m", "unrolledtools.hubwatch", "--limit", str(MEMORY_MB)],
        "environment": {"PYTHONPATH": str(ROOT / "tools")},
    },
]
if os.environ.get("UNROLLED_HUB_TOKEN"):
    c.JupyterHub.services.append({"name": "loadtest", "api_token": os.environ["UNROLLED_HUB_TOKEN"]})
    c.JupyterHub.load_roles = [{"name": "admin", "services": ["loadtest"]}]
