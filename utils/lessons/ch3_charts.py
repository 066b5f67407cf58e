"""第三章的作者绘图代码：the notebook's cells only call these functions.

Learners never need to read this module; their own exercises use pandas and seaborn directly.
Every number comes from the data by id; derived values are marked as such in the chart frames.
"""
from __future__ import annotations

from .. import charts
from ..data import derive, figure, figures, table
from ..quantities import format_cn, multiple_readings

#: the convention of the index chart: the traditional offline channel counts as 100 (not a report figure)
INDEX_BASE = 100


# ---------------------------------------------------------------------------
# （一）电商扶贫：cost and cycle as an index (traditional channel = 100)
# ---------------------------------------------------------------------------

def index_values():
    """The two derived index values, as 【推算】 records (upper bounds: the falls are "以上")."""
    cost = figure("ch3.circulation_cost_change")
    cycle = figure("ch3.sales_cycle_change")
    return (
        derive("直播电商的流通成本指数（上限）", INDEX_BASE * (1 + cost.value / 100),
               f"{INDEX_BASE} × (1 − {abs(cost.value):g}%)"),
        derive("直播电商的销售周期指数（上限）", INDEX_BASE * (1 + cycle.value / 100),
               f"{INDEX_BASE} × (1 − {abs(cycle.value):g}%)"),
    )


def plot_index(ax=None):
    """Bars: traditional offline = 100 against the live-stream channel's upper-bound index."""
    cost = figure("ch3.circulation_cost_change")
    cost_idx, cycle_idx = index_values()
    base = {"value": INDEX_BASE, "formula": "约定（不是报告数字）", "unit": ""}
    data = charts.chart_frame(derived=[
        {**base, "label": "流通成本·传统线下"},
        {"label": "流通成本·直播电商", "value": cost_idx.value, "formula": cost_idx.formula, "unit": "",
         "qualifier": "at_most"},
        {**base, "label": "销售周期·传统线下"},
        {"label": "销售周期·直播电商", "value": cycle_idx.value, "formula": cycle_idx.formula, "unit": "",
         "qualifier": "at_most"},
    ], where=cost.where, source=cost.source)
    data["derived"] = [False, True, False, True]  # the convention 100 is not a computed number
    return charts.ranked_bars(
        data, sort=False, ax=ax,
        title="相对于传统线下模式（记为100）", name="指数（传统线下模式 = 100）",
        note="“以上”意味着电商的真实指数可能更低；传统模式本身的成本与周期报告没有给出")


# ---------------------------------------------------------------------------
# （一）曹县：the two readings of 增长N倍 for any N (a live chart; the report's N is not the default)
# ---------------------------------------------------------------------------

def plot_readings(n):
    """Latest value and the base implied by "增长N倍" under both readings."""
    sales = figure("ch3.caoxian_sales")
    growth = figure("ch3.caoxian_sales_growth")
    r = multiple_readings(n, sales.value)
    base_year = growth.base_period
    data = charts.chart_frame("ch3.caoxian_sales", derived=[
        {"label": f"{base_year}年·严格读法 ÷{r.strict_factor:g}", "value": r.strict_base,
         "formula": f"{format_cn(sales.value, '元')} ÷ {r.strict_factor:g}", "unit": "元", "qualifier": "at_least"},
        {"label": f"{base_year}年·口语读法 ÷{r.loose_factor:g}", "value": r.loose_base,
         "formula": f"{format_cn(sales.value, '元')} ÷ {r.loose_factor:g}", "unit": "元", "qualifier": "at_least"},
    ])
    data.loc[0, "label"] = f"{sales.period_end}年（报告）"
    gap = r.loose_base / r.strict_base - 1
    mark = "报告的写法" if n == growth.value else "假设"
    return charts.ranked_bars(
        data, sort=False,
        title=f"“增长{n:g}倍”（{mark}）：两种读法推出的基期", name="销售额",
        note=f"口语读法推出的基期比严格读法大{gap:.0%}；现值是“突破”，所以基期也都是下限")


def readings_default() -> int:
    """The slider's starting N: deliberately not the report's N (that is an exercise)."""
    return int(figure("ch3.caoxian_sales_growth").value) + 3


# ---------------------------------------------------------------------------
# （二）产业扶贫：two per-head money figures that must not be divided by each other
# ---------------------------------------------------------------------------

def plot_per_head(ax=None):
    data = charts.chart_frame("ch3.income_gain_per_capita", "ch3.dividend_per_capita", unit="元")
    data["label"] = ["人均年增收（增加额）", "人均产业分红（收入水平）"]
    return charts.ranked_bars(
        data, ax=ax, title="两个“每人每年”的钱数", name="每人每年的金额",
        note="上面是增加额，下面是分红收入水平；两者的人群和口径可能不同，不能相除得出“分红占增收的比例”")


# ---------------------------------------------------------------------------
# （三）对口帮扶：averages and their direction (≥, ≤, =)
# ---------------------------------------------------------------------------

PER_UNIT_VIEWS = {"全国：每个西部受援省区市": "province", "全国：每个脱贫人口": "person",
                  "上海：每个摘帽县": "county"}


