"""Author plotting code of chapter 1: the live charts and the frames they draw.

The notebook calls these functions (``ch.plot_national``, ``ch.plot_workforce`` …) so that the
cells a learner sees stay short.  Every number comes from the data by id or from the national
series; hypothetical values used for a demonstration are named as such in the chart.
"""
from __future__ import annotations

import pandas as pd

from .. import charts
from ..data import column_titles, figure, figures, national_series
from ..quantities import format_cn, multiple_readings

NS_NOTE = "报告之外的全国背景数据，供对照"
#: a made-up village for the "增长N倍" demonstration: not a figure of the report
DEMO_LATEST = 100_000


def _national():
    return national_series()


def _source(column: str) -> str:
    ns = _national()
    values = [v for v in ns[column] if v]
    return values[0] if values else ""


def column_guide(frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Column name (what code uses) beside its Chinese meaning, for the first look at a table."""
    frame = _national() if frame is None else frame
    titles = column_titles()
    return pd.DataFrame({"代码里的列名": list(frame.columns),
                         "含义": [titles.get(c, c) for c in frame.columns]})


def _info_box(ax, text, *, low=False):
    ax.text(0.98, 0.05 if low else 0.95, text, transform=ax.transAxes, ha="right", va="bottom" if low else "top",
            fontsize=10,
            bbox={"boxstyle": "round,pad=0.4", "fc": "white", "ec": "#bbbbbb"})


def plot_national(year: int, metric: str):
    """National poor population or incidence 2012–2020, one year highlighted."""
    ns = _national()
    column, unit, name, title = {
        "population": ("poor_population", "人", "年末农村贫困人口", "全国农村贫困人口（现行标准，年末）"),
        "incidence": ("incidence", "%", "贫困发生率", "全国农村贫困发生率（现行标准，年末）"),
    }[metric]
    data = ns.assign(value=ns[column].astype(float))[["year", "value"]]
    ax = charts.timeline(data, unit=unit, name=name, highlight=year, title=title,
                         caption=charts.caption(source=_source("source_population"), note=NS_NOTE))
    first = float(data["value"].iloc[0])
    now = float(data.loc[data["year"] == year, "value"].iloc[0])
    _info_box(ax, f"{year}年末：{format_cn(now, unit)}\n"
                  f"【推算】是{int(ns['year'].iloc[0])}年末的 {format_cn(now, unit)} ÷ {format_cn(first, unit)}"
                  f" ≈ {now / first * 100:.0f}%")
    return ax


def workforce_frame() -> pd.DataFrame:
    return figures("ch1.first_secretaries", "ch1.township_cadres")


def plot_people():
    """The two head counts of the overview, qualifiers drawn honestly (hatched range for 多)."""
    return charts.ranked_bars(workforce_frame(), title="一线干部：报告给出的两类人数", name="人数")


WORKFORCE_READINGS = {
    "literal": "按字面取整数",
    "middle": "“多”取区间中点",
    "extreme": "一类取上限、一类少一成（假设）",
}


def _workforce_values(reading: str) -> tuple[float, float]:
    sec, twn = figure("ch1.first_secretaries"), figure("ch1.township_cadres")
    low, high = sec.bounds
    return {"literal": (sec.value, twn.value), "middle": ((low + high) / 2, twn.value),
            "extreme": (high, twn.value * 0.9)}[reading]


def plot_workforce(reading: str, *, ax=None):
    """Share of first secretaries among the two groups under one reading of 多 / 近."""
    s, t = _workforce_values(reading)
    frame = workforce_frame().assign(value=[s, t])
    if reading != "literal":  # scenario values: shown as approximate
        frame = frame.assign(qualifier="approx", quote="")
    return charts.shares(frame, title=WORKFORCE_READINGS[reading], ax=ax,
                         note="占比为推算：一类 ÷ 两类之和；村干部（“数百万”）没有确数，未画入")


def plot_workforce_readings():
    """The three readings one above the other, so they can be compared at a glance (and printed)."""
    import matplotlib.pyplot as plt

    from ..display import ReportFigure

    with charts.chart_context():
        fig, axes = plt.subplots(len(WORKFORCE_READINGS), 1, figsize=(8, 7.2), FigureClass=ReportFigure)
        for ax, reading in zip(axes, WORKFORCE_READINGS):
            plot_workforce(reading, ax=ax)
            ax.set_ylim(-0.6, 0.6)
        for ax in axes[:-1]:
            ax.set_xlabel("")
        fig.suptitle("两个措辞之比（累计选派 ÷ 两数之和）：三种读法", x=0.01, ha="left", fontsize=14)
        charts.add_caption(fig, charts.caption(
            where="第一章·总述", source="报告未注明来源",
            note="比值为推算：一类 ÷ 两类之和，累计数与时点数相混，不是同时在岗的构成；村干部没有确数，未画入；"
                 "第三种读法里的“少一成”是演示用的假设"))
    return axes


def plot_cadres():
    """Promoted vs held accountable, 2016–2021 (no ratio drawn: that is exercise 6)."""
    cadres = figures("ch1.promoted_cadres", "ch1.accountable_cadres")
    return charts.ranked_bars(cadres, title=f"{cadres['period'].iloc[0]}：提拔重用与问责", name="人数")


def plot_multiple(n: int):
    """The two readings of "增长N倍" for a made-up village (DEMO_LATEST yuan now)."""
    r = multiple_readings(n, latest=DEMO_LATEST)
    frame = pd.DataFrame({
        "label": [f"严格读法：现值 = 基期 × {r.strict_factor:g}", f"口语读法：现值 = 基期 × {r.loose_factor:g}"],
        "before": [r.strict_base, r.loose_base], "after": float(DEMO_LATEST), "before_derived": True})
    return charts.before_after(
        frame, before_name="基期", after_name="现在",
        title=f"“增长{n:g}倍”的两种读法", name="村集体经济收入", unit="元",
        caption=charts.caption(source="演示用的假设数字", note=f"设想一个今年收入为{format_cn(DEMO_LATEST, '元')}的村（演示用的假设，不是报告数字）；"
                                    "空心点为推算的基期"))


def _signed(x: float, digits: int) -> str:
    text = f"{abs(x):.{digits}f}"
    return ("−" if x < 0 else "+") + text


POINT_PAIRS = {"2012→2015": (2012, 2015), "2015→2018": (2015, 2018), "2012→2019": (2012, 2019)}


def plot_points(pair: str):
    """National incidence between two years: the change in points and in percent, side by side."""
    ns = _national().set_index("year")["incidence"].astype(float)
    y0, y1 = POINT_PAIRS[pair]
    a, b = float(ns[y0]), float(ns[y1])
    points = b - a
    relative = (b - a) / a * 100
    frame = pd.DataFrame({"label": [f"全国（{y0}→{y1}年末）"], "before": [a], "after": [b]})
    ax = charts.before_after(frame, before_name=f"{y0}年末", after_name=f"{y1}年末",
                             title="同一变化的两种说法", name="贫困发生率", unit="%", figsize=(8, 3.4),
                             caption=charts.caption(source=_source("source_population"), note=NS_NOTE))
    ax.set_xlim(0, 12)
    _info_box(ax, f"【推算】变化 = {b:g}% − {a:g}% = {_signed(points, 1)} 个百分点\n"
                  f"【推算】相对变化 = ({b:g} − {a:g}) ÷ {a:g} × 100% ≈ {_signed(relative, 0)}%", low=True)
    return ax


def plot_bijie():
    """Bijie's start and end incidence (the national comparison is exercise 14)."""
    start, end = figure("ch1.bijie_incidence_start"), figure("ch1.bijie_incidence_end")
    frame = figures(start.id).assign(label=f"毕节市（{start.period_start}→{end.period_end}）", before=start.value,
                                     after=end.value)
    return charts.before_after(frame, before_name="起点", after_name="终点", title="毕节市贫困发生率：起点与终点",
                               name="贫困发生率", figsize=(8, 2.6))
