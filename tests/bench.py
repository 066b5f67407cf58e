"""Benchmark of what learners wait for, as ratios against floors measured in the same run.

    python tests/bench.py                 # default: 3 repetitions per measurement
    python tests/bench.py --quick         # 1 repetition (redraw still ≥ 20 samples, setup ≥ 5)
    python tests/bench.py --repeat 5      # more repetitions
    python tests/bench.py --only redraw,setup --profile   # some metrics; cProfile the ones that miss
    python tests/bench.py --only redraw --all-charts      # every live chart, not only the first per notebook

Metrics (each a median over repetitions; the floor is measured in the same run, interleaved):

- ``notebook[NN_name]`` — ``pytest --nbval`` on one chapter notebook vs a floor notebook that only
  runs the setup cell, in the same working-tree layout (target ≤ 1.3), after one warm-up run of
  every notebook; each chapter run is paired with a floor run, the median of the per-pair ratios is
  reported with its spread; ``notebook_cold`` — chapter 1 on fresh copies of the tree (the first run
  after cloning: no byte code, nothing cached), same target;
- ``redraw[NN_name]`` — one live-chart redraw of the notebook's first chart with a slider or
  dropdown (``LiveChart.set`` with the widget built: control change → new PNG in the Image
  widget) vs a bare matplotlib render of the same figure (same plot function,
  ``fig.savefig(BytesIO, format="png")``, close); median of ≥ 20 (target ≤ 1.5 and < 100 ms);
- ``handouts`` — ``python -m utils.handouts --out DIR`` vs plain ``jupyter nbconvert --execute
  --to html`` on the same four notebooks, both with ``STATIC_CHARTS=all`` (every view of every
  live chart, as handouts show them) (target ≤ 1.2);
- ``setup`` — ``import utils; utils.setup()`` vs bare ``import pandas, seaborn, ipywidgets``,
  each in a fresh ``python -c`` (target ≤ 1.15);
- ``handout_size[NN_name]`` — size of each handout file (target ≤ 2 MB);
- ``browser_lab`` — in Chromium (1280 × 800) in JupyterLab (its default ``contentVisibility`` rendering
  of notebooks, as learners get it): after Run All and once every live chart
  with ready views (≤ 64 combinations) has them all, every control of every such chart moved through
  every value; control (key press / selection) → new image decoded and visible, measured in the page;
  p50 and p95 over all moves of all notebooks (targets p50 ≤ 100 ms, p95 ≤ 250 ms), and the ratio
  of the p50 to a floor measured in the same pages: the same key press swapping a plain ``<img>``
  to another of the PNGs just seen (no widget in between); ``browser_screen`` — the same in the
  screen edition (``python -m utils.handouts --screen``) opened from ``file://`` with the network
  blocked, same targets.

Everything runs in a throwaway copy of notebooks/, utils/ and data/ (plus pytest.ini, conftest.py
and the nbval sanitiser), so the repository is never touched.  Prints one line per metric,
``NAME ratio=X target=Y ok`` or ``… MISS`` followed by the absolute medians, and always exits 0.
This file is a script, not a test: pytest does not collect it (its name does not start with test_).
"""
from __future__ import annotations

import argparse
import ast
import contextlib
import cProfile
import io
import json
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGETS = {"notebook": 1.3, "redraw": 1.5, "redraw_ms": 100.0, "handouts": 1.2, "setup": 1.15, "size_mb": 2.0,
           "switch_p50_ms": 100.0, "switch_p95_ms": 250.0}
SETUP_TAG = "setup"


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------

def lessons() -> list[tuple[int, str]]:
    from utils.lessons import LESSONS

    return [(ch, LESSONS[ch][0]) for ch in sorted(LESSONS)]


