"""Live charts driven programmatically, static mode, error display, and no figure leaks."""
import base64
import html
import re

import matplotlib.pyplot as plt
import pytest

import utils
from utils import widgets


def plot_population(year, unit_scale="万"):
    ns = utils.national_series()
    ns = ns[ns["year"] <= year]
    return utils.charts.timeline(ns, x="year", value="poor_population", unit="人", title=f"截至{year}年")


@pytest.fixture
def chart():
    """A chart on the kernel path (every move renders in the kernel), as charts with > 64 views."""
    utils.setup()
    made = utils.live_chart(plot_population, title="贫困人口",
                            year=utils.slider(2012, 2020, value=2016, label="年份"))
    made.max_views = 0
    return made


def test_live_widget_redraws_with_new_data(chart):
    box = chart.widget()
    assert chart._image in box.children
    first = chart.png_shown()
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    assert base64.b64encode(first).decode() in chart._image.value
    chart._widgets["year"].value = 2019          # as a learner moving the slider
    assert chart.values["year"] == 2019
    assert chart.redraws == 2
    assert chart.png_shown() != first
    chart.set(year=2013)
    assert chart.png_shown() not in (first,) and chart.redraws == 3
    assert base64.b64encode(chart.png_shown()).decode() in chart._image.value


def test_kernel_path_image_is_named_by_the_view_shown(chart):
    """The kernel path's image is an <img> whose alt is the current view's text alternative (the
    same text as the collapsed one under it); it follows every move."""
    chart.widget()
    for year in (2016, 2019):
        chart.set(year=year)
        shown = chart._image.value
        alt = re.search(r'<img [^>]*alt="([^"]*)"', shown).group(1)
        assert alt.startswith(f"年份：{year}。") and chart.last_alt and chart.last_alt in alt
        assert re.search(r'<details class="chart-alt">.*<p>([^<]*)</p>', shown).group(1) == alt


def test_controls_never_take_invalid_values(chart):
    chart.set(year=1990)
    assert chart.values["year"] == 2012            # clamped to the slider's range
    chart.set(year=2016.4)
    assert chart.values["year"] == 2016            # snapped to the step
    with pytest.raises(ValueError, match="数值控件只接受数字"):
        chart.set(year="二〇一六")
    with pytest.raises(ValueError, match="没有名为"):
        chart.set(month=3)
    d = utils.dropdown({"贫困人口": "pop", "发生率": "rate"})
    with pytest.raises(ValueError, match="不是可选项"):
        d.coerce("income")
    assert d.coerce("发生率") == "rate"
    m = utils.multi(["甲", "乙", "丙"], value=["甲"])
    with pytest.raises(ValueError, match="至少选择"):
        m.coerce([])
    assert m.coerce(["丙", "甲"]) == ("甲", "丙")
    with pytest.raises(ValueError):
        utils.toggle().coerce("yes")


def test_widget_rejects_empty_multiselect_with_message():
    utils.setup()

    def plot(regions):
        df = utils.figures("ch1.village_teams", "ch1.first_secretaries")
        return utils.charts.ranked_bars(df[df["id"].isin(regions)], title="t")

    chart = utils.live_chart(plot, regions=utils.multi(["ch1.village_teams", "ch1.first_secretaries"]))
    chart.widget()
    redraws = chart.redraws
    chart._widgets["regions"].value = ()
    assert "至少选择" in chart._message.value
    assert chart.redraws == redraws and chart.values["regions"]  # old view kept


@pytest.mark.parametrize("max_views", [0, 64], ids=["kernel-path", "ready-views"])
def test_plot_errors_become_a_short_chinese_message(max_views):
    def broken(kind):
        raise KeyError("no such column")

    chart = utils.live_chart(broken, kind=utils.dropdown(["a"]))
    chart.max_views = max_views
    box = chart.widget()
    message = chart._message.value if max_views == 0 else chart._views[(0,)].value
    assert "这个视图画不出来" in message
    assert "Traceback" not in message
    assert "KeyError" in chart.last_error                # kept for the author
    assert chart.png_shown() == b"" and "<img" not in chart._image_shown.value if max_views \
        else chart._image.layout.display == "none"
    assert max_views == 0 or "live-chart-ready" in box._dom_classes   # nothing left to draw


