"""Fonts (system font or the bundled fallback), Chinese glyphs in charts, the chart layer."""
import json
import subprocess
import sys
import warnings
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
import pytest

import utils
from utils import charts, style

ROOT = Path(__file__).resolve().parent.parent


def all_chinese_labels() -> list[str]:
    texts = []
    for name, columns in {
        "report_figures": ["indicator", "region", "quote", "note", "comparison", "source_cited"],
        "glossary": ["term", "explanation"],
        "lists": ["item", "detail", "source_cited"],
        "sections": ["title"],
        "national_series": ["source_population", "source_counties"],
    }.items():
        frame = utils.load_table(name)
        for column in columns:
            texts.extend(str(v) for v in frame[column] if str(v).strip())
    texts.extend(f.text for f in map(utils.figure, utils.load_figures()["id"]))
    return sorted(set(texts))


def render_without_glyph_warnings(texts):
    fig, ax = plt.subplots(figsize=(8, 2))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for i in range(0, len(texts), 40):
            ax.clear()
            ax.set_title("标题：" + texts[i])
            ax.text(0, 0.5, "；".join(texts[i:i + 40]))
            fig.canvas.draw()
    plt.close(fig)
    return [str(w.message) for w in caught if "Glyph" in str(w.message) or "missing from" in str(w.message)]


@pytest.mark.slow
def test_every_chinese_label_in_the_data_renders():
    utils.setup()
    texts = all_chinese_labels()
    assert len(texts) > 200
    assert render_without_glyph_warnings(texts) == []


def test_setup_is_idempotent_and_keeps_the_font_after_the_theme():
    utils.setup()
    first = style.current_font()
    utils.setup()
    assert style.current_font() is first
    assert mpl.rcParams["font.family"][0] == first.name
    assert mpl.rcParams["axes.unicode_minus"] is False


FALLBACK_SCRIPT = r"""
import json, sys, warnings
sys.path.insert(0, sys.argv[1])
import matplotlib
matplotlib.use("Agg")
from matplotlib import font_manager
# simulate a machine without any system CJK font
font_manager.fontManager.ttflist = [f for f in font_manager.fontManager.ttflist
                                    if not any(k in f.name for k in ("CJK", "Han", "Hei", "YaHei", "PingFang", "WenQuanYi", "Noto Sans SC"))]
import utils
utils.setup()
import matplotlib.pyplot as plt
fig, ax = plt.subplots()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    ax.set_title("脱贫攻坚与乡村振兴：驻村工作队、第一书记、两不愁三保障")
    fig.canvas.draw()
font = utils.style.current_font()
print(json.dumps({"origin": font.origin, "name": font.name,
                  "glyph_warnings": [str(w.message) for w in caught if "Glyph" in str(w.message)]}))
"""


