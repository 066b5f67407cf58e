"""Load benchmark: N simulated learners on a real JupyterHub on this machine (127.0.0.1 only).

Not a test (pytest collects ``test_*.py`` only); prints figures, asserts nothing::

    python tests/bench_hub.py --n 10            # one class size
    python tests/bench_hub.py --n 10 20 30      # several, a fresh hub each; prints the largest N
                                                #   whose Run All p95 stays under 60 s

Each learner: logs in over HTTP, the server is started (all starts spread over a 10 s window),
opens chapter 1 in JupyterLab (page, settings, translation, kernel specs, the notebook: what the
browser asks the server for) and in a kernel, and runs every code cell top to bottom ("Run All", live widget
mode as in JupyterLab), then answers every exercise cell and moves every chart control once
(a widget ``comm_msg`` update, as the browser sends it).  Measured: spawn time, Run All time,
``check()`` and redraw latency (during the start storm — while any learner is still in Run All —
and after it), CPU seconds and peak memory (RSS of the learner's server + kernel, sampled every
0.5 s; PSS and USS every 6 s while RSS grows, and at the end), kernel deaths.  Every loop is bounded; everything is stopped by PID at the end.

The hub is the shipped configuration (utils/classroom/hub.py): run as root, one Unix user per
learner, the stock ``jupyterhub-singleuser`` from the learners' environment
(classroom/hub/install_learner_env.sh), HTTPS, the classroom service receiving every ``check()``.
Before the class, one learner at a time (three new learners one after another, :data:`SOLOS`) does
the same work alone on the same hub (server start, JupyterLab, kernel, Run All, checks, controls):
the median of their CPU seconds is the reference, and the class's
efficiency = (N × solo CPU ÷ cores) ÷ all-done time (from the first start to the last learner done),
all measured in the same run.  Targets: efficiency ≥ 0.8, no kernel death, PSS ≤ 250 MB a learner.
Before the hub starts, the machine's own cost of sharing its cores is measured the same way with
no Jupyter at all (:func:`share_floor`: chapter 1's cells in plain Python processes,
alone and N at once), so the report can tell the Jupyter stack's part of the class's extra CPU from
the scheduler's.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from utils.classroom import hubdriver  # noqa: E402
from utils.marks import EXERCISE  # noqa: E402

NOTEBOOK = "notebooks/01_organisation.ipynb"
CONTROLS_PROBE = """
import json, ipywidgets as _W
from ipywidgets.widgets.widget import _instances as _I
_c = []
for _w in list(_I.values()):
    if isinstance(_w, (_W.Dropdown, _W.ToggleButtons, _W.RadioButtons, _W.SelectionSlider)) and len(_w.options) > 1:
        _c.append([_w.model_id, "index", (_w.index + 1) % len(_w.options)])
    elif isinstance(_w, (_W.IntSlider, _W.FloatSlider, _W.BoundedIntText, _W.BoundedFloatText)):
        _c.append([_w.model_id, "value", _w.min if _w.value != _w.min else _w.max])
    elif isinstance(_w, (_W.ToggleButton, _W.Checkbox)):
        _c.append([_w.model_id, "value", not _w.value])