def test_static_mode_renders_images(chart, monkeypatch):
    monkeypatch.setenv("STATIC_CHARTS", "1")
    assert widgets.is_static()
    bundles = chart.static_bundle()
    images = [b for b in bundles if "image/png" in b]
    assert len(images) == 1
    assert base64.b64decode(images[0]["image/png"])[:4] == b"\x89PNG"
    assert bundles[-1]["text/plain"] == widgets.STATIC_NOTE


def test_static_mode_shows_the_current_view_and_names_the_others(monkeypatch):
    """STATIC_CHARTS=1: one image (the current view) and a note naming the views left out;
    STATIC_CHARTS=all (handouts): every view of a dropdown with at most four options."""
    utils.setup()

    def plot(metric):
        ns = utils.national_series()
        return utils.charts.timeline(ns, x="year", value=metric, title=metric)

    options = {"贫困人口": "poor_population", "贫困发生率": "incidence", "摘帽县": "counties_delisted"}
    chart = utils.live_chart(plot, metric=utils.dropdown(options, value="incidence", label="指标"))
    monkeypatch.setenv("STATIC_CHARTS", "1")
    bundles = chart.static_bundle()
    assert [b["text/plain"] for b in bundles if "image/png" not in b][0] == "指标：贫困发生率"
    assert len([b for b in bundles if "image/png" in b]) == 1
    note = bundles[-1]["text/plain"]
    assert note.startswith(widgets.STATIC_NOTE_PREFIX)
    assert "控件“指标”" in note and "贫困人口；摘帽县" in note and "贫困发生率" not in note
    monkeypatch.setenv("STATIC_CHARTS", "all")
    assert widgets.is_static()
    bundles = chart.static_bundle()
    headings = [b["text/plain"] for b in bundles if "image/png" not in b][:-1]
    assert headings == ["指标：贫困人口", "指标：贫困发生率", "指标：摘帽县"]
    assert len([b for b in bundles if "image/png" in b]) == 3
    assert bundles[-1]["text/plain"] == widgets.STATIC_NOTE
    five = {f"选项{i}": "incidence" for i in range(5)}
    chart5 = utils.live_chart(plot, metric=utils.dropdown(five))
    assert len([b for b in chart5.static_bundle() if "image/png" in b]) == 1
    assert chart5.static_bundle()[-1]["text/plain"] == widgets.STATIC_NOTE   # nothing named: no views listed


def test_static_detection(monkeypatch):
    monkeypatch.delenv("STATIC_CHARTS", raising=False)
    assert widgets.is_static()          # plain Python: no kernel, no widgets
    monkeypatch.setenv("STATIC_CHARTS", "0")
    assert not widgets.is_static()


@pytest.mark.slow
def test_hundred_redraws_do_not_leak_figures(chart):
    chart.cache_views = 0                          # every move renders
    chart.widget()
    open_before = len(plt.get_fignums())
    for i in range(100):
        chart.set(year=2012 + i % 9)
    assert len(plt.get_fignums()) == open_before
    assert chart.redraws >= 90


# ---------------------------------------------------------------------------
# the controls say what they are set to; static views carry marks and text alternatives
# ---------------------------------------------------------------------------

def test_toggle_shows_its_state_in_words():
    t = utils.toggle(True, label="同时显示常见错读")
    button = t.widget("show_wrong")
    assert button.description == "✔ 同时显示常见错读：开"
    button.value = False
    assert button.description == "同时显示常见错读：关" and "✔" not in button.description
    button.value = True
    assert button.description.startswith("✔")
    custom = utils.toggle(False, label="x", on_label="显示推算值", off_label="隐藏推算值").widget("x")
    assert custom.description == "隐藏推算值"


@pytest.mark.parametrize("kwargs, value, shown", [
    (dict(min=90, max=100, step=1, label="假设的识别准确率（%）"), 98, "98%"),
    (dict(min=90, max=100, step=0.5, label="假设的识别准确率（%）"), 97.5, "97.5%"),
    (dict(min=90.3, max=100, step=0.5, unit="%"), 99.8, "99.8%"),
    (dict(min=2012, max=2020, label="年份"), 2018, "2018"),
    (dict(min=0, max=1, step=0.25), 0.75, "0.75"),
    (dict(min=1, max=10, label="N（增长N倍）"), 3, "3"),
])
def test_slider_readout_is_formatted_like_the_data(kwargs, value, shown):
    """A slider with few values is a dropdown (a named <select>, not ipywidgets' nameless slider
    handle) whose options read like the data; the one selected is the value."""
    import ipywidgets as w

    s = utils.slider(value=value, **kwargs)
    assert s.format(s.value) == shown
    widget = s.widget("v")
    assert isinstance(widget, w.Dropdown) and widget.value == s.value
    assert widget.label == shown and widget.description == (kwargs.get("label") or "v")
    assert [label for label, _ in widget.options] == [label for label, _ in s.choices()]
    assert s.view(widget) is widget                        # the dropdown is its own readout
    widget.value = s.choices()[0][1]
    assert widget.label == s.format(s.choices()[0][1])