def plot_per_unit(per):
    """The average of a total over a count: is it a lower bound, an upper bound or exact?"""
    funds = figure("ch3.pairing_funds")
    west = figure("ch3.west_provinces")
    lifted = figure("ch3.pairing_lifted")
    sh_funds = figure("ch3.shanghai_funds")
    sh_counties = figure("ch3.shanghai_counties_delisted")
    low, high = lifted.bounds  # “400多万”：400万 ≤ 人数 < 500万

    def rows(like, *items):
        return charts.chart_frame(derived=[
            {"label": label, "value": value, "formula": formula, "unit": "元", "qualifier": q}
            for label, value, formula, q in items], where=like.where, source=like.source)

    if per == "province":
        data = rows(funds, (f"每个西部省区市（÷ {west.value:g}）", funds.value / west.value,
                            f"{format_cn(funds.value, '元')} ÷ {west.text}", "at_least"))
        title = "平均每个西部受援省区市：是下限（≥）"
        note = "分子是下限（超过）、分母确定 → 平均数是下限；西部各地得到的资金未必相同"
    elif per == "person":
        data = rows(funds, (f"每人（÷ {format_cn(low, '人')}）", funds.value / low,
                            f"{format_cn(funds.value, '元')} ÷ {format_cn(low, '人')}", "approx"),
                    (f"每人（÷ {format_cn(high, '人')}，“多”的上端）", funds.value / high,
                     f"{format_cn(funds.value, '元')} ÷ {format_cn(high, '人')}", "at_least"))
        title = "平均每个脱贫人口：只能确定下限（≥）"
        note = "分子是下限、分母是“N多万” → 只能确定不低于下面那根柱子；“带动脱贫”不等于钱全花在这些人身上"
    else:
        data = rows(sh_funds, (f"每个摘帽县（÷ {sh_counties.value:g}）", sh_funds.value / sh_counties.value,
                               f"{sh_funds.text} ÷ {sh_counties.text}", "exact"))
        title = "上海平均每个摘帽县：是确数"
        note = "分子、分母都是确数 → 平均数确定；但钱并非只用在这些县，摘帽也不只靠这笔钱"
    return charts.ranked_bars(data, sort=False, title=title, name="平均金额", note=note)


# ---------------------------------------------------------------------------
# （二）百分点 vs 百分比: one hypothetical starting share, the two readings of "+N"
# ---------------------------------------------------------------------------

#: the explorer's starting share (a hypothetical, deliberately not Yunnan's base year)
POINTS_START = 20


def plot_points(start):
    """From a hypothetical share ``start`` (%), "提升N个百分点" against "增长N%" with the report's N."""
    pts = figure("ch3.yunnan_industry_share_change")
    n = pts.value
    data = charts.chart_frame(derived=[
        {"label": "起点（假设）", "value": start, "formula": "假设的起点", "unit": "%"},
        {"label": f"提升{n:g}个百分点", "value": start + n, "formula": f"{start:g}% + {n:g}个百分点",
         "unit": "%"},
        {"label": f"增长{n:g}%", "value": start * (1 + n / 100), "formula": f"{start:g}% × (1 + {n:g}%)",
         "unit": "%"},
    ], where=pts.where, source=pts.source)
    data["derived"] = [False, True, True]
    return charts.ranked_bars(
        data, sort=False, title=f"同一个起点：“提升{n:g}个百分点”和“增长{n:g}%”", name="占比",
        note=f"起点是假设的，{n:g}是报告中云南那句话里的数；百分点用加减，百分比用乘除")


# ---------------------------------------------------------------------------
# 练习13：a counter-example — money figures of different periods side by side
# ---------------------------------------------------------------------------

#: the four money figures of the counter-example, with the labels it gives them (periods left off on purpose)
MIXED_PERIOD_LABELS = {
    "ch3.pairing_funds": "东西部协作帮扶资金（全国）",
    "ch3.livestream_sales": "直播带货销售额（全国）",
    "ch3.shanghai_funds": "上海对口云南帮扶资金",
    "ch3.caoxian_sales": "曹县汉服销售额",
}
MIXED_PERIOD_IDS = tuple(MIXED_PERIOD_LABELS)


def plot_mixed_periods(ax=None):
    """A deliberately misleading chart for exercise 13: the chapter's four money figures ranked as if
    comparable, although they cover different periods (one year, multi-year totals, a total whose start
    year the report does not give) and are of two kinds (sales, funds).  The chart says it is a
    counter-example, not what is wrong with it: that is the exercise."""
    data = charts.chart_frame(*MIXED_PERIOD_IDS)
    data["label"] = [MIXED_PERIOD_LABELS[i] for i in MIXED_PERIOD_IDS]
    return charts.ranked_bars(
        data, ax=ax, title="（反面例子）本章的几笔钱，谁多谁少？", name="金额",
        note="这是一张有意画成这样的反面例子，不要照着它下结论；练习13请你找出它哪里会误导人")


def mixed_period_records():
    """The counter-example's four figures as the report gives them: period, value and the data's note
    (the national total's note says from which year it counts: it does not)."""
    records = figures(*MIXED_PERIOD_IDS)
    records["label"] = [MIXED_PERIOD_LABELS[i] for i in MIXED_PERIOD_IDS]
    return table(records[["label", "period", "text", "note"]],
                 columns={"label": "图里的柱子", "period": "时期", "text": "数值", "note": "数据说明"})