print("@@" + json.dumps(_c))
"""


def pct(values, q):
    if not values:
        return float("nan")
    values = sorted(values)
    k = (len(values) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


class Sampler(threading.Thread):
    """Peak RSS per learner (server + kernels), sampled every 0.5 s; last CPU times per process."""

    def __init__(self, hub):
        super().__init__(daemon=True)
        self.hub = hub
        self.peak = {}
        self.peak_pss = {}  # proportional: pages shared between learners' processes counted once overall
        self.peak_uss = {}  # private to the learner's processes: what one more learner costs
        self.cpu = {}
        self.pss_read_at = {}  # user -> summed RSS when PSS/USS were last read
        self.stop_flag = threading.Event()
        self.lock = threading.Lock()
        self.own_cpu = 0.0  # this sampler's CPU time: part of the driver's

    def run(self):
        deadline = time.monotonic() + 3600
        rounds = 0
        while not self.stop_flag.is_set() and time.monotonic() < deadline:
            self.sample(memory=rounds % 12 == 0)
            rounds += 1
            self.stop_flag.wait(0.5)

    def sample(self, memory: bool = False, full: bool = False) -> None:
        """One round: RSS and CPU of every learner's processes.  PSS and USS read
        /proc/PID/smaps_rollup (1.7 ms a kernel, 5 % of a core at N = 30 if read every 2 s), so they
        are read every 6 s (``memory``) for the learners whose RSS has grown by 1 % since they were
        last read, and for everyone when ``full``.  No process exits during the class, so a
        learner's PSS rises only with its RSS (more sharing lowers it)."""
        import psutil

        t0 = time.thread_time()
        with self.lock:
            for user, procs in self.hub.user_processes().items():
                rss = 0
                for i, p in enumerate(procs):
                    try:
                        rss += p.memory_info().rss
                        t = p.cpu_times()
                        self.cpu[(user, p.pid, "server" if i == 0 else "kernel")] = t.user + t.system
                    except psutil.Error:
                        pass
                self.peak[user] = max(self.peak.get(user, 0), rss)
                if full or (memory and rss > 1.01 * self.pss_read_at.get(user, 0)):
                    pss = uss = 0
                    for p in procs:
                        try:
                            m = p.memory_full_info()
                            pss, uss = pss + m.pss, uss + m.uss
                        except psutil.Error:
                            pass
                    self.pss_read_at[user] = rss
                    self.peak_pss[user] = max(self.peak_pss.get(user, 0), pss)
                    self.peak_uss[user] = max(self.peak_uss.get(user, 0), uss)
            self.own_cpu += time.thread_time() - t0


def comm_update(kernel, comm_id, key, value, timeout=120):
    """Send a widget state change like the browser does; wait until the kernel is idle again."""
    msg = kernel._msg("comm_msg", {"comm_id": comm_id, "data": {"method": "update", "state": {key: value},
                                                               "buffer_paths": []}}, "shell")
    kernel.send(msg)
    mid = msg["header"]["msg_id"]
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        m = kernel.recv()
        if ((m.get("parent_header") or {}).get("msg_id") == mid and m.get("msg_type") == "status"
                and m["content"].get("execution_state") == "idle"):
            return time.monotonic() - t0
    raise TimeoutError("redraw did not finish")


def learner(hub, name, start_at, cells, state, results, open_lab=True):
    r = {"name": name, "error": None, "check": [], "redraw": [], "stage": "login", "start_at": start_at}
    try:
        time.sleep(max(0.0, start_at - time.monotonic()))
        hub.login(name)
        t_start = t0 = time.monotonic()
        r["stage"] = "spawn"
        hub.spawn(name)
        hub.wait_ready(name, timeout=300)
        r["spawn_s"] = time.monotonic() - t0
        if open_lab:
            r["stage"] = "opening JupyterLab"
            hub.open_lab(name)
        r["stage"] = "kernel start"
        kernel = hub.kernel(name)
        try:
            t0 = time.monotonic()
            r["stage"] = "Run All"
            for cell in cells:
                reply, out = kernel.run(cell["source"], timeout=600)
                if reply["status"] != "ok":
                    raise RuntimeError(f"cell failed: {kernel.text(out)[:300]}")
            r["run_all_s"] = time.monotonic() - t0
            r["done_s"] = time.monotonic() - t_start  # from the server request to the end of Run All
            state["running"] -= 1
            r["stage"] = "checks"
            for cell in cells:
                if EXERCISE in cell["tags"]:
                    code = cell["source"].replace("____", "1", 1)
                    during = state["running"] > 0
                    t0 = time.monotonic()
                    kernel.run(code, timeout=300)
                    r["check"].append((time.monotonic() - t0, during))
            r["stage"] = "controls"
            _, out = kernel.run(CONTROLS_PROBE)
            controls = json.loads(next(t for t in kernel.text(out).splitlines() if t.startswith("@@"))[2:])
            for comm_id, key, value in controls:
                during = state["running"] > 0
                r["redraw"].append((comm_update(kernel, comm_id, key, value), during))
            r["controls"] = len(controls)
            # a dead kernel answers no more: one last round trip
            reply, _ = kernel.run("1 + 1", timeout=60)
            r["alive"] = reply["status"] == "ok"
            r["finished_at"] = time.monotonic()  # all of this learner's work done
            r["kernel"] = kernel  # the notebook stays open, as in class: closed once everyone is done
        finally:
            if "kernel" not in r:
                kernel.close()
    except Exception as exc:  # noqa: BLE001 - the benchmark reports failures, it does not stop
        r["error"] = f"{name} at {r['stage']}: {type(exc).__name__}: {str(exc)[:300]}"
        state["running"] -= 0 if "run_all_s" in r else 1
    results.append(r)