def test_slider_with_many_values_is_a_named_number_field():
    """More values than a dropdown should list (0–100 %: 101): a bounded number field named by its
    label (with the unit), clamped to the range; a typed value between two steps snaps to the step."""
    import ipywidgets as w

    overlap = utils.slider(0, 100, 1, value=35, label="两项兼具者占比（%）")
    field = overlap.widget("both")
    assert isinstance(field, w.BoundedIntText) and (field.min, field.max, field.step, field.value) == (0, 100, 1, 35)
    assert field.description == "两项兼具者占比（%）" and field.continuous_update is False
    assert overlap.view(field) is field
    field.value = 250
    assert field.value == 100                               # clamped by the widget itself
    fine = utils.slider(0, 100, 0.5, value=97.5, unit="%", label="准确率")
    box = fine.widget("rate")
    assert isinstance(box, w.BoundedFloatText) and box.description == "准确率（%）"
    fine.view(box)
    box.value = 97.3
    assert box.value == 97.5                                # what the chart draws is what the field says
    assert isinstance(utils.slider(0, 63).widget("n"), w.Dropdown)     # 64 values: still listed
    assert isinstance(utils.slider(0, 64).widget("n"), w.BoundedIntText)


def test_static_outputs_carry_marks_and_alt_text(monkeypatch):
    from utils import marks

    utils.setup()

    def plot(metric):
        return utils.charts.timeline(utils.national_series(), value=metric, title="全国数据")

    options = {"贫困人口": "poor_population", "贫困发生率": "incidence"}
    chart = utils.live_chart(plot, metric=utils.dropdown(options, value="incidence", label="指标"))
    monkeypatch.setenv("STATIC_CHARTS", "all")
    outputs = chart.static_outputs()
    roles = [md[marks.KEY]["role"] for _, md in outputs]
    assert roles == [marks.STATIC_VIEW] * 4 + [marks.STATIC_NOTE]
    images = [(b, md) for b, md in outputs if "image/png" in b]
    assert [md[marks.KEY]["value"] for _, md in images] == ["poor_population", "incidence"]
    for bundle, md in images:
        mark = md[marks.KEY]
        assert mark["control"] == "metric" and mark["label"].startswith("指标：") and mark["part"] == "image"
        assert md["image/png"]["alt"] == mark["alt"] and mark["label"] in mark["alt"]
        assert "全国数据" in mark["alt"] and "折线图" in mark["alt"]
        # what JupyterLab shows (text/html ranks before image/png): the same image, named by its alt
        assert bundle["text/html"] == (f'<img src="data:image/png;base64,{bundle["image/png"]}" '
                                       f'alt="{html.escape(mark["alt"], quote=True)}">')
    assert "10.2" in images[1][1][marks.KEY]["alt"]         # the numbers are in the text alternative
    assert not any(b["text/plain"].startswith(widgets.STATIC_NOTE_PREFIX) for b, md in outputs
                   if md[marks.KEY]["role"] == marks.STATIC_VIEW)
    slider_chart = utils.live_chart(lambda year: plot("poor_population"),
                                    year=utils.slider(2012, 2020, value=2018, label="年份"))
    (_, md), = [(b, md) for b, md in slider_chart.static_outputs() if "image/png" in b]
    assert md[marks.KEY]["control"] == "year" and md[marks.KEY]["value"] == 2018
    assert md[marks.KEY]["label"] == "年份：2018"