def make_worktree(dest: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints", "*.pyc", "attempts.jsonl")
    for name in ("notebooks", "utils", "data"):
        shutil.copytree(ROOT / name, dest / name, ignore=ignore)
    for name in ("pytest.ini", "conftest.py"):
        shutil.copy2(ROOT / name, dest / name)
    (dest / "tests").mkdir()
    shutil.copy2(ROOT / "tests" / "nbval_sanitize.cfg", dest / "tests" / "nbval_sanitize.cfg")
    return dest


def base_env(**extra) -> dict:
    env = dict(os.environ)
    env.pop("HIDE_SOLUTIONS", None)
    env.update(extra)
    return env


def timed_run(cmd: list[str], cwd: Path, env: dict, timeout: float = 900) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        tail = (proc.stdout[-1500:] + "\n" + proc.stderr[-1500:]).strip()
        raise RuntimeError(f"{' '.join(cmd[:6])} … exited {proc.returncode}:\n{tail}")
    return elapsed


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISS"


def line(text: str) -> None:
    print(text, flush=True)


def fmt(x: float) -> str:
    return f"{x:.3f}" if x < 10 else f"{x:.2f}"


# ---------------------------------------------------------------------------
# notebook: nbval per chapter vs a setup-only floor notebook
# ---------------------------------------------------------------------------

def make_floor_notebook(work: Path) -> Path:
    import nbformat

    first = work / "notebooks" / lessons()[0][1]
    nb = nbformat.read(first, as_version=4)
    setup = [c for c in nb.cells if SETUP_TAG in c.get("metadata", {}).get("tags", [])]
    if not setup:
        raise RuntimeError(f"{first.name} has no cell tagged '{SETUP_TAG}'")
    floor = nbformat.v4.new_notebook()
    floor.metadata = nb.metadata
    floor.cells = [setup[0]]
    path = work / "notebooks" / "00_floor.ipynb"
    nbformat.write(floor, path)
    return path


def profile_notebook(path: Path, top: int = 8) -> str:
    """Per-cell execution times of one notebook (static mode, fresh kernel): the slowest cells."""
    code = f"""
import json, os, sys, time, nbformat
from datetime import datetime
from nbclient import NotebookClient
nb = nbformat.read({str(path)!r}, as_version=4)
client = NotebookClient(nb, timeout=600, kernel_name="python3", record_timing=True,
                        resources={{"metadata": {{"path": {str(path.parent)!r}}}}})
t0 = time.perf_counter(); client.execute(); total = time.perf_counter() - t0
rows = []
for i, cell in enumerate(nb.cells):
    t = cell.metadata.get("execution", {{}})
    a, b = t.get("iopub.execute_input"), t.get("shell.execute_reply")
    if cell.cell_type == "code" and a and b:
        dt = (datetime.fromisoformat(b.replace("Z", "+00:00")) - datetime.fromisoformat(a.replace("Z", "+00:00"))).total_seconds()
        pngs = sum("image/png" in o.get("data", {{}}) for o in cell.outputs)
        rows.append([dt, i, pngs, (cell.source.splitlines() or [""])[0][:70]])
print(json.dumps({{"total": total, "rows": rows}}))
"""
    proc = subprocess.run([sys.executable, "-c", code], env=base_env(STATIC_CHARTS="1"), capture_output=True,
                          text=True, timeout=900)
    if proc.returncode != 0:
        return f"(profiling failed: {proc.stderr[-800:]})"
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    rows = data["rows"]
    out = [f"kernel wall time {data['total']:.2f}s; cells {sum(r[0] for r in rows):.2f}s; "
           f"{sum(r[2] for r in rows)} PNG outputs in {sum(r[2] > 0 for r in rows)} cells; slowest cells:"]
    for dt, index, pngs, first in sorted(rows, reverse=True)[:top]:
        out.append(f"  {dt * 1000:6.0f} ms  cell {index:>2}  png×{pngs}  {first}")
    return "\n".join(out)


def bench_notebooks(work: Path, repeat: int, profile: bool = False) -> list[dict]:
    """Each chapter's nbval time as a ratio to the setup-only floor.

    Steadiness: every chapter run is paired with a floor run right before it (so a slow spell of the
    machine hits both), the ratio is taken per pair, and the median of those ratios is reported with
    its spread (min–max).  ``notebook_cold`` runs chapter 1 on fresh copies of the tree (no byte code,
    nothing cached: what a learner meets on the very first run after cloning), each paired with a
    floor run on a warm copy, and has the same target.
    """
    floor = make_floor_notebook(work)
    env = base_env(STATIC_CHARTS="1")
    files = [("floor", floor)] + [(Path(name).stem, work / "notebooks" / name) for _, name in lessons()]

    def nbval(path: Path, cwd: Path = work) -> float:
        rel = path.relative_to(cwd)
        return timed_run([sys.executable, "-m", "pytest", "--nbval", str(rel), "-p", "no:cacheprovider", "-q"],
                         cwd=cwd, env={**env, "PYTHONPATH": str(cwd)})   # kernels import this copy's utils

    cold_ratios, cold_times = [], []
    first_name = lessons()[0][1]
    for i in range(max(repeat, 3)):
        fresh = make_worktree(work.parent / f"cold{i}")
        floor_time = nbval(floor)
        cold = nbval(fresh / "notebooks" / first_name, cwd=fresh)
        cold_times.append(cold)
        cold_ratios.append(cold / floor_time)
        shutil.rmtree(fresh, ignore_errors=True)
    # warm-up, every notebook once (byte code, OS file cache), as on a learner's second run
    for _, path in files:
        nbval(path)
    ratios: dict[str, list[float]] = {key: [] for key, _ in files[1:]}
    floors: list[float] = []
    times: dict[str, list[float]] = {key: [] for key, _ in files[1:]}
    for _ in range(repeat):
        for key, path in files[1:]:
            floor_time = nbval(floor)
            chapter_time = nbval(path)
            floors.append(floor_time)
            times[key].append(chapter_time)
            ratios[key].append(chapter_time / floor_time)
    floor_median = statistics.median(floors)
    cold_ratio = statistics.median(cold_ratios)
    results = [{"name": f"notebook_cold[{Path(first_name).stem}]", "ratio": cold_ratio, "target": TARGETS["notebook"],
                "ok": cold_ratio <= TARGETS["notebook"],
                "detail": f"first run on a fresh copy median={statistics.median(cold_times):.2f}s "
                          f"floor={floor_median:.2f}s spread={min(cold_ratios):.2f}–{max(cold_ratios):.2f} "
                          f"n={len(cold_ratios)}"}]
    for key, _ in files[1:]:
        ratio = statistics.median(ratios[key])
        result = {"name": f"notebook[{key}]", "ratio": ratio, "target": TARGETS["notebook"],
                  "ok": ratio <= TARGETS["notebook"],
                  "detail": f"median={statistics.median(times[key]):.2f}s floor={floor_median:.2f}s "
                            f"spread={min(ratios[key]):.2f}–{max(ratios[key]):.2f} n={repeat}"}
        if profile and not result["ok"]:
            result["profile"] = profile_notebook(work / "notebooks" / f"{key}.ipynb")
        results.append(result)
    return results


# ---------------------------------------------------------------------------
# redraw: LiveChart.set vs a bare matplotlib render (worker runs in a fresh process)
# ---------------------------------------------------------------------------

def _charts_of(nb_path: Path) -> list:
    """Run the notebook's code cells in this process (static mode, no kernel) and collect the
    LiveChart objects that cells end with."""
    import nbformat

    from utils.widgets import LiveChart

    from IPython.display import display

    nb = nbformat.read(nb_path, as_version=4)
    from utils import ____

    # what utils.setup() puts into a kernel's namespace (outside IPython there is no namespace to inject)
    namespace: dict = {"__name__": "__main__", "display": display, "____": ____}
    charts = []
    sink = io.StringIO()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        source = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
        tree = ast.parse(source)
        last = tree.body[-1] if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        body = ast.Module(body=tree.body[:-1] if last else tree.body, type_ignores=[])
        with contextlib.redirect_stdout(sink):
            exec(compile(body, f"<{nb_path.name}>", "exec"), namespace)  # noqa: S102 - our own notebooks
            if last is not None:
                value = eval(compile(ast.Expression(last.value), f"<{nb_path.name}>", "eval"), namespace)  # noqa: S307
                if isinstance(value, LiveChart):
                    charts.append(value)
    return charts


def _first_control(chart):
    from utils.widgets import Dropdown, Slider

    for name, ctl in chart.controls.items():
        if isinstance(ctl, Slider):
            now = chart.values[name]
            other = now - ctl.step if now - ctl.step >= ctl.min else now + ctl.step
            return name, [other, now]
        if isinstance(ctl, Dropdown) and len(ctl.options) > 1:
            now = chart.values[name]
            other = next(v for _, v in ctl.options if v != now)
            return name, [other, now]
    return None, None


def redraw_worker(nb_path: Path, samples: int, profile: bool, all_charts: bool = False) -> list[dict]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    os.chdir(nb_path.parent)
    sys.path.insert(0, str(nb_path.parent.parent))   # the working tree's utils, not the repository's
    from utils.widgets import _to_figure

    charts = [(i, c) for i, c in enumerate(_charts_of(nb_path)) if _first_control(c)[0] is not None]
    if not charts:
        raise RuntimeError(f"{nb_path.name}: no live chart with a slider or dropdown")
    if not all_charts:
        charts = charts[:1]
    results = []
    for index, chart in charts:
        name, values = _first_control(chart)
        chart.max_views = 0                          # the kernel path (charts with > 64 views): every move renders
        chart.cache_views = 0
        chart.widget()                               # build the widget once (renders the default view)

        def widget_redraw(value):
            before = chart.redraws
            t0 = time.perf_counter()
            chart.set(**{name: value})               # as a learner moving the control
            elapsed = time.perf_counter() - t0
            if chart.redraws != before + 1 or chart.png_shown()[:4] != b"\x89PNG":
                raise RuntimeError(f"set({name}={value!r}) did not put a new PNG into the chart's image")
            return elapsed

        def bare_render(value):
            t0 = time.perf_counter()
            fig = _to_figure(chart.plot(**{**chart.values, name: value}))
            buf = io.BytesIO()
            fig.savefig(buf, format="png")
            plt.close(fig)
            return time.perf_counter() - t0

        for value in values * 2:                     # warm-up: caches, fonts, first draws
            widget_redraw(value)
            bare_render(value)
        live, bare = [], []
        for i in range(samples):                     # interleaved, alternating between two views
            value = values[i % 2]
            live.append(widget_redraw(value))
            bare.append(bare_render(value))
        result = {"chart": index, "title": chart.title, "control": name, "values": [repr(v) for v in values],
                  "live": live, "bare": bare}
        if profile:
            prof = cProfile.Profile()
            prof.enable()
            for i in range(10):
                widget_redraw(values[i % 2])
            prof.disable()
            out = io.StringIO()
            pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(30)
            result["profile"] = out.getvalue()
        results.append(result)
    return results


def bench_redraw(work: Path, samples: int, profile: bool, all_charts: bool = False) -> list[dict]:
    results = []
    for _, name in lessons():
        stem = Path(name).stem
        cmd = [sys.executable, str(Path(__file__).resolve()), "--redraw-worker", str(work / "notebooks" / name),
               "--samples", str(samples)] + (["--profile"] if profile else []) + (["--all-charts"] if all_charts else [])
        proc = subprocess.run(cmd, cwd=work / "notebooks", env=base_env(STATIC_CHARTS="1", MPLBACKEND="Agg"),
                              capture_output=True, text=True, timeout=1800)
        if proc.returncode != 0:
            raise RuntimeError(f"redraw worker for {name} failed:\n{proc.stdout[-1500:]}\n{proc.stderr[-2500:]}")
        for data in json.loads(proc.stdout.strip().splitlines()[-1]):
            live_ms = statistics.median(data["live"]) * 1000
            bare_ms = statistics.median(data["bare"]) * 1000
            ratio = live_ms / bare_ms
            ok = ratio <= TARGETS["redraw"] and live_ms < TARGETS["redraw_ms"]
            key = stem if not all_charts else f"{stem}#{data['chart'] + 1}"
            results.append({"name": f"redraw[{key}]", "ratio": ratio, "target": TARGETS["redraw"], "ok": ok,
                            "detail": (f"median={live_ms:.1f}ms floor={bare_ms:.1f}ms "
                                       f"abs_target<{TARGETS['redraw_ms']:.0f}ms n={len(data['live'])} "
                                       f"chart#{data['chart'] + 1} “{data['title']}” control={data['control']} "
                                       f"{' ⇄ '.join(data['values'])}"),
                            "profile": data.get("profile")})
    return results


# ---------------------------------------------------------------------------
# handouts: the build vs plain nbconvert --execute --to html
# ---------------------------------------------------------------------------

def bench_handouts(work: Path, repeat: int, scratch: Path) -> tuple[list[dict], Path]:
    env = base_env(STATIC_CHARTS="all")
    notebooks = [str(Path("notebooks") / name) for _, name in lessons()]
    build_times, plain_times = [], []
    out = scratch / "handouts"
    for i in range(repeat):
        out = scratch / f"handouts_{i}"
        plain = scratch / f"nbconvert_{i}"
        build_times.append(timed_run([sys.executable, "-m", "utils.handouts", "--out", str(out)], cwd=work, env=env))
        plain_times.append(timed_run([sys.executable, "-m", "jupyter", "nbconvert", "--execute", "--to", "html",
                                      "--output-dir", str(plain), *notebooks], cwd=work, env=env))
    build, plain_median = statistics.median(build_times), statistics.median(plain_times)
    ratio = build / plain_median
    return ([{"name": "handouts", "ratio": ratio, "target": TARGETS["handouts"], "ok": ratio <= TARGETS["handouts"],
              "detail": f"median={build:.2f}s floor={plain_median:.2f}s n={repeat}"}], out)


def handout_sizes(out: Path) -> list[dict]:
    results = []
    for _, name in lessons():
        stem = Path(name).stem
        path = out / f"{stem}.html"
        if not path.exists():
            results.append({"name": f"handout_size[{stem}]", "error": f"{path.name} was not written"})
            continue
        mb = path.stat().st_size / 1e6
        results.append({"name": f"handout_size[{stem}]", "mb": mb, "target": TARGETS["size_mb"],
                        "ok": mb <= TARGETS["size_mb"]})
    return results


# ---------------------------------------------------------------------------
# setup: import utils; utils.setup() vs bare imports, fresh processes
# ---------------------------------------------------------------------------

SETUP_CODE = "import utils; utils.setup()"
BARE_CODE = "import pandas, seaborn, ipywidgets"


def bench_setup(work: Path, samples: int, profile: bool) -> list[dict]:
    env = base_env()

    def run(code: str) -> float:
        return timed_run([sys.executable, "-c", code], cwd=work, env=env)

    run(SETUP_CODE)
    run(BARE_CODE)  # warm-up: byte-compile, OS cache, font cache
    setup_times, bare_times = [], []
    for _ in range(samples):
        setup_times.append(run(SETUP_CODE))
        bare_times.append(run(BARE_CODE))
    setup, bare = statistics.median(setup_times), statistics.median(bare_times)
    ratio = setup / bare
    result = {"name": "setup", "ratio": ratio, "target": TARGETS["setup"], "ok": ratio <= TARGETS["setup"],
              "detail": f"median={setup * 1000:.0f}ms floor={bare * 1000:.0f}ms n={samples}"}
    if profile and not result["ok"]:
        result["profile"] = profile_setup(work, env)
    return [result]


def profile_setup(work: Path, env: dict) -> str:
    """cProfile of ``import utils; utils.setup()`` minus what the bare imports already cost,
    plus ``-X importtime`` for the modules that only the utils side imports."""
    code = ("import cProfile, pstats, io\n"
            "import pandas, seaborn, ipywidgets\n"           # the floor's imports, outside the profile
            "p = cProfile.Profile(); p.enable()\n"
            "import utils; utils.setup()\n"
            "p.disable(); s = io.StringIO(); pstats.Stats(p, stream=s).sort_stats('cumulative').print_stats(30)\n"
            "print(s.getvalue())\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=work, env=env, capture_output=True, text=True, timeout=300)
    imp = subprocess.run([sys.executable, "-X", "importtime", "-c",
                          "import pandas, seaborn, ipywidgets; import utils; utils.setup()"],
                         cwd=work, env=env, capture_output=True, text=True, timeout=300)
    rows, after_floor = [], False
    for row in imp.stderr.splitlines():
        parts = row.split("|")
        if len(parts) != 3 or not parts[1].strip().isdigit():
            continue
        name = parts[2].rstrip()
        if after_floor:
            rows.append((int(parts[1]), name))
        elif name.strip() == "ipywidgets":      # the floor's last top-level import is complete
            after_floor = True
    top = sorted(rows, reverse=True)[:20]
    lines = ["cProfile (after pandas, seaborn, ipywidgets are imported):", proc.stdout[-6000:],
             "-X importtime: modules only the utils side imports, largest cumulative (µs):"]
    lines += [f"  {us:>9} {name}" for us, name in top]
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# browser: control → new image in JupyterLab and in the screen edition (Chromium)
# ---------------------------------------------------------------------------

LAB_VIEWPORT = {"width": 1280, "height": 800}
READY_TIMEOUT_S = 300


def _switch_result(name: str, moves: list[float], floor: list[float], detail: str) -> dict:
    from test_screen_edition import percentile

    if not moves:
        return {"name": name, "error": "no control was moved"}
    p50, p95 = statistics.median(moves), percentile(moves, 0.95)
    floor50 = statistics.median(floor) if floor else float("nan")
    ok = p50 <= TARGETS["switch_p50_ms"] and p95 <= TARGETS["switch_p95_ms"]
    return {"name": name, "ratio": p50 / floor50 if floor else float("nan"), "target": TARGETS["switch_p50_ms"],
            "target_text": "(absolute: see p50/p95)", "ok": ok, "detail": (f"p50={p50:.1f}ms p95={p95:.1f}ms (targets ≤{TARGETS['switch_p50_ms']:.0f}/"
                                 f"≤{TARGETS['switch_p95_ms']:.0f}ms) floor p50={floor50:.1f}ms n={len(moves)} "
                                 f"floor n={len(floor)} {detail}")}


def bench_browser(work: Path, scratch: Path, floor_samples: int = 10) -> list[dict]:
    """Control → new image over every move of every live chart with ready views, in JupyterLab and
    in the screen edition (see the module docstring)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from playwright.sync_api import sync_playwright

    import test_browser as tb
    from test_screen_edition import exercise_charts, floor_moves, open_offline

    exe = tb.chromium_path()
    if exe is None:
        raise RuntimeError("Chromium is not installed (apt-get install chromium)")
    results = []
    # JupyterLab's default rendering of a notebook (the tests attach every cell: windowingMode "none")
    tb.LAB_SETTINGS = {**tb.LAB_SETTINGS, "@jupyterlab/notebook-extension/tracker.jupyterlab-settings":
                       {"windowingMode": "contentVisibility"}}
    home = scratch / "lab"
    home.mkdir()
    root = tb.make_worktree(home / "work", docs=True)
    server = tb.LabServer(root, home)
    lab_moves, lab_floor, per_notebook = [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=tb.CHROMIUM_ARGS, headless=True)
        try:
            server.start()
            try:
                for _, name in lessons():
                    stem = Path(name).stem
                    nb = json.loads((root / "notebooks" / name).read_text(encoding="utf-8"))
                    n_code = sum(c["cell_type"] == "code" for c in nb["cells"])
                    context = browser.new_context(viewport=LAB_VIEWPORT, locale="zh-CN")
                    page = context.new_page()
                    try:
                        page.goto(server.url(f"lab/workspaces/bench-{stem}/tree/notebooks/{name}"),
                                  wait_until="domcontentloaded")
                        page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").first.wait_for(
                            timeout=60_000)
                        tb.dismiss_toasts(page)
                        tb.wait_session(page, server, f"notebooks/{name}", 60)
                        tb.wait_kernel_idle(page, 60)
                        ran = tb.run_all(page, n_code)
                        t0 = time.perf_counter()
                        page.wait_for_function(
                            "() => [...document.querySelectorAll('.live-chart-views')]"
                            ".every(c => c.classList.contains('live-chart-ready'))",
                            timeout=READY_TIMEOUT_S * 1000)
                        ready = time.perf_counter() - t0
                        selector = ".jp-NotebookPanel:not(.lm-mod-hidden) .live-chart-views"
                        records = exercise_charts(page, selector)
                        moves = [r["ms"] for r in records]
                        floor = floor_moves(page, floor_samples)
                        lab_moves += moves
                        lab_floor += floor
                        per_notebook.append(f"{stem}: Run All {ran:.1f}s, all views ready {ready:.1f}s after, "
                                            f"{len(moves)} moves p50={statistics.median(moves):.1f}ms")
                    finally:
                        context.close()
                        server.delete_kernels()
            finally:
                server.stop()
            results.append(_switch_result("browser_lab", lab_moves, lab_floor,
                                          "JupyterLab; " + "; ".join(per_notebook)))

            out = scratch / "screen"
            build = timed_run([sys.executable, "-m", "utils.handouts", "--screen", "--out", str(out)], cwd=work,
                              env=base_env())
            screen_moves, screen_floor, blocked = [], [], []
            for _, name in lessons():
                context, page, log = open_offline(browser, out / f"{Path(name).stem}.html")
                try:
                    page.goto((out / f"{Path(name).stem}.html").resolve().as_uri(), wait_until="load")
                    page.wait_for_function("() => document.querySelectorAll('.live-chart-views').length > 0 && "
                                           "[...document.querySelectorAll('.live-chart img.chart-view')]"
                                           ".every(i => i.complete && i.naturalWidth > 0)", timeout=60_000)
                    screen_moves += [r["ms"] for r in exercise_charts(page)]
                    screen_floor += floor_moves(page, floor_samples)
                    blocked += log["aborted"]
                finally:
                    context.close()
            result = _switch_result("browser_screen", screen_moves, screen_floor,
                                    f"screen edition from file://, offline (build {build:.0f}s)")
            if blocked:
                result.update(ok=False, detail=result.get("detail", "") + f" BLOCKED REQUESTS: {blocked[:3]}")
            results.append(result)
        finally:
            browser.close()
    return results


# ---------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------

METRICS = ("notebook", "redraw", "handouts", "setup", "browser")


def report(result: dict) -> None:
    if "error" in result:
        line(f"{result['name']} error: {result['error']}")
        return
    if result.get("info"):
        line(f"{result['name']} info: {result['detail']}")
        return
    if "mb" in result:
        line(f"{result['name']} MB={result['mb']:.2f} target={result['target']:g} {verdict(result['ok'])}")
        return
    target = result.get("target_text") or f"{result['target']:g}"
    line(f"{result['name']} ratio={result['ratio']:.2f} target={target} {verdict(result['ok'])}  "
         f"{result['detail']}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python tests/bench.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one repetition (redraw ≥ 20 samples, setup ≥ 5 runs)")
    parser.add_argument("--repeat", type=int, default=None, metavar="N", help="repetitions per measurement (default 3)")
    parser.add_argument("--only", default=",".join(METRICS), metavar="LIST",
                        help=f"comma-separated subset of {','.join(METRICS)} (sizes come with handouts)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the metrics that miss")
    parser.add_argument("--all-charts", action="store_true",
                        help="redraw: measure every live chart, not only each notebook's first")
    parser.add_argument("--keep", action="store_true", help="keep the temporary working tree and outputs")
    parser.add_argument("--redraw-worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--samples", type=int, default=20, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.redraw_worker:
        result = redraw_worker(args.redraw_worker.resolve(), args.samples, args.profile, args.all_charts)
        print(json.dumps(result))
        return 0

    repeat = args.repeat or (1 if args.quick else 3)
    repeat = max(1, repeat)
    redraw_samples = max(20, 10 * repeat)
    setup_samples = max(5, 2 * repeat + 1)
    only = [m.strip() for m in args.only.split(",") if m.strip()]
    unknown = [m for m in only if m not in METRICS]
    if unknown:
        parser.error(f"unknown metric(s): {', '.join(unknown)}")

    scratch = Path(tempfile.mkdtemp(prefix="bench_"))
    work = make_worktree(scratch / "work")
    line(f"# bench: python {sys.version.split()[0]}, {os.cpu_count()} cores, repeat={repeat}, "
         f"redraw samples={redraw_samples}, setup runs={setup_samples}; working tree {work}")
    t_start = time.perf_counter()
    all_results = []
    try:
        for metric in only:
            t0 = time.perf_counter()
            try:
                if metric == "notebook":
                    results = bench_notebooks(work, repeat, args.profile)
                elif metric == "redraw":
                    results = bench_redraw(work, redraw_samples, args.profile, args.all_charts)
                elif metric == "handouts":
                    results, out = bench_handouts(work, repeat, scratch)
                    results += handout_sizes(out)
                elif metric == "browser":
                    results = bench_browser(work, scratch)
                else:
                    results = bench_setup(work, setup_samples, args.profile)
            except Exception as exc:  # noqa: BLE001 - a benchmark reports, it never fails
                results = [{"name": metric, "error": f"{type(exc).__name__}: {exc}".strip()}]
                if os.environ.get("BENCH_DEBUG"):
                    traceback.print_exc()
            for result in results:
                report(result)
            all_results += results
            line(f"#   ({metric}: {time.perf_counter() - t0:.0f} s)")
        if args.profile:
            for result in all_results:
                if result.get("profile") and not result.get("ok", True):
                    line(f"\n## profile of {result['name']}\n{result['profile']}")
    finally:
        if args.keep:
            line(f"# kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    all_results = [r for r in all_results if not r.get("info")]
    misses = [r["name"] for r in all_results if "error" in r or not r.get("ok", False)]
    line(f"# done in {time.perf_counter() - t_start:.0f} s: {len(all_results) - len(misses)} ok, "
         f"{len(misses)} missed or failed" + (f" ({', '.join(misses)})" if misses else ""))
    return 0


if __name__ == "__main__":
    if "--redraw-worker" in sys.argv:  # the worker's failures must reach the parent
        sys.exit(main())
    try:
        main()
    except SystemExit as exc:       # argparse errors / --help keep their own exit code
        raise exc
    except BaseException:  # noqa: BLE001 - the benchmark always exits 0
        traceback.print_exc()
    sys.exit(0)
