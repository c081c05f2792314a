"""The workshop JupyterHub: set-up and start, accounts, workspaces, the spawner, the watchdog, the load test."""