REDRAW_SCRIPT = r"""
import gc, os, sys, time, weakref
import matplotlib
matplotlib.use("module://matplotlib_inline.backend_inline")
import matplotlib.pyplot as plt
from matplotlib.figure import Figure
import utils
utils.setup()
plt.ion()                                    # as in a notebook: pyplot queues figures to show

made = []                                    # a weak reference to every figure a redraw made

def plot(year):
    ns = utils.national_series()
    result = utils.charts.timeline(ns[ns["year"] <= year], value="poor_population", unit="人", title=f"截至{year}年")
    made.append(weakref.ref(result if isinstance(result, Figure) else result.get_figure()))
    return result

chart = utils.live_chart(plot, year=utils.slider(2012, 2020, value=2016, label="年份"))
chart.max_views = 0                          # the kernel path: every move renders
chart.cache_views = 0
chart.widget()
for i in range(20):                          # warm-up: caches, fonts
    chart.set(year=2012 + i % 9)
def rss():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

gc.collect()
base = rss()
start = time.perf_counter()
for i in range(int(sys.argv[1])):            # redraws driven from one cell
    chart.set(year=2012 + i % 9)
gc.collect()
grown = rss() - base
print(f"{time.perf_counter() - start:.1f}s", file=sys.stderr)
alive = sum(ref() is not None for ref in made)
print(alive, len(plt.get_fignums()), chart.redraws, grown)
"""

#: a figure kept alive costs ≈ 2 MiB (measured without plt.ioff: 31 alive, +21 MiB after 10 redraws)
REDRAWS = 40