def cpu_of_user(sampler, user) -> tuple[float, float]:
    """(server, kernel) CPU seconds of one user's processes, from the sampler's last round."""
    server = sum(v for (u, _pid, role), v in sampler.cpu.items() if u == user and role == "server")
    kernel = sum(v for (u, _pid, role), v in sampler.cpu.items() if u == user and role == "kernel")
    return server, kernel


def wait_quiet(sampler, users, since: float, quiet_s: float = 3.0, timeout: float = 600.0,
               poll_s: float = 1.0) -> float:
    """Wait until the processes of ``users`` have finished their background work; return when it ended.

    A learner's kernel keeps working after its last cell: it renders the views of the live charts
    that it has not drawn yet (:class:`utils.widgets._Prefetcher`, while no cell runs).  That is
    part of what the course costs per learner, so the solo reference and the class are both
    counted until it is over.  Quiet = their CPU grew by less than ``idle_share`` of one core (3 %,
    plus 0.5 % per learner for idle servers and kernels) over ``quiet_s`` seconds; the end of the
    work is the last sample (every ``poll_s`` seconds) in which it grew more than that.  One kernel
    rendering uses a whole core.
    """
    idle_share = 0.03 + 0.005 * len(users)
    def total():
        sampler.sample()
        with sampler.lock:
            return sum(v for (u, _pid, _role), v in sampler.cpu.items() if u in users)

    history = [(time.monotonic(), total())]
    last_busy = since  # nothing busy after ``since``: the work ended then
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(poll_s)
        now, cpu = time.monotonic(), total()
        if cpu - history[-1][1] > idle_share * (now - history[-1][0]):
            last_busy = now
        history.append((now, cpu))
        window = [c for t, c in history if t >= now - quiet_s - 0.01]
        if now - history[0][0] >= quiet_s and window[-1] - window[0] < idle_share * quiet_s:
            return last_busy
    raise TimeoutError(f"the learners' processes did not go quiet within {timeout:.0f} s")


def solo_run(hub, sampler, cells, open_lab, name: str = "solo") -> dict:
    """One learner alone on the same hub, before the class: the reference of the efficiency.

    Counted until its kernel has also rendered the views it renders between cells (see
    :func:`wait_quiet`); its CPU when its last cell was done is reported too."""
    results = []
    learner(hub, name, time.monotonic(), cells, {"running": 1}, results, open_lab)
    r = results[0]
    if r["error"]:
        raise RuntimeError(f"the solo learner failed: {r['error']}")
    sampler.sample(full=True)
    fg_server, fg_kernel = cpu_of_user(sampler, name)
    quiet_at = wait_quiet(sampler, {name}, r["finished_at"])
    sampler.sample(full=True)
    server, kernel = cpu_of_user(sampler, name)
    r.pop("kernel").close()
    hub.api("DELETE", f"/users/{name}/server")
    deadline = time.monotonic() + 120
    while name in hub.user_processes() and time.monotonic() < deadline:
        time.sleep(0.5)
    return {"solo_cpu_s": server + kernel, "solo_server_cpu_s": server, "solo_kernel_cpu_s": kernel,
            "solo_cells_cpu_s": fg_server + fg_kernel, "solo_background_s": quiet_at - r["finished_at"],
            "solo_done_s": r["done_s"], "solo_pss_mb": sampler.peak_pss.get(name, 0) / 2**20}


#: the solo learners, one after another before the class, each a new user like every learner of the
#: class (no caches of an earlier run in its home); the median of their CPU is the reference
SOLOS = ("solo", "solo2", "solo3")


