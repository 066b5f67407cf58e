"""Chapter 4's author charts: every plotting function and chart frame the notebook shows.

The notebook only calls these (``ch.plot_money()``, ``utils.live_chart(ch.plot_accuracy, …)``),
so no author plotting code sits in the learner's way.  Every number comes from the data by id.
"""
from __future__ import annotations

import pandas as pd

from .. import charts, widgets
from ..data import CHAPTER_NAMES, derive, figure, figures, load_figures, national_series
from ..quantities import base_from_points, format_cn

#: figures of the chapter's five sections, in the order the notebook shows them as tables
SECTION_FIGURES = {
    "开篇": ("ch4.relapse_and_new_poor", "ch4.relapse_rate", "ch4.warning_line", "intro.rural_poor"),
    "(一)": ("ch4.monitored_identified", "ch4.identification_accuracy", "ch4.response_time",
             "ch4.sichuan_identified", "ch4.sichuan_helped_share", "ch4.sichuan_help_time"),
    "(二)": ("ch4.industry_support", "ch4.employment_support", "ch4.social_support",
             "ch4.stable_exit_rate", "ch4.henan_exit_rate", "ch4.henan_exit_rate_gap"),
    "(三)": ("ch4.integrated_funds", "ch4.integrated_funds_growth", "ch4.relocation_followup_funds",
             "ch4.relocation_projects", "ch4.relocation_jobs", "ch4.relocation_employment_rate",
             "ch4.relocation_employment_rate_change"),
}

#: Chinese names of the data's column codes, for the heatmap
QUALIFIER_NAMES = {"exact": "确切值", "at_least": "下限（多/超过/以上）", "approx": "约数（近/约）",
                   "at_most": "上限（以内）", "range": "区间（a–b）"}
KIND_NAMES = {"level": "水平值", "share": "占比", "change_percent": "变化（%）", "change_points": "变化（百分点）",
              "gap_points": "差距（百分点）", "multiple": "倍数（增长N倍）", "threshold": "门槛/预警线"}


def section_figures(section: str) -> pd.DataFrame:
    """The Chinese display table of one section's figures."""
    return figures(*SECTION_FIGURES[section], table=True)


# ---------------------------------------------------------------------------
# 开篇
# ---------------------------------------------------------------------------

def plot_national(ax=None):
    """The national year-end rural poor population 2012–2020 (outside the report)."""
    ns = national_series()
    first, last = ns.iloc[0], ns.iloc[-1]
    return charts.timeline(
        ns, x="year", y="poor_population", unit="人", name="年末农村贫困人口",
        title="现行标准下的农村贫困人口（报告外背景数据）",
        annotations={int(first["year"]): format_cn(first["poor_population"], "人"), int(last["year"]): "清零"},
        caption=charts.caption(where="报告之外的背景数据（用来理解开篇的脱贫总人数）",
                               source=first["source_population"]),
        ax=ax,
    )


# ---------------------------------------------------------------------------
# （一）监测预警
# ---------------------------------------------------------------------------

def accuracy_control(value: float = 95):
    """The slider of the accuracy chart: from 90% to 100%; the stored view is ``value``."""
    return widgets.slider(90, 100, 0.5, value=value, label="假设的识别准确率（%）")


def plot_accuracy(rate: float):
    """The monitored people split by an assumed identification accuracy (a what-if, not the report)."""
    monitored = figure("ch4.monitored_identified")
    data = pd.DataFrame([{
        "label": f"识别准确（按{rate:g}%）", "value": monitored.value * rate / 100, "unit": "人",
        "qualifier": "exact", "quote": "", "where": monitored.where, "source": monitored.source,
    }])
    return charts.shares(
        data, total=monitored.value, rest_label="可能识别有误",
        title=f"假如准确率为{rate:g}%：{monitored.text}中可能有多少人识别有误？",
        note="人数均为推算；假设准确率指识别出的人中确有风险者的比例（报告未定义）；漏识别的人不在图中",
    )


# ---------------------------------------------------------------------------
# （二）动态帮扶
# ---------------------------------------------------------------------------

SUPPORT_IDS = ("ch4.industry_support", "ch4.employment_support", "ch4.social_support")


def support_sum():
    """The sum of the three kinds of support (人次), as a derived number."""
    supports = figures(*SUPPORT_IDS)
    return derive("三类帮扶人次之和", supports["value"].sum(), " + ".join(supports["text"]), "人次")


def person_times_control():
    return widgets.dropdown({"分别看三类帮扶": "separate", "人次相加，与人数并排": "sum"}, label="视图")


def plot_person_times(view: str):
    """Three kinds of support (人次), or their sum beside the monitored people (人)."""
    supports = figures(*SUPPORT_IDS)
    if view == "separate":
        return charts.ranked_bars(supports, name="帮扶", title=f"{supports['period'][0]}为监测对象落实的三类帮扶")
    total = support_sum()
    monitored = figure("ch4.monitored_identified")
    data = charts.chart_frame(monitored.id, derived=[
        {"label": f"{total.label}（{supports['period'][0]}当年）", "value": total.value, "formula": total.formula,
         "unit": "人次"}])
    data.loc[0, "label"] = f"累计识别的监测对象（截至{monitored.period_end}年）"
    data = data.iloc[[1, 0]]
    return charts.ranked_bars(data, sort=False, unit="", name="数量",
                              title="人次之和与人数：单位不同、时期不同，不能相减或相除",
                              note="人次会重复计算同一个人；上一根是当年数，下一根是累计数")


