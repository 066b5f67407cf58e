"""Author plotting code of chapter 2 (notebooks/02_cadres.ipynb).

The notebook only calls these functions (``ch.people_if(2)``, ``utils.live_chart(ch.people_if, …)``);
learners never have to read the chart wrangling.  Every number comes from the data by id; every row
we compute is marked derived and carries its formula.
"""
from __future__ import annotations

import math

import pandas as pd

from .. import charts
from ..data import figure
from ..quantities import format_cn
from . import ch2

#: choices of the person-times explorer: average number of courses per person
TIMES = {"每人1次": 1, "每人2次": 2, "每人4次": 4}
#: readings of the stability sentence (explorer shown under 小结)
READINGS = {"字面读法": "literal", "读作流动率之差": "turnover", "读作稳定性之差": "stability"}


def people_if(times: int = 1):
    """Training person-times turned into people under an assumed number of courses per person,
    next to chapter 1's two teams."""
    training = figure(ch2.TRAINING)
    low, high = training.bounds
    people = {"label": f"推算：参训的不同人数（每人平均{times}次）", "value": low / times,
              "value_high": high / times, "unit": "人", "qualifier": "range",
              "formula": f"{format_cn(low)}～{format_cn(high)}人次 ÷ {times}"}
    frame = charts.chart_frame(ch2.TRAINING, ch2.CADRES, ch2.TOWNSHIP, derived=(people,))
    teams = frame["id"].isin([ch2.CADRES, ch2.TOWNSHIP])
    frame.loc[teams, "label"] = "对照：" + frame.loc[teams, "label"] + "（第一章）"
    frame = frame.iloc[[0, 3, 1, 2]].reset_index(drop=True)   # training, its people, then the two teams
    ax = charts.ranked_bars(frame, sort=False, unit="", name="人次或人数",
                            title=f"人次换算成人数：假设每人平均参训{times}次")
    ax.set_xlim(0, ax.get_xlim()[1] * 1.15)  # room for the longest value label
    return ax


def overlap_view(both: float = 74):
    """Guangdong's first secretaries split into four groups for an assumed share with both features."""
    total = figure(ch2.GD_TOTAL)
    grass = figure(ch2.GD_GRASS).value
    industry = figure(ch2.GD_INDUSTRY).value
    parts = {"两项兼具": both, "只熟悉产业": industry - both,
             "只有基层经验": grass - both, "两项都不具备": 100 - grass - industry + both}
    for name, pct in parts.items():
        if pct < 0:
            raise ValueError(f"两项兼具占{both:g}%不可能：那样“{name}”的人就成了负数（{pct:g}%）")
    frame = pd.DataFrame({"label": list(parts), "unit": "人",
                          "value": [total.value * pct / 100 for pct in parts.values()]})
    note = f"各部分人数均为推算：假设两项兼具者占{both:g}%"
    return charts.shares(frame, title=f"假设两项兼具者占{both:g}%时的四类人",
                         caption=charts.caption(total.where, total.source, note))


def overlap_default() -> float:
    """A starting point for the overlap slider that is not an end of the feasible range."""
    grass = figure(ch2.GD_GRASS).value
    industry = figure(ch2.GD_INDUSTRY).value
    return min(grass, industry) - 2


def reading_view(reading: str = "literal"):
    """Three readings of the sentence that compares stability with an average turnover."""
    stability = figure(ch2.STABILITY)
    gap = figure(ch2.GAP)
    s, g = stability.value, gap.value
    gap_abs = f"{abs(g):g}"
    if reading == "literal":
        rows = [dict(label="基层干部平均流动率（字面推算）", value=s - g, unit="%",
                     formula=f"{s:g}% + {gap_abs}个百分点")]
        title = f"字面读法：把稳定性加上{gap_abs}个百分点当作流动率"
    elif reading == "turnover":
        rows = [dict(label="扶贫干部队伍流动率（推算，至多）", value=100 - s, unit="%", formula=f"100% − {s:g}%"),
                dict(label="基层干部平均流动率（推算，至多）", value=100 - s - g, unit="%",
                     formula=f"100% − {s:g}% + {gap_abs}个百分点")]
        title = f"读作流动率之差：两支队伍的流动率相差{gap_abs}个百分点"
    else:
        rows = [dict(label="基层干部平均稳定性（推算）", value=s + g, unit="%",
                     formula=f"{s:g}% − {gap_abs}个百分点")]
        title = f"读作稳定性之差：两支队伍的稳定性相差{gap_abs}个百分点"
    frame = charts.chart_frame(ch2.STABILITY, derived=rows)
    ax = charts.ranked_bars(frame, sort=False, unit="%", name="比例", title=title,
                            note="稳定性与流动率的计算方法报告均未说明")
    ax.set_xlim(0, 140)
    band = ax.axvspan(100, 140, color="#b42318", alpha=0.08, zorder=0)  # a share above 100% is impossible
    band.set_gid(charts.DECORATION_GID)  # a tint behind the label that says it in words
    ax.text(121, 0, "比例不可能\n超过100%", color="#b42318", fontsize=11, ha="center", va="center")
    return ax


def plot_truncated():
    """Exercise 7's chart to diagnose: Guangdong's two shares under a headline that overstates their
    difference, on a value axis that starts at ``ch2.TRUNCATED_FROM`` % instead of 0."""
    frame = charts.chart_frame(ch2.GD_GRASS, ch2.GD_INDUSTRY)
    ax = charts.ranked_bars(frame, sort=False, unit="%", name="占比",
                            title="“有基层经验的第一书记远远多于懂产业的”",
                            note="练习 7 用的示例图：数字取自报告，标题是为练习编写的说法")
    top = 5 * math.ceil((float(frame["value"].max()) + 1) / 5)   # the next tick of 5 above the longer bar
    ax.set_xlim(ch2.TRUNCATED_FROM, top)
    ax.set_xticks(range(ch2.TRUNCATED_FROM, top + 1, 5))
    # what a sighted reader sees on the axis, said in the text alternative too
    ax.figure.alt_text = f"{ax.figure.alt_text}数值轴的刻度从{ch2.TRUNCATED_FROM}%开始。"
    return ax