def median_solo(runs: list[dict]) -> dict:
    """The solo run whose CPU is the median of ``runs``, with every run's CPU listed."""
    ordered = sorted(runs, key=lambda r: r["solo_cpu_s"])
    chosen = dict(ordered[len(ordered) // 2])
    chosen["solo_runs_cpu_s"] = [r["solo_cpu_s"] for r in runs]
    return chosen

#: The same Python work without Jupyter: chapter 1's code cells, top to bottom, in one plain process
#: (IPython's shell, outputs formatted as a front end would get them, charts static).
SHARE_WORK = r"""
import sys
import nbformat
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
shell = InteractiveShell.instance()
with capture_output():
    for cell in nbformat.read(sys.argv[1], as_version=4).cells:
        if cell.cell_type == "code":
            shell.run_cell(cell.source)
"""


def share_floor(course: Path, n: int, solo_runs: int = 3, python: Path | None = None) -> dict:
    """What this machine itself charges for sharing its cores, measured with no hub and no Jupyter.

    The class's learners cost more CPU each than one learner alone (:func:`run`).  To tell the
    Jupyter stack's part from the machine's, the same kind of Python work (:data:`SHARE_WORK`,
    with the learners' Python) runs ``solo_runs`` times alone, then ``n`` copies at once — as many
    as the class's kernels, started together — then ``solo_runs`` times alone again (the median
    of all alone runs is the reference).  Each copy's CPU seconds (user + system,
    from ``wait4``) include its imports.  ``inflation`` = mean CPU at once ÷ alone: the cost of
    time slicing (caches refilled after every switch) that no Jupyter setting changes; its inverse
    bounds the class's efficiency on this machine with the default scheduler."""
    import os
    import subprocess

    python = python or hubdriver.learner_env() / "bin" / "python"
    notebook = course / NOTEBOOK
    with tempfile.TemporaryDirectory(prefix="bench-share-") as tmp:
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": tmp, "MPLCONFIGDIR": str(Path(tmp) / "mpl"),
               "PYTHONPATH": str(course), "STATIC_CHARTS": "1",
               "MPLBACKEND": "module://matplotlib_inline.backend_inline",
               "COURSE_ATTEMPTS": str(Path(tmp) / "attempts.jsonl"), "LANG": "C.UTF-8"}

        def batch(k: int) -> list[float]:
            procs = [subprocess.Popen([str(python), "-c", SHARE_WORK, str(notebook)], cwd=notebook.parent, env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for _ in range(k)]
            cpu = []
            for proc in procs:
                _pid, status, usage = os.wait4(proc.pid, 0)
                proc.returncode = os.waitstatus_to_exitcode(status)
                err = proc.stderr.read().decode(errors="replace")
                proc.stderr.close()
                if proc.returncode != 0:
                    raise RuntimeError(f"the plain-process work failed: {err[-800:]}")
                cpu.append(usage.ru_utime + usage.ru_stime)
            return cpu

        batch(1)                                        # warm-up: byte code, font cache, page cache
        before = [x for _ in range(solo_runs) for x in batch(1)]
        t0 = time.monotonic()
        together = batch(n)
        wall = time.monotonic() - t0
        after = [x for _ in range(solo_runs) for x in batch(1)]
    alone = statistics.median(before + after)           # alone both before and after: a drift shows
    mean = statistics.mean(together)
    return {"share_alone_cpu_s": alone, "share_alone_runs_cpu_s": before + after, "share_together_cpu_s": mean,
            "share_n": n, "share_wall_s": wall, "share_inflation": mean / alone}


def run(n: int, window: float = 10.0, keep_log: str | None = None, open_lab: bool = True,
        share: bool = True) -> dict:
    import os

    import psutil

    cells = hubdriver.notebook_code_cells(ROOT / NOTEBOOK)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    names = [f"learner{i:02d}" for i in range(n)]
    with tempfile.TemporaryDirectory(prefix="bench-hub-") as tmp:
        course = hubdriver.private_course(ROOT, Path(tmp) / "course")
        # the machine's own cost of sharing its cores, measured before the hub starts (like the solo
        # runs, before the class: right after it the kernel is still reclaiming the class's memory)
        floor = share_floor(course, n) if share else {}
        hub = hubdriver.Hub(Path(tmp) / "state", repo=course, learners=[*SOLOS, *names],
                            extra_env={"HUB_CONCURRENT_SPAWN_LIMIT": str(max(40, n + 2)),
                                       "HUB_ACTIVE_SERVER_LIMIT": str(max(80, n + 2))})
        try:
            t_hub = hub.start(timeout=300)
            hub.use_generated_token()  # as browsers: tokens the hub generated (see Hub.use_generated_token)
            hub_proc = psutil.Process(hub.proc.pid)
            procs = [hub_proc] + [psutil.Process(pid) for pid in hub._proxy_pid()]  # the hub and its proxy
            cpu_of = lambda p: sum(p.cpu_times()[:2])  # noqa: E731
            sampler = Sampler(hub)
            sampler.start()
            solo = median_solo([solo_run(hub, sampler, cells, open_lab, name) for name in SOLOS])
            hub_cpu0 = [cpu_of(p) for p in procs]
            me = psutil.Process()
            driver_cpu0 = sum(me.cpu_times()[:2])
            state = {"running": n}
            results = []
            t0 = time.monotonic()
            with ThreadPoolExecutor(n) as pool:
                for i, name in enumerate(names):
                    pool.submit(learner, hub, name, t0 + window * i / max(n - 1, 1), cells, state, results,
                                open_lab)
            wall = time.monotonic() - t0
            # the last learner done with its cells; then, as for the solo learner, until every kernel
            # has also rendered its views in the background (the work the solo reference counts)
            cells_done = max((r["finished_at"] - t0 for r in results if "finished_at" in r), default=float("nan"))
            sampler.sample(full=True)
            cpu_at_cells_done = sum(v for k, v in sampler.cpu.items() if k[0] not in SOLOS)
            all_done = wait_quiet(sampler, set(names), t0 + cells_done) - t0
            sampler.sample(full=True)
            cpu_at_done = {k: v for k, v in sampler.cpu.items() if k[0] not in SOLOS}
            hub_cpu = [cpu_of(p) - c0 for p, c0 in zip(procs, hub_cpu0)]  # the hub, then its proxy
            driver_cpu = sum(me.cpu_times()[:2]) - driver_cpu0
            t_close = time.monotonic()
            with ThreadPoolExecutor(n) as pool:
                list(pool.map(lambda r: r.pop("kernel").close(), [r for r in results if "kernel" in r]))
            close_s = time.monotonic() - t_close
        finally:
            if "sampler" in locals():
                sampler.stop_flag.set()
                sampler.join(5)
            hub.stop()
            if keep_log:
                import shutil

                shutil.copy2(hub.log_path, keep_log)
    ok = [r for r in results if not r["error"]]
    run_all = [r["run_all_s"] for r in ok if "run_all_s" in r]
    spawn = [r["spawn_s"] for r in results if "spawn_s" in r]
    done = [r["done_s"] for r in ok if "done_s" in r]
    checks = [(t, d) for r in ok for t, d in r["check"]]
    redraws = [(t, d) for r in ok for t, d in r["redraw"]]
    cpu_per, cpu_role = {}, {"server": 0.0, "kernel": 0.0}
    for (user, _pid, role), secs in cpu_at_done.items():
        cpu_per[user] = cpu_per.get(user, 0) + secs
        cpu_role[role] += secs
    peaks = [v / 2**20 for u, v in sampler.peak.items() if u not in SOLOS]
    pss = [v / 2**20 for u, v in sampler.peak_pss.items() if u not in SOLOS]
    uss = [v / 2**20 for u, v in sampler.peak_uss.items() if u not in SOLOS]
    return {
        "learners": n, "window_s": window, "open_lab": open_lab, **solo, **floor, "cores": cores,
        "all_done_s": all_done, "efficiency": n * solo["solo_cpu_s"] / cores / all_done,
        "cells_done_s": cells_done, "cpu_s_per_learner_at_cells_done": cpu_at_cells_done / max(n, 1),
        "hub_start_s": round(t_hub, 1), "wall_s": round(wall, 1),
        "failures": [r["error"] for r in results if r["error"]],
        "kernel_deaths": sum(1 for r in results if r["error"] or not r.get("alive", False)),
        "spawn_p50": pct(spawn, 50), "spawn_max": max(spawn, default=float("nan")),
        "done_p95": pct(done, 95), "run_all_p50": pct(run_all, 50), "run_all_p95": pct(run_all, 95), "run_all_max": max(run_all, default=0),
        "check_p95_during": pct([t for t, d in checks if d], 95), "check_p95_after": pct([t for t, d in checks if not d], 95),
        "redraw_p95_during": pct([t for t, d in redraws if d], 95),
        "redraw_p95_after": pct([t for t, d in redraws if not d], 95),
        "checks": len(checks), "redraws": len(redraws),
        "cpu_s_per_learner": statistics.mean(cpu_per.values()) if cpu_per else float("nan"),
        "server_cpu_s_per_learner": cpu_role["server"] / max(len(cpu_per), 1),
        "kernel_cpu_s_per_learner": cpu_role["kernel"] / max(len(cpu_per), 1),
        "hub_proxy_cpu_s": sum(hub_cpu), "hub_cpu_s": hub_cpu[0], "proxy_cpu_s": sum(hub_cpu[1:]),
        "driver_cpu_s": driver_cpu,
        "sampler_cpu_s": sampler.own_cpu,
        "close_all_s": close_s,
        "peak_mb_per_learner_mean": statistics.mean(peaks) if peaks else float("nan"),
        "peak_mb_per_learner_max": max(peaks, default=float("nan")),
        "peak_pss_mb_per_learner_mean": statistics.mean(pss) if pss else float("nan"),
        "peak_pss_mb_per_learner_max": max(pss, default=float("nan")),
        "peak_uss_mb_per_learner_mean": statistics.mean(uss) if uss else float("nan"),
    }


def share_bound(res: dict) -> float:
    """The class's efficiency if every learner cost the solo CPU × the machine's sharing inflation
    and nothing else ran but the hub and its proxy: (N × solo) ÷ (N × solo × inflation + hub + proxy)."""
    work = res["learners"] * res["solo_cpu_s"]
    return work / (work * res["share_inflation"] + res["hub_proxy_cpu_s"])


def show(res: dict) -> None:
    f = lambda x: f"{x:.2f}" if isinstance(x, float) else str(x)  # noqa: E731
    print(f"\n== {res['learners']} learners (starts within {res['window_s']:.0f} s"
          f"{', opening JupyterLab first' if res['open_lab'] else ', kernels only'}), wall {res['wall_s']} s, "
          f"hub start {res['hub_start_s']} s")
    print(f"  spawn p50 {f(res['spawn_p50'])} s, max {f(res['spawn_max'])} s")
    print(f"  Run All   p50 {f(res['run_all_p50'])} s, p95 {f(res['run_all_p95'])} s, max {f(res['run_all_max'])} s; "
          f"server start + Run All p95 {f(res['done_p95'])} s")
    print(f"  check()   p95 {f(res['check_p95_during'])} s during the start storm, {f(res['check_p95_after'])} s after "
          f"({res['checks']} checks)")
    print(f"  redraw    p95 {f(res['redraw_p95_during'])} s during, {f(res['redraw_p95_after'])} s after "
          f"({res['redraws']} control moves)")
    runs = res.get("solo_runs_cpu_s", [res["solo_cpu_s"]])
    print(f"  one learner alone on the same hub, measured in this run ({len(runs)} new learners one after "
          f"another: {', '.join(f(x) for x in runs)} CPU-s; the median run): {f(res['solo_cpu_s'])} CPU-s (server "
          f"{f(res['solo_server_cpu_s'])} + kernel {f(res['solo_kernel_cpu_s'])}; {f(res['solo_cells_cpu_s'])} when its "
          f"last cell was done, the rest rendering chart views in the background for "
          f"{f(res['solo_background_s'])} s more), cells done in {f(res['solo_done_s'])} s; "
          f"in the class each learner used {res['cpu_s_per_learner'] / res['solo_cpu_s']:.2f}× that")
    print(f"  last learner's cells done after {f(res['cells_done_s'])} s (class CPU then "
          f"{f(res['cpu_s_per_learner_at_cells_done'])} CPU-s a learner); all work done (every kernel's background "
          f"views too) after {f(res['all_done_s'])} s")
    print(f"  efficiency = ({res['learners']} × {f(res['solo_cpu_s'])} CPU-s ÷ "
          f"{res['cores']} cores) ÷ {f(res['all_done_s'])} s = {res['efficiency']:.2f}  (target ≥ 0.8)")
    if "share_inflation" in res:
        inflation = res["cpu_s_per_learner"] / res["solo_cpu_s"]
        print(f"  the machine itself, no hub and no Jupyter (chapter 1's cells in plain Python processes): "
              f"{f(res['share_alone_cpu_s'])} CPU-s alone (median of "
              f"{', '.join(f(x) for x in res.get('share_alone_runs_cpu_s', []))}), "
              f"{f(res['share_together_cpu_s'])} each when "
              f"{res['share_n']} run at once on {res['cores']} cores = {res['share_inflation']:.2f}× "
              f"(the class: {inflation:.2f}×); so with the default scheduler the efficiency on this machine "
              f"is at most about 1 ÷ {res['share_inflation']:.2f} = {1 / res['share_inflation']:.2f}, "
              f"{share_bound(res):.2f} with the hub and proxy's own CPU, and the class reached "
              f"{res['efficiency'] * res['share_inflation']:.2f} of the first")
    print(f"  per learner: {f(res['cpu_s_per_learner'])} CPU-s (server {f(res['server_cpu_s_per_learner'])} + kernel "
          f"{f(res['kernel_cpu_s_per_learner'])}), peak "
          f"{f(res['peak_mb_per_learner_mean'])} MB mean / {f(res['peak_mb_per_learner_max'])} MB max RSS "
          f"(PSS {f(res['peak_pss_mb_per_learner_mean'])} MB mean / {f(res['peak_pss_mb_per_learner_max'])} MB max, "
          f"target ≤ 250; USS {f(res['peak_uss_mb_per_learner_mean'])} MB mean); "
          f"hub + proxy CPU {f(res['hub_proxy_cpu_s'])} s "
          f"({f(res.get('hub_cpu_s', float('nan')))} + {f(res.get('proxy_cpu_s', float('nan')))})")
    print(f"  afterwards, closing all notebooks (kernel shutdown, not in the figures above) took {f(res['close_all_s'])} s")
    print(f"  this driver (the learners' browsers, simulated on the same 2 cores): {f(res['driver_cpu_s'])} CPU-s, "
          f"of which the memory and CPU sampling {f(res['sampler_cpu_s'])}")
    print(f"  kernel deaths / failures: {res['kernel_deaths']}  {res['failures'][:3]}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, nargs="+", default=[10])
    ap.add_argument("--window", type=float, default=10.0)
    ap.add_argument("--json", help="also write the figures to this file")
    ap.add_argument("--kernel-only", action="store_true",
                    help="learners do not open JupyterLab (page, settings, notebook) before the kernel: "
                         "the narrower run of the first capacity figures")
    ap.add_argument("--keep-log", help="copy the hub log (hub, servers, kernels) to this file (N is appended)")
    ap.add_argument("--no-share-floor", action="store_true",
                    help="skip the machine's own sharing cost (N plain Python processes at once, before the hub starts)")
    args = ap.parse_args(argv)
    if not hubdriver.proxy_available():
        print(f"configurable-http-proxy missing; run: {hubdriver.PROXY_INSTALL}")
        return 2
    import os

    if os.getuid() != 0:
        print("the classroom hub creates one Unix user per learner: run this benchmark as root")
        return 2
    hubdriver.install_learner_env(ROOT)  # the repository's install step (quick when up to date)
    results = []
    for n in args.n:
        res = run(n, args.window, keep_log=f"{args.keep_log}.{n}" if args.keep_log else None,
                  open_lab=not args.kernel_only, share=not args.no_share_floor)
        show(res)
        results.append(res)
    good = [r["learners"] for r in results if r["run_all_p95"] < 60 and not r["kernel_deaths"]]
    print(f"\nlargest N measured with Run All p95 < 60 s and no kernel death: {max(good) if good else 'none'}"
          f" (measured: {', '.join(str(r['learners']) for r in results)})")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
