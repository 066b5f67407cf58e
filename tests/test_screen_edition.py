"""The screen edition of the handouts (``python -m utils.handouts --screen``): live charts offline.

Fast part: the preparation (screen-only cells, live charts kept), the template (the widget manager
from ``widgets_js/`` beside the page, the saved state, nothing external), the vendored
``@jupyter-widgets/html-manager`` (pinned hash, licence), publishing over an existing folder.

Browser part (``browser`` + ``slow``): the screen edition built once from a throwaway copy of the
repository; each page opened from ``file://`` in the system Chromium with every request that is
not file/data/blob aborted; every control of every live chart moved through every value, the
chart's image changing each time (the time from the key press / selection to the new decoded
image is measured in the page and recorded in ``artifacts/browser/timings.json``); no request may
leave the page and every file it asks for must exist; axe-core finds 0 serious / critical issues.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from utils import marks
from utils.handouts import builder as build_mod
from utils.handouts import cells as prep
from utils.handouts import render, screen
from utils.handouts.execute import BuildError
from utils.lessons import LESSONS

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted(LESSONS)
STEMS = [Path(LESSONS[c][0]).stem for c in CHAPTERS]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


# ---------------------------------------------------------------------------
# preparation, template, vendored script (fast)
# ---------------------------------------------------------------------------

def _widget_output(model_id="abc"):
    return nbformat.v4.new_output("display_data", data={
        WIDGET_VIEW: {"version_major": 2, "version_minor": 0, "model_id": model_id}, "text/plain": "VBox(…)"})


def _notebook():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("拖动滑块，看图怎样变化。", metadata={
            "tags": [marks.SCREEN_ONLY], marks.KEY: {marks.PRINT: "讲义里每个视图各有一张图。"}}),
        nbformat.v4.new_code_cell("utils.live_chart(plot, year=utils.slider(2012, 2020))"),
        nbformat.v4.new_code_cell("utils.live_chart(plot, both=utils.slider(0, 100))"),
    ]
    nb.cells[1].outputs = [_widget_output()]
    nb.cells[2].outputs = [nbformat.v4.new_output("display_data", data={"text/plain": "note", "text/html": "note"},
                                                  metadata=marks.meta(marks.STATIC_NOTE))]
    return nb


def test_screen_preparation_keeps_live_charts_and_screen_wording():
    prepared = prep.prepare(_notebook(), screen=True)
    cells = prepared.nb.cells
    text = "\n".join(c.source for c in cells)
    assert "拖动滑块" in text and "讲义里每个视图" not in text          # screen-only in, its paper wording out
    assert "屏幕版讲义" in cells[0].source                             # the banner says what works
    live = [c for c in cells if c.cell_type == "code" and any(WIDGET_VIEW in o.get("data", {}) for o in c.outputs)]
    assert len(live) == 1 and live[0].metadata["transient"]["remove_source"]     # plumbing code hidden
    notes = [o["data"]["text/html"] for c in cells if c.cell_type == "code" for o in c.outputs
             if "text/html" in o.get("data", {})]
    assert any(prep.STATIC_NOTE_SCREEN in n for n in notes)
    paper = prep.prepare(_notebook())                                  # the print edition: unchanged
    assert "讲义里每个视图" in "\n".join(c.source for c in paper.nb.cells)
    assert "拖动滑块" not in "\n".join(c.source for c in paper.nb.cells)
    assert not any("屏幕版" in c.source for c in paper.nb.cells)


def test_screen_template_loads_the_widget_manager_from_beside_the_page(tmp_path):
    nb = prep.prepare(_notebook(), screen=True).nb
    model = {"model_name": "HTMLModel", "model_module": "@jupyter-widgets/controls", "model_module_version": "2.0.0",
             "state": {"value": "<b>x</b>"}}
    nb.metadata["widgets"] = {WIDGET_STATE: {"version_major": 2, "version_minor": 0, "state": {"abc": model}}}
    body = render.convert(nb, title="测试", notebook_path=tmp_path / "x.ipynb", with_solutions=False, screen=True)
    assert '<script src="widgets_js/embed.js"></script>' in body
    assert f'<script type="{WIDGET_STATE}">' in body and f'<script type="{WIDGET_VIEW}">' in body
    assert '"model_id": "abc"' in body
    assert 'class="jp-Notebook handout handout-screen"' in body and ".handout-live" in body   # screen.css
    found = render.scan(body)
    assert not found.external and not found.missing_alt
    assert not re.search(r"(cdn|unpkg|jsdelivr|cdnjs|mathjax)", body, re.I)
    printed = render.convert(prep.prepare(_notebook()).nb, title="测试", notebook_path=tmp_path / "x.ipynb",
                             with_solutions=False)
    assert "widgets_js" not in printed and WIDGET_VIEW not in printed           # the print edition: no widgets


def test_the_vendored_widget_manager_is_the_pinned_one(tmp_path):
    folder = screen.WIDGETS_DIR
    data = (folder / "embed.js").read_bytes()
    assert hashlib.sha256(data).hexdigest() == screen.WIDGETS_JS_SHA256
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert screen.WIDGETS_JS_SHA256 in readme and f"html-manager@{screen.HTML_MANAGER_VERSION}" in readme
    assert "BSD" in (folder / "LICENSE").read_text(encoding="utf-8") or "Redistribution" in (folder / "LICENSE").read_text()
    assert "jQuery" in (folder / "embed.js.LICENSE.txt").read_text(encoding="utf-8")
    assert screen.check_widgets_js() == folder / "embed.js"
    tampered = tmp_path / "widgets_js"
    tampered.mkdir()
    with pytest.raises(BuildError, match="找不到"):
        screen.check_widgets_js(tampered)
    (tampered / "embed.js").write_bytes(data + b"\n// changed")
    with pytest.raises(BuildError, match="不一致"):
        screen.check_widgets_js(tampered)
    copied = screen.copy_widgets_js(tmp_path / "out")
    assert sorted(p.name for p in copied.iterdir()) == sorted(screen.SHIPPED)
    assert (copied / "embed.js").read_bytes() == data


def test_publishing_replaces_the_widgets_folder(tmp_path):
    out = tmp_path / "out"
    (out / "widgets_js").mkdir(parents=True)
    (out / "widgets_js" / "old.js").write_text("old")
    (out / "solutions").mkdir()
    staging = tmp_path / "staging"
    (staging / "widgets_js").mkdir(parents=True)
    (staging / "widgets_js" / "embed.js").write_text("new")
    (staging / "01.html").write_text("page")
    build_mod.publish(staging, out)
    assert sorted(p.name for p in out.iterdir()) == ["01.html", "solutions", "widgets_js"]
    assert [p.name for p in (out / "widgets_js").iterdir()] == ["embed.js"] and not staging.exists()


@pytest.mark.slow
def test_screen_command_line(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "utils.handouts", "--screen", "--pdf", "--out", str(tmp_path / "o")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "--pdf" in proc.stderr and not (tmp_path / "o").exists()
    from utils.handouts.index import index_page

    page = index_page([("01_organisation.html", "第一章", False, False)], with_solutions=False, screen=True)
    assert "屏幕版" in page and "直接切换" in page and "--screen" in page
    assert "屏幕版" not in index_page([], with_solutions=False)


# ---------------------------------------------------------------------------
# the real build, offline in Chromium (browser, slow)
# ---------------------------------------------------------------------------

#: In the page: time from the learner's action (capture-phase keydown / pointerdown / input /
#: change) to the chart's new image attached, decoded and visible; checked on every DOM mutation,
#: every image load and every animation frame.
PROBE_JS = r"""
() => {
  if (window.__probe) return;
  const probe = window.__probe = {t0: null};
  for (const type of ['keydown', 'pointerdown', 'input', 'change']) {
    document.addEventListener(type, () => { if (probe.t0 === null) probe.t0 = performance.now(); }, true);
  }
  probe.watch = (chart, before) => new Promise((resolve) => {
    let finished = false, observer = null;
    const check = () => {
      if (finished) return;
      const img = chart.querySelector('img.chart-view');
      const src = img && img.getAttribute('src');
      if (!img || src === before) return;
      if (!(img.complete && img.naturalWidth > 0 && img.getBoundingClientRect().width > 0)) {
        img.addEventListener('load', check, {once: true});
        return;
      }
      finished = true;
      const ms = performance.now() - probe.t0;
      probe.seen = probe.seen || [];
      if (probe.seen.length < 8 && !probe.seen.includes(src)) probe.seen.push(src);   // for the bench's floor
      probe.t0 = null;
      if (observer) observer.disconnect();
      resolve({ms, alt: img.getAttribute('alt') || ''});
    };
    observer = new MutationObserver(check);
    observer.observe(chart, {subtree: true, childList: true, attributes: true});
    const frame = () => { if (!finished) { check(); requestAnimationFrame(frame); } };
    requestAnimationFrame(frame);
    check();
  });
}
"""

#: the src of chart i's image (kept in the page: data URIs are long)
_MARK_JS = """([selector, i]) => {
  const chart = document.querySelectorAll(selector)[i];
  const img = chart && chart.querySelector('img.chart-view');
  window.__before = img ? img.getAttribute('src') : null;
  return img ? (img.getAttribute('alt') || '') : null;
}"""

_WAIT_JS = """([selector, i]) => window.__probe.watch(document.querySelectorAll(selector)[i], window.__before)"""


def controls_of(chart):
    """The controls of one live chart, in order: ("dropdown", select), ("toggle", [buttons])
    (``utils.slider`` of a chart with ready views is a dropdown: no slider handle is left)."""
    assert chart.locator(".noUi-handle, [role=slider]").count() == 0
    found = []
    for select in chart.locator("select:not([multiple])").all():
        found.append(("dropdown", select))
    for group in chart.locator(".widget-toggle-buttons").all():
        found.append(("toggle", group.locator("button").all()))
    return found


def moves_of(kind, control) -> list:
    """Every move that takes the control through all its values: callables that make one move."""
    if kind == "dropdown":
        count = control.locator("option").count()
        current = control.evaluate("el => el.selectedIndex")
        order = [i for i in range(count) if i != current] + [current]
        return [lambda i=i: control.select_option(index=i) for i in order]
    buttons = control
    pressed = next((i for i, b in enumerate(buttons) if "mod-active" in (b.get_attribute("class") or "")), 0)
    order = [i for i in range(len(buttons)) if i != pressed] + [pressed]
    return [lambda i=i: buttons[i].click() for i in order]


def exercise_charts(page, selector: str = ".live-chart-views", timeout_ms: int = 10_000) -> list[dict]:
    """Move every control of every live chart on the page through all its values; each move must
    show a new image.  Returns one record per move: chart, control, ms, alt."""
    page.evaluate(PROBE_JS)
    records = []
    charts = page.locator(selector)
    for i in range(charts.count()):
        chart = charts.nth(i)
        chart.scroll_into_view_if_needed()
        for c, (kind, control) in enumerate(controls_of(chart)):
            for move in moves_of(kind, control):
                before_alt = page.evaluate(_MARK_JS, [selector, i])
                move()
                result = page.wait_for_function(_WAIT_JS, arg=[selector, i], timeout=timeout_ms).json_value()
                records.append({"chart": i, "control": f"{c}:{kind}", "ms": result["ms"], "alt": result["alt"],
                                "before": before_alt})
    return records


#: The floor of a move: the same key press (Playwright → keydown) swapping a plain <img> to another
#: of the PNGs just seen, decoded and visible — what any page needs, with no widget in between.
FLOOR_JS = r"""
() => {
  const box = document.createElement('div');
  box.className = 'bench-floor';
  box.style.cssText = 'position:fixed;left:0;top:0;z-index:100000;background:#fff';
  const input = document.createElement('input');
  input.setAttribute('aria-label', 'bench floor');
  const img = document.createElement('img');
  img.className = 'chart-view';
  img.alt = 'floor';
  img.style.maxWidth = '400px';
  let k = 0;
  input.addEventListener('keydown', () => { img.src = window.__probe.seen[k++ % window.__probe.seen.length]; });
  box.append(input, img);
  document.body.append(box);
}
"""


def floor_moves(page, samples: int) -> list[float]:
    """``samples`` floor moves (see :data:`FLOOR_JS`) in ``page``, after :func:`exercise_charts`."""
    if len(page.evaluate("() => (window.__probe && window.__probe.seen) || []")) < 2:
        return []
    page.evaluate(FLOOR_JS)
    field = page.locator(".bench-floor input")
    field.focus()
    out = []
    for _ in range(samples):
        page.evaluate(_MARK_JS, [".bench-floor", 0])
        field.press("x")
        out.append(page.wait_for_function(_WAIT_JS, arg=[".bench-floor", 0], timeout=10_000).json_value()["ms"])
    page.evaluate("() => document.querySelector('.bench-floor').remove()")
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


@pytest.fixture(scope="session")
def screen_browser(browser):
    """The session's one Chromium (tests/conftest.py), shared with tests/test_browser.py."""
    return browser