@pytest.mark.slow
def test_many_redraws_from_code_stay_flat():
    """A notebook's pyplot (inline backend, interactive) queues every figure it makes until the cell
    ends; render_view draws with pyplot off (plt.ioff) and closes what it made, so redraws driven
    from one cell keep no figure alive (weak references: none left) and memory stays flat.  40
    redraws show it as well as 500 did: a kept figure costs ≈ 2 MiB, so 40 kept ones would add ≈ 80 MiB."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root), "STATIC_CHARTS": "0"}
    out = subprocess.run([sys.executable, "-c", REDRAW_SCRIPT, str(REDRAWS)], capture_output=True, text=True,
                         env=env, timeout=600, cwd=root)
    assert out.returncode == 0, out.stderr[-2000:]
    alive, open_figs, redraws, grown = map(int, out.stdout.split()[-4:])
    assert alive == 0 and open_figs == 0 and redraws >= REDRAWS + 20
    # kept figures would add ≈ 80 MiB; the allocator alone has been seen to add up to ≈ 8 MiB
    assert grown < 32 * 2**20, f"resident memory grew by {grown / 2**20:.1f} MiB over {REDRAWS} redraws"


# ---------------------------------------------------------------------------
# views ready in the browser (≤ 64 combinations) and the kernel path's cache
# ---------------------------------------------------------------------------

def plot_metric(year, metric):
    ns = utils.national_series()
    return utils.charts.timeline(ns[ns["year"] <= year], x="year", value=metric, title=f"截至{year}年")


def two_controls():
    utils.setup()
    return utils.live_chart(plot_metric, title="全国数据",
                            year=utils.slider(2012, 2020, value=2016, label="年份"),
                            metric=utils.dropdown({"贫困人口": "poor_population", "贫困发生率": "incidence"},
                                                  label="指标"))


def test_ready_views_are_stacks_switched_in_the_browser(monkeypatch):
    """9 years × 2 metrics = 18 views: one Image each in nested Stacks; every control's index is
    jslinked to its level's selected_index (the browser switches, no kernel); only the view shown is
    drawn when the cell runs; a view asked for before it is ready is drawn at once."""
    import ipywidgets as w

    monkeypatch.delenv("LIVE_CHART_VIEWS", raising=False)
    chart = two_controls()
    box = chart.widget()
    assert chart.redraws == 1 and len(chart._views) == 18 and not chart.views_ready
    year, metric = chart._widgets["year"], chart._widgets["metric"]
    assert isinstance(year, w.Dropdown) and year.value == 2016 and year.index == 4
    assert [label for label, _ in year.options][:2] == ["2012", "2013"]      # the values, shown by the browser
    outer, = chart._stacks[0]
    assert isinstance(outer, w.Stack) and len(outer.children) == 9 and outer.selected_index == 4
    assert len(chart._stacks[1]) == 9 and all(len(s.children) == 2 for s in chart._stacks[1])
    links = {(link.source[0].model_id, link.source[1], link.target[0].model_id, link.target[1])
             for link in chart._links}
    assert (year.model_id, "index", outer.model_id, "selected_index") in links
    assert all((metric.model_id, "index", s.model_id, "selected_index") in links for s in chart._stacks[1])
    assert len(links) == 10 and all(type(link).__name__ == "Link" for link in chart._links)
    shown = chart._image_shown
    assert shown is chart._views[(4, 0)] and chart.png_shown()[:4] == b"\x89PNG"
    assert re.search(r'<img [^>]*src="data:image/png;base64,', shown.value)
    alt = re.search(r'alt="([^"]*)"', shown.value).group(1)
    assert alt.startswith("年份：2016；指标：贫困人口。")                           # the view's own alt text
    assert "图表的文字说明" in shown.value and alt in shown.value.split("<details", 1)[1]
    assert "正在绘制" in chart._views[(5, 0)].value and (5, 0) not in chart._pngs   # not drawn yet

    chart.set(year=2019, metric="incidence")          # as the browser does: the control moves
    assert chart.values == {"year": 2019, "metric": "incidence"}
    assert outer.selected_index == 7 and chart._stacks[1][7].selected_index == 1
    assert chart._image_shown is chart._views[(7, 1)] and chart.png_shown()[:4] == b"\x89PNG"
    assert 'alt="年份：2019；指标：贫困发生率。' in chart._image_shown.value
    drawn = chart.redraws
    assert chart.pending_views()[0] in {(6, 1), (8, 1), (7, 0)}                  # nearest first

    assert chart.render_all_views() == 18 - drawn and chart.views_ready
    assert "live-chart-ready" in box._dom_classes
    assert len(set(chart._pngs.values())) == 18                                # 18 different pictures
    redraws = chart.redraws
    chart.set(year=2013)
    assert chart.redraws == redraws                                            # switched, not redrawn
    assert chart.last_alt and 'alt="年份：2013' in chart._image_shown.value
    # a move made in the browser reaches the kernel after the jslinks switched the view there: the
    # kernel must not set the Stacks (a late echo would show an older view after a newer move)
    shown_index = outer.selected_index
    year.value = 2020
    assert chart.values["year"] == 2020 and outer.selected_index == shown_index


def test_views_mode_from_the_environment(monkeypatch):
    monkeypatch.setenv("LIVE_CHART_VIEWS", "all")    # the screen edition: every view in the cell
    chart = two_controls()
    chart.widget()
    assert chart.views_ready and chart.redraws == 18
    monkeypatch.setenv("LIVE_CHART_VIEWS", "0")      # every move asks the kernel
    chart = two_controls()
    chart.widget()
    assert chart._space is None and chart._image is not None and chart.redraws == 1


def test_controls_of_ready_views_show_their_value_without_the_kernel():
    import ipywidgets as w

    s = utils.slider(90, 100, 0.5, value=97.5, label="假设的识别准确率（%）")
    choices = s.choices()
    assert len(choices) == 21 and choices[15] == ("97.5%", 97.5)
    widget = s.index_widget("rate", choices)
    assert isinstance(widget, w.Dropdown) and widget.value == 97.5 and widget.index == 15
    assert widget.label == "97.5%"
    assert s.view(widget) is widget                   # no readout label that the kernel updates
    t = utils.toggle(True, label="同时显示常见错读")
    buttons = t.index_widget("show_wrong", t.choices())
    assert buttons.index == 1 and buttons.description == "同时显示常见错读"
    assert [label for label, _ in t.choices()] == ["关", "开"]
    toggled = utils.live_chart(lambda show: plot_population(2016), show=t)
    assert toggled.state_text() == "同时显示常见错读：开"          # in the view's alt text, not "True"
    assert utils.multi(["甲", "乙"]).choices() is None  # subsets: the kernel path
    many = utils.live_chart(lambda both: plot_population(2016), both=utils.slider(0, 100, 1))
    assert many.view_space() is None                  # 101 views > 64
    few = utils.live_chart(lambda a, b: plot_population(2016), a=utils.slider(1, 8), b=utils.dropdown(range(8)))
    assert len(few.view_space()) == 2                 # exactly 64


def test_kernel_path_keeps_a_cache_of_rendered_views():
    utils.setup()
    chart = utils.live_chart(lambda both: plot_population(2012 + both % 9), both=utils.slider(0, 100, 1, value=50))
    chart.cache_views = 2
    chart.widget()
    assert chart._space is None and chart.redraws == 1
    first = chart.png_shown()
    chart.set(both=51)
    chart.set(both=50)                                # 50 was not cached (the first view is rendered uncached)
    assert chart.redraws == 3 and chart.cache_hits == 0
    chart.set(both=51)
    assert chart.redraws == 3 and chart.cache_hits == 1 and chart.values["both"] == 51
    assert chart.png_shown() != first
    chart.set(both=52)
    chart.set(both=50)                                # evicted: the cache keeps the 2 most recent (51, 52)
    assert chart.cache_hits == 1 and chart.redraws == 5
    assert re.search(r'alt="both：50。', chart._image.value)   # the text alternative names the view shown
    assert chart._image.value.count("both：50") == 2            # alt, and the collapsed text under it


PREFETCH_CELLS = [
    r"""