def plot_consistency():
    """Henan's rate, the national rate implied by Henan minus the gap, and the reported national rate."""
    henan, gap, national = (figure(i) for i in ("ch4.henan_exit_rate", "ch4.henan_exit_rate_gap",
                                                  "ch4.stable_exit_rate"))
    data = charts.chart_frame(henan.id, national.id, derived=[
        {"label": "由河南倒推的全国数", "value": base_from_points(henan.value, gap.value),
         "formula": f"{henan.text} − {gap.text}", "unit": "%"}])
    data["label"] = [f"河南：{henan.indicator}（报告）", f"全国：{national.indicator}（报告）", data["label"].iloc[2]]
    data = data.iloc[[0, 2, 1]]
    return charts.ranked_bars(data, sort=False, name="比例",
                              title="由河南倒推的全国数与报告的全国数：算术上对得上",
                              note="对得上只说明两处数字不矛盾，不说明两个指标定义相同")


# ---------------------------------------------------------------------------
# （三）政策衔接
# ---------------------------------------------------------------------------

MONEY_IDS = ("ch4.integrated_funds", "ch4.relocation_followup_funds", "ch3.pairing_funds",
             "ch3.shanghai_funds", "ch2.allowance_funds")


def plot_money():
    """The report's sums of money side by side, each labelled with its period."""
    money = figures(*MONEY_IDS)
    money["label"] = [f"{r.indicator}（{'截至' + str(r.period_end) + '年累计' if '累计' in r.note else r.period}）"
                      for r in money.itertuples()]
    return charts.ranked_bars(money, name="金额", title="报告中的几笔资金：先看时期，再看大小",
                              note="斜纹表示“多”“超过”允许的范围；时期不同的金额不能直接比较")


#: the two "提升N个百分点" figures the readings chart can show: (level id, change-in-points id)
READINGS = {"employment": ("ch4.relocation_employment_rate", "ch4.relocation_employment_rate_change"),
            "participation": ("ch1.participation_rate", "ch1.participation_rate_change")}


def readings_control():
    options = {}
    for key, (level_id, change_id) in READINGS.items():
        level, change = figure(level_id), figure(change_id)
        options[f"{level.indicator}（提升{change.text}，{level.where.split(' ')[0]}）"] = key
    return widgets.dropdown(options, label="指标")


def plot_readings(indicator: str, show_wrong: bool = True):
    """The base year implied by "提升N个百分点", read right (minus) and wrong (as a percent change)."""
    level, change = (figure(i) for i in READINGS[indicator])
    right = base_from_points(level.value, change.value)
    wrong = level.value / (1 + change.value / 100)
    labels = [f"正确：− {change.text}", f"错读：÷ (1 + {format_cn(change.value, '%')})"]
    data = pd.DataFrame({"label": labels, "before": [right, wrong], "after": [level.value, level.value],
                         "before_derived": True, "unit": level.unit, "where": level.where, "source": level.source})
    if not show_wrong:
        data = data.iloc[:1]
    base_year = f"{change.base_period}年"
    return charts.before_after(data, before_name=base_year, after_name=f"{level.period}（报告）",
                               name=level.indicator, title=f"{level.indicator}：倒推{base_year}",
                               figsize=(9, None), zero=False)


def readings_toggle():
    return widgets.toggle(True, label="同时显示常见错读")


# ---------------------------------------------------------------------------
# 结语：四章数字的体检
# ---------------------------------------------------------------------------

def checkup_control():
    return widgets.dropdown({"限定词": "qualifier", "数字类型": "kind", "是否注明来源": "source"},
                            label="分类角度")


def checkup_counts(aspect: str) -> pd.DataFrame:
    """Counts of the figures of chapters 1–4 by one aspect (rows) and chapter (columns)."""
    allf = load_figures()
    allf = allf[allf["chapter"].between(1, 4)]
    if aspect == "qualifier":
        category, order = allf["qualifier"].map(QUALIFIER_NAMES), list(QUALIFIER_NAMES.values())
    elif aspect == "kind":
        category, order = allf["kind"].map(KIND_NAMES), list(KIND_NAMES.values())
    else:
        category = allf["source_cited"].map(lambda s: "报告注明来源" if s else "未注明来源")
        order = ["报告注明来源", "未注明来源"]
    chapters = [CHAPTER_NAMES[c] for c in range(1, 5)]
    return (pd.crosstab(category, allf["chapter"].map(CHAPTER_NAMES))
            .reindex(index=order, columns=chapters, fill_value=0))


def plot_checkup(aspect: str):
    """The check-up heatmap: how many figures of each kind each chapter has."""
    return charts.heatmap(
        checkup_counts(aspect), unit="个",
        title="四章数字的“体检”：每一格是一类数字在某章的个数",
        caption=charts.caption(where="报告第一至第四章（全部数字）",
                               source="本课程数据表 data/report_figures.csv 的逐项统计"),
    )