@pytest.fixture(scope="session")
def screen_edition(screen_browser, tmp_path_factory, pytestconfig):
    """The screen edition built from a throwaway copy of the repository."""
    from test_browser import make_worktree

    home = tmp_path_factory.mktemp("screen_edition")
    root = make_worktree(home / "work")
    out = home / "out"
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", MPLCONFIGDIR=str(home / "mpl"),
               IPYTHONDIR=str(home / "ipython"))
    env.pop("HIDE_SOLUTIONS", None)
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "utils.handouts", "--screen", "--out", str(out)], cwd=root, env=env,
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, f"screen build failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
    capture = pytestconfig.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
        print(f"\n[screen] screen edition built in {time.perf_counter() - t0:.1f} s")
    return out


def open_offline(browser, path: Path):
    """A page showing ``path`` from file:// with every request that is not file/data/blob aborted."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    log = {"aborted": [], "files": [], "errors": []}

    def gate(route):
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:")):
            if url.startswith("file:"):
                log["files"].append(url)
            route.continue_()
        else:
            log["aborted"].append(url)
            route.abort()

    context.route("**/*", gate)
    page = context.new_page()
    page.on("pageerror", lambda exc: log["errors"].append(str(exc)))
    page.on("console", lambda msg: log["errors"].append(msg.text[:300]) if msg.type == "error" else None)
    return context, page, log


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("stem", STEMS + ["index"])
def test_screen_edition_is_live_offline(stem, screen_edition, screen_browser, capsys):
    from test_browser import AXE_BLOCKING, _record_timing, run_axe
    from urllib.parse import unquote, urlparse

    path = screen_edition / f"{stem}.html"
    assert path.is_file(), f"the build wrote no {path.name}"
    html_text = path.read_text(encoding="utf-8")
    views = html_text.count(f'<script type="{WIDGET_VIEW}">')
    context, page, log = open_offline(screen_browser, path)
    try:
        t0 = time.perf_counter()
        page.goto(path.resolve().as_uri(), wait_until="load")
        if stem != "index":
            assert views >= 1, f"{path.name} has no live chart"
            page.wait_for_function("(n) => document.querySelectorAll('.live-chart').length >= n && "
                                   "[...document.querySelectorAll('.live-chart img.chart-view')]"
                                   ".every(i => i.complete && i.naturalWidth > 0)", arg=views, timeout=30_000)
        shown = time.perf_counter() - t0
        records = exercise_charts(page) if stem != "index" else []
        charts = page.locator(".live-chart-views").count()
        if stem != "index":
            assert charts >= 1
            moved = {r["chart"] for r in records}
            assert moved == set(range(charts)), f"charts without a control moved: {set(range(charts)) - moved}"
            assert all(r["alt"] and r["alt"] != r["before"] for r in records)   # the alt text follows the view
        page.screenshot(path=str(ROOT / "artifacts" / "browser" / f"screen_{stem}.png"))

        result = run_axe(page)
        blocking = [(v["impact"], v["id"], len(v["nodes"]), v["help"]) for v in result["violations"]
                    if v.get("impact") in AXE_BLOCKING]
        assert not log["aborted"], f"{path.name}: requests left the page: {log['aborted'][:5]}"
        missing = [u for u in log["files"] if not Path(unquote(urlparse(u).path)).is_file()]
        assert not missing, f"{path.name}: asked for files that are not there: {missing[:5]}"
        assert not [e for e in log["errors"] if "allowUnionTypes" not in e], f"{path.name}: {log['errors'][:3]}"
        assert not blocking, f"{path.name}: axe-core serious/critical violations: {blocking}"
        ms = [r["ms"] for r in records]
        summary = {"views_shown_s": round(shown, 2), "live_charts": charts, "moves": len(ms),
                   "p50_ms": round(statistics.median(ms), 1) if ms else None,
                   "p95_ms": round(percentile(ms, 0.95), 1) if ms else None, "axe_serious_critical": 0}
        _record_timing(f"screen_{stem}", summary)
        with capsys.disabled():
            print(f"\n[screen] {path.name}: {charts} live charts shown in {shown:.1f} s, {len(ms)} moves"
                  + (f", control → new image p50 {summary['p50_ms']} ms, p95 {summary['p95_ms']} ms" if ms else "")
                  + f"; {len(log['files'])} file requests, 0 blocked; axe 0 serious/critical")
    finally:
        context.close()
