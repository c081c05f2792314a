"""The workshop hub's spawner for learners with accounts: JupyterHub's LocalProcessSpawner, plus a control group per
learner, so the learner's server and every kernel and process under it share one memory limit (`Spawner.mem_limit`)
and one limit on processes that the kernel enforces, whatever the learner's code does to its environment.

Imported by JupyterHub (tools/hub/jupyterhub_config.py names it) when the hub runs as root with PAM accounts.
"""
from jupyterhub.spawner import LocalProcessSpawner

from . import sandbox

PROCESSES = 2048  # processes and threads per learner: a server, a few kernels of some 60 threads each


class LimitedLocalProcessSpawner(LocalProcessSpawner):
    def make_preexec_fn(self, name):
        group = sandbox.ControlGroup(f"unrolled-hub-{name}", int(self.mem_limit) >> 20, PROCESSES, reuse=True)
        become_learner = super().make_preexec_fn(name)

        def preexec():
            group.join()       # as root, before the learner's ids are taken
            become_learner()
        return preexec