@pytest.mark.slow
def test_bundled_font_is_used_when_no_system_cjk_font_exists():
    out = subprocess.run([sys.executable, "-c", FALLBACK_SCRIPT, str(ROOT)], capture_output=True, text=True,
                         timeout=120, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["origin"] == "mplfonts"
    assert "CJK" in result["name"]
    assert result["glyph_warnings"] == []


def test_missing_everything_gives_a_chinese_message(monkeypatch, tmp_path):
    monkeypatch.setattr(style, "_bundled_font_path", lambda: tmp_path / "none.otf")
    from matplotlib import font_manager
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    with pytest.raises(RuntimeError, match="找不到可用的中文字体"):
        style.find_cjk_font()


# --- charts -----------------------------------------------------------------

def rc_snapshot():
    return {k: repr(v) for k, v in mpl.rcParams.items()}


@pytest.fixture
def front_line():
    utils.setup()
    return utils.figures("ch1.village_teams", "ch1.first_secretaries", "ch1.township_cadres")


def _texts(fig):
    return [t.get_text() for t in fig.findobj(mpl.text.Text)]


def test_ranked_bars_labels_units_caption_and_qualifiers(front_line):
    before = rc_snapshot()
    ax = charts.ranked_bars(front_line.iloc[1:], title="一线干部", name="人数")
    fig = ax.figure
    texts = _texts(fig)
    assert "一线干部" == ax.get_title(loc="left")
    assert "人数（万人）" == ax.get_xlabel()
    assert "≥300万人" in texts and "近200万人" in texts
    assert fig._report_caption.startswith("出处：报告第一章") and "来源：报告未注明来源" in fig._report_caption
    # the "多" figure gets a hatched extension up to 400万
    hatched = [p for p in ax.patches if p.get_hatch()]
    assert len(hatched) == 1 and hatched[0].get_x() + hatched[0].get_width() == pytest.approx(400)
    assert rc_snapshot() == before  # no global state changed
    plt.close(fig)


def test_caption_names_cited_source():
    utils.setup()
    df = utils.figures("ch1.weak_orgs_rectified", "ch1.cohesion_index_change")
    ax = charts.ranked_bars(df, title="t")
    assert "中央组织部基层党建工作统计" in ax.figure._report_caption
    plt.close(ax.figure)


def test_before_after_marks_derived_values():
    utils.setup()
    p, c = utils.figure("ch1.participation_rate"), utils.figure("ch1.participation_rate_change")
    frame = pd.DataFrame({"label": ["参与比例"], "before": [utils.base_from_points(p.value, c.value)],
                          "after": [p.value], "before_derived": [True], "where": [p.where], "source": [p.source]})
    ax = charts.before_after(frame, before_name="2016年", after_name="2021年", unit="%", title="t")
    texts = _texts(ax.figure)
    assert "33.7%（推算）" in texts and "89.7%" in texts
    assert "推算" in ax.figure._report_caption
    plt.close(ax.figure)


def test_shares_is_honest_about_qualifiers(front_line):
    ax = charts.shares(front_line.iloc[1:], title="构成")
    assert any(p.get_hatch() for p in ax.patches)
    assert "下限" in ax.figure._report_caption
    assert ax.get_xlim() == (0, 100)
    with pytest.raises(ValueError):
        charts.shares(front_line.assign(value=0), title="x")
    plt.close("all")


def test_timeline_and_small_multiples():
    utils.setup()
    ns = utils.national_series()
    ax = charts.timeline(ns, x="year", value="poor_population", unit="人", name="贫困人口", annotations={2012: "9899万"},
                         caption=charts.caption(source=ns["source_population"].iloc[0]))
    assert ax.get_ylabel() == "贫困人口（万人）"
    assert "国家统计局" in ax.figure._report_caption
    plt.close(ax.figure)
    df = utils.figures("ch4.industry_support", "ch4.employment_support", "ch4.social_support")
    axes = charts.small_multiples(df.assign(x="2021年"), facet="label", x="x", title="帮扶")
    assert sum(a.get_visible() for a in axes.flat) == 3
    assert axes.flat[0].get_ylabel() == "单位：万人次"
    plt.close("all")


def test_charts_draw_no_glyph_warnings(front_line):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ax = charts.ranked_bars(front_line, title="一线力量（含推算）", name="数量")
        ax.figure.canvas.draw()
    assert not [w for w in caught if "Glyph" in str(w.message)]
    plt.close("all")


# ---------------------------------------------------------------------------
# layout: caption wrapping, one-pass layout, display without re-cropping, heatmap
# ---------------------------------------------------------------------------

def caption_line_widths(fig):
    """Width in pixels of every caption line, drawn."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    caption_text = next(t for t in fig.texts if t.get_text().startswith("出处") or t.get_text().startswith("来源"))
    widths = []
    for line in caption_text.get_text().split("\n"):
        probe = fig.text(0, 0, line, fontsize=caption_text.get_fontsize())
        widths.append(probe.get_window_extent(renderer).width)
        probe.remove()
    return widths


def test_wrap_display_measures_chinese_as_wide_and_keeps_words_and_punctuation():
    text = "注：工资是下限（超过），推出的务农收入也是下限；务农收入按月还是按年、是否含自产自用，报告没有说明 data/report_figures.csv"
    lines = charts.wrap_display(text, 20)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(sum(map(charts._char_em, line)) <= 20 for line in lines[:-1])
    assert not any(line[0] in "，。；：）" for line in lines)          # no line starts with closing punctuation
    assert not any(line[-1] in "（“" for line in lines)               # no line ends with an opening one
    assert "data/report_figures.csv" in lines[-1]                      # a Latin word is never split
    assert charts.wrap_display("abc", 10) == ["abc"]


def test_long_captions_stay_inside_the_figure():
    utils.setup()
    note = "工资是下限（超过），推出的务农收入也是下限；务农收入按月还是按年、是否含自产自用，报告没有说明。" * 3
    frame = pd.DataFrame({"label": ["甲", "乙"], "value": [3.0, 5.0], "unit": "万人"})
    for width in (5, 8, 12):
        ax = charts.ranked_bars(frame, title="标题", figsize=(width, None),
                                caption=charts.caption(where="第三章(三)", note=note))
        fig = ax.figure
        widths = caption_line_widths(fig)
        assert len(widths) >= 2
        assert max(widths) <= fig.bbox.width * (1 - charts._CAPTION_X), (width, widths, fig.bbox.width)
        plt.close(fig)


def _build_all_chart_kinds():
    ns = utils.national_series()
    df = utils.figures("ch4.industry_support", "ch4.employment_support", "ch4.social_support")
    table = pd.crosstab(utils.load_figures()["kind"], utils.load_figures()["chapter"])
    return [
        charts.ranked_bars(df, title="三类帮扶", name="人次").figure,
        charts.before_after(pd.DataFrame({"label": ["参与率"], "before": [60.0], "after": [75.0], "unit": "%"}),
                            title="前后").figure,
        charts.timeline(ns, x="year", value="poor_population", unit="人", name="贫困人口", title="贫困人口").figure,
        next(iter(charts.small_multiples(pd.concat([df.assign(x="2021年"), df.assign(x="2022年")]),
                                         facet="label", x="x", col_wrap=2, title="帮扶").flat)).figure,
        charts.heatmap(table, unit="个", title="类型 × 章").figure,
    ]


def test_one_pass_layout_equals_tight_layout_with_a_caption_rect(monkeypatch):
    """lift_layout gives the subplot parameters of tight_layout(rect=(0, caption, 1, 1))."""
    utils.setup()
    ours = [fig.subplotpars for fig in _build_all_chart_kinds()]
    ours = [(p.left, p.right, p.bottom, p.top, p.wspace, p.hspace) for p in ours]
    plt.close("all")
    monkeypatch.setattr(charts, "lift_layout",
                        lambda fig, bottom, caption=None: fig.tight_layout(rect=(0, bottom, 1, 1)))
    reference = [fig.subplotpars for fig in _build_all_chart_kinds()]
    reference = [(p.left, p.right, p.bottom, p.top, p.wspace, p.hspace) for p in reference]
    plt.close("all")
    assert len(ours) == 5
    for mine, theirs in zip(ours, reference):
        assert mine == pytest.approx(theirs, abs=1e-9)


def _subplot_params(fig) -> tuple:
    return tuple(getattr(fig.subplotpars, name) for name in charts._SUBPLOT_PARAMS)


def test_a_layout_is_measured_once_per_set_of_decorations(monkeypatch):
    """A figure whose measured decorations match one laid out before reuses its subplot parameters —
    the very numbers a fresh measurement gives; a figure whose tick labels differ is measured."""
    utils.setup()
    measured = []
    measure = charts._measure_layout
    monkeypatch.setattr(charts, "_measure_layout", lambda fig, bottom: (measured.append(fig), measure(fig, bottom)))
    monkeypatch.setattr(charts, "LAYOUT_CACHE_SIZE", 0)
    fresh = [_subplot_params(fig) for fig in _build_all_chart_kinds()]
    plt.close("all")
    assert len(measured) == 5
    monkeypatch.setattr(charts, "LAYOUT_CACHE_SIZE", 256)
    charts.clear_layout_cache()
    # figures drawn once (outside a live chart's views) are measured, never keyed: a key would cost
    # them a pass over their tick labels on top of the layout
    keyed = []
    layout_key = charts._layout_key
    monkeypatch.setattr(charts, "_layout_key", lambda *a: (keyed.append(a[0]), layout_key(*a))[1])
    once = [_subplot_params(fig) for fig in _build_all_chart_kinds()]
    plt.close("all")
    assert len(measured) == 10 and keyed == [] and once == fresh and not charts._LAYOUTS
    with charts.kept_renderers(layouts=False):        # a static page's only view: the same
        assert [_subplot_params(fig) for fig in _build_all_chart_kinds()] == fresh
    plt.close("all")
    assert len(measured) == 15 and keyed == []
    # the views of a live chart (widgets.render_view) are keyed: a layout seen before is reused
    with charts.kept_renderers():
        first = [_subplot_params(fig) for fig in _build_all_chart_kinds()]
        plt.close("all")
        assert len(measured) == 20 and len(keyed) == 5
        again = [_subplot_params(fig) for fig in _build_all_chart_kinds()]
        plt.close("all")
    assert len(measured) == 20                        # nothing measured: every layout reused
    assert first == fresh and again == fresh
    # same data, other decorations: another layout, measured (not the first one's)
    # another title (its text is not measured by the layout, only its height): the layout is reused
    ns = utils.national_series()
    with charts.kept_renderers():
        people = charts.timeline(ns, value="poor_population", unit="人", name="贫困人口", title="另一个标题").figure
        assert len(measured) == 20 and _subplot_params(people) == fresh[2]
        rate = charts.timeline(ns, value="incidence", unit="%", name="贫困发生率", title="发生率").figure
    assert measured[-1] is rate
    assert _subplot_params(people) != _subplot_params(rate)
    # longer tick labels are measured again
    frame = pd.DataFrame({"label": ["甲", "乙"], "value": [10.0, 20.0], "unit": "人"})
    with charts.kept_renderers():
        short = charts.ranked_bars(frame, title="标题", name="人数")
        long = charts.ranked_bars(frame.assign(label=["甲", "一个很长很长很长很长的类别名称"]), title="标题", name="人数")
    assert measured[-2:] == [short.figure, long.figure]
    assert _subplot_params(short.figure) != _subplot_params(long.figure)
    plt.close("all")


def test_a_chart_png_has_the_pixels_of_savefig():
    """Live views and static views are drawn with a kept renderer and encoded by Pillow: the same
    pixels and dpi as ``savefig(format="png")``, stored as RGB when the image is opaque."""
    import io

    import numpy as np
    from PIL import Image

    from utils import widgets

    utils.setup()
    for fig in _build_all_chart_kinds() + _build_all_chart_kinds():   # the second time: a kept renderer
        ours = widgets.figure_png(fig)
        fast = widgets.figure_png(fig, fast=True)
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        reference = Image.open(io.BytesIO(buf.getvalue()))
        for png in (ours, fast):
            image = Image.open(io.BytesIO(png))
            assert image.mode == "RGB" and image.size == reference.size
            assert image.info["dpi"] == pytest.approx(reference.info["dpi"])
            assert np.array_equal(np.asarray(image.convert("RGBA")), np.asarray(reference.convert("RGBA")))
        plt.close(fig)
    # a see-through figure keeps its alpha channel
    fig, ax = plt.subplots(figsize=(2, 1))
    fig.patch.set_alpha(0.0)
    assert Image.open(io.BytesIO(widgets.figure_png(fig))).mode == "RGBA"
    plt.close(fig)


LAYOUT_SCRIPT = r"""
import itertools, json, os, sys
import matplotlib
matplotlib.use("Agg")
sys.path.insert(0, sys.argv[1])
sys.path.insert(0, os.path.join(sys.argv[1], "tests"))
import bench
from utils import catalog, charts, widgets


class Checking(dict):
    # never hands out a stored layout: every figure is measured, and a figure whose key was seen
    # before must have measured the same subplot parameters
    mismatches, view_keys, in_views = [], set(), False

    def get(self, key, default=None):
        return default

    def __setitem__(self, key, params):
        old = dict.get(self, key)
        if old is not None and any(abs(old[k] - params[k]) > 1e-9 for k in params):
            self.mismatches.append(f"{where}: {old} != {params}")
        if self.in_views:
            self.view_keys.add(key)
        dict.__setitem__(self, key, params)


charts._LAYOUTS = Checking()
charts.LAYOUT_CACHE_SIZE = 10 ** 6
views = 0
for lesson in catalog.LESSONS:
    if not lesson.path.exists():
        continue
    os.chdir(lesson.path.parent)
    where = lesson.notebook
    Checking.in_views = False
    for chart in bench._charts_of(lesson.path):
        space = chart.view_space()
        if space is None:
            continue
        Checking.in_views = True
        for combo in itertools.product(*[choices for _, choices in space]):
            values = {**chart.values, **{name: value for (name, _), (_, value) in zip(space, combo)}}
            where = f"{lesson.notebook} “{chart.title}” {values}"
            widgets.render_view(chart.plot, values)
            views += 1
        Checking.in_views = False
print(json.dumps({"views": views, "layouts": len(Checking.view_keys), "figures": len(charts._LAYOUTS),
                  "mismatches": Checking.mismatches}, ensure_ascii=False))
"""


@pytest.mark.slow
def test_every_layout_the_lessons_reuse_is_the_one_measured(tmp_path):
    """Every view of every live chart and every chart of the lessons, each measured afresh: figures
    with the same layout key always measure the same subplot parameters (so reusing them is exact),
    and the views of a chart share keys (so the reuse happens)."""
    import os

    # the script runs every code cell of the lessons, exercise cells too: their checks go to a log of
    # their own, not the session's (nbval's ex.progress() cells read that one and must find it empty)
    env = {**os.environ, "STATIC_CHARTS": "1", "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg",
           "COURSE_ATTEMPTS": str(tmp_path / "attempts.jsonl")}
    out = subprocess.run([sys.executable, "-c", LAYOUT_SCRIPT, str(ROOT)], capture_output=True, text=True,
                         env=env, timeout=900)
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["mismatches"] == []
    assert result["views"] >= 80
    assert result["layouts"] < result["views"] * 0.75     # views share keys: most reuse a layout


def test_chart_figures_are_shown_at_their_own_size_and_other_figures_cropped():
    """In IPython, ReportFigure is printed without bbox_inches='tight'; a learner's figure is cropped."""
    import base64
    import io

    from IPython.core.interactiveshell import InteractiveShell
    from IPython.core.pylabtools import select_figure_formats
    from PIL import Image

    shell = InteractiveShell.instance()
    try:
        select_figure_formats(shell, {"png"})
        assert style.show_laid_out_figures_as_they_are() is True
        utils.setup()
        ax = charts.ranked_bars(pd.DataFrame({"label": ["甲"], "value": [1.0], "unit": "人"}), title="标题")
        assert isinstance(ax.figure, charts.ReportFigure)
        data, _ = shell.display_formatter.format(ax.figure)
        ours = Image.open(io.BytesIO(base64.b64decode(data["image/png"])))
        assert ours.size == (round(ax.figure.bbox.width), round(ax.figure.bbox.height))
        fig, own = plt.subplots(figsize=(8, 3))
        own.plot([0, 1], [0, 1])
        data, _ = shell.display_formatter.format(fig)
        theirs = Image.open(io.BytesIO(base64.b64decode(data["image/png"])))
        assert theirs.size[0] < 800                       # the learner's figure is still cropped tight
        select_figure_formats(shell, {"svg"})             # a later %config is honoured
        data, _ = shell.display_formatter.format(ax.figure)
        assert "image/svg+xml" in data and "image/png" not in data
    finally:
        plt.close("all")
        InteractiveShell.clear_instance()


def test_a_chart_drawn_on_its_canvas_is_printed_from_those_pixels(monkeypatch):
    """After a cell, pyplot draws every changed figure on its canvas and the inline backend then
    prints it: a chart drawn there and unchanged since is encoded from the canvas (the pixels
    savefig would draw, no second draw); a changed one, or another printer (retina), uses savefig."""
    import base64
    import io

    import numpy as np
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.core.pylabtools import select_figure_formats
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    saves = []
    print_figure = FigureCanvasAgg.print_figure
    monkeypatch.setattr(FigureCanvasAgg, "print_figure",
                        lambda self, *a, **k: (saves.append(self.figure), print_figure(self, *a, **k))[1])

    def pixels(png_base64):
        return np.asarray(Image.open(io.BytesIO(base64.b64decode(png_base64))).convert("RGBA"))

    shell = InteractiveShell.instance()
    try:
        select_figure_formats(shell, {"png"})
        utils.setup()
        ax = charts.ranked_bars(pd.DataFrame({"label": ["甲", "乙"], "value": [1.0, 2.0], "unit": "人"}),
                                title="标题", caption="说明")
        fig = ax.figure
        ax.axvline(0.5, color="red")                      # changed after the chart layer finished
        assert fig.stale
        data, _ = shell.display_formatter.format(fig)     # not drawn since: savefig
        assert saves == [fig]
        reference = pixels(data["image/png"])
        fig.canvas.draw()                                  # what pyplot's post-execute hook does
        assert not fig.stale
        data, meta = shell.display_formatter.format(fig)
        assert saves == [fig]                              # no second draw
        assert np.array_equal(pixels(data["image/png"]), reference)
        assert data["text/html"].startswith('<img src="data:image/png;base64,')
        assert meta["image/png"]["alt"]
        ax.set_xlim(0, 3)                                  # changed again: drawn again by savefig
        shell.display_formatter.format(fig)
        assert saves == [fig, fig]
        fig.canvas.draw()
        fig.savefig(io.BytesIO(), format="png", dpi=200)    # last drawn elsewhere: the canvas is not it
        data, _ = shell.display_formatter.format(fig)
        assert saves == [fig] * 4
        assert pixels(data["image/png"]).shape == reference.shape      # at the figure's own dpi, not 200
        fig.canvas.draw()
        select_figure_formats(shell, {"retina"})           # another printer: savefig as before
        data, _ = shell.display_formatter.format(fig)
        assert saves == [fig] * 5
        assert pixels(data["image/png"]).shape[1] == 2 * reference.shape[1]
    finally:
        plt.close("all")
        InteractiveShell.clear_instance()


def test_heatmap_labels_every_cell_with_its_unit_and_rejects_empty_tables():
    utils.setup()
    table = pd.DataFrame({"第一章": [13, 0], "第二章": [1, 3]}, index=["水平值", "占比"])
    ax = charts.heatmap(table, unit="个", title="体检", caption=charts.caption(source="本课程数据表"))
    cell_texts = sorted(t.get_text() for t in ax.texts)
    assert cell_texts == sorted(["13个", "0个", "1个", "3个"])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["第一章", "第二章"]
    assert "来源：本课程数据表" in ax.figure._report_caption
    plt.close("all")
    with pytest.raises(ValueError, match="空"):
        charts.heatmap(pd.DataFrame())
    with pytest.raises(ValueError, match="没有数字"):
        charts.heatmap(pd.DataFrame({"a": ["x"]}))


def test_finished_charts_are_not_stale_in_notebooks_only(monkeypatch):
    """Inline backend: a finished chart is not stale (pyplot's post-execute hook would draw it once
    more for nothing); other backends keep matplotlib's own bookkeeping."""
    utils.setup()
    frame = pd.DataFrame({"label": ["甲"], "value": [1.0], "unit": "人"})
    ax = charts.ranked_bars(frame, title="标题")
    assert ax.figure.stale is True                     # Agg in the tests: untouched
    monkeypatch.setattr(mpl, "get_backend", lambda: "module://matplotlib_inline.backend_inline")
    ax = charts.ranked_bars(frame, title="标题")
    assert ax.figure.stale is False
    ax.axvline(0.5)                                    # a learner adds to the chart: stale again
    assert ax.figure.stale is True
    plt.close("all")


# ---------------------------------------------------------------------------
# legibility at classroom sizes (issue 17 item 3) and text alternatives (item 4)
# ---------------------------------------------------------------------------

def _legibility_cases():
    """Every chart kind with realistic data, including the three cases the classroom test found."""
    utils.setup()
    ns = utils.national_series()
    support = utils.figures("ch4.industry_support", "ch4.employment_support", "ch4.social_support")
    front = utils.figures("ch1.village_teams", "ch1.first_secretaries", "ch1.township_cadres")
    table = pd.crosstab(utils.load_figures()["kind"], utils.load_figures()["chapter"])
    per_unit = charts.chart_frame(derived=[
        dict(label="每个西部受援省区市（上限）", value=4_450_000, formula="协作资金 ÷ 省区市数", unit="元",
             qualifier="at_most"),
        dict(label="每个脱贫人口（下限）", value=1_020_000, formula="协作资金 ÷ 脱贫人口", unit="元",
             qualifier="at_least")])
    money = charts.chart_frame(derived=[
        dict(label="东部投入（推算，下限）", value=1e10, formula="…", unit="元", qualifier="at_least"),
        dict(label="其中财政资金", value=6.2e9, formula="…", unit="元")])
    accuracy = pd.DataFrame({"label": ["识别准确", "可能识别有误"], "value": [97.6, 2.4], "unit": "%"})
    one = utils.figures("ch1.village_teams")
    return {
        "ranked_bars ≤445万元（推算） (ch3)": charts.ranked_bars(per_unit, sort=False, title="平均到什么上",
                                                             name="金额"),
        "ranked_bars ≥100亿元（推算） (right frame)": charts.ranked_bars(money, title="资金", name="金额"),
        "shares 可能识别有误 (ch4 top spine)": charts.shares(accuracy, title="识别准确率换算成人数"),
        "ranked_bars one bar": charts.ranked_bars(one, title="一个数", name="数量"),
        "ranked_bars three": charts.ranked_bars(front, title="一线力量", name="数量"),
        "ranked_bars many": charts.ranked_bars(support, title="三类帮扶", name="人次"),
        "shares": charts.shares(front.iloc[1:], title="构成"),
        "before_after": charts.before_after(
            pd.DataFrame({"label": ["参与率", "覆盖率"], "before": [33.7, 2.0], "after": [89.7, 99.5], "unit": "%",
                          "before_derived": [True, False]}), title="前后", name="比例"),
        "before_after zoomed": charts.before_after(
            pd.DataFrame({"label": ["参与率"], "before": [88.0], "after": [89.7], "unit": "%"}), zero=False,
            title="前后"),
        "timeline annotated": charts.timeline(ns, value="poor_population", unit="人", name="贫困人口",
                                              annotations={2012: "9899万（起点）", 2020: "全部脱贫"}, title="贫困人口"),
        "timeline bars": charts.timeline(ns.dropna(subset=["counties_delisted"]), value="counties_delisted",
                                         unit="个", bars=True, name="摘帽县", annotations={2019: "344个"},
                                         title="摘帽县"),
        "small_multiples": next(iter(charts.small_multiples(
            pd.concat([support.assign(x="2021年"), support.assign(x="2022年")]), facet="label", x="x",
            col_wrap=3, title="帮扶").flat)),
        "heatmap": charts.heatmap(table, unit="个", title="类型 × 章"),
    }


def _gridlines(ax):
    lines = []
    for axis in (ax.xaxis, ax.yaxis):
        for tick in axis.get_major_ticks():
            if tick.gridline.get_visible() and tick.gridline.get_alpha() != 0:
                lines.append(tick.gridline)
    return [g for g in lines if g.get_visible()]


def label_problems(fig, case: str = "") -> list[str]:
    """Value labels of ``fig`` that cross the frame, a tick label, or a gridline (Agg text extents).

    A gridline may pass *behind* a label only when the label sits on an opaque ground drawn
    above the grid (then the line is interrupted, not crossing the text)."""
    problems = []
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    for axis in fig.axes:
        if not axis.get_visible():
            continue
        frame = axis.get_window_extent(renderer)
        ticks = [t.get_window_extent(renderer) for t in axis.get_xticklabels() + axis.get_yticklabels()
                 if t.get_visible() and t.get_text()]
        grid = _gridlines(axis)
        for label in [t for t in axis.texts if t.get_gid() == charts.VALUE_LABEL_GID and t.get_visible()]:
            box = label.get_window_extent(renderer)
            name = f"{case}: “{label.get_text()}”"
            if not (frame.x0 - 0.5 <= box.x0 and box.x1 <= frame.x1 + 0.5
                    and frame.y0 - 0.5 <= box.y0 and box.y1 <= frame.y1 + 0.5):
                problems.append(f"{name} crosses the frame")
            if any(box.overlaps(t) for t in ticks):
                problems.append(f"{name} overlaps a tick label")
            patch = label.get_bbox_patch()
            ground = patch is not None and (patch.get_alpha() or 1) >= 0.85 and patch.get_facecolor()[3] > 0
            for line in grid:
                path = line.get_path().transformed(line.get_transform())
                xs, ys = path.vertices[:, 0], path.vertices[:, 1]
                vertical = abs(xs[0] - xs[-1]) < 0.5
                crosses = (box.x0 < xs[0] < box.x1) if vertical else (box.y0 < ys[0] < box.y1)
                if crosses and not (ground and label.get_zorder() > line.get_zorder()):
                    problems.append(f"{name} is crossed by a gridline")
    return problems


def test_value_labels_are_fitted_again_at_a_draw_only_after_a_change(monkeypatch):
    """An author who narrows the limits after the chart is drawn still gets labels inside the frame
    at the next draw; a chart nobody changed is not fitted again at every draw."""
    utils.setup()
    frame = pd.DataFrame({"label": ["甲", "乙"], "value": [10.0, 20.0], "unit": "人"})
    fits = []
    fit = charts.keep_labels_inside
    monkeypatch.setattr(charts, "keep_labels_inside", lambda ax, **kw: (fits.append(ax), fit(ax, **kw)))
    ax = charts.ranked_bars(frame, title="标题", name="人数")
    assert len(fits) == 1
    ax.figure.canvas.draw()
    assert len(fits) == 1                              # unchanged: no second fit
    ax.set_xlim(0, 20.5)                               # the label of the 20 would now cross the frame
    assert label_problems(ax.figure, "narrowed") == []  # draws: fitted again
    assert len(fits) == 2 and ax.get_xlim()[1] > 20.5
    plt.close(ax.figure)


def test_no_value_label_crosses_a_gridline_a_tick_label_or_the_frame():
    """Every chart kind with realistic data, including the three cases from the classroom test."""
    problems = []
    for case, ax in _legibility_cases().items():
        problems += label_problems(ax.figure, case)
        plt.close(ax.figure)
    assert problems == []


NOTEBOOK_CHART_SCRIPT = r"""
import json, os, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import nbformat
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
sys.path.insert(0, sys.argv[1])
sys.path.insert(0, os.path.join(sys.argv[1], "tests"))
import test_style_and_charts as checks
label_problems = getattr(checks, sys.argv[2] if len(sys.argv) > 2 else "label_problems")
from utils import catalog, charts, widgets

problems, count = [], [0]
where = {"cell": ""}
original = widgets._to_figure

def checked(result):
    fig = original(result)
    count[0] += 1
    problems.extend(label_problems(fig, where["cell"]))
    return fig

widgets._to_figure = checked
shell = InteractiveShell.instance()
for lesson in catalog.LESSONS:
    if not lesson.path.exists():
        continue
    os.chdir(lesson.path.parent)
    nb = nbformat.read(lesson.path, as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        where["cell"] = f"{lesson.notebook} cell {i}"
        with capture_output():
            result = shell.run_cell(cell.source, store_history=False)
        if result.error_in_exec is not None and "____" not in cell.source:
            problems.append(f"{where['cell']}: {result.error_in_exec!r}")
        for num in plt.get_fignums():
            count[0] += 1
            problems.extend(label_problems(plt.figure(num), where["cell"]))
        plt.close("all")
print(json.dumps({"charts": count[0], "problems": problems}, ensure_ascii=False))
"""


def check_every_notebook_chart(check: str) -> dict:
    """Run the four lessons' code cells with every view of every live chart drawn
    (``STATIC_CHARTS=all``) and apply ``check`` (a function of this module) to each figure."""
    import os

    env = {**os.environ, "STATIC_CHARTS": "all", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", NOTEBOOK_CHART_SCRIPT, str(ROOT), check], capture_output=True,
                         text=True, env=env, timeout=900)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_no_value_label_crosses_anything_in_the_notebooks():
    """The same check over every chart the lessons draw (each view of every live chart included)."""
    result = check_every_notebook_chart("label_problems")
    assert result["charts"] >= 20
    assert result["problems"] == []


def test_the_three_reported_labels_are_drawn():
    cases = _legibility_cases()
    texts = {case: [t.get_text() for t in charts.value_labels(ax.figure)] for case, ax in cases.items()}
    plt.close("all")
    assert "≤445万元（推算）" in texts["ranked_bars ≤445万元（推算） (ch3)"]
    assert "≥100亿元（推算）" in texts["ranked_bars ≥100亿元（推算） (right frame)"]
    assert any("可能识别有误" in t for t in texts["shares 可能识别有误 (ch4 top spine)"])


def test_chart_height_follows_the_number_of_bars():
    utils.setup()
    per_bar = []
    for n in (1, 2, 4, 8):
        frame = pd.DataFrame({"label": [f"项目{i}" for i in range(n)], "value": [10.0 * (i + 1) for i in range(n)],
                              "unit": "人", "where": "第一章·总述", "source": "报告未注明来源"})
        ax = charts.ranked_bars(frame, title="t", name="人数")
        height_in = ax.get_window_extent().height / ax.figure.dpi
        per_bar.append(height_in / n)
        assert ax.figure.get_figheight() < 2.2 + 0.55 * n, n
        plt.close(ax.figure)
    # the axes give each bar about the same room: a one-bar chart is not mostly empty
    assert max(per_bar) / min(per_bar) < 1.8, per_bar
    assert max(per_bar) < 0.9


def test_chart_text_is_at_least_9_css_px_at_60_percent():
    """The 1024×768 classroom case shows the PNG at ≈ 60 % of its size.  Charts are drawn at 100 dpi,
    so a font of s points is s × 100 / 72 px in the PNG and s × 100 / 72 × 0.6 CSS px on screen.
    9 CSS px needs s ≥ 9 / 0.6 × 72 / 100 = 10.8 pt; the chart layer's smallest size is 11 pt
    (15.3 px in the PNG, 9.2 px at 60 %) — captions, tick labels, value labels, legends."""
    assert mpl.rcParams["figure.dpi"] == 100 or style.BASE_RC["figure.dpi"] == 100
    px_at_60 = lambda pt: pt * style.BASE_RC["figure.dpi"] / 72 * 0.6  # noqa: E731
    assert charts.CAPTION_SIZE * style.BASE_RC["figure.dpi"] / 72 >= 15
    assert px_at_60(charts.CAPTION_SIZE) >= 9 and px_at_60(charts.MIN_TEXT_PT) >= 9
    small = []
    for case, ax in _legibility_cases().items():
        with mpl.rc_context(charts.chart_rc()):
            for text in ax.figure.findobj(mpl.text.Text):
                if text.get_visible() and text.get_text().strip() and px_at_60(text.get_fontsize()) < 9:
                    small.append((case, text.get_text()[:20], text.get_fontsize()))
        plt.close(ax.figure)
    assert small == []


def test_every_chart_has_a_chinese_text_alternative_with_its_numbers():
    cases = _legibility_cases()
    for case, ax in cases.items():
        alt = charts.describe(ax.figure)
        assert alt == ax.figure.alt_text
        assert len(alt) > 12 and alt.endswith("。"), case
        title = ax.figure._suptitle.get_text() if ax.figure._suptitle else ax.get_title(loc="left")
        assert alt.startswith(title), (case, alt)
    assert "≤445万元（推算）" in charts.describe(cases["ranked_bars ≤445万元（推算） (ch3)"].figure)
    assert "9899万人" in charts.describe(cases["timeline annotated"].figure)
    assert "可能识别有误" in charts.describe(cases["shares 可能识别有误 (ch4 top spine)"].figure)
    plt.close("all")


def test_inline_display_writes_alt_metadata_and_the_chart_mark():
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.core.pylabtools import select_figure_formats

    from utils import marks

    shell = InteractiveShell.instance()
    try:
        select_figure_formats(shell, {"png"})
        assert style.show_laid_out_figures_as_they_are() is True
        ax = charts.ranked_bars(utils.figures("ch1.village_teams"), title="驻村工作队", name="数量")
        data, md = shell.display_formatter.format(ax.figure)
        alt = charts.describe(ax.figure)
        assert md["image/png"]["alt"] == alt and "25.5万个" in alt
        assert md[marks.KEY] == {"role": marks.CHART, "alt": alt}
        assert data["text/plain"] == f"[图] {alt}"
    finally:
        plt.close("all")
        InteractiveShell.clear_instance()


def test_chart_frame_marks_derived_rows_and_captions_their_formula():
    utils.setup()
    frame = utils.chart_frame("ch1.first_secretaries",
                              derived=[dict(label="平均每村", value=12.5, formula="300万 ÷ 24万", unit="人"),
                                       utils.derive("另一推算", 3.0, "a ÷ b", "人")])
    assert list(frame["derived"]) == [False, True, True]
    assert frame.loc[0, "where"] and frame.loc[1, "where"] == "" and frame.loc[1, "source"] == ""
    assert frame.loc[1, "formula"] == "300万 ÷ 24万"
    cap = charts.caption_from(frame)
    assert cap.startswith("出处：报告第一章") and "【推算】平均每村 = 300万 ÷ 24万" in cap
    assert "【推算】另一推算 = a ÷ b" in cap and charts.DERIVED_NOTE in cap
    ax = charts.ranked_bars(frame, title="t")
    assert "12.5人（推算）" in [t.get_text() for t in charts.value_labels(ax.figure)]
    plt.close("all")
    with pytest.raises(ValueError):
        utils.chart_frame(derived=[dict(label="缺数值")])


def test_chart_functions_take_data_first_and_everything_else_by_keyword():
    import inspect

    common = {"title", "unit", "note", "caption", "figsize"}
    for fn in (charts.ranked_bars, charts.before_after, charts.shares, charts.timeline, charts.small_multiples,
               charts.heatmap):
        params = list(inspect.signature(fn).parameters.values())
        assert params[0].name == "data" and params[0].kind is params[0].POSITIONAL_OR_KEYWORD
        assert all(p.kind in (p.KEYWORD_ONLY, p.VAR_KEYWORD) for p in params[1:]), fn.__name__
        assert params[-1].kind is params[-1].VAR_KEYWORD, fn.__name__
        names = {p.name for p in params}
        assert common <= names, fn.__name__
        assert fn is charts.small_multiples or "ax" in names
        assert "Common parameters" in fn.__doc__ and "**kwargs" in fn.__doc__
    ax = charts.ranked_bars(pd.DataFrame({"label": ["甲"], "value": [1.0], "unit": "人"}), alpha=0.5)
    assert ax.patches[0].get_alpha() == 0.5                 # matplotlib keywords pass through
    plt.close("all")


# ---------------------------------------------------------------------------
# colour contrast of the graphics (issue 28 item 1): WCAG 2.2 1.4.11 (3:1) and 1.4.3 (text 4.5:1)
# ---------------------------------------------------------------------------

MIN_GRAPHIC = 3.0
MIN_TEXT = 4.5


def wcag_contrast(a, b) -> float:
    """WCAG 2.1 contrast of two opaque colours, by coloraide (an independent implementation)."""
    from coloraide import Color
    from matplotlib.colors import to_rgb

    return Color("srgb", list(to_rgb(a))).contrast(Color("srgb", list(to_rgb(b))), method="wcag21")


def _over(colour, ground):
    """``colour`` (RGBA) composited on the opaque ``ground``."""
    from matplotlib.colors import to_rgba

    r, g, b, a = to_rgba(colour)
    gr, gg, gb, _ = to_rgba(ground)
    return (r * a + gr * (1 - a), g * a + gg * (1 - a), b * a + gb * (1 - a))


def _rgba_rows(colours):
    import numpy as np

    arr = np.asarray(colours, dtype=float)
    return arr.reshape(-1, 4) if arr.size else arr.reshape(0, 4)


def contrast_problems(fig, case: str = "") -> list[str]:
    """Every graphic that carries meaning in ``fig`` (bars and other patches, lines, markers, scatter
    points) reaches 3:1 against the axes' background by its fill or by its outline; every text
    reaches 4.5:1 against what lies under it (its own box, a heatmap cell, or the background).

    Colours are read from the *drawn* artists (after ``canvas.draw``), alpha composited.  Skipped:
    invisible or zero-size artists, grid lines and spines (decoration: every value is also written
    as a label), and artists the chart layer marks as decoration (``charts.DECORATION_GID``)."""
    from matplotlib.collections import QuadMesh
    from matplotlib.colors import to_rgba
    from matplotlib.patches import Rectangle

    problems = []
    fig.canvas.draw()
    page = _over(fig.get_facecolor(), "white")

    def fails(colour, ground, floor=MIN_GRAPHIC) -> bool:
        rgba = to_rgba(colour)
        return rgba[3] == 0 or wcag_contrast(_over(rgba, ground), ground) < floor

    def where(artist) -> str:
        label = getattr(artist, "get_label", lambda: "")()
        return f"{case}: {type(artist).__name__} {label!r}"[:120]

    for ax in fig.axes:
        if not ax.get_visible():
            continue
        ground = _over(ax.get_facecolor(), page)
        meshes = [c for c in ax.collections if isinstance(c, QuadMesh)]
        for p in ax.patches:
            if not p.get_visible() or p.get_gid() == charts.DECORATION_GID:
                continue
            if isinstance(p, Rectangle) and (p.get_width() == 0 or p.get_height() == 0):
                continue
            face, edge, lw = p.get_facecolor(), p.get_edgecolor(), p.get_linewidth()
            if face[3] == 0 and (edge[3] == 0 or lw == 0):
                continue
            if fails(face, ground) and (lw == 0 or fails(edge, ground)):
                problems.append(f"{where(p)}: fill {mpl.colors.to_hex(face)} / outline {mpl.colors.to_hex(edge)} "
                                f"below {MIN_GRAPHIC}:1")
        for line in ax.lines:
            if not line.get_visible() or line.get_gid() == charts.DECORATION_GID or len(line.get_xdata()) == 0:
                continue
            drawn = line.get_linestyle() not in ("None", "", " ") and line.get_linewidth() > 0
            if drawn and fails(line.get_color(), ground):
                problems.append(f"{where(line)}: line {mpl.colors.to_hex(line.get_color())} below {MIN_GRAPHIC}:1")
            if not drawn and line.get_marker() not in (None, "None", "", " "):
                if fails(line.get_markerfacecolor(), ground) and fails(line.get_markeredgecolor(), ground):
                    problems.append(f"{where(line)}: marker below {MIN_GRAPHIC}:1")
        for coll in ax.collections:
            if not coll.get_visible() or coll in meshes:
                continue
            offsets = coll.get_offsets()
            if offsets is not None and len(offsets) == 0 and not coll.get_paths():
                continue
            faces, edges = _rgba_rows(coll.get_facecolors()), _rgba_rows(coll.get_edgecolors())
            widths = list(coll.get_linewidths()) or [0]
            n = max(len(faces), len(edges), 1)
            for k in range(n):
                face = faces[k % len(faces)] if len(faces) else (0, 0, 0, 0)
                edge = edges[k % len(edges)] if len(edges) else (0, 0, 0, 0)
                if fails(face, ground) and (widths[k % len(widths)] == 0 or fails(edge, ground)):
                    problems.append(f"{where(coll)} #{k}: point below {MIN_GRAPHIC}:1")
                    break
        # heatmap cells: the value is written in every cell; its ink must contrast with the cell
        cell_texts = set()
        for mesh in meshes:
            cells = _rgba_rows(mesh.get_facecolors())
            texts = [t for t in ax.texts if t.get_visible() and t.get_text()]
            assert len(texts) >= len(cells), f"{case}: a heatmap cell without its value"
            for cell, text in zip(cells, texts):
                cell_texts.add(text)
                if fails(text.get_color(), _over(cell, ground), MIN_TEXT):
                    problems.append(f"{case}: heatmap label {text.get_text()!r} on {mpl.colors.to_hex(cell)}")
        for text in ax.findobj(mpl.text.Text):
            if text in cell_texts or not text.get_visible() or not text.get_text().strip():
                continue
            box = text.get_bbox_patch()
            under = ground
            if text in ax.texts:  # a text drawn on a bar or cell: its ground is that patch
                point = text.get_transform().transform(text.get_position())
                for p in sorted(ax.patches, key=lambda p: p.get_zorder()):
                    if p.get_visible() and p.get_facecolor()[3] > 0 and p.contains_point(point):
                        under = _over(p.get_facecolor(), under)
            if box is not None and box.get_visible():
                under = _over(box.get_facecolor(), under)
            if fails(text.get_color(), under, MIN_TEXT):
                problems.append(f"{case}: text {text.get_text()[:20]!r} {mpl.colors.to_hex(text.get_color())} "
                                f"below {MIN_TEXT}:1")
    for text in fig.texts:
        if text.get_visible() and text.get_text().strip() and fails(text.get_color(), page, MIN_TEXT):
            problems.append(f"{case}: figure text {text.get_text()[:20]!r} below {MIN_TEXT}:1")
    return problems


def test_palette_reaches_3_to_1_on_white_and_stays_apart_for_colour_blind_eyes():
    """Every palette colour ≥ 3:1 on white; the first five (the most any chart uses together) stay
    apart under simulated protanopia, deuteranopia and tritanopia (CIEDE2000 ≥ 6, coloraide's
    Machado/Brettel filters) — seaborn's "colorblind" palette, the one replaced, reached 5.9."""
    import itertools

    from coloraide import Color

    colours = utils.style.PALETTE
    low = {c: round(wcag_contrast(c, "white"), 2) for c in colours if wcag_contrast(c, "white") < MIN_GRAPHIC}
    assert low == {}
    assert abs(style.contrast_ratio("#767676") - wcag_contrast("#767676", "white")) < 1e-6
    closest = {}
    for vision in (None, "protan", "deutan", "tritan"):
        seen = [Color(c) if vision is None else Color(c).filter(vision) for c in colours[:5]]
        closest[vision or "normal"] = min(a.delta_e(b, method="2000") for a, b in itertools.combinations(seen, 2))
    assert min(closest.values()) >= 6, closest
    # the old palette failed the first check: the test can fail
    import seaborn as sns

    assert min(wcag_contrast(c, "white") for c in sns.color_palette("colorblind")) < MIN_GRAPHIC


def test_contrast_check_finds_a_light_bar_and_passes_an_outlined_one():
    fig, ax = plt.subplots()
    ax.bar([0], [1], color="#ece133")                       # seaborn's yellow: 1.4:1
    assert contrast_problems(fig, "yellow")
    ax.patches[0].set_edgecolor("#5e5e5e")
    ax.patches[0].set_linewidth(1.5)
    assert contrast_problems(fig, "outlined") == []
    plt.close(fig)


def test_every_chart_kind_meets_the_contrast_minimums():
    problems = []
    for case, ax in _legibility_cases().items():
        problems += contrast_problems(ax.figure, case)
        plt.close(ax.figure)
    assert problems == []


def test_series_are_told_apart_by_more_than_colour():
    """Before/after ends differ in marker shape, hue groups in line style or hatch, a highlighted bar in fill."""
    utils.setup()
    ax = charts.before_after(pd.DataFrame({"label": ["甲"], "before": [1.0], "after": [2.0], "unit": "%"}), title="t")
    shapes = {tuple(map(tuple, c.get_paths()[0].vertices.round(2))) for c in ax.collections if len(c.get_offsets())}
    assert len(shapes) == 2
    ns = utils.national_series().dropna(subset=["poor_population"])
    two = pd.concat([ns.assign(g="甲"), ns.assign(g="乙")])
    ax = charts.timeline(two, value="poor_population", hue="g", unit="人", title="t")
    assert len({line.get_linestyle() for line in ax.lines if len(line.get_xdata()) > 1}) == 2
    ax = charts.timeline(two, value="poor_population", hue="g", unit="人", bars=True, title="t")
    assert len({bar.get_hatch() or "" for bar in ax.patches}) == 2
    ax = charts.ranked_bars(utils.figures("ch1.first_secretaries", "ch1.township_cadres"), title="t")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    ax = charts.ranked_bars(utils.figures("ch1.first_secretaries", "ch1.township_cadres"), title="t",
                            highlight=labels[1])
    assert [bool(p.get_hatch()) for p in ax.patches[:2]] == [False, True]
    plt.close("all")


@pytest.mark.slow
def test_every_chart_in_the_notebooks_meets_the_contrast_minimums():
    """The contrast check over every chart the four lessons draw, each view of every live chart included."""
    result = check_every_notebook_chart("contrast_problems")
    assert result["charts"] >= 20
    assert result["problems"] == []