import time, threading
import matplotlib
import utils
utils.setup()
RENDERS, CELLS = [], []
ASKED = []      # when each cell was asked to run (before any pre_run_cell wait)
get_ipython().events.register("pre_run_cell", lambda info: ASKED.append(time.perf_counter()))

def plot(year, metric):
    t0 = time.perf_counter()
    ns = utils.national_series()
    ax = utils.charts.timeline(ns[ns["year"] <= year], x="year", value=metric, title=f"截至{year}年")
    ax.figure.canvas.draw()
    RENDERS.append((t0, time.perf_counter(), threading.current_thread().name))
    return ax

chart = utils.live_chart(plot, year=utils.slider(2012, 2020, value=2016, label="年份"),
                         metric=utils.dropdown({"贫困人口": "poor_population", "贫困发生率": "incidence"}))
chart
""",
    "T0 = time.perf_counter(); x = sum(range(10**5)); CELLS.append((ASKED[-1], T0, time.perf_counter()))",
]


@pytest.mark.slow
def test_views_are_drawn_in_the_background_only_between_cells(tmp_path):
    """In a real kernel (live mode): the cell shows one view; the other 17 are drawn by a background
    thread while no cell runs — a render never overlaps a cell, even during a burst of cells (Run
    All) — and the chart gets the class ``live-chart-ready``."""
    import json
    import os
    import time

    from jupyter_client.manager import start_new_kernel

    root = __import__("pathlib").Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root), "STATIC_CHARTS": "0", "MPLCONFIGDIR": str(tmp_path)}
    env.pop("LIVE_CHART_VIEWS", None)
    km, kc = start_new_kernel(kernel_name="python3", env=env, cwd=str(root))
    try:
        def run(code):
            out = []
            reply = kc.execute_interactive(code, timeout=120,
                                           output_hook=lambda msg: out.append(msg["content"]))
            assert reply["content"]["status"] == "ok", reply["content"]
            return out

        outputs = run(PREFETCH_CELLS[0])
        assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)
        for _ in range(15):                      # a burst of cells, back to back (as Run All)
            run(PREFETCH_CELLS[1])
        deadline = time.monotonic() + 120
        while True:                              # poll, each poll a short cell
            state = run("print(chart.views_ready, chart.redraws)")
            text = "".join(o.get("text", "") for o in state)
            if text.startswith("True") or time.monotonic() > deadline:
                break
            kc.execute_interactive("", timeout=30)
            time.sleep(0.5)
        assert text.split() == ["True", "18"], text
        report = run("import json; print(json.dumps({'renders': RENDERS, 'cells': CELLS, "
                     "'classes': list(chart.widget()._dom_classes)}))")
        data = json.loads("".join(o.get("text", "") for o in report))
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    assert "live-chart-ready" in data["classes"]
    background = [r for r in data["renders"] if r[2] == "live-chart-views"]
    assert len(background) == 17                  # the first view was drawn in the cell itself
    cells = [(start, end) for _, start, end in data["cells"]]
    assert len(cells) == 15
    overlaps = [(r, c) for r in background for c in cells if r[0] < c[1] and c[0] < r[1]]
    assert not overlaps, f"a background render overlapped a cell: {overlaps[:3]}"
    # a cell waits for at most the one view being drawn
    longest = max(end - start for start, end, _ in background)
    waits = [start - asked for asked, start, _ in data["cells"]]
    assert max(waits) <= longest + 0.05, (max(waits), longest)
