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
    monkeypatch.setattr(charts, "lift_layout", lambda fig, bottom: fig.tight_layout(rect=(0, bottom, 1, 1)))
    reference = [fig.subplotpars for fig in _build_all_chart_kinds()]
    reference = [(p.left, p.right, p.bottom, p.top, p.wspace, p.hspace) for p in reference]
    plt.close("all")
    assert len(ours) == 5
    for mine, theirs in zip(ours, reference):
        assert mine == pytest.approx(theirs, abs=1e-9)


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
