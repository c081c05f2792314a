"""`./unrolled hub loadtest`: many learners run a notebook at once through a running workshop hub.

For each level of concurrency (`--learners 1,10,15`), that many learners are created through the hub's REST API,
each gets a token and a server, and all of them at the same moment open a notebook of their workspace in the Java
kernel (the server's sessions API) and run every code cell over the kernel's websocket, as "Run All" does. It
records, per learner, the time to get a server, to get a kernel, and to run the notebook, and whether every cell
finished without an error; while they run it samples the memory of every learner's processes (/proc, so the load
test must run on the hub's machine) and the load average. After each level it stops the servers and deletes the
users. It is bounded: at most 40 learners per level, a level only when the machine has the memory for it (the
machine may be shared), `--deadline` seconds in all, after which it cleans up and stops. Results: a table on stdout
and a JSON file in the hub's folder.
On a hub with accounts its learners (`load-NN-MM`: level, learner) need Unix accounts of their own: make them with a
roster (`hub setup --roster`) first, and delete them after (`hub remove-accounts`); docs/workshop.md shows how.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import shutil
import statistics
import sys
import time
import uuid
from dataclasses import asdict, dataclass, field

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

from . import watchdog, workshop

MAX_LEARNERS = 40
HEADROOM_MB = 2048   # a level starts only if the machine has this much memory available beyond the learners' needs
PREFIX = "load-"


@dataclass
class LearnerRun:
    name: str
    server_seconds: float | None = None
    kernel_seconds: float | None = None
    run_seconds: float | None = None
    cells: int = 0
    cells_done: int = 0
    kernel_restarts: int = 0
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and self.cells_done == self.cells > 0


@dataclass
class Level:
    learners: int
    runs: list[LearnerRun] = field(default_factory=list)
    peak_kernel_mb: float = 0.0        # the biggest single kernel
    peak_learner_mb: float = 0.0       # the biggest learner: server and kernel together
    peak_total_mb: float = 0.0         # every learner's processes together
    min_available_mb: float = 0.0      # the machine's MemAvailable at its lowest
    load_average: list[float] = field(default_factory=list)   # 1-minute load average, sampled
    seconds: float = 0.0


class Hub:
    def __init__(self, url: str, token: str):
        self.url = url.rstrip("/")
        self.token = token
        AsyncHTTPClient.configure(None, max_clients=200)
        self.http = AsyncHTTPClient()

    async def call(self, method: str, path: str, body=None, token: str | None = None, timeout: float = 120):
        request = HTTPRequest(self.url + path, method=method, headers={"Authorization": f"token {token or self.token}"},
                              body=None if body is None and method in ("GET", "DELETE") else json.dumps(body or {}),
                              request_timeout=timeout, allow_nonstandard_methods=True)
        response = await self.http.fetch(request, raise_error=False)
        if response.code >= 400 and response.code != 409:
            text = response.body.decode("utf-8", "replace")[:300] if response.body else ""
            raise HTTPClientError(response.code, f"{method} {path}: {text}")
        return json.loads(response.body) if response.body else None


def message(msg_type: str, content: dict, session: str) -> dict:
    return {"header": {"msg_id": uuid.uuid4().hex, "username": "loadtest", "session": session, "msg_type": msg_type,
                       "version": "5.3", "date": datetime.datetime.now(datetime.timezone.utc).isoformat()},
            "parent_header": {}, "metadata": {}, "content": content, "channel": "shell", "buffers": []}


async def until_reply(ws, msg_id: str, timeout: float) -> tuple[dict | None, str]:
    """Reads the kernel's messages until the shell reply to `msg_id` and its iopub idle; returns the reply and the
    first error or stderr text seen for it."""
    reply, problem, idle = None, "", False
    deadline = time.monotonic() + timeout
    while not (reply is not None and idle):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise asyncio.TimeoutError()
        raw = await asyncio.wait_for(ws.read_message(), remaining)
        if raw is None:
            raise ConnectionError("the kernel's websocket closed")
        msg = json.loads(raw)
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind = msg["header"]["msg_type"]
        if msg.get("channel") == "shell":
            reply = msg
        elif kind == "status" and msg["content"].get("execution_state") == "idle":
            idle = True
        elif kind == "error" and not problem:
            problem = f"{msg['content'].get('ename')}: {msg['content'].get('evalue')}"
        elif kind == "stream" and msg["content"].get("name") == "stderr" and not problem:
            problem = "stderr: " + msg["content"].get("text", "")[:200]
    return reply, problem


async def learner(hub_api: Hub, name: str, notebook: str, start: asyncio.Event, cell_timeout: float) -> LearnerRun:
    run = LearnerRun(name)
    began = time.monotonic()
    try:
        await hub_api.call("POST", f"/hub/api/users/{name}")
        token = (await hub_api.call("POST", f"/hub/api/users/{name}/tokens",
                                    {"note": "unrolled load test", "expires_in": 7200}))["token"]
        await hub_api.call("POST", f"/hub/api/users/{name}/server")
        while True:
            model = await hub_api.call("GET", f"/hub/api/users/{name}")
            server = model.get("servers", {}).get("", {})
            if server.get("ready"):
                break
            if not server.get("pending") and not server.get("ready") and time.monotonic() - began > 30:
                raise RuntimeError(f"the hub did not start a server for {name}: {model.get('servers')}")
            await asyncio.sleep(0.5)
        run.server_seconds = time.monotonic() - began
        base = f"/user/{name}/api"
        content = (await hub_api.call("GET", f"{base}/contents/{notebook}", token=token))["content"]
        cells = [c["source"] if isinstance(c["source"], str) else "".join(c["source"])
                 for c in content["cells"] if c["cell_type"] == "code"]
        cells = [c for c in cells if c.strip()]
        run.cells = len(cells)
        await start.wait()   # every learner presses "Run All" at the same moment
        kernel_began = time.monotonic()
        for attempt in range(4):
            session = await hub_api.call("POST", f"{base}/sessions",
                                         {"path": notebook, "name": notebook, "type": "notebook",
                                          "kernel": {"name": "java"}},
                                         token=token)
            kernel_id, session_id = session["kernel"]["id"], uuid.uuid4().hex
            ws_url = (hub_api.url.replace("http", "ws", 1)
                      + f"{base}/kernels/{kernel_id}/channels?session_id={session_id}")
            ws = None
            try:
                # The server completes the websocket handshake once the kernel answers kernel_info (or after 60 s).
                ws = await websocket_connect(HTTPRequest(ws_url, headers={"Authorization": f"token {token}"},
                                                         connect_timeout=90, request_timeout=90),
                                             max_message_size=64 * 1024 * 1024)
                info = message("kernel_info_request", {}, session_id)
                ws.write_message(json.dumps(info))
                await until_reply(ws, info["header"]["msg_id"], 60)
                break
            except (asyncio.TimeoutError, HTTPClientError):
                # rapaio-jupyter-kernel sometimes never answers at start-up: shut that kernel down and open the
                # notebook again (a new kernel on new ports), as a learner would after Kernel → Restart failed
                if ws is not None:
                    ws.close()
                run.kernel_restarts += 1
                await hub_api.call("DELETE", f"{base}/sessions/{session['id']}", token=token)
        else:
            raise RuntimeError("the kernel never answered, in four starts")
        run.kernel_seconds = time.monotonic() - kernel_began
        running = time.monotonic()
        for code in cells:
            request = message("execute_request", {"code": code, "silent": False, "store_history": True,
                                                  "user_expressions": {}, "allow_stdin": False,
                                                  "stop_on_error": True}, session_id)
            ws.write_message(json.dumps(request))
            reply, problem = await until_reply(ws, request["header"]["msg_id"], cell_timeout)
            if reply["content"].get("status") != "ok" or problem:
                run.error = f"cell {run.cells_done + 1}: {problem or reply['content'].get('status')}"
                break
            run.cells_done += 1
        run.run_seconds = time.monotonic() - running
        ws.close()
        await hub_api.call("DELETE", f"{base}/sessions/{session['id']}", token=token)
    except asyncio.TimeoutError:
        run.error = f"cell {run.cells_done + 1} did not finish within {cell_timeout:.0f} s"
    except asyncio.CancelledError:
        run.error = "stopped at the load test's deadline"
    except Exception as e:  # a learner's failure is a result, not the end of the test
        run.error = f"{type(e).__name__}: {e}"
    return run


def available_mb() -> float:
    with open("/proc/meminfo", encoding="ascii") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 1024
    return 0.0


async def sample(level: Level, stop: asyncio.Event) -> None:
    level.min_available_mb = available_mb()
    while not stop.is_set():
        found = {k: v for k, v in (await asyncio.to_thread(watchdog.scan)).items() if k.startswith(PREFIX)}
        kernels = [rss for processes in found.values() for pid, rss in processes if watchdog.is_kernel(pid)]
        level.peak_kernel_mb = max([level.peak_kernel_mb] + kernels)
        level.peak_learner_mb = max([level.peak_learner_mb] + [sum(r for _, r in p) for p in found.values()])
        level.peak_total_mb = max(level.peak_total_mb, sum(r for p in found.values() for _, r in p))
        level.min_available_mb = min(level.min_available_mb, available_mb())
        level.load_average.append(os.getloadavg()[0])
        try:
            await asyncio.wait_for(stop.wait(), 2)
        except asyncio.TimeoutError:
            pass


async def run_level(hub_api: Hub, count: int, notebook: str, cell_timeout: float, deadline: float) -> Level:
    level = Level(count)
    names = [f"{PREFIX}{count:02d}-{i:02d}" for i in range(count)]
    start, stop = asyncio.Event(), asyncio.Event()
    sampler = asyncio.create_task(sample(level, stop))
    began = time.monotonic()
    tasks = [asyncio.create_task(learner(hub_api, name, notebook, start, cell_timeout)) for name in names]

    async def release_when_ready():
        # Everyone starts together once every server is up (or after 240 s, whichever comes first).
        waited = time.monotonic()
        while time.monotonic() - waited < 240 and not all(t.done() for t in tasks):
            models = await asyncio.gather(*(hub_api.call("GET", f"/hub/api/users/{n}") for n in names),
                                          return_exceptions=True)
            if all(isinstance(m, dict) and m.get("servers", {}).get("", {}).get("ready") for m in models):
                break
            await asyncio.sleep(1)
        start.set()
    releaser = asyncio.create_task(release_when_ready())
    try:
        done, pending = await asyncio.wait(tasks, timeout=max(1, deadline - time.monotonic()))
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        level.runs = [t.result() for t in tasks if not t.cancelled()] + [
            LearnerRun(n, error="stopped at the load test's deadline") for n, t in zip(names, tasks) if t.cancelled()]
    finally:
        releaser.cancel()
        stop.set()
        await sampler
        level.seconds = time.monotonic() - began
        await asyncio.gather(*(hub_api.call("DELETE", f"/hub/api/users/{n}/server") for n in names),
                             return_exceptions=True)
        for _ in range(60):   # the hub refuses to delete a user whose server is still stopping
            models = await asyncio.gather(*(hub_api.call("GET", f"/hub/api/users/{n}") for n in names),
                                          return_exceptions=True)
            if all(not isinstance(m, dict) or not m.get("servers") for m in models):
                break
            await asyncio.sleep(1)
        await asyncio.gather(*(hub_api.call("DELETE", f"/hub/api/users/{n}") for n in names), return_exceptions=True)
        for n in names:   # their workspaces (shared mode keeps homes in the hub's folder)
            shutil.rmtree(workshop.hub_dir() / "users" / n, ignore_errors=True)
    return level


def table(levels: list[Level]) -> str:
    rows = ["| learners at once | finished without error | notebook run time, median / slowest | kernel start, "
            "median | biggest kernel | biggest learner (server + kernel) | all learners together | lowest MemAvailable "
            "| load average (1 min), mean / max |",
            "|---|---|---|---|---|---|---|---|---|"]
    for level in levels:
        times = [r.run_seconds for r in level.runs if r.ok and r.run_seconds is not None]
        starts = [r.kernel_seconds for r in level.runs if r.kernel_seconds is not None]
        ok = sum(r.ok for r in level.runs)
        loads = level.load_average or [0.0]
        rows.append(
            f"| {level.learners} | {ok} / {len(level.runs)} | "
            + (f"{statistics.median(times):.0f} s / {max(times):.0f} s" if times else "–") + " | "
            + (f"{statistics.median(starts):.0f} s" if starts else "–")
            + f" | {level.peak_kernel_mb:.0f} MB | {level.peak_learner_mb:.0f} MB"
            f" | {level.peak_total_mb / 1024:.1f} GB "
            f"| {level.min_available_mb / 1024:.1f} GB | {statistics.mean(loads):.1f} / {max(loads):.1f} |")
    return "\n".join(rows)


async def main_async(args) -> int:
    token = args.token or os.environ.get("UNROLLED_HUB_TOKEN") or workshop.secret(workshop.private_dir() / "api_token")
    hub_api = Hub(args.hub, token)
    deadline = time.monotonic() + args.deadline
    levels = []
    for count in args.learners:
        if time.monotonic() >= deadline:
            print(f"  deadline reached; {count} learners not run", flush=True)
            break
        needed = count * args.mb_per_learner + HEADROOM_MB
        if available_mb() < needed:
            print(f"  {count} learners skipped: the machine has {available_mb():.0f} MB available, "
                  f"and {count} learners need about {needed:.0f} MB ({args.mb_per_learner} each and "
                  f"{HEADROOM_MB} to spare)", flush=True)
            continue
        print(f"  {count} learner(s) running {args.notebook} at once ...", flush=True)
        level = await run_level(hub_api, count, args.notebook, args.cell_timeout, deadline)
        levels.append(level)
        failed = [f"{r.name}: {r.error}" for r in level.runs if not r.ok]
        print(f"    {sum(r.ok for r in level.runs)} / {count} finished in {level.seconds:.0f} s"
              + ("".join(f"\n    {line}" for line in failed[:5])), flush=True)
    print(table(levels))
    out = workshop.hub_dir() / f"loadtest-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps({"notebook": args.notebook, "hub": args.hub, "cpus": os.cpu_count(),
                               "levels": [dict(asdict(level), runs=[asdict(r) for r in level.runs])
                                          for level in levels]}, indent=2) + "\n", encoding="utf-8")
    print(f"Details: {out}")
    return 0 if levels and all(r.ok for level in levels for r in level.runs) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./unrolled hub loadtest", description=__doc__.splitlines()[0])
    parser.add_argument("--hub", default="http://127.0.0.1:8000", help="the hub's URL (default: loopback, port 8000)")
    parser.add_argument("--learners", default="1,10", help="levels of concurrency, e.g. 1,10,15 (at most 40 each)")
    parser.add_argument("--notebook", default="01-recurrence.ipynb", help="the workspace notebook every learner runs")
    parser.add_argument("--cell-timeout", type=float, default=600, help="seconds one cell may take")
    parser.add_argument("--deadline", type=float, default=1800, help="seconds for the whole test (default 1800)")
    parser.add_argument("--token", help="an admin API token (default: the hub's loadtest service token)")
    parser.add_argument("--mb-per-learner", type=int, default=700,
                        help="memory one learner needs (default 700 MB, measured: about 550 MB for notebook 00); a "
                             "level runs only if the machine has that much per learner available, plus 2 GB")
    args = parser.parse_args(argv)
    args.learners = [int(n) for n in args.learners.split(",")]
    if any(n < 1 or n > MAX_LEARNERS for n in args.learners):
        parser.error(f"--learners: each level must be 1 to {MAX_LEARNERS}")
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
